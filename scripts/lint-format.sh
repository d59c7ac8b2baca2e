#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# lint-format.sh SOURCE_DIR [CLANG_FORMAT] - CTest lint.format: every C file under src/ and
# tests/ must be as clang-format leaves it (.clang-format; CI uses clang-format 14, Debian 12).
# Fix with: clang-format -i FILE.
set -euo pipefail

if [[ $# -lt 1 || ! -d $1 ]]; then
    echo "usage: lint-format.sh SOURCE_DIR [CLANG_FORMAT]" >&2
    exit 2
fi
src=$1
cf=${2:-clang-format}
if [[ $cf == *NOTFOUND* ]] || ! command -v "$cf" >/dev/null 2>&1; then
    echo "lint.format: clang-format not found; run scripts/setup.sh (Debian: apt-get install clang-format)"
    exit 1
fi
"$cf" --version

cd "$src"
files=()
while IFS= read -r -d '' f; do
    files+=("$f")
done < <(find src tests -type f \( -name '*.c' -o -name '*.h' \) -print0 2>/dev/null | sort -z)
if ((${#files[@]} == 0)); then
    echo "lint.format: no C files"
    exit 0
fi
# One file at a time, so the report can name each file and show a bounded diff of the fix.
n_bad=0
for f in "${files[@]}"; do
    if ! "$cf" --style=file --dry-run -Werror "$f" >/dev/null 2>&1; then
        n_bad=$((n_bad + 1))
        echo "$f: not formatted; the first lines of clang-format's change:"
        "$cf" --style=file "$f" | diff -u --label "$f" --label "$f (formatted)" "$f" - | head -n 20 || true
    fi
done
if ((n_bad)); then
    echo "lint.format: $n_bad of ${#files[@]} files need formatting: clang-format -i FILE"
    exit 1
fi
echo "lint.format: ${#files[@]} files ok"
