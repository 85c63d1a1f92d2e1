"""A township relays all of its villages (issue 7 C10, C11; issue 8 C17): a real server
process, real village and township stores, the villages' real USB files.

凤庆县's townships have 9–19 villages; these tests use 13 (``Area.villages``).
"""
from __future__ import annotations

import random

from petition_core import protocol as P
from petition_core.events import EventDraft, EventType
from petition_core.ids import uuid7
from station_app.store import ack_events, append_events
from station_app.sync import relay
from station_app.sync.bundles import export_bundle, import_bundle
from station_app.sync.keys import StationKeys
from station_app.ui.messages import error_text  # the one table of words

from .conftest import engine
from .faultproxy import FaultPlan, FaultProxy
from .server_proc import ServerProcess
from .stations import event_ids, make_station, register_cases
from .test_faults import assert_exactly_once

# common characters of petitions: accounts drawn from them compress about as real ones do
_CHARS = ("村组路水地房钱款补偿低保林田家老人孩子学校医院工资拖欠修建损坏反映请求核实处理"
          "没有一直多次政府镇里干部邻居界线承包合同协议发放到位困难生活生产运输茶叶核桃玉米"
          "烟草牛羊猪鸡雨季垮塌堵塞断水停电裂缝危险安全调解纠纷争吵答复解决落实公开公示评定"
          "春夏秋冬年月日时前后上下左右东西南北大小多少高低新旧好坏快慢远近里外已未曾将")


def _accounts(st, n: int, rng: random.Random) -> list[str]:
    """``n`` 登记 events with accounts of ~360 varied characters; returns event ids."""
    drafts = []
    for i in range(n):
        account = "".join(rng.choice(_CHARS) for _ in range(rng.randint(300, 420)))
        data = {"case_no": f"{st.division}-2026-{i + 1:04d}", "query_code": "ABC234",
                "division": st.division, "channel": "visit", "category": "land",
                "statute_type": "appeal", "received_at": "2026-11-28T10:15",
                "summary": account[:20], "account": account,
                "petitioner": {"name": "张三", "anonymous": False,
                               "phone": f"139{rng.randrange(10**7, 10**8)}"}}
        drafts.append(EventDraft(case_id=uuid7(), type=EventType.REGISTERED, data=data,
                                 route=st.division))
    with st.store.session() as s:
        return [e.event_id for e in append_events(s, drafts, "clerk")]


def _keys(st):
    return StationKeys.load_or_create(st.paths.keys_dir)


def _offline_villages(make, area, tmp_path, n_villages: int, events: int, *, seed: int = 7):
    """Enrolled villages without a line: each exports its day onto a USB stick."""
    rng = random.Random(seed)
    files, ids = [], []
    for i in range(n_villages):
        v = make(area.villages[i], f"村{i}")
        ids += _accounts(v, events, rng)
        f = tmp_path / f"village{i}.suqiu"
        export_bundle(v.store, _keys(v), f)
        files.append(f)
    return files, ids


def _zstd_of(files) -> int:
    """The baseline: zstd-3 of the canonical JSON of every relayed event, as one frame."""
    events = [e for f in files for e in P.read_bundle(f.read_bytes()).events]
    return len(P.compress(P.canonical_json(events)))


def _queued_files(township) -> list:
    return sorted(relay.relay_dir(township.paths).rglob("*.bundle"))


