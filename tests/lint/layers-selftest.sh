#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# layers-selftest.sh LINT_SCRIPT - CTest lint.layers_selftest: runs lint-layers.sh on tiny fake
# trees, so the lint is seen to fail where it must (an upward include, an include cycle, a file of
# no module) and to pass where it must (a folder of src/lib that is a listed module).
set -euo pipefail
lint=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
n_failed=0

# make_tree NAME FILE=INCLUDES... : src/lib/FILE including each comma-separated header.
make_tree() {
    local root=$work/$1 spec file inc
    shift
    mkdir -p "$root/src/lib"
    for spec in "$@"; do
        file=${spec%%=*}
        mkdir -p "$(dirname "$root/src/lib/$file")"
        : >"$root/src/lib/$file"
        IFS=, read -ra incs <<<"${spec#*=}"
        for inc in "${incs[@]}"; do
            [[ -n $inc ]] && echo "#include \"$inc\"" >>"$root/src/lib/$file"
        done
    done
    echo "$root"
}

# expect WANT_RC PATTERN TREE: the lint exits WANT_RC and its output matches PATTERN.
expect() {
    local want=$1 pattern=$2 tree=$3 out rc=0
    out=$(bash "$lint" "$tree" 2>&1) || rc=$?
    if [[ $rc -ne $want ]] || ! grep -qE -- "$pattern" <<<"$out"; then
        echo "FAIL ${tree##*/}: want exit $want and /$pattern/, got exit $rc:"
        echo "$out" | sed 's/^/    /'
        n_failed=$((n_failed + 1))
    else
        echo "ok ${tree##*/}"
    fi
}

t=$(make_tree clean bm_error.h= incidents.h=bm_error.h incidents.c=incidents.h,bm_error.h \
    incidents_load.c=incidents_load.h,incidents_readers.h incidents_load.h=incidents.h \
    incidents_readers.h=incidents.h incidents_json.c=incidents_readers.h,json_kit.h json_kit.h=)
expect 0 "lint.layers: ok" "$t"

# The model calling its loader: incidents.c includes incidents_load.h, which includes
# incidents.h (the cycle issue 11 removed).
t=$(make_tree model-calls-loader incidents.h= incidents.c=incidents.h,incidents_load.h \
    incidents_load.h=incidents.h incidents_load.c=incidents_load.h)
expect 1 "upward include of 'incidents_load.h'" "$t"
expect 1 "include cycle between modules: (incidents -> incidents_load|incidents_load -> incidents)" "$t"

# Two headers of one module including each other: no upward include, still a cycle.
t=$(make_tree header-cycle incidents.h=incidents_extra.h incidents_extra.h=incidents.h)
expect 1 "include cycle between headers: incidents(_extra)?.h -> incidents" "$t"

# A folder is one module, named like the folder: layout/ files rank as layout.
t=$(make_tree folder-ok map.h= layout/scene.c=scene.h,../bm_error.h layout/scene.h=bm_error.h \
    bm_error.h= map.c=map.h,layout/scene.h)
expect 0 "lint.layers: ok" "$t"
t=$(make_tree folder-upward map.h= layout/scene.c=map.h bm_error.h=)
expect 1 "layout/scene.c:1: upward include of 'map.h'" "$t"
t=$(make_tree folder-unknown nowhere/x.c=)
expect 1 "'nowhere/x.c' belongs to no known module" "$t"

# The real pipeline's names: carto/ sits above geocode, manifest above output, below map.
t=$(make_tree carto-geocode geocode.h=bm_error.h bm_error.h= carto/labels.c=../geocode.h \
    manifest.c=manifest.h,output.h,json_kit.h manifest.h= output.h= json_kit.h= map.c=manifest.h)
expect 0 "lint.layers: ok" "$t"
t=$(make_tree geocode-calls-carto geocode.c=carto/scene.h carto/scene.h=)
expect 1 "geocode.c:1: upward include of 'carto/scene.h'" "$t"
t=$(make_tree carto-geocode-cycle geocode.h=carto/scene.h carto/scene.h=../geocode.h)
expect 1 "include cycle between modules: (geocode -> carto|carto -> geocode)" "$t"
t=$(make_tree manifest-calls-map manifest.c=map.h map.h=)
expect 1 "manifest.c:1: upward include of 'map.h'" "$t"

if ((n_failed)); then
    echo "lint.layers_selftest: $n_failed case(s) failed"
    exit 1
fi
echo "lint.layers_selftest: ok"
