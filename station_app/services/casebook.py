"""The case list: filtered, sorted, paged queries over the case_index projection.

Speed with 100,000 cases: every sort key has an index; filters are index-backed where they
are selective; full text goes through the FTS5 trigram table (terms shorter than 3
characters, which trigram cannot index, fall back to LIKE on the short columns); counting
stops at COUNT_CAP so a broad query never counts the whole table twice.
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

from ..store import Store
from ..store.eventlog import outbox_count
from ..store.projection import DONE_STATUSES
from .common import category_label, channel_label, petitioner_display
from .types import CaseQuery, CaseRow, Counts, Page, ServiceError

log = logging.getLogger(__name__)

SORT_KEYS = {"received_at": "ci.received_at", "due_date": "ci.due_key",
             "case_no": "ci.case_no", "status": "ci.status", "updated": "ci.updated_pos"}
MAX_LIMIT = 500
SELECTIVE_ROWS = 5_000
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


class CasebookService:
    def __init__(self, store: Store) -> None:
        self._store = store

    @staticmethod
    def _status_is_selective(s: Any, statuses: tuple[str, ...]) -> bool:
        """Whether the status filter keeps few rows (then read the status index and sort
        them) or many (then walk the sort key's index and filter row by row: open cases
        cluster at the front of due_key).  One capped index-only count, about a millisecond."""
        names = ", ".join(f":s{i}" for i in range(len(statuses)))
        p = {f"s{i}": st for i, st in enumerate(statuses)}
        hit = s.execute(text(f"SELECT count(*) FROM (SELECT 1 FROM case_index WHERE status"
                             f" IN ({names}) LIMIT :cap)"), {**p, "cap": SELECTIVE_ROWS}).scalar()
        return hit < SELECTIVE_ROWS

    @staticmethod
    def _where(q: CaseQuery, today: date, selective: bool = True
               ) -> tuple[list[str], dict[str, Any]]:
        # "+" keeps SQLite off the status index when the status filter is not selective
        status_col = "ci.status" if selective else "+ci.status"
        where: list[str] = []
        p: dict[str, Any] = {}
        if q.statuses:
            bad = [s for s in q.statuses if s not in {m.value for m in Status}]
            if bad:
                raise ServiceError("status_invalid", "状态筛选无效。")
            names = []
            for i, st in enumerate(q.statuses):
                p[f"st{i}"] = st
                names.append(f":st{i}")
            where.append(f"{status_col} IN ({', '.join(names)})")
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
        try:
            if q.date_from:
                p["dfrom"] = date.fromisoformat(str(q.date_from)[:10]).isoformat()
                where.append("ci.received_at >= :dfrom")
            if q.date_to:
                p["dto"] = (date.fromisoformat(str(q.date_to)[:10])
                            + timedelta(days=1)).isoformat()
                where.append("ci.received_at < :dto")
        except ValueError:
            raise ServiceError("date_invalid", "日期格式不对，请重新选择。") from None
        fts: list[str] = []
        txt = " ".join((q.text or "").split())
        if txt:
            code = None
            try:
                code = normalize_query_code(txt)
            except CaseNumberError:
                pass
            terms = txt.split(" ")
            long_terms = [t for t in terms if len(t) >= 3]
            if long_terms:
                fts.append("{case_no petitioner_name summary account demands subject} : ("
                           + " AND ".join(_fts_phrase(t) for t in long_terms) + ")")
            for i, t in enumerate(x for x in terms if len(x) < 3):
                p[f"lk{i}"] = _like(t)
                where.append(f"(ci.summary LIKE :lk{i} ESCAPE '\\' OR ci.petitioner_name LIKE"
                             f" :lk{i} ESCAPE '\\' OR ci.case_no LIKE :lk{i} ESCAPE '\\')")
            if code is not None:
                p["qcode"] = code
        name = (q.name_query or "").strip()
        if name:
            if _CJK.search(name):
                where.append("ci.petitioner_name LIKE :nm ESCAPE '\\'")
                p["nm"] = _like(name)
            else:
                key = normalize_query(name)
                if not key:
                    raise ServiceError("name_query_invalid", "请输入姓名的汉字或拼音。")
                if len(key) >= 3:   # any part of a full or initials spelling: zeng, guofu
                    where.append("ci.doc_id IN (SELECT rowid FROM case_fts"
                                 " WHERE case_fts MATCH :nfts)")
                    p["nfts"] = "{name_keys} : " + _fts_phrase(key)
                else:               # one or two letters: the start of a spelling (li, zs)
                    where.append("(' ' || ci.name_keys) LIKE :nk ESCAPE '\\'")
                    p["nk"] = "% " + key + "%"
        if fts:
            match_sql = "ci.doc_id IN (SELECT rowid FROM case_fts WHERE case_fts MATCH :fts)"
            p["fts"] = " AND ".join(fts)
            if "qcode" in p:
                where.append(f"({match_sql} OR ci.query_code = :qcode)")
            else:
                where.append(match_sql)
        elif "qcode" in p:
            # a 6-char text that is a valid query code but found no FTS branch
            where.append("ci.query_code = :qcode")
        return where, p

    def query(self, q: CaseQuery, *, today: str | None = None) -> Page:
        """ServiceError('sort_invalid') for an unknown sort key."""
        if q.sort_key not in SORT_KEYS:
            raise ServiceError("sort_invalid", "排序方式无效。", allowed=list(SORT_KEYS))
        day = date.fromisoformat(today) if today else date.today()
        limit = max(1, min(int(q.limit), MAX_LIMIT))
        offset = max(0, int(q.offset))
        direction = "DESC" if q.descending else "ASC"
        order = f"{SORT_KEYS[q.sort_key]} {direction}, ci.case_id {direction}"
        with self._store.read() as s:
            selective = bool(q.statuses) and self._status_is_selective(s, q.statuses)
            where, p = self._where(q, day, selective)
            cond = (" WHERE " + " AND ".join(where)) if where else ""
            p.update(limit=limit, offset=offset, cap=COUNT_CAP + 1)
            rows = s.execute(text(
                "SELECT ci.case_id, ci.case_no, ci.received_at, ci.petitioner_name,"
                " ci.anonymous, ci.sealed, ci.category, ci.channel, ci.status, ci.due_date,"
                " ci.summary, ci.needs_decision FROM case_index ci" + cond
                + f" ORDER BY {order} LIMIT :limit OFFSET :offset"), p).all()
            if offset == 0 and len(rows) < limit:
                total = len(rows)
            else:
                total = s.scalar(text(
                    f"SELECT count(*) FROM (SELECT 1 FROM case_index ci{cond} LIMIT :cap)"), p)
        capped = total > COUNT_CAP
        out = []
        for r in rows:
            urg, left = urgency(r.status, r.due_date, day)
            out.append(CaseRow(
                case_id=r.case_id, case_no=r.case_no, received_at=r.received_at,
                petitioner_display=petitioner_display(r.petitioner_name, bool(r.anonymous),
                                                      bool(r.sealed)),
                category_label=category_label(r.category), channel_label=channel_label(r.channel),
                status=r.status, status_label=Status(r.status).label, due_date=r.due_date,
                days_left=left, urgency=urg, summary=r.summary,
                needs_decision=bool(r.needs_decision)))
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
        return Counts(open=r[0], overdue=r[1], near_due=r[2], this_month=r[3],
                      needs_decision=r[4], outbox=ob)
