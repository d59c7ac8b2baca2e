# SPDX-License-Identifier: MIT
# prologue.sh - sourced by the tests/cli/*.sh scripts (after `set -euo pipefail`): checks their
# three arguments, BALMAP SOURCE_DIR WORK_DIR, sets balmap, src and work, empties WORK_DIR, runs
# in a UTF-8 locale without BALMAP_DATA_DIR (the build's data, whatever the caller's
# environment), and defines fail MESSAGE, which counts failures in n_bad.
if [[ $# -ne 3 ]]; then
    echo "usage: ${0##*/} BALMAP SOURCE_DIR WORK_DIR" >&2
    exit 2
fi
balmap=$1
src=$2
work=$3
export LC_ALL=C.UTF-8
unset BALMAP_DATA_DIR
rm -rf "$work"
mkdir -p "$work"
n_bad=0
fail() {
    echo "FAIL: $1"
    n_bad=$((n_bad + 1))
}
