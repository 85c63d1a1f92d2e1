#!/usr/bin/env bash
# Sets up everything Suqiu needs on a fresh Debian 12 / Ubuntu 22.04+ machine:
# system packages (when run as root, or with sudo), a virtualenv in .venv with the pinned
# dependencies, and the compiled translations.  Safe to run again: it only does what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# development and tests: venv, headers, the PostgreSQL the server tests start, pdftotext,
# and for scripts/package.sh and tests/build: objdump (binutils; dpkg-deb comes with dpkg),
# desktop-file-validate (the .deb's menu entry), Xvfb (the bundle on a real X display), and
# chromium + its driver (the county server's public page tested in a real browser)
DEV_PKGS=(python3-venv python3-dev postgresql poppler-utils binutils desktop-file-utils xvfb
          chromium chromium-driver)
# the station app at run time: every library Qt's xcb platform plugin links, and CJK fonts
# (one list for setup, tests/test_qt_system_libs.py and packaging: see the file's header)
mapfile -t RUNTIME_PKGS < <(sed -e 's/#.*//' packaging/linux/station-runtime-packages.txt | awk 'NF {print $1}')
SYS_PKGS=("${DEV_PKGS[@]}" "${RUNTIME_PKGS[@]}")
if [ "${1:-}" = "--list-system-packages" ]; then   # what this script installs, one a line
  printf '%s\n' "${SYS_PKGS[@]}"
  exit 0
fi

missing=()
for p in "${SYS_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "== installing system packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "== creating .venv"
  "$PY" -m venv .venv
fi
stamp=.venv/.suqiu-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "== installing Python dependencies (pinned in pyproject.toml)"
  .venv/bin/pip install -q --upgrade pip
  # every extra: the station app, the county server, the test tools and the bundle builder
  # (PyInstaller, for scripts/package.sh and its test; a village PC
  # installs only suqiu[station], a county server only suqiu[server]; see README)
  .venv/bin/pip install -q -e ".[station,server,test,build]"
  touch "$stamp"
fi

if [ -f scripts/build_translations.py ]; then
  .venv/bin/python scripts/build_translations.py >/dev/null
fi
if [ -f scripts/build_guide.py ]; then   # the help the app opens offline (docs/GUIDE.md)
  QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/build_guide.py >/dev/null
fi
echo "== setup done"
