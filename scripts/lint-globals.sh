#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# lint-globals.sh LIBBALMAP.A [--sanitize=LIST] [--objdump=PATH] - CTest lint.globals: src/lib
# has no mutable globals and no function-local statics (style guide section 5), so no object
# symbol may sit in .bss, .data, .data.rel or .data.rel.local. `static const` tables land in
# .rodata or .data.rel.ro and pass. Sanitizer builds add their own data to every object, so
# the check is skipped there (exit 77); the dev build runs it.
set -euo pipefail

lib=${1:-}
sanitize=""
objdump=objdump
for arg in "${@:2}"; do
    case $arg in
    --sanitize=*) sanitize=${arg#--sanitize=} ;;
    --objdump=*) [[ -z ${arg#--objdump=} ]] || objdump=${arg#--objdump=} ;;
    *)
        echo "usage: lint-globals.sh LIBBALMAP.A [--sanitize=LIST] [--objdump=PATH]" >&2
        exit 2
        ;;
    esac
done
if [[ -z $lib ]]; then
    echo "usage: lint-globals.sh LIBBALMAP.A [--sanitize=LIST] [--objdump=PATH]" >&2
    exit 2
fi
if [[ -n $sanitize ]]; then
    echo "lint.globals: skipped in a sanitizer build (BM_SANITIZE=$sanitize); the dev preset runs it"
    exit 77
fi
if [[ ! -f $lib ]]; then
    echo "lint.globals: '$lib' not found; build the balmap_lib target first"
    exit 1
fi

table=$("$objdump" -t "$lib")
# objdump names each archive member in a line "name.c.o:     file format ...".
bad=$(awk '/:[[:space:]]+file format / { obj = $1; sub(/:$/, "", obj); next }
           / O \.(bss|data(\.rel(\.local)?)?)[[:space:]]/ { print obj ": " $NF " (" $(NF-2) ")" }' \
    <<<"$table")
if [[ -n $bad ]]; then
    echo "lint.globals: mutable globals or function-local statics in src/lib:"
    echo "$bad"
    echo "lint.globals: make them const, or move the state into a context object"
    exit 1
fi
echo "lint.globals: ok"
