#!/usr/bin/env bash
# The static checks of the README's test command (scripts/test.sh runs this before pytest,
# and stops there when it fails): ruff with [tool.ruff] and mypy with [tool.mypy] of
# pyproject.toml, from the virtualenv (both pinned in the test extra; scripts/setup.sh
# installs them).  Without arguments: the whole tree (ruff) and the three packages (mypy).
# With paths: only those (tests/test_lint.py shows with it that each check can fail).
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
echo "== ruff check"
.venv/bin/ruff check --config pyproject.toml --no-cache "${@:-.}" || status=1
echo "== mypy"
# mypy checks the packages of [tool.mypy] when it is given no paths
.venv/bin/mypy --config-file pyproject.toml "$@" || status=1
exit "$status"
