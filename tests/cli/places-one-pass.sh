#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# places-one-pass.sh BALMAP SOURCE_DIR WORK_DIR - CTest cli.places_one_pass (issue 10 item 6):
# every place problem of a file in one run, each with file:line:column and JSON pointer, from
# validate and from render (which then says how many and writes nothing), and geocode --file
# naming each failing name's line and ending with a summary. On main, render ended without the
# count and geocode --file named no line.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/prologue.sh"
cd "$work"

run() { # WANT_EXIT balmap-args...
    local want=$1
    shift
    rc=0
    "$balmap" "$@" >"$work/stdout" 2>"$work/stderr" || rc=$?
    echo "+ balmap $* (exit $rc)"
    sed 's/^/  /' "$work/stderr"
    [[ $rc == "$want" ]] || fail "exit $rc, expected $want"
}
says() { grep -qF -- "$1" "$work/stderr" || fail "the message does not say: $1"; }

cat >bad.json <<'JSON'
{"balmap": 1, "title": "Six bad places",
 "sources": [{"id": "a", "label": "A", "kind": "military"}],
 "incidents": [{"id": "i", "date": "2024-04-01", "claims": [
   {"source": "a", "what": "killed", "who": "militants", "value": 5, "claimed_on": "2024-04-01",
    "places": ["Turbat", "Gorgop", "Kallag", "Turbt", "Zahedan",
               {"name": "Nasirabad", "district": "Mastung"}, "Sangun"]}]}]}
JSON
want=(
    "bad.json:5:26: /incidents/0/claims/0/places/1: unknown place 'Gorgop'"
    "bad.json:5:36: /incidents/0/claims/0/places/2: place 'Kallag' is"
    "bad.json:5:46: /incidents/0/claims/0/places/3: place 'Turbt' matches 'Turbat'"
    "bad.json:5:55: /incidents/0/claims/0/places/4: place 'Zahedan' is"
    "bad.json:6:16: /incidents/0/claims/0/places/5: place 'Nasirabad' is outside Mastung"
    "bad.json:6:62: /incidents/0/claims/0/places/6: place 'Sangun' is spelled like two"
)
run 1 validate bad.json
for w in "${want[@]}"; do says "$w"; done
grep -qF "6 errors" stdout || fail "validate's summary does not count 6 errors"
run 0 validate --no-geocode bad.json

run 1 render bad.json -o map.png
for w in "${want[@]}"; do says "$w"; done
tail -n 1 stderr | grep -qF "balmap: bad.json: 6 errors listed above; no map written" ||
    fail "render does not end with the count"
[[ ! -e map.png ]] || fail "render wrote a map"

printf 'Quetta\n# a comment\n  Gorgop\nTurbt\n\nSangun\n' >names.txt
run 1 geocode -f names.txt
says "names.txt:3:3: unknown place 'Gorgop'"
says "names.txt:6:1: place 'Sangun' is spelled like two"
tail -n 1 stderr | grep -qF "balmap: 4 names: 1 placed, 1 only approximately" ||
    fail "geocode --file does not end with its summary"

# An ACLED-style CSV without coordinates: admin2 and admin3 as context, every row in one run.
cat >events.csv <<'CSV'
event_date,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,fatalities
2024-04-25,Balochistan,Kech,,Dandar,,,1,ACLED,1
2024-04-26,Balochistan,Mastung,,Nasirabad,,,1,ACLED,2
2024-04-27,Balochistan,Kech,Buleda,Dazin,,,1,ACLED,1
2024-04-28,Balochistan,Kech,Tump,Dazin,,,1,ACLED,1
CSV
cat >own.csv <<'CSV'
name,lat,lon,admin1,admin2,admin3,source
Dazin,26.1062,62.3384,Balochistan,Kech,Tump,ACLED point as quoted in the seed
CSV
run 1 validate --gazetteer own.csv events.csv
says "events.csv:3:33: place 'Nasirabad' is outside Mastung"
says "events.csv:4:36: place 'Dazin' is outside Buleda tehsil"
grep -qF "2 errors" stdout || fail "validate's summary does not count 2 errors"
# A CSV has no "places" to pin in: its hints say what a row can do (the audit found every hint
# pointing at the JSON format's "places").
if grep -qF '"places"' "$work/stderr"; then fail 'a CSV hint points at "places"'; fi
says "hint: give the row its latitude and longitude (with geo_precision), or add the place"

# A bare name other places share goes to one of them by a rule, and the map says so (the audit
# found bare "Nasirabad" placed at the district with no word); with its kind, silently.
nasirabad() { # PLACE-JSON
    cat <<JSON
{"balmap": 1, "title": "Bare",
 "sources": [{"id": "a", "label": "A", "kind": "military"}],
 "incidents": [{"id": "i", "date": "2026-01-31", "claims": [
   {"source": "a", "what": "killed", "who": "militants", "value": 3, "places": [$1],
    "claimed_on": "2026-01-31"}]}]}
JSON
}
nasirabad '"Nasirabad"' >bare.json
run 0 render bare.json -o bare.png
says "bare.json:4:81: /incidents/0/claims/0/places/0: place 'Nasirabad' is taken as the district Nasirabad (dist.PK.nasirabad), by rule: not town hand.nasirabad-kech (Kech District, PK)"
says "hint: to mean another place of that name, give its district"
nasirabad '{"name": "Nasirabad", "kind": "district"}' >kind.json
run 0 render kind.json -o kind.png
if grep -qF "taken as" "$work/stderr"; then fail "a place with its kind is still said to be taken by rule"; fi

if ((n_bad)); then
    echo "places-one-pass: $n_bad problem(s); files in $work"
    exit 1
fi
echo "places-one-pass: ok"
