#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# lint-exports.sh PUBLIC.O EXPORTS [--objdump=PATH] - CTest lint.exports: the library object the
# command line links (balmap_public.o, see CMakeLists.txt) exports exactly the names listed in
# src/lib/balmap.exports, the API of balmap.h. Fails, naming the symbol, when another global
# symbol is defined (a bm_ internal that leaked, e.g. after the localising step broke) and when
# a listed name is not defined (a function removed or renamed without updating the list).
set -euo pipefail

usage="usage: lint-exports.sh PUBLIC.O EXPORTS [--objdump=PATH]"
if [[ $# -lt 2 ]]; then
    echo "$usage" >&2
    exit 2
fi
object=$1
exports=$2
objdump=objdump
for arg in "${@:3}"; do
    case $arg in
    --objdump=*) [[ -z ${arg#--objdump=} ]] || objdump=${arg#--objdump=} ;;
    *)
        echo "$usage" >&2
        exit 2
        ;;
    esac
done

listed=$(grep -v '^#' "$exports" | sed 's/[[:space:]]//g' | grep -v '^$' | sort -u)
# objdump -t: "ADDR FLAGS SECTION SIZE NAME"; global ('g') or weak ('w') symbols outside *UND*.
defined=$("$objdump" -t "$object" | awk '
    NF >= 5 && $2 ~ /^[gw]/ && $0 !~ /\*UND\*/ { print $NF }' | sort -u)
n_bad=0
while read -r name; do
    [[ -z $name ]] && continue
    if ! grep -qxF "$name" <<<"$listed"; then
        echo "$object: '$name' is exported but not listed in $exports; make it static, or list" \
            "it there if balmap.h is meant to offer it"
        n_bad=$((n_bad + 1))
    fi
done <<<"$defined"
while read -r name; do
    [[ -z $name ]] && continue
    if ! grep -qxF "$name" <<<"$defined"; then
        echo "$exports: '$name' is listed but the library does not define it"
        n_bad=$((n_bad + 1))
    fi
done <<<"$listed"
if ((n_bad)); then
    echo "lint.exports: $n_bad problem(s)"
    exit 1
fi
echo "lint.exports: ok ($(wc -l <<<"$listed") public symbols)"
