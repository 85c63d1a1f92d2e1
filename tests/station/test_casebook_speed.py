"""The case book answers correctly on a large station: 20,000 cases in the default suite,
100,000 with ``SUQIU_CASEBOOK_CASES=100000`` (what scripts/soak.sh runs; the full size costs
about a minute of the suite's 10-minute budget and finds nothing the smaller table does not:
the queries and their plans are the same).  Speed itself is measured, never asserted:
benchmarks/bench_station.py; docs/benchmarks.md.

The projection rows are written straight into case_index/case_fts with SQL (the queries
only read the projection), so building the table takes seconds, not the minutes a fill
through the event log would; benchmarks/ measures the full path with demo.fill_bulk.
"""
from __future__ import annotations

import os
import random
import sqlite3
from datetime import date, timedelta

import pytest

from petition_core.pinyin import name_search_text
from station_app.services import CaseQuery

N = int(os.environ.get("SUQIU_CASEBOOK_CASES", "20000"))
SURNAMES = "李张杨王赵罗鲁曾单解段苏刘陈周何马胡郭施"
GIVEN = ["建华", "德明", "正荣", "光辉", "玉芬", "桂英", "文学", "家福", "永祥", "国富"]
WORDS = ["道路垮塌", "饮水管道破损", "承包地被占用", "低保评定", "工资拖欠", "林地界线",
         "医保缴费", "垃圾堆放", "危房改造", "征地补偿"]
STATUSES = ["registered"] * 2 + ["accepted", "transferred"] + ["followed_up"] * 6 + ["declined"]


def _fill(db, n: int) -> None:
    rng = random.Random(5)
    keys = {s + g: name_search_text(s + g) for s in SURNAMES for g in GIVEN}
    names = list(keys)
    today = date.today()
    rows, docs = [], []
    for i in range(1, n + 1):
        name = rng.choice(names)
        status = rng.choice(STATUSES)
        received = today - timedelta(days=rng.randint(0, 900))
        open_ = status in ("registered", "accepted", "transferred")
        due = (received + timedelta(days=rng.choice([15, 60]))).isoformat() if open_ else None
        summary = f"{rng.choice(WORDS)}{rng.choice(WORDS)}第{i}号"
        rows.append((f"case-{i:06d}", i, f"530921108203-{received.year}-{i:06d}",
                     f"Q{i:05d}", "530921108203", "530921108203", status, open_,
                     rng.choice(["land", "infrastructure", "other", "social_security"]),
                     rng.choice(["visit"] * 8 + ["phone", "letter"]), "appeal",
                     received.isoformat() + "T10:00:00+08:00", name, "530921108203", False,
                     "", "", keys[name], summary, due, due or "9999-12-31", None, None,
                     rng.random() < 0.001, False, 0, i))
        docs.append((i, rows[-1][2], name, keys[name], summary, "", "", ""))
    con = sqlite3.connect(db)
    con.executemany("INSERT INTO case_index (case_id, doc_id, case_no, query_code, division,"
                    " owner_division, status, is_open, category, channel, statute_type,"
                    " received_at, petitioner_name, petitioner_division, anonymous,"
                    " id_number, phone, name_keys, summary, due_date, due_key, concluded_at,"
                    " satisfaction, needs_decision, sealed, repeat_count, updated_pos)"
                    " VALUES (" + ",".join("?" * 27) + ")", rows)
    con.executemany("INSERT INTO case_fts (rowid, case_no, petitioner_name, name_keys,"
                    " summary, account, demands, subject) VALUES (?,?,?,?,?,?,?,?)", docs)
    con.commit()
    con.execute("ANALYZE")
    con.close()


@pytest.mark.timeout(240)
def test_queries_on_many_cases_return_exactly_the_matching_rows(services, tmp_paths):
    _fill(tmp_paths.db_path, N)
    from station_app.store import grams

    with services.store.engine.begin() as conn:   # 1-2 character terms search case_gram
        grams.rebuild(conn)
    con = sqlite3.connect(tmp_paths.db_path)

    def expect(where: str, args: tuple = ()) -> int:
        return con.execute(f"SELECT count(*) FROM case_index WHERE {where}", args).fetchone()[0]

    today = date.today().isoformat()
    open_ = ("registered", "accepted", "transferred", "assigned", "reviewing")
    checks = [
        # (query, SQL truth for the total, predicate every row must satisfy)
        (CaseQuery(category="land", channel="phone"),
         expect("category='land' AND channel='phone'"),
         lambda r: r.category_label == "土地" and r.channel_label == "来电"),
        (CaseQuery(statuses=("declined",)), expect("status='declined'"),
         lambda r: r.status == "declined"),
        (CaseQuery(overdue_only=True), expect("is_open AND due_date < ?", (today,)),
         lambda r: r.urgency == "overdue"),
        (CaseQuery(name_query="曾国富"), expect("petitioner_name='曾国富'"),
         lambda r: r.petitioner_display == "曾国富"),
        (CaseQuery(name_query="zeng"), expect("petitioner_name LIKE '曾%'"),
         lambda r: r.petitioner_display.startswith("曾")),
        (CaseQuery(text="林地"), expect("summary LIKE '%林地%'"), lambda r: "林地" in r.summary),
        (CaseQuery(statuses=open_, sort_key="due_date", descending=False),
         expect("status IN ('registered','accepted','transferred')"),
         lambda r: r.status in open_),
    ]
    for q, truth, ok in checks:
        page = services.casebook.query(q)
        assert min(truth, 10_000) == min(page.total, 10_000), q
        assert page.rows and all(ok(r) for r in page.rows), q
        assert len({r.case_id for r in page.rows}) == len(page.rows)
    # ordering holds on a deep page too, and pages do not overlap
    q = CaseQuery(statuses=open_, sort_key="due_date", descending=False, limit=100)
    p1 = services.casebook.query(q)
    p2 = services.casebook.query(CaseQuery(statuses=open_, sort_key="due_date",
                                           descending=False, limit=100, offset=100))
    dues = [r.due_date for r in p1.rows + p2.rows]
    assert dues == sorted(dues)
    assert not {r.case_id for r in p1.rows} & {r.case_id for r in p2.rows}
    counts = services.casebook.counts()
    assert counts.open == expect("is_open")
    assert counts.overdue == expect("is_open AND due_date < ?", (today,))
    con.close()
