#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# install.sh CMAKE BUILD_DIR SOURCE_DIR IMGDIFF WORK_DIR - CTest cli.install: `cmake --install`
# into a temporary prefix puts the binary, only the shapes the program reads, the styles, the
# man page and the bash completion where GNUInstallDirs says; the installed tree, moved elsewhere
# (as dpkg -x or another --prefix would), finds its data from the program's own location: with
# $BALMAP_DATA_DIR unset and the working directory /, `balmap --version` names the installed
# data, and the README's map rendered from a copy of its input outside the source tree equals
# the render-herof2 case (the scene exactly, the PNG within imgdiff's tolerance).
set -euo pipefail

if [[ $# -ne 5 ]]; then
    echo "usage: install.sh CMAKE BUILD_DIR SOURCE_DIR IMGDIFF WORK_DIR" >&2
    exit 2
fi
cmake=$1
build=$2
src=$3
imgdiff=$4
work=$5
export LC_ALL=C.UTF-8
unset BALMAP_DATA_DIR

n_bad=0
fail() {
    echo "FAIL: $1"
    n_bad=$((n_bad + 1))
}

rm -rf "$work"
mkdir -p "$work"
work=$(cd "$work" && pwd -P) # the program prints canonical paths
echo "+ cmake --install $build --prefix $work/staged"
"$cmake" --install "$build" --prefix "$work/staged" >"$work/install.log" 2>&1 || {
    cat "$work/install.log"
    echo "install: cmake --install failed"
    exit 1
}
# Moved after installing: nothing may depend on the prefix it was installed to.
mv "$work/staged" "$work/moved"
prefix=$work/moved

# What is installed where.
for f in bin/balmap share/balmap/shapes/gazetteer.tsv share/balmap/styles/default.json \
    share/balmap/styles/dark.json share/balmap/styles/print.json \
    share/man/man1/balmap.1.gz share/bash-completion/completions/balmap \
    share/doc/balmap/README.md share/doc/balmap/incident-format.md; do
    [[ -f $prefix/$f ]] || fail "$f is not installed"
done
[[ -x $prefix/bin/balmap ]] || fail "bin/balmap is not executable"
# Only the files the program reads: the gazetteer and the two boundary layers (packed or not).
shapes=$(cd "$prefix/share/balmap/shapes" && ls | sort | tr '\n' ' ')
case $shapes in
"countries.bms gazetteer.tsv pakistan-provinces.bms " | \
    "countries.fgb gazetteer.tsv pakistan-provinces.fgb ") ;;
*) fail "share/balmap/shapes holds '$shapes', not only the files balmap reads" ;;
esac
gzip -t "$prefix/share/man/man1/balmap.1.gz" || fail "the man page is not a valid gzip file"
bash -c "source '$prefix/share/bash-completion/completions/balmap' && complete -p balmap" \
    >/dev/null || fail "the bash completion does not register for balmap"

# The installed program, from /, with nothing pointing at the source tree.
balmap=$prefix/bin/balmap
echo "+ cd / && balmap --version"
version=$(cd / && "$balmap" --version) || fail "balmap --version failed"
echo "$version"
expected="data: $prefix/share/balmap (installed, found from the program's location)"
[[ $(sed -n 2p <<<"$version") == "$expected" ]] ||
    fail "balmap --version does not name the installed data; expected '$expected'"

mkdir -p "$work/in" "$work/out"
cp "$src/examples/herof2.json" "$work/in/"
echo "+ cd / && balmap render $work/in/herof2.json -o $work/out/map.png --scene $work/out/scene.txt"
rc=0
(cd / && "$balmap" render "$work/in/herof2.json" -o "$work/out/map.png" \
    --scene "$work/out/scene.txt") || rc=$?
if ((rc != 0)); then
    fail "the installed balmap could not render the example (exit $rc)"
else
    head -c 8 "$work/out/map.png" | od -An -tx1 | tr -d ' \n' | grep -qx 89504e470d0a1a0a ||
        fail "map.png is not a PNG"
    cmp -s "$src/tests/cli/render-herof2/expected.scene.txt" "$work/out/scene.txt" ||
        fail "the scene differs from tests/cli/render-herof2/expected.scene.txt"
    "$imgdiff" --diff "$work/map.diff.png" "$src/tests/cli/render-herof2/expected.png" \
        "$work/out/map.png" || fail "map.png differs from render-herof2's (see $work/map.diff.png)"
fi
# Private modules (dlopen), when the build has any: installed in LIBDIR/balmap, and a --layer
# render (the GDAL module) works with the installed tree.
modules=0
for m in "$build"/libbalmap_*.so; do
    [[ -e $m ]] || continue
    modules=$((modules + 1))
    found=$(find "$prefix" -path "*/balmap/${m##*/}" -print -quit)
    [[ $found == "$prefix"/lib*/balmap/"${m##*/}" ]] || fail "${m##*/} is not installed in LIBDIR/balmap"
done
if ((modules > 0)); then
    (cd / && "$balmap" render "$work/in/herof2.json" -o "$work/out/layer.png" \
        --layer "$src/tests/data/layer-utm42n/provinces.shp:prov_name") ||
        fail "the installed balmap could not render with --layer"
fi
# The gazetteer, through another command.
(cd / && "$balmap" geocode Quetta >"$work/geocode.txt") || fail "balmap geocode Quetta failed"

if ((n_bad > 0)); then
    echo "install: $n_bad failure(s)"
    exit 1
fi
echo "install: ok (installed under $prefix)"
