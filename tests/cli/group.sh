#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# group.sh BALMAP SOURCE_DIR WORK_DIR - CTest cli.group (issue 9): maps of many incidents,
# checked on the scene dump of a 600-row ACLED-style CSV made by bench/gen-acled.py (seeded,
# so the same every run; nothing large is committed):
# - the drawn values add up to the file's fatalities in the window: nothing dropped, nothing
#   counted twice (whole file, and --from/--to);
# - grouped by place: at most one circle per location (and one "near" it);
# - label boxes never overlap each other;
# - every claim circle's centre lies inside the map frame;
# - -o marks.csv lists the same total;
# - --scale-max gives the same radius per value on two maps;
# - a file past 1 GiB is refused with exit 1.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/prologue.sh"

csv=$work/events.csv
python3 "$src/bench/gen-acled.py" 600 --seed 3 -o "$csv"

# Sum of the fatalities column for rows whose event_date (ACLED's "9 March 2024") is in
# [from, to]; python3 reads the quoted CSV.
file_sum() {
    python3 - "$csv" "${1:-0000-00-00}" "${2:-9999-99-99}" <<'PY'
import csv, datetime, sys
path, lo, hi = sys.argv[1:4]
total = 0
for r in csv.DictReader(open(path, encoding="utf-8")):
    d = datetime.datetime.strptime(r["event_date"], "%d %B %Y").date().isoformat()
    if lo <= d <= hi:
        total += int(r["fatalities"])
print(total)
PY
}

# Sum of the values of the claim circles in a scene dump.
scene_sum() {
    awk '$1 == "circle" && $2 == "claim" {
             for (i = 3; i <= NF; i++) if ($i ~ /^value=/) { sub(/^value=/, "", $i); s += $i }
         } END { printf "%d\n", s }' "$1"
}

"$balmap" render "$csv" -o "$work/map.png" --scene "$work/scene.txt" --group place \
    -o "$work/marks.csv" -q || fail "render --group place failed (exit $?)"
want=$(file_sum)
got=$(scene_sum "$work/scene.txt")
[[ $got == "$want" ]] || fail "drawn values add up to $got; the file's fatalities to $want"

n_circles=$(awk '$1 == "circle" && $2 == "claim"' "$work/scene.txt" | wc -l)
# Places: each location at each precision (a place is its name and its kind: issue 14), so
# "near" it (geo_precision 2) and the region it stands for (3) apart.
n_places=$(python3 -c "import csv,sys; print(len({(r['location'], r['geo_precision']) for r in csv.DictReader(open(sys.argv[1]))}))" "$csv")
((n_circles <= n_places)) || fail "$n_circles circles for $n_places locations"

# The years every sum shares are said once, in the legend ("600 events at 60 places,
# 2020-2025"), not repeated on each label; a label keeps years only where they differ.
span=$(grep -o 'events at [0-9,]* places, [0-9-]*' "$work/scene.txt" | head -1 | sed 's/.*, //')
[[ $span =~ ^[0-9]{4}(-[0-9]{4})?$ ]] || fail "the legend states no span of years ('$span')"
n_labels=$(awk '$1 == "text" && $2 == "claim-label"' "$work/scene.txt" | wc -l)
((n_labels > 0)) || fail "no sum is labelled"
if awk '$1 == "text" && $2 == "claim-label"' "$work/scene.txt" | grep -q "events, $span\""; then
    fail "a label repeats the legend's span $span"
fi

# Label boxes (text marks with x, y, w, h whose role ends in -label) never overlap.
awk '$1 == "text" && $2 ~ /-label$/ && $2 != "scale-label" && $2 !~ /^legend/ {
         x = y = w = h = ""
         for (i = 3; i <= NF; i++) {
             if ($i ~ /^x=/) x = substr($i, 3) + 0; else if ($i ~ /^y=/) y = substr($i, 3) + 0
             else if ($i ~ /^w=/) w = substr($i, 3) + 0; else if ($i ~ /^h=/) h = substr($i, 3) + 0
         }
         n++; X[n] = x; Y[n] = y; W[n] = w; H[n] = h; L[n] = $0
     } END {
         bad = 0
         for (i = 1; i <= n; i++) for (k = i + 1; k <= n; k++)
             if (X[i] + W[i] > X[k] + 0.01 && X[k] + W[k] > X[i] + 0.01 &&
                 Y[i] + H[i] > Y[k] + 0.01 && Y[k] + H[k] > Y[i] + 0.01) {
                 if (bad++ < 3) print "overlap: " L[i] " / " L[k]
             }
         exit bad > 0
     }' "$work/scene.txt" || fail "label boxes overlap"

