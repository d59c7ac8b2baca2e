#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# example.sh - the README's first command: installs what is missing, builds the release preset
# and renders examples/herof2.json to output/herof2.{png,svg,pdf,html}. Safe to run again.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

./scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release -j2 --target balmap

mkdir -p output
cmd=(./build/release/balmap render examples/herof2.json
    -o output/herof2.png -o output/herof2.svg -o output/herof2.pdf \
    -o output/herof2.html)
echo "+ balmap ${cmd[*]:1}"
"${cmd[@]}"
echo "wrote output/herof2.png, output/herof2.svg, output/herof2.pdf and output/herof2.html"
