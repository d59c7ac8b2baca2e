#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench/many.sh [ROWS...] - maps of many incidents (issue 9): for each row count (default
# 1000 10000 100000), generates an ACLED-style CSV with bench/gen-acled.py, renders it to PNG,
# SVG and PDF with the release build, and prints one table row per render: seconds (wall, and
# user+system CPU, which a loaded machine does not inflate),
# peak RSS (MiB, /usr/bin/time -v), output size, exit code. Extra render options come from
# BM_MANY_ARGS (e.g. "--group place"); BM_MANY_OUTLETS=1 writes one outlet per row ("Dawn"),
# which balmap before issue 9 item 6 needs (it refuses more than 8 distinct 'source' values).
# Files go to ${BM_MANY_DIR:-/tmp/balmap-many}; nothing large is written to the tree.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$here/..
dir=${BM_MANY_DIR:-/tmp/balmap-many}
mkdir -p "$dir"
[[ $# -gt 0 ]] || set -- 1000 10000 100000
if [[ -z ${BM_MANY_BIN:-} ]]; then
    cmake --preset release >/dev/null && cmake --build --preset release -j2 --target balmap >/dev/null
fi
bin=${BM_MANY_BIN:-$root/build/release/balmap}
read -r -a extra <<<"${BM_MANY_ARGS:-}"
printf '| rows | format | wall s | cpu s | peak MiB | output | exit |\n|---|---|---|---|---|---|---|\n'
for rows in "$@"; do
    csv=$dir/acled-$rows.csv
    python3 "$here/gen-acled.py" "$rows" --outlets "${BM_MANY_OUTLETS:-24}" -o "$csv"
    for fmt in png svg pdf; do
        out=$dir/map-$rows.$fmt
        rm -f "$out"
        set +e
        /usr/bin/time -v "$bin" render "$csv" -o "$out" "${extra[@]}" >"$dir/log-$rows-$fmt.txt" 2>&1
        rc=$?
        set -e
        wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$dir/log-$rows-$fmt.txt")
        kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$dir/log-$rows-$fmt.txt")
        cpu=$(awk '/User time|System time/ { s += $NF } END { printf "%.2f", s }' "$dir/log-$rows-$fmt.txt")
        secs=$(awk -v t="$wall" 'BEGIN { n = split(t, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.2f", s }')
        size=$( [[ -f $out ]] && stat -c %s "$out" || echo 0)
        printf '| %s | %s | %s | %s | %.0f | %s | %s |\n' "$rows" "$fmt" "$secs" "$cpu" "$((kb / 1024))" \
            "$(numfmt --to=iec --suffix=B "$size")" "$rc"
    done
done
