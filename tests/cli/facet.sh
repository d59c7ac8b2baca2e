#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# facet.sh BALMAP SOURCE_DIR WORK_DIR - CTest cli.facet (issue 9 items 1-4), on the scene dumps
# of a 600-row ACLED-style CSV made by bench/gen-acled.py (seeded; nothing large committed):
# - --facet year: one panel per year, titled with it; each panel's circles add up to the file's
#   fatalities of that year, and a value has one radius in every panel (one scale);
# - --facet month: refused past 12 panels with a hint; within one year, one panel per month;
# - --group district and province: the drawn values add up to the file's; each district's
#   circle sums the rows of that district (admin2) and sits on the district's point; places of
#   unknown district are named in the legend and in a warning;
# - --from/--to are stated in the subtitle, with --group none too;
# - batch "scale_max": "shared": every map of the series is the map rendered with
#   --scale-max set to the largest value of the series.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/prologue.sh"

csv=$work/events.csv
python3 "$src/bench/gen-acled.py" 600 --seed 3 -o "$csv"

render() {
    "$balmap" render "$csv" -q "$@"
}

# Sum of the claim circles' values per panel (by which panel frame holds the centre), as
# "TITLE SUM" lines; "all SUM" for the whole map.
panel_sums() {
    python3 - "$1" <<'PY'
import re, sys
frames, sums, total = [], {}, 0
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
for line in lines:
    m = re.match(r'rect frame ref="([^"]*)" x=([\d.]+) y=([\d.]+) w=([\d.]+) h=([\d.]+)', line)
    if m:
        frames.append((m.group(1),) + tuple(float(v) for v in m.groups()[1:]))
for line in lines:
    m = re.match(r'circle claim .* x=([\d.]+) y=([\d.]+) r=[\d.]+ value=(\d+)', line)
    if not m:
        continue
    x, y, v = float(m.group(1)), float(m.group(2)), int(m.group(3))
    total += v
    inside = [f[0] for f in frames if f[1] <= x <= f[1] + f[3] and f[2] <= y <= f[2] + f[4]]
    key = inside[0] if len(inside) == 1 else "?"
    sums[key] = sums.get(key, 0) + v
for k in sorted(sums):
    print(k, sums[k])
print("all", total)
PY
}

# The file's fatalities per period: KEY is 4 (year) or 7 (month) characters of the ISO date;
# rows in [from, to] only.
file_sums() {
    python3 - "$csv" "$1" "${2:-0000-00-00}" "${3:-9999-99-99}" "${4:-}" <<'PY'
import calendar, csv, datetime, sys
path, n, lo, hi, style = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
sums, total = {}, 0
for r in csv.DictReader(open(path, encoding="utf-8")):
    d = datetime.datetime.strptime(r["event_date"], "%d %B %Y").date().isoformat()
    if not lo <= d <= hi:
        continue
    k = d[:n]
    if n == 7:
        k = calendar.month_name[int(d[5:7])] + "_" + d[:4]
    f = int(r["fatalities"])
    total += f
    if f:
        sums[k] = sums.get(k, 0) + f
for k in sorted(sums):
    print(k, sums[k])
print("all", total)
PY
}

# --facet year: panels, sums per panel, one radius per value.
render -o "$work/year.png" --scene "$work/year.txt" --facet year || fail "--facet year failed"
years=$(python3 -c "import csv,sys,datetime; print(' '.join(sorted({datetime.datetime.strptime(r['event_date'], '%d %B %Y').strftime('%Y') for r in csv.DictReader(open(sys.argv[1]))})))" "$csv")
titles=$(awk '$1 == "text" && $2 == "panel-title"' "$work/year.txt" | sed 's/.*"\([^"]*\)" fill=.*/\1/' | tr '\n' ' ' | sed 's/ $//')
[[ $titles == "$years" ]] || fail "--facet year: panels '$titles', the file's years '$years'"
want=$(file_sums 4)
got=$(panel_sums "$work/year.txt")
[[ $got == "$want" ]] || fail "--facet year: panel sums
$got
the file's per year
$want"
python3 - "$work/year.txt" <<'PY' || fail "--facet year: one value drawn with two radii"
import re, sys
r_of = {}
for line in open(sys.argv[1], encoding="utf-8"):
    m = re.match(r'circle claim .* r=([\d.]+) value=(\d+)', line)
    if m:
        r_of.setdefault(m.group(2), set()).add(m.group(1))
