#!/usr/bin/env bash
# The whole test suite on a fresh machine: sets up, then runs pytest offscreen.
# Extra arguments go to pytest (e.g. `scripts/test.sh -k sync`, `scripts/test.sh --soak`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export QT_QPA_PLATFORM=offscreen
export PYTHONDONTWRITEBYTECODE=1
exec .venv/bin/python -m pytest -p no:cacheprovider "$@"
