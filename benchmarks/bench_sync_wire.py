"""Sync on the wire: bytes per event and round trips, against a real server process.

Measures (printed, never asserted):
1. A village's day (20 registrations with realistic Chinese text) pushed in one sync:
   bytes on the wire (both directions, HTTP headers included, counted by the proxy) per
   event, against ``zstd(canonical JSON of the same events)`` — goal ≤ 1.3×.
2. A township pulling 13 villages × 20 events: bytes down per event against the same
   baseline for those events.
3. Round trips: a station's day (goal ≤ 3) and a sync with nothing to do (goal 1).
4. A township relaying the USB files of 13 offline villages × 20 events in one sync:
   bytes up against zstd of the relayed events, bytes down against bytes up (goal < 10 %:
   nothing is echoed back), round trips (goal 1).

Run: ``.venv/bin/python benchmarks/bench_sync_wire.py [--events 20] [--villages 13]``.
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from petition_core import protocol as P  # noqa: E402
from petition_core.events import EventDraft, EventType, canonical_json  # noqa: E402
from petition_core.ids import uuid7  # noqa: E402
from station_app.demo import id_number  # noqa: E402
from station_app.store import append_events, outbox_batch  # noqa: E402
from station_app.sync.engine import SyncEngine  # noqa: E402
from tests.sync.faultproxy import FaultPlan, FaultProxy  # noqa: E402
from tests.sync.server_proc import ServerProcess  # noqa: E402
from tests.sync.stations import make_station  # noqa: E402

TOWNSHIP = "530921108000"
VILLAGES = [f"530921108{n:03d}" for n in range(201, 221)]
RELAY_VILLAGES = [f"530921108{n:03d}" for n in range(221, 241)]   # offline ones
_WORDS = ("村里修路占用了我家承包地，补偿款至今没有发放到位，多次找村委会没有结果。",
          "低保评定不公开，村干部亲属优先，请求上级核查。", "饮水管道损坏两个月无人维修。",
          "林地界线与邻村有争议，要求重新勘界。", "拖欠修建学校的工程款，请求协调支付。")
_NAMES = ("张三", "李秀英", "王建国", "赵桂芳", "杨正华", "字红梅", "鲁国强")


def day_of_registrations(st, n: int, rng: random.Random) -> list:
    """``n`` 登记 events shaped like the intake form's (names, ID, phone, long account)."""
    drafts = []
    for i in range(n):
        data = {
            "case_no": f"{st.division}-2026-{i + 1:04d}", "query_code": "K7QH3M",
            "division": st.division, "channel": rng.choice(["visit", "phone", "letter"]),
            "category": rng.choice(["land", "social_security", "infrastructure", "other"]),
            "statute_type": "appeal", "discipline": False, "received_at": "2026-11-28",
            "clerk": "值班员", "summary": rng.choice(_WORDS)[:20],
            "account": "".join(rng.choice(_WORDS) for _ in range(3)),
            "demands": rng.choice(_WORDS),
            "petitioner": {"name": rng.choice(_NAMES),
                           "id_number": id_number(rng),   # valid: the county checks it
                           "phone": f"139{rng.randrange(10**7, 10**8)}",
                           "address_division": st.division, "address_detail": "三组",
                           "anonymous": False},
        }
        drafts.append(EventDraft(case_id=uuid7(), type=EventType.REGISTERED, data=data,
                                 route=st.division))
    with st.store.session() as s:
        return append_events(s, drafts, "clerk01")


def zstd_baseline(events) -> int:
    return len(P.compress(canonical_json([e.to_wire() for e in events])))


