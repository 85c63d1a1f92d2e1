"""Helpers shared by the services: loading a folded case, labels, display rules."""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from petition_core.enums import Category, Channel, Satisfaction, ServeMethod, StatuteType
from petition_core.events import Event, EventType
from petition_core.fold import CaseState, fold

from ..store import case_events
from ..store.models import LocalQueryCode
from .types import ServiceError

# the written replies whose 送达 is recorded (case.served "reply")
REPLY_LABELS = {"conclusion": "处理意见书", "review": "复查意见书", "rereview": "复核意见书"}

GROUP_LABELS = {"decision": "受理决定", "conclusion": "办结结果", "satisfaction": "回访评价"}


def label_of(enum: type, value: Any) -> str:
    try:
        return enum(value).label
    except ValueError:
        return str(value or "")


def category_label(v: Any) -> str:
    return label_of(Category, v)


def channel_label(v: Any) -> str:
    return label_of(Channel, v)


def statute_label(v: Any) -> str:
    return label_of(StatuteType, v)


def serve_method_label(v: Any) -> str:
    return label_of(ServeMethod, v)


def satisfaction_label(v: Any) -> str:
    return label_of(Satisfaction, v) if v else ""


def petitioner_display(name: str, anonymous: bool, sealed: bool = False) -> str:
    """What lists and documents show for the petitioner."""
    if sealed:
        return "（保密）"
    if anonymous:
        return "匿名"
    return name or "（未填写）"


def load_state(s: Session, case_id: str) -> CaseState:
    events = case_events(s, case_id)
    if not events:
        raise ServiceError("case_unknown")
    state = fold(events, case_id)
    if not state.query_code:   # a case registered here after hashing: its clear code is local
        row = s.get(LocalQueryCode, case_id)
        state.query_code = row.code if row is not None else ""
    return state


def current_decisions(state: CaseState) -> dict[str, str]:
    """The event id holding each decision group, exactly as the fold decides it, so a new
    decision's ``supersedes`` names what this operator saw (see petition_core.fold)."""
    from petition_core.fold import DECISION_GROUP, same_decision  # the fold's own rules (public)

    held: dict[str, Event] = {}
    by_id = {e.event_id: e for e in state.events}
    for ev in state.events:
        if ev.sealed:
            continue
        d = ev.data()
        grp = DECISION_GROUP.get(ev.type)
        if grp is not None:
            cur = held.get(grp)
            if cur is None or d.get("supersedes") == cur.event_id:
                held[grp] = ev
            elif not same_decision(cur, ev):
                continue
        elif ev.type == EventType.REDO_ORDERED.value:
            held["conclusion"] = ev
            held.pop("satisfaction", None)
        elif ev.type == EventType.CONFLICT_RESOLVED.value:
            chosen = by_id.get(d.get("chosen_event_id", ""))
            grp = d.get("group", "")
            if chosen is not None and not grp.startswith("amend:"):
                held[grp] = chosen
    return {g: e.event_id for g, e in held.items()}


def iso_date(d: Any) -> str | None:
    if d is None:
        return None
    if isinstance(d, date):
        return d.isoformat()
    return str(d)[:10]


def today() -> date:
    return date.today()
