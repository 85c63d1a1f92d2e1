"""The static checks of the README's test command (issue 8 item 21).

scripts/test.sh (and so .ci/run) runs scripts/lint.sh — ruff, then mypy, both with the
settings in pyproject.toml — before pytest, and stops when it fails.  These tests run the
same script on small files written here: a finding of either tool makes it fail, and a clean
file passes (so a failure is the finding, not a missing tool or a broken configuration).
"""
from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT = ROOT / "scripts" / "lint.sh"

CLEAN = '''"""A module both checkers accept."""
from __future__ import annotations


def add(a: int, b: int) -> int:
    return a + b
'''
# 95 columns: within [tool.ruff]'s 100, beyond ruff's default of 88
WITHIN_PROJECT_WIDTH = "NOTE = " + repr("x" * 86) + "\n"


@pytest.fixture(scope="module")
def mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("mypy-cache")


def _lint(tmp_path: Path, cache: Path, source: str) -> subprocess.CompletedProcess[str]:
    sample = tmp_path / "sample.py"
    sample.write_text(source, encoding="utf-8")
    env = {**os.environ, "MYPY_CACHE_DIR": str(cache)}
    return subprocess.run([str(LINT), str(sample)], capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=240, check=False)


def test_a_clean_file_passes_both_checks(tmp_path: Path, mypy_cache: Path) -> None:
    assert len(WITHIN_PROJECT_WIDTH.rstrip("\n")) == 95
    r = _lint(tmp_path, mypy_cache, CLEAN + WITHIN_PROJECT_WIDTH)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "All checks passed!" in r.stdout
    assert "Success: no issues found in 1 source file" in r.stdout


def test_a_ruff_finding_fails_the_step(tmp_path: Path, mypy_cache: Path) -> None:
    source = CLEAN + WITHIN_PROJECT_WIDTH + "VERY_LONG = " + repr("y " * 50) + "\n"
    source = source.replace("from __future__ import annotations\n",
                            "from __future__ import annotations\n\nimport os\n")
    r = _lint(tmp_path, mypy_cache, source)
    assert r.returncode != 0, r.stdout + r.stderr
    assert "F401" in r.stdout                  # os imported, never used
    assert r.stdout.count("E501") == 1         # the 114-column line; the 95-column one is fine
    assert "Success: no issues found" in r.stdout   # the failure is ruff's alone


def test_a_type_error_fails_the_step(tmp_path: Path, mypy_cache: Path) -> None:
    source = CLEAN.replace("return a + b", "return str(a + b)") + '''

def untyped():
    count: int = "none"
    return count
'''
    r = _lint(tmp_path, mypy_cache, source)
    assert r.returncode != 0, r.stdout + r.stderr
    assert "All checks passed!" in r.stdout    # the failure is mypy's alone
    assert 'Incompatible return value type (got "str", expected "int")' in r.stdout
    # check_untyped_defs is on: the body of a function without annotations is checked too
    assert "Incompatible types in assignment" in r.stdout


def _commands(script: Path) -> list[list[str]]:
    text = script.read_text(encoding="utf-8").replace("\\\n", " ")   # continued lines
    out = []
    for line in text.splitlines():
        words = shlex.split(line, comments=True)
        if words:
            out.append(words)
    return out


def test_the_readme_test_command_runs_the_checks_before_pytest() -> None:
    ci = [w for w in _commands(ROOT / ".ci" / "run") if w[0] == "exec"]
    assert ci == [["exec", "scripts/test.sh"]]
    steps = [w[0] if w[0] != "exec" else w[1] for w in _commands(ROOT / "scripts" / "test.sh")]
    assert "scripts/lint.sh" in steps and ".venv/bin/python" in steps
    assert steps.index("scripts/setup.sh") < steps.index("scripts/lint.sh") \
        < steps.index(".venv/bin/python")
    # lint.sh runs both tools from the virtualenv, with the project's configuration
    lint = [w for w in _commands(LINT) if w[0].startswith(".venv/bin/")]
    assert [w[0] for w in lint] == [".venv/bin/ruff", ".venv/bin/mypy"]
    assert all("pyproject.toml" in w for w in lint)
