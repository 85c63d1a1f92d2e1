"""Real station stores in temp folders, and events written the way services write them.

Why not the setup service: it hashes an administrator password (scrypt, slow on purpose);
sync tests only need the one ``station`` row and events appended through the store's own
``append_events`` (same outbox, same counters, same projection as the app).
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select, update

from petition_core.events import EventDraft, EventType
from petition_core.ids import uuid7
from petition_core.protocol import level_of
from station_app.paths import AppPaths
from station_app.store import Store, append_events, open_store
from station_app.store.eventlog import list_quarantine, outbox_count
from station_app.store.models import EventRow, Station

TOWNSHIP = "530921108000"                      # 洛党镇
VILLAGES = [f"530921108{n:03d}" for n in range(201, 214)]  # 13 of its villages
OTHER_TOWNSHIP = "530921101000"                # 凤山镇
OTHER_VILLAGE = "530921101201"


_areas = itertools.count()


@dataclass(frozen=True)
class Area:
    """A township with 13 villages, plus a village of a neighbouring township, used by one
    test alone.  Tests share one server process (starting one costs seconds), so each
    test gets its own corner of the county: jurisdiction views then contain exactly that
    test's events.  The codes are synthetic (made-up counties of 临沧市) but well-formed;
    the server only checks their form."""

    township: str
    villages: tuple[str, ...]
    other_village: str


def new_area() -> Area:
    n = next(_areas)
    county = 530960 + n // 40          # counties 530960… do not exist under 临沧市
    t = 100 + 2 * (n % 40)
    return Area(f"{county}{t:03d}000", tuple(f"{county}{t:03d}{v:03d}" for v in range(201, 214)),
                f"{county}{t + 1:03d}201")


@dataclass
class TestStation:
    paths: AppPaths
    store: Store
    division: str

    @property
    def station_id(self) -> str:
        """Read from the store each time: enrollment replaces the provisional id with the
        one the county assigns."""
        with self.store.read() as s:
            return s.get(Station, 1).station_id

    def close(self) -> None:
        self.store.close()


def make_station(root: Path, division: str, name: str = "测试站",
                 station_id: str | None = None) -> TestStation:
    paths = AppPaths(root).ensure()
    store = open_store(paths)
    sid = station_id or uuid7()
    with store.session() as s:
        if s.get(Station, 1) is None:
            s.add(Station(id=1, station_id=sid, station_code=division, division=division,
                          level=level_of(division), name=name,
                          created_at=datetime.now(UTC).isoformat()))
        else:
            sid = s.get(Station, 1).station_id
    return TestStation(paths, store, division)


def fake_enrolled(store: Store, url: str, division: str) -> None:
    """Mark a store as enrolled at ``url`` (a county key nobody holds): for tests whose
    server is fake, unreachable or was reinstalled empty."""
    from petition_core.protocol import new_private_key, public_key_b64
    from station_app.store import set_setting
    from station_app.sync.engine import K_ENROLLED, K_SERVER
    from station_app.sync.trust import Trust, save_trust

    with store.session() as s:
        set_setting(s, K_SERVER, url)
        set_setting(s, K_ENROLLED, division)
        save_trust(s, Trust(uuid7(), public_key_b64(new_private_key()), 1, 1))


def registration(division: str, i: int = 0, **extra) -> dict:
    """A 登记 payload as the intake form writes it (what the county's gate accepts)."""
    received = datetime.now().astimezone().replace(microsecond=0) - timedelta(minutes=5)
    return {"case_no": f"{division}-2026-{i + 1:04d}", "query_code": "ABC234",
            "division": division, "channel": "visit", "category": "land",
            "statute_type": "appeal", "received_at": received.isoformat(),
            "summary": f"测试诉求 {i}", "account": "经过。",
            "petitioner": {"name": "张三", "anonymous": False},
            **extra}


def register_cases(st: TestStation, n: int, *, route: str | None = None,
                   clock_skew_days: int = 0, sealed: bool = False) -> list[str]:
    """Append ``n`` 登记 events (one case each) as the intake form writes them; returns
    their event ids.  ``clock_skew_days``: the station's clock runs that many days off (its
    received_at and its events' occurred_at both, as on a real PC with a wrong clock)."""
    drafts = []
    clock = datetime.now().astimezone() + timedelta(days=clock_skew_days)
    for i in range(n):
        received = clock.replace(microsecond=0) - timedelta(minutes=5)
        data = {"case_no": f"{st.division}-2026-{i + 1:04d}", "query_code": "ABC234",
                "division": route or st.division, "channel": "visit", "category": "land",
                "statute_type": "appeal", "received_at": received.isoformat(),
                "summary": f"测试诉求 {i}", "account": "经过。",
                "petitioner": {"name": "张三", "anonymous": False}}
        if sealed:
            drafts.append(EventDraft(case_id=uuid7(), type=EventType.REGISTERED,
                                     route=route or st.division,
                                     sealed_payload=bytes(range(256)) * 2 + b"\x00secret",
                                     sealed_scheme="x25519-test"))
        else:
            drafts.append(EventDraft(case_id=uuid7(), type=EventType.REGISTERED, data=data,
                                     route=route or st.division))
    with st.store.session() as s:
        events = append_events(s, drafts, "clerk")
        if clock_skew_days:
            s.execute(update(EventRow).where(EventRow.event_id.in_([e.event_id for e in events]))
                      .values(occurred_at=clock.isoformat(timespec="seconds")))
    return [e.event_id for e in events]


def event_ids(st: TestStation) -> set[str]:
    with st.store.read() as s:
        return set(s.scalars(select(EventRow.event_id)).all())


def event_count(st: TestStation) -> int:
    with st.store.read() as s:
        return s.scalar(select(func.count()).select_from(EventRow)) or 0


def routes(st: TestStation) -> set[str]:
    with st.store.read() as s:
        return set(s.scalars(select(EventRow.route)).all())


def pending(st: TestStation) -> int:
    with st.store.read() as s:
        return outbox_count(s)


def quarantined(st: TestStation) -> list[tuple[str, str, str, str]]:
    with st.store.read() as s:
        return list_quarantine(s)