bad = {v: r for v, r in r_of.items() if len(r) > 1}
print(bad or "", end="")
sys.exit(1 if bad or len(r_of) < 5 else 0)
PY

# A window, one circle per claim: two panels, and the window in the subtitle.
render -o "$work/y2.png" --scene "$work/y2.txt" --facet year --group none \
    --from 2021-01-01 --to 2022-12-31 || fail "--facet year --group none failed"
want=$(file_sums 4 2021-01-01 2022-12-31)
got=$(panel_sums "$work/y2.txt")
[[ $got == "$want" ]] || fail "--facet year 2021-2022: panel sums
$got
want
$want"
grep -q '^text subtitle .*Incidents from 1 January 2021 to 31 December 2022' "$work/y2.txt" ||
    fail "--from/--to: the subtitle does not state the window"
render -o "$work/n22.png" --scene "$work/n22.txt" --group none --from 2022-01-01 --to 2022-12-31 ||
    fail "--group none --from/--to failed"
grep -q '^text subtitle .*Incidents of 2022' "$work/n22.txt" ||
    fail "--group none --from/--to: the subtitle does not say 'Incidents of 2022'"

# --facet month: six years are 72 months, refused with a hint; one year is at most 12 panels.
set +e
"$balmap" render "$csv" -o "$work/month.png" --facet month 2>"$work/month.err"
rc=$?
set -e
[[ $rc == 1 ]] || fail "--facet month over six years: exit $rc, want 1"
grep -q "at most 12 panels" "$work/month.err" && grep -q -- "--facet year" "$work/month.err" ||
    fail "--facet month over six years: no message and hint ($(cat "$work/month.err"))"
[[ ! -e $work/month.png ]] || fail "--facet month refused but wrote a map"
render -o "$work/m24.png" --scene "$work/m24.txt" --facet month --from 2024-01-01 \
    --to 2024-12-31 || fail "--facet month 2024 failed"
want=$(file_sums 7 2024-01-01 2024-12-31 | tr ' ' '\t' | sort | tr '\t' ' ')
got=$(panel_sums "$work/m24.txt" | sed 's/^\([A-Za-z]*\) \([0-9]\{4\}\) /\1_\2 /' | tr ' ' '\t' | sort | tr '\t' ' ')
[[ $got == "$want" ]] || fail "--facet month 2024: panel sums
$got
want
$want"

# --group district: the total, each district's sum (rows by admin2; geo_precision 3 rows are
# the province's), marks on the district's point, places of unknown district listed.
"$balmap" render "$csv" -o "$work/district.png" --scene "$work/district.txt" --group district \
    2>"$work/district.err" || fail "--group district failed"
python3 - "$csv" "$work/district.txt" "$src/shapes/gazetteer.tsv" <<'PY' || fail "--group district: sums per district differ from the file's"
import csv, re, sys, unicodedata
def key(s):
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()
    return s.replace(" district", "").replace(" ", "")
districts = {}
for row in csv.DictReader(open(sys.argv[3], encoding="utf-8"), delimiter="\t"):
    if row["kind"] == "district":
        for n in [row["name"]] + row["alt_names"].split("|"):
            districts.setdefault(key(n), row["name"])
want, total = {}, 0
for r in csv.DictReader(open(sys.argv[1], encoding="utf-8")):
    total += int(r["fatalities"])
    d = districts.get(key(r["admin2"])) if r["admin2"] and r["geo_precision"] != "3" else None
    if d and int(r["fatalities"]):
        want[d] = want.get(d, 0) + int(r["fatalities"])
got, drawn, points, areas = {}, 0, {}, {}
for line in open(sys.argv[2], encoding="utf-8"):
    m = re.match(r'circle claim ref="[^"]*@([^"#]*)" x=([\d.]+) y=([\d.]+) r=[\d.]+ value=(\d+)', line)
    if m:
        got[m.group(1)] = got.get(m.group(1), 0) + int(m.group(4))
        points[m.group(1)] = (m.group(2), m.group(3))
    m = re.match(r'circle claim .* value=(\d+)', line)
    if m:
        drawn += int(m.group(1))
    m = re.match(r'circle district ref="([^"]*)" x=([\d.]+) y=([\d.]+)', line)
    if m:
        areas[m.group(1)] = (m.group(2), m.group(3))
