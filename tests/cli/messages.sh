#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# messages.sh BALMAP SOURCE_DIR WORK_DIR CASE - CTest cli.message.CASE (issue 14, items 4, 6 and
# 7): each case makes its input (large ones generated here, never committed), runs balmap and
# checks the exit code and the words of the message: what is wrong, where (file, line, pointer)
# and what to do. tests/cli/messages.md sets each case beside the message it replaced.
set -euo pipefail

case_name=${4:-}
set -- "${@:1:3}"
source "$(dirname "${BASH_SOURCE[0]}")/prologue.sh"
cd "$work"
herof=$src/examples/herof2.json

# run WANT_EXIT balmap-args...: runs balmap, keeps its stderr in $work/stderr, checks the exit.
run() {
    local want=$1
    shift
    rc=0
    "$balmap" "$@" >"$work/stdout" 2>"$work/stderr" || rc=$?
    echo "+ balmap $* (exit $rc)"
    sed 's/^/  /' "$work/stderr"
    [[ $rc == "$want" ]] || fail "exit $rc, expected $want"
}
# says TEXT: stderr holds TEXT (fixed string).
says() {
    grep -qF -- "$1" "$work/stderr" || fail "the message does not say: $1"
}
# never_says TEXT: stderr does not hold TEXT.
never_says() {
    if grep -qF -- "$1" "$work/stderr"; then fail "the message says: $1"; fi
}
# n_messages N: stderr has N lines starting "balmap: " (problems, not excerpts or hints).
n_messages() {
    local n
    n=$(grep -c '^balmap: ' "$work/stderr" || true)
    [[ $n == "$1" ]] || fail "$n messages, expected $1"
}
# An incident file of one claim at a pinned place.
pinned() { # LAT
    cat <<JSON
{"balmap": 1, "title": "Pinned",
 "sources": [{"id": "a", "label": "A", "kind": "military"}],
 "places": [{"name": "Pole", "kind": "town", "lat": $1, "lon": 66,
             "source": "test"}],
 "incidents": [{"id": "i", "date": "2026-01-31", "claims": [
   {"source": "a", "what": "killed", "who": "militants", "value": 3, "places": ["Pole"],
    "claimed_on": "2026-01-31"}]}]}
JSON
}

case $case_name in
empty-json)
    : >empty.json
    run 1 render empty.json -o map.png
    says "empty.json:1:1: invalid JSON: the file is empty"
    says "hint: an empty file is not JSON"
    ;;
empty-csv)
    : >empty.csv
    run 1 render empty.csv -o map.png
    says "empty.csv:1:1: empty file; expected a header line"
    says "hint: the first line names the columns"
    ;;
empty-geojson)
    : >empty.geojson
    run 1 render empty.geojson -o map.png
    says "empty.geojson:1:1: invalid JSON: the file is empty"
    ;;
nesting)
    {
        printf '{"balmap": 1, "title": '
        printf '[%.0s' {1..1200}
        printf ']%.0s' {1..1200}
        printf '}\n'
    } >deep.json
    run 1 render deep.json -o map.png
    says "deep.json:1:1023: nesting deeper than 1000 levels of arrays and objects"
    says "hint: flatten the data"
    never_says "unexpected '['"
    # The excerpt of a 2,400-character line is the part around the caret.
    excerpt=$(sed -n 2p stderr)
    ((${#excerpt} < 200)) || fail "an excerpt of ${#excerpt} characters"
    ;;
surrogate)
    printf '{"balmap": 1, "title": "a\\ud800b", "sources": [], "incidents": []}\n' >sur.json
    run 1 render sur.json -o map.png
    says 'sur.json:1:26: lone surrogate "\uD800" in a string'
    says "hint: a \\uD800-\\uDBFF escape must be followed by a \\uDC00-\\uDFFF one"
    never_says "unexpected '\\'"
    ;;
size-range)
    run 2 render "$herof" --size 5000x5000mm -o map.pdf
    says "size '5000x5000mm' is out of range: each side of WxHmm must be from 50 to 2000 mm"
    never_says "unknown size"
    ;;
extent-inverted)
    run 1 render "$herof" --extent 60.8,32.2,70.3,24.8 -o map.png
    says "invalid extent '60.8,32.2,70.3,24.8': inverted: lat_min 32.2 is north of lat_max 24.8"
    says "west before east and south before north"
    ;;
