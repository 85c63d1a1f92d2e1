"""Statutory time limits (DOMAIN.md's table) and the working-day calendar they need.

Why data, not code, for the calendar: "工作日" excludes public holidays and counts the
weekend days the State Council turns into working days (调休), and that schedule is
published every November for the next year.  ``resources/holidays/cn.json`` holds it; a
county can update the file without a new release.  For a year not in the table the
calendar uses the statutory holidays, which the law fixes in advance
(``petition_core.holidays``), plus Monday–Friday; every clock that depends on such a year
names it (``Clock.missing_years``) so each screen can say the year's calendar is not loaded.

How a period is counted (DOMAIN.md, "How a period is counted"; 民法典 Arts. 201–203): the
start day is not counted; a period of calendar days ("日") that ends on a 法定休假日 (a
public holiday, or a weekend that is not a 调休 working day) ends on the next working day
(``WorkCalendar.period_end``); a period of working days ("工作日") counts working days only.
This holds for the agency's duties and for the petitioner's windows alike.

Limits implemented (信访工作条例 2022 unless stated):

* ``decide``: register → accept / decline / transfer / assign within 15 days (Arts. 22, 23);
* ``discipline_decide``: discipline reports accepted or transferred within 5 working days
  (纪检监察机关处理检举控告工作规则);
* ``inform_accept`` / ``inform_result``: a real-name discipline reporter is told of the
  acceptance within 15 working days of receipt, and of the result within 15 working days of
  conclusion (same rules; the follow-up 回访 counts as telling the result);
* ``conclude``: 60 days from acceptance plus approved extension (≤ 30) (Art. 34);
* ``assigned``: the deadline written in the 交办 notice (a date, not a period);
* ``objection``: the receiver of a transferred or assigned case may object within 5 working
  days (Art. 23) — a *window* (``obligation=False``);
* ``review_window`` / ``rereview_window``: the petitioner may ask for 复查/复核 within 30 days
  of receiving the written reply (送达, Arts. 35, 36) — a window; counted from the reply's
  own date, and flagged ``served_missing``, while the 送达 is not recorded;
* ``review_decide`` / ``rereview_decide``: decided within 30 days of the request.

Dates only: a limit counts whole days in the station's local calendar.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from .events import Event, EventType
from .fold import CaseState
from .holidays import statutory_holidays
from .resources import resource_path

log = logging.getLogger(__name__)

NEAR_DAYS = 3
REGS = "信访工作条例"
DISCIPLINE_RULES = "纪检监察机关处理检举控告工作规则"


class WorkCalendar:
    """Working days in mainland China: the official schedule for the years the holiday table
    covers; for any other year the statutory holidays (``petition_core.holidays``) plus
    Saturdays and Sundays, which ``covers()`` / ``missing_years()`` report so screens can say
    that year's calendar is not loaded yet."""

    def __init__(self, years: dict[int, tuple[frozenset[date], frozenset[date]]],
                 source: str = ""):
        self._years = dict(years)
        self.source = source

    @classmethod
    def from_dict(cls, doc: dict[str, Any]) -> WorkCalendar:
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
    def from_file(cls, path: Path) -> WorkCalendar:
        with open(path, encoding="utf-8") as fh:
            return cls.from_dict(json.load(fh))

    @classmethod
    def load_default(cls) -> WorkCalendar:
        """The calendar from ``resources/holidays/cn.json`` (cached per path), with the
        years the county sent by sync on top (:meth:`install_synced`).  The one place the
        table is loaded: every service and the projection ask here, and
        ``forget_default()`` drops the cache when a county ships a new table."""
        return _load_default(str(resource_path("holidays", "cn.json")))

    @staticmethod
    def forget_default() -> None:
        _load_default.cache_clear()

    @staticmethod
    def install_synced(years: dict[str, Any]) -> list[str]:
        """Use ``{"2027": {"holidays": [...], "workdays": [...]}}`` — the years of the
        county's signed holiday records a station stored — on top of the shipped table (a
        synced year replaces the shipped one: the county loaded a newer notice).  Each year
        is checked alone; a bad one is left out and named in the result.  ``{}`` goes back
        to the shipped table."""
        good: dict[str, Any] = {}
        bad: list[str] = []
        for key, entry in years.items():
            try:
                WorkCalendar.from_dict({"years": {key: entry}})
            except ValueError:
                bad.append(str(key))
                continue
            good[str(key)] = entry
        _SYNCED.clear()
        _SYNCED.update(good)
        _load_default.cache_clear()
        return bad

    def merged(self, other: WorkCalendar) -> WorkCalendar:
        """This calendar with ``other``'s years replacing its own."""
        return WorkCalendar({**self._years, **other._years}, self.source)

    @property
    def years(self) -> list[int]:
        return sorted(self._years)

    def covers(self, d: date) -> bool:
        """True when the official schedule of ``d``'s year is in the table."""
        return d.year in self._years

    def missing_years(self, first: date, last: date) -> tuple[int, ...]:
        """The years from ``first`` to ``last`` whose official schedule is not loaded (their
        days are counted from the statutory holidays and Monday–Friday)."""
        return tuple(y for y in range(first.year, last.year + 1) if y not in self._years)

    def is_working_day(self, d: date) -> bool:
        entry = self._years.get(d.year)
        if entry is None:
            if d.weekday() >= 5:
                return False
            try:
                return d not in statutory_holidays(d.year)
            except ValueError:   # far outside any real case: weekdays only
                return True
        hol, work = entry
        if d in work:
            return True
        if d in hol:
            return False
        return d.weekday() < 5

    def next_working_day(self, d: date) -> date:
        """``d`` itself when it is a working day, else the first working day after it."""
        while not self.is_working_day(d):
            d += timedelta(days=1)
        return d

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

    def period_end(self, start: date, days: int) -> date:
        """The last day of a period of ``days`` calendar days from ``start``, by the rule of
        periods (民法典 Arts. 201, 203): ``start`` itself is not counted, and when the last
        day is a 法定休假日 (a public holiday, or a weekend that is not a 调休 working day)
        the period ends on the next working day.  15 days from 2026-01-31 end on 2026-02-24
        (02-15 is in 春节); a period ending on a 调休 working Saturday does not move."""
        if days < 0:
            raise ValueError("days must be ≥ 0")
        return self.next_working_day(start + timedelta(days=days))


