"""The one resolver for files under ``resources/`` (STYLE.md habit 13).

Why one function: the same code runs from a source checkout (tests, editable installs), from
a PyInstaller bundle on a village PC, and with an operator-supplied override (a county can
ship an updated holiday table or division list without a new release).  Every caller asks
here, so the three cases are handled in exactly one place.

Order of precedence:

1. the environment variable ``SUQIU_RESOURCES`` (a directory), when set and non-empty;
2. ``sys._MEIPASS/resources`` when running frozen (PyInstaller sets ``sys.frozen``);
3. ``<repo>/resources`` next to this package (``Path(__file__).parents[1]``).
"""
from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

log = logging.getLogger(__name__)

ENV_VAR = "SUQIU_RESOURCES"


def resources_root() -> Path:
    """Return the directory that plays the role of ``resources/`` right now.

    Read on every call (not cached) so tests and operators can switch it with the
    environment variable without restarting the interpreter.
    """
    override = os.environ.get(ENV_VAR, "").strip()
    if override:
        return Path(override).expanduser()
    meipass = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and meipass:
        return Path(meipass) / "resources"
    return Path(__file__).resolve().parents[1] / "resources"


def resource_path(*parts: str) -> Path:
    """Path of a resource, e.g. ``resource_path("holidays", "cn.json")``.

    The path is not checked for existence: callers decide whether a missing file is fatal.
    Absolute parts and ``..`` are refused so a resource name taken from data can never
    escape the resources directory.
    """
    for part in parts:
        p = Path(part)
        if p.is_absolute() or ".." in p.parts:
            raise ValueError(f"resource part must be relative and inside resources/: {part!r}")
    return resources_root().joinpath(*parts)
