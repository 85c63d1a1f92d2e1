"""SyncRequest / SyncResponse round trips and their refusals (the optional fields included)."""
from __future__ import annotations

import pytest

from petition_core.protocol import Ack, ProtocolError, SyncRequest, SyncResponse


def test_request_round_trip_keeps_own_through_and_omits_it_when_zero():
    req = SyncRequest(events=[], cursor=7, limit=50, own_through=12)
    wire = req.to_wire()
    assert wire["pull"] == {"cursor": 7, "limit": 50, "own_through": 12}
    assert SyncRequest.from_wire(wire).own_through == 12
    assert "own_through" not in SyncRequest(cursor=0).to_wire()["pull"]
    assert SyncRequest.from_wire({"pull": {"cursor": 3}}).own_through == 0


@pytest.mark.parametrize("value", [-1, "5", 1.5, True, 2**63])
def test_request_refuses_a_bad_own_through(value):
    with pytest.raises(ProtocolError) as err:
        SyncRequest.from_wire({"pull": {"cursor": 0, "own_through": value}})
    assert err.value.code == "body_malformed"


def test_response_round_trip_with_and_without_next_seq():
    resp = SyncResponse([Ack("e1", "applied")], [], 9, False, next_seq=4)
    back = SyncResponse.from_wire(resp.to_wire())
    assert (back.next_seq, back.cursor, back.acks) == (4, 9, [Ack("e1", "applied", None)])
    plain = SyncResponse([], [], 0, False).to_wire()
    assert "next_seq" not in plain and SyncResponse.from_wire(plain).next_seq is None


@pytest.mark.parametrize("value", [0, -2, "3", 2.0, True])
def test_response_refuses_a_bad_next_seq(value):
    with pytest.raises(ValueError):
        SyncResponse.from_wire({"acks": [], "pull": {}, "next_seq": value})


def test_own_runs_expand_to_the_batch_and_bad_runs_are_refused():
    from types import SimpleNamespace as Ev

    resp = SyncResponse.from_wire({"acks": [{"event_id": "b", "status": "applied"}],
                                   "pull": {},
                                   "own_acks": [[1, 2, "duplicate"], [4, 4, "applied"]]})
    batch = [Ev(event_id="e1", station_seq=1), Ev(event_id="e2", station_seq=2),
             Ev(event_id="e3", station_seq=3), Ev(event_id="e4", station_seq=4)]
    assert resp.acks_for(batch) == [Ack("e1", "duplicate"), Ack("e2", "duplicate"),
                                    Ack("e4", "applied"), Ack("b", "applied")]
    for bad in ([[2, 1, "applied"]], [[0, 1, "applied"]], [[1, 2, "rejected"]],
                [[1, "2", "applied"]], [[1, 2]], ["x"], [[True, 2, "applied"]]):
        with pytest.raises(ValueError):
            SyncResponse.from_wire({"acks": [], "pull": {}, "own_acks": bad})
    with pytest.raises(ProtocolError):
        SyncRequest.from_wire({"push": {"events": [], "compact_acks": "yes"}})


def test_relayed_bundles_and_held_travel_and_come_back_unchanged():
    from petition_core.protocol import canonical_json

    body = canonical_json({"manifest": {"station_id": "v1"}, "events": [{"k": "\"引号\""}]})
    req = SyncRequest(cursor=0, relayed=[(b"\x01" * 64, body)], held={"v1": 20, "v2": 0})
    wire = req.to_wire()
    assert "bundles" not in wire["push"] and wire["pull"]["held"] == {"v1": 20, "v2": 0}
    back = SyncRequest.from_wire(wire)
    assert back.relayed == [(b"\x01" * 64, body)] and back.held == {"v1": 20, "v2": 0}
    assert "held" not in SyncRequest(cursor=0).to_wire()["pull"]


