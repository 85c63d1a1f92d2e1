"""Public progress by query code (issue 9 item 10, Art. 21; docs/decisions/0011).

A citizen gives the case number and the query code from the receipt and gets the case's
steps and their dates: 登记, 受理, 转办 (to which *level*), 办结, 回访…  Never a name, never
the text of the complaint, a note or an opinion: the answer is built from a whitelist of
event types, each giving a step code, a date and at most a level name.

* **No enumeration.**  An unknown case number, a sealed case, a case without a code and a
  wrong code all give the same refusal (``progress_not_found``), and cost the same work: a
  lookup that finds no hash to check still computes one.
* **Rate limits**, per client address and per case number (``FailureLimiter``): wrong
  answers are counted; past the limit the answer is 429 ``progress_rate_limited`` whatever
  the case number, known or not.  The limiter keeps addresses in memory for its window
  only; nothing here logs the address, the case number or the code.
* **case number → case id** comes from ``public_cases``, caught up here from the stored
  ``case.registered`` events (cursor ``public_index_pos``) before each lookup: the merge
  is not touched, and a case pushed a moment ago is found.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, select, text

from petition_core.casenumber import (
    CaseNumberError,
    is_query_code_hash,
    parse_case_no,
    query_code_hash,
    query_code_matches,
)
from petition_core.divisions import level_of_code
from petition_core.events import Event, EventType
from petition_core.fold import CaseState, fold
from petition_core.protocol import ProtocolError

from ..store.db import dialect_insert
from ..store.models import events, public_cases
from .ratelimit import FailureLimiter, client_key
from .state import set_state

NOT_FOUND = "progress_not_found"
RATE_LIMITED = "progress_rate_limited"
CURSOR_KEY = "public_index_pos"
MAX_CANDIDATES = 4        # case ids tried for one case number (a reused number is hostile)
CATCH_UP_BATCH = 2000

# the steps a citizen sees, by event type: (step code, Chinese label)
STEP_LABELS: dict[str, str] = {
    "registered": "登记", "accepted": "受理", "declined": "不予受理", "transferred": "转办",
    "sent": "转送", "assigned": "交办", "urged": "督办", "extended": "延期",
    "progress": "办理中", "concluded": "办结", "served": "送达", "followed_up": "回访",
    "review_requested": "申请复查", "rereview_requested": "申请复核",
    "review_decided": "复查决定", "rereview_decided": "复核决定", "redo_ordered": "重新办理",
}
_STEP_OF_TYPE = {
    EventType.REGISTERED.value: "registered", EventType.ACCEPTED.value: "accepted",
    EventType.DECLINED.value: "declined", EventType.ASSIGNED.value: "assigned",
    EventType.URGED.value: "urged", EventType.EXTENDED.value: "extended",
    EventType.PROGRESS.value: "progress", EventType.CONCLUDED.value: "concluded",
    EventType.SERVED.value: "served", EventType.FOLLOWED_UP.value: "followed_up",
    EventType.REDO_ORDERED.value: "redo_ordered",
}
# a dummy hash checked when there is nothing to check: the refusal costs the same work
_DUMMY_CASE = "00000000-0000-7000-8000-000000000000"
_DUMMY_HASH = query_code_hash(_DUMMY_CASE, "222222")


@dataclass(frozen=True)
class Step:
    step: str
    label: str
    date: str            # YYYY-MM-DD ("" when the record has no readable date)
    level: str = ""      # 转办/交办: the receiving level's name (县, 乡（镇）…), never a unit


@dataclass(frozen=True)
class Progress:
    case_no: str
    status: str          # Status value
    status_label: str
    steps: tuple[Step, ...]

    def to_json(self) -> dict[str, Any]:
        return {"case_no": self.case_no, "status": self.status,
                "status_label": self.status_label,
                "steps": [{"step": s.step, "label": s.label, "date": s.date, "level": s.level}
                          for s in self.steps]}


class PublicLimits:
    """The two failure limiters of public lookups (in memory, per server process)."""

    def __init__(self, *, per_client: int = 10, per_case: int = 5, window: float = 600.0,
                 overall: int = 1000) -> None:
        self.clients = FailureLimiter(per_client=per_client, overall=overall, window=window,
                                      code=RATE_LIMITED)
        # per case number: no backstop across numbers (it would lock every number a typo
        # touched during an attack on others)
        self.cases = FailureLimiter(per_client=per_case, overall=10**9, window=window,
                                    code=RATE_LIMITED, max_clients=100_000)


def canonical_case_no(typed: object) -> str | None:
    if not isinstance(typed, str) or len(typed) > 64:
        return None
    try:
        return str(parse_case_no(typed))
    except CaseNumberError:
        return None


# ---- the index ------------------------------------------------------------------------
_WHERE_NOW = text(
    "SELECT (SELECT max(server_pos) FROM events),"
    " (SELECT value FROM server_state WHERE key = '" + CURSOR_KEY + "')")


def _positions(conn: Connection) -> tuple[int, int]:
    top, cur_text = conn.execute(_WHERE_NOW).one()
    return int(top or 0), int(cur_text) if cur_text and cur_text.isdigit() else 0


def catch_up(engine: Engine) -> int:
    """Index the case numbers of ``case.registered`` events stored since the cursor;
    returns how many were added.  Safe to run in several workers at once.  The usual
    case, nothing new, is one read (no write transaction)."""
    with engine.connect() as conn:
        top, cursor = _positions(conn)
    if top <= cursor:
        return 0
    added = 0
    with engine.begin() as conn:
        top, cursor = _positions(conn)
        pos = cursor
        while pos < top:
            rows = conn.execute(
                select(events.c.server_pos, events.c.case_id, events.c.payload)
                .where(events.c.server_pos > pos, events.c.server_pos <= top,
                       events.c.type == EventType.REGISTERED.value,
                       events.c.payload_enc == "json")
                .order_by(events.c.server_pos).limit(CATCH_UP_BATCH)).all()
            if not rows:
                break
            added += _index(conn, rows)
            pos = rows[-1].server_pos
            if len(rows) < CATCH_UP_BATCH:
                break
        if top > cursor:
            set_state(conn, **{CURSOR_KEY: top})
    return added


def _index(conn: Connection, rows: Any) -> int:
    import json

    values = []
    for r in rows:
        try:
            data = json.loads(bytes(r.payload).decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            continue
        case_no = canonical_case_no(data.get("case_no")) if isinstance(data, dict) else None
        if case_no is not None:
            values.append({"case_no": case_no, "case_id": r.case_id})
    if values:
        conn.execute(dialect_insert(conn, public_cases).values(values).on_conflict_do_nothing())
    return len(values)


_CANDIDATE_EVENTS = text(
    "SELECT event_id, case_id, station_id, station_seq, type, lamport, actor, occurred_at,"
    " payload, payload_enc, route, schema_version FROM events WHERE case_id IN"
    " (SELECT case_id FROM public_cases WHERE case_no = :n ORDER BY case_id LIMIT "
    + str(MAX_CANDIDATES) + ") ORDER BY case_id, server_pos")


def _candidates(conn: Connection, case_no: str) -> dict[str, list[Event]]:
    """The stored events of each case registered under ``case_no`` (at most
    MAX_CANDIDATES cases), in one query."""
    out: dict[str, list[Event]] = {}
    for r in conn.execute(_CANDIDATE_EVENTS, {"n": case_no}):
        out.setdefault(r[1], []).append(Event(
            event_id=r[0], case_id=r[1], station_id=r[2], station_seq=r[3], type=r[4],
            lamport=r[5], actor=r[6], occurred_at=r[7], payload=bytes(r[8]),
            payload_enc=r[9], route=r[10], schema_version=r[11]))
    return out


# ---- the steps ------------------------------------------------------------------------
def _date(value: object) -> str:
    day = value[:10] if isinstance(value, str) else ""
    return day if len(day) == 10 and day[4] == "-" and day[7] == "-" and \
        day.replace("-", "").isdigit() else ""


def _level_name(division: object) -> str:
    try:
        return level_of_code(division).label if isinstance(division, str) else ""
    except ValueError:
        return ""


def steps_of(state: CaseState) -> tuple[Step, ...]:
    """The public steps of a folded case, in the fold's order, from a whitelist: a step
    code, a date and at most a level name; nothing else of any payload is read."""
    out: list[Step] = []
    for ev in state.events:
        if ev.sealed:
            continue
        try:
            d = ev.data()
        except (ValueError, UnicodeDecodeError):
            continue
        if not isinstance(d, dict):
            continue
        t = ev.type
        when = _date(d.get("at")) or _date(ev.occurred_at)
        level = ""
        if t == EventType.REGISTERED.value:
            step, when = "registered", _date(d.get("received_at")) or when
        elif t == EventType.TRANSFERRED.value:
            step = "sent" if d.get("kind") == "send" else "transferred"
            level = _level_name(d.get("to_division") or ev.route)
        elif t == EventType.REVIEW_REQUESTED.value:
            step = "rereview_requested" if d.get("kind") == "rereview" else "review_requested"
        elif t == EventType.REVIEW_DECIDED.value:
            step = "rereview_decided" if d.get("kind") == "rereview" else "review_decided"
        elif t in _STEP_OF_TYPE:
            step = _STEP_OF_TYPE[t]
            if t == EventType.ASSIGNED.value:
                level = _level_name(d.get("to_division") or ev.route)
        else:
            continue       # amendments, links, attachments, conflict resolutions
        out.append(Step(step=step, label=STEP_LABELS[step], date=when, level=level))
    return tuple(out)


# ---- the lookup -----------------------------------------------------------------------
def _find(engine: Engine, case_no: str | None, code: str) -> Progress | None:
    if case_no is None:
        query_code_matches(_DUMMY_CASE, code, stored_hash=_DUMMY_HASH)
        return None
    catch_up(engine)
    with engine.connect() as conn:
        candidates = _candidates(conn, case_no)
    checked = False
    for case_id, evs in candidates.items():
        state = fold(evs, case_id)
        if state.sealed or state.case_no != case_no and \
                canonical_case_no(state.case_no) != case_no:
            continue
        stored = state.query_code_hash if is_query_code_hash(state.query_code_hash) else ""
        if not stored and not state.query_code:
            continue
        checked = True
        if query_code_matches(case_id, code, stored_hash=stored,
                              stored_clear=state.query_code):
            return Progress(case_no=case_no, status=state.status.value,
                            status_label=state.status.label, steps=steps_of(state))
    if not checked:
        query_code_matches(_DUMMY_CASE, code, stored_hash=_DUMMY_HASH)
    return None


def lookup(engine: Engine, limits: PublicLimits, *, client_host: str | None,
           case_no: object, code: object) -> Progress:
    """The progress of the case ``case_no`` whose query code is ``code``.  Raises
    ProtocolError ``progress_not_found`` (404: unknown number, wrong code, malformed input
    alike) or ``progress_rate_limited`` (429, ``retry_after``)."""
    client = client_key(client_host)
    norm_no = canonical_case_no(case_no)
    # the per-case limiter counts by what was typed, canonical when it parses, so writing
    # a number differently does not buy more guesses
    case_key = norm_no or (case_no[:64] if isinstance(case_no, str) else "?")
    token_client = limits.clients.begin(client)
    try:
        token_case = limits.cases.begin(case_key)
    except ProtocolError:
        limits.clients.settle(token_client, failed=False)
        raise
    found = None
    try:
        found = _find(engine, norm_no, code if isinstance(code, str) else "")
    finally:
        limits.clients.settle(token_client, failed=found is None)
        limits.cases.settle(token_case, failed=found is None)
    if found is None:
        raise ProtocolError(NOT_FOUND, 404)
    return found
