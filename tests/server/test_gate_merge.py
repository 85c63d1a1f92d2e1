"""The gate at merge (issue 7, A1–A3), on SQLite and PostgreSQL: what does not fit, what a
station may not write and what the intake form would refuse is acked ``rejected`` with a
stable code, never stored, never pulled by anyone; the seq it held is voided so the
station's later events still apply."""
from __future__ import annotations

import hashlib
import os

import pytest
from stdnum.cn import ric

from petition_core.events import EventType
from petition_core.protocol import decode_response

from .helpers import OTHER_TOWNSHIP, TOWNSHIP, VILLAGE_A, VILLAGE_B, count, enrolled, registration
from .test_bundles_blobs import _put, _signed

OTHER_VILLAGE = "530921109201"   # a village of 大寺乡, another township
ID_NUMBER = "53092119800101001" + ric.calc_check_digit("530921198001010010")


def _acks(r):
    return decode_response(r.content)["acks"] if r.headers.get("content-encoding") \
        else r.json()["acks"]


def _stored(engine) -> set[str]:
    from sqlalchemy import select

    from sync_server.store.models import events

    with engine.connect() as c:
        return set(c.execute(select(events.c.event_id)).scalars())


def _pulled(client, st) -> set[str]:
    return {e["event_id"] for e in st.sync(client).json()["pull"]["events"]}


POISON = [
    ("petitioner", "张三"), ("petitioner", ["张三"]), ("attachments", 3), ("links", 3),
    ("case_no", 530921), ("query_code", ["K7QH3M"]),
]


@pytest.mark.parametrize("field,value", POISON)
def test_poison_registrations_are_refused_and_never_reach_anyone(server, field, value):
    client, engine = server
    village = enrolled(client, engine, VILLAGE_A)
    town = enrolled(client, engine, TOWNSHIP)
    bad = village.event(data={field: value})
    good = village.event()
    acks = village.sync(client, [bad, good], cursor=None).json()["acks"]
    assert [(a["status"], a["code"]) for a in acks] == [("rejected", "payload_invalid"),
                                                        ("applied", None)]
    assert acks[0]["detail"].startswith(field + ":")
    assert _stored(engine) == {good.event_id}
    assert _pulled(client, town) == {good.event_id}


@pytest.mark.parametrize("etype,data", [
    (EventType.LINKED, {"related": 3}),
    (EventType.AMENDED, {"field": ["summary"], "old": "a", "new": "b", "reason": "r"}),
])
def test_poison_events_on_a_case_are_refused(server, etype, data):
    client, engine = server
    village = enrolled(client, engine, VILLAGE_A)
    reg = village.event()
    bad = village.event(case_id=reg.case_id, type=etype, data=data)
    after = village.event(case_id=reg.case_id, type=EventType.PROGRESS)
    acks = village.sync(client, [reg, bad, after], cursor=None).json()["acks"]
    assert [a["code"] for a in acks] == [None, "payload_invalid", None]
    assert _stored(engine) == {reg.event_id, after.event_id}
    assert count(engine, "voided_events") == 1


# ---- A2: authorization -------------------------------------------------------------------
def test_a_village_cannot_plant_a_case_in_another_township(server):
    client, engine = server
    village = enrolled(client, engine, VILLAGE_A)
    other_town = enrolled(client, engine, OTHER_TOWNSHIP)
    planted = village.event(route=OTHER_VILLAGE)
    acks = village.sync(client, [planted], cursor=None).json()["acks"]
    assert (acks[0]["code"], acks[0]["detail"]) == (
        "event_not_permitted", "registration outside the station's division")
    assert _stored(engine) == set() and _pulled(client, other_town) == set()


