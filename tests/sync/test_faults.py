"""Faults on the line and in the processes: nothing lost, nothing duplicated.

Every test drives a real server process through :mod:`faultproxy` (or kills a process
outright) and then checks the server's event table and the stations' stores directly.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import text

from station_app.store import get_setting
from station_app.sync.engine import K_CURSOR
from station_app.sync.transport import SyncError
from station_app.ui.messages import error_text  # the one table of words

from .conftest import engine
from .faultproxy import FaultPlan, FaultProxy
from .server_proc import ROOT
from .stations import event_count, event_ids, pending, register_cases


def _state(st):
    with st.store.read() as s:
        return pending(st), event_count(st), get_setting(s, K_CURSOR)


def sync_until_ok(st, url, attempts=30, **kw):
    """What the automatic loop does: retry after every retryable failure.  Gives up after
    ``attempts`` failures in a row that saved nothing (a long sync over a bad line fails
    many times, but every failure keeps what the earlier round trips committed)."""
    errors: list[str] = []
    stuck = 0
    while stuck < attempts:
        before = _state(st)
        try:
            return engine(st, url, **kw).sync_once(), errors
        except SyncError as exc:
            assert exc.retryable, exc.code
            errors.append(exc.code)
        stuck = 0 if _state(st) != before else stuck + 1
    raise AssertionError(f"no progress in {attempts} attempts in a row: {errors[-attempts:]}")


def assert_exactly_once(server, ids):
    stored = server.event_ids()
    dupes = [e for e, n in Counter(stored).items() if n > 1]
    assert dupes == []
    assert set(ids) <= set(stored)


@pytest.mark.parametrize("fault", ["cut_request", "cut_response", "drop_response", "duplicate"])
def test_each_fault_on_the_push_is_repaired_by_a_retry(server, station_factory, area, fault):
    village = station_factory(area.villages[0])
    ids = register_cases(village, 12)
    with FaultProxy(server.port, FaultPlan(seed=7, script={1: fault})) as proxy:
        report, errors = sync_until_ok(village, proxy.url)
        assert proxy.stats.faults == {fault: 1}
    if fault == "duplicate":
        # the copy consumed the request's counter: the original was refused as a replay
        # and the transport re-sent it at once with a fresh counter (no error surfaced)
        assert errors == []
    else:
        assert errors, "the fault must have been visible to the station"
    assert pending(village) == 0
    assert_exactly_once(server, ids)
    if fault in ("drop_response", "duplicate", "cut_response"):
        # the first attempt was committed: the retry is acknowledged as duplicates
        assert report.duplicates == 12 and report.applied == 0


def test_response_dropped_after_commit_on_pull_keeps_cursor_consistent(server, station_factory,
                                                                       area):
    village = station_factory(area.villages[0])
    township = station_factory(area.township)
    ids = register_cases(village, 30)
    engine(village).sync_once()
    with FaultProxy(server.port, FaultPlan(seed=1, script={2: "drop_response",
                                                             4: "cut_response"})) as proxy:
        sync_until_ok(township, proxy.url, pull_limit=7)
    assert set(ids) <= event_ids(township)
    assert event_count(township) == 30


def test_counter_restored_from_an_old_backup_recovers(server, station_factory, area):
    village = station_factory(area.villages[0])
    counter_file = village.paths.keys_dir / "request_counter"
    register_cases(village, 2)
    engine(village).sync_once()
    old = counter_file.read_bytes()
    for _ in range(3):
        engine(village).sync_once()
    counter_file.write_bytes(old)          # the keys folder came back from a backup
    ids = register_cases(village, 2)
    r = engine(village).sync_once()         # refused once as a replay, then accepted
    assert r.applied == 2 and pending(village) == 0
    assert_exactly_once(server, ids)


def test_random_faults_and_delays_converge(server, station_factory, area):
    plan = FaultPlan(seed=42, p_cut_request=0.15, p_cut_response=0.15, p_drop_response=0.15,
                     p_duplicate=0.1, max_delay=0.05)
    stations = [station_factory(v) for v in area.villages[:3]]
    township = station_factory(area.township)
    ids = [i for st in stations for i in register_cases(st, 15)]
    with FaultProxy(server.port, plan) as proxy:
        for st in stations:
            sync_until_ok(st, proxy.url, batch_size=4)
        sync_until_ok(township, proxy.url, pull_limit=6)
        assert sum(proxy.stats.faults.values()) > 0
    assert_exactly_once(server, ids)
    assert all(pending(st) == 0 for st in stations)
    assert event_ids(township) == set(ids)


def test_server_sigkilled_during_a_merge(own_server, own_station_factory, area):
    server = own_server
    village = own_station_factory(area.villages[0])
    ids = register_cases(village, 600)
    killed = threading.Event()

    def kill_soon(_n: int) -> None:
        if not killed.is_set():
            killed.set()
            time.sleep(0.02)   # the server is parsing/merging 600 events now
            server.kill()

    with FaultProxy(server.port) as proxy:
        proxy.on_forwarded = kill_soon
        with pytest.raises(SyncError) as exc:
            engine(village, proxy.url, batch_size=600).sync_once()
        assert exc.value.retryable
        assert killed.is_set()
        stored_after_kill = len(server.event_ids())
        assert stored_after_kill in (0, 600)  # one transaction: all or nothing
        server.start()
        proxy.on_forwarded = None
        sync_until_ok(village, proxy.url, batch_size=600)
    assert pending(village) == 0
    assert_exactly_once(server, ids)
    assert len(server.event_ids()) == 600


def test_station_sigkilled_during_a_pull(server, station_factory, area):
    village = station_factory(area.villages[0])
    township = station_factory(area.township)
    ids = register_cases(village, 120)
    engine(village).sync_once()
    with FaultProxy(server.port, FaultPlan(max_delay=0.15)) as proxy:
        exe = shutil.which("suqiu-station", path=str(Path(sys.executable).parent))
        base = [exe] if exe else [sys.executable, "-c", "import sys; from station_app.cli "
                                  "import main; sys.exit(main())"]
        cmd = base + ["--data-dir", str(township.paths.root), "sync", "--server", proxy.url,
                      "--pull-limit", "5"]
        proc = subprocess.Popen(cmd, cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)),
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        lines = []
        for line in proc.stdout:  # each line = one committed round trip
            lines.append(line)
            if len(lines) >= 4:
                proc.kill()
                break
        proc.wait(10)
        assert proc.returncode == -9, "".join(lines)
    got = event_count(township)
    with township.store.read() as s:
        cursor = int(get_setting(s, K_CURSOR) or 0)
        assert s.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    assert 0 < got < 120 and cursor > 0  # killed half-way, what was saved is consistent
    report = engine(township, server.url, pull_limit=50).sync_once()
    assert report.pulled == 120 - got
    assert event_ids(township) == set(ids)


def test_duplicated_requests_do_not_run_the_counter_away(server, station_factory, area):
    village = station_factory(area.villages[0])
    # every other request is delivered twice: each sync meets one replay refusal
    script = {n: "duplicate" for n in range(1, 100, 2)}
    with FaultProxy(server.port, FaultPlan(seed=2, script=script)) as proxy:
        for _ in range(20):
            register_cases(village, 1)
            engine(village, proxy.url).sync_once()
        assert proxy.stats.faults["duplicate"] >= 20
    assert pending(village) == 0
    counter = int((village.paths.keys_dir / "request_counter").read_text())
    assert counter < 50_000  # ~1000 per replay, never doubling across syncs


def test_damaged_counter_file_is_a_clear_error_and_loses_nothing(server, station_factory,
                                                                   area):
    village = station_factory(area.villages[0])
    register_cases(village, 1)
    (village.paths.keys_dir / "request_counter").write_text("garbage")
    with pytest.raises(SyncError) as exc:
        engine(village).sync_once()
    assert exc.value.code == "counter_unreadable" and not exc.value.retryable
    assert "保留" in error_text(exc.value.code)
    assert pending(village) == 1
