#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# lint-layers.sh SOURCE_DIR - CTest lint.layers. Data flows one way through src/lib (style
# guide section 1): a module includes only its own headers and those of modules listed before
# it below. A file belongs to the module its name starts with (incidents_json.c is incidents).
# Fails on an upward include, naming file:line, and on a file whose module is not listed.
set -euo pipefail

order=(bm_error bm_buf bm_hash incidents gazetteer shapes style text view layout render output map)

if [[ $# -ne 1 || ! -d $1/src/lib ]]; then
    echo "usage: lint-layers.sh SOURCE_DIR" >&2
    exit 2
fi
cd "$1"
lib=src/lib

# Prints the position of the module NAME (a file's base name) belongs to, or nothing.
rank_of() {
    local name=${1%.*} best=-1 best_len=0 i
    for i in "${!order[@]}"; do
        local m=${order[$i]}
        if [[ $name == "$m" || $name == "$m"_* ]] && ((${#m} > best_len)); then
            best=$i
            best_len=${#m}
        fi
    done
    ((best >= 0)) && echo "$best"
    return 0
}

n_bad=0
while IFS= read -r -d '' file; do
    base=${file##*/}
    rank=$(rank_of "$base")
    if [[ -z $rank ]]; then
        echo "$file:1: '$base' belongs to no known module; add its module to the order in" \
            "scripts/lint-layers.sh (${order[*]})"
        n_bad=$((n_bad + 1))
        continue
    fi
    line_no=0
    while IFS= read -r line || [[ -n $line ]]; do
        line_no=$((line_no + 1))
        # Quoted includes, and angle includes that name one of our headers.
        [[ $line =~ ^[[:space:]]*#[[:space:]]*include[[:space:]]*[\"\<]([^\"\>]+)[\"\>] ]] || continue
        header=${BASH_REMATCH[1]}
        [[ -f $lib/$header ]] || continue
        hrank=$(rank_of "${header##*/}")
        if [[ -z $hrank ]]; then
            echo "$file:$line_no: includes '$header', which belongs to no known module"
            n_bad=$((n_bad + 1))
        elif ((hrank > rank)); then
            echo "$file:$line_no: upward include of '$header': module '${order[$hrank]}'" \
                "comes after '${order[$rank]}' in: ${order[*]}"
            n_bad=$((n_bad + 1))
        fi
    done <"$file"
done < <(find "$lib" -type f \( -name '*.c' -o -name '*.h' \) -print0 | sort -z)

if ((n_bad)); then
    echo "lint.layers: $n_bad problem(s); a module may include only modules listed before it"
    exit 1
fi
echo "lint.layers: ok"
