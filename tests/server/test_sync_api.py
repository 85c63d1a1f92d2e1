"""/v1/enroll and /v1/sync through the real app on SQLite and PostgreSQL."""
from __future__ import annotations

import os

from petition_core.events import EventType
from petition_core.ids import uuid7
from sync_server.services.enrollment import create_code

from .helpers import (
    COUNTY,
    OTHER_TOWNSHIP,
    TOWNSHIP,
    VILLAGE_A,
    VILLAGE_B,
    Station,
    count,
    enrolled,
)


def _ids(resp) -> list[str]:  # type: ignore[no-untyped-def]
    return [e["event_id"] for e in resp.json()["pull"]["events"]]


def test_enroll_then_push_applies_and_pull_returns_them(server):
    client, engine = server
    st = Station(VILLAGE_A)
    r = st.enroll(client, create_code(engine, division=VILLAGE_A))
    assert r.status_code == 200
    data = r.json()
    assert {k: data[k] for k in ("station_id", "division", "level", "station_no", "epoch",
                                 "next_seq", "protocol")} == {
        "station_id": st.station_id, "division": VILLAGE_A, "level": 5, "station_no": 1,
        "epoch": 1, "next_seq": 1, "protocol": 2}
    assert data["server_id"] == client.app.state.ctx.ident.server_id
    assert [s["record"]["station_id"] for s in data["register"]] == [st.station_id]
    evs = st.events(3)
    r = st.sync(client, evs)
    assert r.status_code == 200, r.text
    body = r.json()
    assert [a["status"] for a in body["acks"]] == ["applied"] * 3
    assert [a["event_id"] for a in body["acks"]] == [e.event_id for e in evs]
    assert _ids(r) == [e.event_id for e in evs]
    assert body["pull"]["more"] is False
    assert count(engine, "events") == 3
    assert count(engine, "case_routes") == 3


def test_same_push_twice_is_all_duplicates_and_writes_nothing(server):
    client, engine = server
    st = enrolled(client, engine, VILLAGE_A)
    evs = st.events(4)
    assert st.sync(client, evs).status_code == 200
    r = st.sync(client, evs, cursor=None)
    assert [a["status"] for a in r.json()["acks"]] == ["duplicate"] * 4
    assert count(engine, "events") == 4


def test_gap_rejects_that_event_and_every_later_one(server):
    client, engine = server
    st = enrolled(client, engine, VILLAGE_A)
    evs = st.events(5)
    r = st.sync(client, [evs[0], evs[2], evs[3]], cursor=None)
    acks = r.json()["acks"]
    assert [(a["status"], a["code"]) for a in acks] == [
        ("applied", None), ("rejected", "event_gap"), ("rejected", "event_gap")]
    assert r.json()["next_seq"] == 2   # the station re-sends from here
    # the retry with the missing event in place completes with no duplicates stored twice
    r = st.sync(client, evs, cursor=None)
    assert [a["status"] for a in r.json()["acks"]] == ["duplicate"] + ["applied"] * 4
    assert count(engine, "events") == 5


def test_seq_reused_by_another_event_is_seq_conflict(server):
    client, engine = server
    st = enrolled(client, engine, VILLAGE_A)
    first = st.event()
    st.sync(client, [first], cursor=None)
    st.seq = 0
    clash = st.event()  # same station_seq 1, different event_id
    r = st.sync(client, [clash], cursor=None)
    assert r.json()["acks"] == [{"event_id": clash.event_id, "status": "rejected",
                                 "code": "seq_conflict"}]
    assert count(engine, "events") == 1


def test_same_event_id_with_other_content_is_refused(server):
    client, engine = server
    st = enrolled(client, engine, VILLAGE_A)
    ev = st.event()
    st.sync(client, [ev], cursor=None)
    forged = ev.to_wire()
    forged["payload"] = {"summary": "改过的内容"}
    r = st.sync(client, [forged], cursor=None)
    assert r.json()["acks"][0]["code"] == "event_id_conflict"
    assert count(engine, "events") == 1


def test_events_of_another_station_are_refused(server):
    client, engine = server
    a = enrolled(client, engine, VILLAGE_A)
    b = Station(VILLAGE_B)
    r = a.sync(client, [b.event()], cursor=None)
    assert r.json()["acks"][0]["code"] == "event_foreign_station"
    assert count(engine, "events") == 0


def _voided(engine) -> list[tuple[int, str, str]]:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from sync_server.store.models import voided_events as v
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(
            select(v.c.station_seq, v.c.event_id, v.c.code).order_by(v.c.station_seq))]