_SYNCED: dict[str, Any] = {}   # years a station got by sync (install_synced), checked


@lru_cache(maxsize=4)
def _load_default(path: str) -> WorkCalendar:
    shipped = WorkCalendar.from_file(Path(path))
    return shipped.merged(WorkCalendar.from_dict({"years": dict(_SYNCED)})) if _SYNCED \
        else shipped


@dataclass(frozen=True)
class Clock:
    key: str
    label: str            # Chinese, shown as-is (the UI may still route it through tr())
    article: str          # legal basis, e.g. "信访工作条例第34条"
    start: date
    due: date
    done: date | None = None
    obligation: bool = True   # False: a window (a 复查 request, an objection), not a duty
    # years whose official calendar the due date depends on but the table lacks: the date
    # is counted from the statutory holidays and may move when the notice is loaded
    missing_years: tuple[int, ...] = ()
    # a 复查/复核 window counted from the reply's own date because its 送达 (the day the
    # petitioner received it) is not recorded
    served_missing: bool = False

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


def _days(calendar: WorkCalendar, key: str, label: str, article: str, start: date, days: int,
          done: date | None, **kw: Any) -> Clock:
    """A period of calendar days ("日"), ended by the rule of periods."""
    due = calendar.period_end(start, days)
    missing = calendar.missing_years(start + timedelta(days=days), due)
    return Clock(key, label, article, start, due, done, missing_years=missing, **kw)


