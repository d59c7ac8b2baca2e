#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# layer.sh BALMAP SOURCE_DIR WORK_DIR - CTest cli.layer: `--layer PATH:FIELD` with a shapefile
# in UTM zone 42N (EPSG:32642, not WGS 84; tests/data/layer-utm42n, made with ogr2ogr from
# shapes/pakistan-provinces.geojson, names in the field 'prov_name'). Every province is drawn,
# named from that field, and reprojected: Balochistan's outline from the layer must lie where the
# built-in one does. A missing layer file is refused with exit 3 and no map.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/prologue.sh"

layer=$src/tests/data/layer-utm42n/provinces.shp
"$balmap" render "$src/examples/herof2.json" -o "$work/map.png" --scene "$work/scene.txt" \
    --layer "$layer:prov_name" -q || fail "render with --layer failed (exit $?)"
[[ -s $work/map.png ]] || fail "map.png was not written"
n_layer=$(grep '^area layer ref=' "$work/scene.txt" | cut -d'"' -f2 | sort -u | wc -l)
[[ $n_layer == 7 ]] || fail "the scene has layer areas for $n_layer names, expected 7 provinces"
grep -q '^area layer ref="Balochistan" ' "$work/scene.txt" ||
    fail "no layer area named from the field prov_name"

rc=0
"$balmap" render "$src/examples/herof2.json" -o "$work/missing.png" \
    --layer "$work/no-such.shp" 2>"$work/stderr" || rc=$?
[[ $rc == 3 ]] || fail "a missing layer file gave exit $rc, expected 3"
grep -q "cannot open boundary layer" "$work/stderr" || fail "no message for a missing layer"
[[ ! -e $work/missing.png ]] || fail "a map was written despite the missing layer"

if ((n_bad)); then
    echo "layer: $n_bad problem(s); files in $work"
    exit 1
fi
echo "layer: ok"
