"""Case detail and the actions on a case: each validates, checks the action is allowed in
the case's status for the operator's role, sets ``supersedes`` from the folded state, then
appends exactly one event (with its outbox row and projection) in one transaction."""
from __future__ import annotations

import copy
import dataclasses
import logging
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Any

from sqlalchemy.orm import Session

from petition_core.clocks import clocks_for
from petition_core.divisions import DivisionTree
from petition_core.enums import NotifyChannel, Satisfaction, ServeMethod
from petition_core.events import EventDraft, EventType
from petition_core.fold import AMENDABLE_FIELDS, CaseState
from petition_core.ownership import target_unit
from petition_core.served import latest_reply, validate_served
from petition_core.unit_register import UnitRegister
from petition_core.units import UnitError, centre_of, division_of, is_unit_code
from petition_core.validation import FieldError, ValidationErrors, clean_text, validate_registration

from ..store import Store, append_events
from ..store.eventlog import now_iso, station_row
from ..store.models import CaseIndex
from ..store.units import station_unit
from .case_detail import ACTION_ORDER, build_detail, case_version
from .common import current_decisions, load_state, today
from .gatecheck import check_allowed, station_gate
from .setup import unit_register
from .types import CaseDetail, Changes, Operator, ServiceError

log = logging.getLogger(__name__)

ACTIONS = ACTION_ORDER
MAX_EXTENSION_DAYS = 30      # 信访工作条例 Art. 34
TRANSFER_DEADLINE_DAYS = 15  # Art. 22
OUTCOMES = ("resolved", "unresolved")   # 办结 / 办结未解决
MAX_DUE_DAYS = 366           # a 交办/督办 deadline within a year


def _division(code: Any) -> str:
    if not isinstance(code, str) or code not in DivisionTree.load_default():
        raise ValidationErrors([FieldError("to_division", "division_unknown")])
    return code


def _unit_error(code: str, **params: Any) -> ValidationErrors:
    return ValidationErrors([FieldError("to_unit", code, params)])


def _target(register: UnitRegister, to_division: Any, to_unit: Any) -> str:
    """The unit a 转办/交办 goes to, checked against the station's register (issue 9 item 4).

    ``to_unit``: a unit code (``530921000000.mz``, or a centre ``530921108000``); with
    ``to_division`` too, the unit must belong to it.  Without ``to_unit`` (the call shape
    before units): the centre of ``to_division``.  A name instead of a code (callers from
    before units) is accepted only when it names exactly one registered unit of
    ``to_division`` (the fold's rule for old events, petition_core.ownership.target_unit).
    ValidationErrors on ``to_unit``: unit_code_invalid, unit_suffix_invalid,
    unit_under_village, unit_unknown, unit_inactive, unit_division_mismatch; on
    ``to_division``: division_unknown."""
    if to_division not in ("", None):
        _division(to_division)
    if to_unit in ("", None):
        if to_division in ("", None):
            raise ValidationErrors([FieldError("to_unit", "required")])
        code = centre_of(to_division)
    elif isinstance(to_unit, str) and not to_unit.isascii() and to_division:
        clean = _texts(to_unit=(to_unit, True, 60))["to_unit"]
        found = register.find_by_name(to_division, clean)
        if found is None:
            raise _unit_error("unit_unknown", unit=clean[:30])
        code = found.code
    else:
        code = to_unit
    try:
        unit = register.require(code)
    except UnitError as exc:
        raise _unit_error(exc.code, unit=str(code)[:30]) from None
    if not unit.active:
        raise _unit_error("unit_inactive", unit=code)
    if to_division and division_of(code) != to_division:
        raise _unit_error("unit_division_mismatch", unit=code)
    return code


def _handling(st: CaseState, register: UnitRegister) -> str | None:
    """The unit handling the case now, by the fold's owner fields (old free-text too)."""
    if not st.owner_division:
        return None
    if is_unit_code(st.owner_unit):
        return st.owner_unit
    return target_unit(st.owner_division, st.owner_unit, register)


def _due(value: Any) -> str:
    """A 交办/督办 deadline: an ISO date from today to a year ahead."""
    try:
        day = date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 \
            else None
    except ValueError:
        day = None
    if day is None or not today() <= day <= today() + timedelta(days=MAX_DUE_DAYS):
        raise ValidationErrors([FieldError("due", "due_invalid")])
    return day.isoformat()


def objection_deadline(state: CaseState) -> date | None:
    """The last day of the 5 working days to object to the latest 转办/交办 (Art. 23),
    from petition_core.clocks (the work calendar's counting)."""
    from ..store.projection import work_calendar

    clock = next((c for c in clocks_for(state, work_calendar()) if c.key == "objection"),
                 None)
    return clock.due if clock is not None else None


