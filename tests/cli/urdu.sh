#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# urdu.sh BALMAP SOURCE_DIR WORK_DIR - CTest cli.urdu: Urdu on the map. A source label with Urdu
# letters is isolated (U+2068 ... U+2069) in the claim label, the legend and the SVG, so the
# bidi algorithm keeps "BLA <urdu>, 31 Jan" in logical order; the default style's font list
# sets it in Nastaliq. --lang ur puts the map's own words in Urdu; --lang en (the default) is
# byte-identical. Checked on the scene dump and the SVG text; the PNGs are left in WORK_DIR.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/prologue.sh"

fsi=$'\u2068'
pdi=$'\u2069'
ur='بی ایل اے'
sed "s/\"label\": \"BLA\"/\"label\": \"BLA $ur\"/" "$src/examples/herof2.json" >"$work/mixed.json"
grep -q "BLA $ur" "$work/mixed.json" || fail "could not make the mixed-script input"

"$balmap" render "$work/mixed.json" -o "$work/mixed.png" -o "$work/mixed.svg" \
    --scene "$work/mixed.txt" 2>"$work/mixed.err" || fail "render of the mixed labels failed"
# the claim label: the name isolated, then the day, in logical order
grep -q "\\\\n${fsi}BLA ${ur}${pdi}, 31 Jan" "$work/mixed.txt" ||
    fail "claim label not '<FSI>BLA $ur<PDI>, 31 Jan'"
grep -q "\"${fsi}BLA ${ur}${pdi} — Baloch Liberation Army\"" "$work/mixed.txt" ||
    fail "legend source label not isolated"
grep -q "${fsi}BLA ${ur}${pdi}, 31 Jan" "$work/mixed.svg" || fail "the SVG text lost the isolates"
grep -q "Noto Nastaliq Urdu" "$work/mixed.svg" || fail "the SVG does not name Nastaliq"
# names without right-to-left letters are not wrapped
grep -q "${fsi}ISPR" "$work/mixed.txt" && fail "an English name was isolated"

# --lang ur: the map's own words in Urdu; names stay, isolated, in a right-to-left line
rlm=$'\u200f'
"$balmap" render "$src/examples/herof2.json" --lang ur -o "$work/ur.png" --scene "$work/ur.txt" \
    2>"$work/ur.err" || fail "render --lang ur failed"
grep -q '^text legend-heading .*"دعوے کے مطابق ہلاک"' "$work/ur.txt" ||
    fail "--lang ur: the legend heading is not Urdu"
grep -qF "\"92 عسکریت پسند ہلاک\\n${rlm}${fsi}ISPR${pdi}، 31 جنوری · 9 مقامات\"" "$work/ur.txt" ||
    fail "--lang ur: claim label not '92 <militants killed>\\n<RLM><FSI>ISPR<PDI>, 31 <January>'"
grep -q 'Claimed killed' "$work/ur.txt" && fail "--lang ur: English legend words left"
# --lang en is the default: the same scene, byte for byte
"$balmap" render "$src/examples/herof2.json" -o "$work/en.png" --scene "$work/en.txt" 2>/dev/null
"$balmap" render "$src/examples/herof2.json" --lang en -o "$work/en2.png" --scene "$work/en2.txt" \
    2>/dev/null
cmp -s "$work/en.txt" "$work/en2.txt" || fail "--lang en differs from the default"
grep -q '"Claimed killed"' "$work/en.txt" || fail "the English legend heading changed"
"$balmap" render "$src/examples/herof2.json" --lang fr -o "$work/fr.png" 2>"$work/fr.err" &&
    fail "--lang fr was accepted"
[[ -e $work/fr.png ]] && fail "--lang fr wrote a file"

if ((n_bad > 0)); then
    echo "urdu: $n_bad problem(s); outputs in $work"
    exit 1
fi
echo "urdu: ok; outputs in $work"
