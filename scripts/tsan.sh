#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# scripts/tsan.sh - the thread check: `balmap batch examples/batch.json -j 2` built with
# ThreadSanitizer (the tsan preset), into a temporary directory. Fails on any report that
# tests/tsan.supp does not explain (each entry there says why it is not balmap's). Not part of
# scripts/test.sh: TSan cannot run beside ASan, and this takes a minute to build.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
./scripts/setup.sh
cmake --preset tsan >/dev/null
cmake --build --preset tsan -j2 --target balmap >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp examples/herof2.json examples/herof2-timeline.json examples/batch.json "$work/"
sed "s|\"../styles/print.json\"|\"$root/styles/print.json\"|" examples/batch.json >"$work/batch.json"
symbolizer=$(command -v llvm-symbolizer || true)
export TSAN_OPTIONS="suppressions=$root/tests/tsan.supp halt_on_error=0 report_signal_unsafe=0${symbolizer:+ external_symbolizer_path=$symbolizer}"
rc=0
BALMAP_DATA_DIR="$root" build/tsan/balmap batch "$work/batch.json" -j 2 2>"$work/tsan.log" || rc=$?
n=$(grep -c "WARNING: ThreadSanitizer" "$work/tsan.log" || true)
tail -n 1 "$work/tsan.log"
if [[ $rc != 0 || $n != 0 ]]; then
    cat "$work/tsan.log"
    echo "tsan: exit $rc, $n report(s)" >&2
    exit 1
fi
echo "tsan: batch of $(grep -c '"input"' "$work/batch.json") maps with 2 threads, no report"
