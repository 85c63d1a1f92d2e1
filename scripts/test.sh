#!/usr/bin/env bash
# The whole test suite on a fresh machine: sets up, then runs pytest offscreen.
# Extra arguments go to pytest (e.g. `scripts/test.sh -k sync`, `scripts/test.sh --soak`).
# It always passes --bundle, so the bundle and .deb are built and tested too (CI runs this).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export QT_QPA_PLATFORM=offscreen
export PYTHONDONTWRITEBYTECODE=1
# --bundle: also build the station's PyInstaller bundle and .deb with scripts/package.sh and
# run them from a clean folder (tests/build; a few minutes on 2 cores)
exec .venv/bin/python -m pytest -p no:cacheprovider --bundle "$@"
