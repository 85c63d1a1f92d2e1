"""The case list: filtered, sorted, paged queries over the case_index projection.

Speed with 100,000 cases (docs/benchmarks.md "Station"): every sort key has an index that
ends in the ``case_id`` tiebreak, so a page is read in index order with no sort and an
OFFSET skips index entries only; category + channel has one index holding both.  Full
text goes through the FTS5 trigram table for terms of 3+ characters and the bigram table
``case_gram`` for 1-2 characters (LIKE only for a short term with punctuation).  Each
filter that could go either way is first counted up to SELECTIVE_ROWS (index-only, about
a millisecond): few rows → read them by the filter's index and sort; many → walk the sort
index and test rows.  Counting stops at COUNT_CAP so a broad query never counts the
whole table.
"""
from __future__ import annotations

import logging
import re
from datetime import date, timedelta
from typing import Any

from sqlalchemy import text

from petition_core.casenumber import CaseNumberError, normalize_query_code
from petition_core.clocks import NEAR_DAYS
from petition_core.enums import Status
from petition_core.pinyin import normalize_query

from ..store import Store, grams
from ..store.eventlog import outbox_count
from ..store.projection import DONE_STATUSES, missing_years_of, work_calendar
from .common import category_label, channel_label, petitioner_display
from .types import CaseQuery, CaseRow, Counts, Page, ServiceError

log = logging.getLogger(__name__)

SORT_KEYS = {"received_at": "ci.received_at", "due_date": "ci.due_key",
             "case_no": "ci.case_no", "status": "ci.status", "updated": "ci.updated_pos"}
MAX_LIMIT = 500
# Below this many matching rows, read them through the filter's index and sort them;
# above, walk the sort index and test rows (about limit × N / matches rows for a page).
# The two cost the same near sqrt(50 × 100,000) ≈ 2,200; measured at 100k: 2,000 halves
# a 4,000-match query (16 → 10 ms) and changes nothing below.
SELECTIVE_ROWS = 2_000
COUNT_CAP = 10_000
_CJK = re.compile(r"[\u3400-\u9fff\U00020000-\U0003ffff]")