def test_a_village_cannot_take_another_villages_case_and_read_the_petitioner(server):
    """A2(b): a transfer of another village's case to itself is refused; the village then
    pulls nothing of that case (no name, ID number or phone: 信访工作条例 Art. 30)."""
    client, engine = server
    a = enrolled(client, engine, VILLAGE_A)
    b = enrolled(client, engine, VILLAGE_B)
    secret = a.event(data={"petitioner": {"name": "李四", "id_number": ID_NUMBER,
                                          "phone": "138 0013 8000", "anonymous": False}})
    assert a.sync(client, [secret], cursor=None).json()["acks"][0]["status"] == "applied"
    grab = b.event(case_id=secret.case_id, type=EventType.TRANSFERRED, route=VILLAGE_B,
                   data={"kind": "transfer", "to_division": VILLAGE_B, "note": "转给我"})
    note = b.event(case_id=secret.case_id, type=EventType.PROGRESS)
    r = b.sync(client, [grab, note], cursor=0)
    # the permission matrix (permissions.allowed): village B has no relation to the case
    assert [(x["code"], x.get("detail")) for x in r.json()["acks"]] == [
        ("case_not_visible", None), ("case_not_visible", None)]
    assert r.json()["pull"]["events"] == []
    assert "李四".encode() not in r.content and _stored(engine) == {secret.event_id}
    assert count(engine, "voided_events") == 2


def test_a_township_may_act_on_a_village_case_it_relays_in_the_same_push(server):
    from .test_bundles_blobs import _bundle

    client, engine = server
    village = enrolled(client, engine, VILLAGE_A)
    town = enrolled(client, engine, TOWNSHIP)
    reg = village.event()
    # the township is above the village: it may urge (督办) the case, not accept it (only
    # the handling unit does: permissions.RELATION_ACTIONS), whose registration comes
    # in the bundle of the same push (judged against the request's pending events)
    urge = town.event(case_id=reg.case_id, type=EventType.URGED, data={"note": "请抓紧办理"})
    accept = town.event(case_id=reg.case_id, type=EventType.ACCEPTED,
                        data={"note": "", "notify_channel": "on_spot"})
    r = town.sync(client, [urge, accept], bundles=[_bundle(village, [reg])], cursor=None)
    assert [(a["status"], a["code"]) for a in r.json()["acks"]] == [
        ("applied", None), ("rejected", "action_not_for_relation"), ("applied", None)]


def test_a_relayed_bundle_is_judged_with_the_village_as_actor(server):
    from .test_bundles_blobs import _bundle

    client, engine = server
    village = enrolled(client, engine, VILLAGE_A)
    town = enrolled(client, engine, TOWNSHIP)
    # the township may register for VILLAGE_B; the village whose bundle it relays may not
    planted = village.event(route=VILLAGE_B)
    r = town.sync(client, [], bundles=[_bundle(village, [planted])], cursor=None)
    assert r.json()["acks"][0]["code"] == "event_not_permitted"
    assert _stored(engine) == set()


def test_push_relayed_is_judged_per_event_as_the_registered_village(server):
    """A township's ``push.relayed`` (t4's relay wire): each record of a village's bundle
    passes the gate as the village the county enrolled (its stations row: server-assigned
    id and division), not as the township that carries it nor as the division the bundle's
    manifest claims; a bad record is refused alone and the village's later records apply."""
    from petition_core.protocol import RelayResult, write_bundle

    from .test_bundles_blobs import _manifest
    from .test_relayed import _parts

    client, engine = server
    village = enrolled(client, engine, VILLAGE_A)
    town = enrolled(client, engine, TOWNSHIP)
    good = village.event()
    planted = village.event(route=VILLAGE_B)      # the township may; the village may not
    poison = village.event(data={"petitioner": "张三"})
    later = village.event(case_id=good.case_id, type=EventType.ACCEPTED,
                          data={"note": "", "notify_channel": "on_spot"})
    evs = [good, planted, poison, later]
    # the manifest claims village B: the county judges by what it enrolled
    manifest = {**_manifest(village, 1, len(evs)), "station_code": VILLAGE_B}
    data = write_bundle(village.key, manifest, [e.to_wire() for e in evs])
    r = town.sync(client, relayed=[_parts(data)], compact=True, cursor=None)
    assert r.status_code == 200, r.text
    status = RelayResult.from_wire(r.json()["relayed"][0]).status_of(
        [e.to_wire() for e in evs])
    assert [(status[e.event_id].status, status[e.event_id].code) for e in evs] == [
        ("applied", None), ("rejected", "event_not_permitted"),
        ("rejected", "payload_invalid"), ("applied", None)]
    assert _stored(engine) == {good.event_id, later.event_id}
    assert count(engine, "voided_events") == 2


