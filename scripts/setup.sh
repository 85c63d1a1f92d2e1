#!/usr/bin/env bash
# Sets up everything Suqiu needs on a fresh Debian 12 / Ubuntu 22.04+ machine:
# system packages (when run as root, or with sudo), a virtualenv in .venv with the pinned
# dependencies, and the compiled translations.  Safe to run again: it only does what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

SYS_PKGS=(python3-venv python3-dev fonts-noto-cjk libegl1 libgl1 libfontconfig1 libxkbcommon0
          libglib2.0-0 libdbus-1-3 libxcb-cursor0 postgresql poppler-utils)

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
  .venv/bin/pip install -q -e ".[test]"
  touch "$stamp"
fi

if [ -f scripts/build_translations.py ]; then
  .venv/bin/python scripts/build_translations.py >/dev/null
fi
echo "== setup done"
