"""The workbench queues of this station's own unit (issue 9 item 4): counts and rows.

The predicates are petition_core.queues' definitions said in SQL over the case_index
columns the projection fills from the same functions (``QueueFacts``, revision 0012), so
each queue is one indexed query whatever the size of the station: the rows are read in
``(due_key, case_id)`` order straight from an index ending in those columns (docs/
benchmarks.md "Workbench queues").  tests/station/test_queues_service.py checks every
queue against the pure definition on real stations.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import text

from petition_core.clocks import NEAR_DAYS
from petition_core.queues import Queue
from petition_core.validation import ValidationErrors

from ..store import Store
from ..store.units import station_unit
from .casebook import MAX_LIMIT, ROW_COLUMNS, case_row
from .cases import CaseService
from .types import (
    NO_CHANGES,
    BatchFailure,
    BatchResult,
    Changes,
    Operator,
    Page,
    QueueCounts,
    ServiceError,
)

_WORK = "ci.stage IN ('sign', 'accept', 'work')"
_BY_ME = "ci.handling_unit = :u"
# supervised, not handled (the same case is in one branch only, so counts add up)
_SUPERVISED = "ci.supervising_unit = :u AND ci.handling_unit <> :u"
# petition_core.queues.queues_for in SQL (:u the unit): each queue is one or two disjoint
# branches, each read from one covering index (revision 0012) — an OR of the two would
# fetch every matching table row to sort them (85 ms for 20,000 overdue cases)
BRANCHES: dict[str, tuple[str, ...]] = {
    Queue.INCOMING.value: (f"{_BY_ME} AND ci.stage = 'sign'",),
    Queue.TO_ACCEPT.value: (f"{_BY_ME} AND ci.stage = 'accept'",),
    Queue.IN_HAND.value: (f"{_BY_ME} AND ci.stage = 'work'",),
    Queue.NEAR_DUE.value: tuple(f"{who} AND {_WORK} AND ci.due_key >= :today"
                                " AND ci.due_key <= :near" for who in (_BY_ME, _SUPERVISED)),
    Queue.OVERDUE.value: tuple(f"{who} AND {_WORK} AND ci.due_key < :today"
                               for who in (_BY_ME, _SUPERVISED)),
    Queue.REPORT_REVIEW.value: ("ci.supervising_unit = :u AND ci.report_pending = 1",),
    Queue.URGED.value: tuple(f"ci.urged = 1 AND {who}" for who in (_BY_ME, _SUPERVISED)),
    Queue.REVIEWING.value: ("ci.reviewing_unit = :u AND ci.stage = 'review'",),
}
QUEUES: tuple[str, ...] = tuple(q.value for q in Queue)
_URGES_RECEIVED = BRANCHES[Queue.URGED.value][0]


def _params(unit: str, today: str | None) -> dict[str, Any]:
    day = date.fromisoformat(today) if today else date.today()
    return {"u": unit, "today": day.isoformat(),
            "near": (day + timedelta(days=NEAR_DAYS)).isoformat()}


def _count(s: Any, branches: tuple[str, ...], p: dict[str, Any]) -> int:
    return sum(int(s.scalar(text(f"SELECT count(*) FROM case_index ci WHERE {b}"), p) or 0)
               for b in branches)


class QueueService:
    def __init__(self, store: Store, cases: CaseService | None = None) -> None:
        self._store = store
        self._cases = cases if cases is not None else CaseService(store)

    def unit(self) -> str:
        with self._store.read() as s:
            return station_unit(s) or ""

    def counts(self, *, today: str | None = None) -> QueueCounts:
        """Every queue's count for this station's unit, and the navigation badges."""
        with self._store.read() as s:
            unit = station_unit(s) or ""
            p = _params(unit, today)
            if not unit:
                return QueueCounts(unit="", counts=tuple((q, 0) for q in QUEUES))
            counts = tuple((q, _count(s, BRANCHES[q], p)) for q in QUEUES)
            urged = _count(s, (_URGES_RECEIVED,), p)
        return QueueCounts(unit=unit, counts=counts,
                           new_arrivals=dict(counts)[Queue.INCOMING.value],
                           urges_received=urged)

    def count(self, queue: str, *, today: str | None = None) -> int:
        """One queue's count (ServiceError('queue_invalid') for an unknown queue)."""
        branches = self._branches(queue)
        with self._store.read() as s:
            return _count(s, branches, _params(station_unit(s) or "", today))

    def rows(self, queue: str, *, today: str | None = None, offset: int = 0,
             limit: int = 50) -> Page:
        """One queue's cases, the nearest deadline first (ServiceError('queue_invalid'))."""
        branches = self._branches(queue)
        limit = max(1, min(int(limit), MAX_LIMIT))
        offset = max(0, int(offset))
        # the page's case ids from the covering indexes alone, then those rows only
        ids = " UNION ALL ".join(f"SELECT ci.case_id, ci.due_key FROM case_index ci WHERE {b}"
                                 for b in branches)
        with self._store.read() as s:
            p = {**_params(station_unit(s) or "", today), "limit": limit, "offset": offset}
            rows = s.execute(text(
                f"SELECT {ROW_COLUMNS} FROM case_index ci WHERE ci.case_id IN ("
                f"SELECT case_id FROM ({ids}) ORDER BY due_key, case_id"
                " LIMIT :limit OFFSET :offset) ORDER BY ci.due_key, ci.case_id"), p).all()
            total = len(rows) if offset == 0 and len(rows) < limit \
                else _count(s, branches, p)
        day = date.fromisoformat(p["today"])
        return Page(rows=tuple(case_row(r, day) for r in rows), total=total)

    def urge_many(self, case_ids: list[str] | tuple[str, ...], op: Operator, *, note: str,
                  due: str) -> BatchResult:
        """批量督办: ``CaseService.urge`` on each case, one transaction each, so one refusal
        (not this unit's to urge, concluded meanwhile, unknown) leaves the others done.
        Bad input (an empty note, a due date in the past) is the same for every case:
        ValidationErrors from the first, before anything is written."""
        cases = self._cases
        done: list[str] = []
        failed: list[BatchFailure] = []
        for cid in dict.fromkeys(case_ids):           # each case once, in the given order
            try:
                cases.urge(cid, op, note=note, due=due)
            except ValidationErrors:
                if not done and not failed:
                    raise
                failed.append(BatchFailure(cid, self._case_no(cid), "action_not_allowed"))
            except ServiceError as exc:
                failed.append(BatchFailure(cid, self._case_no(cid), exc.code,
                                           dict(exc.params)))
            else:
                done.append(cid)
        return BatchResult(done=tuple(done), failed=tuple(failed),
                           changes=Changes.of_cases(done, outbox=True) if done else NO_CHANGES)

    def _case_no(self, case_id: str) -> str:
        with self._store.read() as s:
            return s.scalar(text("SELECT case_no FROM case_index WHERE case_id = :c"),
                            {"c": case_id}) or ""

    @staticmethod
    def _branches(queue: str) -> tuple[str, ...]:
        branches = BRANCHES.get(queue)
        if branches is None:
            raise ServiceError("queue_invalid", allowed=list(QUEUES))
        return branches
