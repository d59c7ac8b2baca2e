#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench/png.sh [RUNS] - the PNG encoders compared on the seed map's pixels (bench/README.md,
# "PNG encoding"): renders examples/herof2.json at 1600 x 1200, then bm_png_bench times each
# encoder RUNS times (default 15, median CPU time) and checks that it decodes to the same pixels.
# Installs libspng-dev from Debian when missing (as root): it is only needed here.
set -euo pipefail
runs=${1:-15}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
if ! pkg-config --exists spng && [[ $(id -u) -eq 0 ]]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends libspng-dev >/dev/null
fi
cmake --preset release >/dev/null
cmake --build --preset release -j2 --target balmap bm_png_bench >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
build/release/balmap render examples/herof2.json -o "$tmp/map.png" --width 1600 --height 1200 -q
build/release/bm_png_bench "$tmp/map.png" "$runs"
