#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# package.sh CPACK BUILD_DIR SOURCE_DIR IMGDIFF WORK_DIR - CTest package.deb: `cpack -G DEB`
# builds balmap_VERSION_ARCH.deb whose control file has the library Depends dpkg-shlibdeps
# found and the fonts the default style names, whose files all lie under /usr where the install
# layout says, and which, unpacked anywhere (dpkg -x, nothing installed on this system), renders
# the README map from / with its own data: the PNG equals the render-herof2 case's.
# Skipped (exit 77) without dpkg-deb and dpkg-shlibdeps (scripts/setup.sh installs dpkg-dev).
set -euo pipefail

if [[ $# -ne 5 ]]; then
    echo "usage: package.sh CPACK BUILD_DIR SOURCE_DIR IMGDIFF WORK_DIR" >&2
    exit 2
fi
cpack=$1
build=$2
src=$3
imgdiff=$4
work=$5
export LC_ALL=C.UTF-8
unset BALMAP_DATA_DIR

for tool in dpkg-deb dpkg-shlibdeps; do
    command -v "$tool" >/dev/null || {
        echo "package: '$tool' not found (dpkg-dev); skipped"
        exit 77
    }
done

n_bad=0
fail() {
    echo "FAIL: $1"
    n_bad=$((n_bad + 1))
}

rm -rf "$work"
mkdir -p "$work"
work=$(cd "$work" && pwd -P)
echo "+ cpack -G DEB --config $build/CPackConfig.cmake -B $work"
"$cpack" -G DEB --config "$build/CPackConfig.cmake" -B "$work" >"$work/cpack.log" 2>&1 || {
    cat "$work/cpack.log"
    echo "package: cpack failed"
    exit 1
}
debs=("$work"/balmap_*.deb)
[[ -f ${debs[0]} && ${#debs[@]} -eq 1 ]] || {
    echo "package: expected one balmap_*.deb in $work, found: ${debs[*]}"
    exit 1
}
deb=${debs[0]}
echo "package: $(basename "$deb"), $(stat -c %s "$deb") bytes"

# The control file.
dpkg-deb -I "$deb" >"$work/info.txt"
[[ $(dpkg-deb -f "$deb" Package) == balmap ]] || fail "Package is not balmap"
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
# What the binary links (found by dpkg-shlibdeps, with versions) and the default style's fonts.
for dep in 'libc6 (>=' 'libcairo2 (>=' 'libpango-1.0-0 (>=' 'libcjson1 (>=' fonts-dejavu-core \
    fonts-noto-core fontconfig; do
    [[ $depends == *"$dep"* ]] || fail "Depends lacks '$dep'"
done

# The files: all under /usr, where the install layout puts them.
dpkg-deb -c "$deb" | awk '{print $6}' >"$work/files.txt"
for f in ./usr/bin/balmap ./usr/share/balmap/shapes/gazetteer.tsv \
    ./usr/share/balmap/styles/default.json ./usr/share/man/man1/balmap.1.gz \
    ./usr/share/bash-completion/completions/balmap ./usr/share/doc/balmap/README.md; do
    grep -qxF "$f" "$work/files.txt" || fail "the package lacks $f"
done
outside=$(grep -v '^\./usr/' "$work/files.txt" | grep -vx '\./' || true)
[[ -z $outside ]] || fail "files outside /usr: $outside"

# Unpacked into a directory: the program finds its data beside itself.
dpkg-deb -x "$deb" "$work/root"
balmap=$work/root/usr/bin/balmap
version=$(cd / && "$balmap" --version) || fail "balmap --version failed"
echo "$version"
expected="data: $work/root/usr/share/balmap (installed, found from the program's location)"
[[ $(sed -n 2p <<<"$version") == "$expected" ]] || fail "expected '$expected'"
mkdir -p "$work/out"
if (cd / && "$balmap" render "$src/examples/herof2.json" -o "$work/out/map.png"); then
    "$imgdiff" --diff "$work/map.diff.png" "$src/tests/cli/render-herof2/expected.png" \
        "$work/out/map.png" || fail "map.png differs from render-herof2's"
else
    fail "the unpacked balmap could not render the example"
fi

if ((n_bad > 0)); then
    echo "package: $n_bad failure(s)"
    exit 1
fi
echo "package: ok"
