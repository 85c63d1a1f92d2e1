"""Imports point one way (ARCHITECTURE.md): ui → services → store/sync → petition_core.

Checked statically from the source, so a violation fails even when the import is lazy.
"""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# package prefix -> prefixes it must never import
FORBIDDEN = {
    "petition_core": ("PySide6", "sqlalchemy", "alembic", "requests", "fastapi", "uvicorn",
                      "httpx", "station_app", "sync_server"),
    "station_app.store": ("PySide6", "station_app.ui", "station_app.services", "sync_server",
                          "fastapi"),
    "station_app.services": ("PySide6", "station_app.ui", "sync_server", "fastapi"),
    "station_app.sync": ("PySide6", "station_app.ui", "sync_server", "fastapi"),
    "station_app.ui": ("sqlalchemy", "requests", "station_app.store", "sync_server"),
    "sync_server": ("PySide6", "station_app"),
}


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def _violations() -> list[str]:
    out = []
    for pkg in ("petition_core", "station_app", "sync_server"):
        for path in sorted((ROOT / pkg).rglob("*.py")):
            mod = _module_name(path)
            rules = [bad for prefix, bad in FORBIDDEN.items()
                     if mod == prefix or mod.startswith(prefix + ".")]
            for imported in _imports(path):
                for bad in (b for r in rules for b in r):
                    if imported == bad or imported.startswith(bad + "."):
                        out.append(f"{mod} imports {imported}")
    return out


def test_imports_point_one_way():
    assert _violations() == []


def test_checker_catches_a_violation(tmp_path, monkeypatch):
    # The check itself must be able to fail: plant a bad import and see it reported.
    bad = ROOT / "petition_core" / "_layering_probe.py"
    bad.write_text("import PySide6\n", encoding="utf-8")
    try:
        assert "petition_core._layering_probe imports PySide6" in _violations()
    finally:
        bad.unlink()
