"""The durability promise: a station PC killed at any moment (SIGKILL, power cut of the
process) keeps every case it reported saved, with its events, and the database stays
intact with a gap-free station_seq."""
from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).with_name("sigkill_child.py")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
@pytest.mark.timeout(180)
def test_sigkill_loses_nothing_committed(services, tmp_paths):
    services.close()       # the child owns the database while it runs
    rng = random.Random(7)
    committed: set[str] = set()
    accepted: set[str] = set()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for _ in range(4):
        proc = subprocess.Popen([sys.executable, str(CHILD), str(tmp_paths.root)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                                cwd=str(ROOT), text=True)
        # wait until it is writing, then kill it at a random moment
        first = proc.stdout.readline()
        assert first.startswith("case "), proc.stderr.read()
        lines = [first]
        time.sleep(rng.uniform(0.05, 0.6))
        proc.send_signal(signal.SIGKILL)
        out, _err = proc.communicate(timeout=30)
        assert proc.returncode == -signal.SIGKILL
        lines += out.splitlines()
        for line in lines:
            kind, _, case_id = line.strip().partition(" ")
            if kind == "case":
                committed.add(case_id)
            elif kind == "accepted":
                accepted.add(case_id)
    assert len(committed) >= 4
    con = sqlite3.connect(tmp_paths.db_path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        stored = {r[0]: r[1] for r in con.execute("SELECT case_id, status FROM case_index")}
        assert committed <= set(stored)
        assert all(stored[c] == "accepted" for c in accepted)
        events = {r[0]: r[1] for r in con.execute(
            "SELECT case_id, count(*) FROM event GROUP BY case_id")}
        assert all(events[c] >= 1 for c in committed)
        assert all(events[c] == 2 for c in accepted)
        seqs = [r[0] for r in con.execute("SELECT station_seq FROM event ORDER BY 1")]
        assert seqs == list(range(1, len(seqs) + 1))
        assert con.execute("SELECT value FROM counter WHERE name = 'station_seq'")\
            .fetchone() == (len(seqs),)
        # every local event is still queued for the server, none lost on the way
        assert con.execute("SELECT count(*) FROM outbox").fetchone() == (len(seqs),)
        # case numbers are gap-free too
        nos = sorted(int(r[0].rsplit("-", 1)[1]) for r in con.execute(
            "SELECT case_no FROM case_index"))
        assert nos == list(range(1, len(nos) + 1))
    finally:
        con.close()
