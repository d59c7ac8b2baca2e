#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# fuzz-ci.sh [SECONDS] - CI's short libFuzzer runs (issue 14, item 8): builds the fuzz preset
# (clang, -fsanitize=address,undefined,fuzzer-no-link; the library instrumented too) and runs
# every tests/fuzz/fuzz_*.c target for SECONDS (default $BM_FUZZ_SECONDS, else 60) on a copy of
# its seed corpus, so the committed corpus is never changed. A crash, sanitizer report or leak
# fails the run; its input is kept in build/fuzz/artifacts/ (add it to the corpus, with a test
# that failed before the fix: tests/fuzz/README.md). Without clang's libFuzzer runtime
# (Debian: clang, which scripts/setup.sh installs) it says so and exits 0: the CTest driver
# (label fuzz) still runs every target's corpus and 3000 mutations in the asan build.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
seconds=${1:-${BM_FUZZ_SECONDS:-60}}
[[ $seconds =~ ^[1-9][0-9]*$ ]] || {
    echo "usage: scripts/fuzz-ci.sh [SECONDS]" >&2
    exit 2
}

probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' \
    >"$probe/p.c"
if ! command -v clang >/dev/null 2>&1 ||
    ! clang -fsanitize=fuzzer "$probe/p.c" -o "$probe/p" >/dev/null 2>&1; then
    echo "fuzz-ci: clang with libFuzzer is not installed; skipped (the CTest fuzz driver still ran)"
    exit 0
fi

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j2
artifacts=$root/build/fuzz/artifacts
mkdir -p "$artifacts"
failed=()
for src in tests/fuzz/fuzz_*.c; do
    name=$(basename "$src" .c)
    target=${name#fuzz_}
    corpus=$probe/$target
    cp -r "tests/fuzz/corpus/$target" "$corpus"
    echo "== fuzz $target: $seconds s"
    if ! LSAN_OPTIONS=suppressions=$root/tests/lsan.supp \
        "build/fuzz/tests/$name" -max_total_time="$seconds" -max_len=4096 -timeout=10 \
        -rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix="$artifacts/$target-" \
        "$corpus" >"$probe/$target.log" 2>&1; then
        tail -40 "$probe/$target.log"
        failed+=("$target")
    else
        grep -E '^stat::number_of_executed_units|^Done' "$probe/$target.log" || true
    fi
done
if ((${#failed[@]})); then
    echo "fuzz-ci: failures in: ${failed[*]} (inputs in $artifacts)" >&2
    exit 1
fi
echo "fuzz-ci: every target ran $seconds s without a finding"