def test_a_usb_file_imported_at_the_county_is_judged_per_event_as_the_village(server, tmp_path):
    """``suqiu-server import-bundle`` (t4: the county imports a village's USB file) goes
    through the same gate per record as the village the county enrolled: a planted and a
    poisoned record are refused alone, the others are stored."""
    from petition_core.protocol import write_bundle
    from sync_server.services.bundle_import import import_file

    from .test_bundles_blobs import _manifest

    client, engine = server
    village = enrolled(client, engine, VILLAGE_A)
    good = village.event()
    planted = village.event(route=OTHER_VILLAGE)
    poison = village.event(data={"attachments": 3})
    later = village.event(case_id=good.case_id, type=EventType.PROGRESS, data={"note": "走访"})
    evs = [good, planted, poison, later]
    path = tmp_path / "village.bundle"
    path.write_bytes(write_bundle(village.key, _manifest(village, 1, len(evs)),
                                  [e.to_wire() for e in evs]))
    rep = import_file(engine, tmp_path / "blobs", path)
    assert [(a.status, a.code) for a in rep.acks] == [
        ("applied", None), ("rejected", "event_not_permitted"),
        ("rejected", "payload_invalid"), ("applied", None)]
    assert _stored(engine) == {good.event_id, later.event_id} and rep.next_seq == 5


def test_a_village_may_not_urge(server):
    client, engine = server
    village = enrolled(client, engine, VILLAGE_A)
    town = enrolled(client, engine, TOWNSHIP)
    reg = village.event()
    urge = village.event(case_id=reg.case_id, type=EventType.URGED)
    acks = village.sync(client, [reg, urge], cursor=None).json()["acks"]
    # the permission matrix: the handling unit does not urge its own case (and a
    # village's staff never urges: permissions.ROLE_ACTIONS)
    assert acks[1]["code"] == "action_not_for_relation"
    ok = town.event(case_id=reg.case_id, type=EventType.URGED)
    assert town.sync(client, [ok], cursor=None).json()["acks"][0]["status"] == "applied"


# ---- A2(c): blob planting and existence leaks ------------------------------------------
def test_blob_planting_is_refused_and_head_put_tell_nothing(server):
    client, engine = server
    a = enrolled(client, engine, VILLAGE_A)
    b = enrolled(client, engine, VILLAGE_B)
    photo = os.urandom(70_000)
    sha = hashlib.sha256(photo).hexdigest()
    assert _put(client, a, sha, photo, 0, len(photo)).status_code == 200
    reg = a.event(data={"attachments": [{"sha256": sha, "name": "现场.jpg",
                                         "size": len(photo)}]})
    assert a.sync(client, [reg], cursor=None).json()["acks"][0]["status"] == "applied"
    # B names A's photo in its own case: refused; GET stays forbidden
    plant = b.event(data={"attachments": [{"sha256": sha, "name": "x.jpg",
                                           "size": len(photo)}]})
    acks = b.sync(client, [plant], cursor=None).json()["acks"]
    assert acks[0]["code"] == "event_not_permitted" and "attachment" in acks[0]["detail"]
    assert _signed(client, b, "GET", sha).status_code == 403
    # HEAD answers exactly as for a blob that is not here
    unknown = hashlib.sha256(b"never uploaded").hexdigest()
    for s in (sha, unknown):
        r = _signed(client, b, "HEAD", s)
        assert (r.status_code, r.headers.get("X-Suqiu-Error")) == (404, "blob_not_found")
    # PUT of a first chunk answers exactly as for a new upload
    r1 = _put(client, b, sha, b"\0" * 1000, 0, len(photo))
    r2 = _put(client, b, unknown, b"\0" * 1000, 0, len(photo))
    assert r1.status_code == r2.status_code == 200
    assert r1.json() == {"sha256": sha, "size": 1000, "complete": False}
    assert r2.json() == {"sha256": unknown, "size": 1000, "complete": False}
    # a wrong rest fails at the end like any wrong file; B still may not read
    r = _put(client, b, sha, b"\0" * (len(photo) - 1000), 1000, len(photo))
    assert (r.status_code, r.json()["error"]) == (422, "blob_hash_mismatch")
    assert _signed(client, b, "GET", sha).status_code == 403
    assert (hashlib.sha256(_signed(client, a, "GET", sha).content).hexdigest()) == sha


