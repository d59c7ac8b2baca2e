#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench/run.sh [N] - times whole processes, the way a user or a batch script meets balmap:
#   render    balmap render examples/herof2.json -o /tmp/x.png --width 1600 --height 1200
#   startup   balmap --version: process start of a binary linking the same libraries
#             (dynamic loading and relocation of Cairo, Pango, GDAL, PROJ), drawing nothing
#   true      /bin/true: the cost of starting any process on this machine
# N runs each (default 15) after 2 warm-up runs; prints the median in ms. Uses hyperfine when it
# can (installing it as root if missing: it is in Debian 12), else a bash loop timed with date.
set -euo pipefail

n=${1:-15}
[[ $n =~ ^[1-9][0-9]*$ ]] || {
    echo "usage: bench/run.sh [N]  (N runs per command, default 15)" >&2
    exit 2
}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

./scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release -j2 --target balmap >/dev/null
printf -v balmap '%q' "$root/build/release/balmap"

if ! command -v hyperfine >/dev/null 2>&1 && [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "bench: installing hyperfine"
    DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends hyperfine >/dev/null ||
        echo "bench: could not install hyperfine; timing with a bash loop"
fi

names=(render startup true)
commands=(
    "$balmap render examples/herof2.json -o /tmp/x.png --width 1600 --height 1200"
    "$balmap --version"
    "true"
)
# The render must work before its time means anything.
eval "${commands[0]}" >/dev/null || {
    echo "bench: the render command fails; fix that first" >&2
    exit 1
}

results=$(mktemp)
trap 'rm -f "$results" "$results.csv"' EXIT

if command -v hyperfine >/dev/null 2>&1; then
    tool="hyperfine $(hyperfine --version | cut -d' ' -f2)"
    # -N: no intermediate shell, so `true` measures process start alone.
    hyperfine -N --warmup 2 --runs "$n" --style basic --export-csv "$results.csv" \
        "${commands[@]}" >&2
    # CSV columns: command,mean,stddev,median,user,system,min,max (seconds).
    awk -F, 'NR > 1 { printf "%.1f\n", $4 * 1000 }' "$results.csv" >"$results"
else
    tool="bash loop, date +%s%N"
    for cmd in "${commands[@]}"; do
        argv=()
        eval "argv=($cmd)"
        for _ in 1 2; do "${argv[@]}" >/dev/null; done
        times=()
        for ((i = 0; i < n; i++)); do
            t0=$(date +%s%N)
            "${argv[@]}" >/dev/null
            t1=$(date +%s%N)
            times+=($(((t1 - t0) / 1000)))
        done
        printf '%s\n' "${times[@]}" | sort -n |
            awk '{ t[NR] = $1 } END { m = NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
                                      printf "%.1f\n", m / 1000 }' >>"$results"
    done
fi

echo
echo "median of $n runs ($tool), $(nproc) CPUs, $(uname -m):"
i=0
while IFS= read -r ms; do
    printf '  %-8s %8s ms   %s\n' "${names[$i]}" "$ms" "${commands[$i]/#"$balmap"/balmap}"
    i=$((i + 1))
done <"$results"
