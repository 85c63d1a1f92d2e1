"""Offline bundles between real station stores: export, import, refusals, return bundles
that empty the village's outbox.  The stations are enrolled at a real county server (the
township checks a village's bundle against the county-signed register it got there)."""
from __future__ import annotations

import pytest

from petition_core import protocol as P
from station_app.sync import relay
from station_app.sync.bundles import BundleError, export_bundle, import_bundle, write_return_bundle
from station_app.sync.keys import StationKeys
from station_app.ui.messages import error_text  # the one table of words

from .conftest import engine
from .stations import event_ids, make_station, pending, register_cases


@pytest.fixture
def pair(station_factory, area):
    """An enrolled village, then its enrolled township (whose enrollment answer carries
    the village's register record)."""
    village = station_factory(area.villages[0], "洛党村")
    township = station_factory(area.township, "洛党镇")
    village.area = area
    return village, township


def _keys(st):
    return StationKeys.load_or_create(st.paths.keys_dir)


def test_export_import_is_idempotent_and_queues_relay(pair, tmp_path):
    village, township = pair
    ids = register_cases(village, 5)
    f = tmp_path / "v.bundle"
    assert export_bundle(village.store, _keys(village), f) == 5
    assert pending(village) == 5  # only the server's ack may empty the outbox

    r = import_bundle(township.store, township.paths, f)
    assert (r.kind, r.events, r.applied, r.duplicates, r.queued_for_relay) == (
        "push", 5, 5, 0, True)
    assert set(ids) <= event_ids(township)
    again = import_bundle(township.store, township.paths, f)
    assert (again.applied, again.duplicates, again.queued_for_relay) == (0, 5, False)
    assert len(relay.next_bundles(township.paths)) == 1
    assert pending(township) == 0  # relayed events are not the township's own outbox


def test_tampered_bundle_is_refused_and_nothing_written(pair, tmp_path):
    village, township = pair
    register_cases(village, 3)
    f = tmp_path / "v.bundle"
    export_bundle(village.store, _keys(village), f)
    bundle = P.read_bundle(f.read_bytes())
    # change one event's summary and re-pack with the ORIGINAL signature
    bundle.events[0]["payload"]["summary"] = "被篡改"
    body = P.canonical_json({"manifest": bundle.manifest, "events": bundle.events})
    f.write_bytes(P.BUNDLE_MAGIC + bundle.signature + P.compress(body))
    before = event_ids(township)
    with pytest.raises(BundleError) as exc:
        import_bundle(township.store, township.paths, f)
    assert exc.value.code == "bundle_bad_signature"
    assert "篡改" in error_text(exc.value.code)
    assert event_ids(township) == before
    assert relay.next_bundles(township.paths) == []


def test_garbage_and_truncated_files_are_refused(pair, tmp_path):
    village, township = pair
    register_cases(village, 2)
    good = tmp_path / "v.bundle"
    export_bundle(village.store, _keys(village), good)
    for name, data in (("junk", b"not a bundle"), ("cut", good.read_bytes()[:-20]),
                       ("empty", b"")):
        f = tmp_path / name
        f.write_bytes(data)
        with pytest.raises(BundleError) as exc:
            import_bundle(township.store, township.paths, f)
        assert exc.value.code == "bundle_malformed", name
    with pytest.raises(BundleError) as exc:
        import_bundle(township.store, township.paths, tmp_path / "missing.bundle")
    assert exc.value.code == "bundle_malformed"


def test_foreign_village_and_own_bundle_are_refused(pair, tmp_path, station_factory):
    village, township = pair
    stranger = station_factory(village.area.other_village, "别的镇的村")
    engine(township).sync_once()   # the township's register: its chain and its villages
    if True:
        register_cases(stranger, 1)
        f = tmp_path / "s.bundle"
        export_bundle(stranger.store, _keys(stranger), f)
        with pytest.raises(BundleError) as exc:
            import_bundle(township.store, township.paths, f)
        assert exc.value.code == "bundle_unknown_signer"
        assert "同步" in error_text(exc.value.code)
        # a village cannot import its own push bundle
        register_cases(village, 1)
        own = tmp_path / "own.bundle"
        export_bundle(village.store, _keys(village), own)
        with pytest.raises(BundleError) as exc:
            import_bundle(village.store, village.paths, own)
        assert exc.value.code == "bundle_own"


def test_a_key_other_than_the_registered_one_is_refused(pair, tmp_path):
    village, township = pair
    register_cases(village, 1)
    f = tmp_path / "a.bundle"
    export_bundle(village.store, _keys(village), f)
    import_bundle(township.store, township.paths, f)
    # someone makes a new key and signs a bundle claiming to be the same village
    (village.paths.keys_dir / "station_ed25519.pem").unlink()
    register_cases(village, 1)
    g = tmp_path / "b.bundle"
    export_bundle(village.store, _keys(village), g)
    with pytest.raises(BundleError) as exc:
        import_bundle(township.store, township.paths, g)
    assert exc.value.code == "bundle_bad_signature"


