#!/usr/bin/env bash
# Set up PortWatch on a fresh Debian/Ubuntu machine: the system libraries Qt
# needs (installed when missing and when we are root, listed otherwise), a
# virtual environment in .venv, and PortWatch installed editable into it.
#   bash packaging/bootstrap.sh          # the app
#   bash packaging/bootstrap.sh --test   # the app and the test tools
set -euo pipefail
cd "$(dirname "$0")/.."

extra=""
[ "${1:-}" = "--test" ] && extra="[test]"

# Qt's xcb/offscreen platforms and fonts; xvfb for screenshots of the real window.
debian_packages=(libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libfreetype6
  libglib2.0-0 libdbus-1-3 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0
  libxcb-xinerama0 libxcb-randr0 libxcb-render-util0 libxcb-image0 fonts-dejavu-core xvfb)
# The compiled decoders (below) need a C compiler and Python's headers.
command -v cc >/dev/null 2>&1 || debian_packages+=(gcc libc6-dev)
python=${PYTHON:-python3}
"$python" -c 'import os, sysconfig, sys; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' 2>/dev/null ||
  debian_packages+=(python3-dev)
if command -v dpkg-query >/dev/null 2>&1; then
  missing=()
  for package in "${debian_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = "0" ]; then
      echo "installing Debian packages: ${missing[*]}"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
      echo "note: Qt may need these Debian packages (run as root to install): ${missing[*]}" >&2
    fi
  fi
fi

[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".${extra}"

# The hot decoders compiled with mypyc (decoders/_compiled): optional. When the
# build fails PortWatch runs the same decoders as pure Python; `portwatch --version`
# says which. PORTWATCH_PURE=1 skips the build (and the compiled modules at run time).
if [ "${PORTWATCH_PURE:-0}" = "0" ]; then
  .venv/bin/python packaging/build_accelerator.py --install ||
    echo "note: the compiled decoders were not built: PortWatch runs the pure-Python ones" >&2
fi
