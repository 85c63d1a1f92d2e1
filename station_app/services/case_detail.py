"""Builds the CaseDetail view of a folded case: facts, timeline, clocks, conflicts, links
and the actions this operator may take now."""
from __future__ import annotations

import functools
import hashlib
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from petition_core.divisions import DivisionTree
from petition_core.events import Event, EventType
from petition_core.fold import CaseState
from petition_core.unit_register import UnitRegister
from petition_core.units import is_unit_code

from ..store.models import CaseIndex, OperatorRow, Station
from .common import (
    GROUP_LABELS,
    REPLY_LABELS,
    category_label,
    channel_label,
    iso_date,
    petitioner_display,
    satisfaction_label,
    serve_method_label,
    statute_label,
    today,
)
from .gatecheck import STATION_ACTIONS, available
from .setup import unit_register
from .types import (
    AmendmentView,
    AttachmentRef,
    CaseDetail,
    ClockView,
    ConflictOption,
    ConflictView,
    LinkView,
    Operator,
    RepeatView,
    TimelineEntry,
)

ACTION_ORDER = STATION_ACTIONS


def allowed_actions(s: Session, state: CaseState, op: Operator | None) -> tuple[str, ...]:
    """The actions the permission matrix allows this operator here now (gatecheck)."""
    return available(s, state, op)


@functools.lru_cache(maxsize=1)
def _tree() -> DivisionTree:
    return DivisionTree.load_default()


def unit_name(code: Any, register: UnitRegister | None = None) -> str:
    """The name of a unit code (``530921000000.mz`` → 凤庆县民政局); anything else (free
    text of events before units) as it is."""
    if not isinstance(code, str) or not is_unit_code(code):
        return str(code or "")
    unit = (register or UnitRegister.load_default()).get(code)
    return unit.name if unit is not None else code


def division_name(code: str) -> str:
    if not code:
        return ""
    try:
        return _tree().full_name(code)
    except (KeyError, ValueError):
        return code


def _short(v: Any, n: int = 40) -> str:
    text = "是" if v is True else "否" if v is False else "" if v is None else str(v)
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def event_summary(ev: Event) -> str:
    """One line for the timeline (never the full text)."""
    if ev.sealed:
        return "（内容保密）"
    d = ev.data()
    t = ev.type
    if t == EventType.REGISTERED.value:
        return f"{channel_label(d.get('channel'))}：{_short(d.get('summary'))}"
    if t == EventType.AMENDED.value:
        # the field's name is the UI's word (ui/messages.py field_label; the entry carries it)
        return f"{_short(d.get('old'))} → {_short(d.get('new'))}"
    if t == EventType.DECLINED.value:
        return _short(d.get("reason"))
    if t in (EventType.TRANSFERRED.value, EventType.ASSIGNED.value):
        unit = d.get("to_unit") or ""
        verb = "交办" if t == EventType.ASSIGNED.value else "转至"
        due = f"，{_short(d.get('due'), 10)}前办结" if d.get("due") else ""
        report = "，须报办结报告" if d.get("report_required") else ""
        where = unit_name(unit) if is_unit_code(unit) else (
            division_name(d.get("to_division", "")) + _short(unit))
        return f"{verb}{where}{due}{report}" + (
            f"：{_short(d.get('note'))}" if d.get("note") else "")
    if t == EventType.EXTENDED.value:
        return (f"延长{d.get('days')}天，{_short(d.get('reason'))}"
                f"（批准：{d.get('approved_by', '')}）")
    if t == EventType.CONCLUDED.value:
        unresolved = "（办结未解决）" if d.get("outcome") == "unresolved" else ""
        return f"{_short(d.get('result'), 20)}{unresolved}：{_short(d.get('opinion'))}"
    if t == EventType.EXTENSION_REQUESTED.value:
        return f"申请延长{d.get('days')}天：{_short(d.get('reason'))}"
    if t == EventType.EXTENSION_DECIDED.value:
        text = f"同意延长{d.get('days') or ''}天" if d.get("decision") == "approved" \
            else "不同意延期"
        return text + (f"：{_short(d.get('note'))}" if d.get("note") else "")
    if t == EventType.URGED.value:
        return (f"督办，{_short(d.get('due'), 10)}前办理" if d.get("due") else "督办") + (
            f"：{_short(d.get('note'))}" if d.get("note") else "")
    if t == EventType.REPORT_SUBMITTED.value:
        return _short(d.get("report"))
    if t == EventType.SERVED.value:
        reply = REPLY_LABELS.get(d.get("reply") or "", "书面答复")
        return (f"{reply}于{_short(d.get('served_on'), 10)}"
                f"{serve_method_label(d.get('method'))}") + (
            f"：{_short(d.get('note'))}" if d.get("note") else "")
    if t == EventType.FOLLOWED_UP.value:
        return satisfaction_label(d.get("satisfaction")) + (
            f"：{_short(d.get('note'))}" if d.get("note") else "")
    if t == EventType.LINKED.value:
        return f"关联{len(d.get('related') or [])}件" + (
            f"：{_short(d.get('note'))}" if d.get("note") else "")
    if t == EventType.CONFLICT_RESOLVED.value:
        group = d.get("group", "")
        return f"{GROUP_LABELS.get(group, group)}：{_short(d.get('note'))}"
    if t == EventType.ATTACHMENT_ADDED.value:
        return _short((d.get("attachment") or {}).get("name"))
    return _short(d.get("note") or d.get("reason") or "")


