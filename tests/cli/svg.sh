#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# svg.sh BALMAP IMGDIFF SOURCE_DIR WORK_DIR - CTest cli.svg: the seed map's SVG (svg.c) holds
# live text in named layers, is under 400 KB, and draws the same picture as the PNG: rasterised
# by librsvg (rsvg-convert) and by headless Chromium at the PNG's size, each must match the PNG
# within the text tolerance below. Glyphs are antialiased and hinted a little differently by
# each renderer (and librsvg sets baselines a fraction of a pixel higher), so only edges of
# letters differ: measured on the seed map, 0.51% (librsvg) and 0.42% (Chromium) of pixels
# beyond 96/255, against 2-3% beyond imgdiff's default 32/255. A label moved by half a
# millimetre, a missing layer or a wrong colour exceeds 1%.
set -euo pipefail

if [[ $# -ne 4 ]]; then
    echo "usage: svg.sh BALMAP IMGDIFF SOURCE_DIR WORK_DIR" >&2
    exit 2
fi
balmap=$1
imgdiff=$2
src=$3
work=$4
export LC_ALL=C.UTF-8
unset BALMAP_DATA_DIR

for tool in xmllint rsvg-convert chromium od; do
    command -v "$tool" >/dev/null || {
        echo "svg: '$tool' not found; run scripts/setup.sh"
        exit 1
    }
done

rm -rf "$work"
mkdir -p "$work"
n_bad=0
fail() {
    echo "FAIL: $1"
    n_bad=$((n_bad + 1))
}

echo "+ balmap render examples/herof2.json -o map.png -o map.svg"
(cd "$src" && "$balmap" render examples/herof2.json -o "$work/map.png" -o "$work/map.svg") || {
    echo "svg: render failed"
    exit 1
}
svg=$work/map.svg
xmllint --noout "$svg" || fail "map.svg is not well-formed XML"

size=$(stat -c %s "$svg")
echo "map.svg: $size bytes"
((size < 400000)) || fail "map.svg is $size bytes; the seed map must stay under 400 KB"

# Live text a desk can find and retype, in the style's font, and no outlined glyphs.
grep -q '>Quetta</text>' "$svg" || fail "no <text> element reads 'Quetta'"
grep -q "font-family=\"'Noto Sans', 'Noto Nastaliq Urdu', sans-serif\"" "$svg" || fail "no text names its font family"
grep -q 'font-weight="bold"' "$svg" || fail "no bold text"
grep -q 'paint-order="stroke"' "$svg" || fail "no halo drawn as a stroke under the text"
if grep -q 'glyph' "$svg"; then fail "map.svg holds outlined glyphs"; fi
for layer in basemap claims labels legend notes; do
    grep -q "<g id=\"$layer\" inkscape:groupmode=\"layer\" inkscape:label=\"$layer\">" "$svg" ||
        fail "no '$layer' layer"
done
grep -q '<circle[^>]* id="ispr-militants-killed"><title>ISPR: 92 militants killed; Quetta,' "$svg" ||
    fail "the claim circle has no id from its claim or no <title> naming its places"
grep -q '<title>Operation Herof 2.0: who claims what</title>' "$svg" || fail "no document <title>"

# The PNG's size from its IHDR chunk: width and height are big-endian at bytes 16 and 20.
read -r w h < <(od -An -tu1 -j16 -N8 "$work/map.png" |
    awk '{print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4, $5 * 16777216 + $6 * 65536 + $7 * 256 + $8}')
[[ $w == 1600 && $h == 1200 ]] || fail "map.png is ${w}x$h, expected 1600x1200"

compare() { # NAME RASTER
    if "$imgdiff" --tolerance 96 --max-fraction 0.01 --diff "$work/$1.diff.png" \
        "$work/map.png" "$2"; then
        echo "$1: same picture as the PNG"
    else
        fail "$1's rendering of map.svg differs from map.png (diff: $work/$1.diff.png)"
    fi
}

rsvg-convert -w "$w" -h "$h" -b white "$svg" -o "$work/librsvg.png" ||
    fail "rsvg-convert cannot read map.svg"
[[ -s $work/librsvg.png ]] && compare librsvg "$work/librsvg.png"

# The SVG is 270.93 mm wide: 1024 CSS px; a device scale of 1600/1024 gives the PNG's pixels.
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$work/chromium-profile" --hide-scrollbars \
    --force-device-scale-factor=1.5625 --window-size=1024,768 \
    --screenshot="$work/chromium.png" "file://$svg" >"$work/chromium.log" 2>&1 ||
    fail "chromium could not render map.svg (log: $work/chromium.log)"
[[ -s $work/chromium.png ]] && compare chromium "$work/chromium.png"

if ((n_bad)); then
    echo "svg: $n_bad problem(s); outputs in $work"
    exit 1
fi
echo "svg: ok"
