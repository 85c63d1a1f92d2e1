"""``suqiu-server serve --workers N``: several processes on one socket, stations pushing at
the same time, on SQLite and PostgreSQL; nothing lost, nothing doubled, every worker up."""
from __future__ import annotations

import subprocess
import threading
import time

import httpx

from sync_server.services.enrollment import create_code
from sync_server.store.db import make_engine

from .helpers import Station, count
from .procs import ServerProcess

VILLAGES = ["530921108203", "530921108204", "530921108201", "530921108202"]


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True,
                         text=True).stdout
    return [int(x) for x in out.split()]


def test_two_workers_merge_concurrent_pushes(db_url, tmp_path):
    srv = ServerProcess(db_url, tmp_path / "blobs", extra_args=("--workers", "2"))
    engine = make_engine(db_url)
    try:
        deadline = time.monotonic() + 30
        while len(_children(srv.proc.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(_children(srv.proc.pid)) >= 2, srv.log[-20:]
        with httpx.Client(base_url=srv.base, timeout=30) as client:
            stations = []
            for v in VILLAGES:
                st = Station(division=v)
                r = st.enroll(client, create_code(engine, division=v))
                assert r.status_code == 200, r.text
                stations.append(st)
        errors: list[str] = []

        def push(st: Station) -> None:
            with httpx.Client(base_url=srv.base, timeout=60) as c:
                for _ in range(5):
                    r = st.sync(c, st.events(4), cursor=None)
                    if r.status_code != 200 or any(
                            a["status"] != "applied" for a in r.json()["acks"]):
                        errors.append(r.text[:300])

        threads = [threading.Thread(target=push, args=(st,)) for st in stations]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert not errors, errors
        assert count(engine, "events") == len(VILLAGES) * 5 * 4
        with engine.connect() as conn:
            from sqlalchemy import text
            n_ids = conn.execute(text("SELECT COUNT(DISTINCT event_id) FROM events")).scalar()
        assert n_ids == len(VILLAGES) * 20
    finally:
        engine.dispose()
        srv.stop()
    assert srv.proc.poll() is not None


def test_workers_out_of_range_are_refused(tmp_path, capsys):
    from sync_server.cli import main as server_cli

    base = ["--db", f"sqlite:///{tmp_path / 's.db'}", "--blobs", str(tmp_path / "b"),
            "--keys", str(tmp_path / "k"), "serve", "--port", "1", "--workers"]
    for bad in ("-1", "65"):
        assert server_cli(base + [bad]) == 2
        assert "--workers must be between 1 and 64" in capsys.readouterr().err
