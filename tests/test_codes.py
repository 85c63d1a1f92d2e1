"""One error vocabulary (issue 8, D20), checked both ways on the source itself:

* every code raised anywhere is in the registry (petition_core/codes.py), and every code a
  station may have to show has a text in station_app/ui/messages.py in Chinese and English;
* every text and every registered code has something that raises it (no dead texts);
* the words live only there: no Chinese at ``ServiceError(...)`` call sites or in the
  protocol, one table of texts (no second one on the sync page), no synonyms, and the
  enrollment code is 注册码 (登记 is a case's registration).
"""
from __future__ import annotations

import ast
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

from petition_core import codes
from petition_core.validation import ERROR_CODES
from station_app.ui import messages

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("petition_core", "station_app", "sync_server")
TS = ROOT / "petition_core" / "resources" / "translations" / "suqiu_en.ts"
CJK = re.compile(r"[\u4e00-\u9fff]")
CODE_SHAPE = re.compile(r"^[a-z][a-z0-9_]*$")

# the exceptions that carry a code, and which positional argument it is
CODE_CARRIERS = {"ServiceError": 0, "SyncError": 0, "BundleError": 0, "ProtocolError": 0,
                 "EventFormatError": 0, "StoreError": 0, "BackupError": 0,
                 "StationKeyError": 0, "CaseNumberError": 0, "FieldError": 1}
# the vocabulary itself: a code named here is not thereby raised
VOCABULARY = {ROOT / "station_app/ui/messages.py", ROOT / "petition_core/codes.py",
              ROOT / "petition_core/protocol/errors.py"}
# codes messages.py makes itself: variants it picks for one code (login_backoff in minutes,
# one-sided ranges), and database_locked for SQLite's "database is locked" (describe_exception)
DERIVED = {"login_backoff_minutes", "out_of_range_max", "out_of_range_min", "database_locked"}


def _sources() -> Iterator[tuple[Path, ast.AST]]:
    for pkg in PACKAGES:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _carrier(node: ast.Call) -> str | None:
    f = node.func
    name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
    return name if name in CODE_CARRIERS else None


def raised_in_calls() -> set[str]:
    """Codes written literally where an exception is made: ``ServiceError("case_unknown")``."""
    found = set()
    for _path, tree in _sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and (name := _carrier(node)):
                i = CODE_CARRIERS[name]
                arg = node.args[i] if len(node.args) > i else next(
                    (k.value for k in node.keywords if k.arg == "code"), None)
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.add(arg.value)
    return found


def produced() -> set[str]:
    """Every code-shaped string the programs use outside the vocabulary, other than as a key
    of a table (a code a table only translates is not thereby raised): raised, returned,
    stored as an ack or quarantine reason, or compared with."""
    found = set(ERROR_CODES)
    for path, tree in _sources():
        if path in VOCABULARY:
            continue
        keys = {id(k) for node in ast.walk(tree) if isinstance(node, ast.Dict)
                for k in node.keys if k is not None}
        found |= {node.value for node in ast.walk(tree)
                  if isinstance(node, ast.Constant) and isinstance(node.value, str)
                  and id(node) not in keys and CODE_SHAPE.match(node.value)}
    return found


def english() -> dict[str, str]:
    """Chinese source → English of the "Messages" context of the translation file."""
    out = {}
    for ctx in ET.parse(TS).getroot().iter("context"):
        if ctx.findtext("name") != "Messages":
            continue
        for msg in ctx.iter("message"):
            tr = msg.find("translation")
            if tr is not None and tr.get("type") not in ("unfinished", "vanished", "obsolete"):
                out[msg.findtext("source") or ""] = (tr.text or "").strip()
    return out


def test_the_scan_finds_codes():
    # the checks below are only as good as the scan: it must see known raisers
    assert {"case_unknown", "action_not_allowed", "enroll_code_invalid",
            "body_malformed"} <= raised_in_calls()
    assert {"event_gap", "station_name_invalid", "not_found"} <= produced()


def test_every_raised_code_is_registered():
    assert sorted(raised_in_calls() - set(codes.CODES)) == []
    assert sorted(set(ERROR_CODES) - set(codes.CODES)) == []


def test_every_code_a_station_shows_has_chinese_and_english():
    shown = {c for c, info in codes.CODES.items() if info.station_shows} | set(ERROR_CODES)
    assert sorted(shown - messages.known_codes()) == []
    en = english()
    untranslated = sorted(code for code, source in messages._TEXTS.items()
                          if not en.get(source))
    assert untranslated == []


def test_every_text_and_every_registered_code_has_a_raiser():
    made = produced()
    assert sorted(messages.known_codes() - DERIVED - made) == []
    assert sorted(set(codes.CODES) - DERIVED - made) == []


def test_every_text_is_a_registered_code():
    assert sorted(messages.known_codes() - DERIVED - set(codes.CODES) - set(ERROR_CODES)) == []


