#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# text-limits.sh BALMAP SOURCE_DIR WORK_DIR - CTest cli.text_limits (issue 14, items 3 and 4):
# - a --title of 60,000 combining accents (before: over a minute of Pango line breaking) and a
#   JSON title of 10 MB are refused at once, naming the limit; a --title at the limit renders;
# - a blank --title ("   ", or no-break spaces) is refused with a hint, "" is a usage error;
# - control characters in text from the command line, JSON, CSV and GeoJSON are refused with
#   the code point, the file and the line, and no output is written;
# - tabs and line breaks (which XML allows) are read as spaces in titles and names: every SVG
#   and HTML written from such input parses (xmllint) and holds no character XML forbids;
# - a CSV with a byte-order mark and a quoted header is read (before: "'\"' inside an unquoted
#   field").
# Each check runs under `timeout`, so one that hangs fails instead of stalling the suite.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/prologue.sh"

cp "$src/examples/herof2.json" "$work/a.json"
run() { # run NAME balmap-args...: exit code in rc, messages in $work/NAME.err
    local name=$1
    shift
    rc=0
    (cd "$work" && timeout 60 "$balmap" "$@") >"$work/$name.out" 2>"$work/$name.err" || rc=$?
}
expect() { # expect NAME RC TEXT...: the exit code, and each TEXT in the messages
    local name=$1 want=$2
    shift 2
    [[ $rc == "$want" ]] || fail "$name: exit $rc, want $want ($(head -c 300 "$work/$name.err"))"
    for text in "$@"; do
        grep -qF -- "$text" "$work/$name.err" || fail "$name: no '$text' in: $(head -c 300 "$work/$name.err")"
    done
}
no_output() { # no_output NAME FILE...: none of the files was written
    local name=$1
    shift
    for f in "$@"; do
        [[ ! -e $work/$f ]] || fail "$name: $f was written"
    done
}
# Whether every character of the files is one XML 1.0 allows (and no C1 control or DEL).
xml_chars_ok() {
    python3 - "$@" <<'PY'
import re, sys
bad = re.compile('[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]')
sys.exit(any(bad.search(open(p, encoding='utf-8').read()) for p in sys.argv[1:]))
PY
}
json_with() { # json_with FILE PYTHON-EXPR: a.json with the edit applied to d
    python3 - "$work/a.json" "$work/$1" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
exec(sys.argv[3])
json.dump(d, open(sys.argv[2], 'w'), ensure_ascii=False)
PY
}

echo "+ over-long titles are refused at once"
accents=$(python3 -c "print('a' + '\u0301' * 60000, end='')")
run accents render a.json -o accents.svg --title "$accents"
expect accents 1 "--title" "60001 characters long; balmap takes up to 500" "docs/limits.md"
no_output accents accents.svg
json_with big.json "d['title'] = 'A' * (10 * 1024 * 1024)"
run big render big.json -o big.svg
expect big 1 "big.json" "/title" "10485760 characters long; balmap takes up to 500"
no_output big big.svg
json_with accents.json "d['title'] = 'a' + '\u0301' * 100000"
run accents-json validate accents.json
expect accents-json 1 "/title" "100001 characters long"

echo "+ a title at the limit is drawn, one past it refused"
title=$(python3 -c "print(('Claims and counterclaims ' * 40)[:499] + 'x', end='')")
run at-limit render a.json -o at.svg --size 594x420mm --title "$title"
expect at-limit 0
run past-limit render a.json -o past.svg --size 594x420mm --title "${title}y"
expect past-limit 1 "501 characters long; balmap takes up to 500"
no_output past-limit past.svg

echo "+ blank titles"
run blank render a.json -o blank.svg --title "   "
expect blank 1 "is blank" "leave it out"
run nbsp render a.json -o blank.svg --title $'\u00a0\u3000'
expect nbsp 1 "is blank"
run empty render a.json -o blank.svg --title ""
expect empty 2 "--title must not be empty"
no_output blank blank.svg
json_with blank.json "d['title'] = '\u00a0 '"
run blank-json validate blank.json
expect blank-json 1 "/title" "is blank"

