#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# narrow.sh BALMAP IMGDIFF SOURCE_DIR WORK_DIR - CTest cli.narrow: on a portrait or narrow page
# (under 180 mm wide, or taller than wide) the legend is under the map, beside nothing, and
# the title and subtitle end above the map; a landscape page keeps the side legend; --size
# phone is a phone-width image 1080 px wide whose text passes the 7 pt floor. Checked on the
# scene dumps (positions in mm), not by eye; the PNGs are left in WORK_DIR to look at.
set -euo pipefail

if [[ $# -ne 4 ]]; then
    echo "usage: narrow.sh BALMAP IMGDIFF SOURCE_DIR WORK_DIR" >&2
    exit 2
fi
set -- "$1" "$3" "$4" # the prologue's three: IMGDIFF is not used
source "$(dirname "${BASH_SOURCE[0]}")/prologue.sh"

# Prints "frame_x frame_y frame_bottom frame_right legend_x legend_y title_bottom" of a scene.
measure() {
    awk '
        $1 == "frame" && fx == "" { fx = $2; fy = $3; fw = $4; fh = $5 }
        $1 == "text" && ($2 == "title" || $2 == "subtitle") {
            for (i = 3; i <= NF; i++) {
                if ($i ~ /^y=/) y = substr($i, 3)
                if ($i ~ /^h=/) h = substr($i, 3)
            }
            if (y + h > tb) tb = y + h
        }
        $1 == "text" && $2 == "legend-heading" && lx == "" {
            for (i = 3; i <= NF; i++) {
                if ($i ~ /^x=/) lx = substr($i, 3)
                if ($i ~ /^y=/) ly = substr($i, 3)
            }
        }
        END { print fx, fy, fy + fh, fx + fw, lx, ly, tb }' "$1"
}

for size in A4-portrait phone A4; do
    echo "+ balmap render examples/herof2.json --size $size -o $size.png --scene $size.txt"
    if ! (cd "$src" && "$balmap" render examples/herof2.json --size "$size" -q \
        -o "$work/$size.png" --scene "$work/$size.txt"); then
        fail "--size $size: render failed"
        continue
    fi
    read -r fx fy fbottom fright lx ly tb < <(measure "$work/$size.txt")
    echo "$size: map $fx,$fy to $fright,$fbottom mm; legend at $lx,$ly; title ends at $tb"
    awk -v tb="$tb" -v fy="$fy" 'BEGIN { exit !(tb <= fy - 0.5) }' ||
        fail "$size: the title or subtitle (to $tb mm) runs into the map (from $fy mm)"
    if [[ $size == A4 ]]; then
        awk -v lx="$lx" -v r="$fright" 'BEGIN { exit !(lx > r) }' ||
            fail "A4 landscape: the legend ($lx mm) is not beside the map (to $fright mm)"
    else
        awk -v ly="$ly" -v b="$fbottom" -v lx="$lx" -v fx="$fx" \
            'BEGIN { exit !(ly > b && lx == fx) }' ||
            fail "$size: the legend ($lx,$ly mm) is not under the map (ends $fbottom mm)"
    fi
done

# The phone image: 1080 px wide (IHDR width, big-endian at byte 16).
if [[ -s $work/phone.png ]]; then
    w=$(od -An -tu1 -j16 -N4 "$work/phone.png" | awk '{print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4}')
    [[ $w == 1080 ]] || fail "--size phone is $w px wide, expected 1080"
fi

if ((n_bad)); then
    echo "narrow: $n_bad problem(s); outputs in $work"
    exit 1
fi
echo "narrow: ok"
