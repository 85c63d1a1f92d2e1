"""The split of the distribution (issue 8 item 3): a core both programs share, ``station`` for
village/township PCs, ``server`` for the county.  Checked statically against the code, so a
new import of a library that the program's part does not declare fails here and not on a
village PC; tests/test_wheel_install.py installs the parts for real.
"""
from __future__ import annotations

import ast
import functools
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from wheel_env import dependency_closure

from petition_core import extras

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
OWN = {"petition_core", "station_app", "sync_server"}
# which parts each package may use: petition_core runs in both programs
PARTS = {"petition_core": (), "station_app": ("station",), "sync_server": ("server",)}


def _requirements(part: str | None) -> list[Requirement]:
    raw = PROJECT["dependencies"] if part is None else PROJECT["optional-dependencies"][part]
    return [Requirement(r) for r in raw]


def _names(reqs: list[Requirement]) -> set[str]:
    return {canonicalize_name(r.name) for r in reqs}


@functools.cache
def _providers() -> dict[str, set[str]]:
    return {mod: {canonicalize_name(d) for d in dists}
            for mod, dists in metadata.packages_distributions().items()}


def test_extras_table_matches_pyproject():
    """petition_core.extras (what the console scripts check) names, for each part, the
    modules its packages provide, and every package of the part provides one of them."""
    providers = _providers()
    assert set(extras.EXTRAS) == {"station", "server"}
    for part, modules in extras.EXTRAS.items():
        declared = _names(_requirements(part))
        for mod in modules:
            assert providers.get(mod, set()) & declared, (part, mod)
        for dist in declared:
            provided = {m for m, ds in providers.items() if dist in ds}
            assert provided & set(modules), (part, dist)


def test_parts_do_not_overlap():
    core = _names(_requirements(None))
    station, server = _names(_requirements("station")), _names(_requirements("server"))
    assert not (core & station) and not (core & server) and not (station & server)
    assert {"pyside6-essentials", "pyside6-addons"} <= station
    assert {"fastapi", "uvicorn", "psycopg"} <= server


def _third_party_imports(pkg: str) -> dict[str, list[str]]:
    """Top-level third-party modules imported anywhere in ``pkg`` (lazy imports too)."""
    found: dict[str, list[str]] = {}
    for path in sorted((ROOT / pkg).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top not in OWN and top not in sys.stdlib_module_names:
                    found.setdefault(top, []).append(str(path.relative_to(ROOT)))
    return found


@pytest.mark.parametrize("pkg", sorted(PARTS))
def test_every_import_is_declared_in_the_part_that_runs_it(pkg):
    """petition_core may use only the core; station_app the core and ``station``;
    sync_server the core and ``server`` (and what those packages bring along)."""
    reqs = _requirements(None) + [r for part in PARTS[pkg] for r in _requirements(part)]
    allowed = set(dependency_closure(reqs, set()))
    providers = _providers()
    wrong = {mod: where for mod, where in _third_party_imports(pkg).items()
             if not providers.get(mod, set()) & allowed}
    assert wrong == {}


def test_the_check_sees_an_undeclared_import():
    """The import scan is not blind: sync_server really imports fastapi, which the core
    alone does not provide."""
    core = set(dependency_closure(_requirements(None), set()))
    assert "fastapi" in _third_party_imports("sync_server")
    assert not _providers()["fastapi"] & core


def test_a_missing_extra_is_refused_in_plain_words(monkeypatch, capsys):
    monkeypatch.setitem(extras.EXTRAS, "station", ("PySide6", "no_such_module_xyz"))
    with pytest.raises(SystemExit) as exc:
        extras.require("station", "suqiu-station")
    assert exc.value.code == extras.EXIT_MISSING_EXTRA
    err = capsys.readouterr().err
    assert "no_such_module_xyz" in err and "PySide6" not in err
    assert 'pip install "suqiu[station]"' in err
    extras.require("server", "suqiu-server")           # installed here: no exit
