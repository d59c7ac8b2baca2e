#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# batch-robust.sh BALMAP SOURCE_DIR WORK_DIR - CTest cli.batch_robust (issue 14, item 5):
# outputs compared by the file they name (out/./x.png is out/x.png, also through "..", a
# symlinked folder, or twice within one map); --timeout fails a map that hangs (an input FIFO
# nobody writes) while the others render, writing nothing for it; a map whose input changes
# while it renders gets no stamp (before: the stamp of the old input beside the new map).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/prologue.sh"
unset CI SOURCE_DATE_EPOCH
mkdir -p "$work/out"
cp "$src/examples/herof2.json" "$work/a.json"
sed 's/"title": *"[^"]*"/"title": "Version B"/' "$work/a.json" >"$work/b.json"
ln -s out "$work/alias"
batch() {
    rc=0
    (cd / && timeout 120 "$balmap" batch "$@") >"$work/stdout" 2>"$work/stderr" || rc=$?
    cat "$work/stderr"
}
small='"options": {"width": 1200, "height": 900}'

echo "+ one file under several spellings: the manifest is refused"
for other in 'out/./x.png' 'out/sub/../x.png' 'alias/x.png'; do
    cat >"$work/dup.json" <<JSON
{"maps": [{"input": "a.json", "outputs": ["out/x.png"], $small},
          {"input": "a.json", "outputs": ["$other"], $small}]}
JSON
    batch "$work/dup.json"
    [[ $rc == 1 ]] || fail "'out/x.png' and '$other': exit $rc, expected 1"
    grep -q "is also written by /maps/0" "$work/stderr" || fail "'$other' not named as a duplicate"
done
cat >"$work/dup.json" <<JSON
{"maps": [{"input": "a.json", "outputs": ["out/y.png", "out//y.png"], $small}]}
JSON
batch "$work/dup.json"
[[ $rc == 1 ]] || fail "one map naming out/y.png twice: exit $rc, expected 1"
[[ -z $(ls "$work/out") ]] || fail "a refused manifest rendered: $(ls "$work/out")"

echo "+ --timeout: a map that hangs fails alone, nothing written for it"
mkfifo "$work/stuck.json"
cat >"$work/slow.json" <<JSON
{"maps": [{"input": "stuck.json", "outputs": ["out/stuck.png"]},
          {"input": "a.json", "outputs": ["out/a.png"], $small},
          {"input": "a.json", "outputs": ["out/b.png"], $small}]}
JSON
batch "$work/slow.json" --timeout 2 -j 2
[[ $rc == 1 ]] || fail "exit $rc, expected 1 (one map failed)"
grep -q "map 1 (.*stuck.json) failed: still rendering after --timeout 2 s" "$work/stderr" ||
    fail "the late map is not reported"
grep -qE "2 rendered, 0 skipped as unchanged, 1 failed" "$work/stderr" || fail "no summary"
[[ -s $work/out/a.png && -s $work/out/b.png ]] || fail "the other maps were not rendered"
[[ ! -e $work/out/stuck.png ]] || fail "the late map wrote its output"
left=$(cd "$work/out" && find . -name '*.balmap-*' -o -name '*.tmp*')
[[ -z $left ]] || fail "temporary files left: $left"
for bad in 0 abc 1e9 -5; do
    batch "$work/slow.json" --timeout "$bad"
    [[ $rc == 2 ]] || fail "--timeout $bad: exit $rc, expected 2"
done
grep -q "from 1 to 86400" "$work/stderr" || fail "the --timeout range is not given"

echo "+ the input changes while the map renders: no stamp"
mkfifo "$work/race.json"
# The batch opens the input three times: hashed for the stamp, read by the render, hashed again.
(for f in a.json b.json b.json; do timeout 60 sh -c "cat '$work/$f' >'$work/race.json'"; done) &
writer=$!
cat >"$work/race-manifest.json" <<JSON
{"maps": [{"input": "race.json", "outputs": ["out/race.svg"], $small}]}
JSON
batch "$work/race-manifest.json" --if-changed
wait "$writer" || fail "the batch did not read the input three times"
[[ $rc == 0 ]] || fail "exit $rc, expected 0"
grep -q "Version B" "$work/out/race.svg" || fail "the map is not from the second read"
[[ ! -e $work/out/race.svg.balmap-stamp ]] ||
    fail "a stamp of the first read was written beside a map of the second"
grep -q "inputs changed while it was rendered" "$work/stderr" || fail "no warning about it"

if [[ $n_bad -gt 0 ]]; then
    echo "$n_bad check(s) failed"
    exit 1
fi
echo "all checks passed"
