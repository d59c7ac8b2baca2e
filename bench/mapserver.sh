#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench/mapserver.sh [N] - balmap against MapServer's map2img drawing a map of the same work
# (bench/mapserver/README.md): the seed map as a 1600 x 1200 PNG, whole processes, alternated
# N times (default 15) by bench/pair.sh, which prints each median, the median of the pair-by-pair
# ratios balmap/map2img and the peak RSS of both. Installs mapserver-bin, fonts-dejavu-core and
# time from Debian when missing (as root). Aims (issue 13): ratio at most 0.33, balmap's peak
# RSS under 40 MiB.
set -euo pipefail

n=${1:-15}
[[ $n =~ ^[1-9][0-9]*$ ]] || {
    echo "usage: bench/mapserver.sh [N]" >&2
    exit 2
}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

need=()
command -v map2img >/dev/null 2>&1 || need+=(mapserver-bin)
[[ -x /usr/bin/time ]] || need+=(time)
[[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]] || need+=(fonts-dejavu-core)
if ((${#need[@]})); then
    if [[ $(id -u) -ne 0 ]]; then
        echo "bench: missing ${need[*]}; install them as root (apt-get install ${need[*]})" >&2
        exit 1
    fi
    echo "bench: installing ${need[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
fi

./scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release -j2 --target balmap >/dev/null

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# map2img prints a notice when no MapServer config file exists; it still renders.
ms="cd '$root/bench/mapserver' && map2img -m mapserver_map.map -i cairopng -o '$out/mapserver.png'"
bm="'$root/build/release/balmap' render '$root/examples/herof2.json' -o '$out/balmap.png' --width 1600 --height 1200"
bash -c "$ms" >/dev/null 2>&1 || {
    echo "bench: map2img fails:" >&2
    bash -c "$ms" >&2
    exit 1
}
echo "bench: $n pairs, $(nproc) CPUs, $(uname -m), load $(cut -d' ' -f1-3 /proc/loadavg), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
bench/pair.sh "$n" balmap "$bm" map2img "$ms"