def _working_days(calendar: WorkCalendar, key: str, label: str, article: str, start: date,
                  n: int, done: date | None, **kw: Any) -> Clock:
    """A period of working days ("工作日")."""
    due = calendar.add_working_days(start, n)
    missing = calendar.missing_years(start + timedelta(days=1), due) if n else ()
    return Clock(key, label, article, start, due, done, missing_years=missing, **kw)


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
    clocks.append(_days(calendar, "decide", "登记后15日内受理或转送、交办",
                        f"{REGS}第22条、第23条", received, 15, decided))

    # a sealed case is a confidential report to the discipline office: its stricter
    # limit applies even though this reader cannot see the category
    discipline = (state.sealed or state.fact("discipline") is True
                  or state.fact("category") == "discipline")
    if discipline:
        clocks.append(_working_days(calendar, "discipline_decide", "检举控告5个工作日内受理或转交",
                                    DISCIPLINE_RULES, received, 5, decided))
    real_name = discipline and not state.sealed and state.fact("petitioner.anonymous") is False
    if real_name:
        informed = None
        if first_decision is not None and first_decision.type in (
                EventType.ACCEPTED.value, EventType.DECLINED.value):
            channel = first_decision.data().get("notify_channel")
            if channel and channel != "none_anonymous":
                informed = decided
        clocks.append(_working_days(calendar, "inform_accept", "15个工作日内告知实名举报人受理情况",
                                    DISCIPLINE_RULES, received, 15, informed))

    accepted = _to_date(state.accepted_at)
    concluded = _to_date((state.conclusion or {}).get("at"))
    if accepted is not None:
        clocks.append(_days(calendar, "conclude", "受理之日起60日内办结（经批准可延长）",
                            f"{REGS}第34条", accepted, 60 + state.extension_days, concluded))
    moved = [e for e in state.events if not e.sealed
             and e.type in (EventType.TRANSFERRED.value, EventType.ASSIGNED.value)]
    moved_at = _ev_date(moved[-1]) if moved else None
    if state.assigned_due:
        due = _to_date(state.assigned_due)
        assigned = [e for e in moved if e.type == EventType.ASSIGNED.value]
        start = _ev_date(assigned[-1]) if assigned else None
        if due is not None and start is not None:
            # a date written in the notice, not a period: no rule of periods, no calendar
            clocks.append(Clock("assigned", "按交办期限办结并报告", "交办通知", start, due,
                                concluded if concluded and concluded >= start else None))
    if moved_at is not None:
        clocks.append(_objection_clock(calendar, moved_at, concluded))
    if concluded is not None:
        if real_name:
            clocks.append(_working_days(calendar, "inform_result",
                                        "办结后15个工作日内告知实名举报人处理结果",
                                        DISCIPLINE_RULES, concluded, 15,
                                        _to_date(state.followed_up_at)))
        clocks.extend(_review_clocks(state, concluded, calendar))
    return clocks


def _objection_clock(calendar: WorkCalendar, received: date, concluded: date | None) -> Clock:
    """Art. 23: the body that receives a transferred or assigned case may object within 5
    working days of receiving it (counted from the 转办/交办 date, the day it reached the
    receiver's outbox).  A window, not a duty; a later 转办 starts a new one, and a
    conclusion within the window closes it."""
    clock = _working_days(calendar, "objection", "收到转送、交办事项5个工作日内可提出异议",
                          f"{REGS}第23条", received, 5, None, obligation=False)
    if concluded is not None and received <= concluded <= clock.due:
        clock = replace(clock, done=concluded)
    return clock


def _review_clocks(state: CaseState, concluded: date, calendar: WorkCalendar) -> list[Clock]:
    """复查/复核: the petitioner's 30-day windows and the 30-day duty to decide.

    A window runs from the day the petitioner received the written reply (送达, a
    ``case.served`` event); where that is not recorded, from the reply's own date, and the
    clock says so (``served_missing``)."""
    out: list[Clock] = []
    requested: dict[str, date | None] = {"review": None, "rereview": None}
    decided: dict[str, date | None] = {"review": None, "rereview": None}
    for r in state.reviews:
        raw_kind = r.get("kind")
        kind = raw_kind if isinstance(raw_kind, str) and raw_kind in requested else "review"
        if "requested_at" in r and requested[kind] is None:
            requested[kind] = _to_date(r.get("requested_at"))
        elif "decided_at" in r and decided[kind] is None:
            decided[kind] = _to_date(r.get("decided_at"))
    # (name, article, the reply that opens the window, its date)
    names = {"review": ("复查", 35, "conclusion", concluded),
             "rereview": ("复核", 36, "review", decided["review"])}
    for kind, (name, art, reply, replied) in names.items():
        if replied is None:
            continue
        served = _to_date((state.served.get(reply) or {}).get("on"))
        known = served is not None and served >= replied
        start = served if served is not None and known else replied
        out.append(_days(calendar, f"{kind}_window", f"收到书面答复之日起30日内可申请{name}",
                         f"{REGS}第{art}条", start, 30,
                         requested[kind], obligation=False, served_missing=not known))
        req = requested[kind]
        if req is not None:
            out.append(_days(calendar, f"{kind}_decide", f"收到{name}请求后30日内作出意见",
                             f"{REGS}第{art}条", req, 30, decided[kind]))
    return out


def next_due(state: CaseState, calendar: WorkCalendar, today: date) -> Clock | None:
    """The open duty that falls due first (overdue ones come first by construction);
    ``today`` is accepted so callers can later rank by urgency without a signature change."""
    open_clocks = [c for c in clocks_for(state, calendar) if c.done is None and c.obligation]
    if not open_clocks:
        return None
    return min(open_clocks, key=lambda c: (c.due, c.key))
