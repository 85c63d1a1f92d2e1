"""Issue 7 B8: the city trusts a county relay only for the stations that county registered
upward.  A real city server process; the counties are the real app (their stations sync
with them through TestClient) and sync up with ``sync_upstream`` over HTTP.

* a hostile county A pushing county B's stations' events (and a register record claiming
  B's station) is refused, nothing of it is stored, and B's genuine events still reach the
  city afterwards — not displaced;
* ``seq_conflict`` from the city stops the county's push (never skipped as content);
* events in the name of a county's own stations never come down into it from above;
* the county's upstream client key lives in a key file (0600), not in the database.
"""
from __future__ import annotations

import os
import stat

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from petition_core import protocol as P
from sync_server.app import create_app
from sync_server.services import register as register_svc
from sync_server.services.enrollment import create_code
from sync_server.services.identity import UPSTREAM_KEY_FILE
from sync_server.services.merge import insert_events, take_merge_lock, writer
from sync_server.services.upstream import enroll_upstream, get_state, sync_upstream
from sync_server.settings import Settings
from sync_server.store.db import make_engine, migrate_to_head
from sync_server.store.models import events, server_state

from .helpers import COUNTY, Station, enrolled
from .procs import ServerProcess

CITY = "530900000000"
COUNTY_B = "530902000000"          # 临翔区
VILLAGE_B = "530902100201"         # a village of 临翔区 (well-formed; the server checks form)
VILLAGE_A = "530921108203"


@pytest.fixture
def city(tmp_path):  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'city.db'}"
    engine = make_engine(url)
    migrate_to_head(engine)
    proc = ServerProcess(url, tmp_path / "city-blobs")
    yield proc, engine
    proc.stop()
    engine.dispose()


@pytest.fixture
def county_b(tmp_path):  # type: ignore[no-untyped-def]
    root = tmp_path / "county-b"
    root.mkdir()
    app = create_app(Settings(db_url=f"sqlite:///{root / 'county.db'}", blob_dir=root / "blobs"))
    with TestClient(app) as client:
        yield client
    app.state.ctx.engine.dispose()


def _up(client, city_proc, city_engine, division: str) -> None:  # type: ignore[no-untyped-def]
    ctx = client.app.state.ctx
    code = create_code(city_engine, division=division, kind="upstream")
    assert enroll_upstream(ctx.engine, ctx.ident, ctx.settings.keys_path, url=city_proc.base,
                           code=code, name="县服务器") == division


def _sync(client, **kw):  # type: ignore[no-untyped-def]
    ctx = client.app.state.ctx
    return sync_upstream(ctx.engine, ctx.ident, ctx.settings.keys_path, **kw)


def _city_ids(city_engine) -> set[str]:  # type: ignore[no-untyped-def]
    with city_engine.connect() as conn:
        return set(conn.execute(select(events.c.event_id)).scalars())


def _plant(engine, evs, received_from: str = "upstream") -> None:  # type: ignore[no-untyped-def]
    """Write events straight into a server's log (what a compromised server does)."""
    with writer(engine) as conn:
        take_merge_lock(conn)
        insert_events(conn, [(e, None) for e in evs], received_from=received_from)


def _plant_merged(engine, evs) -> None:  # type: ignore[no-untyped-def]
    """Events that got into a server through its merge (sequence numbers taken)."""
    from sync_server.services.merge import Group, merge_groups

    acks = merge_groups(engine, [Group(evs[0].station_id, evs[0].route,
                                       [e.to_wire() for e in evs])], received_from="earlier")
    assert {a.status for a in acks} == {"applied"}


def test_a_hostile_county_cannot_push_another_countys_stations(server, county_b, city):
    client_a, engine_a = server
    proc, city_engine = city
    village_b = enrolled(county_b, county_b.app.state.ctx.engine, VILLAGE_B, name="临翔村")
    _up(county_b, proc, city_engine, COUNTY_B)
    assert _sync(county_b).register_refused == {}        # B's register went up first
    genuine = village_b.events(3)
    village_b.sync(county_b, genuine, cursor=None)   # at its county, not yet up

    # county A is compromised: it writes events in B's village's name into its own log …
    _up(client_a, proc, city_engine, COUNTY)
    impostor = Station(VILLAGE_B, station_id=village_b.station_id)
    forged = impostor.events(3)
    _plant(engine_a, forged, received_from=village_b.station_id)
    # … and signs a register record claiming that station for itself
    ident_a = client_a.app.state.ctx.ident
    rec = P.RegisterRecord(issuer=ident_a.server_id, station_id=village_b.station_id,
                           station_no=9, division=VILLAGE_A, level=5, name="冒名",
                           public_key=P.public_key_b64(impostor.key), epoch=1,
                           status=P.ACTIVE, kind=P.KIND_STATION, rev=10**6,
                           issued="2026-11-28T00:00:00+00:00")
    with engine_a.begin() as conn:
        register_svc._put(conn, P.sign_record(ident_a.key, rec), rec)
    rep = _sync(client_a)
    assert rep.register_refused == {village_b.station_id: "register_claimed"}
    assert rep.blocked and rep.rejected[0] == (forged[0].event_id, "event_foreign_station")
    assert rep.pushed_applied == 0
    assert not _city_ids(city_engine) & {e.event_id for e in forged}   # never stored

    # B's genuine events reach the city, in their own numbers
    rep = _sync(county_b)
    assert (rep.pushed_applied, rep.rejected) == (3, [])
    assert {e.event_id for e in genuine} <= _city_ids(city_engine)
    assert not _city_ids(city_engine) & {e.event_id for e in forged}


