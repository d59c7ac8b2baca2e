#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# print-text.sh BALMAP SOURCE_DIR WORK_DIR - CTest cli.print-text: on a page read on paper
# (--size A5, A4, A3) no text is under 7 pt: the legend keeps its size and widens, takes two
# columns or goes under the map, the attribution wraps. Each size in PDF and SVG renders with
# exit 0 and no warning, and the smallest text of its scene dump (size=, in pt on the page) is
# 7 or more; the A5 PNG renders too; a page on which nothing fits is refused, naming the page
# and the 7 pt. The PDFs are left in WORK_DIR to look at (pdftoppm -r 110 -png).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/prologue.sh"

# The smallest size= of the text marks of a scene dump, and the text's role.
smallest() {
    awk '$1 == "text" { for (i = 3; i <= NF; i++) if ($i ~ /^size=/) {
             s = substr($i, 6) + 0; if (min == "" || s < min) { min = s; role = $2 } } }
         END { print min, role }' "$1"
}

for size in A5 A4 A3; do
    for ext in pdf svg; do
        name=$size.$ext
        echo "+ balmap render examples/herof2.json --size $size -o $name --scene $name.txt"
        rc=0
        (cd "$src" && "$balmap" render examples/herof2.json --size "$size" -o "$work/$name" \
            --scene "$work/$name.txt") 2>"$work/$name.err" || rc=$?
        cat "$work/$name.err"
        if ((rc != 0)); then
            fail "--size $size -o $name: exit $rc, expected 0"
            continue
        fi
        grep -q "warning: .*7 pt" "$work/$name.err" && fail "--size $size -o $name: a warning of text under 7 pt"
        [[ -s $work/$name ]] || fail "--size $size: no $name written"
        read -r pt role < <(smallest "$work/$name.txt")
        echo "$name: smallest text '$role' $pt pt"
        awk -v pt="$pt" 'BEGIN { exit !(pt != "" && pt >= 7) }' ||
            fail "--size $size -o $name: the smallest text ('$role') is $pt pt, under 7 pt"
    done
done

# A PNG of a print size is laid out the same way: its text passes 7 pt at 96 px per inch too.
echo "+ balmap render examples/herof2.json --size A5 -o A5.png"
(cd "$src" && "$balmap" render examples/herof2.json --size A5 -q -o "$work/A5.png") ||
    fail "--size A5 -o A5.png failed"

# Nothing fits at 7 pt on a 150 x 130 mm page (the legend under the map runs past its foot):
# refused, saying so, and nothing written.
echo "+ balmap render examples/herof2.json --size 150x130mm -o small.pdf"
rc=0
(cd "$src" && "$balmap" render examples/herof2.json --size 150x130mm -o "$work/small.pdf") \
    2>"$work/small.err" || rc=$?
cat "$work/small.err"
((rc == 1)) || fail "--size 150x130mm: exit $rc, expected 1"
grep -q "^balmap: on the 150 x 130 mm page the map's text does not fit at 7 pt" \
    "$work/small.err" || fail "--size 150x130mm: the refusal does not name the page and 7 pt"
grep -q "hint: print on a larger page or turn it" "$work/small.err" ||
    fail "--size 150x130mm: no hint to print larger"
[[ ! -e $work/small.pdf ]] || fail "--size 150x130mm: small.pdf written though refused"

if ((n_bad)); then
    echo "print-text: $n_bad problem(s); outputs in $work"
    exit 1
fi
echo "print-text: ok"
