"""County-wide repeat and 越级 detection (Art. 19; issue 9 item 6; docs/PROTOCOL.md "Pull",
``repeats``).

When a ``case.registered`` merges, the registration is matched against every case this
server holds, over years rather than weeks (the seed's worst failure is "同一诉求事项群众多年
反映"):

* ``id_number`` — the same ID number (the petitioner's or a group representative's), any
  year, any division;
* ``name_village`` — the same petitioner name in the same village (the petitioner's address
  division, else the case's), any year;
* ``content`` — similar text (petition_core.similarity, ≥ :data:`CONTENT_THRESHOLD`) among
  cases of the same township (for a registration at the county or above: of its whole
  area, :func:`window_prefix`) received in the last :data:`CONTENT_YEARS` years (the
  newest :data:`CONTENT_CANDIDATES`).

ID numbers and names are kept in ``repeat_index`` only as HMAC-SHA256 under the server's
repeat key (keys folder, services/identity.py), so the table cannot be searched for a person
without the key.  A sealed registration (``payload_enc`` other than ``json``) is neither
read, indexed nor matched.

A match whose earlier case was accepted (受理) by a unit strictly below the unit registering
the new one, is not concluded, and whose 60-day limit (plus extensions) has not passed on
the new case's received date, carries the flag ``in_progress_below`` ("已在办理，不再受理").

Cost: per merged push, one insert into ``repeat_index``, one look-up of the hashed keys of
all its registrations, one per township for the text window and one read of those
candidates' registrations — never a query per event (docs/benchmarks.md).
"""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Connection, String, and_, select
from sqlalchemy.types import TypeEngine

from petition_core.clocks import WorkCalendar, clocks_for
from petition_core.enums import Status
from petition_core.events import Event, EventType
from petition_core.similarity import Prepared, best_prepared, normalize, prepare
from petition_core.units import is_within

from ..store.cases import CaseBook
from ..store.db import dialect_insert
from ..store.models import events, repeat_index, repeat_matches

log = logging.getLogger(__name__)
InClause = Callable[[ColumnElement[Any], Sequence[Any], TypeEngine[Any]], ColumnElement[bool]]

REASONS = ("id_number", "name_village", "content")
FLAG_IN_PROGRESS_BELOW = "in_progress_below"
CONTENT_YEARS = 5
CONTENT_THRESHOLD = 0.6
CONTENT_CANDIDATES = 2000
MAX_MATCHES = 10          # per registration and reason
# text comparisons per push (a registration × its window): the merge holds the writer lock,
# so a push of thousands of registrations must not hold it for minutes; past the budget the
# rest of the push is matched by ID number and name only (and a warning is logged)
CONTENT_PAIR_BUDGET = 400_000
_REGISTERED = EventType.REGISTERED.value
_DONE = frozenset({Status.CONCLUDED, Status.CONCLUDED_UNRESOLVED, Status.FOLLOWED_UP,
                   Status.REVIEWING, Status.CLOSED, Status.DECLINED})


@dataclass(frozen=True)
class Registration:
    case_id: str
    event_id: str
    division: str
    received_on: str
    ids: tuple[str, ...]
    name: str
    name_division: str
    content: str


def _key(secret: bytes, kind: str, value: str) -> str:
    return hmac.new(secret, f"{kind}\x00{value}".encode(), hashlib.sha256).hexdigest()


def _text(v: Any) -> str:
    return unicodedata.normalize("NFKC", v).strip() if isinstance(v, str) else ""


def _date(v: Any) -> str:
    s = _text(v)[:10]
    try:
        return date.fromisoformat(s).isoformat()
    except ValueError:
        return ""


def _division(v: Any) -> str:
    s = _text(v)
    return s if len(s) == 12 and s.isdigit() else ""


def read_registration(ev: Event) -> Registration | None:
    """The matching keys of a plain registration; None for a sealed or unreadable one."""
    if ev.type != _REGISTERED or ev.payload_enc != "json":
        return None
    return _registration(ev.case_id, ev.event_id, ev.payload, ev.occurred_at)


