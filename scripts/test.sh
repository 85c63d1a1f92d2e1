#!/usr/bin/env bash
# The whole test suite on a fresh machine: sets up, runs the static checks (ruff and mypy,
# scripts/lint.sh: it stops here when either fails), then runs pytest offscreen.
# Extra arguments go to pytest (e.g. `scripts/test.sh -k sync`, `scripts/test.sh --soak`).
# It always passes --bundle, so the bundle and .deb are built and tested too (CI runs this).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/lint.sh
export QT_QPA_PLATFORM=offscreen
export PYTHONDONTWRITEBYTECODE=1
# --bundle: also build the station's PyInstaller bundle and .deb with scripts/package.sh and
# run them from a clean folder (tests/build; a few minutes on 2 cores)
# -n 2: one worker per core (pytest-xdist); --dist loadgroup keeps the bundle's tests on one
# worker, so the bundle is built once (tests/conftest.py)
exec .venv/bin/python -m pytest -p no:cacheprovider -n "${SUQIU_TEST_WORKERS:-2}" \
  --dist loadgroup --bundle "$@"