extent-empty)
    run 1 render "$herof" --extent 65,24.8,65,32.2 -o map.png
    says "invalid extent '65,24.8,65,32.2': empty: lon_min equals lon_max"
    ;;
extent-antimeridian)
    run 1 render "$herof" --extent 170,24.8,-170,32.2 -o map.png
    says "it crosses the 180th meridian (lon_min 170 is east of lon_max -170)"
    ;;
pin-pole)
    pinned 90 >pole.json
    run 1 render pole.json -o map.png
    says "pole.json:3: /places/0: the pin of place 'Pole' is at latitude 90, too near the pole"
    says "hint: check the pin's 'lat' and 'lon'"
    never_says "extent"
    ;;
layer-prj)
    mkdir -p layer
    cp "$src/tests/data/layer-utm42n/provinces."{shp,shx,dbf} layer/
    run 1 render "$herof" -o map.png --layer layer/provinces.shp:prov_name
    says "layer/provinces.shp: 'layer/provinces.shp' has no coordinate system: "
    says "'layer/provinces.prj' is missing"
    echo garbage >layer/provinces.prj
    run 1 render "$herof" -o map.png --layer layer/provinces.shp:prov_name
    says "has no usable coordinate system: GDAL could not read 'layer/provinces.prj'"
    never_says "cannot be projected"
    ;;
utf16-bom)
    iconv -f UTF-8 -t UTF-16 "$herof" >utf16.json
    run 1 render utf16.json -o map.png
    says "utf16.json:1: the file is UTF-16 text; expected UTF-8"
    says "iconv -f UTF-16 -t UTF-8"
    n_messages 1
    ;;
utf16-csv)
    iconv -f UTF-8 -t UTF-16LE "$src/tests/data/acled-small.csv" >utf16.csv
    run 1 validate utf16.csv
    says "utf16.csv:1: the file is UTF-16 text; expected UTF-8"
    n_messages 1
    never_says "NUL byte"
    ;;
claims-without-figures)
    # 100,000 statements without figures: none can be drawn or listed on one page.
    awk 'BEGIN {
        printf "{\"balmap\": 1, \"title\": \"Statements\",\n"
        printf " \"sources\": [{\"id\": \"a\", \"label\": \"A\", \"kind\": \"military\"}],\n"
        printf " \"incidents\": [\n"
        for (i = 0; i < 100000; i++)
            printf "  {\"id\": \"i%d\", \"date\": \"2026-01-31\", \"claims\": [{\"source\": \"a\", " \
                   "\"what\": \"killed\", \"who\": \"militants\", \"places\": [\"Quetta\"], " \
                   "\"claimed_on\": \"2026-01-31\"}]}%s\n", i, i < 99999 ? "," : ""
        printf "]}\n"
    }' >statements.json
    run 1 render statements.json -o map.png -q
    says "100000 claims are not sized on the map (no figure, or another measure or party): too many to list beside it"
    says "the first: /incidents/0/claims/0 (line 4), /incidents/1/claims/0 (line 5)"
    says "hint: map fewer claims at a time"
    never_says "too many claims to list"
    [[ ! -e map.png ]] || fail "a map was written"
    ;;
margins)
    sed 's/"margin_mm": [0-9.]*/"margin_mm": 40/; s/"panel_width_mm": [0-9.]*/"panel_width_mm": 200/' \
        "$src/styles/default.json" >wide-margins.json
    grep -q '"margin_mm": 40' wide-margins.json || fail "the style was not made"
    run 1 render "$herof" --style wide-margins.json --size A4 -o map.pdf
    says "wide-margins.json: the style's margins do not fit the page: margin_mm 40 (default 6), panel_width_mm 200 (default 80) leave 13x104 mm for the map on this 297x210 mm page"
    says "hint: lower them in wide-margins.json"
    never_says "the page is too small"
    ;;