def test_a_content_rejected_event_is_voided_and_later_ones_still_apply(server):
    """One bad event must not block a village for good: its seq is voided (kept on record
    for the county), the events after it apply, and pushing it again changes nothing."""
    client, engine = server
    st = enrolled(client, engine, VILLAGE_A)
    good, bad, after = st.events(3)
    broken = bad.to_wire()
    broken["type"] = "case.exploded"
    r = st.sync(client, [good, broken, after], cursor=None)
    assert [(a["status"], a["code"]) for a in r.json()["acks"]] == [
        ("applied", None), ("rejected", "event_unknown_type"), ("applied", None)]
    assert r.json()["next_seq"] == 4
    assert count(engine, "events") == 2
    assert _voided(engine) == [(2, bad.event_id, "event_unknown_type")]
    again = st.sync(client, [broken], cursor=None)
    assert again.json()["acks"][0]["code"] == "event_unknown_type"
    assert _voided(engine) == [(2, bad.event_id, "event_unknown_type")]
    assert count(engine, "events") == 2


def test_an_unreadable_item_naming_the_next_seq_is_voided_too(server):
    client, engine = server
    st = enrolled(client, engine, VILLAGE_A)
    bad, after = st.events(2)
    broken = bad.to_wire()
    broken["occurred_at"] = 12345          # not a string: Event.from_wire fails
    r = st.sync(client, [broken, after], cursor=None)
    acks = r.json()["acks"]
    assert acks[0]["status"] == "rejected" and acks[0]["code"].startswith("event_")
    assert acks[1] == {"event_id": after.event_id, "status": "applied", "code": None}
    assert [s for s, _, _ in _voided(engine)] == [1]


def test_an_item_with_no_usable_seq_cannot_be_voided_and_later_ones_gap(server):
    client, engine = server
    st = enrolled(client, engine, VILLAGE_A)
    bad, after = st.events(2)
    broken = bad.to_wire()
    broken["station_seq"] = "one"
    r = st.sync(client, [broken, after], cursor=None)
    assert [a["code"] for a in r.json()["acks"]][1] == "event_gap"
    assert r.json()["next_seq"] == 1
    assert _voided(engine) == [] and count(engine, "events") == 0


def test_a_voided_event_is_applied_once_it_is_acceptable(server):
    """After a server upgrade the station can send the same event again: it is applied in
    its own seq, the void record goes, and other stations pull it."""
    client, engine = server
    st = enrolled(client, engine, VILLAGE_A)
    town = enrolled(client, engine, TOWNSHIP)
    first, second, third = st.events(3)
    broken = second.to_wire()
    broken["type"] = "case.exploded"
    st.sync(client, [first, broken, third], cursor=None)
    r = st.sync(client, [second], cursor=None)
    assert r.json()["acks"] == [{"event_id": second.event_id, "status": "applied", "code": None}]
    assert _voided(engine) == [] and count(engine, "events") == 3
    assert set(_ids(town.sync(client))) == {first.event_id, second.event_id, third.event_id}
    # and once applied it is an ordinary duplicate
    assert st.sync(client, [second], cursor=None).json()["acks"][0]["status"] == "duplicate"


def test_pull_leaves_out_the_pullers_own_events_it_says_it_holds(server):
    client, engine = server
    a = enrolled(client, engine, VILLAGE_A)
    town = enrolled(client, engine, TOWNSHIP)
    mine = a.events(3)
    # the township registers a case of village A's and assigns it (交办) to the village
    reg = town.event(route=VILLAGE_A)
    assign = town.event(case_id=reg.case_id, type=EventType.ASSIGNED, route=VILLAGE_A,
                        data={"to_division": VILLAGE_A})
    theirs = [reg, assign]
    town.sync(client, theirs, cursor=None)
    r = a.sync(client, mine, own_through=3)
    assert _ids(r) == [e.event_id for e in theirs]
    top = r.json()["pull"]["cursor"]
    assert top == 5
    # a station restored from an older backup holds only 1: 2 and 3 come back
    assert _ids(a.sync(client, own_through=1)) == [e.event_id for e in theirs] + [
        e.event_id for e in mine[1:]]
    # without the field everything comes back, as before
    assert len(_ids(a.sync(client))) == 5


