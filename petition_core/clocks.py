"""Statutory time limits (DOMAIN.md's table) and the working-day calendar they need.

Why data, not code, for the calendar: "工作日" excludes public holidays and counts the
weekend days the State Council turns into working days (调休), and that schedule is
published every November for the next year.  ``resources/holidays/cn.json`` holds it; a
county can update the file without a new release.  For a year not in the table the
calendar falls back to Monday–Friday and ``covers()`` says so, so the UI can warn.

Limits implemented (信访工作条例 2022 unless stated):

* ``decide``: register → accept / decline / transfer / assign within 15 days (Arts. 22, 23);
* ``discipline_decide``: discipline reports accepted or transferred within 5 working days
  (纪检监察机关处理检举控告工作规则);
* ``inform_accept`` / ``inform_result``: a real-name discipline reporter is told of the
  acceptance within 15 working days of receipt, and of the result within 15 working days of
  conclusion (same rules; the follow-up 回访 counts as telling the result);
* ``conclude``: 60 days from acceptance plus approved extension (≤ 30) (Art. 34);
* ``assigned``: the deadline written in the 交办 notice;
* ``review_window`` / ``rereview_window``: the petitioner may ask for 复查/复核 within 30 days
  (Arts. 35, 36) — a *window*, not a duty (``obligation=False``);
* ``review_decide`` / ``rereview_decide``: decided within 30 days of the request.

Dates only: a limit counts whole days in the station's local calendar.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from .events import Event, EventType
from .fold import CaseState
from .resources import resource_path

log = logging.getLogger(__name__)

NEAR_DAYS = 3
REGS = "信访工作条例"
DISCIPLINE_RULES = "纪检监察机关处理检举控告工作规则"


class WorkCalendar:
    """Working days in mainland China for the years the holiday table covers."""

    def __init__(self, years: dict[int, tuple[frozenset[date], frozenset[date]]],
                 source: str = ""):
        self._years = dict(years)
        self.source = source

    @classmethod
    def from_dict(cls, doc: dict[str, Any]) -> "WorkCalendar":
        """Parse ``{"years": {"2026": {"holidays": [...], "workdays": [...]}}}``.
        Raises ValueError naming the year for malformed or contradictory data."""
        years: dict[int, tuple[frozenset[date], frozenset[date]]] = {}
        raw_years = doc.get("years") if isinstance(doc, dict) else None
        if not isinstance(raw_years, dict):
            raise ValueError("holiday table: 'years' must be an object")
        for key, entry in raw_years.items():
            try:
                year = int(key)
                hol = frozenset(date.fromisoformat(s) for s in entry.get("holidays", []))
                work = frozenset(date.fromisoformat(s) for s in entry.get("workdays", []))
            except (TypeError, ValueError, AttributeError) as exc:
                raise ValueError(f"holiday table, year {key}: {exc}") from None
            if any(d.year != year for d in hol | work):
                raise ValueError(f"holiday table, year {key}: a date of another year")
            if hol & work:
                raise ValueError(f"holiday table, year {key}: a day is both holiday and workday")
            years[year] = (hol, work)
        return cls(years, str(doc.get("source", "")))

    @classmethod
    def from_file(cls, path: Path) -> "WorkCalendar":
        with open(path, encoding="utf-8") as fh:
            return cls.from_dict(json.load(fh))

    @classmethod
    def load_default(cls) -> "WorkCalendar":
        """The calendar from ``resources/holidays/cn.json`` (cached per path)."""
        return _load_default(str(resource_path("holidays", "cn.json")))

    @property
    def years(self) -> list[int]:
        return sorted(self._years)

    def covers(self, d: date) -> bool:
        """True when the official schedule of ``d``'s year is in the table."""
        return d.year in self._years

    def is_working_day(self, d: date) -> bool:
        hol, work = self._years.get(d.year, (frozenset(), frozenset()))
        if d in work:
            return True
        if d in hol:
            return False
        return d.weekday() < 5

    def add_working_days(self, d: date, n: int) -> date:
        """The ``n``-th working day after ``d`` (``d`` itself not counted; n=0 → d)."""
        if n < 0:
            raise ValueError("n must be ≥ 0")
        cur = d
        while n > 0:
            cur += timedelta(days=1)
            if self.is_working_day(cur):
                n -= 1
        return cur


@lru_cache(maxsize=4)
def _load_default(path: str) -> WorkCalendar:
    return WorkCalendar.from_file(Path(path))


@dataclass(frozen=True)
class Clock:
    key: str
    label: str            # Chinese, shown as-is (the UI may still route it through tr())
    article: str          # legal basis, e.g. "信访工作条例第34条"
    start: date
    due: date
    done: date | None = None
    obligation: bool = True   # False: a petitioner's window (复查 request), not a duty

    def days_left(self, today: date) -> int:
        return (self.due - today).days

    def state(self, today: date) -> str:
        """done / done_late / overdue / near (≤ 3 days left) / ok.

        A window (``obligation=False``) that lapsed unused is ``done``: nothing is owed."""
        if self.done is not None:
            return "done" if self.done <= self.due else "done_late"
        if today > self.due:
            return "overdue" if self.obligation else "done"
        if self.days_left(today) <= NEAR_DAYS:
            return "near"
        return "ok"