fallback-font)
    sed 's/"font_family": "[^"]*"/"font_family": "Nosuch Sans"/; s/"font_fallback": "[^"]*"/"font_fallback": "Nosuch Fallback"/' \
        "$src/styles/default.json" >no-fonts.json
    run 0 render "$herof" --style no-fonts.json -o map.png
    says "font 'Nosuch Sans' is not installed, nor the fallback font 'Nosuch Fallback'; using the system's substitute '"
    never_says "using 'Nosuch Fallback'"
    ;;
manifest-secret)
    # A manifest may name any file; an error never quotes a line of one that is not of the kind
    # it was named as (before: the first line of /etc/shadow, run as root).
    printf 'root:$y$j9T$SECRETHASH:19000:0:99999:7:::\n' >secret
    for how in '"input": "secret"' '"input": "secret", "options": {"input_format": "geojson"}' \
        "\"input\": \"$herof\", \"options\": {\"style\": \"secret\"}" \
        "\"input\": \"$herof\", \"options\": {\"gazetteer\": [\"secret\"]}"; do
        printf '{"maps": [{"outputs": ["out.png"], %s}]}\n' "$how" >manifest.json
        run 1 batch manifest.json
        says "secret:1: not a"
        never_says "SECRETHASH"
        never_says "root:"
    done
    ;;
geocode-nul)
    printf 'Quetta\nNoshki\nTurb\0at\nGwadar\n' >names.txt
    run 1 geocode -f names.txt
    says "names.txt:3:5: NUL byte in the list of names; expected UTF-8 text, one name a line"
    [[ ! -s stdout ]] || fail "names were resolved from a list cut at its NUL byte"
    run 1 geocode -f - <names.txt
    says "<stdin>:3:5: NUL byte in the list of names"
    ;;
link-scheme)
    # A link the web page makes clickable: a javascript: url would run in the reader's browser.
    sed 's|"claimed_on": "2026-01-31"}|"claimed_on": "2026-01-31", "url": "javascript:alert(2)"}|' \
        <(pinned 30) >js.json
    grep -q javascript js.json || fail "the fixture has no javascript: url"
    run 1 validate js.json
    says "js.json:6: /incidents/0/claims/0/url: the claim's url 'javascript:alert(2)' is not a web address"
    says "hint: write the link in full, starting with https:// or http://"
    run 1 render js.json -o js.html
    [[ ! -e js.html ]] || fail "a page was written with a javascript: link"
    sed 's|"kind": "military"}|"kind": "military", "url": "data:text/html,x"}|' <(pinned 30) >data.json
    run 1 validate data.json
    says "/sources/0/url: the source's url 'data:text/html,x' is not a web address"
    sed 's|"kind": "military"}|"kind": "military", "url": "HTTPS://example.org/a"}|' <(pinned 30) >ok.json
    run 0 validate ok.json
    ;;
options-after-operands)
    # Options may follow the file or the names, as they may for render (getopt's order).
    printf 'name\tkind\tlat\tlon\tsource\nGorgop\ttown\t26.1\t63.1\ttest\n' >user.tsv
    run 0 geocode Gorgop -g user.tsv
    grep -q "Gorgop" stdout || fail "geocode did not resolve Gorgop from -g after the name"
    never_says "unknown place '-g'"
    run 0 validate "$herof" -q -g user.tsv
    never_says "invalid JSON"
    ;;
*)
    echo "messages.sh: unknown case '$case_name'" >&2
    exit 2
    ;;
esac

if ((n_bad)); then
    echo "messages $case_name: $n_bad problem(s); files in $work"
    exit 1
fi
echo "messages $case_name: ok"