def test_a_station_with_the_same_file_proves_it_and_may_name_it(server):
    """Two villages attach the same photo: the second uploads its own copy (compared with
    the stored bytes), then may name and read it — an honest collision is not planting."""
    client, engine = server
    a = enrolled(client, engine, VILLAGE_A)
    b = enrolled(client, engine, VILLAGE_B)
    photo = os.urandom(300_000)
    sha = hashlib.sha256(photo).hexdigest()
    assert _put(client, a, sha, photo, 0, len(photo)).status_code == 200
    assert _put(client, b, sha, photo[:200_000], 0, len(photo)).json()["complete"] is False
    r = _signed(client, b, "HEAD", sha)   # its own progress, for resuming
    assert (r.status_code, r.headers["X-Suqiu-Blob-Size"]) == (200, "200000")
    assert _put(client, b, sha, photo[200_000:], 200_000, len(photo)).json()["complete"]
    reg = b.event(data={"attachments": [{"sha256": sha, "name": "同一张.jpg",
                                         "size": len(photo)}]})
    assert b.sync(client, [reg], cursor=None).json()["acks"][0]["status"] == "applied"
    assert _signed(client, b, "GET", sha).content == photo


# ---- A3: content, with the intake form's codes ------------------------------------------
@pytest.mark.parametrize("data,code", [
    ({"petitioner": {"name": "张三", "id_number": "53092119800101001X"}}, "id_checksum"),
    ({"petitioner": {"name": "张三", "phone": "1380013"}}, "phone_invalid"),
    ({"summary": "土地\u202e纠纷"}, "control_chars"),
    ({"summary": "土地\x00纠纷"}, "control_chars"),
    ({"account": "长" * 5001}, "too_long"),
    ({"statute_type": "demand"}, "invalid_choice"),
    ({"received_at": "2026-02-30"}, "date_format"),
])
def test_content_is_refused_with_the_intake_forms_codes(server, data, code):
    client, engine = server
    village = enrolled(client, engine, VILLAGE_A)
    bad = village.event(data=data)
    acks = village.sync(client, [bad, village.event()], cursor=None).json()["acks"]
    assert acks[0]["code"] == code and acks[0]["detail"].endswith(":" + code)
    assert acks[1]["status"] == "applied" and bad.event_id not in _stored(engine)


def test_a_clock_a_day_ahead_is_not_refused(server):
    client, engine = server
    village = enrolled(client, engine, VILLAGE_A)
    ev = village.event(data=registration(VILLAGE_A, received_at="2026-11-29T08:00:00+08:00"))
    from dataclasses import replace

    ahead = replace(ev, occurred_at="2026-11-29T08:05:00+08:00")
    assert village.sync(client, [ahead], cursor=None).json()["acks"][0]["status"] == "applied"


def test_a_revived_voided_event_is_judged_again(server):
    """A voided event sent again with the same id is applied only if the gate accepts it
    now; a station that tries to slip a poison event through the voided seq cannot."""
    client, engine = server
    village = enrolled(client, engine, VILLAGE_A)
    bad = village.event(data={"petitioner": "张三"})
    assert village.sync(client, [bad], cursor=None).json()["acks"][0]["code"] == \
        "payload_invalid"
    again = village.sync(client, [bad], cursor=None).json()["acks"][0]
    assert (again["status"], again["code"]) == ("rejected", "payload_invalid")
    assert _stored(engine) == set()
