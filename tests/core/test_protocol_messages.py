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
