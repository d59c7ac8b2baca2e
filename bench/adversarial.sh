#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench/adversarial.sh [BALMAP] - times the adversarial sizes of issue 14 whose cost used to grow
# with the square of the input, on generated files in a temporary directory (removed after):
#   gazetteer-100k   `geocode --gazetteer` of a 100,000-row user file, every row named alike and
#                    without an id (made ids "user.<name>-<line>"), minus the same geocode
#                    without the file
#   manifest-100k    `batch` of a manifest of 100,000 maps whose last output repeats the first
#                    (spelled out/./m0.png): read and duplicate check only, refused before any
#                    rendering
#   title-accents    `render` of herof2.json whose title is 100,000 combining accents (U+0301;
#                    before: over a minute of line breaking), then a --title of 60,000 (the
#                    command line takes 128 KiB an argument): refused at the 500-character limit
#   title-10mb       `render` of herof2.json whose title is 10 MB of letters: refused
# BALMAP defaults to the release build (built first). Prints seconds per case.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
balmap=${1:-}
if [[ -z $balmap ]]; then
    cmake --preset release -S "$root" >/dev/null
    cmake --build --preset release -j2 --target balmap >/dev/null
    balmap=$root/build/release/balmap
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export BALMAP_DATA_DIR=$root

seconds() { # seconds COMMAND...: wall time of one run, output discarded
    local t0 t1
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    t1=$(date +%s%N)
    echo "scale=3; ($t1 - $t0) / 1000000000" | bc
}

awk 'BEGIN { print "name,lat,lon"; for (i = 0; i < 100000; i++)
    printf "Killi Same,%.4f,%.4f\n", 25 + (i % 500) * 0.01, 62 + int(i / 500) * 0.01 }' \
    >"$work/places.csv"
base=$(seconds "$balmap" geocode Quetta)
with=$(seconds "$balmap" geocode --gazetteer "$work/places.csv" Quetta)
echo "gazetteer-100k  $(echo "$with - $base" | bc) s (geocode $with s, without the file $base s)"

cp "$root/examples/herof2.json" "$work/a.json"
awk 'BEGIN { printf "{\"maps\": ["; for (i = 0; i < 100000; i++)
    printf "%s{\"input\": \"a.json\", \"outputs\": [\"out/m%d.png\"]}", i ? "," : "", i;
    print ",{\"input\": \"a.json\", \"outputs\": [\"out/./m0.png\"]}]}" }' >"$work/manifest.json"
echo "manifest-100k   $(seconds "$balmap" batch "$work/manifest.json") s (refused: a duplicate)"

python3 - "$root/examples/herof2.json" "$work" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d['title'] = 'a' + '\u0301' * 100000
json.dump(d, open(sys.argv[2] + '/accents.json', 'w'), ensure_ascii=False)
d['title'] = 'A' * (10 * 1024 * 1024)
json.dump(d, open(sys.argv[2] + '/title-10mb.json', 'w'))
PY
accents=$(python3 -c "print('a' + '\u0301' * 60000, end='')")
echo "title-accents   $(seconds "$balmap" render "$work/accents.json" -o "$work/t.svg") s (file)," \
    "$(seconds "$balmap" render "$root/examples/herof2.json" -o "$work/t.svg" --title "$accents") s (--title)"
echo "title-10mb      $(seconds "$balmap" render "$work/title-10mb.json" -o "$work/t.svg") s (refused)"
