"""Five-level linkage: a county server syncs up to a real city server process with the same
protocol, and what the city sends down reaches the county's stations."""
from __future__ import annotations

from dataclasses import replace

import httpx
import pytest

from petition_core.events import EventType
from petition_core.protocol import decode_response
from sync_server.cli import main as cli_main
from sync_server.services.auth import get_station
from sync_server.services.enrollment import create_code
from sync_server.services.merge import merge_push
from sync_server.services.upstream import enroll_upstream, get_state, sync_upstream
from sync_server.store.db import make_engine, migrate_to_head

from .helpers import COUNTY, TOWNSHIP, VILLAGE_A, Station, count, enrolled
from .procs import ServerProcess

CITY = "530900000000"          # 临沧市
OTHER_COUNTY = "530902000000"  # 临翔区


@pytest.fixture
def city(tmp_path):  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'city.db'}"
    engine = make_engine(url)
    migrate_to_head(engine)
    proc = ServerProcess(url, tmp_path / "city-blobs")
    yield proc, engine
    proc.stop()
    engine.dispose()


def _enroll_up(client, **kw):  # type: ignore[no-untyped-def]
    """``enroll_upstream`` for the county app behind ``client`` (its identity and keys)."""
    ctx = client.app.state.ctx
    return enroll_upstream(ctx.engine, ctx.ident, ctx.settings.keys_path, **kw)


def _sync_up(client, **kw):  # type: ignore[no-untyped-def]
    ctx = client.app.state.ctx
    return sync_upstream(ctx.engine, ctx.ident, ctx.settings.keys_path, **kw)


def _ids(resp) -> list[str]:  # type: ignore[no-untyped-def]
    return [e["event_id"] for e in decode_response(resp.content)["pull"]["events"]]


def test_county_to_city_and_back_down(server, city):
    client, county = server
    proc, city_engine = city
    village = enrolled(client, county, VILLAGE_A)
    town = enrolled(client, county, TOWNSHIP)
    reg = village.events(3)
    village.sync(client, reg, cursor=None)

    code = create_code(city_engine, division=COUNTY, kind="upstream")
    assert _enroll_up(client, url=proc.base, code=code, name="凤庆县服务器") == COUNTY
    rep = _sync_up(client, batch=2)
    assert (rep.pushed_applied, rep.rejected) == (3, [])

    with httpx.Client(base_url=proc.base, timeout=30) as http:
        city_st = Station(CITY, name="市纪委")
        assert city_st.enroll(http, create_code(city_engine, division=CITY)).status_code == 200
        assert _ids(city_st.sync(http)) == [e.event_id for e in reg]
        # the city assigns the first case down to the township
        assign = city_st.event(case_id=reg[0].case_id, type=EventType.ASSIGNED, route=TOWNSHIP,
                               data={"to_division": TOWNSHIP, "due": "2026-12-28"})
        r = city_st.sync(http, [assign], cursor=None)
        assert decode_response(r.content)["acks"][0]["status"] == "applied"

        rep = _sync_up(client)
        assert rep.pulled_applied == 1 and rep.pushed_applied == 0
        assert assign.event_id in _ids(town.sync(client))
        assert assign.event_id in _ids(village.sync(client))  # the case is the village's own

        # the township reports progress; it travels up to the city
        progress = town.event(case_id=reg[0].case_id, type=EventType.PROGRESS,
                              data={"note": "已核实"})
        # the township handles the case the city assigned to it: its note is applied at
        # the county (whose folded case learnt the assignment that came down from above)
        acks = town.sync(client, [progress], cursor=None).json()["acks"]
        assert [a["status"] for a in acks] == ["applied"]
        rep = _sync_up(client)
        assert (rep.pushed_applied, rep.pulled_applied) == (1, 0)
        assert progress.event_id in _ids(city_st.sync(http))

    # nothing is pushed twice, and the event that came down is never pushed back up
    rep = _sync_up(client)
    assert (rep.pushed_applied, rep.pushed_duplicate, rep.pulled_applied) == (0, 0, 0)
    assert count(city_engine, "events") == 5 and count(county, "events") == 5
    assert int(get_state(county)["upstream.counter"]) >= 4


