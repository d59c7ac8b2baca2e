#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# urdu.sh BALMAP SOURCE_DIR WORK_DIR - CTest cli.urdu: Urdu on the map. A source label with Urdu
# letters is isolated (U+2068 ... U+2069) in the claim label, the legend and the SVG, so the
# bidi algorithm keeps "BLA <urdu>, 31 Jan" in logical order; the default style's font list
# sets it in Nastaliq. --lang ur puts the map's own words in Urdu; --lang en (the default) is
# byte-identical. --labels ur/en+ur put the gazetteer's cited Urdu names on places; numbers are
# grouped (1,705); the words come from lang/*.tsv in the data directory, Urdu falling back to
# English key by key. Checked on the scene dump and the SVG text; the PNGs are left in WORK_DIR.
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
grep -q 'textLength=' "$work/mixed.svg" && fail "an English map's SVG has text held to a length"
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
# Right-to-left paragraphs of the legend and notes end at the column's right edge (their box is
# the column: x + w the same for the headings, the circle note, the list and the Urdu notes);
# the file's English notes keep their own width, flush left; keys beside their symbol too.
ends=$(awk '$1 == "text" && ($2 ~ /^(legend-heading|legend-note|also-claimed)$/ ||
    ($2 == "note" && $0 ~ /[ء-ی]/)) {
        for (i = 3; i <= NF; i++) { if ($i ~ /^x=/) x = substr($i, 3); if ($i ~ /^w=/) w = substr($i, 3) }
        printf "%.1f\n", x + w }' "$work/ur.txt" | sort -u)
[[ $(wc -l <<<"$ends") == 1 && -n $ends ]] ||
    fail "--lang ur: the Urdu legend and note paragraphs do not end at one right edge: $(echo $ends)"
awk -v end="$ends" '$1 == "text" && $2 == "note" && $0 ~ /Every figure/ {
        for (i = 3; i <= NF; i++) { if ($i ~ /^x=/) x = substr($i, 3); if ($i ~ /^w=/) w = substr($i, 3) }
        found = 1; exit !(x + w < end - 1) } END { exit !found }' "$work/ur.txt" ||
    fail "--lang ur: an English note of the file is not flush left"
# A label with no room, listed under its number: its lines joined by the Urdu comma, the line
# starting with a RIGHT-TO-LEFT MARK.
"$balmap" render "$src/examples/herof2.json" --lang ur --size phone -q -o "$work/ur-phone.png" \
    --scene "$work/ur-phone.txt" || fail "render --lang ur --size phone failed"
grep -qF "\"${rlm}1: 41 عسکریت پسند ہلاک، ${rlm}${fsi}ISPR${pdi}، 30 جنوری" "$work/ur-phone.txt" ||
    fail "--lang ur: the callout list does not join a label's lines with '، '"
grep -q '^text callouts .*ہلاک, ' "$work/ur-phone.txt" && fail "--lang ur: an English comma in the callouts"

# --lang en is the default: the same scene, byte for byte
"$balmap" render "$src/examples/herof2.json" -o "$work/en.png" --scene "$work/en.txt" 2>/dev/null
"$balmap" render "$src/examples/herof2.json" --lang en -o "$work/en2.png" --scene "$work/en2.txt" \
    2>/dev/null
cmp -s "$work/en.txt" "$work/en2.txt" || fail "--lang en differs from the default"
grep -q '"Claimed killed"' "$work/en.txt" || fail "the English legend heading changed"
"$balmap" render "$src/examples/herof2.json" --lang fr -o "$work/fr.png" 2>"$work/fr.err" &&
    fail "--lang fr was accepted"
[[ -e $work/fr.png ]] && fail "--lang fr wrote a file"

# --labels: the gazetteer's cited Urdu names (Quetta -> کوئٹہ, the Urdu of its alt_names, not
# the Pashto کوټه), English where none is cited, and a note saying how many; en+ur both.
# (1800 px wide: at 1600 the Urdu legend, one note longer, is set under 7 pt at 96 px per inch)
"$balmap" render "$src/examples/herof2.json" --lang ur --labels ur --width 1800 --height 1350 \
    -o "$work/ur-ur.svg" --scene "$work/ur-ur.txt" 2>"$work/ur-ur.err" ||
    fail "render --labels ur failed"
