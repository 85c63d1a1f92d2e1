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
    assert (r.kind, r.events, r.applied, r.duplicates, r.queued_for_relay) == ("push", 5, 5, 0, True)
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


def test_a_return_bundle_this_version_cannot_read_is_refused_whole(pair, tmp_path):
    """Higher levels run a newer version: the village is told to upgrade and imports
    nothing (skipping the record would lose it for good)."""
    from sqlalchemy import update

    from station_app.store.models import EventRow

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
    before = event_ids(village)
    with pytest.raises(BundleError) as err:
        import_bundle(village.store, village.paths, ret)
    assert err.value.code == "pull_event_invalid" and "升级" in error_text(err.value.code)
    assert event_ids(village) == before and pending(village) == 1