def _to_date(value: Any) -> date | None:
    """The local date of an ISO date or date-time string; None when absent or malformed."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value).date()
    except ValueError:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None


def _ev_date(ev: Event) -> date | None:
    return _to_date(ev.data().get("at")) or _to_date(ev.occurred_at)


def _first(state: CaseState, types: set[str]) -> Event | None:
    for ev in state.events:
        if ev.type in types and not ev.sealed:
            return ev
    return None


_DECISIONS = {EventType.ACCEPTED.value, EventType.DECLINED.value,
              EventType.TRANSFERRED.value, EventType.ASSIGNED.value}


def clocks_for(state: CaseState, calendar: WorkCalendar) -> list[Clock]:
    """Every time limit that applies to the case, open or done, in a stable order."""
    clocks: list[Clock] = []
    received = _to_date(state.fact("received_at"))
    if received is None:
        reg = next((e for e in state.events if e.type == EventType.REGISTERED.value), None)
        received = _to_date(reg.occurred_at) if reg else None
    if received is None:
        return clocks
    first_decision = _first(state, _DECISIONS)
    decided = _ev_date(first_decision) if first_decision else None
    clocks.append(Clock("decide", "登记后15日内受理或转送、交办", f"{REGS}第22条、第23条",
                        received, received + timedelta(days=15), decided))

    # a sealed case is a confidential report to the discipline office: its stricter
    # limit applies even though this reader cannot see the category
    discipline = (state.sealed or state.fact("discipline") is True
                  or state.fact("category") == "discipline")
    if discipline:
        clocks.append(Clock("discipline_decide", "检举控告5个工作日内受理或转交",
                            DISCIPLINE_RULES, received,
                            calendar.add_working_days(received, 5), decided))
    real_name = discipline and not state.sealed and state.fact("petitioner.anonymous") is False
    if real_name:
        informed = None
        if first_decision is not None and first_decision.type in (
                EventType.ACCEPTED.value, EventType.DECLINED.value):
            channel = first_decision.data().get("notify_channel")
            if channel and channel != "none_anonymous":
                informed = decided
        clocks.append(Clock("inform_accept", "15个工作日内告知实名举报人受理情况",
                            DISCIPLINE_RULES, received,
                            calendar.add_working_days(received, 15), informed))

    accepted = _to_date(state.accepted_at)
    concluded = _to_date((state.conclusion or {}).get("at"))
    if accepted is not None:
        clocks.append(Clock("conclude", "受理之日起60日内办结（经批准可延长）", f"{REGS}第34条",
                            accepted, accepted + timedelta(days=60 + state.extension_days),
                            concluded))
    if state.assigned_due:
        due = _to_date(state.assigned_due)
        assigned = [e for e in state.events
                    if e.type == EventType.ASSIGNED.value and not e.sealed]
        start = _ev_date(assigned[-1]) if assigned else None
        if due is not None and start is not None:
            clocks.append(Clock("assigned", "按交办期限办结并报告", "交办通知", start, due,
                                concluded if concluded and concluded >= start else None))
    if concluded is not None:
        if real_name:
            clocks.append(Clock("inform_result", "办结后15个工作日内告知实名举报人处理结果",
                                DISCIPLINE_RULES, concluded,
                                calendar.add_working_days(concluded, 15),
                                _to_date(state.followed_up_at)))
        clocks.extend(_review_clocks(state, concluded))
    return clocks


def _review_clocks(state: CaseState, concluded: date) -> list[Clock]:
    """复查/复核: the petitioner's 30-day windows and the 30-day duty to decide."""
    out: list[Clock] = []
    requested: dict[str, date | None] = {"review": None, "rereview": None}
    decided: dict[str, date | None] = {"review": None, "rereview": None}
    for r in state.reviews:
        kind = r.get("kind") if r.get("kind") in requested else "review"
        if "requested_at" in r and requested[kind] is None:
            requested[kind] = _to_date(r.get("requested_at"))
        elif "decided_at" in r and decided[kind] is None:
            decided[kind] = _to_date(r.get("decided_at"))
    names = {"review": ("复查", 35, concluded), "rereview": ("复核", 36, decided["review"])}
    for kind, (name, art, opened) in names.items():
        if opened is None:
            continue
        out.append(Clock(f"{kind}_window", f"书面答复后30日内可申请{name}", f"{REGS}第{art}条",
                         opened, opened + timedelta(days=30), requested[kind],
                         obligation=False))
        req = requested[kind]
        if req is not None:
            out.append(Clock(f"{kind}_decide", f"收到{name}请求后30日内作出意见",
                             f"{REGS}第{art}条", req, req + timedelta(days=30), decided[kind]))
    return out


def next_due(state: CaseState, calendar: WorkCalendar, today: date) -> Clock | None:
    """The open duty that falls due first (overdue ones come first by construction);
    ``today`` is accepted so callers can later rank by urgency without a signature change."""
    open_clocks = [c for c in clocks_for(state, calendar) if c.done is None and c.obligation]
    if not open_clocks:
        return None
    return min(open_clocks, key=lambda c: (c.due, c.key))
