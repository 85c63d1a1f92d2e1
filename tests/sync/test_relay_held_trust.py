"""``pull.held`` (the township leaves out of its pull what it holds of the villages it
relays) meets the trust model: the claim never hides the county's records where the county
refused what the township holds (merge of t2-trust with t4-relay).  A real server process,
real village and township stores."""
from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select

from petition_core import protocol as P
from petition_core.ids import uuid7
from station_app.store.models import EventRow
from station_app.sync import packing, relay
from station_app.sync.bundles import _row_event, import_bundle
from station_app.sync.identity import load_identity
from station_app.sync.keys import StationKeys
from station_app.sync.transport import SyncError

from .conftest import engine
from .stations import event_ids, register_cases


def _other_events_in_the_same_places(village, path) -> list[str]:  # type: ignore[no-untyped-def]
    """A USB file signed with the village's real key whose events take the seqs the county
    already holds other events at (a village PC restored from an old backup numbering
    again, or a stolen key): the township's register check passes, the county refuses
    them as ``seq_conflict``."""
    with village.store.read() as s:
        rows = s.scalars(select(EventRow).where(EventRow.station_id == village.station_id)
                         .order_by(EventRow.station_seq)).all()
        evs = [dataclasses.replace(_row_event(r), event_id=uuid7()) for r in rows]
    manifest = {"station_id": village.station_id, "station_code": village.division,
                "from_seq": evs[0].station_seq, "to_seq": evs[-1].station_seq,
                "created": "2026-11-30T09:00:00+00:00", "kind": "push", "for_station": None}
    keys = StationKeys.load_or_create(village.paths.keys_dir)
    path.write_bytes(P.write_bundle(keys.private_key, manifest, [e.to_wire() for e in evs]))
    return [e.event_id for e in evs]


def test_held_never_hides_the_county_s_records_where_it_refused_what_the_township_holds(
        server, station_factory, area, tmp_path):
    """Before: the township named the village in ``pull.held`` with the seqs it held, so
    the county left its own, different records out of every pull: the township kept the
    refused ones for good, showed them and handed them on in return bundles, and nobody
    saw the conflict.  Now the county does not honour the claim in the answer that refused
    them, the township stops making it from the first refused seq (``relay.contradicted``)
    also in the later requests of a pull cut into pieces, and the conflict stops the sync
    for a person (``pull_conflict``), as a conflict pulled from the county always does."""
    before = station_factory(area.villages[1], "先上报的村")
    filler = register_cases(before, 3)        # earlier positions: the pull comes in pieces
    engine(before).sync_once()
    village = station_factory(area.villages[0], "洛党村")
    real = register_cases(village, 2)
    engine(village).sync_once()               # the county holds the real events
    usb = tmp_path / "v.suqiu"
    forged = _other_events_in_the_same_places(village, usb)
    township = station_factory(area.township, "洛党镇")
    assert import_bundle(township.store, township.paths, usb).queued_for_relay
    assert set(forged) <= event_ids(township)
    with pytest.raises(SyncError) as exc:
        engine(township, pull_limit=1).sync_once()
    assert exc.value.code == "pull_conflict"
    assert relay.contradicted(township.paths) == {village.station_id: 1}
    assert set(filler) <= event_ids(township) and not set(real) & event_ids(township)
    # from here on the township never claims to hold that village's records
    ident = load_identity(township.store)
    with township.store.read() as s:
        held = packing.held_claims(s, relay.next_bundles(township.paths), ident.division,
                                   relay.contradicted(township.paths))
    assert held == {village.station_id: 0}


def test_held_names_only_villages_the_county_register_lists_as_active(
        server, station_factory, area, tmp_path):
    """The claim makes the county send less, so the township makes it only for villages
    whose files it may take: listed active within it in the county-signed register."""
    from station_app.sync.bundles import export_bundle

    village = station_factory(area.villages[0], "洛党村")
    ids = register_cases(village, 2)
    usb = tmp_path / "v.suqiu"
    export_bundle(village.store, StationKeys.load_or_create(village.paths.keys_dir), usb)
    township = station_factory(area.township, "洛党镇")
    import_bundle(township.store, township.paths, usb)
    ident = load_identity(township.store)
    relayed = relay.next_bundles(township.paths)     # names the village
    with township.store.read() as s:
        assert packing.held_claims(s, relayed, ident.division, {}) == {village.station_id: 2}
    r = engine(township).sync_once()
    assert r.relayed_bundles == 1 and (r.pulled, r.pulled_duplicates) == (0, 0)
    server.revoke(village.station_id)
    engine(township).sync_once()              # brings the revoked record
    with township.store.read() as s:
        assert packing.held_claims(s, relayed, ident.division, {}) == {}
    assert set(ids) <= event_ids(township)