def test_village_never_pulls_another_village_case_township_pulls_both(server):
    client, engine = server
    a = enrolled(client, engine, VILLAGE_A)
    b = enrolled(client, engine, VILLAGE_B)
    town = enrolled(client, engine, TOWNSHIP)
    other_town = enrolled(client, engine, OTHER_TOWNSHIP)
    county = enrolled(client, engine, COUNTY)
    ea, eb = a.events(2), b.events(2)
    a.sync(client, ea, cursor=None)
    b.sync(client, eb, cursor=None)
    assert set(_ids(a.sync(client))) == {e.event_id for e in ea}
    assert set(_ids(b.sync(client))) == {e.event_id for e in eb}
    both = {e.event_id for e in ea + eb}
    assert set(_ids(town.sync(client))) == both
    assert set(_ids(county.sync(client))) == both
    r = other_town.sync(client)
    assert _ids(r) == []
    assert r.json()["pull"]["cursor"] == 4  # skips invisible positions


def test_transfer_into_a_village_brings_the_case_history(server):
    client, engine = server
    a = enrolled(client, engine, VILLAGE_A)
    b = enrolled(client, engine, VILLAGE_B)
    town = enrolled(client, engine, TOWNSHIP)
    reg = a.event()
    a.sync(client, [reg], cursor=None)
    r = b.sync(client)  # b is up to date: sees nothing, cursor moves past the case
    assert _ids(r) == []
    cursor = r.json()["pull"]["cursor"]
    # the township is above the case: it assigns it (交办; only the handler transfers)
    transfer = town.event(case_id=reg.case_id, type=EventType.ASSIGNED, route=VILLAGE_B,
                          data={"to_division": VILLAGE_B})
    town.sync(client, [transfer], cursor=None)
    r = b.sync(client, cursor=cursor)
    assert _ids(r) == [reg.event_id, transfer.event_id]
    # and a village elsewhere still sees nothing of it
    c = enrolled(client, engine, "530921108205")
    assert _ids(c.sync(client)) == []


def test_pull_pages_with_more_flag(server):
    client, engine = server
    st = enrolled(client, engine, VILLAGE_A)
    evs = st.events(7)
    st.sync(client, evs, cursor=None)
    got, cursor, more = [], 0, True
    while more:
        body = st.sync(client, cursor=cursor, limit=3).json()["pull"]
        got += [e["event_id"] for e in body["events"]]
        cursor, more = body["cursor"], body["more"]
    assert got == [e.event_id for e in evs]


def test_sealed_payload_comes_back_byte_for_byte(server):
    client, engine = server
    st = enrolled(client, engine, VILLAGE_A)
    secret = bytes(range(256)) * 3
    ev = st.event(sealed=secret)
    st.sync(client, [ev], cursor=None)
    town = enrolled(client, engine, TOWNSHIP)
    pulled = town.sync(client).json()["pull"]["events"]
    assert pulled == [ev.to_wire()]


def test_reenroll_with_old_key_keeps_id_division_and_number_and_resets_counter(server):
    client, engine = server
    st = enrolled(client, engine, VILLAGE_A)
    st.sync(client, cursor=None)
    again = Station(VILLAGE_A, station_id=st.station_id, server_id=st.server_id,
                    epoch=st.epoch)
    r = again.enroll(client, create_code(engine, division=VILLAGE_A), old_key=st.key)
    assert r.status_code == 200, r.text
    assert (again.station_id, again.station_no, again.epoch) == (st.station_id, 1, 2)
    assert again.sync(client).status_code == 200
    # the old key no longer works
    r = st.sync(client)
    assert r.json()["error"] == "auth_bad_signature"
    # a code for another division cannot move it
    third = Station(VILLAGE_A, station_id=st.station_id, server_id=st.server_id, epoch=2)
    r = third.enroll(client, create_code(engine, division=VILLAGE_B), old_key=again.key,
                     division=VILLAGE_B)
    assert (r.status_code, r.json()["error"]) == (409, "enroll_station_conflict")


def test_uuid_helper_sanity():
    assert uuid7() != uuid7()


def test_values_the_columns_cannot_hold_are_rejected_not_500(server):
    client, engine = server
    st = enrolled(client, engine, VILLAGE_A)
    huge = st.event().to_wire()
    huge["station_seq"] = 2**70
    long_time = st.event().to_wire()
    long_time["occurred_at"] = "2026-11-28T09:00:00.123456+08:00:00.123456"
    r = st.sync(client, [huge, long_time], cursor=None)
    assert r.status_code == 200
    # seq 2^70 cannot anchor a void, so the next item (seq 2) sits behind a gap
    assert [a["code"] for a in r.json()["acks"]] == ["event_malformed", "event_gap"]
    assert count(engine, "events") == 0
    long_time["station_seq"] = 1
    r = st.sync(client, [long_time], cursor=None)
    assert [a["code"] for a in r.json()["acks"]] == ["event_malformed"]
    assert [s for s, _, _ in _voided(engine)] == [1] and count(engine, "events") == 0


