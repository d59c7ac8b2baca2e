#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench/batch100.sh [N_MAPS] [JOBS] [BALMAP] - times `balmap batch` on a generated manifest of N_MAPS maps
# (default 100) with -j JOBS (default 2), on the release build, in a temporary directory that is
# removed afterwards. The maps cycle through the examples and test inputs (JSON, ACLED CSV,
# GeoJSON), with PNG, SVG and PDF outputs and a few option variants, so the batch is not 100
# copies of one cached picture. Prints balmap's summary line and the wall time; then runs the
# batch with --if-changed twice and times the second, which should skip every map.
# Pages are 1200-1600 x 1100 px. They were 900 px high until the 7 pt floor for PNG text
# (issue 12): at 900 px the source-kind key of the timeline example's legend (every extent) and
# of herof2 at the pakistan extent is set at 5.2-5.6 pt and 12 of the 100 PNG maps were refused;
# at 1100 px every map renders (22% more pixels a map than at 900).
set -euo pipefail

n_maps=${1:-100}
jobs=${2:-2}
[[ $n_maps =~ ^[1-9][0-9]*$ && $jobs =~ ^[1-9][0-9]*$ ]] || {
    echo "usage: bench/batch100.sh [N_MAPS] [JOBS] [BALMAP]" >&2
    exit 2
}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
balmap=${3:-}
if [[ -z $balmap ]]; then # the release build (another program: BALMAP, e.g. an older build)
    (cd "$root" && cmake --preset release >/dev/null && cmake --build --preset release -j2 --target balmap >/dev/null)
    balmap=$root/build/release/balmap
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/out"
inputs=("$root/examples/herof2.json" "$root/tests/data/acled-small.csv"
    "$root/tests/data/claims-small.geojson")
[[ -f $root/examples/herof2-timeline.json ]] && inputs+=("$root/examples/herof2-timeline.json")
formats=(png svg pdf)
extents=(balochistan pakistan data)
{
    echo '{"maps": ['
    for ((i = 0; i < n_maps; i++)); do
        input=${inputs[i % ${#inputs[@]}]}
        format=${formats[i % 3]}
        extent=${extents[(i / 3) % 3]}
        width=$((1200 + (i % 5) * 100)) # 1100 px high: see the note above
        sep=$([[ $i -lt $((n_maps - 1)) ]] && echo , || true)
        printf '  {"input": "%s", "outputs": ["out/map-%03d.%s"], "options": {"width": %d, "height": 1100, "extent": "%s"}}%s\n' \
            "$input" "$i" "$format" "$width" "$extent" "$sep"
    done
    echo ']}'
} >"$work/manifest.json"

nproc_n=$(nproc 2>/dev/null || echo "?")
echo "bench: $n_maps maps, -j $jobs, $nproc_n CPUs, $(uname -m), commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')"
start=$(date +%s%N)
rc=0
"$balmap" batch -q -j "$jobs" "$work/manifest.json" || rc=$?
end=$(date +%s%N)
n_written=$(find "$work/out" -type f | wc -l)
echo "bench: batch exit $rc, $n_written files written, wall $(((end - start) / 1000000)) ms"

"$balmap" batch -q -j "$jobs" --if-changed "$work/manifest.json" # renders again, stamps
start=$(date +%s%N)
"$balmap" batch -j "$jobs" --if-changed "$work/manifest.json" 2>&1 | tail -1
end=$(date +%s%N)
echo "bench: --if-changed with nothing changed: wall $(((end - start) / 1000000)) ms"
