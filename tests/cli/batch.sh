#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# batch.sh BALMAP SOURCE_DIR WORK_DIR - CTest cli.batch: a manifest of three maps, the second
# with an invalid incident file, rendered with -j 2. The batch goes on past the failure: exit 1,
# the other two maps written, the failed one not, and a summary on stderr. Then a manifest with
# mistakes is refused as a whole, with every mistake listed, and nothing is rendered.
set -euo pipefail

if [[ $# -ne 3 ]]; then
    echo "usage: batch.sh BALMAP SOURCE_DIR WORK_DIR" >&2
    exit 2
fi
balmap=$1
src=$2
work=$3
export LC_ALL=C.UTF-8
unset BALMAP_DATA_DIR CI

rm -rf "$work"
mkdir -p "$work/maps" "$work/data"
cp "$src/examples/herof2.json" "$src/tests/data/acled-small.csv" "$work/data/"
cp "$src/tests/data/bad/negative.json" "$work/data/broken.json"
n_bad=0
fail() {
    echo "FAIL: $1"
    n_bad=$((n_bad + 1))
}

# Paths are relative to the manifest's directory; the command runs from elsewhere on purpose.
cat >"$work/manifest.json" <<'JSON'
{
  "maps": [
    {"input": "data/herof2.json", "outputs": ["maps/herof2.png", "maps/herof2.svg"],
     "options": {"width": 1200, "height": 900, "dpi": 112}},
    {"input": "data/broken.json", "outputs": ["maps/broken.png"]},
    {"input": "data/acled-small.csv", "outputs": ["maps/acled.pdf"],
     "options": {"title": "ACLED sample", "extent": "data", "measure": "killed", "size": "A5"}}
  ]
}
JSON
rc=0
(cd / && "$balmap" batch "$work/manifest.json" -j 2) >"$work/stdout" 2>"$work/stderr" || rc=$?
echo "+ balmap batch manifest.json -j 2 (exit $rc)"
cat "$work/stderr"
[[ $rc == 1 ]] || fail "exit $rc, expected 1 (one map failed)"
for f in herof2.png herof2.svg acled.pdf; do
    [[ -s $work/maps/$f ]] || fail "maps/$f was not written"
done
[[ ! -e $work/maps/broken.png ]] || fail "maps/broken.png exists, but its input is invalid"
grep -q "negative count -5" "$work/stderr" || fail "stderr does not say why map 2 failed"
grep -q "^balmap: batch: failed: map 2 (.*broken.json)$" "$work/stderr" ||
    fail "stderr does not list the failed map"
grep -qE "^balmap: batch: 2 rendered, 0 skipped as unchanged, 1 failed \(3 maps in [0-9.]+ s, 2 threads\)$" \
    "$work/stderr" || fail "no summary line on stderr"
grep -q $'\r' "$work/stderr" && fail "a progress line was drawn, but stderr is not a terminal"
[[ ! -s $work/stdout ]] || fail "stdout is not empty"
# "size": "A5" gives an A5 landscape page: 595.3 x 419.5 pt in the PDF's MediaBox.
grep -aqE "/MediaBox \[ ?0 0 595\.2[0-9]* 419\.5[0-9]* ?\]" "$work/maps/acled.pdf" ||
    fail "maps/acled.pdf is not A5 landscape: $(grep -ao '/MediaBox[^]]*]' "$work/maps/acled.pdf" | head -1)"
left=$(cd "$work/maps" && find . -mindepth 1 | sort | tr '\n' ' ')
[[ $left == "./acled.pdf ./herof2.png ./herof2.svg " ]] ||
    fail "maps/ holds '$left': a temporary file or a stamp was left behind"

# A manifest with mistakes: every one is listed, and no map is rendered.
cat >"$work/bad-manifest.json" <<'JSON'
{"maps": [
  {"input": "data/herof2.json", "outputs": ["maps/again.png"], "options": {"widht": 1200}},
  {"input": "data/herof2.json", "outputs": ["maps/again.jpg"], "options": {"party": "rebels"}},
  {"outputs": ["maps/again.png"]},
  {"input": "data/herof2.json", "outputs": ["maps/again.png"], "options": {"size": "B4"}},
  {"input": "data/herof2.json", "outputs": ["maps/again.png"], "options": {"size": "A4", "width": 900}},
  {"input": "data/herof2.json", "outputs": ["maps/again.png"], "options": {"as_of": "2026-02-30"}}
]}
JSON
rc=0
"$balmap" batch "$work/bad-manifest.json" 2>"$work/stderr" || rc=$?
echo "+ balmap batch bad-manifest.json (exit $rc)"
cat "$work/stderr"
[[ $rc == 1 ]] || fail "a bad manifest gave exit $rc, expected 1"
for want in "/maps/0/options: unknown key 'widht'" "/maps/1/outputs/0: unknown output format 'jpg'" \
    "/maps/1/options/party: unknown party 'rebels'" "/maps/2: missing 'input'" \
    "/maps/3/options/size: unknown size 'B4'; expected one of: A3, A4, A5, letter" \
    "/maps/4/options/size: give either 'size' or 'width' and 'height', not both" \
    "/maps/5/options/as_of: 'as_of' must be a calendar date as YYYY-MM-DD, got '2026-02-30'" \
    "problems in the manifest; nothing rendered"; do
    grep -qF -- "$want" "$work/stderr" || fail "stderr lacks: $want"
done
[[ ! -e $work/maps/again.png ]] || fail "a map was rendered from a refused manifest"

rc=0
"$balmap" batch "$work/manifest.json" -j 0 2>"$work/stderr" || rc=$?
[[ $rc == 2 ]] || fail "-j 0 gave exit $rc, expected 2"
grep -qF -- "--jobs must be a whole number from 1 to 64, got '0'" "$work/stderr" ||
    fail "-j 0: no range in the message"

if ((n_bad)); then
    echo "batch: $n_bad problem(s); files in $work"
    exit 1
fi
echo "batch: ok"
