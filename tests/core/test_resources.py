"""resource_path: env override, frozen bundle, source tree, and refusal to escape."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from petition_core import resources
from petition_core.resources import resource_path

REPO = Path(__file__).resolve().parents[2]


def test_source_tree_default(monkeypatch):
    monkeypatch.delenv("SUQIU_RESOURCES", raising=False)
    p = resource_path("holidays", "cn.json")
    assert p == REPO / "resources" / "holidays" / "cn.json"
    assert p.is_file()


def test_env_override_wins(monkeypatch, tmp_path):
    monkeypatch.setenv("SUQIU_RESOURCES", str(tmp_path))
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", "/nonexistent", raising=False)
    assert resource_path("divisions") == tmp_path / "divisions"


def test_frozen_bundle(monkeypatch, tmp_path):
    monkeypatch.delenv("SUQIU_RESOURCES", raising=False)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources.resources_root() == tmp_path / "resources"


def test_blank_env_is_ignored(monkeypatch):
    monkeypatch.setenv("SUQIU_RESOURCES", "   ")
    assert resources.resources_root() == REPO / "resources"


@pytest.mark.parametrize("bad", [("..", "etc"), ("/etc/passwd",), ("a/../../b",)])
def test_refuses_paths_outside_resources(bad):
    with pytest.raises(ValueError):
        resource_path(*bad)
