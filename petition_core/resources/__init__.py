"""The one resolver for the data files shipped with Suqiu (STYLE.md habit 13).

The data lives inside this package, beside this file: ``divisions/`` (statistical division
codes), ``holidays/`` (the State Council calendar), ``translations/`` (.ts sources and the
.qm files built from them) and ``styles/`` (the station's QSS).  Inside a package, the same
files travel with every way the code runs, so one rule finds them everywhere:

* a source checkout or an editable install: ``petition_core/resources/`` in the tree;
* a wheel (``pip install suqiu[station]``): setuptools package-data puts them beside the
  installed module (``[tool.setuptools.package-data]`` in pyproject.toml);
* a PyInstaller bundle: the spec copies them to ``petition_core/resources`` inside the
  bundle, and PyInstaller sets ``__file__`` of a bundled module to its place under
  ``sys._MEIPASS``, so the package directory is the same relative place.

An operator may point the environment variable ``SUQIU_RESOURCES`` at a directory of the
same layout (a county can try an updated holiday table or division list without a new
release); when set and non-empty it wins.

Callers ask :func:`resource_path`; nobody builds these paths by hand.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)

ENV_VAR = "SUQIU_RESOURCES"

_PACKAGE_DIR = Path(__file__).resolve().parent


def resources_root() -> Path:
    """Return the directory that holds the resources right now.

    Read on every call (not cached) so tests and operators can switch it with the
    environment variable without restarting the interpreter.
    """
    override = os.environ.get(ENV_VAR, "").strip()
    if override:
        return Path(override).expanduser()
    return _PACKAGE_DIR


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