def _registration(case_id: str, event_id: str, payload: bytes,
                  occurred_at: str) -> Registration | None:
    try:
        d = json.loads(payload)
    except ValueError:
        return None
    if not isinstance(d, dict):
        return None
    division = _division(d.get("division"))
    if not division:
        return None
    raw_pet, raw_group = d.get("petitioner"), d.get("group")
    pet: dict[str, Any] = raw_pet if isinstance(raw_pet, dict) else {}
    anonymous = pet.get("anonymous") is True
    people = [] if anonymous else [pet]
    group: dict[str, Any] = raw_group if isinstance(raw_group, dict) else {}
    reps = group.get("representatives")
    people += [r for r in reps if isinstance(r, dict)] if isinstance(reps, list) else []
    ids = tuple(sorted({_text(p.get("id_number")).upper() for p in people} - {""}))
    content = " ".join(_text(d.get(k)) for k in ("summary", "account")).strip()
    return Registration(
        case_id=case_id, event_id=event_id, division=division,
        received_on=_date(d.get("received_at")) or _date(occurred_at) or "",
        ids=ids, name="" if anonymous else _text(pet.get("name")),
        name_division=_division(pet.get("address_division")) or division,
        content=content if len(content) >= 4 else "")


@dataclass(frozen=True)
class Match:
    case_id: str
    matched_case_id: str
    reason: str
    score: float


def detect(conn: Connection, book: CaseBook, evs: Sequence[Event],
           positions: Mapping[str, int], secret: bytes, in_: InClause) -> list[Match]:
    """Index the plain registrations among ``evs`` (just inserted, ``positions``: their
    server_pos) and record what they match (caller holds the merge lock)."""
    regs: list[Registration] = []
    for ev in evs:
        reg = read_registration(ev) if ev.type == _REGISTERED else None
        st = book.state(ev.case_id) if reg else None
        # the case's own registration, not a hostile second one under another case's id
        if reg and st is not None and not st.sealed and st.events \
                and st.events[0].event_id == ev.event_id:
            regs.append(reg)
    if not secret or not regs:
        return []
    order = {r.case_id: i for i, r in enumerate(regs)}
    keys: dict[str, list[tuple[str, str]]] = {}   # case_id → [(kind, hash)]
    rows = []
    for r in regs:
        ks = [("id", _key(secret, "id", i)) for i in r.ids]
        if r.name:
            ks.append(("name", _key(secret, "name", f"{r.name_division}\x00{r.name}")))
        keys[r.case_id] = ks
        rows += [{"case_id": r.case_id, "kind": k, "key_hash": h, "division": r.division,
                  "received_on": r.received_on or "0000-00-00"} for k, h in [*ks, ("case", "")]]
    conn.execute(dialect_insert(conn, repeat_index).on_conflict_do_nothing(), rows)

    def earlier(new: str, old: str) -> bool:
        # a registration of this same push matches only those merged before it
        return old != new and (old not in order or order[old] < order[new])

    found: dict[tuple[str, str, str], float] = {}
    hashes = sorted({h for ks in keys.values() for _, h in ks})
    by_hash: dict[tuple[str, str], list[str]] = {}
    for i in range(0, len(hashes), 2000):
        for row in conn.execute(select(repeat_index.c.kind, repeat_index.c.key_hash,
                                       repeat_index.c.case_id)
                                .where(in_(repeat_index.c.key_hash, hashes[i:i + 2000],
                                           String()))):
            by_hash.setdefault((row.kind, row.key_hash), []).append(row.case_id)
    for r in regs:
        for kind, h in keys[r.case_id]:
            reason = "id_number" if kind == "id" else "name_village"
            hits = [c for c in by_hash.get((kind, h), []) if earlier(r.case_id, c)]
            for c in sorted(hits)[:MAX_MATCHES]:
                found[(r.case_id, c, reason)] = 1.0
    _content(conn, regs, earlier, found, in_)
    if not found:
        return []
    matches = [Match(c, m, reason, score) for (c, m, reason), score in sorted(found.items())]
    book.load({m.matched_case_id for m in matches})
    calendar = WorkCalendar.load_default()
    received = {r.case_id: r.received_on or date.today().isoformat() for r in regs}
    out_rows, out = [], []
    for m in matches:
        old = book.state(m.matched_case_id)
        if old is None or old.sealed:
            continue
        flag = FLAG_IN_PROGRESS_BELOW if in_progress_below(
            book, m.case_id, m.matched_case_id, received[m.case_id], calendar) else None
        reg_ev = regs[order[m.case_id]].event_id
        out_rows.append({"case_id": m.case_id, "matched_case_id": m.matched_case_id,
                         "reason": m.reason, "score": m.score, "flag": flag,
                         "matched_case_no": old.case_no[:40],
                         "found_pos": positions.get(reg_ev, 0)})
        out.append(m)
    if out_rows:
        conn.execute(dialect_insert(conn, repeat_matches).on_conflict_do_nothing(), out_rows)
    return out


