#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# pipes.sh BALMAP SOURCE_DIR WORK_DIR - CTest cli.pipes: `render -` reads the incident file from
# standard input (JSON, or --input-format csv|geojson), `-o - --format F` writes the map to
# standard output (the same bytes as the file, and nothing at all when the render fails),
# `-o -.png` is refused rather than taken for a file named '-.png', and render makes a missing
# output folder.
set -euo pipefail

if [[ $# -ne 3 ]]; then
    echo "usage: pipes.sh BALMAP SOURCE_DIR WORK_DIR" >&2
    exit 2
fi
balmap=$1
src=$2
work=$3
export LC_ALL=C.UTF-8
unset BALMAP_DATA_DIR

rm -rf "$work"
mkdir -p "$work"
cd "$work"
n_bad=0
fail() {
    echo "FAIL: $1"
    n_bad=$((n_bad + 1))
}
run() { # EXPECTED_EXIT STDOUT_FILE ARGS... (stdin from the caller)
    local want=$1 out=$2 rc=0
    shift 2
    echo "+ balmap $*"
    "$balmap" "$@" >"$out" 2>stderr.txt || rc=$?
    [[ $rc == "$want" ]] || fail "balmap $* exited $rc, expected $want: $(head -2 stderr.txt)"
}
ex=$src/examples/herof2.json

run 0 file.svg render "$ex" -o file.svg
run 0 piped.svg render - -o - --format svg <"$ex"
cmp -s file.svg piped.svg || fail "the SVG piped from stdin to stdout differs from the file"
run 0 /dev/null render "$ex" -o file.html
run 0 piped.html render - -o - --format html <"$ex"
cmp -s file.html piped.html || fail "the piped HTML page differs from the file"
run 0 piped.png render - -o - --format png <"$ex"
[[ $(head -c 8 piped.png | od -An -tx1 | tr -d ' \n') == 89504e470d0a1a0a ]] ||
    fail "-o - --format png did not write a PNG"
run 0 piped.pdf render "$ex" -o - --format pdf
[[ $(head -c 5 piped.pdf) == %PDF- ]] || fail "-o - --format pdf did not write a PDF"

# Other input formats from stdin, named with --input-format.
run 0 csv.svg render - --input-format csv -o - --format svg <"$src/tests/data/acled-small.csv"
grep -q '<svg' csv.svg || fail "a CSV from stdin gave no SVG"
run 0 geo.svg render - --input-format geojson -o - --format svg \
    <"$src/tests/data/claims-small.geojson"
grep -q '<svg' geo.svg || fail "a GeoJSON file from stdin gave no SVG"

# Bad input from stdin: named <stdin> in the message, and nothing on stdout.
run 1 bad.out render - -o - --format svg <<<'{"balmap": 1,'
[[ ! -s bad.out ]] || fail "a failed render wrote to stdout"
grep -q '^balmap: <stdin>:' stderr.txt || fail "the error does not name <stdin>: $(head -1 stderr.txt)"

# A file that cannot be written: stdout stays empty too (all or nothing).
run 3 partial.out render "$ex" -o /proc/no-such/map.png -o - --format svg
[[ ! -s partial.out ]] || fail "stdout was written although a file output failed"

# '-.png' is refused, and no such file appears; ./-.png is a file.
run 2 /dev/null render "$ex" -o -.png
grep -q "'-.png' is not standard output; write -o - --format png" stderr.txt ||
    fail "-o -.png: unclear message: $(head -1 stderr.txt)"
[[ ! -e ./-.png ]] || fail "-o -.png wrote a file named '-.png'"
run 0 /dev/null render "$ex" -o ./-.png
[[ -s ./-.png ]] || fail "-o ./-.png did not write the file '-.png'"

# Usage: stdout needs --format, --format needs stdout, one stdout only.
run 2 /dev/null render "$ex" -o -
run 2 /dev/null render "$ex" -o x.png --format png
run 2 /dev/null render "$ex" -o - -o - --format png
run 2 /dev/null render - --input-format xml -o - --format png </dev/null
run 2 /dev/null render - --if-changed -o x.png <"$ex"

# validate reads standard input as render does (the audit found `validate -` opening a file '-').
run 0 val.txt validate - <"$ex"
grep -q '^<stdin>: 12 claims from 3 sources' val.txt || fail "validate - did not read stdin: $(cat val.txt)"
run 0 val.txt validate - --input-format csv <"$src/tests/data/acled-small.csv"
grep -q '^<stdin>: .* 0 errors' val.txt || fail "validate - --input-format csv: $(cat val.txt)"
printf '{"balmap": 1' | run 1 val.txt validate -
grep -q '<stdin>:1:13: invalid JSON' stderr.txt || fail "validate - names no <stdin>:line:col: $(cat stderr.txt)"
run 2 /dev/null validate --input-format xml - <"$ex"

# A missing output folder is made.
run 0 /dev/null render "$ex" -o new/deeper/map.png
[[ -s new/deeper/map.png ]] || fail "render did not make the missing folder new/deeper"
# ... and taken away again when no map is written (the audit found empty folders left behind).
printf '{"balmap": 1' >broken.json
run 1 /dev/null render broken.json -o gone/deeper/map.png
[[ ! -e gone ]] || fail "a failed render left the folder it made"
mkdir -p kept
run 1 /dev/null render broken.json -o kept/deeper/map.png
[[ -d kept && ! -e kept/deeper ]] || fail "a failed render removed a folder it did not make, or left one"
# -g is --gazetteer, as for validate and geocode
run 0 /dev/null render "$ex" -g "$src/tests/data/user-places-valid.csv" -o g.png

if ((n_bad)); then
    echo "pipes: $n_bad problem(s); outputs in $work"
    exit 1
fi
echo "pipes: ok"
