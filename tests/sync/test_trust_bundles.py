"""Issue 7 B6/B7: USB files are trusted only as far as the county signed.

Real station folders enrolled at a real county server process; the attacker writes files
with ``petition_core.protocol.write_bundle`` exactly as a hostile township (or anyone with
a USB stick) could.

* a forged return bundle (fresh key, any parent, the village's id, ``acked_to_seq`` 10⁹,
  an event in the village's own name at seq 10¹², a ``refused`` map) changes nothing;
* a genuine township that lies (``acked_to_seq``, ``refused``, the village's own id) is
  ignored on those points: only a county-signed receipt empties the outbox;
* a fake "village" at a township (B's division, or B's station id with a fresh key) is
  refused, never listed, never written a return bundle, and cannot pre-empt B's key;
* the register travels with sync: a township takes a new village's bundle only after
  syncing, and stops taking a revoked village's bundles.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from petition_core import protocol as P
from petition_core.events import Event, EventType, make_payload
from petition_core.ids import uuid7
from station_app.services.sync_service import SyncService
from station_app.store.models import CounterRow, EventRow
from station_app.sync import relay
from station_app.sync.bundles import BundleError, export_bundle, import_bundle, write_return_bundle
from station_app.sync.keys import StationKeys
from station_app.ui.messages import error_text  # the one table of words

from .conftest import engine
from .stations import event_ids, make_station, pending, quarantined, register_cases


def _keys(st) -> StationKeys:  # type: ignore[no-untyped-def]
    return StationKeys.load_or_create(st.paths.keys_dir)


def _seq_counter(st) -> int:  # type: ignore[no-untyped-def]
    with st.store.read() as s:
        row = s.get(CounterRow, "station_seq")
        return row.value if row else 0


def _own_id_event(station_id: str, division: str) -> dict:
    """An event in the village's own name at station_seq 10¹²: stored, it would move the
    village's counter so far that the county refuses everything after as a gap."""
    return Event(event_id=uuid7(), case_id=uuid7(), station_id=station_id,
                 station_seq=10**12, type=EventType.REGISTERED.value, lamport=1,
                 actor="x", occurred_at="2026-11-28T09:00:00+08:00",
                 payload=make_payload({"summary": "伪造"}), payload_enc="json",
                 route=division).to_wire()


def _return_file(tmp_path, key, *, signer: str, signer_code: str, for_station: str,  # type: ignore[no-untyped-def]
                 events: list[dict], name: str = "evil.suqiu", **manifest) -> object:
    m = {"station_id": signer, "station_code": signer_code, "from_seq": 0, "to_seq": 0,
         "created": "2026-11-28T09:00:00+00:00", "kind": "return",
         "for_station": for_station, "public_key": P.public_key_b64(key), **manifest}
    f = tmp_path / name
    f.write_bytes(P.write_bundle(key, m, events))
    return f


@pytest.fixture
def chain(station_factory, area):
    """A township, then its village (the village's enrollment answer carries the
    township's register record), the village holding three unsent events."""
    township = station_factory(area.township, "洛党镇")
    village = station_factory(area.villages[0], "洛党村")
    register_cases(village, 3)
    return township, village, area


def _untouched(village, before_events, counter) -> None:  # type: ignore[no-untyped-def]
    assert pending(village) == 3
    assert quarantined(village) == []
    assert event_ids(village) == before_events
    assert _seq_counter(village) == counter


def test_forged_return_bundle_from_a_fresh_key_changes_nothing(chain, tmp_path):
    township, village, area = chain
    before, counter = event_ids(village), _seq_counter(village)
    with village.store.read() as s:
        victim = s.scalars(select(EventRow.event_id).order_by(EventRow.station_seq)).first()
    forged = P.new_private_key()
    evil_events = [_own_id_event(village.station_id, village.division)]
    for signer in (uuid7(), township.station_id):   # any parent, or the real one's id
        f = _return_file(tmp_path, forged, signer=signer, signer_code=area.township,
                         for_station=village.station_id, events=evil_events,
                         acked_to_seq=10**9, refused={victim: "event_malformed"})
        with pytest.raises(BundleError) as exc:
            import_bundle(village.store, village.paths, f)
        assert exc.value.code in ("bundle_unknown_signer", "bundle_bad_signature")
        _untouched(village, before, counter)
    # the outbox still goes up: nothing was lost
    assert engine(village).sync_once().applied == 3


