#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# lint-source.sh banned|lib-io SOURCE_DIR - greps C code (comments and string contents blanked)
# for calls the style guide forbids, naming file:line.
#   banned  (lint.banned, section 5): sprintf strcpy strcat atoi atof strtok gets, in src/ and
#           tests/. Whole words only: snprintf and vsnprintf are fine.
#   lib-io  (lint.no_stdout_in_lib, section 4): src/lib never prints, exits, reads the
#           environment or sets the locale; warnings go to the request's callback.
set -euo pipefail

if [[ $# -ne 2 || ! -d $2 ]]; then
    echo "usage: lint-source.sh banned|lib-io SOURCE_DIR" >&2
    exit 2
fi
mode=$1
src=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

case $mode in
banned)
    dirs=("$src/src" "$src/tests")
    pattern='(^|[^A-Za-z0-9_])(sprintf|strcpy|strcat|atoi|atof|strtok|gets)[[:space:]]*\('
    ;;
lib-io)
    dirs=("$src/src/lib")
    calls='printf|vprintf|puts|putchar|perror|exit|_Exit|quick_exit|getenv|secure_getenv|setlocale'
    pattern="(^|[^A-Za-z0-9_])(($calls)[[:space:]]*\\(|(stdout|stderr)([^A-Za-z0-9_]|\$))"
    ;;
*)
    echo "lint-source.sh: unknown check '$mode'; expected one of: banned, lib-io" >&2
    exit 2
    ;;
esac

# What to do instead of NAME.
advice() {
    case $1 in
    sprintf | strcpy | strcat) echo "use snprintf or bm_buf_printf (bounded)" ;;
    atoi | atof) echo "use strtol/strtod and check the end pointer" ;;
    strtok) echo "it keeps hidden state; scan with strcspn/strspn" ;;
    gets) echo "use fgets or bm_buf_read_file" ;;
    getenv) echo "src/lib reads no environment; the CLI passes values in the request" ;;
    setlocale) echo "src/lib leaves the locale alone; parse with strtod" ;;
    exit | _Exit | quick_exit) echo "src/lib never exits; return a bm_status" ;;
    *) echo "src/lib never prints; fill bm_error or call the request's warning callback" ;;
    esac
}

n_bad=0
while IFS= read -r -d '' file; do
    rel=${file#"$src"/}
    while IFS=: read -r line_no match; do
        name=${match//[^A-Za-z0-9_]/}
        echo "$rel:$line_no: '$name' is not allowed: $(advice "$name")"
        n_bad=$((n_bad + 1))
    done < <(awk -f "$here/lint-strip.awk" "$file" | grep -noE "$pattern" || true)
done < <(find "${dirs[@]}" -type f \( -name '*.c' -o -name '*.h' \) -print0 2>/dev/null | sort -z)

if ((n_bad)); then
    echo "lint-source $mode: $n_bad problem(s)"
    exit 1
fi
echo "lint-source $mode: ok"