def relay_day(tmp: Path, server, proxy, villages: int, events: int,  # noqa: ANN001
              rng: random.Random) -> tuple[int, int, int, int, int]:
    """Offline villages export their day; the township imports the files and syncs once."""
    from station_app.sync.bundles import export_bundle, import_bundle
    from station_app.sync.keys import StationKeys

    township = make_station(tmp / "relay-t", TOWNSHIP[:9] + "000")
    SyncEngine(township.store, township.paths, server_url=server.url).enroll(
        server.enroll_code(township.division))
    relayed, files = [], []
    for i in range(villages):
        v = make_station(tmp / f"relay-v{i}", RELAY_VILLAGES[i])
        SyncEngine(v.store, v.paths, server_url=server.url).enroll(server.enroll_code(v.division))
        relayed += day_of_registrations(v, events, rng)
        files.append(tmp / f"relay-v{i}.suqiu")
        export_bundle(v.store, StationKeys.load_or_create(v.paths.keys_dir), files[-1])
        v.close()
    # a township PC that is up to date (what it pulls then is not what is measured here),
    # its county-signed register listing the villages whose files it takes
    SyncEngine(township.store, township.paths, server_url=server.url).sync_once()
    for f in files:
        import_bundle(township.store, township.paths, f)
    up0, down0 = proxy.stats.bytes_up, proxy.stats.bytes_down
    r = SyncEngine(township.store, township.paths, server_url=proxy.url).sync_once()
    assert r.relayed_bundles == villages, r
    township.close()
    return (proxy.stats.bytes_up - up0, proxy.stats.bytes_down - down0,
            zstd_baseline(relayed), r.round_trips, len(relayed))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=20)
    ap.add_argument("--villages", type=int, default=13)
    args = ap.parse_args()
    rng = random.Random(2015)
    tmp = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    server = ServerProcess(tmp / "server").start()
    try:
        with FaultProxy(server.port, FaultPlan()) as proxy:
            # the township first, as a county sets up: each village's enrollment answer
            # then carries its township's register record, which never travels again
            # (enrolled the other way round, each village's next sync brings it once:
            # ~450 bytes, +18 B/event on this 20-event day only)
            township = make_station(tmp / "t", TOWNSHIP)
            SyncEngine(township.store, township.paths, server_url=server.url).enroll(
                server.enroll_code(TOWNSHIP))
            stations = []
            for i in range(args.villages):
                st = make_station(tmp / f"v{i}", VILLAGES[i])
                SyncEngine(st.store, st.paths, server_url=server.url).enroll(
                    server.enroll_code(st.division))
                stations.append(st)
            # the township's first sync after its villages enrolled brings their register
            # records once (13 × ~450 bytes); the day below is any later day
            SyncEngine(township.store, township.paths, server_url=server.url).sync_once()

            all_events = []
            push_bytes = push_base = push_up = 0
            trips = []
            for st in stations:
                events = day_of_registrations(st, args.events, rng)
                all_events += events
                before = proxy.stats.bytes_up + proxy.stats.bytes_down
                before_up = proxy.stats.bytes_up
                r = SyncEngine(st.store, st.paths, server_url=proxy.url).sync_once()
                push_bytes += proxy.stats.bytes_up + proxy.stats.bytes_down - before
                push_up += proxy.stats.bytes_up - before_up
                push_base += zstd_baseline(events)
                trips.append(r.round_trips)
            idle = SyncEngine(stations[0].store, stations[0].paths,
                              server_url=proxy.url).sync_once()

            before_down = proxy.stats.bytes_down
            before_all = proxy.stats.bytes_up + proxy.stats.bytes_down
            r = SyncEngine(township.store, township.paths, server_url=proxy.url).sync_once()
            pull_down = proxy.stats.bytes_down - before_down
            pull_all = proxy.stats.bytes_up + proxy.stats.bytes_down - before_all
            pull_base = zstd_baseline(all_events)
            with stations[0].store.read() as s:
                assert outbox_batch(s, 10) == []
            relay = relay_day(tmp, server, proxy, args.villages, args.events, rng)
        n = len(all_events)
        print(f"village day: {args.events} events × {args.villages} villages")
        print(f"  push, both directions: {push_bytes / n:7.1f} B/event; zstd(canonical JSON) "
              f"{push_base / n:7.1f} B/event; ratio {push_bytes / push_base:.2f} (goal ≤ 1.3)")
        print(f"    of which up (request) {push_up / n:7.1f} B/event, ratio "
              f"{push_up / push_base:.2f}; down (the answer: acks as seq runs, no echo of "
              f"own events) {(push_bytes - push_up) / n:7.1f} B/event")
        print(f"  round trips per village day: {max(trips)} (goal ≤ 3); "
              f"nothing to do: {idle.round_trips} (goal 1)")
        print(f"township pull of {r.pulled} events in {r.round_trips} round trip(s):")
        print(f"  down: {pull_down / n:7.1f} B/event, both directions {pull_all / n:7.1f} "
              f"B/event; zstd(canonical JSON) {pull_base / n:7.1f} B/event; ratio "
              f"{pull_down / pull_base:.2f} / {pull_all / pull_base:.2f} (goal ≤ 1.3)")
        up, down, base, trips, n = relay
        print(f"township relaying {n} events of {args.villages} offline villages (USB files) "
              f"in {trips} round trip(s) (goal 1):")
        print(f"  up: {up / n:7.1f} B/event; zstd(canonical JSON) {base / n:7.1f} B/event; "
              f"ratio {up / base:.2f}; down {down} B = {down / up:.1%} of up (goal < 10 %)")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