def test_no_synonyms():
    for kept, gone in (("login_taken", "login_exists"), ("permission_denied", "forbidden"),
                       ("case_unknown", "case_not_found"), ("amend_no_change", "unchanged"),
                       ("amend_no_change", "amend_unchanged")):
        assert kept in codes.CODES and kept in messages.known_codes()
        assert gone not in codes.CODES and gone not in messages.known_codes(), gone
    # not_found stays a wire code (an HTTP 404 of the server) and says so, not "no such case"
    assert codes.CODES["not_found"].kind == "wire"
    assert "案件" not in messages._TEXTS["not_found"]


def test_every_code_has_a_direction():
    assert {info.side for info in codes.CODES.values()} <= set(codes.SIDES)
    assert codes.CODES["case_unknown"].side == "station"
    assert codes.CODES["auth_revoked"].side == "server"
    assert codes.CODES["event_unknown_type"].side == "both"
    assert not codes.CODES["register_claimed"].station_shows


def test_words_live_only_in_the_ui_table():
    chinese_at_raise = []
    for path, tree in _sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _carrier(node) == "ServiceError":
                for arg in [*node.args, *(k.value for k in node.keywords)]:
                    if CJK.search(ast.unparse(arg)):
                        chinese_at_raise.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert chinese_at_raise == []
    protocol = [str(p.relative_to(ROOT)) for p in (ROOT / "petition_core/protocol").glob("*.py")
                if CJK.search(p.read_text(encoding="utf-8"))]
    assert protocol == []
    # one table of texts: the sync page has none of its own
    assert not (ROOT / "station_app/ui/sync_texts.py").exists()
    tables = [str(path.relative_to(ROOT)) for path, tree in _sources()
              if path.parent == ROOT / "station_app/ui" and any(
                  isinstance(n, ast.Constant) and n.value == "event_unknown_type"
                  for n in ast.walk(tree))]
    assert tables == ["station_app/ui/messages.py"]


def test_the_enrollment_code_is_called_zhuce_ma():
    # 登记 is a case's registration; the county's one-time code is 注册码 everywhere
    ui = [p for p in (ROOT / "station_app").rglob("*.py")]
    bad = [str(p.relative_to(ROOT)) for p in ui if "登记码" in p.read_text(encoding="utf-8")]
    assert bad == []
    ts = TS.read_text(encoding="utf-8")
    assert "登记码" not in ts
    enrollment = [messages._TEXTS[c] for c in messages.known_codes() if c.startswith("enroll_")]
    assert enrollment and all("登记" not in t for t in enrollment)
    assert all("Registration code" not in v for v in english().values())


def test_the_station_cli_speaks_the_same_words(tmp_path, capsys):
    # the sync subcommands hold no texts of their own: a refusal is the app's sentence
    from station_app import cli

    assert cli.main(["--data-dir", str(tmp_path / "d"), "sync"]) == 1
    err = capsys.readouterr().err
    assert err.strip() == f"{messages.error_text('not_enrolled')} [not_enrolled]"


def test_the_server_cli_speaks_english_with_codes():
    # the county administrator reads plain English and the code; only data stays Chinese
    # (the default name the city lists for this server)
    lines = [ln.strip() for ln in (ROOT / "sync_server/cli.py").read_text("utf-8").splitlines()
             if CJK.search(ln)]
    assert lines == [
        'u.add_argument("--name", default="县级服务器")   # data: the name the city lists']


def _label_tables(keys: set[str]) -> list[str]:
    """Modules holding a table that gives one of ``keys`` words (a Chinese value)."""
    found = []
    for path, tree in _sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.Dict) and node.values and all(
                    CJK.search(ast.unparse(v)) for v in node.values) and any(
                    isinstance(k, ast.Constant) and k.value in keys for k in node.keys):
                found.append(str(path.relative_to(ROOT)))
    return sorted(set(found))


def test_event_and_field_labels_live_in_one_table():
    from petition_core.events import EventType

    events = {e.value for e in EventType}
    fields = {"channel", "received_at", "petitioner.name", "petitioner.phone", "group.size",
              "subject.name", "demands"}
    assert _label_tables(events) == ["station_app/ui/messages.py"]
    assert _label_tables(fields) == ["station_app/ui/messages.py"]
    assert {e: messages.event_label(e) for e in events}["case.amended"] == "更正登记事项"
    assert messages.conflict_label("amend:petitioner.phone") == "更正联系电话"


def test_every_code_a_server_raises_has_its_english_line():
    # the server's log and CLI words (one server-side table: protocol ERROR_MESSAGES)
    from petition_core.protocol import ERROR_MESSAGES

    server_side = {c for c, info in codes.CODES.items()
                   if info.kind in ("wire", "ack") and info.side in ("server", "servers", "both")}
    assert sorted(server_side - set(ERROR_MESSAGES)) == []
    assert all(not CJK.search(t) for t in ERROR_MESSAGES.values())