echo "+ control characters: refused with the code point, the file and the line"
run cli-bel render a.json -o bel.svg --title $'Herof\a 2.0'
expect cli-bel 1 "U+0007 (BEL)" "--title"
json_with bel.json "d['incidents'][0]['claims'][1]['quote'] = 'killed\u0007 92'"
run json-bel render bel.json -o bel.svg -o bel.html
expect json-bel 1 "bel.json" "/incidents/0/claims/1/quote" "U+0007 (BEL)"
json_with esc.json "d['sources'][0]['label'] = 'IS\u001bPR'"
run json-esc validate esc.json
expect json-esc 1 "/sources/0/label" "U+001B (ESC)"
printf 'event_date,location,latitude,longitude,geo_precision,source,fatalities,notes\n2026-01-02,Quetta,30.18,67.0,1,Dawn,1,ok\n2026-01-03,Mastung,29.8,66.84,1,Dawn,1,"a\vb"\n' >"$work/vt.csv"
run csv-vt render vt.csv -o vt.svg
expect csv-vt 1 "vt.csv:3" "U+000B (VT)"
cat >"$work/del.geojson" <<'JSON'
{"type": "FeatureCollection", "features": [
{"type": "Feature", "geometry": {"type": "Point", "coordinates": [66.99, 30.18]},
 "properties": {"source": "ispr", "what": "killed", "who": "militants", "value": 5,
  "place": "Quetta", "claimed_on": "2026-01-02", "reported_by": "Da\u007fwn"}}]}
JSON
run geojson-del render del.geojson -o del.svg
expect geojson-del 1 "del.geojson:2" "/features/0" "U+007F (DEL)"
no_output control bel.svg bel.html vt.svg del.svg

echo "+ tabs and line breaks: spaces in titles and names; every output parses"
json_with tab.json "d['title'] = 'Herof\t2.0\r\nwho claims what'; \
c = d['incidents'][0]['claims'][0]; c['quote'] = 'line one\r\n\tline two'; \
c['places'][0] = c['places'][0] + '\t'"
run tab render tab.json -o tab.svg -o tab.html --title $'Herof\t2.0\nagain'
expect tab 0
run tab-file render tab.json -o tab-file.svg -o tab-file.html
expect tab-file 0
printf 'event_date,location,latitude,longitude,geo_precision,source,fatalities,notes\n2026-01-02,Quetta\t,30.18,67.0,1,Dawn,1,"two\r\nlines\tand a tab"\n' >"$work/tab.csv"
run tab-csv render tab.csv -o tab-csv.svg -o tab-csv.html
expect tab-csv 0
for f in tab tab-file tab-csv; do
    if [[ -e $work/$f.svg ]]; then
        xmllint --noout "$work/$f.svg" 2>"$work/$f.xmllint" || fail "$f.svg does not parse: $(head -c 300 "$work/$f.xmllint")"
        xml_chars_ok "$work/$f.svg" "$work/$f.html" || fail "$f: a character XML forbids in the SVG or HTML"
    fi
done
grep -q 'Herof 2.0 who claims what' "$work/tab-file.svg" || fail "tab-file.svg: the title's tab and line break are not spaces"

echo "+ a CSV place name past the limit; a file one byte past 1 GiB (sparse: no disk)"
long=$(printf 'K%.0s' {1..201})
printf 'event_date,location,latitude,longitude,geo_precision,source,fatalities\n2026-01-02,%s,30.18,67.0,1,Dawn,1\n' "$long" >"$work/long.csv"
run long-csv validate long.csv
expect long-csv 1 "long.csv:2" "a place name is 201 characters long; balmap takes up to 200"
truncate -s $(((1 << 30) + 1)) "$work/huge.json"
run huge validate huge.json
expect huge 1 "huge.json" "up to 1 GiB" "docs/limits.md"
rm -f "$work/huge.json"

echo "+ a CSV with a byte-order mark and a quoted header"
printf '\xEF\xBB\xBF"event_date","location","latitude","longitude","geo_precision","source","fatalities"\r\n"2026-01-02","Quetta","30.18","67.0","1","Dawn","1"\r\n' >"$work/bom.csv"
run bom validate bom.csv
expect bom 0
run bom-render render bom.csv -o bom.svg
expect bom-render 0

if ((n_bad > 0)); then
    echo "text-limits: $n_bad failure(s)"
    exit 1
fi
echo "text-limits: ok"
