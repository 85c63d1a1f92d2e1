"""``push.relayed`` (a township forwarding its villages' bundles as signature + signed body)
and ``pull.held`` (leaving out what the puller already holds), on SQLite and PostgreSQL."""
from __future__ import annotations

import pytest

from petition_core.protocol import (
    MAX_PULL_HELD,
    MAX_PUSH_RELAYED,
    ProtocolError,
    encode_body,
    read_bundle,
    write_bundle,
)
from sync_server.services.merge import import_bundle
from sync_server.services.stations import revoke

from .helpers import (
    OTHER_TOWNSHIP,
    TOWNSHIP,
    VILLAGE_A,
    VILLAGE_B,
    Station,
    counts,
    enrolled,
    ident,
)
from .test_bundles_blobs import _bundle
from .test_wire_refusals import _refused, _signed_raw


def _parts(data: bytes) -> tuple[bytes, bytes]:
    b = read_bundle(data)
    return b.signature, b.body


def _ids(resp) -> list[str]:  # type: ignore[no-untyped-def]
    return [e["event_id"] for e in resp.json()["pull"]["events"]]


def test_relayed_bundles_merge_and_are_acknowledged_as_seq_runs(server):
    client, engine = server
    a, b = enrolled(client, engine, VILLAGE_A), enrolled(client, engine, VILLAGE_B)
    town = enrolled(client, engine, TOWNSHIP)
    ea, eb = a.events(3), b.events(2)
    relayed = [_parts(_bundle(a, ea)), _parts(_bundle(b, eb))]
    r = town.sync(client, town.events(1), relayed=relayed, compact=True, own_through=1)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["relayed"] == [{"runs": [[1, 3, "applied"]]}, {"runs": [[1, 2, "applied"]]}]
    assert body["acks"] == [] and body["own_acks"] == [[1, 1, "applied"]]
    # without pull.held the relayed records come straight back to the township
    assert len(_ids(r)) == 5
    again = town.sync(client, relayed=relayed, held={a.station_id: 3, b.station_id: 2},
                      own_through=1)
    assert again.json()["relayed"] == [{"runs": [[1, 3, "duplicate"]]},
                                      {"runs": [[1, 2, "duplicate"]]}]
    assert _ids(again) == []


def test_pull_held_leaves_out_exactly_what_is_held(server):
    client, engine = server
    a, b = enrolled(client, engine, VILLAGE_A), enrolled(client, engine, VILLAGE_B)
    town = enrolled(client, engine, TOWNSHIP)
    ea, eb = a.events(3), b.events(2)
    a.sync(client, ea, cursor=None)
    b.sync(client, eb, cursor=None)
    r = town.sync(client, held={a.station_id: 2, "no-such-station": 9})
    assert _ids(r) == [ea[2].event_id] + [e.event_id for e in eb]
    assert r.json()["pull"]["more"] is False
    # held never widens what a station may see: another township gets nothing of it
    other = enrolled(client, engine, OTHER_TOWNSHIP)
    assert _ids(other.sync(client, held={a.station_id: 0})) == []


def test_relayed_refusals_write_nothing_and_say_why(server):
    client, engine = server
    a = enrolled(client, engine, VILLAGE_A)
    town = enrolled(client, engine, TOWNSHIP)
    other_town = enrolled(client, engine, OTHER_TOWNSHIP)
    sig, body = _parts(_bundle(a, a.events(2)))
    before = counts(engine)
    tampered = body.replace("诉求".encode(), "篡改".encode(), 1)
    stranger = Station(VILLAGE_A)
    foreign_event = _parts(_bundle(a, [Station(VILLAGE_A).event()]))
    r = town.sync(client, relayed=[(sig, tampered), (sig[:10], body),
                                   (sig, b'{"manifest": 1}'), (sig, b"not json"),
                                   _parts(_bundle(stranger, stranger.events(1))),
                                   foreign_event], cursor=None)
    rel = r.json()["relayed"]
    assert [x.get("refused") for x in rel] == [
        "bundle_bad_signature", "bundle_malformed", "bundle_malformed", "bundle_malformed",
        "bundle_foreign", None]
    assert [a_["code"] for a_ in rel[5]["acks"]] == ["event_foreign_station"]
    assert rel[5]["runs"] == []
    r = other_town.sync(client, relayed=[(sig, body)], cursor=None)
    assert r.json()["relayed"] == [{"refused": "bundle_foreign"}]
    assert counts(engine)["events"] == before["events"]


def test_a_revoked_village_s_bundle_is_refused_as_revoked(server):
    client, engine = server
    a = enrolled(client, engine, VILLAGE_A)
    town = enrolled(client, engine, TOWNSHIP)
    data = _bundle(a, a.events(1))
    revoke(engine, a.station_id, ident(client))
    r = town.sync(client, relayed=[_parts(data)], cursor=None)
    assert r.json()["relayed"] == [{"refused": "bundle_station_revoked"}]
    with pytest.raises(ProtocolError) as err:
        import_bundle(engine, data)
    assert err.value.code == "bundle_station_revoked"