grep -qF "text place-label ref=\"Quetta\" " "$work/ur-ur.txt" || fail "--labels ur: no Quetta label"
# its right-to-left lines held to Pango's width, so a browser's wider Nastaliq stays in its column
grep -q '<tspan x="[0-9.]*" y="[0-9.]*" textLength="[0-9.]*" lengthAdjust="spacingAndGlyphs">' \
    "$work/ur-ur.svg" || fail "--lang ur: the SVG's Urdu lines have no textLength"
grep -qF "\"${fsi}کوئٹہ${pdi}\"" "$work/ur-ur.txt" || fail "--labels ur: Quetta not کوئٹہ"
grep -qF "\"${fsi}ضلع کیچ${pdi}\"" "$work/ur-ur.txt" || fail "--labels ur: Kech district not ضلع کیچ"
# countries and provinces in Urdu too (region.* in lang/ur.tsv), neither upper-cased nor spaced
grep -q '^text region-label ref="Iran" .*"ایران"' "$work/ur-ur.txt" ||
    fail "--labels ur: Iran is not ایران"
grep -q '^text region-label ref="Afghanistan" .*"افغانستان"' "$work/ur-ur.txt" ||
    fail "--labels ur: Afghanistan is not افغانستان"
grep -q '^text place-label ref="Mastung".*"Mastung"' "$work/ur-ur.txt" ||
    fail "--labels ur: Mastung (no Urdu name cited) is not in English"
grep -qE '^text note .*"[0-9]+ میں سے [0-9]+ مقامات کے نام انگریزی میں ہیں' "$work/ur-ur.txt" ||
    fail "--labels ur: the notes do not say how many names are in English"
"$balmap" render "$src/examples/herof2.json" --labels en+ur -o "$work/en-both.png" \
    --scene "$work/en-both.txt" 2>"$work/en-both.err" || fail "render --labels en+ur failed"
grep -qF "\"Quetta ${fsi}کوئٹہ${pdi}\"" "$work/en-both.txt" || fail "--labels en+ur: not 'Quetta کوئٹہ'"
grep -qE '^text note .*"[0-9]+ of [0-9]+ place names are in English' "$work/en-both.txt" ||
    fail "--labels en+ur: the English note on names is missing"
"$balmap" render "$src/examples/herof2.json" --labels en -o "$work/en3.png" --scene "$work/en3.txt" \
    2>/dev/null
cmp -s "$work/en.txt" "$work/en3.txt" || fail "--labels en differs from the default"
"$balmap" render "$src/examples/herof2.json" --labels fa -o "$work/fa.png" 2>/dev/null &&
    fail "--labels fa was accepted"

# Numbers in digit groups: 1,705 in English and in Urdu (Western digits, lang/ur.tsv says why).
sed 's/"value": 92,/"value": 1705,/' "$src/examples/herof2.json" >"$work/big.json"
"$balmap" render "$work/big.json" -o "$work/big.svg" --scene "$work/big.txt" 2>/dev/null ||
    fail "render of 1705 failed"
grep -qF '"1,705 militants killed\n' "$work/big.txt" || fail "1705 not written 1,705"
"$balmap" render "$work/big.json" --lang ur -o "$work/big-ur.svg" --scene "$work/big-ur.txt" \
    2>/dev/null || fail "render --lang ur of 1705 failed"
grep -qF '"1,705 عسکریت پسند ہلاک\n' "$work/big-ur.txt" || fail "--lang ur: 1705 not 1,705"