def test_export_with_nothing_pending_says_so(pair, tmp_path):
    village, _ = pair
    with pytest.raises(BundleError) as exc:
        export_bundle(village.store, _keys(village), tmp_path / "x.bundle")
    assert exc.value.code == "bundle_empty"
    assert not (tmp_path / "x.bundle").exists()


def test_return_bundle_carries_township_work_and_the_county_receipt(pair, tmp_path):
    village, township = pair
    villages = village.area.villages
    ids = register_cases(village, 4)
    f = tmp_path / "v.bundle"
    export_bundle(village.store, _keys(village), f)
    import_bundle(township.store, township.paths, f)
    # the township registers a case routed to this village, and one for another village
    routed = register_cases(township, 1, route=villages[0])
    elsewhere = register_cases(township, 1, route=villages[1])
    # the township relays the bundle: the county's answer carries its receipt
    assert engine(township).sync_once().relayed_bundles == 1
    # the county holds it: the file does not linger here, the receipt stays
    assert not list(relay.relay_dir(township.paths).rglob("*.bundle"))
    assert relay.acked_seqs(township.paths) == {village.station_id: 4}

    ret = tmp_path / "return.bundle"
    with pytest.raises(BundleError) as exc:
        write_return_bundle(township.store, _keys(township), township.paths, "nobody", ret)
    assert exc.value.code == "bundle_unknown_station"
    n = write_return_bundle(township.store, _keys(township), township.paths,
                            village.station_id, ret)
    assert n == 1          # the village's own events are not sent back to it
    r = import_bundle(village.store, village.paths, ret)
    assert (r.kind, r.applied, r.duplicates, r.acked_own) == ("return", 1, 0, 4)
    have = event_ids(village)
    assert set(routed) <= have and not set(elsewhere) & have
    assert set(ids) <= have
    assert pending(village) == 0
    # a return bundle for another station is refused
    other = make_station(tmp_path / "o", villages[1], "白云村")
    try:
        with pytest.raises(BundleError) as exc:
            import_bundle(other.store, other.paths, ret)
        assert exc.value.code == "bundle_not_for_us"
    finally:
        other.close()


def test_a_return_bundle_record_this_version_cannot_read_is_set_aside_not_lost(pair, tmp_path):
    """Higher levels run a newer version (or a record is poisoned): the rest of the file is
    imported and the record this version cannot read is kept aside, raw, with its reason
    (the sync page lists it; every sync tries it again, so an upgrade applies it).  Before,
    one such record refused the township's whole file: one bad record blocked the rest
    (issue 7 A1)."""
    from sqlalchemy import update

    from station_app.store.models import EventRow
    from station_app.store.pulled import list_pulled, retry_pulled

    village, township = pair
    f = tmp_path / "v.suqiu"
    register_cases(village, 1)
    export_bundle(village.store, _keys(village), f)
    import_bundle(township.store, township.paths, f)
    ids = register_cases(township, 2, route=village.area.villages[0])
    with township.store.session() as s:
        s.execute(update(EventRow).where(EventRow.event_id == ids[1])
                  .values(type="case.from_the_future"))
    ret = tmp_path / "r.suqiu"
    write_return_bundle(township.store, _keys(township), township.paths, village.station_id, ret)
    import_bundle(village.store, village.paths, ret)
    have = event_ids(village)
    assert ids[0] in have and ids[1] not in have
    with village.store.read() as s:
        kept = list_pulled(s)
    assert [(k.event_id, k.event_type) for k in kept] == [(ids[1], "case.from_the_future")]
    assert kept[0].code
    with village.store.session() as s:
        assert retry_pulled(s) == 0          # still unreadable by this version: kept
    with village.store.read() as s:
        assert len(list_pulled(s)) == 1
    assert pending(village) == 1


def test_a_poisoned_record_in_a_village_bundle_is_never_stored_at_the_township(pair, tmp_path):
    """Issue 7 A1: the township stores what its fold can take and relays the signed file
    whole (the county refuses the poisoned record at merge); before, the poisoned record
    was written into the township's database and broke its projection."""
    from petition_core.events import EventDraft, EventType
    from petition_core.ids import uuid7
    from station_app.store import append_events

    from .stations import registration

    village, township = pair
    good = register_cases(village, 2)
    with village.store.session() as s:
        [bad] = append_events(s, [EventDraft(uuid7(), EventType.REGISTERED,
                                             registration(village.division, petitioner="张三"),
                                             route=village.division)], "clerk")
    f = tmp_path / "v.bundle"
    assert export_bundle(village.store, _keys(village), f) == 3
    r = import_bundle(township.store, township.paths, f)
    assert (r.events, r.applied, r.queued_for_relay) == (2, 2, True)
    assert set(good) <= event_ids(township) and bad.event_id not in event_ids(township)
