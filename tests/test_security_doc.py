"""docs/SECURITY.md and its fragments name the test behind every defence; a renamed or
deleted test must not leave the threat model pointing at nothing."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "docs" / "SECURITY.md", *sorted((ROOT / "docs" / "security").glob("*.md"))]

# tests/sync/test_x.py, test_x.py (a bare file name), ::test_name, …::test_name
TOKEN = re.compile(r"(?P<file>(?:tests/[\w/]+/)?test_\w+\.py)|(?:…)?::(?P<name>\w+)")


def _test_files() -> dict[str, list[Path]]:
    found: dict[str, list[Path]] = {}
    for path in (ROOT / "tests").rglob("test_*.py"):
        found.setdefault(path.name, []).append(path)
    return found


def _defined(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {n.name for n in ast.walk(tree)
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}


def references(text: str) -> list[tuple[str, str | None]]:
    """(file, test name or None) for every reference; a bare ``::name`` belongs to the file
    named last on the same line."""
    refs: list[tuple[str, str | None]] = []
    for line in text.splitlines():
        current: str | None = None
        for m in TOKEN.finditer(line):
            if m.group("file"):
                current = m.group("file")
                refs.append((current, None))
            elif current is not None:
                refs.append((current, m.group("name")))
    return refs


def problems(text: str) -> list[str]:
    files = _test_files()
    out = []
    for file, name in references(text):
        if "/" in file:
            paths = [ROOT / file] if (ROOT / file).exists() else []
        else:
            paths = files.get(file, [])
        if not paths:
            out.append(f"{file}: no such test file")
            continue
        if name is not None and not any(name in _defined(p) for p in paths):
            out.append(f"{file}::{name}: no such test")
    return out


def test_the_fragments_exist():
    names = {p.name for p in DOCS}
    assert {"SECURITY.md", "gate.md", "trust.md", "dos.md"} <= names
    main = DOCS[0].read_text(encoding="utf-8")
    for frag in DOCS[1:]:
        assert f"security/{frag.name}" in main, f"SECURITY.md does not link {frag.name}"


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_test_named_in_the_threat_model_exists(doc):
    text = doc.read_text(encoding="utf-8")
    if doc.name != "SECURITY.md":
        assert references(text), f"{doc.name} names no test"
    assert problems(text) == []


def test_the_checker_finds_a_missing_test():
    """The check above can fail: a made-up test name and a made-up file are reported."""
    text = ("| x | y | `tests/sync/test_trust_bundles.py::test_no_such_thing`, "
            "`test_trust_identity.py::test_a_request_replayed_to_another_server_with_the_"
            "same_key_is_refused`, `…::test_also_missing` |\n| z | `test_nowhere.py` |")
    assert problems(text) == [
        "tests/sync/test_trust_bundles.py::test_no_such_thing: no such test",
        "test_trust_identity.py::test_also_missing: no such test",
        "test_nowhere.py: no such test file",
    ]