def case_version(state: CaseState) -> str:
    """What a clerk saw of a case, as a short token: the number of its events and a digest
    of their ids.  Events are only ever added, so any change gives another token."""
    ids = sorted(e.event_id for e in state.events)
    digest = hashlib.blake2b("\n".join(ids).encode("ascii", "replace"), digest_size=8)
    return f"{len(ids)}-{digest.hexdigest()}"


class Actors:
    """Turns the login recorded on an event into the person's name.  A login means a person
    only at the station that recorded it: events from other stations keep their login and
    are marked remote (the UI says so instead of guessing a name)."""

    def __init__(self, s: Session) -> None:
        st = s.get(Station, 1)
        self.station_id = st.station_id if st is not None else ""
        self.names = {r.login: r.display_name for r in s.scalars(select(OperatorRow))}

    def of(self, ev: Event) -> tuple[str, bool]:
        local = not ev.station_id or ev.station_id == self.station_id
        return (self.names.get(ev.actor, "") if local else ""), local


def event_time(ev: Event) -> str:
    """When the thing happened in the case's own terms: a registration at the 登记时间 the
    clerk entered (received_at), an action at its ``at``; a sealed event at its record
    time (nothing else of it is readable)."""
    if ev.sealed:
        return ev.occurred_at
    d = ev.data()
    if ev.type == EventType.REGISTERED.value:
        return str(d.get("received_at") or ev.occurred_at)
    return str(d.get("at") or ev.occurred_at)


def _sort_key(text: str, fallback: str) -> datetime:
    for value in (text, fallback):
        try:
            when = datetime.fromisoformat(str(value))
        except (TypeError, ValueError):
            continue
        return when if when.tzinfo is not None else when.astimezone()
    return datetime.max.replace(tzinfo=UTC)


def _timeline(state: CaseState, actors: Actors) -> tuple[TimelineEntry, ...]:
    out = []
    for ev in state.events:
        amend = None
        if ev.type == EventType.AMENDED.value and not ev.sealed:
            d = ev.data()
            f = d.get("field", "")
            amend = AmendmentView(field=f, old=_short(d.get("old"), 200),
                                  new=_short(d.get("new"), 200), reason=str(d.get("reason", "")))
        name, local = actors.of(ev)
        out.append(TimelineEntry(event_id=ev.event_id, at=event_time(ev), actor=ev.actor,
                                 type=ev.type,
                                 summary=event_summary(ev), amendment=amend,
                                 actor_name=name, actor_local=local))
    # the fold's order is the order events were made; the history reads in the case's own
    # times (a case registered at 9:00 and written down at 11:00 starts at 9:00); ties keep
    # the fold's order
    order = {e.event_id: i for i, e in enumerate(state.events)}
    by_id = {e.event_id: e for e in state.events}
    return tuple(sorted(out, key=lambda t: (_sort_key(t.at, by_id[t.event_id].occurred_at),
                                            order[t.event_id])))


