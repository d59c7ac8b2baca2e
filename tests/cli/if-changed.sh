#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# if-changed.sh BALMAP SOURCE_DIR WORK_DIR - CTest cli.if_changed: `render --if-changed` renders
# and writes OUTPUT.balmap-stamp; run again, it skips (and says so unless -q); after the data
# file changes it renders again; so it does after an option changes (--width, --facet,
# --allocate; tests/unit/test_cli_options.c checks every option of the table). A render without the
# option removes the stamps, which no longer describe the map. `batch --if-changed` likewise.
# A map whose input changes while it renders gets no stamp (issue 14: 1 in 100 runs left a map
# and its stamp from different inputs).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/prologue.sh"
unset CI SOURCE_DATE_EPOCH
cp "$src/examples/herof2.json" "$work/data.json"
render() {
    rc=0
    "$balmap" render "$work/data.json" -o "$work/map.png" -o "$work/map.svg" "$@" \
        2>"$work/stderr" || rc=$?
    echo "+ balmap render data.json -o map.png -o map.svg $* (exit $rc)"
    sed 's/^/  /' "$work/stderr"
    [[ $rc == 0 ]] || fail "exit $rc"
}
is_skipped() {
    grep -q "^balmap: skipped, inputs unchanged since the last render: .*map.png .*map.svg$" \
        "$work/stderr"
}

render --if-changed
is_skipped && fail "first render was skipped"
for f in map.png map.svg map.png.balmap-stamp map.svg.balmap-stamp; do
    [[ -s $work/$f ]] || fail "$f was not written"
done
grep -qE '^balmap-stamp 1 [0-9a-f]{16}$' "$work/map.png.balmap-stamp" || fail "stamp format"
before=$(stat -c %Y.%s "$work/map.png")
cp "$work/map.png" "$work/first.png"

sleep 1.1
render --if-changed
is_skipped || fail "second render with nothing changed was not skipped"
cmp -s "$work/map.png" "$work/first.png" || fail "a skipped render changed map.png"
[[ $(stat -c %Y.%s "$work/map.png") == "$before" ]] || fail "a skipped render touched map.png"

render --if-changed -q
[[ ! -s $work/stderr ]] || fail "-q still printed on a skip"

# Touching the file changes nothing a PNG or SVG is made from.
touch "$work/data.json"
render --if-changed
is_skipped || fail "a touched but unchanged data file was rendered again"

# A changed data file: rendered again.
sed -i 's/"title": "Operation Herof 2.0: who claims what"/"title": "Changed title"/' "$work/data.json"
render --if-changed
is_skipped && fail "a changed data file was skipped"
cmp -s "$work/map.png" "$work/first.png" && fail "map.png did not change with the data"

# A changed option: rendered again; then skipped with the same option.
render --if-changed --width 1400
is_skipped && fail "a changed --width was skipped"
render --if-changed --width 1400
is_skipped || fail "the same --width again was not skipped"

# A missing output: rendered again.
rm "$work/map.svg"
render --if-changed --width 1400
is_skipped && fail "a missing output was skipped"
[[ -s $work/map.svg ]] || fail "map.svg was not rendered again"

# --facet and --allocate change the map, so they are in the stamp (issue 11: they were left
# out, and `--facet source` after a plain render said "unchanged" and kept the old map).
cp "$work/map.png" "$work/no-facet.png"
render --if-changed --width 1400 --facet source
is_skipped && fail "--facet source after a render without it was skipped"
cmp -s "$work/map.png" "$work/no-facet.png" && fail "map.png did not change with --facet source"
render --if-changed --width 1400 --facet source
is_skipped || fail "the same --facet source again was not skipped"
render --if-changed --width 1400 --facet date
is_skipped && fail "--facet date after --facet source was skipped"
render --if-changed --width 1400 --facet date --allocate even
is_skipped && fail "--allocate even was skipped"

# Without --if-changed the stamps go: they would describe an older map.
render --width 1400
[[ ! -e $work/map.png.balmap-stamp && ! -e $work/map.svg.balmap-stamp ]] ||
    fail "a render without --if-changed left the stamps"

# The input changes while the map renders: no stamp. render opens the input three times (hashed
# for the stamp, read, hashed again); a FIFO gives it the old file first, then the new one.
mkfifo "$work/race.json"
(for f in data.json changed.json changed.json; do
    timeout 60 sh -c "cat '$work/$f' >'$work/race.json'"
done) &
writer=$!
sed 's/"title": *"[^"]*"/"title": "Version B"/' "$work/data.json" >"$work/changed.json"
rc=0
"$balmap" render "$work/race.json" -o "$work/race.svg" --if-changed 2>"$work/stderr" || rc=$?
sed 's/^/  /' "$work/stderr"
wait "$writer" || fail "render did not read the input three times (no hash after the render)"
[[ $rc == 0 ]] || fail "the render in the race: exit $rc"
grep -q "Version B" "$work/race.svg" || fail "the map is not from the second read"
[[ ! -e $work/race.svg.balmap-stamp ]] ||
    fail "a stamp of the first read was written beside a map of the second"
grep -q "inputs changed while the map was rendered" "$work/stderr" || fail "no warning about it"

# batch --if-changed: rendered, then skipped.
printf '{"maps": [{"input": "data.json", "outputs": ["b.png"]}]}\n' >"$work/manifest.json"
for want in "1 rendered, 0 skipped" "0 rendered, 1 skipped"; do
    "$balmap" batch --if-changed "$work/manifest.json" 2>"$work/stderr" || fail "batch failed"
    sed 's/^/  /' "$work/stderr"
    grep -q "$want" "$work/stderr" || fail "batch --if-changed: expected '$want'"
done
# A manifest's options go through the same table and stamp: a new facet renders again.
printf '{"maps": [{"input": "data.json", "outputs": ["b.png"], "options": {"facet": "source"}}]}\n' \
    >"$work/manifest.json"
for want in "1 rendered, 0 skipped" "0 rendered, 1 skipped"; do
    "$balmap" batch --if-changed "$work/manifest.json" 2>"$work/stderr" || fail "batch failed"
    sed 's/^/  /' "$work/stderr"
    grep -q "$want" "$work/stderr" || fail "batch --if-changed with a facet: expected '$want'"
done

if ((n_bad)); then
    echo "if-changed: $n_bad problem(s); files in $work"
    exit 1
fi
echo "if-changed: ok"