# The words come from the data directory's lang/: a key Urdu's file lacks falls back to English,
# and a data directory without lang/en.tsv is refused, naming it, with nothing written.
mkdir -p "$work/data/lang"
ln -s "$src/shapes" "$work/data/shapes"
ln -s "$src/styles" "$work/data/styles"
cp "$src/lang/en.tsv" "$work/data/lang/en.tsv"
grep -v '^killed	' "$src/lang/ur.tsv" >"$work/data/lang/ur.tsv"
"$balmap" render "$src/examples/herof2.json" --data-dir "$work/data" --lang ur \
    -o "$work/fallback.svg" --scene "$work/fallback.txt" 2>/dev/null || fail "render with a key missing failed"
grep -q '^text legend-heading .*"دعوے کے مطابق killed"' "$work/fallback.txt" ||
    fail "a key missing from ur.tsv did not fall back to English"
rm "$work/data/lang/en.tsv"
rc=0
"$balmap" render "$src/examples/herof2.json" --data-dir "$work/data" -o "$work/nolang.png" \
    2>"$work/nolang.err" || rc=$?
((rc == 3)) || fail "no lang/en.tsv: exit $rc, not 3"
grep -q "lang/en.tsv" "$work/nolang.err" || fail "no lang/en.tsv: the message does not name it"
[[ -e $work/nolang.png ]] && fail "no lang/en.tsv: a file was written"

# The web page in Urdu: its language and direction, its own words from ur.tsv, and the map
# inside kept left to right (CSS direction would flip its text anchors).
"$balmap" render "$src/examples/herof2.json" --lang ur -o "$work/ur.html" -q ||
    fail "render --lang ur -o ur.html failed"
grep -q '<html lang="ur" dir="rtl">' "$work/ur.html" || fail "the Urdu page is not lang=ur dir=rtl"
grep -qE '<figure id="page-map"( class="has-narrow")? dir="ltr">' "$work/ur.html" ||
    fail "the map is not kept ltr"
grep -q '<h2 id="page-claims-h">تمام دعوے</h2>' "$work/ur.html" ||
    fail "the claims heading is not Urdu"
grep -q '<button type="button">ذریعہ</button>' "$work/ur.html" ||
    fail "the table's first heading is not Urdu"
grep -q 'Every claim\|Legend</h2>' "$work/ur.html" && fail "English page words on the Urdu page"
# ... and so are the table's cells and the circles' names (the tooltips are made of the cells):
# the measure, who, the figure's bound and the joiners; the file's own words stay as written.
for cell in '<td>ہلاک</td><td>عسکریت پسند</td>' '<td>زخمی</td><td>سیکیورٹی فورسز</td>' \
    '>درجنوں (کم از کم 12)</td>' '>30 سے زیادہ</td><td>تباہ</td><td><bdi>government properties</bdi></td>' \
    '<td><bdi>Quetta</bdi>، <bdi>Mastung</bdi>، <bdi>Nushki</bdi>،' '<q dir="auto">during which' '<p>کلید میں دکھائے گئے دائروں کے سائز: 100، 25، 5</p>' \
    'aria-label="ISPR: 92 عسکریت پسند ہلاک؛ Quetta، Mastung' 'BLA: 84 سیکیورٹی اہلکار ہلاک؛'; do
    grep -qF "$cell" "$work/ur.html" || fail "the Urdu page lacks '$cell'"
done
for english in '<td>killed</td>' '<td>militants</td>' '<td>security forces</td>' \
    '">dozens (at least' '">more than 30</td>' 'Quetta, Mastung' ', 25, 5' '; claimed ' ' killed;'; do
    grep -qF "$english" "$work/ur.html" && fail "English words on the Urdu page: '$english'"
done
"$balmap" render "$src/examples/herof2.json" -o "$work/en.html" -q || fail "render en.html failed"
grep -q '<html lang="en">' "$work/en.html" || fail "the English page is not lang=en"
grep -q '<h2 id="page-claims-h">Every claim</h2>' "$work/en.html" ||
    fail "the English claims heading changed"

if ((n_bad > 0)); then
    echo "urdu: $n_bad problem(s); outputs in $work"
    exit 1
fi
echo "urdu: ok; outputs in $work"
