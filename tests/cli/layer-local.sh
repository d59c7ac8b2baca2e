#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# layer-local.sh BALMAP SOURCE_DIR WORK_DIR - CTest cli.layer_local (issues 13 and 14):
# - a map from the built-in shapes never loads libgdal (the dynamic loader's LD_DEBUG=files log
#   names every library it maps); a map with --layer does;
# - network layer sources (a URL, /vsicurl/, a .vrt naming a URL) are refused with exit 1 and a
#   hint, before GDAL is even loaded, so nothing is fetched (the URLs are in TEST-NET-1 and
#   would hang, not fail, if anything tried them);
# - --allow-remote-layers lets GDAL try (a closed port of this machine, nothing leaves it);
# - a shapefile in metres without its .prj names the missing file.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/prologue.sh"

LD_DEBUG=files "$balmap" render "$src/examples/herof2.json" -o "$work/plain.png" -q \
    2>"$work/plain.log" || fail "plain render failed (exit $?)"
grep -q 'file=libcairo' "$work/plain.log" || fail "LD_DEBUG=files logged nothing: test is blind"
! grep -q 'libgdal' "$work/plain.log" || fail "a plain render loaded libgdal"

layer=$src/tests/data/layer-utm42n/provinces.shp
LD_DEBUG=files "$balmap" render "$src/examples/herof2.json" -o "$work/layer.png" -q \
    --layer "$layer:prov_name" 2>"$work/layer.log" || fail "render with --layer failed (exit $?)"
grep -q 'libgdal' "$work/layer.log" || fail "a --layer render did not load libgdal"

cat >"$work/remote.vrt" <<'VRT'
<OGRVRTDataSource>
  <OGRVRTLayer name="x"><SrcDataSource>/vsicurl/http://192.0.2.1/x.geojson</SrcDataSource></OGRVRTLayer>
</OGRVRTDataSource>
VRT
i=0
for spec in "http://192.0.2.1/x.geojson" "/vsicurl/http://192.0.2.1/x.shp" "$work/remote.vrt"; do
    i=$((i + 1))
    rc=0
    LD_DEBUG=files timeout 20 "$balmap" render "$src/examples/herof2.json" -o "$work/r$i.png" \
        --layer "$spec" 2>"$work/r$i.log" || rc=$?
    [[ $rc == 1 ]] || fail "--layer $spec gave exit $rc, expected 1"
    grep -q 'network source' "$work/r$i.log" || fail "--layer $spec: no 'network source' message"
    grep -q -- '--allow-remote-layers' "$work/r$i.log" || fail "--layer $spec: no hint"
    ! grep -q 'libgdal' "$work/r$i.log" || fail "--layer $spec loaded GDAL before refusing"
    [[ ! -e $work/r$i.png ]] || fail "--layer $spec: a map was written"
done

# --allow-remote-layers hands the URL to GDAL (a closed port on this machine: it fails fast).
rc=0
timeout 60 "$balmap" render "$src/examples/herof2.json" -o "$work/allowed.png" \
    --allow-remote-layers --layer "http://127.0.0.1:9/x.geojson" 2>"$work/allowed.log" || rc=$?
! grep -q 'network source' "$work/allowed.log" || fail "--allow-remote-layers did not lift the refusal"
[[ $rc == 3 ]] || fail "--allow-remote-layers with a closed port gave exit $rc, expected 3"

mkdir -p "$work/noprj"
for ext in shp shx dbf; do cp "$src/tests/data/layer-utm42n/provinces.$ext" "$work/noprj/"; done
rc=0
"$balmap" render "$src/examples/herof2.json" -o "$work/noprj.png" \
    --layer "$work/noprj/provinces.shp" 2>"$work/noprj.log" || rc=$?
[[ $rc == 1 ]] || fail "a layer without .prj gave exit $rc, expected 1"
grep -q "provinces.prj' is missing" "$work/noprj.log" ||
    fail "a layer without .prj does not name the missing .prj: $(head -3 "$work/noprj.log")"

if ((n_bad)); then
    echo "layer-local: $n_bad problem(s); files in $work"
    exit 1
fi
echo "layer-local: ok"