def test_a_township_relays_its_13_villages_in_one_sync_and_one_round_trip(
        server, station_factory, area, tmp_path):
    """Before: more than 8 bundles got 413 forever; each bundle was compressed alone and
    base64'd (no gain across villages); the answer echoed every relayed record back; and
    relay/done/ kept every village's file for ever."""
    files, ids = _offline_villages(station_factory, area, tmp_path, 13, 20)
    township = station_factory(area.township, "洛党镇")
    for f in files:
        assert import_bundle(township.store, township.paths, f).queued_for_relay
    r = engine(township).sync_once()
    assert (r.relayed_bundles, r.rejected, r.round_trips) == (13, 0, 1)
    assert_exactly_once(server, ids)
    # compression works across villages: the upload (HTTP headers included) is within 10 %
    # of zstd-3 of the events themselves (base64 of per-bundle zstd frames was 1.4×)
    base = _zstd_of(files)
    assert r.bytes_up <= 1.10 * base, (r.bytes_up, base)
    # the answer is acks as seq runs and an empty pull: nothing is echoed back
    assert (r.pulled, r.pulled_duplicates) == (0, 0)
    assert r.bytes_down < 0.10 * r.bytes_up, (r.bytes_down, r.bytes_up)
    # the county holds them now: no village's file stays on the township PC
    assert _queued_files(township) == []
    assert relay.acked_seqs(township.paths) == {
        sid: 20 for sid in {P.read_bundle(f.read_bytes()).station_id for f in files}}
    # the same USB stick brought again is not queued (nor sent) again
    assert not import_bundle(township.store, township.paths, files[0]).queued_for_relay
    again = engine(township).sync_once()
    assert (again.relayed_bundles, again.round_trips, again.pulled) == (0, 1, 0)


