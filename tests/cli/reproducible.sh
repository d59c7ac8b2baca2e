#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# reproducible.sh BALMAP SOURCE_DIR WORK_DIR - CTest cli.reproducible: the README's render,
# run twice a second apart (a timestamp in the output would differ), must give byte-identical
# PNG, SVG and PDF files, each valid (xmllint, pdfinfo, the PNG signature), and nothing else
# in the output directory (no temporary file left behind).
set -euo pipefail

if [[ $# -ne 3 ]]; then
    echo "usage: reproducible.sh BALMAP SOURCE_DIR WORK_DIR" >&2
    exit 2
fi
balmap=$1
src=$2
work=$3
export LC_ALL=C.UTF-8
unset BALMAP_DATA_DIR

for tool in xmllint pdfinfo cmp od; do
    command -v "$tool" >/dev/null || {
        echo "reproducible: '$tool' not found; run scripts/setup.sh"
        exit 1
    }
done

rm -rf "$work"
mkdir -p "$work/run1" "$work/run2"
n_bad=0
fail() {
    echo "FAIL: $1"
    n_bad=$((n_bad + 1))
}

for run in run1 run2; do
    [[ $run == run1 ]] || sleep 1.1
    echo "+ balmap render examples/herof2.json -o $run/herof2.png -o $run/herof2.svg -o $run/herof2.pdf"
    (cd "$src" && "$balmap" render examples/herof2.json -o "$work/$run/herof2.png" \
        -o "$work/$run/herof2.svg" -o "$work/$run/herof2.pdf") || {
        echo "reproducible: render failed (exit $?)"
        exit 1
    }
    left=$(cd "$work/$run" && find . -mindepth 1 | sort | tr '\n' ' ')
    [[ $left == "./herof2.pdf ./herof2.png ./herof2.svg " ]] ||
        fail "$run holds '$left', expected exactly herof2.pdf, herof2.png, herof2.svg"
done

for ext in png svg pdf; do
    f=$work/run1/herof2.$ext
    [[ -s $f ]] || fail "herof2.$ext is empty or missing"
    cmp "$f" "$work/run2/herof2.$ext" || fail "herof2.$ext differs between two runs"
done

signature=$(head -c 8 "$work/run1/herof2.png" | od -An -tx1 | tr -d ' \n')
[[ $signature == 89504e470d0a1a0a ]] || fail "herof2.png does not start with the PNG signature"
xmllint --noout "$work/run1/herof2.svg" || fail "herof2.svg is not well-formed XML"
if info=$(pdfinfo "$work/run1/herof2.pdf" 2>&1); then
    grep -q '^Pages: *1$' <<<"$info" || fail "herof2.pdf does not have exactly one page"
else
    fail "pdfinfo cannot read herof2.pdf: $info"
fi

if ((n_bad)); then
    echo "reproducible: $n_bad problem(s); outputs in $work"
    exit 1
fi
echo "reproducible: ok"
