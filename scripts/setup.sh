#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# setup.sh - installs the Debian 12 packages balmap needs to build, test and render, and only
# those that are missing. Quick when everything is there (one dpkg-query per package, no
# network). Changes no global configuration: DEBIAN_FRONTEND is set for apt-get alone.
set -euo pipefail

packages=(
    # build tools; libc6-dev is only a Recommends of gcc, so --no-install-recommends needs it
    gcc libc6-dev make cmake pkg-config
    binutils     # objdump, for lint.globals
    valgrind     # memcheck.render
    clang-format # lint.format (version 14 on Debian 12)
    clang libclang-rt-14-dev # scripts/fuzz-ci.sh: libFuzzer (the runtime is only a Recommends)
    # libraries
    libcairo2-dev libpango1.0-dev libgdal-dev libproj-dev libcjson-dev libpng-dev
    libdeflate-dev # PNG encoding (encode_png, bench/README.md)
    # tools the tests call
    proj-bin      # cs2cs, reference coordinates
    libxml2-utils # xmllint, SVG validity
    poppler-utils # pdfinfo and pdftoppm, PDF validity
    librsvg2-bin  # rsvg-convert: the SVG against the PNG (cli.svg)
    chromium      # headless: the SVG against the PNG, the HTML page's tooltips (cli.svg, cli.html)
    nodejs        # drives Chromium over its DevTools pipe in cli.html (no npm modules)
    dpkg-dev      # dpkg-shlibdeps: the .deb's Depends (cpack -G DEB, README "Install")
    groff-base    # groff: cli.docs checks the man page formats without warnings
    # the fonts the default style names, and the library that finds them; on Debian 12
    # fonts-noto-core ships Noto Nastaliq Urdu (NotoNastaliqUrdu-Regular/Bold.ttf) beside Noto
    # Sans, so Urdu labels are set in Nastaliq, not in DejaVu or Noto Kufi
    fonts-noto-core fonts-dejavu-core fontconfig
)

if ! command -v dpkg-query >/dev/null 2>&1; then
    # Not Debian: we cannot name packages, but we can tell whether the build will work.
    ok=1
    for tool in cc cmake pkg-config objdump clang-format cs2cs xmllint pdfinfo fc-match \
        rsvg-convert chromium node; do
        command -v "$tool" >/dev/null 2>&1 || {
            echo "setup: '$tool' not found" >&2
            ok=0
        }
    done
    if ((ok)) && pkg-config --exists libcjson cairo pangocairo gdal proj libpng; then
        exit 0
    fi
    echo "setup: this is not a Debian system; install the equivalents of:" >&2
    echo "  ${packages[*]}" >&2
    exit 1
fi

missing=()
for pkg in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    [[ $status == "install ok installed" ]] || missing+=("$pkg")
done

if ((${#missing[@]} == 0)); then
    exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
    echo "setup: missing Debian packages: ${missing[*]}" >&2
    echo "setup: install them as root, then run this again:" >&2
    echo "  sudo apt-get update && sudo apt-get install --no-install-recommends ${missing[*]}" >&2
    exit 1
fi

echo "setup: installing ${missing[*]}"
# Package lists may be empty (fresh container) or stale, so refresh them before installing.
DEBIAN_FRONTEND=noninteractive apt-get update -q
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
echo "setup: installed ${missing[*]}"
