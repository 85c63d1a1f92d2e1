"""Station ↔ real county server: enrollment, one-round-trip sync, jurisdiction, refusals."""
from __future__ import annotations

import pytest

from station_app.sync.transport import SyncError
from station_app.ui.messages import error_text  # the one table of words

from .conftest import engine
from .stations import event_ids, pending, register_cases, routes
from .test_faults import assert_exactly_once


def test_push_then_pull_within_jurisdiction(server, station_factory, area):
    village = station_factory(area.villages[0], "洛党村")
    neighbour = station_factory(area.villages[1], "白云村")
    township = station_factory(area.township, "洛党镇")
    stranger = station_factory(area.other_village, "别镇的村")
    mine = register_cases(village, 7)
    theirs = register_cases(neighbour, 3)
    far = register_cases(stranger, 2)

    for st in (village, neighbour, stranger):
        r = engine(st).sync_once()
        assert r.rejected == 0
    assert pending(village) == 0
    r = engine(township).sync_once()
    assert r.round_trips == 1
    have = event_ids(township)
    assert set(mine) | set(theirs) <= have
    assert not set(far) & have
    assert all(rt.startswith(area.township[:9]) for rt in routes(township))
    # a village never sees its neighbour's cases
    engine(village).sync_once()
    assert not set(theirs) & event_ids(village)
    assert_exactly_once(server, set(mine) | set(theirs) | set(far))


def test_idle_sync_is_one_round_trip_and_changes_nothing(server, station_factory, area):
    village = station_factory(area.villages[0])
    register_cases(village, 3)
    engine(village).sync_once()
    before = event_ids(village)
    r = engine(village).sync_once()
    assert (r.round_trips, r.applied, r.pulled) == (1, 0, 0)
    assert event_ids(village) == before


def test_batches_and_pull_pages(server, station_factory, area):
    village = station_factory(area.villages[0])
    township = station_factory(area.township)
    register_cases(village, 45)
    r = engine(village, batch_size=10).sync_once()
    assert r.applied == 45 and r.round_trips == 5
    r = engine(township, pull_limit=20).sync_once()
    assert r.pulled == 45 and r.round_trips == 3


def test_sealed_payload_travels_byte_for_byte(server, station_factory, area):
    village = station_factory(area.villages[0])
    township = station_factory(area.township)
    [eid] = register_cases(village, 1, sealed=True)
    engine(village).sync_once()
    engine(township).sync_once()
    from sqlalchemy import select

    from station_app.store.models import EventRow

    def payload(st):
        with st.store.read() as s:
            return s.scalars(select(EventRow).where(EventRow.event_id == eid)).one()

    a, b = payload(village), payload(township)
    assert (a.payload, a.payload_enc) == (b.payload, b.payload_enc)
    assert a.payload_enc.startswith("sealed:")


def test_clock_days_off_breaks_nothing(server, station_factory, area):
    ahead = station_factory(area.villages[0])
    behind = station_factory(area.villages[1])
    township = station_factory(area.township)
    a = register_cases(ahead, 3, clock_skew_days=400)
    b = register_cases(behind, 3, clock_skew_days=-900)
    engine(ahead).sync_once()
    engine(behind).sync_once()
    assert pending(ahead) == pending(behind) == 0
    engine(township).sync_once()
    assert set(a) | set(b) <= event_ids(township)


def test_unenrolled_station_is_told_and_keeps_data(server, station_factory, area):
    st = station_factory(area.villages[0], enroll=False)
    register_cases(st, 2)
    with pytest.raises(SyncError) as exc:
        engine(st, url=server.url).sync_once()
    assert exc.value.code == "not_enrolled"
    assert pending(st) == 2


def test_station_unknown_to_the_server_is_told_and_keeps_data(server, station_factory, area):

    st = station_factory(area.villages[0], enroll=False)
    ids = register_cases(st, 2)
    from .stations import fake_enrolled

    # e.g. the county server was reinstalled empty
    fake_enrolled(st.store, server.url, st.division)
    with pytest.raises(SyncError) as exc:
        engine(st).sync_once()
    assert exc.value.code == "auth_unknown_station" and not exc.value.retryable
    assert "保留" in error_text(exc.value.code)
    assert pending(st) == 2 and set(ids) <= event_ids(st)


def test_bad_enroll_code_and_reused_code(server, station_factory, area):
    st = station_factory(area.villages[0], enroll=False)
    with pytest.raises(SyncError) as exc:
        engine(st, url=server.url).enroll("AAAA-BBBB")
    assert exc.value.code == "enroll_code_invalid"
    assert "注册码" in error_text(exc.value.code) and "登记码" not in error_text(exc.value.code)
    code = server.enroll_code(area.villages[0])
    engine(st, url=server.url).enroll(code)
    other = station_factory(area.villages[0], enroll=False)
    with pytest.raises(SyncError) as exc:
        engine(other, url=server.url).enroll(code)
    assert exc.value.code == "enroll_code_used"


def test_revoked_station_keeps_everything(server, station_factory, area):
    st = station_factory(area.villages[0])
    ids = register_cases(st, 4)
    server.revoke(st.station_id)
    with pytest.raises(SyncError) as exc:
        engine(st).sync_once()
    assert exc.value.code == "auth_revoked" and not exc.value.retryable
    assert "保留" in error_text(exc.value.code)
    assert pending(st) == 4 and set(ids) <= event_ids(st)


def test_server_down_is_retryable_and_loses_nothing(own_server, own_station_factory, area):
    server = own_server
    st = own_station_factory(area.villages[0])
    register_cases(st, 2)
    server.stop()
    with pytest.raises(SyncError) as exc:
        engine(st).sync_once()
    assert exc.value.code == "network_unreachable" and exc.value.retryable
    assert pending(st) == 2
    server.start()
    assert engine(st).sync_once().applied == 2


def test_a_second_process_syncing_the_same_station_is_told_busy_and_loses_nothing(
        server, station_factory, area):
    """The app's automatic sync and `suqiu-station sync` share an OS file lock: the second
    gets sync_busy at once (retryable) instead of racing the first for the same batch; a
    holder killed outright releases it."""
    import signal
    import subprocess
    import sys

    village = station_factory(area.villages[3])
    ids = register_cases(village, 3)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from filelock import FileLock; "
         "lock = FileLock(sys.argv[1]); lock.acquire(); print('held', flush=True); "
         "time.sleep(60)",
         str(village.paths.sync_lock)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(SyncError) as err:
            engine(village, server.url).sync_once()
        assert err.value.code == "sync_busy" and err.value.retryable
        assert "另一个窗口" in error_text(err.value.code)
        assert pending(village) == 3
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(10)
    assert engine(village, server.url).sync_once().applied == 3
    assert set(ids) <= set(server.event_ids())
