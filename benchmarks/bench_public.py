"""Public progress: requests/s of the JSON lookup and the page against ``/healthz``.

A real ``suqiu-server serve`` process (one uvicorn process, SQLite) holds ``--cases``
cases (registered, accepted, transferred), pushed by an honest station client.  Then the
same bounded load (``--requests`` each, ``--threads`` keep-alive clients on 127.0.0.1) is
sent to:

1. ``GET /healthz`` — the baseline: the cheapest answer the server has;
2. ``GET /public/progress`` — the form page;
3. ``POST /public/v1/progress`` with a right number and code — index catch-up, one fold,
   one PBKDF2 check (1,000 iterations) per request.

Printed as requests/s and the ratio to /healthz (issue 9 asks 500 requests/s on one core;
the load generator shares this 2-core machine with the server).  Never asserts.

Run: ``.venv/bin/python benchmarks/bench_public.py [--cases 2000] [--requests 1500]``.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from petition_core.casenumber import new_query_code, query_code_hash  # noqa: E402
from petition_core.events import EventType  # noqa: E402
from petition_core.ids import uuid7  # noqa: E402
from sync_server.store.db import make_engine, migrate_to_head  # noqa: E402
from tests.server.helpers import COUNTY, VILLAGE_A, enrolled  # noqa: E402
from tests.server.procs import ServerProcess  # noqa: E402


def _load(base: str, n: int, threads: int, send) -> float:  # type: ignore[no-untyped-def]
    """requests/s of ``send(client, i)`` for ``n`` requests over ``threads`` clients."""
    counter = iter(range(n))
    lock = threading.Lock()
    errors: list[int] = []

    def work() -> None:
        with httpx.Client(base_url=base, timeout=30) as client:
            while True:
                with lock:
                    i = next(counter, None)
                if i is None:
                    return
                r = send(client, i)
                if r.status_code != 200:
                    errors.append(r.status_code)

    workers = [threading.Thread(target=work) for _ in range(threads)]
    t0 = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    wall = time.perf_counter() - t0
    if errors:
        raise RuntimeError(f"{len(errors)} answers were not 200: {sorted(set(errors))}")
    return n / wall


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=2000)
    ap.add_argument("--requests", type=int, default=1500)
    ap.add_argument("--threads", type=int, default=4)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite:///{Path(tmp) / 'county.db'}"
        engine = make_engine(db_url)
        migrate_to_head(engine)
        srv = ServerProcess(db_url, Path(tmp) / "blobs")
        try:
            cases: list[tuple[str, str]] = []
            with httpx.Client(base_url=srv.base, timeout=60) as client:
                st = enrolled(client, engine, VILLAGE_A)
                batch = []
                for i in range(args.cases):
                    case_id, code = uuid7(), new_query_code()
                    case_no = f"{VILLAGE_A}-2026-{i + 1:04d}"
                    cases.append((case_no, code))
                    batch += [
                        st.event(case_id=case_id, data={
                            "case_no": case_no,
                            "query_code_hash": query_code_hash(case_id, code)}),
                        st.event(case_id=case_id, type=EventType.ACCEPTED,
                                 data={"at": "2026-11-30T10:00:00+08:00"}),
                        st.event(case_id=case_id, type=EventType.TRANSFERRED, route=COUNTY,
                                 data={"at": "2026-12-02T10:00:00+08:00",
                                       "to_division": COUNTY, "kind": "transfer"}),
                    ]
                    if len(batch) >= 1500:
                        assert st.sync(client, batch, cursor=None).status_code == 200
                        batch = []
                if batch:
                    assert st.sync(client, batch, cursor=None).status_code == 200
                # the first lookup indexes every registration; not part of the figures
                first = client.post("/public/v1/progress",
                                    json={"case_no": cases[0][0], "code": cases[0][1]})
                assert first.status_code == 200, first.text
            n, t = args.requests, args.threads
            health = _load(srv.base, n, t, lambda c, i: c.get("/healthz"))
            page = _load(srv.base, n, t, lambda c, i: c.get("/public/progress"))
            lookup = _load(srv.base, n, t, lambda c, i: c.post(
                "/public/v1/progress", json={"case_no": cases[i % len(cases)][0],
                                             "code": cases[i % len(cases)][1]}))
        finally:
            srv.stop()
            engine.dispose()
    print(f"{args.cases} cases, {args.requests} requests each, {args.threads} clients")
    print(f"{'GET /healthz (baseline)':<36} {health:8.0f} req/s")
    print(f"{'GET /public/progress (page)':<36} {page:8.0f} req/s  ratio {page / health:5.2f}×")
    print(f"{'POST /public/v1/progress (right)':<36} {lookup:8.0f} req/s  "
          f"ratio {lookup / health:5.2f}×  (goal 500 req/s)")


if __name__ == "__main__":
    main()
