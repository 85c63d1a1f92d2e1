"""Issue 7 A4: identity is what the county assigns, not what a client says.  Attacks run
against real ``suqiu-server serve`` processes (SQLite and PostgreSQL) with httpx.

* station takeover: a code for the division alone never re-enrolls an existing station;
  its old key's signature or a code issued for that very station does (epoch + 1), and a
  request captured before the re-enrollment is refused after it;
* id claiming: the server assigns ids, so ``upstream`` or the id of a station whose events
  came down from the city can never be enrolled;
* a request replayed to another server where the same key is enrolled is refused;
* two stations of one division get distinct station numbers (case numbers).
"""
from __future__ import annotations

import httpx
import pytest

from petition_core.ids import is_uuid
from petition_core.protocol import (
    decode_response,
    encode_body,
    new_private_key,
    public_key_b64,
    sign_request,
)
from sync_server.services.enrollment import create_code
from sync_server.store.db import make_engine, migrate_to_head

from .helpers import VILLAGE_A, VILLAGE_B, Station, counts
from .procs import ServerProcess


@pytest.fixture
def county(db_url, tmp_path):  # type: ignore[no-untyped-def]
    engine = make_engine(db_url)
    migrate_to_head(engine)
    proc = ServerProcess(db_url, tmp_path / "blobs")
    with httpx.Client(base_url=proc.base, timeout=30) as http:
        yield http, engine
    proc.stop()
    engine.dispose()


def _json(r: httpx.Response) -> dict:
    return decode_response(r.content)


def _enroll(http, engine, division: str, **kw) -> Station:  # type: ignore[no-untyped-def]
    st = Station(division, **kw)
    r = st.enroll(http, create_code(engine, division=division))
    assert r.status_code == 200, r.content
    return st


def _raw_enroll(http, key, fields: dict) -> httpx.Response:  # type: ignore[no-untyped-def]
    """An enrollment body written by hand (what a hostile client can send)."""
    body = encode_body({**fields, "public_key": public_key_b64(key)})
    return http.post("/v1/enroll", content=body, headers=sign_request(
        key, "", 0, "POST", "/v1/enroll", body, server_id="", epoch=0))


def _ok_sync(http, st: Station, n: int = 1) -> None:  # type: ignore[no-untyped-def]
    r = st.sync(http, st.events(n), cursor=None)
    assert r.status_code == 200, _json(r)
    assert {a["status"] for a in _json(r)["acks"]} == {"applied"}


def test_a_division_code_without_the_old_key_cannot_take_over_a_station(county):
    http, engine = county
    victim = _enroll(http, engine, VILLAGE_A, name="鹿鸣村")
    _ok_sync(http, victim, 2)
    # the attacker got a fresh code for the same division and knows the station id
    thief = Station(VILLAGE_A, station_id=victim.station_id, server_id=victim.server_id,
                    epoch=victim.epoch)
    code = create_code(engine, division=VILLAGE_A)
    before = counts(engine)
    r = _raw_enroll(http, thief.key, {"code": code, "division": VILLAGE_A, "name": "冒名",
                                      "station_id": victim.station_id,
                                      "server_id": victim.server_id, "epoch": victim.epoch})
    assert (r.status_code, _json(r)["error"]) == (403, "enroll_proof_invalid")
    # an old-key signature made with the wrong key is no better
    r = thief.enroll(http, code, old_key=thief.key)
    assert (r.status_code, _json(r)["error"]) == (403, "enroll_proof_invalid")
    assert counts(engine) == before            # nothing written, the code not used up
    _ok_sync(http, victim)                     # the real station still works
    assert victim.epoch == 1                   # its epoch did not move


def test_reenroll_with_the_old_key_or_a_station_code_and_old_requests_die(county, tmp_path):
    http, engine = county
    st = _enroll(http, engine, VILLAGE_A)
    _ok_sync(http, st)
    # a request captured on the line before the re-enrollment (not yet delivered)
    body = encode_body({"push": {"events": [st.event().to_wire()]}, "pull": None})
    captured = (body, st.headers("POST", "/v1/sync", body))

    # 1. the same PC re-enrolls with its own key (a division code + old-key signature)
    again = Station(VILLAGE_A, station_id=st.station_id, server_id=st.server_id,
                    epoch=st.epoch, key=st.key, seq=st.seq)
    r = again.enroll(http, create_code(engine, division=VILLAGE_A), old_key=st.key)
    assert r.status_code == 200, _json(r)
    assert (again.station_id, again.epoch, again.station_no) == (st.station_id, 2, 1)
    # the captured request (same key, counter now above the reset one) is refused
    r = http.post("/v1/sync", content=captured[0], headers=captured[1])
    assert (r.status_code, _json(r)["error"]) == (401, "auth_bad_signature")
    again.seq = st.seq - 1       # the captured event never arrived: its seq is free
    _ok_sync(http, again)

    # 2. a reinstalled PC without its key: a code the county issued for this station
    code = create_code(engine, station_id=st.station_id)
    fresh = Station(VILLAGE_A)
    r = fresh.enroll(http, code)
    assert r.status_code == 200, _json(r)
    assert (fresh.station_id, fresh.epoch) == (st.station_id, 3)
    assert fresh.station_no == 2           # a new number: it cannot know the old counter
    assert _json(r)["next_seq"] == again.seq + 1
    # the code cannot be used twice, nor for another station
    r = Station(VILLAGE_A).enroll(http, code)
    assert (r.status_code, _json(r)["error"]) == (409, "enroll_code_used")
    other = _enroll(http, engine, VILLAGE_A)
    bound = create_code(engine, station_id=st.station_id)
    r = Station(VILLAGE_A, station_id=other.station_id, server_id=other.server_id,
                epoch=other.epoch, key=other.key).enroll(http, bound, old_key=other.key)
    assert (r.status_code, _json(r)["error"]) == (409, "enroll_station_conflict")


