"""Workbench queue benchmark (issue 9 item 4): every county queue on N cases.  Run:

    .venv/bin/python benchmarks/bench_queues.py [--cases 200000] [--repeat 15] [--fresh]

A county centre's station (凤庆县, unit 530921000000) whose case_index holds N cases spread
over the county's units as a county sees them: the centre itself, 12 departments, 12
townships and 120 villages; handled, supervised (transferred or assigned by the centre or
a township), under 复查, urged, with a 办结报告 pending, and open cases' deadlines from two
months past to three months ahead.  The rows are written straight into the projection
(the queue queries read nothing else; folding 200,000 cases first would take the bench
ten minutes and measure the fold, not the queues).  Each queue is timed through
``QueueService``: its count, and its first page of 50 rows (nearest deadline first), as
the workbench asks them, and all eight counts with the badges in one ``counts()`` call;
"base" is a bare ``SELECT count(*) FROM case_index`` in the same run.  Goal: every queue
within 50 ms.  The folder is cached in $TMPDIR/suqiu-bench-queues-N.
"""
from __future__ import annotations

import argparse
import random
import sqlite3
import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import cached_dir, median_ms, row, timed  # noqa: E402

COUNTY = "530921000000"
DEPTS = [f"{COUNTY}.{s}" for s in ("mz", "zr", "lc", "rs", "zj", "zf", "jt", "wj", "nj",
                                    "sw", "hb", "sf")]
TOWNS = [f"530921{100 + t:03d}000" for t in range(1, 13)]
VILLAGES = [f"{t[:9]}{200 + v:03d}" for t in TOWNS for v in range(1, 11)]
GOAL = "goal ≤ 50 ms"


def _case(i: int, rnd: random.Random, today: date) -> dict:
    r = rnd.random()
    if r < 0.15:
        handling, supervising = COUNTY, ""
    elif r < 0.40:
        handling = rnd.choice(DEPTS)
        supervising = COUNTY if rnd.random() < 0.8 else ""
    elif r < 0.70:
        handling = rnd.choice(TOWNS)
        supervising = COUNTY if rnd.random() < 0.5 else ""
    else:
        handling = rnd.choice(VILLAGES)
        supervising = handling[:9] + "000" if rnd.random() < 0.3 else ""
    s = rnd.random()
    stage = "sign" if s < 0.10 else "accept" if s < 0.20 else "work" if s < 0.50 \
        else "review" if s < 0.53 else ""
    open_ = stage != ""
    due = (today + timedelta(days=rnd.randint(-60, 90))).isoformat() if open_ else None
    reviewing = (COUNTY if rnd.random() < 0.5 else rnd.choice(DEPTS)) if stage == "review" \
        else ""
    return {
        "case_id": f"00000000-0000-7000-8000-{i:012d}", "doc_id": i + 1,
        "case_no": f"{handling[:12]}-2026-{i:06d}", "division": handling[:12],
        "owner_division": handling[:12], "status": "accepted" if open_ else "concluded",
        "is_open": open_, "category": "land", "channel": "visit",
        "received_at": f"2026-{1 + i % 11:02d}-{1 + i % 28:02d}T10:00:00+08:00",
        "petitioner_name": "李建华", "summary": "承包地被邻居占用", "due_date": due,
        "due_key": due or "9999-12-31", "handling_unit": handling,
        "supervising_unit": supervising, "reviewing_unit": reviewing, "stage": stage,
        "report_pending": (not open_) and supervising != "" and rnd.random() < 0.06,
        "urged": open_ and rnd.random() < 0.05, "updated_pos": i + 1,
        "query_code": "", "statute_type": "appeal", "petitioner_division": handling[:12],
        "anonymous": False, "id_number": "", "phone": "", "name_keys": "li jian hua ljh",
        "needs_decision": False, "sealed": False, "repeat_count": 0,
    }


def make_station(root: Path, cases: int) -> None:
    from station_app.paths import AppPaths
    from station_app.services import StationServices

    svc = StationServices.open(AppPaths(root))
    svc.setup.initialise(COUNTY, "凤庆县群众诉求中心", "bench", "bench12345", "基准")
    db = svc.paths.db_path
    svc.close()
    rnd, today = random.Random(9), date.today()
    con = sqlite3.connect(db)
    rows = [_case(i, rnd, today) for i in range(cases)]
    cols = list(rows[0])
    con.executemany(f"INSERT INTO case_index ({', '.join(cols)}) VALUES "
                    f"({', '.join(':' + c for c in cols)})", rows)
    con.commit()
    con.execute("ANALYZE")
    con.commit()
    con.close()


def cached_station(cases: int, fresh: bool) -> Path:
    return cached_dir("suqiu-bench-queues", cases, fresh, make_station)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--fresh", action="store_true")
    args = ap.parse_args()
    from sqlalchemy import text

    from petition_core.queues import Queue
    from station_app.paths import AppPaths
    from station_app.services import StationServices

    root = cached_station(args.cases, args.fresh)
    svc = StationServices.open(AppPaths(root))
    q = svc.queues

    def bare() -> None:
        with svc.store.read() as s:
            s.scalar(text("SELECT count(*) FROM case_index"))

    bare()
    base = median_ms(timed(bare, args.repeat))
    lines = [f"county queues on {args.cases} cases (unit {q.unit()}):"]
    for queue in Queue:
        n = q.count(queue.value)
        t_count = median_ms(timed(lambda v=queue.value: q.count(v), args.repeat))
        t_rows = median_ms(timed(lambda v=queue.value: q.rows(v, limit=50), args.repeat))
        lines.append(row(f"{queue.label} count ({n} cases)", t_count, "ms", base, GOAL))
        lines.append(row(f"{queue.label} first 50 rows", t_rows, "ms", base, GOAL))
    lines.append(row("all 8 counts + badges (counts())",
                     median_ms(timed(q.counts, args.repeat)), "ms", base,
                     "goal ≤ 8 × 50 ms"))
    svc.close()
    print("\n".join(lines))


if __name__ == "__main__":
    main()
