"""Gaps in a station's sequence, end to end with a real server process: one bad event never
blocks a village; a server restored from an older backup gets the lost events back from
the stations; a gap nobody can fill stops the upload loudly and keeps everything queued.
"""
from __future__ import annotations

import shutil
import subprocess

import pytest
from sqlalchemy import text, update

from petition_core.events import EventDraft, EventType
from station_app.store import append_events
from station_app.store.eventlog import quarantine_event
from station_app.store.models import EventRow
from station_app.sync.transport import SyncError
from station_app.ui.messages import error_text  # the one table of words

from .conftest import engine
from .server_proc import ROOT
from .stations import event_ids, pending, quarantined, register_cases


def _copy_db(src_dir, dst_dir) -> None:
    dst_dir.mkdir(parents=True, exist_ok=True)
    for f in src_dir.glob("server.db*"):
        shutil.copy2(f, dst_dir / f.name)


def _restore_db(backup_dir, server) -> None:
    for f in server.root.glob("server.db*"):
        f.unlink()
    for f in backup_dir.glob("server.db*"):
        shutil.copy2(f, server.root / f.name)


def test_one_unacceptable_event_is_quarantined_and_the_rest_still_reach_the_county(
        server, station_factory, area):
    village = station_factory(area.villages[0])
    ids = register_cases(village, 4)
    # as if a newer app version wrote a kind of record this server does not know yet
    with village.store.session() as s:
        s.execute(update(EventRow).where(EventRow.event_id == ids[1])
                  .values(type="case.from_the_future"))
    report = engine(village, server.url).sync_once()
    assert (report.applied, report.rejected) == (3, 1)
    assert report.rejected_codes == {"event_unknown_type": 1}
    assert pending(village) == 0
    assert [(q[0], q[1]) for q in quarantined(village)] == [(ids[1], "event_unknown_type")]
    stored = set(server.event_ids())
    assert {ids[0], ids[2], ids[3]} <= stored and ids[1] not in stored
    # later work flows as usual
    more = register_cases(village, 2)
    assert engine(village, server.url).sync_once().applied == 2
    assert set(more) <= set(server.event_ids())
    # and the county can list what was refused, with the reason in Chinese
    out = subprocess.run(server._base() + ["--db", str(server.db), "rejected"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    assert ids[1] in out and "[event_unknown_type]" in out
    # still refused when sent again: back to quarantine, nothing else changes
    from station_app.store.eventlog import requeue_quarantined
    with village.store.session() as s:
        assert requeue_quarantined(s) == 1
    report = engine(village, server.url).sync_once()
    assert (report.rejected, pending(village)) == (1, 0) and len(quarantined(village)) == 1
    # once the server can take it ("upgraded": here the record is as the server knows it),
    # the same event goes into its own, voided seq, and the other stations see it
    with village.store.session() as s:
        s.execute(update(EventRow).where(EventRow.event_id == ids[1])
                  .values(type="case.registered"))
        requeue_quarantined(s)
    report = engine(village, server.url).sync_once()
    assert (report.applied, report.rejected) == (1, 0)
    assert quarantined(village) == [] and ids[1] in server.event_ids()
    out = subprocess.run(server._base() + ["--db", str(server.db), "rejected"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    assert ids[1] not in out


def test_a_server_restored_from_an_older_backup_gets_the_lost_events_back(
        own_server, own_station_factory, area, tmp_path):
    village = own_station_factory(area.villages[0])
    first = register_cases(village, 2)
    engine(village, own_server.url).sync_once()
    own_server.stop()
    _copy_db(own_server.root, tmp_path / "backup")          # the county's nightly backup
    own_server.start()
    lost = register_cases(village, 3)
    engine(village, own_server.url).sync_once()
    assert set(lost) <= set(own_server.event_ids())
    own_server.stop()
    _restore_db(tmp_path / "backup", own_server)             # disk died: restore last night
    own_server.start()
    assert set(own_server.event_ids()) == set(first)
    newest = register_cases(village, 1)
    report = engine(village, own_server.url).sync_once()
    assert report.requeued == 3
    assert sorted(own_server.event_ids()) == sorted(first + lost + newest)
    assert pending(village) == 0 and quarantined(village) == []


def test_a_gap_that_cannot_be_filled_stops_the_upload_and_keeps_everything(
        server, station_factory, area):
    village = station_factory(area.villages[0])
    ids = register_cases(village, 3)
    with village.store.session() as s:   # the first event sits in quarantine (never sent)
        quarantine_event(s, ids[0], "event_malformed", "")
    with pytest.raises(SyncError) as err:
        engine(village, server.url).sync_once()
    assert err.value.code == "push_gap" and not err.value.retryable
    assert "请联系县群众诉求中心" in error_text(err.value.code)
    assert pending(village) == 2                      # 2 and 3 stay queued, nothing lost
    assert [q[0] for q in quarantined(village)] == [ids[0]]
    assert not set(ids) & set(server.event_ids())


def test_events_an_older_version_quarantined_as_gaps_are_sent_again(
        server, station_factory, area):
    village = station_factory(area.villages[0])
    ids = register_cases(village, 3)
    with village.store.session() as s:
        for eid in ids[1:]:
            quarantine_event(s, eid, "event_gap", "")
    engine(village, server.url).sync_once()
    assert set(ids) <= set(server.event_ids())
    assert pending(village) == 0 and quarantined(village) == []


def test_a_sync_does_not_bring_back_the_stations_own_events(server, station_factory, area):
    village = station_factory(area.villages[0])
    town = station_factory(area.township)
    register_cases(village, 5)
    report = engine(village, server.url).sync_once()
    assert (report.applied, report.pulled_duplicates, report.round_trips) == (5, 0, 1)
    # the township (above the village) urges one of the village's cases: news to the village
    # (a case the township registered for the village's division is the township's own:
    # since the permission matrix the village is not a party to it)
    engine(town, server.url).sync_once()
    with village.store.read() as s:
        case_id = s.execute(text("SELECT case_id FROM event LIMIT 1")).scalar()
    with town.store.session() as s:
        theirs = [e.event_id for e in append_events(
            s, [EventDraft(case_id=case_id, type=EventType.URGED,
                           data={"note": "请尽快办理", "at": "2026-05-01T10:00:00+08:00"})],
            "zhen01")]
    engine(town, server.url).sync_once()
    report = engine(village, server.url).sync_once()
    assert (report.pulled, report.pulled_duplicates) == (1, 0)
    assert set(theirs) <= event_ids(village)
    with village.store.read() as s:   # nothing stored twice
        assert s.execute(text("SELECT count(*) FROM event")).scalar() == 6
