#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# html.sh BALMAP SOURCE_DIR WORK_DIR - CTest cli.html: `balmap render -o map.html` writes one
# self-contained page (html.c). Checked as text (a policy forbidding requests, no external
# reference, every claim of the file in the table) and in headless Chromium by tests/cli/html-check.js: no
# request and no console error, a focused or pointed-at claim circle shows its tooltip, the
# table sorts. Screenshots of the page and of a tooltip are left in WORK_DIR. On a 390 px screen
# the page of a --size phone map, and the landscape page through its narrow copy (in English
# and in Urdu), show the narrow layout with legible labels (*/phone.png).
set -euo pipefail

if [[ $# -ne 3 ]]; then
    echo "usage: html.sh BALMAP SOURCE_DIR WORK_DIR" >&2
    exit 2
fi
balmap=$1
src=$2
work=$3
export LC_ALL=C.UTF-8
unset BALMAP_DATA_DIR

for tool in chromium node; do
    command -v "$tool" >/dev/null || {
        echo "html: '$tool' not found; run scripts/setup.sh"
        exit 1
    }
done

rm -rf "$work"
mkdir -p "$work"
n_bad=0
fail() {
    echo "FAIL: $1"
    n_bad=$((n_bad + 1))
}

echo "+ balmap render examples/herof2.json -o map.html"
(cd "$src" && "$balmap" render examples/herof2.json -o "$work/map.html") || {
    echo "html: render failed"
    exit 1
}
page=$work/map.html
echo "map.html: $(stat -c %s "$page") bytes"
grep -q '<meta http-equiv="Content-Security-Policy" content="default-src '"'none'"';' "$page" ||
    fail "no Content-Security-Policy forbidding requests"
if grep -q -E '(src|href)="(https?:)?//' "$page"; then
    fail "the page loads something from elsewhere"
fi
n_rows=$(grep -c '^<tr data-claim=' "$page" || true)
[[ $n_rows == 12 ]] || fail "the table has $n_rows claims; the file has 12"
# The file's notes on a claim and on its source are on the page (so in the tooltips), as written.
grep -qF 'Note:</span> Includes three suicide attackers.' "$page" ||
    fail "the claim's note is not on the page"
grep -qF 'About the source:</span> Relayed by The Express Tribune' "$page" ||
    fail "the source's note is not on the page"

node "$src/tests/cli/html-check.js" "$(command -v chromium)" "$page" "$work" ||
    fail "the page failed in Chromium (see above; screenshots in $work)"

# A phone-width map (--size phone) on a phone's screen: the narrow layout, legend under the map.
echo "+ balmap render examples/herof2.json --size phone -o phone.html"
(cd "$src" && "$balmap" render examples/herof2.json --size phone -q -o "$work/phone.html") ||
    fail "render --size phone -o phone.html failed"
grep -q 'class="map-narrow"' "$work/phone.html" && fail "the phone page has a second, narrow copy"
mkdir -p "$work/phone"
# (its 103 mm page inside the page's margins: 8 pt labels at 9.8 px, over the 7 pt floor of 9.3)
node "$src/tests/cli/html-check.js" "$(command -v chromium)" "$work/phone.html" "$work/phone" phone 9.3 ||
    fail "the phone page failed in Chromium (see above; $work/phone/phone.png)"

# The landscape page on a phone's screen shows its narrow copy (html.c), in English and in
# Urdu; the same page without the switch fails the check (its map has the legend beside it).
mkdir -p "$work/landscape"
node "$src/tests/cli/html-check.js" "$(command -v chromium)" "$page" "$work/landscape" phone ||
    fail "the landscape page failed on a phone's screen (see above; $work/landscape/phone.png)"
(cd "$src" && "$balmap" render examples/herof2.json --lang ur -q -o "$work/ur.html") ||
    fail "render --lang ur -o ur.html failed"
mkdir -p "$work/ur"
node "$src/tests/cli/html-check.js" "$(command -v chromium)" "$work/ur.html" "$work/ur" phone ||
    fail "the Urdu landscape page failed on a phone's screen (see above; $work/ur/phone.png)"
# the Urdu tooltip: the cells' words in Urdu, the file's (places, quote) as written
for want in 'ہلاک' 'عسکریت پسند' 'Quetta، Mastung' 'including three suicide attackers'; do
    grep -qF "$want" "$work/ur/tooltip.txt" || fail "the Urdu tooltip lacks '$want'"
done
grep -qE '^(killed|militants)$|, Mastung' "$work/ur/tooltip.txt" && fail "English words in the Urdu tooltip"
sed 's/@media (max-width:[0-9]*px)/@media (max-width:1px)/' "$page" >"$work/no-switch.html"
mkdir -p "$work/no-switch"
if node "$src/tests/cli/html-check.js" "$(command -v chromium)" "$work/no-switch.html" \
    "$work/no-switch" phone >"$work/no-switch.log" 2>&1; then
    fail "the phone check passed the landscape map without its narrow copy"
fi
# small multiples keep their one map: three panels 30 mm wide would help no phone
(cd "$src" && "$balmap" render examples/herof2-timeline.json --facet date -q -o "$work/facet.html") ||
    fail "render --facet date -o facet.html failed"
grep -q 'class="map-narrow"' "$work/facet.html" && fail "the page of small multiples has a narrow copy"
grep -q 'class="map-narrow"' "$page" || fail "the landscape page has no narrow copy"
echo "map.html: $(stat -c %s "$page") bytes; ur.html: $(stat -c %s "$work/ur.html") bytes"

if ((n_bad)); then
    echo "html: $n_bad problem(s); outputs in $work"
    exit 1
fi
echo "html: ok"
