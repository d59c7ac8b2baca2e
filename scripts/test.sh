#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test.sh - the README's second command and CI's (.ci/run): installs what is missing, then
# builds and runs the whole suite (unit, cli, lint, fuzz) with the dev preset and again with
# the asan preset (AddressSanitizer, LeakSanitizer, UBSan), then runs every libFuzzer target for
# a minute (scripts/fuzz-ci.sh; BM_FUZZ_SECONDS). Exits non-zero if a build, a test, a lint
# check or a fuzz run fails. Extra arguments go to both ctest runs, e.g. `./scripts/test.sh -L unit`.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

./scripts/setup.sh

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

failed=()
for preset in dev asan; do
    echo "== $preset: configure and build"
    cmake --preset "$preset" >"$logs/$preset.configure" 2>&1 || {
        cat "$logs/$preset.configure"
        echo "test.sh: configuring the $preset preset failed" >&2
        exit 1
    }
    # A failed build stops here: running the tests would run stale binaries.
    cmake --build --preset "$preset" -j2 || {
        echo "test.sh: building the $preset preset failed" >&2
        exit 1
    }
    echo "== $preset: test"
    # --no-tests=error: a misconfigured tree must not pass by running nothing.
    if ! ctest --preset "$preset" --no-tests=error "$@" 2>&1 | tee "$logs/$preset.ctest"; then
        failed+=("$preset")
    fi
done

# Each libFuzzer target for a minute in the fuzz preset's ASan+UBSan build (issue 14, item 8);
# BM_FUZZ_SECONDS=N changes the time, 0 skips it. Without clang's libFuzzer it says so.
fuzz_summary="skipped (BM_FUZZ_SECONDS=0)"
if [[ ${BM_FUZZ_SECONDS:-60} != 0 ]]; then
    echo "== fuzz: libFuzzer, ${BM_FUZZ_SECONDS:-60} s per target"
    if ./scripts/fuzz-ci.sh 2>&1 | tee "$logs/fuzz.log"; then
        fuzz_summary=$(tail -1 "$logs/fuzz.log")
    else
        fuzz_summary="failed (see above)"
        failed+=("fuzz")
    fi
fi

echo "== summary"
for preset in dev asan; do
    summary=$(grep -E 'tests passed|No tests were found' "$logs/$preset.ctest" || true)
    echo "$preset: ${summary:-no ctest summary (see above)}"
done
echo "fuzz: $fuzz_summary"
if ((${#failed[@]})); then
    echo "test.sh: failures in: ${failed[*]}" >&2
    exit 1
fi
echo "test.sh: all passed"