def test_more_bundles_than_one_request_may_carry_go_in_as_many_requests_as_needed(
        server, station_factory, area, tmp_path):
    """A village that was offline for long brings many bundles: the township packs them by
    the server's count limit (MAX_PUSH_RELAYED), not by size alone."""
    village = station_factory(area.villages[3], "常年没网的村")
    keys = _keys(village)
    files, ids = [], []
    for i in range(70):                        # more than one request may carry
        ids += register_cases(village, 1)
        f = tmp_path / f"errand{i:03d}.suqiu"
        export_bundle(village.store, keys, f)
        with village.store.session() as s:     # as if this errand's events were sent
            ack_events(s, ids[-1:])
        files.append(f)
    township = station_factory(area.township)
    for f in files:
        import_bundle(township.store, township.paths, f)
    r = engine(township).sync_once()
    trips = -(-len(files) // P.MAX_PUSH_RELAYED)
    assert trips > 1 and (r.relayed_bundles, r.rejected, r.round_trips) == (len(files), 0, trips)
    assert_exactly_once(server, ids)
    assert _queued_files(township) == []


def test_the_pull_leaves_out_relayed_records_even_when_it_comes_in_pieces(
        server, station_factory, area, tmp_path):
    """``pull.held``: what the township relayed does not come back, also in a later round
    trip of the same sync (a pull cut by its limit) or a later sync."""
    online = station_factory(area.villages[0], "有网的村")
    direct = register_cases(online, 3)
    engine(online).sync_once()
    files, relayed = _offline_villages(station_factory, area, tmp_path, 2, 3)
    township = station_factory(area.township)
    for f in files:
        import_bundle(township.store, township.paths, f)
    r = engine(township, pull_limit=2).sync_once()
    assert r.relayed_bundles == 2 and r.round_trips == 2
    assert (r.pulled, r.pulled_duplicates) == (3, 0)
    assert set(direct) | set(relayed) <= event_ids(township)
    assert_exactly_once(server, direct + relayed)


def test_a_cut_answer_leaves_the_bundles_queued_and_the_next_sync_settles_them(
        server, station_factory, area, tmp_path):
    files, ids = _offline_villages(station_factory, area, tmp_path, 3, 2)
    township = station_factory(area.township)
    for f in files:
        import_bundle(township.store, township.paths, f)
    with FaultProxy(server.port, FaultPlan(script={1: "drop_response"})) as proxy:
        try:
            engine(township, proxy.url).sync_once()
        except Exception as exc:   # noqa: BLE001 - any network failure will do
            assert getattr(exc, "retryable", False), exc
        assert len(_queued_files(township)) == 3        # committed there, unknown here
        r = engine(township, proxy.url).sync_once()
    assert r.relayed_bundles == 3 and r.rejected == 0
    assert_exactly_once(server, ids)
    assert _queued_files(township) == []


def test_a_server_with_lower_limits_gets_smaller_requests_and_a_bundle_too_large_for_any_is_set_aside(  # noqa: E501
        tmp_path):
    """A county behind a proxy with a smaller body limit answers 413: the township sends
    fewer bundles per request (before: it halved its own batch, which left the 13 bundles
    in every retry, and autosync repeated that for ever), and a bundle that fits no
    request at all goes to relay/refused/ for a person instead of blocking the others."""
    srv = ServerProcess(tmp_path / "server", env={"SUQIU_SERVER_MAX_BODY": str(60_000)}).start()
    made = []
    try:
        def make(division, name="站"):
            from station_app.sync.engine import SyncEngine

            st = make_station(tmp_path / f"st{len(made)}", division, name)
            made.append(st)
            SyncEngine(st.store, st.paths, server_url=srv.url).enroll(srv.enroll_code(division))
            return st

        from .stations import new_area

        area = new_area()
        files, ids = _offline_villages(make, area, tmp_path, 13, 12)
        big = make(area.township[:9] + "299", "大村")
        big_ids = _accounts(big, 200, random.Random(1))     # ~100 KB compressed: too big
        big_file = tmp_path / "big.suqiu"
        export_bundle(big.store, _keys(big), big_file)
        township = make(area.township)
        for f in [*files, big_file]:
            import_bundle(township.store, township.paths, f)
        own = register_cases(township, 2)
        r = engine(township).sync_once()
        assert (r.relayed_bundles, r.relay_set_aside, r.applied) == (13, 1, 2)
        assert r.round_trips > 2
        assert_exactly_once(srv, ids + own)
        assert not set(big_ids) & set(srv.event_ids())
        assert relay.refused_bundles(township.paths) == [
            (sorted(relay.relay_dir(township.paths).glob("refused/*.bundle"))[0].name,
             "bundle_too_large")]
    finally:
        for st in made:
            st.close()
        srv.stop()


def test_relay_files_kept_by_older_versions_are_removed(
        server, station_factory, area, tmp_path):
    """relay/done/ of an older version held every village's bundles for ever."""
    files, ids = _offline_villages(station_factory, area, tmp_path, 1, 2)
    township = station_factory(area.township)
    done = relay.relay_dir(township.paths) / "done"
    done.mkdir(parents=True)
    (done / ("0" * 64 + ".bundle")).write_bytes(files[0].read_bytes())
    import_bundle(township.store, township.paths, files[0])
    r = engine(township).sync_once()
    assert r.relayed_bundles == 1
    assert not done.exists() and _queued_files(township) == []
    assert_exactly_once(server, ids)


def test_an_own_record_too_large_for_the_server_stops_the_sync_for_a_person(tmp_path):
    """Before: the message said "已自动分批重试" (retried in batches) and autosync kept
    retrying for ever.  Now the sync halves its batch down to one record, then stops with
    a non-retryable ``body_too_large`` whose text says what happened; nothing is lost."""
    from station_app.sync.engine import SyncEngine
    from station_app.sync.transport import SyncError

    from .stations import new_area, pending

    told = SyncError("body_too_large")
    assert not told.retryable and "分批" not in error_text(told.code)
    srv = ServerProcess(tmp_path / "server", env={"SUQIU_SERVER_MAX_BODY": "1500"}).start()
    st = make_station(tmp_path / "v", new_area().villages[0])
    try:
        SyncEngine(st.store, st.paths, server_url=srv.url).enroll(srv.enroll_code(st.division))
        rng = random.Random(3)
        drafts = [EventDraft(case_id=uuid7(), type=EventType.REGISTERED, route=st.division,
                             data={"summary": "长", "account": "".join(
                                 rng.choice(_CHARS) for _ in range(1500))}) for _ in range(2)]
        with st.store.session() as s:
            append_events(s, drafts, "clerk")
        try:
            engine(st).sync_once()
        except SyncError as exc:
            err = exc
        else:
            raise AssertionError("the sync should have stopped")
        assert err.code == "body_too_large" and not err.retryable
        assert "分批" not in error_text(err.code) and "无法上报" in error_text(err.code)
        assert pending(st) == 2 and srv.event_ids() == []
    finally:
        st.close()
        srv.stop()
