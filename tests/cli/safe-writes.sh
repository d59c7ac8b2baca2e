#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# safe-writes.sh BALMAP SOURCE_DIR WORK_DIR - CTest cli.safe_writes (issue 14, item 2): the map
# and the scene dump are committed together; a symlink is followed, a FIFO (as /dev/null would
# be) is written as a stream and stays one, "-" and /dev/stdout are stdout; an unwritable
# --scene leaves the existing map as it was; SIGTERM during renders leaves no temporary file.
# Never touches the real /dev/null: a FIFO in the work directory stands in for it.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/prologue.sh"
unset CI SOURCE_DATE_EPOCH
cp "$src/examples/herof2.json" "$work/data.json"
# Names the renders must not leave: temporary files and backups, old and new spellings.
strays() {
    (cd "$work" && find . -name '*.tmp*' -o -name '*.balmap-tmp.*' -o -name '*.balmap-old.*')
}
small=(--width 1200 --height 900)

echo "+ the map and its scene, once"
"$balmap" render "$work/data.json" "${small[@]}" -o "$work/map.png" --scene "$work/scene.txt"
cp "$work/map.png" "$work/map.before"
cp "$work/scene.txt" "$work/scene.before"

echo "+ --scene into a missing directory: exit 3, the map and scene unchanged"
rc=0
"$balmap" render "$work/data.json" --width 1200 --height 900 -o "$work/map.png" \
    --scene "$work/nodir/scene.txt" 2>"$work/stderr" || rc=$?
cat "$work/stderr"
[[ $rc == 3 ]] || fail "exit $rc, expected 3"
cmp -s "$work/map.png" "$work/map.before" || fail "map.png was replaced by a failed render"
grep -q "nodir/scene.txt" "$work/stderr" || fail "the message does not name the scene file"

echo "+ --scene naming a directory: refused, the map unchanged"
mkdir "$work/dir.txt"
rc=0
"$balmap" render "$work/data.json" --width 1200 --height 900 -o "$work/map.png" \
    --scene "$work/dir.txt" 2>"$work/stderr" || rc=$?
cat "$work/stderr"
[[ $rc != 0 ]] || fail "a directory as --scene was accepted"
[[ -d $work/dir.txt ]] || fail "the directory was replaced"
cmp -s "$work/map.png" "$work/map.before" || fail "map.png was replaced by a failed render"

echo "+ --scene through a symlink to a FIFO (as /dev/null): written as a stream"
mkfifo "$work/fifo"
ln -s fifo "$work/null-link"
# The reader gives up after 30 s (a render that replaced the FIFO would never open it).
timeout 30 cat "$work/fifo" >"$work/from-fifo" &
reader=$!
"$balmap" render "$work/data.json" "${small[@]}" -o "$work/map.png" --scene "$work/null-link"
wait "$reader" || fail "the FIFO's reader got nothing (timed out)"
[[ -p $work/fifo ]] || fail "the FIFO was replaced by $(stat -c %F "$work/fifo")"
[[ -L $work/null-link ]] || fail "the symlink was replaced"
cmp -s "$work/from-fifo" "$work/scene.before" || fail "the FIFO's reader did not get the scene"

echo "+ --scene - and --scene /dev/stdout: the scene on stdout"
"$balmap" render "$work/data.json" "${small[@]}" --scene - >"$work/stdout1"
cmp -s "$work/stdout1" "$work/scene.before" || fail "--scene - did not write the scene to stdout"
"$balmap" render "$work/data.json" "${small[@]}" --scene /dev/stdout | cat >"$work/stdout2"
cmp -s "$work/stdout2" "$work/scene.before" ||
    fail "--scene /dev/stdout into a pipe did not write the scene"

echo "+ -o through a symlink: the link stays, its target is replaced"
mv "$work/map.png" "$work/real.png"
ln -s real.png "$work/map.png"
"$balmap" render "$work/data.json" --width 1300 --height 975 -o "$work/map.png"
[[ -L $work/map.png ]] || fail "the symlink map.png became a file"
cmp -s "$work/real.png" "$work/map.before" && fail "the symlink's target was not replaced"

echo "+ the same file twice: refused"
rc=0
"$balmap" render "$work/data.json" "${small[@]}" -o "$work/real.png" -o "$work/./map.png" \
    2>"$work/stderr" || rc=$?
cat "$work/stderr"
[[ $rc != 0 ]] || fail "one file named twice (through ./ and a symlink) was accepted"

echo "+ SIGTERM at random moments of 12 renders: no temporary file left"
for i in $(seq 1 12); do
    "$balmap" render "$work/data.json" "${small[@]}" -o "$work/k.png" -o "$work/k.pdf" \
        -o "$work/k.svg" --scene "$work/k.txt" 2>/dev/null &
    pid=$!
    sleep "0.$((RANDOM % 10))$((RANDOM % 10))"
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
done
left=$(strays)
[[ -z $left ]] || fail "temporary files left: $left"

if [[ $n_bad -gt 0 ]]; then
    echo "$n_bad check(s) failed"
    exit 1
fi
echo "all checks passed"
