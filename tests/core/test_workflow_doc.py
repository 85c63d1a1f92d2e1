"""docs/WORKFLOW.md agrees with petition_core.permissions: the generated tables are exactly
what the tables in code give, and the state diagram names only real statuses and actions."""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path

from petition_core.enums import Status
from petition_core.permissions import Action
from petition_core.permissions_doc import BEGIN, END, matrix_markdown, render_into

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "WORKFLOW.md"
PLANNED_STATES: set[str] = set()     # every state of the diagram exists in the fold


def _doc() -> str:
    return DOC.read_text(encoding="utf-8")


def test_generated_tables_match_the_code():
    doc = _doc()
    assert render_into(doc) == doc, "run scripts/workflow_doc.py --update"
    block = doc[doc.index(BEGIN) + len(BEGIN):doc.index(END)]
    assert block == "\n" + matrix_markdown()
    for action in Action:                      # every action has its row
        assert f"| `{action.value}` {action.label} |" in block


def test_a_changed_cell_is_caught(tmp_path, monkeypatch):
    """The script's check fails on a doc whose table was edited by hand, and --update
    restores it."""
    doc = _doc()
    row = "| `conclude` 办结 | 村 乡 县 | — |"
    tampered = doc.replace(row, "| `conclude` 办结 | 村 乡 县 | 乡 |")
    assert row in doc and tampered != doc
    spec = importlib.util.spec_from_file_location("workflow_doc",
                                                  ROOT / "scripts" / "workflow_doc.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main([]) == 0                # the committed doc
    copy = tmp_path / "WORKFLOW.md"
    copy.write_text(tampered, encoding="utf-8")
    monkeypatch.setattr(module, "DOC", copy)
    assert module.main([]) == 1
    assert module.main(["--update"]) == 0
    assert copy.read_text(encoding="utf-8") == doc


def test_state_diagram_uses_real_statuses_and_actions():
    doc = _doc()
    diagram = doc[doc.index("```mermaid"):doc.index("```", doc.index("```mermaid") + 3)]
    states: set[str] = set()
    actions: set[str] = set()
    values = {a.value for a in Action}
    for line in diagram.splitlines():
        m = re.match(r"\s*(\S+) --> (\S+) : (.*)", line)
        if not m:
            continue
        states |= {m.group(1), m.group(2)} - {"[*]"}
        label = m.group(3)
        first = re.match(r"[a-z_]+", label)
        assert first and first.group(0) in values | {"register"}, line
        actions.add(first.group(0))
        named = set(re.findall(r"\b[a-z]+_[a-z_]+\b", label))   # every snake_case word
        assert named <= values, (line, named - values)
        actions |= named
    statuses = {s.value for s in Status}
    assert statuses <= states                              # every status is drawn
    assert states - statuses == PLANNED_STATES
    for must in ("sign", "accept", "transfer", "assign", "conclude", "send_back",
                 "follow_up", "request_review", "request_rereview", "decide_review",
                 "close", "decline", "decide_extension"):
        assert must in actions, must
