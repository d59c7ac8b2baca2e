#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# lint-layers.sh SOURCE_DIR - CTest lint.layers. Data flows one way through src/lib (style
# guide section 1): a module includes only its own headers and those of modules listed before
# it below, and no modules include each other in a cycle.
#
# A file directly in src/lib belongs to the longest module in `order` its base name is or starts
# with followed by '_' (incidents_json.c is incidents_json, incidents.c is incidents); a file in
# a folder of src/lib belongs to the module named like the folder (carto/labels.c is carto).
# Fails, naming file:line, on an upward include, a file whose module is not listed, and any
# include cycle between modules or between headers (found by a walk of the include graph,
# whatever the order says).
set -euo pipefail

order=(bm_error bm_buf bm_hash utf8 bm_limits dates json_kit
    incidents incidents_rows incidents_value incidents_readers incidents_json incidents_csv
    incidents_geojson
    incidents_load
    gazetteer shapes style text view geocode carto layout render svg html output manifest map balmap)

if [[ $# -ne 1 || ! -d $1/src/lib ]]; then
    echo "usage: lint-layers.sh SOURCE_DIR" >&2
    exit 2
fi
cd "$1"
lib=src/lib

declare -A rank_of # module -> its position in order
for i in "${!order[@]}"; do
    rank_of[${order[$i]}]=$i
done

# Sets `module` to the module of PATH (relative to src/lib): its folder, or the longest listed
# prefix of its base name; "" when none is listed. (No subshells: this runs per include.)
module_of() {
    local rel=$1 name m
    module=""
    if [[ $rel == */* ]]; then
        name=${rel%%/*}
    else
        name=${rel%.*}
    fi
    for m in "${order[@]}"; do
        if [[ $name == "$m" || ($rel != */* && $name == "$m"_*) ]] && ((${#m} > ${#module})); then
            module=$m
        fi
    done
}

# Sets `header` to the header an include names, relative to src/lib, when it is one of ours
# (first beside the including file, for a folder's own headers, then from src/lib), else "".
resolve() {
    local from_dir=$1 name=$2
    header=""
    if [[ -n $from_dir && $name == ../* ]]; then # from a folder up to src/lib
        from_dir=""
        name=${name#../}
    fi
    if [[ -n $from_dir && -f $lib/$from_dir/$name ]]; then
        header=$from_dir/$name
    elif [[ -f $lib/$name ]]; then
        header=$name
    fi
}

n_bad=0
module_edges=$(mktemp)
header_edges=$(mktemp)
trap 'rm -f "$module_edges" "$header_edges"' EXIT

while IFS= read -r -d '' file; do
    rel=${file#"$lib"/}
    dir=""
    [[ $rel == */* ]] && dir=${rel%/*}
    module_of "$rel"
    mod=$module
    if [[ -z $mod ]]; then
        echo "$file:1: '$rel' belongs to no known module; add its module to the order in" \
            "scripts/lint-layers.sh (${order[*]})"
        n_bad=$((n_bad + 1))
        continue
    fi
    rank=${rank_of[$mod]}
    line_no=0
    while IFS= read -r line || [[ -n $line ]]; do
        line_no=$((line_no + 1))
        # Quoted includes, and angle includes that name one of our headers.
        [[ $line =~ ^[[:space:]]*#[[:space:]]*include[[:space:]]*[\"\<]([^\"\>]+)[\"\>] ]] || continue
        resolve "$dir" "${BASH_REMATCH[1]}"
        [[ -n $header ]] || continue
        module_of "$header"
        hmod=$module
        if [[ -z $hmod ]]; then
            echo "$file:$line_no: includes '$header', which belongs to no known module"
            n_bad=$((n_bad + 1))
            continue
        fi
        [[ $rel == *.h ]] && echo "$rel $header $file:$line_no" >>"$header_edges"
        [[ $hmod == "$mod" ]] && continue
        echo "$mod $hmod $file:$line_no" >>"$module_edges"
        hrank=${rank_of[$hmod]}
        if ((hrank > rank)); then
            echo "$file:$line_no: upward include of '$header': module '$hmod' comes after" \
                "'$mod' in: ${order[*]}"
            n_bad=$((n_bad + 1))
        fi
    done <"$file"
done < <(find "$lib" -type f \( -name '*.c' -o -name '*.h' \) -print0 | sort -z)

# Prints one cycle of the graph given as "from to where" lines ("a -> b (file:line) -> a ..."),
# or nothing: a depth-first walk that reports the first back edge.
find_cycle() {
    awk '
        { if (!(($1 SUBSEP $2) in seen)) { seen[$1, $2] = 1; n[$1]++; to[$1, n[$1]] = $2;
              at[$1, $2] = $3 }
          nodes[$1] = 1; nodes[$2] = 1 }
        function walk(v,    i, w, k, path) {
            state[v] = 1; stack[++depth] = v
            for (i = 1; i <= n[v]; i++) {
                w = to[v, i]
                if (state[w] == 1) {
                    for (k = 1; stack[k] != w; k++) {}
                    path = w
                    for (; k < depth; k++)
                        path = path " -> " stack[k + 1] " (" at[stack[k], stack[k + 1]] ")"
                    path = path " -> " w " (" at[v, w] ")"
                    print path
                    return 1
                }
                if (state[w] == 0 && walk(w)) return 1
            }
            state[v] = 2; depth--
            return 0
        }
        END { for (v in nodes) if (state[v] == 0 && walk(v)) exit 0 }
    ' "$1"
}

cycle=$(find_cycle "$module_edges")
if [[ -n $cycle ]]; then
    echo "$lib: include cycle between modules: $cycle"
    n_bad=$((n_bad + 1))
fi
cycle=$(find_cycle "$header_edges")
if [[ -n $cycle ]]; then
    echo "$lib: include cycle between headers: $cycle"
    n_bad=$((n_bad + 1))
fi

if ((n_bad)); then
    echo "lint.layers: $n_bad problem(s); a module may include only modules listed before it," \
        "and no cycle"
    exit 1
fi
echo "lint.layers: ok"