def test_station_ids_are_assigned_so_markers_and_foreign_ids_cannot_be_claimed(county):
    http, engine = county
    # a city station whose events came down to this county (its id is known here)
    from sync_server.services.merge import insert_events, take_merge_lock, writer

    city_station = Station("530900000000")
    city_ev = city_station.event(route=VILLAGE_A)
    with writer(engine) as conn:
        take_merge_lock(conn)
        insert_events(conn, [(city_ev, None)], received_from="upstream")
    # what a fresh enrollment gets is a new UUID, never what the client would like
    st = _enroll(http, engine, VILLAGE_A)
    for claimed in ("upstream", city_station.station_id, "import:x"):
        r = _raw_enroll(http, new_private_key(), {
            "code": create_code(engine, division=VILLAGE_A), "division": VILLAGE_A,
            "name": "x", "station_id": claimed, "server_id": st.server_id, "epoch": 1,
            "old_signature": "AAAA"})
        assert (r.status_code, _json(r)["error"]) == (404, "enroll_station_unknown"), claimed
    assert is_uuid(st.station_id) and st.station_id not in ("upstream", city_station.station_id)
    # and it cannot push in the city station's name
    forged = city_station.event(route=VILLAGE_A)
    r = st.sync(http, [forged], cursor=None)
    assert _json(r)["acks"][0]["code"] == "event_foreign_station"


def test_a_request_replayed_to_another_server_with_the_same_key_is_refused(db_url, tmp_path):
    """One key enrolled at two servers (say a county and a test server).  A request made
    for one is refused by the other, verbatim or with the station header changed."""
    engines, procs = [], []
    try:
        for i in range(2):
            url = db_url if i == 0 else f"sqlite:///{tmp_path / 'other.db'}"
            eng = make_engine(url)
            migrate_to_head(eng)
            engines.append(eng)
            procs.append(ServerProcess(url, tmp_path / f"server{i}" / "blobs"))
        with httpx.Client(base_url=procs[0].base, timeout=30) as a, \
                httpx.Client(base_url=procs[1].base, timeout=30) as b:
            at_a = _enroll(a, engines[0], VILLAGE_A)
            at_b = Station(VILLAGE_A, key=at_a.key)
            assert at_b.enroll(b, create_code(engines[1], division=VILLAGE_A)).status_code == 200
            assert at_a.server_id != at_b.server_id
            at_b.counter = 50           # B's counter is behind what the replay carries
            _ok_sync(b, at_b)
            before = counts(engines[1])
            body = encode_body({"push": {"events": []}, "pull": {"cursor": 0, "limit": 10}})
            at_a.counter = 100
            headers = at_a.headers("POST", "/v1/sync", body)
            assert a.post("/v1/sync", content=body, headers=headers).status_code == 200
            r = b.post("/v1/sync", content=body, headers=headers)
            assert r.status_code == 401 and _json(r)["error"] in (
                "auth_unknown_station", "auth_bad_signature")
            swapped = {**headers, "X-Suqiu-Station": at_b.station_id}
            r = b.post("/v1/sync", content=body, headers=swapped)
            assert (r.status_code, _json(r)["error"]) == (401, "auth_bad_signature")
            assert counts(engines[1]) == before
    finally:
        for p in procs:
            p.stop()
        for e in engines:
            e.dispose()


def test_two_stations_of_one_division_get_distinct_numbers(county):
    http, engine = county
    first, second = _enroll(http, engine, VILLAGE_A), _enroll(http, engine, VILLAGE_A)
    other = _enroll(http, engine, VILLAGE_B)
    assert (first.station_no, second.station_no, other.station_no) == (1, 2, 1)


def test_the_division_the_code_names_must_be_the_stations_own(county):
    """B9: a station never ends up bound to a division it does not serve."""
    http, engine = county
    code = create_code(engine, division=VILLAGE_B)
    before = counts(engine)
    r = Station(VILLAGE_A).enroll(http, code)
    assert (r.status_code, _json(r)["error"]) == (409, "enroll_division_mismatch")
    assert counts(engine) == before
    assert Station(VILLAGE_B).enroll(http, code).status_code == 200   # not used up