def _choice(field: str, value: Any, enum: type[Enum]) -> str:
    try:
        return enum(value.value if hasattr(value, "value") else value).value
    except ValueError:
        raise ValidationErrors([FieldError(field, "invalid_choice",
                                           {"allowed": [m.value for m in enum]})]) from None


def _texts(**specs: tuple[Any, bool, int]) -> dict[str, str]:
    """Clean several texts at once, collecting every error (value, required, max_len)."""
    out, errors = {}, []
    for name, (value, required, max_len) in specs.items():
        try:
            out[name] = clean_text(name, value, required=required, max_len=max_len,
                                   multiline=max_len > 200)
        except ValidationErrors as exc:
            errors.extend(exc.errors)
    if errors:
        raise ValidationErrors(errors)
    return out


def _get_dotted(d: dict[str, Any], dotted: str) -> Any:
    cur: Any = d
    for part in dotted.split("."):
        if not isinstance(cur, dict):
            return None
        cur = cur.get(part)
    return cur


def _set_dotted(d: dict[str, Any], dotted: str, value: Any) -> None:
    parts = dotted.split(".")
    for p in parts[:-1]:
        d = d.setdefault(p, {})
    d[parts[-1]] = value


class CaseService:
    """All actions raise ServiceError('case_unknown'), the permission matrix's code
    (petition_core.permissions: ``action_not_for_relation``, ``action_not_in_status``,
    ``action_not_for_role``…) when this operator at this station may not take the action
    on the case now, or ValidationErrors for bad input (codes from
    petition_core.validation).  Each returns the case's fresh CaseDetail, whose ``changes``
    name the case.

    ``expected_version``: the ``CaseDetail.version`` the clerk was looking at.  When the
    case got another event since (the sync pulled one, another window acted), the action is
    refused with ServiceError('stale_state', case_id=…) and nothing is written: a decision
    must be made on what the case is now, not on what it was."""

    def __init__(self, store: Store) -> None:
        self._store = store
        # the station clock for action timestamps; demo data swaps it to simulate the past
        self.now: Callable[[], str] = now_iso

    def detail(self, case_id: str, operator: Operator | None = None) -> CaseDetail:
        with self._store.read() as s:
            return build_detail(s, load_state(s, case_id), operator)

    # ---- the one write path ----------------------------------------------------------
    def _act(self, case_id: str, op: Operator, action: str, etype: EventType,
             make: Any, *, group: str | None = None,
             expected_version: str | None = None) -> CaseDetail:
        """``make(state, session) -> (data, route)`` builds the payload after the checks."""
        with self._store.session() as s:
            state = load_state(s, case_id)
            if expected_version is not None and expected_version != case_version(state):
                raise ServiceError("stale_state", case_id=case_id, action=action)
            check_allowed(s, state, op, action)
            data, route = make(state, s)
            data.setdefault("at", self.now())
            if group is not None:
                data["supersedes"] = current_decisions(state).get(group)
            append_events(s, [EventDraft(case_id=case_id, type=etype, data=data,
                                         route=route)], op.login, gate=station_gate(s, state))
            detail = build_detail(s, load_state(s, case_id), op)
        log.info("case action %s", action)
        return dataclasses.replace(detail, changes=Changes.of_cases([case_id], outbox=True))

    def accept(self, case_id: str, op: Operator, *, note: str = "",
               notify_channel: NotifyChannel | str = NotifyChannel.ON_SPOT,
               expected_version: str | None = None) -> CaseDetail:
        t = _texts(note=(note, False, 500))
        ch = _choice("notify_channel", notify_channel, NotifyChannel)
        return self._act(case_id, op, "accept", EventType.ACCEPTED,
                         lambda st, s: ({"note": t["note"], "notify_channel": ch}, ""),
                         group="decision", expected_version=expected_version)

    def decline(self, case_id: str, op: Operator, *, reason: str, other_channel: str = "",
                notify_channel: NotifyChannel | str = NotifyChannel.ON_SPOT,
                expected_version: str | None = None) -> CaseDetail:
        t = _texts(reason=(reason, True, 500), other_channel=(other_channel, False, 200))
        ch = _choice("notify_channel", notify_channel, NotifyChannel)
        return self._act(case_id, op, "decline", EventType.DECLINED,
                         lambda st, s: ({**t, "notify_channel": ch}, ""), group="decision",
                         expected_version=expected_version)

    def transfer(self, case_id: str, op: Operator, *, to_unit: str = "",
                 to_division: str = "", note: str = "",
                 expected_version: str | None = None) -> CaseDetail:
        """转办 to a unit of the station's register (``to_unit``, a unit code; or the
        centre of ``to_division``): the event carries the unit's division and its code, so
        ownership gives the case to that unit.  See :func:`_target` for the codes."""
        t = _texts(note=(note, False, 500))
        with self._store.read() as s:
            register = unit_register(s)
        code = _target(register, to_division, to_unit)

        def make(st: CaseState, s: Session) -> tuple[dict[str, Any], str]:
            if code == _handling(st, register):
                raise ServiceError("transfer_same")
            div = division_of(code)
            return ({"kind": "transfer", "to_division": div, "to_unit": code,
                     "deadline_days": TRANSFER_DEADLINE_DAYS, "note": t["note"]}, div)

        return self._act(case_id, op, "transfer", EventType.TRANSFERRED, make,
                         expected_version=expected_version)

    def progress(self, case_id: str, op: Operator, *, note: str,
                 expected_version: str | None = None) -> CaseDetail:
        t = _texts(note=(note, True, 1000))
        return self._act(case_id, op, "progress", EventType.PROGRESS,
                         lambda st, s: ({"note": t["note"]}, ""),
                         expected_version=expected_version)

    def conclude(self, case_id: str, op: Operator, *, result: str, opinion: str,
                 outcome: str = "resolved",
                 expected_version: str | None = None) -> CaseDetail:
        """办结; ``outcome`` ``unresolved`` is 办结未解决, a status of its own."""
        t = _texts(result=(result, True, 100), opinion=(opinion, True, 5000))
        if outcome not in OUTCOMES:
            raise ValidationErrors([FieldError("outcome", "invalid_choice",
                                               {"allowed": list(OUTCOMES)})])
        return self._act(case_id, op, "conclude", EventType.CONCLUDED,
                         lambda st, s: ({**t, "outcome": outcome}, ""), group="conclusion",
                         expected_version=expected_version)

    # ---- the handling chain (issue 9 item 3) ------------------------------------------
    def sign(self, case_id: str, op: Operator, *, note: str = "",
             expected_version: str | None = None) -> CaseDetail:
        """签收 by the unit a case was transferred or assigned to."""
        t = _texts(note=(note, False, 500))
        return self._act(case_id, op, "sign", EventType.SIGNED,
                         lambda st, s: (dict(t), ""), expected_version=expected_version)

    def object_transfer(self, case_id: str, op: Operator, *, reason: str,
                        expected_version: str | None = None) -> CaseDetail:
        """转办异议: within 5 working days of the 转办/交办 (Art. 23), before 签收; the case
        goes back to the unit that sent it.  ServiceError('objection_too_late', deadline)."""
        t = _texts(reason=(reason, True, 500))

        def make(st: CaseState, s: Session) -> tuple[dict[str, Any], str]:
            deadline = objection_deadline(st)
            if deadline is not None and today() > deadline:
                raise ServiceError("objection_too_late", deadline=deadline.isoformat())
            return dict(t), ""

        return self._act(case_id, op, "object_transfer", EventType.TRANSFER_OBJECTED, make,
                         expected_version=expected_version)

    def assign(self, case_id: str, op: Operator, *, due: str, to_unit: str = "",
               to_division: str = "", report_required: bool = True, note: str = "",
               expected_version: str | None = None) -> CaseDetail:
        """交办 to a unit (as :meth:`transfer`) with a deadline (an ISO date from today to a
        year ahead) and, usually, a 办结报告 to send back."""
        t = _texts(note=(note, False, 500))
        with self._store.read() as s:
            register = unit_register(s)
        code = _target(register, to_division, to_unit)
        day = _due(due)
        if not isinstance(report_required, bool):
            raise ValidationErrors([FieldError("report_required", "invalid_choice")])

        def make(st: CaseState, s: Session) -> tuple[dict[str, Any], str]:
            # a unit above may 交办 the case to the unit that handles it now (a deadline
            # and a report); it may not 交办 to itself
            if code == station_unit(s):
                raise ServiceError("transfer_same")
            div = division_of(code)
            return ({"to_division": div, "to_unit": code, "due": day,
                     "report_required": report_required, "note": t["note"]}, div)

        return self._act(case_id, op, "assign", EventType.ASSIGNED, make,
                         expected_version=expected_version)

    def urge(self, case_id: str, op: Operator, *, note: str, due: str,
             expected_version: str | None = None) -> CaseDetail:
        """督办 with a note and the date by which the handler must answer."""
        t = _texts(note=(note, True, 500))
        day = _due(due)
        return self._act(case_id, op, "urge", EventType.URGED,
                         lambda st, s: ({"note": t["note"], "due": day}, ""),
                         expected_version=expected_version)

    def request_extension(self, case_id: str, op: Operator, *, days: int, reason: str,
                          expected_version: str | None = None) -> CaseDetail:
        """申请延期 by the handling unit; the reason is what the petitioner is told.
        ServiceError('extension_too_long', max) beyond 30 days in all (Art. 34)."""
        if isinstance(days, bool) or not isinstance(days, int) or days < 1:
            raise ValidationErrors([FieldError("days", "out_of_range",
                                               {"min": 1, "max": MAX_EXTENSION_DAYS})])
        t = _texts(reason=(reason, True, 500))

        def make(st: CaseState, s: Session) -> tuple[dict[str, Any], str]:
            if st.extension_days + days > MAX_EXTENSION_DAYS:
                raise ServiceError("extension_too_long",
                                   max=MAX_EXTENSION_DAYS - st.extension_days)
            return {"days": days, **t}, ""

        return self._act(case_id, op, "request_extension", EventType.EXTENSION_REQUESTED,
                         make, expected_version=expected_version)

    def decide_extension(self, case_id: str, op: Operator, *, approved: bool,
                         days: int | None = None, note: str = "",
                         expected_version: str | None = None) -> CaseDetail:
        """审批延期 by the supervising unit (or the level above): approved moves the
        办结 deadline by the requested days (or fewer, ``days``), counted by the rule of
        periods from acceptance (petition_core.clocks); refused leaves it."""
        t = _texts(note=(note, not approved, 500))
        if days is not None and (isinstance(days, bool) or not isinstance(days, int)
                                 or not 1 <= days <= MAX_EXTENSION_DAYS):
            raise ValidationErrors([FieldError("days", "out_of_range",
                                               {"min": 1, "max": MAX_EXTENSION_DAYS})])

        def make(st: CaseState, s: Session) -> tuple[dict[str, Any], str]:
            req = st.extension_request or {}
            data: dict[str, Any] = {"request_id": req.get("event_id"),
                                    "decision": "approved" if approved else "refused",
                                    "note": t["note"]}
            if approved:
                granted = min(days or req["days"], req["days"])
                if st.extension_days + granted > MAX_EXTENSION_DAYS:
                    raise ServiceError("extension_too_long",
                                       max=MAX_EXTENSION_DAYS - st.extension_days)
                data["days"] = granted
            return data, ""

        return self._act(case_id, op, "decide_extension", EventType.EXTENSION_DECIDED, make,
                         expected_version=expected_version)

    def submit_report(self, case_id: str, op: Operator, *, report: str,
                      expected_version: str | None = None) -> CaseDetail:
        """办结报告 to the unit that assigned the case and asked for one."""
        t = _texts(report=(report, True, 5000))
        return self._act(case_id, op, "submit_report", EventType.REPORT_SUBMITTED,
                         lambda st, s: (dict(t), ""), expected_version=expected_version)

    def accept_report(self, case_id: str, op: Operator, *, note: str = "",
                      expected_version: str | None = None) -> CaseDetail:
        """The assigning unit signs the 办结报告 off (to send it back: :meth:`send_back`)."""
        t = _texts(note=(note, False, 500))
        return self._act(case_id, op, "accept_report", EventType.REPORT_ACCEPTED,
                         lambda st, s: ({"report_id": (st.report or {}).get("event_id"),
                                         **t}, ""), expected_version=expected_version)

    def send_back(self, case_id: str, op: Operator, *, reason: str,
                  expected_version: str | None = None) -> CaseDetail:
        """发回重办: the supervising unit voids the conclusion; the handler acts again."""
        t = _texts(reason=(reason, True, 500))
        return self._act(case_id, op, "send_back", EventType.REDO_ORDERED,
                         lambda st, s: (dict(t), ""), expected_version=expected_version)

    def close(self, case_id: str, op: Operator, *, reason: str,
              expected_version: str | None = None) -> CaseDetail:
        """终结: afterwards only viewing is allowed, and the intake warns when the same
        facts come again (Art. 36)."""
        t = _texts(reason=(reason, True, 500))
        return self._act(case_id, op, "close", EventType.CLOSED,
                         lambda st, s: (dict(t), ""), expected_version=expected_version)

    def follow_up(self, case_id: str, op: Operator, *, satisfaction: Satisfaction | str,
                  method: str = "", note: str = "",
                  expected_version: str | None = None) -> CaseDetail:
        sat = _choice("satisfaction", satisfaction, Satisfaction)
        t = _texts(method=(method, False, 30), note=(note, False, 500))
        return self._act(case_id, op, "follow_up", EventType.FOLLOWED_UP,
                         lambda st, s: ({"satisfaction": sat, **t}, ""), group="satisfaction",
                         expected_version=expected_version)

    def serve(self, case_id: str, op: Operator, *, served_on: str, method: ServeMethod | str,
              note: str = "", expected_version: str | None = None) -> CaseDetail:
        """记录送达: the day the petitioner received the newest written reply (处理意见书 or
        复查/复核意见书), which starts the 30-day 复查/复核 window.  ``served_on`` is an ISO
        date, not after today and not before the reply (``served_before_reply``); recording
        it again corrects the earlier record."""
        m = method.value if isinstance(method, ServeMethod) else method

        def make(st: CaseState, s: Session) -> tuple[dict[str, Any], str]:
            reply = latest_reply(st)
            if reply is None:
                raise ServiceError("action_not_allowed", action="serve",
                                   status=st.status.value)
            data = validate_served({"reply": reply[0], "served_on": served_on, "method": m,
                                    "note": note}, today=today(), reply_date=reply[1])
            return data, ""

        return self._act(case_id, op, "serve", EventType.SERVED, make,
                         expected_version=expected_version)

    def amend(self, case_id: str, op: Operator, *, field: str, new_value: Any,
              reason: str, expected_version: str | None = None) -> CaseDetail:
        """``field`` is one of petition_core.fold.AMENDABLE_FIELDS (dotted).  The whole form
        is re-validated with the new value, so an amendment can never store what
        registration would have refused."""
        if field not in AMENDABLE_FIELDS:
            raise ValidationErrors([FieldError("field", "invalid_choice",
                                               {"allowed": sorted(AMENDABLE_FIELDS)})])
        t = _texts(reason=(reason, True, 500))

        def make(st: CaseState, s: Session) -> tuple[dict[str, Any], str]:
            form = copy.deepcopy(st.facts)
            form["division"] = st.division
            _set_dotted(form, field, new_value)
            try:
                clean, _w = validate_registration(
                    form, divisions=DivisionTree.load_default(),
                    now=datetime.now().astimezone(), within=station_row(s).division,
                    require_account=field == "account")
            except ValidationErrors as exc:
                mine = [e for e in exc.errors if e.field == field
                        or e.field.startswith(field + ".")]
                raise ValidationErrors(mine or exc.errors) from None
            new = _get_dotted(clean, field)
            old = st.fact(field)
            if new == old:
                raise ServiceError("amend_no_change")
            return {"field": field, "old": old, "new": new, "reason": t["reason"]}, ""

        return self._act(case_id, op, "amend", EventType.AMENDED, make,
                         expected_version=expected_version)

    def link(self, case_id: str, op: Operator, *, related: Iterable[str],
             note: str = "", expected_version: str | None = None) -> CaseDetail:
        rel = list(dict.fromkeys(str(r) for r in related))
        t = _texts(note=(note, False, 500))
        if not rel:
            raise ValidationErrors([FieldError("related", "required")])

        def make(st: CaseState, s: Session) -> tuple[dict[str, Any], str]:
            for r in rel:
                if r == case_id:
                    raise ServiceError("link_self")
                if s.get(CaseIndex, r) is None:
                    raise ServiceError("link_unknown")
            new = [r for r in rel if r not in st.links]
            if not new:
                raise ServiceError("link_exists")
            return {"related": new, "note": t["note"]}, ""

        return self._act(case_id, op, "link", EventType.LINKED, make,
                         expected_version=expected_version)

    def resolve_conflict(self, case_id: str, op: Operator, *, group: str,
                         chosen_event_id: str, note: str = "",
                         expected_version: str | None = None) -> CaseDetail:
        """Pick one of the incompatible decisions shown in CaseDetail.conflicts.
        ServiceError('conflict_unknown') when there is no such conflict or option."""
        t = _texts(note=(note, True, 500))

        def make(st: CaseState, s: Session) -> tuple[dict[str, Any], str]:
            match = [c for c in st.conflicts if c.group == group]
            if not match or chosen_event_id not in match[0].event_ids:
                raise ServiceError("conflict_unknown")
            return {"group": group, "chosen_event_id": chosen_event_id, "note": t["note"]}, ""

        return self._act(case_id, op, "resolve_conflict", EventType.CONFLICT_RESOLVED, make,
                         expected_version=expected_version)