def _fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _like(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def urgency(status: str, due: str | None, today: date) -> tuple[str, int | None]:
    if status in DONE_STATUSES:
        return "done", None
    if not due:
        return "ok", None
    left = (date.fromisoformat(due) - today).days
    if left < 0:
        return "overdue", left
    return ("near" if left <= NEAR_DAYS else "ok"), left


# the case_index columns :func:`case_row` reads (the workbench's lists select the same)
ROW_COLUMNS = ("ci.case_id, ci.case_no, ci.received_at, ci.petitioner_name, ci.anonymous,"
               " ci.sealed, ci.category, ci.channel, ci.status, ci.due_date, ci.summary,"
               " ci.needs_decision")


def case_row(r: Any, day: date) -> CaseRow:
    """One list row from a case_index row selected with ``ROW_COLUMNS``."""
    urg, left = urgency(r.status, r.due_date, day)
    return CaseRow(
        case_id=r.case_id, case_no=r.case_no, received_at=r.received_at,
        petitioner_display=petitioner_display(r.petitioner_name, bool(r.anonymous),
                                              bool(r.sealed)),
        category_label=category_label(r.category), channel_label=channel_label(r.channel),
        status=r.status, status_label=Status(r.status).label, due_date=r.due_date,
        days_left=left, urgency=urg, summary=r.summary,
        needs_decision=bool(r.needs_decision),
        due_missing_years=missing_years_of(r.due_date) if urg != "done" else ())


def _few(s: Any, from_where: str, p: dict[str, Any]) -> bool:
    """Whether a filter keeps fewer than SELECTIVE_ROWS rows: one capped, usually
    index-only count (about a millisecond).  Few rows: let SQLite read the filter's index
    and sort them.  Many: walk the sort key's index and test row by row (the first page
    fills after a few hundred rows), so the filter's index is switched off with ``+``."""
    n = s.execute(text(f"SELECT count(*) FROM (SELECT 1 FROM {from_where} LIMIT :few_cap)"),
                  {**p, "few_cap": SELECTIVE_ROWS}).scalar()
    return n < SELECTIVE_ROWS


class CasebookService:
    def __init__(self, store: Store) -> None:
        self._store = store

    @staticmethod
    def _match(s: Any, table: str, expr: str, key: str, where: list[str],
               p: dict[str, Any], *, alt: str | None = None) -> None:
        """Add ``doc_id IN (FTS match)`` to ``where``, using the doc_id index only when the
        match is selective (see :func:`_few`)."""
        p[key] = expr
        sub = f"SELECT rowid FROM {table} WHERE {table} MATCH :{key}"
        col = "ci.doc_id" if _few(s, f"({sub})", p) else "+ci.doc_id"
        cond = f"{col} IN ({sub})"
        where.append(f"({cond} OR {alt})" if alt else cond)

    def _where(self, s: Any, q: CaseQuery, today: date) -> tuple[list[str], dict[str, Any]]:
        where: list[str] = []
        p: dict[str, Any] = {}
        if q.statuses:
            bad = [st for st in q.statuses if st not in {m.value for m in Status}]
            if bad:
                raise ServiceError("status_invalid")
            names = []
            for i, st in enumerate(q.statuses):
                p[f"st{i}"] = st
                names.append(f":st{i}")
            cond = f"status IN ({', '.join(names)})"
            # "+" keeps SQLite off the status index when the status filter is not selective
            col = "ci." if _few(s, "case_index WHERE " + cond, p) else "+ci."
            where.append(col + cond)
        if q.category:
            where.append("ci.category = :cat")
            p["cat"] = q.category
        if q.channel:
            where.append("ci.channel = :chan")
            p["chan"] = q.channel
        if q.overdue_only or q.near_due_only:
            conds = []
            if q.overdue_only:
                conds.append("ci.due_key < :today")
            if q.near_due_only:
                conds.append("(ci.due_key >= :today AND ci.due_key <= :near)")
            where.append("(" + " OR ".join(conds) + ")")
            p["today"] = today.isoformat()
            p["near"] = (today + timedelta(days=NEAR_DAYS)).isoformat()
        self._dates(s, q, where, p)
        self._text(s, q, where, p)
        name = (q.name_query or "").strip()
        if name:
            if _CJK.search(name):
                where.append("ci.petitioner_name LIKE :nm ESCAPE '\\'")
                p["nm"] = _like(name)
            else:
                key = normalize_query(name)
                if not key:
                    raise ServiceError("name_query_invalid")
                if len(key) >= 3:   # any part of a full or initials spelling: zeng, guofu
                    self._match(s, "case_fts", "{name_keys} : " + _fts_phrase(key), "nfts",
                                where, p)
                else:               # one or two letters: the start of a spelling (li, zs)
                    self._match(s, grams.GRAM_TABLE, grams.key_prefix_expr(key) or '""',
                                "nkey", where, p)
        return where, p

    @staticmethod
    def _dates(s: Any, q: CaseQuery, where: list[str], p: dict[str, Any]) -> None:
        conds = []
        try:
            if q.date_from:
                p["dfrom"] = date.fromisoformat(str(q.date_from)[:10]).isoformat()
                conds.append("received_at >= :dfrom")
            if q.date_to:
                p["dto"] = (date.fromisoformat(str(q.date_to)[:10])
                            + timedelta(days=1)).isoformat()
                conds.append("received_at < :dto")
        except ValueError:
            raise ServiceError("date_invalid") from None
        if not conds:
            return
        col = "ci."
        if q.sort_key != "received_at" and not _few(
                s, "case_index WHERE " + " AND ".join(conds), p):
            col = "+ci."     # a wide range: walk the sort index instead, test each row
        where.extend(col + c for c in conds)

    def _text(self, s: Any, q: CaseQuery, where: list[str], p: dict[str, Any]) -> None:
        """Full text: terms of 3+ characters through the trigram table, shorter ones through
        the bigram table (LIKE only for a short term with punctuation); a 6-character
        text that is a valid query code also finds that case."""
        txt = " ".join((q.text or "").split())
        if not txt:
            return
        code = None
        try:
            code = normalize_query_code(txt)
        except CaseNumberError:
            pass
        terms = txt.split(" ")
        long_terms = [t for t in terms if len(t) >= 3]
        short = [(t, grams.match_expr(t)) for t in terms if len(t) < 3]
        for i, t in enumerate(t for t, expr in short if expr is None):
            p[f"lk{i}"] = _like(t)
            where.append(f"(ci.summary LIKE :lk{i} ESCAPE '\\' OR ci.petitioner_name LIKE"
                         f" :lk{i} ESCAPE '\\' OR ci.case_no LIKE :lk{i} ESCAPE '\\')")
        exprs = [expr for _t, expr in short if expr is not None]
        if exprs:
            self._match(s, grams.GRAM_TABLE, " AND ".join(exprs), "gm", where, p)
        if code is not None:
            p["qcode"] = code
        if long_terms:
            fts = ("{case_no petitioner_name summary account demands subject} : ("
                   + " AND ".join(_fts_phrase(t) for t in long_terms) + ")")
            self._match(s, "case_fts", fts, "fts", where, p,
                        alt="ci.query_code = :qcode" if code is not None else None)
        elif code is not None:
            # a 6-char text that is a valid query code but found no FTS branch
            where.append("ci.query_code = :qcode")

    def query(self, q: CaseQuery, *, today: str | None = None) -> Page:
        """ServiceError('sort_invalid') for an unknown sort key."""
        if q.sort_key not in SORT_KEYS:
            raise ServiceError("sort_invalid", allowed=list(SORT_KEYS))
        day = date.fromisoformat(today) if today else date.today()
        limit = max(1, min(int(q.limit), MAX_LIMIT))
        offset = max(0, int(q.offset))
        direction = "DESC" if q.descending else "ASC"
        order = f"{SORT_KEYS[q.sort_key]} {direction}, ci.case_id {direction}"
        with self._store.read() as s:
            where, p = self._where(s, q, day)
            cond = (" WHERE " + " AND ".join(where)) if where else ""
            p.update(limit=limit, offset=offset, cap=COUNT_CAP + 1)
            rows = s.execute(text(
                f"SELECT {ROW_COLUMNS} FROM case_index ci" + cond
                + f" ORDER BY {order} LIMIT :limit OFFSET :offset"), p).all()
            if offset == 0 and len(rows) < limit:
                total = len(rows)
            else:
                # a count needs no order: let it use every filter's index ("+" off)
                total = s.scalar(text(
                    f"SELECT count(*) FROM (SELECT 1 FROM case_index ci"
                    f"{cond.replace('+ci.', 'ci.')} LIMIT :cap)"), p)
        capped = total > COUNT_CAP
        out = [case_row(r, day) for r in rows]
        return Page(rows=tuple(out), total=min(total, COUNT_CAP), total_capped=capped)

    def counts(self, *, today: str | None = None) -> Counts:
        """Dashboard numbers: open, overdue, near-due, registered this month, conflicts,
        events waiting to be sent."""
        day = date.fromisoformat(today) if today else date.today()
        near = (day + timedelta(days=NEAR_DAYS)).isoformat()
        month = day.replace(day=1).isoformat()
        with self._store.read() as s:
            r = s.execute(text(
                "SELECT"
                " (SELECT count(*) FROM case_index WHERE is_open = 1),"
                " (SELECT count(*) FROM case_index WHERE due_key < :today),"
                " (SELECT count(*) FROM case_index WHERE due_key >= :today AND due_key <= :near),"
                " (SELECT count(*) FROM case_index WHERE received_at >= :month),"
                " (SELECT count(*) FROM case_index WHERE needs_decision = 1)"),
                {"today": day.isoformat(), "near": near, "month": month}).one()
            ob = outbox_count(s)
            last_due = s.scalar(text("SELECT max(due_key) FROM case_index"
                                     " WHERE due_key < '9999-12-31'"))
        last = max(day, date.fromisoformat(last_due)) if last_due else day
        return Counts(open=r[0], overdue=r[1], near_due=r[2], this_month=r[3],
                      needs_decision=r[4], outbox=ob,
                      calendar_missing=work_calendar().missing_years(day, last))
