"""Merge rate of the county server vs a raw executemany of the same rows (measured, never
asserted).  Target: merge ≥ 0.3× raw.  Also with the county-wide repeat detection on
(services/repeats.py; every registration here has the same petitioner, village and text:
each one matches every earlier one, the worst case for it; the third workload gives each
registration its own petitioner and text, the usual case).
Every pushed event passes the gate (schema,
authorization, and the intake form's content check on the registrations).  Runs on SQLite
and on a PostgreSQL started here (tests/server/pg.py) unless --pg-url is given or --no-pg.

    .venv/bin/python benchmarks/bench_server_merge.py [--events 20000] [--batch 1000]
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert  # noqa: E402
from stdnum.cn import ric  # noqa: E402

from petition_core.events import Event, make_payload  # noqa: E402
from petition_core.ids import uuid7  # noqa: E402
from sync_server.services import utcnow  # noqa: E402
from sync_server.services.auth import StationInfo  # noqa: E402
from sync_server.services.merge import _row, merge_push  # noqa: E402
from sync_server.store.db import make_engine, migrate_to_head  # noqa: E402
from sync_server.store.models import events, stations  # noqa: E402

DIVISION = "530921108203"


_HAN = ("修路占地补偿款没有发放承包林地界线纠纷低保评定不公子女上学校车停运自来水管冻裂"
        "宅基地审批拖延医保报销退回拖欠工资养老金停发危房改造名额村务公开账目山林火灾")


def make_events(n: int, spread: bool = False, distinct: bool = False) -> list[Event]:
    """A station's day as the gate sees it: every tenth event registers a new case (the
    intake form's payload: name, ID number, phone, a Chinese account), the nine after it
    are progress notes on that case.  ``spread``: all the registrations first, then the
    progress notes round-robin over every case, so each later push judges 1 event on each
    of ``batch`` cases stored by earlier pushes (the merge reads their history: the worst
    case for the permission check's folded state, decision 0007).  ``distinct``: every
    registration has its own petitioner and account (the repeat detection's usual case;
    otherwise each one repeats every earlier one)."""
    sid = uuid7()
    out, case = [], ""
    order = list(range(1, n + 1))
    if spread:
        regs = [i for i in order if i % 10 == 1]
        notes = sorted((i for i in order if i % 10 != 1), key=lambda i: (i % 10, i))
        order = regs + notes
    cases: dict[int, str] = {}
    for seq, i in enumerate(order, start=1):
        if i % 10 == 1:
            case = uuid7()
            body = f"530921{1950 + i % 50}0{1 + i % 9}1{i % 10}{i % 1000:03d}"
            data = {"case_no": f"{DIVISION}-2026-{i:04d}", "query_code": "K7QH3M",
                    "division": DIVISION, "channel": "visit", "category": "land",
                    "statute_type": "appeal", "discipline": False,
                    "received_at": "2026-11-28T08:30:00+08:00", "clerk": "duty",
                    "summary": "承包地被邻居占用",
                    "account": "我家承包地被邻居占用约半亩，多次协商无果。" * 8,
                    "demands": "请求调解并退还土地",
                    "petitioner": {"name": "李建华", "id_number": body + ric.calc_check_digit(
                        body + "0"), "phone": "138 0013 8000", "address_division": DIVISION,
                        "address_detail": "大村村民小组", "anonymous": False}}
            if distinct:
                rnd = random.Random(i)
                data["petitioner"]["name"] = "".join(rnd.choices(_HAN, k=3))
                data["summary"] = "".join(rnd.choices(_HAN, k=12))
                data["account"] = "".join(rnd.choices(_HAN, k=160))
            etype, route = "case.registered", DIVISION
            cases[i // 10] = case
        else:
            data = {"at": "2026-11-28T10:00:00+08:00", "note": "已电话联系当事人，正在核实情况" * 3}
            etype, route = "case.progress", ""
            case = cases[i // 10 if i % 10 else i // 10 - 1]
        out.append(Event(event_id=uuid7(), case_id=case, station_id=sid, station_seq=seq,
                         type=etype, lamport=seq, actor="duty",
                         occurred_at="2026-11-28T09:00:00+08:00", payload=make_payload(data),
                         route=route))
    return out


def fresh(url_factory) -> object:  # type: ignore[no-untyped-def]
    engine = make_engine(url_factory())
    migrate_to_head(engine)
    return engine


def bench_raw(engine, evs: list[Event], batch: int) -> float:  # type: ignore[no-untyped-def]
    now = utcnow()
    rows = [_row(e, now, "bench") for e in evs]
    t = time.perf_counter()
    for i in range(0, len(rows), batch):
        with engine.begin() as conn:
            conn.execute(insert(events), rows[i:i + batch])
    return len(rows) / (time.perf_counter() - t)


def bench_merge(engine, evs: list[Event], batch: int,  # type: ignore[no-untyped-def]
                repeat_key: bytes = b"") -> float:
    sid = evs[0].station_id
    with engine.begin() as conn:
        conn.execute(insert(stations).values(
            station_id=sid, station_code=DIVISION, division=DIVISION, level=5, name="bench",
            public_key="x", enrolled_at=utcnow(), last_counter=0))
    info = StationInfo(sid, DIVISION, DIVISION, 5, "bench", "x", False, None)
    wire = [e.to_wire() for e in evs]  # what arrives decoded from the request body
    t = time.perf_counter()
    for i in range(0, len(wire), batch):
        acks = merge_push(engine, pusher=info, items=wire[i:i + batch], bundles=[],
                          repeat_key=repeat_key)
        assert all(a.status == "applied" for a in acks)
    return len(wire) / (time.perf_counter() - t)


def run(name: str, url_factory, n: int, batch: int) -> None:  # type: ignore[no-untyped-def]
    """Raw insert vs the merge (gate + permission matrix on the folded case + cases /
    case_units upkeep), on both workloads; the ratio is what counts (target ≥ 0.3)."""
    for label, spread, distinct in (("cases in one push", False, False),
                                    ("cases stored before", True, False),
                                    ("distinct petitioners", False, True)):
        evs = make_events(n, spread, distinct)
        e1 = fresh(url_factory)
        raw = bench_raw(e1, evs, batch)
        e1.dispose()
        e2 = fresh(url_factory)
        merged = bench_merge(e2, evs, batch)
        e2.dispose()
        e3 = fresh(url_factory)
        rep = bench_merge(e3, evs, batch, repeat_key=b"k" * 32)
        e3.dispose()
        print(f"{name:10s} {label:20s} raw executemany {raw:9.0f} ev/s   "
              f"merge with permission check {merged:9.0f} ev/s   ratio {merged / raw:.2f}   "
              f"+ repeat detection {rep:9.0f} ev/s   ratio {rep / raw:.2f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=20000)
    ap.add_argument("--batch", type=int, default=1000)
    ap.add_argument("--pg-url", help="an empty PostgreSQL server URL base (db created per run)")
    ap.add_argument("--no-pg", action="store_true")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="suqiu-bench-"))
    counter = iter(range(1000))
    run("sqlite", lambda: f"sqlite:///{tmp / f'b{next(counter)}.db'}", args.events, args.batch)
    if args.no_pg:
        return
    from tests.server.pg import PgServer

    pg = PgServer()
    try:
        run("postgresql", pg.create_db, args.events, args.batch)
    finally:
        pg.stop()


if __name__ == "__main__":
    main()