bad = [(d, got.get(d), v) for d, v in want.items() if got.get(d) != v]
off = [d for d in want if points.get(d) != areas.get(d)]
if bad or off or drawn != total or len(want) < 10:
    print("district, drawn, file:", bad, "not on the district's point:", off, "total", drawn, total)
    sys.exit(1)
PY
if grep -q "whose district is not known" "$work/district.txt"; then
    grep -q "District not known: " "$work/district.txt" ||
        fail "--group district: places of unknown district not named in the legend"
    grep -q "keep their own circle" "$work/district.err" ||
        fail "--group district: no warning naming the places of unknown district"
fi
grep -q '^text claim-label .*district: ' "$work/district.txt" ||
    fail "--group district: no label worded as a district ('Kech district: ...')"
render -o "$work/province.png" --scene "$work/province.txt" --group province ||
    fail "--group province failed"
got=$(panel_sums "$work/province.txt" | awk '$1 == "all" { print $2 }')
want=$(file_sums 4 | awk '$1 == "all" { print $2 }')
[[ $got == "$want" ]] || fail "--group province: drawn $got, the file $want"
n_prov=$(awk '$1 == "circle" && $2 == "claim" && /@Balochistan"/' "$work/province.txt" | wc -l)
((n_prov == 1)) || fail "--group province: $n_prov circles for Balochistan, want 1"

# A timeline batch on one scale: "scale_max": "shared".
cp "$src/examples/herof2-timeline.json" "$work/t.json"
cat >"$work/series.json" <<'JSON'
{"maps": [
 {"input": "t.json", "outputs": ["s1.png"], "options": {"as_of": "2026-01-31", "scale_max": "shared"}},
 {"input": "t.json", "outputs": ["s2.png"], "options": {"as_of": "2026-02-01", "scale_max": "shared"}},
 {"input": "t.json", "outputs": ["s3.png"], "options": {"as_of": "2026-02-04", "scale_max": "shared"}},
 {"input": "t.json", "outputs": ["own.png"], "options": {"as_of": "2026-01-31"}}
]}
JSON
"$balmap" batch "$work/series.json" -q || fail "batch with a shared scale failed"
top=0
for d in 2026-01-31 2026-02-01 2026-02-04; do
    "$balmap" render "$work/t.json" --as-of "$d" -o "$work/x.png" --scene "$work/s-$d.txt" -q
    m=$(awk '$1 == "circle" && $2 == "claim" { for (i = 3; i <= NF; i++) if ($i ~ /^value=[0-9]/) { sub(/^value=/, "", $i); if ($i + 0 > m) m = $i + 0 } } END { print m + 0 }' "$work/s-$d.txt")
    ((m > top)) && top=$m
done
((top > 0)) || fail "the series draws nothing"
n=1
for d in 2026-01-31 2026-02-01 2026-02-04; do
    "$balmap" render "$work/t.json" --as-of "$d" --scale-max "$top" -o "$work/r$n.png" -q
    cmp -s "$work/s$n.png" "$work/r$n.png" ||
        fail "batch map $n (as of $d) is not the map drawn with --scale-max $top"
    n=$((n + 1))
done
"$balmap" render "$work/t.json" --as-of 2026-01-31 -o "$work/own-r.png" -q
cmp -s "$work/own.png" "$work/own-r.png" || fail "a map without \"shared\" changed its scale"
cmp -s "$work/own.png" "$work/s1.png" && fail "the shared scale made no difference (test data?)"
echo '{"maps": [{"input": "t.json", "outputs": ["z.png"], "options": {"scale_max": "most"}}]}' >"$work/bad.json"
set +e
"$balmap" batch "$work/bad.json" 2>"$work/bad.err"
rc=$?
set -e
[[ $rc == 1 ]] && grep -q 'or "shared"' "$work/bad.err" ||
    fail "scale_max \"most\": exit $rc, $(cat "$work/bad.err")"

if ((n_bad > 0)); then
    echo "cli.facet: $n_bad failure(s)"
    exit 1
fi
echo "cli.facet: ok"
