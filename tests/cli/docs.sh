#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# docs.sh BALMAP MAN_PAGE COMPLETION WORK_DIR - CTest cli.docs: the man page balmap(1) and the
# bash completion (generated from dist/ and the option table) know every command `balmap --help`
# lists and every option each `balmap COMMAND --help` shows: the man page describes it in that
# command's OPTIONS section, the completion offers it for that command. The man page formats
# without a groff warning, and the completion completes (commands, options, words, files by
# extension) when bash runs it.
set -euo pipefail

if [[ $# -ne 4 ]]; then
    echo "usage: docs.sh BALMAP MAN_PAGE COMPLETION WORK_DIR" >&2
    exit 2
fi
balmap=$1
man_page=$2
completion=$(cd "$(dirname "$3")" && pwd)/$(basename "$3") # sourced from another directory
work=$4
export LC_ALL=C.UTF-8

n_bad=0
fail() {
    echo "FAIL: $1"
    n_bad=$((n_bad + 1))
}
rm -rf "$work"
mkdir -p "$work"

commands=$("$balmap" --help | sed -n '/^commands:/,/^$/{/^  [a-z]/s/^  \([a-z]*\).*/\1/p}')
[[ -n $commands ]] || fail "no commands found in 'balmap --help'"

for cmd in $commands; do
    upper=$(tr '[:lower:]' '[:upper:]' <<<"$cmd")
    # The man page: the command under COMMANDS, and its own OPTIONS section.
    awk '/^\.SH COMMANDS/{on=1; next} /^\.SH/{on=0} on' "$man_page" | grep -qx "\.B $cmd" ||
        fail "man page: '$cmd' is not under COMMANDS"
    awk -v h=".SH $upper OPTIONS" '$0==h{on=1; next} /^\.SH/{on=0} on' "$man_page" \
        >"$work/$cmd.man"
    [[ -s $work/$cmd.man ]] || fail "man page: no '$upper OPTIONS' section"
    # The completion: the command among the first words, and its branch of _balmap.
    grep -q "_balmap_words \"[^\"]*\\b$cmd\\b" "$completion" ||
        fail "completion: '$cmd' is not offered as a command"
    awk -v c="    $cmd)" '$0==c{on=1; next} /^    [a-z]+\)$/ || /^    esac$/{on=0} on' \
        "$completion" >"$work/$cmd.bash"
    [[ -s $work/$cmd.bash ]] || fail "completion: no branch for '$cmd'"
    # render's options are completed from the generated words list and cases, above the branch.
    [[ $cmd == render ]] && sed -n '/^_balmap_render_value()/,/^}/p' "$completion" >>"$work/$cmd.bash"

    # Every option line of the command's help: "  -X, --name ..." or "      --name ...".
    "$balmap" "$cmd" --help | grep -oE '^ +(-[A-Za-z], )?--[a-z][a-z0-9-]*' >"$work/$cmd.options" ||
        fail "'balmap $cmd --help' lists no options"
    while read -r short long; do
        if [[ -z $long ]]; then
            long=$short
            short=""
        fi
        short=${short%,}
        man_long=${long//-/\\-}
        grep -qF -- "$man_long" "$work/$cmd.man" ||
            fail "man page: '$cmd $long' is not in the $upper OPTIONS section"
        if [[ -n $short ]]; then
            grep -qF -- "${short//-/\\-}" "$work/$cmd.man" ||
                fail "man page: '$cmd $short' is not in the $upper OPTIONS section"
        fi
        grep -qE -- "(^|[ \"|])$long([ \")]|$)" "$work/$cmd.bash" ||
            fail "completion: '$cmd $long' is not offered"
        if [[ -n $short ]]; then
            grep -qE -- "(^|[ \"|])$short([ \")]|$)" "$work/$cmd.bash" ||
                fail "completion: '$cmd $short' is not offered"
        fi
    done <"$work/$cmd.options"
done

# groff's warnings (-ww): bad requests, escapes, fonts; -z: no output.
if command -v groff >/dev/null; then
    warnings=$(groff -man -ww -z "$man_page" 2>&1 || true)
    [[ -z $warnings ]] || fail "groff warns about the man page: $warnings"
else
    echo "docs: groff not found, the man page's formatting is not checked"
fi

# The completion at work: COMP_WORDS as bash gives them, COMPREPLY sorted.
mkdir -p "$work/files/maps"
touch "$work/files/herof2.json" "$work/files/notes.txt" "$work/files/map.png" \
    "$work/files/map.PDF" "$work/files/places.tsv"
complete_words() {
    (
        cd "$work/files"
        # shellcheck disable=SC1090
        source "$completion"
        COMP_WORDS=("$@")
        COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        COMPREPLY=()
        _balmap
        ((${#COMPREPLY[@]} == 0)) || printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' '
    )
}
expect() {
    local want=$1
    shift
    local got
    got=$(complete_words "$@")
    [[ $got == "$want" ]] || fail "completing '$*': got '$got', expected '$want'"
}
expect "render " balmap re
expect "--version " balmap --v
expect "--measure " balmap render --mea
expect "wounded " balmap render --measure w
expect "security_forces " balmap render --party s
expect "A4 A4-portrait " balmap render --size A4
expect "map.PDF map.png maps " balmap render -o ma
expect "herof2.json " balmap render h
expect "places.tsv " balmap render --gazetteer p
expect "maps " balmap render --data-dir m
expect "" balmap render --width ""
expect "district " balmap geocode --kind d
expect "--if-changed " balmap batch --if
expect "herof2.json " balmap validate h

if ((n_bad > 0)); then
    echo "docs: $n_bad failure(s)"
    exit 1
fi
echo "docs: every command and option is in the man page and the completion"
