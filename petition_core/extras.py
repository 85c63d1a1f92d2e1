"""Which optional part of the distribution each program needs, and a plain refusal when the
part is not installed.

The ``suqiu`` distribution has a core shared by both programs and one extra per program
(``[project.optional-dependencies]`` in pyproject.toml): a village or township PC installs
``suqiu[station]`` and never gets FastAPI, uvicorn or psycopg; a county server installs
``suqiu[server]`` and never gets PySide6.  Both console scripts are installed either way, so
``suqiu-station`` on a server (or ``suqiu-server`` on a village PC) must say what is missing
and the command that adds it, not print an ImportError traceback from deep inside.

Checked before anything is imported (``find_spec`` of a top-level name imports nothing), by
the top-level import names the extra's packages provide.  tests/test_packaging.py keeps this
table equal to pyproject.toml's extras.
"""
from __future__ import annotations

import importlib.util
import sys

# extra → the top-level modules its packages provide (what the program imports)
EXTRAS: dict[str, tuple[str, ...]] = {
    "station": ("PySide6", "filelock"),
    "server": ("fastapi", "uvicorn", "psycopg", "prometheus_client"),
}

_PART_ZH = {"station": "站点端（村、乡镇）", "server": "县级服务器端"}

EXIT_MISSING_EXTRA = 1     # the CLIs' "refused or failed"


def missing_modules(extra: str) -> list[str]:
    """The extra's modules that cannot be imported here (empty when the extra is installed)."""
    return [name for name in EXTRAS[extra] if importlib.util.find_spec(name) is None]


def missing_extra_message(program: str, extra: str, missing: list[str]) -> str:
    names = ", ".join(missing)
    return (f"{program} 需要{_PART_ZH[extra]}组件，本机未安装：{names}。\n"
            f"请安装：pip install \"suqiu[{extra}]\"\n"
            f"{program} needs the '{extra}' extra; not installed: {names}. "
            f"Install it with: pip install \"suqiu[{extra}]\"")


def require(extra: str, program: str) -> None:
    """Exit with a plain message (no traceback) when ``extra`` is not installed."""
    missing = missing_modules(extra)
    if missing:
        print(missing_extra_message(program, extra, missing), file=sys.stderr)
        raise SystemExit(EXIT_MISSING_EXTRA)
