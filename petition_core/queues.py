"""The workbench queues (issue 9 item 4): which of a unit's work lists a case is in.

Pure functions over the folded case (:class:`fold.CaseState`) and its parties
(:func:`ownership.parties_of`), for ONE unit (a station asks for its own):

* 待签收 ``incoming``: the unit handles it, it was transferred or assigned to it
  (转办/交办) and nobody has signed for it (签收) yet;
* 待受理 ``to_accept``: the unit handles it and has not accepted or declined it: registered
  here, or signed for after a 转办/交办;
* 办理中 ``in_hand``: the unit handles it and has accepted it (受理), no 办结 yet;
* 即将超期 ``near_due`` / 已超期 ``overdue``: a case with work left for its handler (to sign,
  to accept or in hand) that the unit handles OR supervises (it transferred or assigned
  it: the one to urge it, 批量督办), whose next statutory deadline (``clocks.next_due``) is
  at most ``NEAR_DAYS`` days ahead / already past;
* 待审核办结 ``report_review``: the unit supervises it (it transferred or assigned it) and a
  办结报告 was submitted and not yet accepted;
* 督办中 ``urged``: urged (督办) at least once and not concluded yet (still incoming, in
  hand or under 复查), and the unit handles it (督办 received) or supervises it;
* 复查复核 ``reviewing``: a 复查 or 复核 was asked and the unit is the one to decide it.

A case's *stage* (:func:`stage_of`) is where it stands for its handler, independent of
who looks; the station's projection stores it with the handling, supervising and reviewing
units so that every queue is one indexed query (station_app/services/queues.py says the
same predicates in SQL, and a test checks both agree).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from .clocks import NEAR_DAYS, WorkCalendar, next_due
from .enums import Labelled, Status
from .fold import CaseState
from .ownership import Parties


class Queue(Labelled):
    INCOMING = ("incoming", "待签收")
    TO_ACCEPT = ("to_accept", "待受理")
    IN_HAND = ("in_hand", "办理中")
    NEAR_DUE = ("near_due", "即将超期")
    OVERDUE = ("overdue", "已超期")
    REPORT_REVIEW = ("report_review", "待审核办结")
    URGED = ("urged", "督办中")
    REVIEWING = ("reviewing", "复查复核")


class Stage(Labelled):
    """Where an open case stands for its handling unit ("" for a case with nothing left
    to handle: declined, concluded, followed up, closed)."""

    SIGN = ("sign", "待签收")
    ACCEPT = ("accept", "待受理")
    WORK = ("work", "办理中")
    REVIEW = ("review", "复查复核中")
    NONE = ("", "无")


# the stages whose statutory clock is the handler's (near-due / overdue count them)
HANDLER_STAGES = frozenset({Stage.SIGN, Stage.ACCEPT, Stage.WORK})


def stage_of(state: CaseState) -> Stage:
    if not state.registered:
        return Stage.NONE
    s = state.status
    if s in (Status.TRANSFERRED, Status.ASSIGNED):
        return Stage.ACCEPT if state.signed_at else Stage.SIGN
    if s is Status.REGISTERED:
        return Stage.ACCEPT
    if s is Status.ACCEPTED:
        return Stage.WORK
    if s is Status.REVIEWING:
        return Stage.REVIEW
    return Stage.NONE


def report_pending(state: CaseState) -> bool:
    """A 办结报告 was submitted and not yet accepted."""
    return state.report is not None and not state.report.get("accepted_at")


def urged_open(state: CaseState) -> bool:
    """Urged (督办) and not concluded yet."""
    return state.urges > 0 and stage_of(state) is not Stage.NONE


@dataclass(frozen=True)
class QueueFacts:
    """What the queues need of one case: the projection's columns."""

    handling_unit: str
    supervising_unit: str
    reviewing_unit: str
    stage: Stage
    report_pending: bool
    urged: bool

    @classmethod
    def of(cls, state: CaseState, parties: Parties) -> QueueFacts:
        return cls(handling_unit=parties.handling, supervising_unit=parties.supervising or "",
                   reviewing_unit=parties.reviewing or "", stage=stage_of(state),
                   report_pending=report_pending(state), urged=urged_open(state))


def due_class(due: str | None, today: date) -> str:
    """"overdue" / "near" (≤ NEAR_DAYS days left) / "" for a next deadline (ISO date)."""
    if not due:
        return ""
    d = date.fromisoformat(due[:10])
    if d < today:
        return "overdue"
    return "near" if d <= today + timedelta(days=NEAR_DAYS) else ""


def queues_for(facts: QueueFacts, due: str | None, unit: str,
               today: date) -> frozenset[Queue]:
    """The queues of ``unit`` a case with these facts and next deadline ``due`` is in."""
    out: set[Queue] = set()
    handling = bool(unit) and facts.handling_unit == unit
    if handling:
        if facts.stage is Stage.SIGN:
            out.add(Queue.INCOMING)
        elif facts.stage is Stage.ACCEPT:
            out.add(Queue.TO_ACCEPT)
        elif facts.stage is Stage.WORK:
            out.add(Queue.IN_HAND)
    supervising = bool(unit) and facts.supervising_unit == unit
    if (handling or supervising) and facts.stage in HANDLER_STAGES:
        dc = due_class(due, today)
        if dc == "overdue":
            out.add(Queue.OVERDUE)
        elif dc == "near":
            out.add(Queue.NEAR_DUE)
    if supervising and facts.report_pending:
        out.add(Queue.REPORT_REVIEW)
    if facts.urged and (handling or supervising):
        out.add(Queue.URGED)
    if unit and facts.reviewing_unit == unit and facts.stage is Stage.REVIEW:
        out.add(Queue.REVIEWING)
    return frozenset(out)


def case_queues(state: CaseState, parties: Parties, unit: str, today: date,
                due_of: Callable[[CaseState], str | None] | None = None) -> frozenset[Queue]:
    """The queues of ``unit`` the folded case is in.  ``due_of`` gives its next deadline
    (default: ``clocks.next_due`` on the default working calendar)."""
    if due_of is None:
        due_of = _default_due
    return queues_for(QueueFacts.of(state, parties), due_of(state), unit, today)


def _default_due(state: CaseState) -> str | None:
    if stage_of(state) not in HANDLER_STAGES or state.sealed:
        return None
    clock = next_due(state, WorkCalendar.load_default(), date.today())
    if clock is None:
        return None
    d = clock.due
    return (d.isoformat() if hasattr(d, "isoformat") else str(d))[:10]
