"""resource_path: the package directory (source, wheel and frozen alike), the env override,
and refusal to escape."""
from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from petition_core import resources
from petition_core.resources import resource_path

REPO = Path(__file__).resolve().parents[2]
PACKAGE_DATA = REPO / "petition_core" / "resources"


def test_source_tree_default(monkeypatch):
    monkeypatch.delenv("SUQIU_RESOURCES", raising=False)
    p = resource_path("holidays", "cn.json")
    assert p == PACKAGE_DATA / "holidays" / "cn.json"
    assert p.is_file()


def test_resources_live_inside_a_package():
    """Data beside the resolver's own module travels with it into wheels and bundles; a
    top-level resources/ beside the packages did not (a non-editable install had none)."""
    assert resources.resources_root() == Path(resources.__file__).resolve().parent
    assert not (REPO / "resources").exists()
    for part in (("divisions",), ("holidays", "cn.json"), ("styles", "station.qss"),
                 ("translations", "suqiu_en.ts")):
        assert resource_path(*part).exists(), part


def test_env_override_wins(monkeypatch, tmp_path):
    monkeypatch.setenv("SUQIU_RESOURCES", str(tmp_path))
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", "/nonexistent", raising=False)
    assert resource_path("divisions") == tmp_path / "divisions"


def test_blank_env_is_ignored(monkeypatch):
    monkeypatch.setenv("SUQIU_RESOURCES", "   ")
    assert resources.resources_root() == PACKAGE_DATA


def test_pyinstaller_spec_puts_resources_where_the_module_looks(tmp_path):
    """Frozen, ``__file__`` of petition_core.resources is ``_MEIPASS/petition_core/resources/
    __init__.pyc`` (PyInstaller sets it), so the spec must copy every resource directory to
    that same relative place.  The spec is executed with PyInstaller's build objects
    recorded (PyInstaller itself is not installed here; issue 12 builds the real bundle)."""
    spec = REPO / "packaging" / "suqiu-station.spec"
    seen: dict = {}

    def record(name):
        def build(*args, **kwargs):
            seen[name] = kwargs
            return SimpleNamespace(pure=[], scripts=[], binaries=[], datas=[])
        return build

    names = {n: record(n) for n in ("Analysis", "PYZ", "EXE", "COLLECT")}
    exec(compile(spec.read_text(encoding="utf-8"), str(spec), "exec"),  # noqa: S102
         {"SPECPATH": str(spec.parent), **names})
    datas = {Path(src): dest for src, dest in seen["Analysis"]["datas"]}
    wanted = [d for d in PACKAGE_DATA.iterdir() if d.is_dir() and d.name != "__pycache__"]
    assert wanted
    for d in wanted:
        assert datas.get(d) == f"petition_core/resources/{d.name}", d
    assert not any(dest == "resources" for dest in datas.values())


@pytest.mark.parametrize("bad", [("..", "etc"), ("/etc/passwd",), ("a/../../b",)])
def test_refuses_paths_outside_resources(bad):
    with pytest.raises(ValueError):
        resource_path(*bad)