def test_a_genuine_township_cannot_ack_refuse_or_speak_in_the_villages_name(chain, tmp_path):
    township, village, area = chain
    before, counter = event_ids(village), _seq_counter(village)
    with village.store.read() as s:
        victim = s.scalars(select(EventRow.event_id).order_by(EventRow.station_seq)).first()
    real_case = register_cases(township, 1, route=village.division)
    f = _return_file(tmp_path, _keys(township).private_key, signer=township.station_id,
                     signer_code=area.township, for_station=village.station_id,
                     events=[_own_id_event(village.station_id, village.division),
                             *[e for e in _township_events(township)]],
                     acked_to_seq=10**9, refused={victim: "event_malformed"})
    r = import_bundle(village.store, village.paths, f)
    assert r.acked_own == 0
    assert set(real_case) <= event_ids(village)          # the township's real work arrives
    _untouched(village, before | set(real_case), counter)
    assert engine(village).sync_once().applied == 3


def _township_events(township) -> list[dict]:  # type: ignore[no-untyped-def]
    from station_app.store.eventlog import case_events

    with township.store.read() as s:
        ids = s.scalars(select(EventRow.case_id)).all()
        return [e.to_wire() for cid in ids for e in case_events(s, cid)]


def test_only_a_county_receipt_for_this_village_empties_its_outbox(chain, station_factory,
                                                                    tmp_path):
    township, village, area = chain
    neighbour = station_factory(area.villages[1], "白云村")
    engine(township).sync_once()                   # the township learns the neighbour
    register_cases(neighbour, 2)
    usb = tmp_path / "n.suqiu"
    export_bundle(neighbour.store, _keys(neighbour), usb)
    import_bundle(township.store, township.paths, usb)
    assert engine(township).sync_once().relayed_bundles == 1
    theirs = relay.receipts(township.paths)[neighbour.station_id]
    assert theirs["receipt"]["acked_to_seq"] == 2
    # the township hands the neighbour's receipt to our village (or edits its numbers)
    tampered = {"receipt": {**theirs["receipt"], "station_id": village.station_id},
                "sig": theirs["sig"]}
    for receipt in (theirs, tampered):
        f = _return_file(tmp_path, _keys(township).private_key, signer=township.station_id,
                         signer_code=area.township, for_station=village.station_id,
                         events=[], receipt=receipt)
        assert import_bundle(village.store, village.paths, f).acked_own == 0
        assert pending(village) == 3


def test_a_fake_village_at_the_township_is_refused_and_never_listed(station_factory, area,
                                                                     tmp_path):
    township = station_factory(area.township, "洛党镇")
    real_b = station_factory(area.villages[1], "白云村")
    b_cases = register_cases(real_b, 2)
    engine(real_b).sync_once()
    engine(township).sync_once()                   # B's cases and B's register record
    assert set(b_cases) <= event_ids(township)
    before = event_ids(township)
    svc = SyncService(township.store, township.paths)
    assert [sid for sid, _ in svc.status().villages] == [real_b.station_id]

    # 1. a "village" claiming B's division (any id, its own key)
    fake = make_station(tmp_path / "fake", area.villages[1], "白云村")
    try:
        register_cases(fake, 2)
        usb = tmp_path / "fake.suqiu"
        export_bundle(fake.store, _keys(fake), usb)
        with pytest.raises(BundleError) as exc:
            import_bundle(township.store, township.paths, usb)
        assert exc.value.code == "bundle_unknown_signer" and "同步" in error_text(exc.value.code)
        assert event_ids(township) == before and relay.next_bundles(township.paths) == []
        assert [sid for sid, _ in svc.status().villages] == [real_b.station_id]
        ret = tmp_path / "for-fake.suqiu"
        with pytest.raises(BundleError) as exc:
            write_return_bundle(township.store, _keys(township), township.paths,
                                fake.station_id, ret)
        assert exc.value.code == "bundle_unknown_station" and not ret.exists()
    finally:
        fake.close()

    # 2. B's own station id with a fresh key, first: it cannot pre-empt B's key
    thief = make_station(tmp_path / "thief", area.villages[1], "白云村",
                         station_id=real_b.station_id)
    try:
        register_cases(thief, 1)
        usb = tmp_path / "thief.suqiu"
        export_bundle(thief.store, _keys(thief), usb)
        with pytest.raises(BundleError) as exc:
            import_bundle(township.store, township.paths, usb)
        assert exc.value.code == "bundle_bad_signature"
        assert event_ids(township) == before
    finally:
        thief.close()
    more = register_cases(real_b, 1)
    usb = tmp_path / "b.suqiu"
    export_bundle(real_b.store, _keys(real_b), usb)
    assert import_bundle(township.store, township.paths, usb).applied == 1
    assert set(more) <= event_ids(township)


