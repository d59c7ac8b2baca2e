#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench/pair.sh N NAME_A CMD_A NAME_B CMD_B - a paired comparison of two whole processes: runs
# A and B alternately N times (after one warm-up run of each), timing each run's wall clock and
# its peak RSS (/usr/bin/time -f %M), and prints the median of each, the median of the pair-by-
# pair ratios A/B (the machine's speed drifts, but a ratio of neighbouring runs holds), and the
# largest peak RSS. CMD_* are run with `bash -c`, output to /dev/null. Used by bench/*.sh.
set -euo pipefail

if [[ $# -ne 5 || ! $1 =~ ^[1-9][0-9]*$ ]]; then
    echo "usage: bench/pair.sh N NAME_A CMD_A NAME_B CMD_B" >&2
    exit 2
fi
n=$1
name_a=$2 cmd_a=$3 name_b=$4 cmd_b=$5
[[ -x /usr/bin/time ]] || {
    echo "bench: /usr/bin/time is missing (Debian: apt-get install time)" >&2
    exit 1
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# one CMD RSS_FILE: prints the wall time in microseconds; the peak RSS (KiB) goes to RSS_FILE.
one() {
    local t0 t1
    t0=$(date +%s%N)
    /usr/bin/time -f %M -o "$2" bash -c "$1" >/dev/null 2>"$tmp/stderr" || {
        echo "bench: '$1' failed:" >&2
        cat "$tmp/stderr" >&2
        exit 1
    }
    t1=$(date +%s%N)
    echo $(((t1 - t0) / 1000))
}

one "$cmd_a" "$tmp/rss" >/dev/null
one "$cmd_b" "$tmp/rss" >/dev/null
for ((i = 0; i < n; i++)); do
    a=$(one "$cmd_a" "$tmp/rss")
    echo "$(tail -1 "$tmp/rss")" >>"$tmp/rss_a"
    b=$(one "$cmd_b" "$tmp/rss")
    echo "$(tail -1 "$tmp/rss")" >>"$tmp/rss_b"
    echo "$a" >>"$tmp/a"
    echo "$b" >>"$tmp/b"
    awk -v a="$a" -v b="$b" 'BEGIN { printf "%.4f\n", a / b }' >>"$tmp/ratio"
done

median() {
    sort -g "$1" | awk '{ v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; print m }'
}
max() { sort -g "$1" | tail -1; }

ma=$(median "$tmp/a") mb=$(median "$tmp/b") mr=$(median "$tmp/ratio")
printf '%-10s median %8.1f ms   peak RSS %6.1f MiB\n' "$name_a" "$(awk -v v="$ma" 'BEGIN { print v / 1000 }')" \
    "$(awk -v v="$(max "$tmp/rss_a")" 'BEGIN { print v / 1024 }')"
printf '%-10s median %8.1f ms   peak RSS %6.1f MiB\n' "$name_b" "$(awk -v v="$mb" 'BEGIN { print v / 1000 }')" \
    "$(awk -v v="$(max "$tmp/rss_b")" 'BEGIN { print v / 1024 }')"
printf 'ratio %s/%s, median of %d pairs: %s\n' "$name_a" "$name_b" "$n" "$mr"
