#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# symbols.sh BALMAP SOURCE_DIR WORK_DIR - CTest cli.symbols (issue 9 items 4 and 6), on the scene
# dump:
# - the legend keys only the symbols the map draws: a key (leader line, claim in brackets, tick,
#   dashed ring, town, district) is shown if and only if its symbol is on the map, over the
#   example maps and a one-claim map that needs only the town key;
# - a claim naming several places is one circle in brackets, with ticks or leader lines to its
#   places, never a fan of lines from an aggregate of more than three places;
# - any number of sources: 20 sources (the file made here) render with exit 0, 20 legend
#   entries and 20 distinct fills, whether of mixed kinds or all of one kind.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/prologue.sh"

# key role -> the role of the map symbol it explains
keys=("key-leader:leader" "key-aggregate:claim-bracket" "key-tick:claim-tick"
    "key-upper:claim-upper" "key-place:place" "key-district:district")

# check_keys NAME SCENE: every key shown has its symbol drawn, and every symbol drawn its key.
check_keys() {
    local name=$1 scene=$2 pair key sym n_key n_sym
    for pair in "${keys[@]}"; do
        key=${pair%%:*}
        sym=${pair#*:}
        n_key=$(awk -v r="$key" '$2 == r' "$scene" | wc -l)
        n_sym=$(awk -v r="$sym" '$2 == r' "$scene" | wc -l)
        if ((n_key > 0 && n_sym == 0)); then
            fail "$name: the legend shows $key but the map draws no $sym"
        elif ((n_key == 0 && n_sym > 0)); then
            fail "$name: the map draws $n_sym $sym but the legend has no $key"
        fi
    done
}

render() { # NAME ARGS...: renders WORK/NAME.png and WORK/NAME.txt
    local name=$1
    shift
    "$balmap" render "$@" -o "$work/$name.png" --scene "$work/$name.txt" -q ||
        fail "$name: render failed (exit $?)"
}

render herof2 "$src/examples/herof2.json"
render herof2-phone "$src/examples/herof2.json" --size phone
render security "$src/examples/herof2.json" --party security_forces
render timeline "$src/examples/herof2-timeline.json"
render first-day "$src/examples/herof2-timeline.json" --as-of 2026-01-31
render by-source "$src/examples/herof2-timeline.json" --facet source
for name in herof2 herof2-phone security timeline first-day by-source; do
    check_keys "$name" "$work/$name.txt"
done

# The seed map: its aggregates are in brackets, and no aggregate of more than three places
# has leader lines (they had 38 lines; ticks mark the places instead).
n_brackets=$(awk '$2 == "claim-bracket"' "$work/herof2.txt" | wc -l)
((n_brackets == 5)) || fail "herof2: $n_brackets claims in brackets, expected the 5 aggregates"
for id in ispr-militants-killed ispr-security-killed bla-security-killed; do
    grep -q "^line leader ref=\"$id\"" "$work/herof2.txt" &&
        fail "herof2: $id (more than three places) has leader lines"
done
grep -q '^line claim-tick ref="ispr"' "$work/herof2.txt" || fail "herof2: no ISPR ticks"
grep -q '^line claim-tick ref="bla"' "$work/herof2.txt" || fail "herof2: no BLA ticks"

# One claim at one town: only the town key; no leader, bracket, tick, ring or district key.
cat >"$work/one.json" <<'JSON'
{"balmap": 1, "title": "One claim",
 "sources": [{"id": "a", "label": "A", "kind": "military"}],
 "incidents": [{"id": "i", "date": "2026-01-31", "claims": [
   {"source": "a", "what": "killed", "who": "militants", "value": 5, "places": ["Turbat"],
    "claimed_on": "2026-01-31"}]}]}
JSON
render one "$work/one.json"
check_keys one "$work/one.txt"
n_keys=$(awk '$2 ~ /^key-/' "$work/one.txt" | cut -d' ' -f2 | sort -u | tr '\n' ' ')
[[ $n_keys == "key-place " ]] || fail "one claim at a town: legend keys '$n_keys', expected key-place"

# Twenty sources, more than any style's 8 colours.
make_sources() { # KIND_LIST OUT: one claim per source, each at its own town
    python3 - "$1" "$2" <<'PY'
import json, sys
kinds = sys.argv[1].split(",")
towns = ["Quetta", "Turbat", "Gwadar", "Khuzdar", "Panjgur", "Kharan", "Mastung", "Sibi", "Zhob",
         "Chaman", "Dalbandin", "Pasni", "Awaran", "Kalat", "Nushki", "Hub", "Loralai",
         "Dera Bugti", "Jiwani", "Ormara"]
sources = [{"id": "s%02d" % i, "label": "Source %d" % (i + 1), "kind": k}
           for i, k in enumerate(kinds)]
claims = [{"source": "s%02d" % i, "what": "killed", "who": "militants", "value": 3 + i,
           "places": [towns[i]], "claimed_on": "2026-01-31"} for i in range(len(kinds))]
json.dump({"balmap": 1, "title": "Twenty sources", "sources": sources,
           "incidents": [{"id": "x", "date": "2026-01-31", "claims": claims}]},
          open(sys.argv[2], "w"), indent=1)
PY
}
mixed="military,military,military,armed_group,armed_group,armed_group,armed_group,armed_group"
mixed+=",armed_group,media,media,media,media,media,monitor,monitor,monitor,monitor,other,other"
one_kind=$(printf 'media,%.0s' {1..20})
make_sources "$mixed" "$work/twenty.json"
make_sources "${one_kind%,}" "$work/twenty-media.json"
for name in twenty twenty-media; do
    rc=0
    "$balmap" render "$work/$name.json" -o "$work/$name.png" --scene "$work/$name.txt" -q || rc=$?
    if ((rc != 0)); then
        fail "$name: 20 sources refused (exit $rc)"
        continue
    fi
    n=$(awk '$1 == "circle" && $2 == "legend-source"' "$work/$name.txt" | grep -o 'ref="[^"]*"' |
        sort -u | wc -l)
    ((n == 20)) || fail "$name: $n legend entries for 20 sources"
    n=$(awk '$1 == "circle" && $2 == "claim" { for (i = 3; i <= NF; i++) if ($i ~ /^fill=/) print $i }' \
        "$work/$name.txt" | sort -u | wc -l)
    ((n == 20)) || fail "$name: $n distinct fills for 20 sources' circles"
    check_keys "$name" "$work/$name.txt"
done
# the same file, the same colours
"$balmap" render "$work/twenty.json" -o "$work/again.png" --scene "$work/again.txt" -q || true
cmp -s "$work/twenty.txt" "$work/again.txt" || fail "twenty: a second render differs"

if ((n_bad > 0)); then
    echo "symbols: $n_bad problem(s); outputs in $work"
    exit 1
fi
echo "symbols: ok; outputs in $work"
