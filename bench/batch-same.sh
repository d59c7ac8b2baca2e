#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench/batch-same.sh [N_MAPS] [JOBS] [BALMAP] - times `balmap batch` on N_MAPS (default 100) PNG
# maps that share extent, size and style (1600 x 1200, Balochistan), cycling through the
# examples and test inputs and --measure/--party variants: the batch whose basemap balmap draws
# once and reuses (render.h, bm_basemap_cache). -j JOBS (default 2). BALMAP: the program to time
# (default: the release build). Prints the wall time and the rate.
set -euo pipefail

n_maps=${1:-100}
jobs=${2:-2}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
balmap=${3:-}
if [[ -z $balmap ]]; then
    (cd "$root" && cmake --preset release >/dev/null && cmake --build --preset release -j2 --target balmap >/dev/null)
    balmap=$root/build/release/balmap
fi
[[ $n_maps =~ ^[1-9][0-9]*$ && $jobs =~ ^[1-9][0-9]*$ ]] || {
    echo "usage: bench/batch-same.sh [N_MAPS] [JOBS] [BALMAP]" >&2
    exit 2
}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/out"
inputs=("$root/examples/herof2.json" "$root/tests/data/acled-small.csv"
    "$root/tests/data/claims-small.geojson" "$root/examples/herof2-timeline.json")
{
    echo '{"maps": ['
    for ((i = 0; i < n_maps; i++)); do
        sep=$([[ $i -lt $((n_maps - 1)) ]] && echo , || true)
        printf '  {"input": "%s", "outputs": ["out/map-%03d.png"], "options": {"width": 1600, "height": 1200, "extent": "balochistan"}}%s\n' \
            "${inputs[i % ${#inputs[@]}]}" "$i" "$sep"
    done
    echo ']}'
} >"$work/manifest.json"
start=$(date +%s%N)
"$balmap" batch -q -j "$jobs" "$work/manifest.json"
end=$(date +%s%N)
ms=$(((end - start) / 1000000))
n=$(find "$work/out" -name '*.png' | wc -l)
echo "bench: $n PNG maps of one extent and size, -j $jobs: wall $ms ms, $(awk -v n="$n" -v ms="$ms" 'BEGIN { printf "%.1f", n / ms * 1000 }') maps/s"