def test_upstream_relay_speaks_only_for_stations_its_county_registered(server, city):
    """The city takes a county's relayed events only for stations the county registered
    (county-signed records pushed up first): not a station enrolled at the city, not a
    station nobody registered."""
    client, county = server
    proc, city_engine = city
    village = enrolled(client, county, VILLAGE_A)
    village.sync(client, village.events(2), cursor=None)
    _enroll_up(client, url=proc.base, code=create_code(city_engine, division=COUNTY,
                                                       kind="upstream"), name="凤庆县服务器")
    assert _sync_up(client).pushed_applied == 2
    with httpx.Client(base_url=proc.base, timeout=30) as http:
        outsider = enrolled(http, city_engine, OTHER_COUNTY)
    relay = get_station(city_engine, get_state(county)["upstream.station_id"])
    assert relay.relay_of == "upstream" and relay.server_id == client.app.state.ctx.ident.server_id
    stranger = Station(VILLAGE_A)  # a "village" no server ever registered
    acks = merge_push(city_engine, pusher=relay, items=[
        outsider.event().to_wire(), stranger.event().to_wire(), village.event().to_wire()],
        bundles=[])
    assert [(a.status, a.code) for a in acks] == [("rejected", "event_foreign_station"),
                                                 ("rejected", "event_foreign_station"),
                                                 ("applied", None)]
    # an ordinary station (not upstream) still cannot push another station's events
    plain = get_station(city_engine, outsider.station_id)
    acks = merge_push(city_engine, pusher=plain, items=[village.event().to_wire()],
                      bundles=[])
    assert acks[0].code == "event_foreign_station"


def test_the_city_judges_a_countys_relayed_events_as_the_registered_village(server, city):
    """The gate at the city: a county's relayed events are judged as the station the
    county-signed register places there (t2), not as the relaying county: a village's case
    planted in another township of the same county is refused (the county itself could
    register there), a poisoned record too, and the village's later record still applies."""
    client, county = server
    proc, city_engine = city
    village = enrolled(client, county, VILLAGE_A)
    village.sync(client, village.events(1), cursor=None)
    _enroll_up(client, url=proc.base, code=create_code(city_engine, division=COUNTY,
                                                       kind="upstream"), name="凤庆县服务器")
    assert _sync_up(client).pushed_applied == 1
    relay = get_station(city_engine, get_state(county)["upstream.station_id"])
    planted = village.event(route="530921109201")   # a village of 大寺乡, another township
    poison = village.event(data={"petitioner": ["张三"]})
    good = village.event()
    acks = merge_push(city_engine, pusher=relay, items=[
        planted.to_wire(), poison.to_wire(), good.to_wire()], bundles=[])
    assert [(a.status, a.code) for a in acks] == [("rejected", "event_not_permitted"),
                                                 ("rejected", "payload_invalid"),
                                                 ("applied", None)]


def test_upstream_cli_reports_refusals(server, city, capsys):
    _client, county = server
    proc, city_engine = city
    url = county.url.render_as_string(hide_password=False)
    keys = "--keys=" + str(_client.app.state.ctx.settings.keys_path)
    assert cli_main(["upstream-sync", "--db", url, keys]) == 1
    assert "[upstream_not_enrolled]" in capsys.readouterr().err
    assert cli_main(["upstream-enroll", "--url", proc.base, "--code", "AAAA-BBBB",
                     "--db", url, keys]) == 1
    assert "[enroll_code_invalid]" in capsys.readouterr().err
    code = create_code(city_engine, division=COUNTY, kind="upstream")
    assert cli_main(["upstream-enroll", "--url", proc.base, "--code", code, "--db", url, keys]) == 0
    assert "凤庆县" in capsys.readouterr().out
    assert cli_main(["upstream-sync", "--db", url, keys]) == 0
    assert "Sent 0 new" in capsys.readouterr().out
    assert cli_main(["upstream-enroll", "--url", "http://127.0.0.1:9", "--code", code,
                     "--db", url, keys]) == 1
    assert "Cannot reach the upper server" in capsys.readouterr().err