def test_relay_results_expand_runs_but_an_explicit_ack_wins():
    from petition_core.protocol import RelayResult

    events = [{"event_id": f"e{i}", "station_seq": i} for i in (1, 2, 3)] + [
        {"event_id": "twin", "station_seq": 2}, "junk", {"event_id": "x", "station_seq": "4"}]
    res = RelayResult(runs=[(1, 3, "applied")], acks=[Ack("twin", "rejected", "seq_conflict")])
    status = res.status_of(events)
    assert {k: (a.status, a.code) for k, a in status.items()} == {
        "e1": ("applied", None), "e2": ("applied", None), "e3": ("applied", None),
        "twin": ("rejected", "seq_conflict")}
    resp = SyncResponse([], [], 0, False, relayed=[res, RelayResult(refused="bundle_foreign")])
    back = SyncResponse.from_wire(resp.to_wire())
    assert back.relayed == [RelayResult(None, [(1, 3, "applied")],
                                        [Ack("twin", "rejected", "seq_conflict")]),
                            RelayResult(refused="bundle_foreign")]
    for bad in ({"relayed": {"a": 1}}, {"relayed": ["x"]}, {"relayed": [{"refused": 3}]},
                {"relayed": [{"runs": [[2, 1, "applied"]]}]}):
        with pytest.raises(ValueError):
            SyncResponse.from_wire({"acks": [], "pull": {}, **bad})


def test_the_reference_cursor_and_records_round_trip():
    """Issue 9 (decisions/0009): ``pull.reference_cursor`` and the answer's ``reference``."""
    req = SyncRequest(cursor=3, reference_cursor=12)
    assert req.to_wire()["pull"]["reference_cursor"] == 12
    assert SyncRequest.from_wire(req.to_wire()).reference_cursor == 12
    assert "reference_cursor" not in SyncRequest(cursor=0).to_wire()["pull"]
    for bad in (-1, True, "3", 2**63):
        with pytest.raises(ProtocolError) as exc:
            SyncRequest.from_wire({"push": {}, "pull": {"cursor": 0, "reference_cursor": bad}})
        assert exc.value.code == "body_malformed"
    resp = SyncResponse([], [], 0, False, reference=[{"reference": {}, "sig": "x"}],
                        reference_cursor=7)
    back = SyncResponse.from_wire(resp.to_wire())
    assert (back.reference, back.reference_cursor) == ([{"reference": {}, "sig": "x"}], 7)
    assert "reference" not in SyncResponse([], [], 0, False).to_wire()
    for bad in ({"records": [], "cursor": -1}, {"records": "x", "cursor": 1}, [1]):
        with pytest.raises(ValueError):
            SyncResponse.from_wire({"reference": bad})


def test_reference_records_verify_only_with_the_county_key():
    from petition_core import protocol as P

    key, other = P.new_private_key(), P.new_private_key()
    rec = P.ReferenceRecord("srv", P.REF_UNIT, "530921000000.mz", 1, {"name": "x"}, "t")
    signed = P.sign_reference(key, rec)
    assert P.verify_reference(signed, P.public_key_b64(key), issuer="srv") == rec
    for s, pub, issuer in ((signed, P.public_key_b64(other), "srv"),
                           (signed, P.public_key_b64(key), "another"),
                           ({**signed, "sig": "AAAA"}, P.public_key_b64(key), "srv"),
                           ({"reference": {**signed["reference"], "rev": 2}, "sig": signed["sig"]},
                            P.public_key_b64(key), "srv")):
        with pytest.raises(ProtocolError) as exc:
            P.verify_reference(s, pub, issuer=issuer)
        assert exc.value.code == "reference_bad_signature"
    # a register record's signature is not a reference record's (its own magic)
    odd = P.sign_reference(key, P.ReferenceRecord("srv", "unit", "k", 1, {}, ""))
    with pytest.raises(ProtocolError):
        P.verify_record({"record": odd["reference"], "sig": odd["sig"]}, P.public_key_b64(key))
    bad_kind = P.sign_reference(key, P.ReferenceRecord("srv", "nonsense", "k", 1, {}, ""))
    with pytest.raises(ProtocolError) as exc:
        P.verify_reference(bad_kind, P.public_key_b64(key), issuer="srv")
    assert exc.value.code == "reference_malformed"
