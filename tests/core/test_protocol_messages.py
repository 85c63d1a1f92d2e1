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