@pytest.mark.parametrize("push,pull,status", [
    ({"relayed": {"sig": "", "body": ""}}, None, 400),
    ({"relayed": [["sig", "body"]]}, None, 400),
    ({"relayed": [{"sig": "not base64!", "body": "{}"}]}, None, 400),
    ({"relayed": [{"sig": "AAAA", "body": 5}]}, None, 400),
    ({"relayed": [{"sig": "AAAA", "body": "{}"}] * (MAX_PUSH_RELAYED + 1)}, None, 413),
    ({}, {"cursor": 0, "held": [["a", 1]]}, 400),
    ({}, {"cursor": 0, "held": {"a": -1}}, 400),
    ({}, {"cursor": 0, "held": {"a": True}}, 400),
    ({}, {"cursor": 0, "held": {"": 1}}, 400),
    ({}, {"cursor": 0, "held": {"x" * 65: 1}}, 400),
    ({}, {"cursor": 0, "held": {f"s{i}": 1 for i in range(MAX_PULL_HELD + 1)}}, 413),
])
def test_malformed_relayed_and_held_are_refused_before_any_work(server, push, pull, status):
    client, engine = server
    town = enrolled(client, engine, TOWNSHIP)
    before = counts(engine)
    r = _signed_raw(client, town, encode_body({"push": push, "pull": pull}))
    _refused(r, status, "body_malformed" if status == 400 else "body_too_large")
    assert counts(engine)["events"] == before["events"]


def test_old_townships_whole_files_still_work(server):
    """``push.bundles`` (whole files, base64) stays accepted for townships not updated."""
    client, engine = server
    a = enrolled(client, engine, VILLAGE_A)
    town = enrolled(client, engine, TOWNSHIP)
    evs = a.events(2)
    r = town.sync(client, bundles=[write_bundle(a.key, {
        "station_id": a.station_id, "station_code": a.division, "from_seq": 1, "to_seq": 2,
        "created": "2026-11-28T10:00:00+08:00", "kind": "push", "for_station": None},
        [e.to_wire() for e in evs])], cursor=None)
    assert [x["status"] for x in r.json()["acks"]] == ["applied", "applied"]
    assert "relayed" not in r.json()


def test_the_county_signs_a_receipt_for_each_village_relayed_in_either_form(server):
    """Issue 7 decision 7 with the relay wire of t4: a village empties its outbox only on a
    receipt its county signed, so every accepted bundle — forwarded as ``push.relayed`` or
    as a whole file in ``push.bundles`` — gets one in the answer; a refused one gets none.
    The receipt says how far the county holds the village (its contiguous high seq, voided
    seqs included) and which of its events the county refused."""
    from dataclasses import replace

    from petition_core.protocol import verify_receipt

    client, engine = server
    county = ident(client)
    a, b = enrolled(client, engine, VILLAGE_A), enrolled(client, engine, VILLAGE_B)
    c = enrolled(client, engine, OTHER_TOWNSHIP[:9] + "201")    # outside the township
    town = enrolled(client, engine, TOWNSHIP)
    ea = a.events(2)
    odd = a.event()
    ea.append(replace(odd, type="case.from_the_future"))   # voided at the county
    eb = b.events(2)
    r = town.sync(client, relayed=[_parts(_bundle(a, ea)), _parts(_bundle(c, c.events(1)))],
                  bundles=[_bundle(b, eb)], cursor=None)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["relayed"][1] == {"refused": "bundle_foreign"}
    got = {s["receipt"]["station_id"]: s for s in body["receipts"]}
    assert set(got) == {a.station_id, b.station_id}          # none for the refused bundle
    ra = verify_receipt(got[a.station_id], county.public_key, server_id=county.server_id,
                        station_id=a.station_id)
    assert (ra.acked_to_seq, ra.refused) == (3, {odd.event_id: "event_unknown_type"})
    rb = verify_receipt(got[b.station_id], county.public_key, server_id=county.server_id,
                        station_id=b.station_id)
    assert (rb.acked_to_seq, rb.refused) == (2, {})
    # a township pushing only its own events gets no receipts
    assert "receipts" not in town.sync(client, town.events(1), cursor=None).json()


def test_held_is_not_honoured_where_the_county_refused_what_the_relay_holds(server):
    """``pull.held`` makes the county leave out what the township says it holds.  A
    township holds a village's events because it stored them at import, after checking the
    signer against the register; where the county refuses exactly those (a bundle refused
    as a whole, or events in whose place the county holds others: ``seq_conflict``), the
    claim is not honoured in that answer, so the county's own records come down and the
    township meets the conflict instead of never seeing it."""
    client, engine = server
    a, b = enrolled(client, engine, VILLAGE_A), enrolled(client, engine, VILLAGE_B)
    town = enrolled(client, engine, TOWNSHIP)
    real = a.events(2)
    assert a.sync(client, real, cursor=None).status_code == 200
    a.seq = 0
    other = a.events(2)          # the same seqs, other events (e.g. a restored village PC)
    gone = b.events(1)
    assert b.sync(client, gone, cursor=None).status_code == 200
    revoke(engine, b.station_id, ident(client))
    late = b.events(1)
    r = town.sync(client, relayed=[_parts(_bundle(a, other)), _parts(_bundle(b, late))],
                  held={a.station_id: 2, b.station_id: 2})
    body = r.json()
    assert [x["code"] for x in body["relayed"][0]["acks"]] == ["seq_conflict"] * 2
    assert body["relayed"][1] == {"refused": "bundle_station_revoked"}
    assert set(_ids(r)) == {e.event_id for e in real + gone}
    # where nothing was contradicted, held still leaves out what the township holds
    again = town.sync(client, held={a.station_id: 2, b.station_id: 1})
    assert _ids(again) == []
