#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# run-case.sh BALMAP IMGDIFF SOURCE_DIR CASE_DIR WORK_DIR VERSION - runs one data-driven CLI case
# (zstd's cli-tests, MapServer's RUN_PARMS) and compares what it can see. A case directory holds:
#   args                      the command line after `balmap`, one line, shell-quoted; @SRC@ is
#                             the source dir, @OUT@ an empty per-case output dir (also the cwd)
#   expected.exit             the exit code
#   expected.stderr/.stdout   compared exactly, after the source dir, the output dir and
#                             "balmap VERSION" in the output read @SRC@, @OUT@, "balmap @VERSION@"
#   expected.stderr.contains  lines that must each appear in stderr (same substitutions); for
#   expected.stdout.contains  messages the spec fixes only in part
#   expected.scene.txt        compared exactly with @OUT@/scene.txt (the case passes --scene)
#   expected.png              compared with imgdiff against @OUT@/map.png; the diff image goes
#                             to WORK_DIR/<case>.diff.png
#   outputs                   one line per file, relative to @OUT@ or absolute: NAME must exist,
#                             `absent NAME` must not, and `only` means nothing else is in @OUT@
# BM_UPDATE_GOLDEN=1 rewrites expected.exit and the exact expectations that exist, and creates
# expected.scene.txt and expected.png from what the case wrote; .contains and outputs still
# apply. Look at the diff (and the diff image) before committing.
set -euo pipefail

if [[ $# -ne 6 ]]; then
    echo "usage: run-case.sh BALMAP IMGDIFF SOURCE_DIR CASE_DIR WORK_DIR VERSION" >&2
    exit 2
fi
balmap=$1
imgdiff=$2
src=$3
case_dir=$4
work=$5
version=$6
name=${case_dir##*/}
out=$work/out
update=${BM_UPDATE_GOLDEN:-0}
[[ $update == 1 ]] || update=0

rm -rf "$work"
mkdir -p "$out"

# The same environment everywhere: messages and numbers must not follow the tester's locale.
export LC_ALL=C.UTF-8
unset BALMAP_DATA_DIR

if [[ ! -f $case_dir/args || ! -f $case_dir/expected.exit ]]; then
    echo "$name: a case needs 'args' and 'expected.exit'" >&2
    exit 2
fi
IFS= read -r line <"$case_dir/args" || true
printf -v q_src '%q' "$src"
printf -v q_out '%q' "$out"
line=${line//@SRC@/"$q_src"}
line=${line//@OUT@/"$q_out"}
eval "set -- $line"
printf -v shown ' %q' "$@"
shown=${shown//"$q_out"/@OUT@}
echo "$name: balmap${shown//"$q_src"/@SRC@}"

rc=0
(cd "$out" && exec "$balmap" "$@") >"$work/stdout" 2>"$work/stderr" || rc=$?

# Copies FILE to COPY with the output and source dirs (out first: it may lie inside the source
# dir) and "balmap VERSION" replaced by placeholders. Literal, not regex, matching.
normalize() {
    local text=""
    IFS= read -r -d '' text <"$1" || true
    text=${text//"$out"/@OUT@}
    text=${text//"$src"/@SRC@}
    text=${text//"balmap $version"/"balmap @VERSION@"}
    printf '%s' "$text" >"$2"
}

failures=()
fail() {
    failures+=("$1")
    echo "FAIL: $1"
}

# Compares (or, when updating, rewrites) an exact expectation.
check_exact() {
    local expected=$1 actual=$2 what=$3
    if ((update)); then
        cp "$actual" "$expected"
        echo "updated ${expected#"$src"/}"
    elif ! diff -u --label "expected $what" --label "actual $what" "$expected" "$actual"; then
        fail "$what differs"
    fi
}

normalize "$work/stdout" "$work/stdout.norm"
normalize "$work/stderr" "$work/stderr.norm"

want_rc=$(tr -d '[:space:]' <"$case_dir/expected.exit")
if ((update)); then
    echo "$rc" >"$case_dir/expected.exit"
elif [[ $rc != "$want_rc" ]]; then
    fail "exit code $rc, expected $want_rc"
fi

for stream in stdout stderr; do
    if [[ -f $case_dir/expected.$stream ]]; then
        check_exact "$case_dir/expected.$stream" "$work/$stream.norm" "$stream"
    fi
    if [[ -f $case_dir/expected.$stream.contains ]]; then
        while IFS= read -r want || [[ -n $want ]]; do
            [[ -n $want ]] || continue
            grep -qF -- "$want" "$work/$stream.norm" || fail "$stream lacks: $want"
        done <"$case_dir/expected.$stream.contains"
    fi
done

if [[ -f $case_dir/expected.scene.txt || ($update == 1 && -f $out/scene.txt) ]]; then
    if [[ -f $out/scene.txt ]]; then
        normalize "$out/scene.txt" "$work/scene.txt.norm"
        check_exact "$case_dir/expected.scene.txt" "$work/scene.txt.norm" "scene"
    else
        fail "no scene dump @OUT@/scene.txt (does args pass --scene @OUT@/scene.txt?)"
    fi
fi

if [[ -f $case_dir/expected.png || ($update == 1 && -f $out/map.png) ]]; then
    if [[ ! -f $out/map.png ]]; then
        fail "no image @OUT@/map.png"
    elif ((update)); then
        cp "$out/map.png" "$case_dir/expected.png"
        echo "updated ${case_dir#"$src"/}/expected.png"
    elif ! "$imgdiff" --diff "$work/$name.diff.png" "$case_dir/expected.png" "$out/map.png"; then
        fail "image differs (see $work/$name.diff.png)"
    fi
fi

if [[ -f $case_dir/outputs ]]; then
    listed=()
    is_only=0
    while IFS= read -r entry || [[ -n $entry ]]; do
        entry=${entry%%#*}
        read -r word rest <<<"$entry" || true
        [[ -n ${word:-} ]] || continue
        if [[ $word == only ]]; then
            is_only=1
            continue
        fi
        want_absent=0
        if [[ $word == absent ]]; then
            want_absent=1
            word=$rest
        fi
        path=$word
        [[ $path == /* ]] || path=$out/$path
        if ((want_absent)); then
            [[ ! -e $path ]] || fail "$word exists, but should not"
        else
            [[ -f $path ]] || fail "$word was not written"
            listed+=("$path")
        fi
    done <"$case_dir/outputs"
    if ((is_only)); then
        while IFS= read -r -d '' f; do
            found=0
            for l in "${listed[@]}"; do
                [[ $f != "$l" ]] || found=1
            done
            ((found)) || fail "unexpected file ${f/#"$out"/@OUT@}"
        done < <(find "$out" -mindepth 1 ! -type d -print0)
    fi
fi

if ((${#failures[@]})); then
    echo "---- stdout"
    cat "$work/stdout.norm"
    echo "---- stderr"
    cat "$work/stderr.norm"
    echo "---- exit $rc"
    echo "$name: ${#failures[@]} failure(s); BM_UPDATE_GOLDEN=1 rewrites the exact expectations"
    exit 1
fi
echo "$name: ok"
