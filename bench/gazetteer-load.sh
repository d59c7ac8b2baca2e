#!/usr/bin/env bash
# bench/gazetteer-load.sh [ROWS] [RUNS]: how long `--gazetteer` takes to load a GeoNames country
# dump of ROWS rows (default 100,000; PK.txt has about that many). The dump is synthetic, made by
# bench/gen-geonames.py in a temporary folder (no data is committed). Times `balmap geocode -g
# DUMP Quetta` against `balmap geocode Quetta` (RUNS runs each, default 11, medians): the
# difference is reading, checking and indexing the dump. CPU time (user + system) is given beside
# the elapsed time, because on a shared machine the elapsed time includes waiting for a core.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-100000}
runs=${2:-11}
cmake --preset release >/dev/null
cmake --build --preset release -j2 --target balmap >/dev/null
bin=build/release/balmap
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 bench/gen-geonames.py "$rows" >"$tmp/dump.txt"
echo "dump: $rows rows, $(wc -c <"$tmp/dump.txt") bytes"

# median of the numbers on standard input
median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

measure() { # name, command...: prints "name cpu_ms elapsed_ms" (medians)
    local name=$1
    shift
    "$@" >/dev/null # warm-up (page cache)
    : >"$tmp/times"
    TIMEFORMAT='%3U %3S %3R'
    for _ in $(seq "$runs"); do
        { time "$@" >/dev/null; } 2>>"$tmp/times"
    done
    local cpu elapsed
    cpu=$(awk '{printf "%.1f\n", ($1 + $2) * 1000}' "$tmp/times" | median)
    elapsed=$(awk '{printf "%.1f\n", $3 * 1000}' "$tmp/times" | median)
    echo "$name $cpu $elapsed"
}

base=$(measure builtin "$bin" geocode Quetta)
dump=$(measure dump "$bin" geocode -g "$tmp/dump.txt" Quetta)
echo "                      cpu ms   elapsed ms  (median of $runs)"
printf '%-20s %8s %12s\n' "geocode Quetta" $(echo "$base" | cut -d' ' -f2-)
printf '%-20s %8s %12s\n' "  with the dump" $(echo "$dump" | cut -d' ' -f2-)
awk -v a="$base" -v b="$dump" 'BEGIN {split(a, x, " "); split(b, y, " ");
    printf "loading the dump: %.1f ms CPU, %.1f ms elapsed\n", y[2] - x[2], y[3] - x[3]}'