def test_an_event_the_city_refuses_is_reported_and_the_rest_still_go_up(server, city):
    """A county must not stall behind one event the city cannot take (e.g. a newer kind of
    record): the city voids it, the county reports it and pushes everything after it."""
    from sqlalchemy import update

    from sync_server.store.models import events as ev_table

    client, county = server
    proc, city_engine = city
    village = enrolled(client, county, VILLAGE_A)
    reg = village.events(3)
    village.sync(client, reg, cursor=None)
    with county.begin() as conn:
        conn.execute(update(ev_table).where(ev_table.c.event_id == reg[1].event_id)
                     .values(type="case.from_the_future"))
    code = create_code(city_engine, division=COUNTY, kind="upstream")
    _enroll_up(client, url=proc.base, code=code, name="凤庆县服务器")
    rep = _sync_up(client, batch=2)
    assert rep.rejected == [(reg[1].event_id, "event_unknown_type")] and not rep.blocked
    assert rep.pushed_applied == 2
    with city_engine.connect() as conn:
        from sqlalchemy import select
        stored = set(conn.execute(select(ev_table.c.event_id)).scalars())
    assert stored == {reg[0].event_id, reg[2].event_id}
    again = _sync_up(client)
    assert (again.pushed_applied, again.rejected) == (0, [])
    assert count(county, "events") == 3   # the county keeps the refused event


def test_attachments_travel_up_and_down_with_their_events(server, city, tmp_path):
    """Five-level linkage for evidence: the photo a village attached reaches the city, a
    blob the station uploads late goes up on the next run, and a document the city
    attaches comes down (resuming a partial copy) where the village can open it."""
    import hashlib
    import os

    from sync_server.services import blobs as blob_store

    from .test_bundles_blobs import _put, _signed

    client, county = server
    proc, city_engine = city
    county_blobs, city_blobs = tmp_path / "blobs", tmp_path / "city-blobs"
    village = enrolled(client, county, VILLAGE_A)
    photo, late = os.urandom(600_000), os.urandom(1_000)   # the photo takes 3 chunks
    sha, late_sha = hashlib.sha256(photo).hexdigest(), hashlib.sha256(late).hexdigest()
    assert _put(client, village, sha, photo, 0, len(photo)).status_code == 200
    reg = village.event(data={"summary": "有照片", "attachments": [
        {"sha256": sha, "name": "现场.jpg", "size": len(photo)},
        {"sha256": late_sha, "name": "补充.jpg", "size": len(late)}]})
    village.sync(client, [reg], cursor=None)
    _enroll_up(client, url=proc.base, name="凤庆县服务器",
                    code=create_code(city_engine, division=COUNTY, kind="upstream"))

    rep = _sync_up(client, blob_dir=county_blobs)
    assert (rep.pushed_applied, rep.blobs_up) == (1, 1)
    assert (city_blobs / sha[:2] / sha).read_bytes() == photo
    assert blob_store.state(city_engine, late_sha) is None      # not at the county yet
    assert _put(client, village, late_sha, late, 0, len(late)).status_code == 200
    assert _sync_up(client, blob_dir=county_blobs).blobs_up == 1
    assert (city_blobs / late_sha[:2] / late_sha).read_bytes() == late
    assert _sync_up(client, blob_dir=county_blobs).blobs_up == 0

    doc = os.urandom(300_000)
    dsha = hashlib.sha256(doc).hexdigest()
    with httpx.Client(base_url=proc.base, timeout=30) as http:
        city_st = enrolled(http, city_engine, CITY, name="市信访局")
        assert _put(http, city_st, dsha, doc, 0, len(doc)).status_code == 200
        # the city assigns (交办) the case to the village and attaches its instruction as
        # the supervising unit (the permission matrix: a unit above may not add to a case
        # it does not supervise)
        assign = replace(city_st.event(case_id=reg.case_id, type=EventType.ASSIGNED,
                                       route=VILLAGE_A, data={"to_division": VILLAGE_A}),
                         lamport=2)
        add = replace(city_st.event(case_id=reg.case_id, type=EventType.ATTACHMENT_ADDED,
                                    data={"attachment": {"sha256": dsha, "name": "批示.pdf",
                                                         "size": len(doc)}}), lamport=3)
        r = city_st.sync(http, [assign, add], cursor=None)
        assert [a["status"] for a in decode_response(r.content)["acks"]] == ["applied"] * 2
    # a copy cut short earlier: the download resumes at what is stored
    blob_store.put_chunk(county, county_blobs, sha=dsha, station_id="upstream",
                         content_range=f"bytes 0-99999/{len(doc)}", body=doc[:100_000])
    rep = _sync_up(client, blob_dir=county_blobs)
    assert (rep.pulled_applied, rep.blobs_down) == (2, 1)
    assert (county_blobs / dsha[:2] / dsha).read_bytes() == doc
    assert _signed(client, village, "GET", dsha).content == doc
    assert _sync_up(client, blob_dir=county_blobs).blobs_down == 0
