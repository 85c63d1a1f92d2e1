#!/usr/bin/env bash
# Long randomised sync fault runs: thousands of Hypothesis examples of N stations × M events
# through the fault proxy against a real server (tests/sync/test_convergence.py), plus the
# rest of the sync tests.  Takes a long time on purpose; not part of the normal suite.
# The --soak option lives in tests/sync/conftest.py, so the path must be given.
set -euo pipefail
cd "$(dirname "$0")/.."
export QT_QPA_PLATFORM=offscreen
exec .venv/bin/python -m pytest -p no:cacheprovider --timeout 0 tests/sync --soak "$@"