def clock_views(state: CaseState) -> tuple[ClockView, ...]:
    if state.sealed or not state.registered:
        return ()
    from petition_core.clocks import clocks_for

    from ..store.projection import work_calendar

    now = today()
    return tuple(ClockView(key=c.key, label=c.label, article=c.article,
                           start=iso_date(c.start), due=iso_date(c.due),
                           days_left=c.days_left(now), state=c.state(now),
                           missing_years=c.missing_years, served_missing=c.served_missing)
                 for c in clocks_for(state, work_calendar()))


def _conflicts(state: CaseState, actors: Actors) -> tuple[ConflictView, ...]:
    by_id = {e.event_id: e for e in state.events}
    views = []
    for c in state.conflicts:
        opts = tuple(ConflictOption(event_id=i, actor=by_id[i].actor,
                                    at=event_time(by_id[i]), summary=event_summary(by_id[i]),
                                    actor_name=actors.of(by_id[i])[0],
                                    actor_local=actors.of(by_id[i])[1])
                     for i in c.event_ids if i in by_id)
        views.append(ConflictView(group=c.group, options=opts))
    return tuple(views)


def build_detail(s: Session, state: CaseState, op: Operator | None) -> CaseDetail:
    f = state.facts
    actors = Actors(s)
    pet = dict(f.get("petitioner") or {})
    links = []
    for rel in state.links:
        row = s.get(CaseIndex, rel)
        links.append(LinkView(case_id=rel, case_no=row.case_no if row else ""))
    atts = tuple(AttachmentRef(sha256=a.get("sha256", ""), name=a.get("name", ""),
                               size=int(a.get("size") or 0), mime=a.get("mime", ""))
                 for a in state.attachments)
    return CaseDetail(
        case_id=state.case_id, case_no=state.case_no, query_code=state.query_code,
        sealed=state.sealed, status=state.status.value, status_label=state.status.label,
        division=state.division, division_name=division_name(state.division),
        owner_division=state.owner_division, owner_unit=state.owner_unit,
        channel=str(f.get("channel") or ""), channel_label=channel_label(f.get("channel")),
        category=str(f.get("category") or ""), category_label=category_label(f.get("category")),
        statute_type=str(f.get("statute_type") or ""),
        statute_label=statute_label(f.get("statute_type")),
        received_at=str(f.get("received_at") or ""),
        petitioner_display=petitioner_display(str(pet.get("name") or ""),
                                              bool(pet.get("anonymous")), state.sealed),
        petitioner=pet, group=dict(f.get("group") or {}), subject=dict(f.get("subject") or {}),
        summary=str(f.get("summary") or ""), account=str(f.get("account") or ""),
        demands=str(f.get("demands") or ""),
        conclusion=dict(state.conclusion) if state.conclusion else None,
        declined=dict(state.declined) if state.declined else None,
        satisfaction=state.satisfaction,
        satisfaction_label=satisfaction_label(state.satisfaction),
        timeline=_timeline(state, actors), clocks=clock_views(state),
        conflicts=_conflicts(state, actors), links=tuple(links), attachments=atts,
        allowed_actions=allowed_actions(s, state, op), needs_decision=state.needs_decision,
        escalate=state.escalate, version=case_version(state),
        owner_unit_name=unit_name(state.owner_unit, unit_register(s)),
        repeats=_repeats(s, state))


def _repeats(s: Session, state: CaseState) -> tuple[RepeatView, ...]:
    """The county's repeat findings about this case, one per earlier case."""
    from ..store.repeats import notices_for

    by_case: dict[str, list[Any]] = {}
    for n in notices_for(s, state.case_id):
        by_case.setdefault(n.matched_case_id, []).append(n)
    return tuple(RepeatView(matched_case_id=cid, matched_case_no=ns[0].matched_case_no,
                            reasons=tuple(n.reason for n in ns),
                            in_progress_below=any(n.flag == "in_progress_below" for n in ns))
                 for cid, ns in sorted(by_case.items(), key=lambda kv: kv[1][0].matched_case_no))
