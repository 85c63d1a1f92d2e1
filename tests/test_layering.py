"""Imports point one way (ARCHITECTURE.md, docs/decisions/0001-module-contracts.md):
station: ui → services → store/sync → petition_core; server: api → services → store →
petition_core.  And no two of our modules import each other, directly or round a circle.

Checked statically on the resolved import graph (tests/import_graph.py): relative imports
count, and so do lazy imports inside functions.
"""
from __future__ import annotations

import ast
from pathlib import Path

from import_graph import cycles, import_graph, layer_violations

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("petition_core", "station_app", "sync_server")

# module prefix -> prefixes it must never import
FORBIDDEN = {
    "petition_core": ("PySide6", "sqlalchemy", "alembic", "requests", "fastapi", "uvicorn",
                      "httpx", "station_app", "sync_server"),
    "station_app.store": ("PySide6", "station_app.ui", "station_app.services",
                          "station_app.sync", "station_app.app", "station_app.cli",
                          "sync_server", "fastapi", "requests"),
    "station_app.sync": ("PySide6", "station_app.ui", "station_app.services",
                         "station_app.app", "station_app.cli", "sync_server", "fastapi"),
    "station_app.services": ("PySide6", "station_app.ui", "station_app.app", "station_app.cli",
                             "sync_server", "fastapi", "requests"),
    "station_app.ui": ("sqlalchemy", "alembic", "requests", "station_app.store",
                       "station_app.sync", "station_app.app", "station_app.cli",
                       "station_app.demo", "sync_server"),
    "sync_server": ("PySide6", "station_app"),
    "sync_server.store": ("sync_server.services", "sync_server.api", "sync_server.app",
                          "sync_server.cli", "fastapi"),
    "sync_server.services": ("sync_server.api", "sync_server.app", "sync_server.cli",
                             "fastapi"),
    "sync_server.api": ("sync_server.store", "sync_server.cli"),
}

# Written-down exceptions (source, target); each needs its reason here.  None today: the
# server's api reaches the database only through sync_server.services (api/deps.py takes the
# session factory from the app's state, built by sync_server.app).
ALLOWED: tuple[tuple[str, str], ...] = ()


def test_imports_point_one_way():
    assert layer_violations(import_graph(ROOT, PACKAGES), FORBIDDEN, ALLOWED) == []


def test_no_import_circles():
    edges = import_graph(ROOT, PACKAGES)
    assert cycles(edges) == []


def test_no_private_names_cross_modules():
    """A name with a leading underscore is its module's own; another module that needs it
    gets a public name (private names passed around were how the old circles held)."""
    crossing = []
    for pkg in PACKAGES:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom) and (
                        node.level or (node.module or "").split(".")[0] in PACKAGES):
                    crossing += [f"{path.relative_to(ROOT)}:{node.lineno} {a.name}"
                                 for a in node.names
                                 if a.name.startswith("_") and not a.name.startswith("__")]
    assert crossing == []


def _plant(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_checker_reports_relative_and_lazy_violations(tmp_path):
    # The check itself must be able to fail: a planted tree with the imports the old check
    # was blind to (relative, from a package, inside a function) must be reported.
    _plant(tmp_path, {
        "station_app/__init__.py": "",
        "station_app/store/__init__.py": "",
        "station_app/store/models.py": "X = 1\n",
        "station_app/sync/__init__.py": "",
        "station_app/sync/engine.py": "",
        "station_app/services/__init__.py": "",
        "station_app/services/cases.py": "def f():\n    from ..ui import views\n",
        "station_app/ui/__init__.py": "",
        "station_app/ui/views.py": "from ..store.models import X\nfrom .. import sync\n",
        "station_app/ui/page.py": "from station_app.sync import engine\n",
        "sync_server/__init__.py": "",
        "sync_server/store/__init__.py": "",
        "sync_server/store/db.py": "",
        "sync_server/api/__init__.py": "",
        "sync_server/api/sync.py": "from ..store import db\n",
        "petition_core/__init__.py": "",
        "petition_core/fold.py": "from . import x\nimport PySide6.QtCore\n",
    })
    found = layer_violations(import_graph(tmp_path, PACKAGES), FORBIDDEN)
    assert found == [
        "petition_core.fold imports PySide6.QtCore (line 2)",
        "station_app.services.cases imports station_app.ui.views (line 2)",
        "station_app.ui.page imports station_app.sync.engine (line 1)",
        "station_app.ui.views imports station_app.store.models (line 1)",
        "station_app.ui.views imports station_app.sync (line 2)",
        "sync_server.api.sync imports sync_server.store.db (line 1)",
    ]
    # An exception written down in ALLOWED is the only way past a rule.
    allowed = [("sync_server.api.sync", "sync_server.store.db")]
    assert "sync_server.api.sync imports sync_server.store.db (line 1)" not in \
        layer_violations(import_graph(tmp_path, PACKAGES), FORBIDDEN, allowed)


def test_checker_reports_circles(tmp_path):
    _plant(tmp_path, {
        "station_app/__init__.py": "",
        "station_app/app.py": "def run():\n    from . import cli\n",
        "station_app/cli.py": "from station_app.app import run\n",
        "station_app/ui/__init__.py": "",
        "station_app/ui/a.py": "from .b import B\n",
        "station_app/ui/b.py": "from .c import C\n",
        "station_app/ui/c.py": "from . import a\n",
        "station_app/ui/d.py": "from .a import A\n",
        # a type-only import back to the owner is no circle at run time (ui/duty.py)
        "station_app/ui/owner.py": "from .helper import Helper\n",
        "station_app/ui/helper.py": ("from typing import TYPE_CHECKING\n"
                                     "if TYPE_CHECKING:\n    from .owner import Owner\n"),
    })
    edges = import_graph(tmp_path, ("station_app",))
    assert cycles(edges) == [
        ["station_app.app", "station_app.cli"],
        ["station_app.ui.a", "station_app.ui.b", "station_app.ui.c"],
    ]
    # ... but it still counts for the layer rules
    assert [(e.target, e.typing_only) for e in edges if e.source == "station_app.ui.helper"
            and e.target != "typing"] \
        == [("station_app.ui.owner", True)]


def test_relative_import_above_the_top_is_an_error(tmp_path):
    _plant(tmp_path, {"petition_core/__init__.py": "", "petition_core/x.py": "from ... import y\n"})
    try:
        import_graph(tmp_path, ("petition_core",))
    except ValueError as exc:
        assert "beyond the top-level package" in str(exc)
    else:
        raise AssertionError("a relative import above the top-level package went unnoticed")