def test_pull_pages_by_payload_size_whatever_the_limit(server):
    client, engine = server
    st = enrolled(client, engine, VILLAGE_A)
    # sealed (the gate cannot read them, so no length rule applies): ~240 KB each as sent
    evs = [st.event(sealed=os.urandom(180_000)) for _ in range(40)]
    for i in range(0, 40, 10):
        assert st.sync(client, evs[i:i + 10], cursor=None).status_code == 200
    body = st.sync(client, cursor=0, limit=2000).json()["pull"]
    assert 0 < len(body["events"]) < 40 and body["more"] is True
    got, cursor, more = [e["event_id"] for e in body["events"]], body["cursor"], True
    while more:
        body = st.sync(client, cursor=cursor, limit=2000).json()["pull"]
        got += [e["event_id"] for e in body["events"]]
        cursor, more = body["cursor"], body["more"]
    assert got == [e.event_id for e in evs]


def test_same_event_twice_in_one_push_and_again_in_a_bundle(server):
    from petition_core.protocol import write_bundle

    client, engine = server
    st = enrolled(client, engine, TOWNSHIP)
    e1, e2 = st.events(2)
    bundle = write_bundle(st.key, {"station_id": st.station_id, "station_code": TOWNSHIP,
                                   "from_seq": 1, "to_seq": 2, "created": "x", "kind": "push",
                                   "for_station": None}, [e1.to_wire(), e2.to_wire()])
    r = st.sync(client, [e1, e1, e2], bundles=[bundle], cursor=None)
    assert [a["status"] for a in r.json()["acks"]] == [
        "applied", "duplicate", "applied", "duplicate", "duplicate"]
    assert count(engine, "events") == 2


def test_sealed_pull_answer_stays_under_the_station_cap(server):
    import os

    client, engine = server
    st = enrolled(client, engine, VILLAGE_A)
    evs = [st.event(sealed=os.urandom(250_000)) for _ in range(48)]  # 12 MB incompressible
    for i in range(0, 48, 12):
        assert st.sync(client, evs[i:i + 12], cursor=None).status_code == 200
    r = st.sync(client, cursor=0, limit=2000)
    assert len(r.content) < 12 * 1024 * 1024 and r.json()["pull"]["more"] is True


def test_compact_acks_are_seq_runs_and_keep_rejections_one_by_one(server):
    client, engine = server
    st = enrolled(client, engine, VILLAGE_A)
    evs = st.events(3)
    r = st.sync(client, evs, cursor=None, compact=True).json()
    assert (r["acks"], r["own_acks"]) == ([], [[1, 3, "applied"]])
    more = st.events(3)
    broken = more[1].to_wire()
    broken["type"] = "case.exploded"
    r = st.sync(client, [*evs, more[0], broken, more[2]], cursor=None, compact=True).json()
    assert r["own_acks"] == [[1, 3, "duplicate"], [4, 4, "applied"], [6, 6, "applied"]]
    assert r["acks"] == [{"event_id": more[1].event_id, "status": "rejected",
                          "code": "event_unknown_type"}]
    # a station that does not ask gets one ack per event, as before
    r = st.sync(client, evs[:1], cursor=None).json()
    assert "own_acks" not in r and r["acks"][0]["status"] == "duplicate"


def test_a_bad_event_behind_a_gap_is_a_gap_and_is_voided_once_the_gap_is_filled(server):
    """Quarantining it at once would leave a hole: the station re-sends from next_seq, the
    bad event is then judged in place (voided) and the rest applies."""
    client, engine = server
    st = enrolled(client, engine, VILLAGE_A)
    evs = st.events(4)
    broken = evs[2].to_wire()
    broken["type"] = "case.exploded"
    r = st.sync(client, [evs[1], broken, evs[3]], cursor=None).json()
    assert [a["code"] for a in r["acks"]] == ["event_gap"] * 3 and r["next_seq"] == 1
    assert _voided(engine) == []
    r = st.sync(client, [evs[0], evs[1], broken, evs[3]], cursor=None).json()
    assert [a["code"] for a in r["acks"]] == [None, None, "event_unknown_type", None]
    assert [s for s, _, _ in _voided(engine)] == [3] and count(engine, "events") == 3
