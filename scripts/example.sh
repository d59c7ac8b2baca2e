#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# example.sh - the README's first command: installs what is missing, builds the release preset
# and renders examples/herof2.json to output/herof2.{png,svg,pdf}. Safe to run again.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

./scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release -j2 --target balmap

mkdir -p output
cmd=(./build/release/balmap render examples/herof2.json
    -o output/herof2.png -o output/herof2.svg -o output/herof2.pdf)
echo "+ balmap ${cmd[*]:1}"
"${cmd[@]}"
echo "wrote output/herof2.png, output/herof2.svg and output/herof2.pdf"
