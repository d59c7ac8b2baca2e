#!/usr/bin/env bash
# bench/gazetteer-load.sh [ROWS] [RUNS] [FORMAT]: how long `--gazetteer` takes to load a file of
# ROWS rows (default 100,000; PK.txt has about that many). FORMAT is
#   geonames  (default) a GeoNames country dump, made by bench/gen-geonames.py;
#   table     a CSV table (name, lat, lon, kind, alt_names, admin1, admin2) of the same dump's
#             rows, ids made from the names;
#   acled     an ACLED-style CSV of ROWS events (bench/gen-acled.py) read as named points.
# The files are synthetic, made in a temporary folder (no data is committed). Times `balmap
# geocode -g FILE Quetta` against `balmap geocode Quetta` (RUNS runs each, default 11, medians):
# the difference is reading, checking and indexing the file. CPU time (user + system) is given
# beside the elapsed time, because on a shared machine the elapsed time includes waiting for a
# core; and the peak RSS (median). BALMAP=path times another binary (without building).
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-100000}
runs=${2:-11}
format=${3:-geonames}
if [ -z "${BALMAP:-}" ]; then
    cmake --preset release >/dev/null
    cmake --build --preset release -j2 --target balmap >/dev/null
fi
bin=${BALMAP:-build/release/balmap}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
case $format in
geonames)
    file=$tmp/dump.txt
    python3 bench/gen-geonames.py "$rows" >"$file"
    ;;
table)
    file=$tmp/table.csv
    python3 bench/gen-geonames.py "$rows" | awk -F'\t' 'BEGIN {OFS = ","
        print "name,lat,lon,kind,alt_names,admin1,admin2"}
        {gsub(/,/, "|", $4); print $2, $5, $6, "town", $4, "Balochistan", $12}' >"$file"
    ;;
acled)
    file=$tmp/acled.csv
    python3 bench/gen-acled.py "$rows" -o "$file"
    ;;
*)
    echo "unknown format '$format': geonames, table or acled" >&2
    exit 2
    ;;
esac
echo "$format: $rows rows, $(wc -c <"$file") bytes"

# median of the numbers on standard input
median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

measure() { # name, command...: prints "name cpu_ms elapsed_ms rss_kib" (medians)
    local name=$1
    shift
    "$@" >/dev/null # warm-up (page cache)
    : >"$tmp/times"
    : >"$tmp/rss"
    TIMEFORMAT='%3U %3S %3R'
    for _ in $(seq "$runs"); do # GNU time (package time) for the peak RSS, inside bash's time
        if [ -x /usr/bin/time ]; then
            { time /usr/bin/time -f '%M' -a -o "$tmp/rss" "$@" >/dev/null; } 2>>"$tmp/times"
        else
            { time "$@" >/dev/null; } 2>>"$tmp/times"
            echo 0 >>"$tmp/rss"
        fi
    done
    local cpu elapsed rss
    cpu=$(awk '{printf "%.1f\n", ($1 + $2) * 1000}' "$tmp/times" | median)
    elapsed=$(awk '{printf "%.1f\n", $3 * 1000}' "$tmp/times" | median)
    rss=$(median <"$tmp/rss")
    echo "$name $cpu $elapsed $rss"
}

base=$(measure builtin "$bin" geocode Quetta)
dump=$(measure file "$bin" geocode -g "$file" Quetta)
echo "                      cpu ms   elapsed ms   peak RSS KiB  (median of $runs)"
printf '%-20s %8s %12s %14s\n' "geocode Quetta" $(echo "$base" | cut -d' ' -f2-)
printf '%-20s %8s %12s %14s\n' "  with the file" $(echo "$dump" | cut -d' ' -f2-)
awk -v a="$base" -v b="$dump" 'BEGIN {split(a, x, " "); split(b, y, " ");
    printf "loading the file: %.1f ms CPU, %.1f ms elapsed\n", y[2] - x[2], y[3] - x[3]}'