def _content(conn: Connection, regs: Sequence[Registration],
             earlier: Callable[[str, str], bool],
             found: dict[tuple[str, str, str], float], in_: InClause) -> None:
    """Similar text among the township's cases of the last CONTENT_YEARS years: one read of
    the window per township, one read of the candidates' registrations."""
    wanted = [r for r in regs if r.content]
    if not wanted:
        return
    townships: dict[str, list[Registration]] = {}
    for r in wanted:
        townships.setdefault(window_prefix(r.division), []).append(r)
    texts: dict[str, Prepared] = {}
    windows: dict[str, list[str]] = {}
    for prefix, rs in townships.items():
        first = min((r.received_on for r in rs if r.received_on),
                    default=date.today().isoformat())
        since = (date.fromisoformat(first) - timedelta(days=366 * CONTENT_YEARS)).isoformat()
        ids = [row.case_id for row in conn.execute(
            select(repeat_index.c.case_id)
            .where(repeat_index.c.kind == "case", repeat_index.c.key_hash == "",
                   and_(repeat_index.c.division >= prefix.ljust(12, "0"),
                        repeat_index.c.division <= prefix.ljust(12, "9")),
                   repeat_index.c.received_on >= since)
            .order_by(repeat_index.c.received_on.desc())
            .limit(CONTENT_CANDIDATES + len(rs)))]
        windows[prefix] = ids
    need = sorted({c for ids in windows.values() for c in ids})
    for i in range(0, len(need), 2000):
        for row in conn.execute(select(events.c.case_id, events.c.event_id,
                                       events.c.payload, events.c.payload_enc)
                                .where(in_(events.c.case_id, need[i:i + 2000], String()),
                                       events.c.type == _REGISTERED,
                                       events.c.payload_enc == "json")):
            reg = _registration(row.case_id, row.event_id, bytes(row.payload), "")
            if reg is not None and row.case_id not in texts:
                texts[row.case_id] = prepare(normalize(reg.content))   # once per push
    budget, skipped = CONTENT_PAIR_BUDGET, 0
    for prefix, rs in townships.items():
        for r in rs:
            cands = [(c, texts[c]) for c in windows[prefix]
                     if c in texts and earlier(r.case_id, c)]
            if len(cands) > budget:
                skipped += 1
                continue
            budget -= len(cands)
            query = texts.get(r.case_id) or prepare(normalize(r.content))
            for c, score in best_prepared(query, cands, threshold=CONTENT_THRESHOLD,
                                          limit=MAX_MATCHES):
                found.setdefault((r.case_id, c, "content"), score)
    if skipped:
        log.warning("repeat check: the push's text comparison budget is spent; %d "
                    "registration(s) matched by ID number and name only", skipped)


def window_prefix(division: str) -> str:
    """The division prefix of the text window: a village's or township's registration looks
    at its township; one registered at the county (city, province) at the whole county
    (city, province), where the matter was first brought lower down."""
    for keep in (2, 4, 6):
        if division[keep:] == "0" * (12 - keep):
            return division[:keep]
    return division[:9]


def in_progress_below(book: CaseBook, case_id: str, old_id: str, received_on: str,
                      calendar: WorkCalendar) -> bool:
    """越级: ``old_id`` was accepted by a unit strictly below the unit registering
    ``case_id``, is not concluded, and its time limit has not passed on ``received_on``."""
    old = book.state(old_id)
    if old is None or old.accepted_at is None or old.status in _DONE or old.conclusion:
        return False
    handler = book.parties(old_id).handling
    registering = book.parties(case_id).registering
    if not handler or not registering or handler == registering \
            or not is_within(handler, registering):
        return False
    try:
        on = date.fromisoformat(received_on)
    except ValueError:
        return False
    limit = next((c for c in clocks_for(old, calendar) if c.key == "conclude"), None)
    return limit is not None and limit.done is None and on <= limit.due