def test_seq_conflict_from_the_city_stops_the_push_it_is_not_content(county_b, city):
    proc, city_engine = city
    engine_b = county_b.app.state.ctx.engine
    village = enrolled(county_b, engine_b, VILLAGE_B)
    _up(county_b, proc, city_engine, COUNTY_B)
    _sync(county_b)
    evs = village.events(3)
    village.sync(county_b, evs, cursor=None)
    # the city already holds another record under the village's seq 1 (say a forgery
    # that got in before this fix): never skip ours as if it were refused for content
    other = Station(VILLAGE_B, station_id=village.station_id).events(1)
    _plant_merged(city_engine, other)
    for _ in range(2):
        rep = _sync(county_b)
        assert rep.blocked and rep.rejected == [(evs[0].event_id, "seq_conflict")]
        assert rep.pushed_applied == 0
    assert int(get_state(engine_b)["upstream.push_pos"]) < _pos(engine_b, evs[0].event_id)


def _pos(engine, event_id: str) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return conn.execute(select(events.c.server_pos)
                            .where(events.c.event_id == event_id)).scalar_one()


def test_events_in_our_stations_names_never_come_down(county_b, city):
    proc, city_engine = city
    engine_b = county_b.app.state.ctx.engine
    village = enrolled(county_b, engine_b, VILLAGE_B)
    _up(county_b, proc, city_engine, COUNTY_B)
    _sync(county_b)
    forged = Station(VILLAGE_B, station_id=village.station_id).events(2)
    _plant_merged(city_engine, forged)                          # at the city, routed to B
    rep = _sync(county_b)
    assert rep.pulled_applied == 0
    with engine_b.connect() as conn:
        assert not set(conn.execute(select(events.c.event_id)).scalars()) & \
            {e.event_id for e in forged}
    # the village's own numbering is untouched: its seq 1 still goes in
    r = village.sync(county_b, village.events(1), cursor=None)
    assert r.json()["acks"][0]["status"] == "applied"


def test_the_upstream_client_key_lives_in_a_key_file_not_in_the_database(county_b, city):
    proc, city_engine = city
    ctx = county_b.app.state.ctx
    _up(county_b, proc, city_engine, COUNTY_B)
    key_file = ctx.settings.keys_path / UPSTREAM_KEY_FILE
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    state = get_state(ctx.engine)
    assert "upstream.key" not in state
    assert _b64_seed(key_file.read_bytes()) not in state.values()
    assert _sync(county_b).blocked is False
    # an older database kept it in server_state: it moves out to the file on first use
    old = key_file.read_bytes()
    key_file.unlink()
    from sync_server.services.identity import read_key

    with ctx.engine.begin() as conn:
        conn.execute(server_state.insert().values(key="upstream.key", value=_b64_seed(old)))
    st = get_state(ctx.engine, ctx.settings.keys_path)
    assert "upstream.key" not in st and "upstream.key" not in get_state(ctx.engine)
    assert P.public_key_b64(read_key(key_file)) == P.public_key_b64(_load_pem(old))
    assert _sync(county_b).blocked is False


def _load_pem(data: bytes):  # type: ignore[no-untyped-def]
    from cryptography.hazmat.primitives import serialization

    return serialization.load_pem_private_key(data, password=None)


def _b64_seed(pem: bytes) -> str:
    import base64

    return base64.b64encode(P.private_key_bytes(_load_pem(pem))).decode()


def test_the_register_cursor_sends_only_changes(server):
    client, engine = server
    town = enrolled(client, engine, "530921108000")
    first = town.sync(client, register_cursor=0).json()
    recs = first["register"]["records"]
    assert [r["record"]["station_id"] for r in recs] == [town.station_id]
    cursor = first["register"]["cursor"]
    again = town.sync(client, register_cursor=cursor).json()
    assert "register" not in again                     # nothing changed: nothing sent
    village = enrolled(client, engine, VILLAGE_A)
    enrolled(client, engine, "530921101201")          # another township's village
    later = town.sync(client, register_cursor=cursor).json()["register"]["records"]
    assert [r["record"]["station_id"] for r in later] == [village.station_id]
    key = client.app.state.ctx.ident.public_key
    assert P.verify_record(later[0], key).division == VILLAGE_A
