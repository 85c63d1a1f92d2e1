"""County-signed register records and receipts (petition_core/protocol/register.py)."""
from __future__ import annotations

import pytest

from petition_core import protocol as P


def _record(**over) -> P.RegisterRecord:
    key = P.new_private_key()
    base = dict(issuer="srv", station_id="st-1", station_no=2, division="530921108203",
                level=5, name="鹿鸣村", public_key=P.public_key_b64(key), epoch=1,
                status=P.ACTIVE, kind=P.KIND_STATION, rev=3, issued="2026-11-28T00:00:00+00:00")
    return P.RegisterRecord(**{**base, **over})


def test_a_record_verifies_only_with_the_county_key_and_unchanged():
    county, other = P.new_private_key(), P.new_private_key()
    signed = P.sign_record(county, _record())
    assert P.verify_record(signed, P.public_key_b64(county), issuer="srv") == _record(
        public_key=signed["record"]["public_key"])
    with pytest.raises(P.ProtocolError) as exc:
        P.verify_record(signed, P.public_key_b64(other))
    assert exc.value.code == "register_bad_signature"
    with pytest.raises(P.ProtocolError):
        P.verify_record(signed, P.public_key_b64(county), issuer="another-server")
    for field, value in (("division", "530921108204"), ("status", P.REVOKED), ("epoch", 2),
                         ("public_key", P.public_key_b64(other))):
        forged = {"record": {**signed["record"], field: value}, "sig": signed["sig"]}
        with pytest.raises(P.ProtocolError):
            P.verify_record(forged, P.public_key_b64(county))


def test_malformed_records_are_refused_even_when_signed():
    county = P.new_private_key()
    for bad in ({"division": "5309"}, {"status": "maybe"}, {"epoch": 0},
                {"kind": P.KIND_UPSTREAM}, {"public_key": "bm90IGEga2V5"}):
        rec = _record()
        d = {**rec.to_dict(), **bad}
        signed = {"record": d, "sig": P.sign_record(county, rec)["sig"]}
        # re-sign the bad dict as the county would (the shape check still refuses it)
        import base64

        signed["sig"] = base64.b64encode(county.sign(
            b"SUQIU-REGISTER/1\n" + P.canonical_json(d))).decode()
        with pytest.raises(P.ProtocolError) as exc:
            P.verify_record(signed, P.public_key_b64(county))
        assert exc.value.code == "register_malformed", bad


def test_a_receipt_is_bound_to_its_station_and_server_and_not_a_record():
    county = P.new_private_key()
    pub = P.public_key_b64(county)
    r = P.Receipt("srv", "st-1", 41, {"ev-9": "event_malformed"}, "2026-11-28T00:00:00+00:00")
    signed = P.sign_receipt(county, r)
    assert P.verify_receipt(signed, pub, server_id="srv", station_id="st-1") == r
    for kw in ({"server_id": "srv", "station_id": "st-2"},
               {"server_id": "other", "station_id": "st-1"}):
        with pytest.raises(P.ProtocolError) as exc:
            P.verify_receipt(signed, pub, **kw)
        assert exc.value.code == "receipt_invalid"
    raised = {"receipt": {**signed["receipt"], "acked_to_seq": 10**9}, "sig": signed["sig"]}
    with pytest.raises(P.ProtocolError):
        P.verify_receipt(raised, pub, server_id="srv", station_id="st-1")
    # a record's signature never passes as a receipt's (distinct magic lines)
    rec = P.sign_record(county, _record())
    with pytest.raises(P.ProtocolError):
        P.verify_receipt({"receipt": rec["record"], "sig": rec["sig"]}, pub, server_id="srv",
                         station_id="st-1")


def test_chain_and_subtree():
    assert P.on_chain_or_below("530921108000", "530921108203")       # its township
    assert P.on_chain_or_below("530921000000", "530921108203")       # its county
    assert P.on_chain_or_below("530921108203", "530921108000")       # a township's village
    assert not P.on_chain_or_below("530921108204", "530921108203")   # a neighbour
    assert not P.on_chain_or_below("530921101000", "530921108203")   # another township


def test_sync_messages_carry_the_register_and_receipts():
    req = P.SyncRequest(register_cursor=5, register=[{"record": {}, "sig": "x"}])
    back = P.SyncRequest.from_wire(req.to_wire())
    assert (back.register_cursor, back.register) == (5, [{"record": {}, "sig": "x"}])
    for bad in ({"pull": {"register_cursor": -1}}, {"pull": {"register_cursor": True}},
                {"push": {"register": "x"}}, {"push": {"register": [1]}}):
        with pytest.raises(P.ProtocolError):
            P.SyncRequest.from_wire(bad)
    resp = P.SyncResponse([], [], 0, False, receipts=[{"receipt": {}, "sig": "s"}],
                          register=[{"record": {}, "sig": "s"}], register_cursor=9,
                          register_refused={"st": "register_claimed"})
    back2 = P.SyncResponse.from_wire(resp.to_wire())
    assert (back2.receipts, back2.register, back2.register_cursor, back2.register_refused) == (
        resp.receipts, resp.register, 9, {"st": "register_claimed"})
    with pytest.raises(ValueError):
        P.SyncResponse.from_wire({"register": {"records": [], "cursor": "x"}})


def test_a_department_record_names_its_unit_and_a_centre_record_stays_as_it_was():
    """县民政局's station is registered with its unit, so that every server above judges its
    relayed events as 县民政局 (not as the county centre); a centre's record carries no
    ``unit`` key at all, so records signed before stay valid byte for byte."""
    county = P.new_private_key()
    centre = _record(division="530921000000", level=3)
    assert "unit" not in centre.to_dict()
    mz = _record(division="530921000000", level=3, unit="530921000000.mz")
    signed = P.sign_record(county, mz)
    assert signed["record"]["unit"] == "530921000000.mz"
    assert P.verify_record(signed, P.public_key_b64(county)).unit == "530921000000.mz"
    for bad in ("530921108000.sfs",      # a department of another division
                "530921000000",          # a centre is not a department
                "530921000000.MZ", "县民政局", 7):
        rec = _record(division="530921000000", level=3, unit=bad)
        with pytest.raises(P.ProtocolError) as exc:
            P.verify_record(P.sign_record(county, rec), P.public_key_b64(county))
        assert exc.value.code == "register_malformed", bad