def test_the_register_travels_with_sync_and_a_revoked_village_is_refused(
        server, station_factory, area, tmp_path):
    township = station_factory(area.township, "洛党镇")
    village = station_factory(area.villages[2], "后来的村")   # enrolled after the township
    register_cases(village, 1)
    usb = tmp_path / "v.suqiu"
    export_bundle(village.store, _keys(village), usb)
    with pytest.raises(BundleError) as exc:
        import_bundle(township.store, township.paths, usb)
    assert exc.value.code == "bundle_unknown_signer"
    engine(township).sync_once()
    assert import_bundle(township.store, township.paths, usb).applied == 1

    server.revoke(village.station_id)
    engine(township).sync_once()                   # the record, now revoked, comes down
    register_cases(village, 1)
    usb2 = tmp_path / "v2.suqiu"
    export_bundle(village.store, _keys(village), usb2)
    with pytest.raises(BundleError) as exc:
        import_bundle(township.store, township.paths, usb2)
    assert exc.value.code == "bundle_signer_revoked"


def test_a_return_bundle_carries_what_the_village_needs_to_check_its_township(
        station_factory, area, tmp_path):
    """A village enrolled before its township never saw the township's record online: the
    return bundle carries it, signed by the county, and the village checks it."""
    village = station_factory(area.villages[3], "早登记的村")
    township = station_factory(area.township, "洛党镇")
    register_cases(village, 2)
    usb = tmp_path / "v.suqiu"
    export_bundle(village.store, _keys(village), usb)
    import_bundle(township.store, township.paths, usb)
    engine(township).sync_once()
    ret = tmp_path / "r.suqiu"
    write_return_bundle(township.store, _keys(township), township.paths, village.station_id,
                        ret)
    assert import_bundle(village.store, village.paths, ret).acked_own == 2
    assert pending(village) == 0


def test_a_register_record_not_signed_by_the_county_is_not_trusted(chain, tmp_path):
    """A forged "township" ships its own record (signed with its own key) in the file."""
    township, village, area = chain
    fake_key = P.new_private_key()
    fake_id = uuid7()
    record = P.RegisterRecord(
        issuer=_county_id(village), station_id=fake_id, station_no=1, division=area.township,
        level=4, name="假乡镇", public_key=P.public_key_b64(fake_key), epoch=1,
        status=P.ACTIVE, kind=P.KIND_STATION, rev=10**9, issued="2026-11-28T09:00:00+00:00")
    forged_record = P.sign_record(fake_key, record)
    genuine = _township_record(village, township)
    tampered = {"record": {**genuine["record"], "public_key": P.public_key_b64(fake_key),
                           "rev": 10**9}, "sig": genuine["sig"]}
    for signer, rec in ((fake_id, forged_record), (township.station_id, tampered)):
        f = _return_file(tmp_path, fake_key, signer=signer, signer_code=area.township,
                         for_station=village.station_id, events=[], register=[rec],
                         acked_to_seq=10**9)
        with pytest.raises(BundleError) as exc:
            import_bundle(village.store, village.paths, f)
        assert exc.value.code in ("bundle_unknown_signer", "bundle_bad_signature")
    assert pending(village) == 3
    assert _township_record(village, township) == genuine    # the county's record stands


def _county_id(st) -> str:  # type: ignore[no-untyped-def]
    from station_app.sync.trust import load_trust

    with st.store.read() as s:
        return load_trust(s).server_id


def _township_record(village, township) -> dict:  # type: ignore[no-untyped-def]
    """The township's register record as the village holds it."""
    import json

    from station_app.store.models import RegisterRow

    with village.store.read() as s:
        row = s.get(RegisterRow, township.station_id)
        return {"record": json.loads(row.record), "sig": row.sig}