awk '$1 == "frame" { fx = $2; fy = $3; fw = $4; fh = $5 }
     $1 == "circle" && $2 == "claim" {
         for (i = 3; i <= NF; i++) { if ($i ~ /^x=/) x = substr($i, 3) + 0; if ($i ~ /^y=/) y = substr($i, 3) + 0 }
         if (x < fx || x > fx + fw || y < fy || y > fy + fh) { print "outside: " $0; bad++ }
     } END { exit bad > 0 }' "$work/scene.txt" || fail "a claim circle lies outside the frame"

# marks.csv: the 'min' column adds up to the same total (every value here is exact).
marks_sum=$(python3 -c "import csv,sys; print(sum(int(r['min']) for r in csv.DictReader(open(sys.argv[1]))))" "$work/marks.csv" 2>/dev/null || echo none)
[[ $marks_sum == "$want" ]] || fail "marks.csv adds up to $marks_sum; the file to $want"

# A window: only incidents dated 2022.
"$balmap" render "$csv" -o "$work/map-2022.png" --scene "$work/scene-2022.txt" --group place \
    --from 2022-01-01 --to 2022-12-31 -q || fail "render --from/--to failed (exit $?)"
want=$(file_sum 2022-01-01 2022-12-31)
got=$(scene_sum "$work/scene-2022.txt")
[[ $got == "$want" ]] || fail "2022: drawn values add up to $got; the file's 2022 rows to $want"

# --scale-max: the same value gets the same radius on two maps of different data.
"$balmap" render "$csv" -o "$work/a.png" --scene "$work/a.txt" --scale-max 500 -q ||
    fail "render --scale-max failed"
"$balmap" render "$csv" -o "$work/b.png" --scene "$work/b.txt" --scale-max 500 \
    --from 2023-01-01 --to 2023-12-31 -q || fail "render --scale-max --from failed"
ra=$(awk '$1 == "circle" && $2 == "legend-size" && $0 ~ /value=500( |$)/ { for (i = 3; i <= NF; i++) if ($i ~ /^r=/) print substr($i, 3) }' "$work/a.txt")
rb=$(awk '$1 == "circle" && $2 == "legend-size" && $0 ~ /value=500( |$)/ { for (i = 3; i <= NF; i++) if ($i ~ /^r=/) print substr($i, 3) }' "$work/b.txt")
[[ -n $ra && $ra == "$rb" ]] || fail "--scale-max 500: legend circle r=$ra on one map, r=$rb on the other"
# r = r_max * sqrt(v / N) for every claim circle of both maps, with one r_max.
python3 - "$work/a.txt" "$work/b.txt" <<'PY' || fail "--scale-max: radius not r_max*sqrt(v/500)"
import math, re, sys
rmax = set()
for path in sys.argv[1:]:
    for line in open(path, encoding="utf-8"):
        m = re.match(r'circle claim .* r=([\d.]+) value=([\d.]+)', line)
        if m and float(m.group(2)) >= 20:  # above the minimum radius
            rmax.add(round(float(m.group(1)) / math.sqrt(float(m.group(2)) / 500), 1))
sys.exit(0 if len(rmax) == 1 else 1)
PY

# Past 1 GiB: refused with exit 1 and a hint, before reading (a sparse file costs no disk).
truncate -s 1100M "$work/huge.csv"
set +e
"$balmap" render "$work/huge.csv" -o "$work/huge.png" 2>"$work/huge.err"
rc=$?
set -e
rm -f "$work/huge.csv"
[[ $rc == 1 ]] || fail "a 1.1 GiB file: exit $rc, want 1"
grep -q "up to 1 GiB" "$work/huge.err" || fail "a 1.1 GiB file: no message naming the limit"
[[ ! -e $work/huge.png ]] || fail "a refused file left a map"

if ((n_bad > 0)); then
    echo "cli.group: $n_bad failure(s)"
    exit 1
fi
echo "cli.group: ok"
