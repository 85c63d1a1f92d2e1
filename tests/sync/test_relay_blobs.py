"""A village without network syncs through its township (USB bundles relayed to the real
server), and attachments travel as resumable blobs."""
from __future__ import annotations

import hashlib
import io
import os

import pytest

from petition_core.events import EventDraft, EventType
from petition_core.ids import uuid7
from station_app.cli import main as cli  # the real entry point: refusals in the app's words
from station_app.store import append_events
from station_app.store.eventlog import now_iso
from station_app.store.models import AttachmentRow
from station_app.sync import relay
from station_app.sync.bundles import BundleError, export_bundle, import_bundle, write_return_bundle
from station_app.sync.keys import StationKeys

from .conftest import engine
from .faultproxy import FaultPlan, FaultProxy
from .stations import event_ids, pending, register_cases, registration
from .test_faults import assert_exactly_once, sync_until_ok


def test_offline_village_syncs_through_its_township(server, station_factory, area,
                                                   tmp_path):
    village = station_factory(area.villages[0], "洛党村")      # enrolled, but never online
    township = station_factory(area.township, "洛党镇")
    ids = register_cases(village, 6)
    usb = tmp_path / "village.suqiu"
    export_bundle(village.store, StationKeys.load_or_create(village.paths.keys_dir), usb)
    import_bundle(township.store, township.paths, usb)
    r = engine(township).sync_once()
    assert r.relayed_bundles == 1 and r.rejected == 0
    assert_exactly_once(server, ids)
    assert relay.next_bundles(township.paths) == []
    # the same USB file imported again is not relayed twice
    import_bundle(township.store, township.paths, usb)
    assert relay.next_bundles(township.paths) == []

    back = tmp_path / "return.suqiu"
    write_return_bundle(township.store, StationKeys.load_or_create(township.paths.keys_dir),
                        township.paths, village.station_id, back)
    res = import_bundle(village.store, village.paths, back)
    assert res.acked_own == 6 and pending(village) == 0
    # when the village later gets a line, nothing is sent twice
    r = engine(village).sync_once()
    assert r.applied == 0
    assert_exactly_once(server, ids)


def test_relayed_bundle_of_an_unenrolled_village_is_refused_by_the_server(
        server, station_factory, area, tmp_path):
    rogue = station_factory(area.villages[2], "未登记的村", enroll=False)
    township = station_factory(area.township)
    register_cases(rogue, 2)
    usb = tmp_path / "rogue.suqiu"
    export_bundle(rogue.store, StationKeys.load_or_create(rogue.paths.keys_dir), usb)
    # the township refuses it: the signer is in no county-signed register it holds
    with pytest.raises(BundleError) as exc:
        import_bundle(township.store, township.paths, usb)
    assert exc.value.code == "bundle_unknown_signer"
    assert not event_ids(township) & event_ids(rogue)
    # a township of an older version would relay it: the county refuses it all the same
    relay.enqueue(township.paths, usb.read_bytes())
    r = engine(township).sync_once()
    assert r.relayed_bundles == 0
    assert not set(server.event_ids()) & event_ids(rogue)
    refused = relay.refused_bundles(township.paths)
    assert len(refused) == 1 and refused[0][1] == "bundle_foreign"


def test_cli_enroll_sync_export_import(server, station_factory, area, tmp_path, capsys):
    village = station_factory(area.villages[0], enroll=False)
    township = station_factory(area.township)
    register_cases(village, 2)
    d = str(village.paths.root)
    assert cli(["--data-dir", d, "sync"]) == 1
    assert "尚未在县服务器注册" in capsys.readouterr().err
    assert cli(["--data-dir", d, "enroll", "--server", server.url, "--code", "bad"]) == 1
    assert "[enroll_code_invalid]" in capsys.readouterr().err
    code = server.enroll_code(area.villages[0]).lower().replace("-", " ")
    assert cli(["--data-dir", d, "enroll", "--server", server.url, "--code", code]) == 0
    usb = tmp_path / "v.suqiu"
    assert cli(["--data-dir", d, "export-bundle", str(usb)]) == 0
    # the village enrolled after the township: its register record is not there yet
    assert cli(["--data-dir", str(township.paths.root), "import-bundle", str(usb)]) == 1
    assert "[bundle_unknown_signer]" in capsys.readouterr().err
    assert cli(["--data-dir", str(township.paths.root), "sync"]) == 0
    assert cli(["--data-dir", str(township.paths.root), "import-bundle", str(usb)]) == 0
    assert "新增 2 条" in capsys.readouterr().out
    assert cli(["--data-dir", d, "import-bundle", str(tmp_path / "none")]) == 1
    assert cli(["--data-dir", str(township.paths.root), "sync"]) == 0
    assert "转报数据包 1 个" in capsys.readouterr().out
    assert cli(["--data-dir", str(township.paths.root), "write-return-bundle", "--for",
                village.station_id, str(tmp_path / "r.suqiu")]) == 0
    assert cli(["--data-dir", d, "import-bundle", str(tmp_path / "r.suqiu")]) == 0
    assert pending(village) == 0


def _attach(st, data: bytes) -> str:
    sha = hashlib.sha256(data).hexdigest()
    path = st.paths.attachments_dir / sha[:2] / sha
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    with st.store.session() as s:
        s.add(AttachmentRow(sha256=sha, size=len(data), mime="image/jpeg",
                            original_name="信件.jpg", stored_path=f"{sha[:2]}/{sha}",
                            added_at=now_iso()))
        append_events(s, [EventDraft(case_id=uuid7(), type=EventType.REGISTERED,
                                     data=registration(st.division, attachments=[
                                         {"sha256": sha, "name": "信件.jpg", "size": len(data),
                                          "mime": "image/jpeg"}]),
                                     route=st.division)], "clerk")
    return sha


def test_attachments_upload_and_download_resume_after_cuts(server, station_factory, area):
    village = station_factory(area.villages[0])
    township = station_factory(area.township)
    data = os.urandom(700 * 1024)  # three PUT chunks
    sha = _attach(village, data)
    # cut the 2nd and 3rd requests (HEAD is 1st): the PUTs resume where the server stopped
    with FaultProxy(server.port, FaultPlan(seed=3, script={2: "cut_response",
                                                             4: "drop_response"})) as proxy:
        r, errors = sync_until_ok(village, proxy.url)
    assert errors and r.blobs_up == 1
    assert (server.blobs / sha[:2] / sha).exists() or any(server.blobs.rglob(sha + "*"))
    with FaultProxy(server.port, FaultPlan(seed=4, script={2: "cut_response"})) as proxy:
        r, errors = sync_until_ok(township, proxy.url)
    got = township.paths.attachments_dir / sha[:2] / sha
    assert got.read_bytes() == data
    with township.store.read() as s:
        assert s.get(AttachmentRow, sha).original_name == "信件.jpg"


def test_blob_outside_jurisdiction_is_not_fetched(server, station_factory, area):
    village = station_factory(area.villages[0])
    other = station_factory(area.villages[1])
    sha = _attach(village, b"secret letter")
    engine(village).sync_once()
    from station_app.sync.blobs import BlobTransfer
    from station_app.sync.transport import SyncError

    e = engine(other)
    with pytest.raises(SyncError) as exc:
        BlobTransfer(e.transport, other.store, other.paths).download(sha, {})
    assert exc.value.code == "forbidden_jurisdiction"
    assert not (other.paths.attachments_dir / sha[:2] / sha).exists()


def test_offline_village_attachments_travel_on_the_usb_file(server, station_factory, area,
                                                            tmp_path):
    import tarfile

    village = station_factory(area.villages[0])
    township = station_factory(area.township)
    data = os.urandom(300 * 1024)
    sha = _attach(village, data)
    usb = tmp_path / "v.suqiu"
    export_bundle(village.store, StationKeys.load_or_create(village.paths.keys_dir), usb)
    assert tarfile.is_tarfile(usb)
    # a forged blob under a name the events do not use is ignored
    with tarfile.open(usb, "a") as tar:
        fake = b"not what the events name"
        info = tarfile.TarInfo("blobs/" + "0" * 64)
        info.size = len(fake)
        tar.addfile(info, io.BytesIO(fake))
    import_bundle(township.store, township.paths, usb)
    assert (township.paths.attachments_dir / sha[:2] / sha).read_bytes() == data
    assert not (township.paths.attachments_dir / "00").exists()
    r = engine(township).sync_once()
    assert r.relayed_bundles == 1 and r.blobs_up == 1
    # the county now holds it: a second PC of the township pulls the case and the file
    reader = station_factory(area.township)
    engine(reader).sync_once()
    assert (reader.paths.attachments_dir / sha[:2] / sha).read_bytes() == data


def test_tampered_blob_in_the_usb_file_is_not_kept(station_factory, area, tmp_path):
    import tarfile

    village = station_factory(area.villages[0])
    township = station_factory(area.township)
    sha = _attach(village, b"original letter")
    usb = tmp_path / "v.suqiu"
    export_bundle(village.store, StationKeys.load_or_create(village.paths.keys_dir), usb)
    # rewrite the container with different bytes under the same (signed) name
    with tarfile.open(usb) as tar:
        bundle = tar.extractfile("bundle.suqiu").read()
    evil = tmp_path / "evil.bin"
    evil.write_bytes(b"forged letter!!")
    from station_app.sync.container import write_container

    write_container(usb, bundle, {sha: evil})
    import_bundle(township.store, township.paths, usb)
    assert not (township.paths.attachments_dir / sha[:2] / sha).exists()


def test_station_cli_has_the_sync_commands(station_factory, area, tmp_path, capsys):
    from station_app.cli import main as station_main

    village = station_factory(area.villages[0], enroll=False)
    register_cases(village, 1)
    out = tmp_path / "x.suqiu"
    assert station_main(["--data-dir", str(village.paths.root), "export-bundle", str(out)]) == 0
    assert out.exists() and "已导出 1 条" in capsys.readouterr().out
    assert station_main(["export-bundle", "--data-dir", str(village.paths.root),
                         str(tmp_path / "y.suqiu")]) == 0


def test_damaged_local_attachment_does_not_block_the_events(server, station_factory, area):
    village = station_factory(area.villages[0])
    sha = _attach(village, b"a letter")
    (village.paths.attachments_dir / sha[:2] / sha).write_bytes(b"bit rot")
    r = engine(village).sync_once()
    assert r.applied == 1 and r.blobs_up == 0 and pending(village) == 0


def test_a_relayed_bundle_that_comes_before_an_earlier_one_waits_instead_of_being_refused(
        server, station_factory, area, tmp_path):
    """Bundles can reach the township out of order (two USB sticks, two errands): a bundle
    whose events the server cannot place yet stays queued and goes once the gap is filled."""
    from station_app.store import ack_events
    from station_app.store.eventlog import requeue_own

    village = station_factory(area.villages[1], "后到的村")
    township = station_factory(area.township)
    ids = register_cases(village, 6)
    keys = StationKeys.load_or_create(village.paths.keys_dir)
    with village.store.session() as s:
        ack_events(s, ids[:3])          # as if 1–3 had gone another way
    later = tmp_path / "later.suqiu"
    export_bundle(village.store, keys, later)
    import_bundle(township.store, township.paths, later)
    r = engine(township).sync_once()
    assert (r.relayed_bundles, r.rejected) == (0, 0)
    assert len(relay.next_bundles(township.paths)) == 1          # still queued
    assert not (relay.relay_dir(township.paths) / "refused").exists() or not any(
        (relay.relay_dir(township.paths) / "refused").iterdir())
    assert not set(ids) & set(server.event_ids())
    with village.store.session() as s:
        requeue_own(s, 1, 4)            # the earlier errand arrives too: all six pending
    earlier = tmp_path / "earlier.suqiu"
    export_bundle(village.store, keys, earlier)
    import_bundle(township.store, township.paths, earlier)
    r = engine(township).sync_once()
    assert r.relayed_bundles == 2
    assert relay.next_bundles(township.paths) == []
    assert_exactly_once(server, ids)


def test_a_village_record_the_county_refuses_comes_back_to_its_quarantine_via_the_township(
        server, station_factory, area, tmp_path):
    """A village running a newer version than its township and county writes a record they
    do not know: the township still relays the signed bundle, the county voids that one
    record and takes the rest, and the return bundle puts it in the village's quarantine
    with the reason, while the rest leaves the village's outbox."""
    from sqlalchemy import update

    from station_app.store.models import EventRow

    from .stations import quarantined

    village = station_factory(area.villages[2], "新版本的村")
    township = station_factory(area.township)
    ids = register_cases(village, 3)
    with village.store.session() as s:
        s.execute(update(EventRow).where(EventRow.event_id == ids[1])
                  .values(type="case.from_the_future"))
    usb = tmp_path / "village.suqiu"
    export_bundle(village.store, StationKeys.load_or_create(village.paths.keys_dir), usb)
    res = import_bundle(township.store, township.paths, usb)
    assert (res.events, res.queued_for_relay) == (2, True)     # it shows what it can read
    r = engine(township).sync_once()
    assert r.relayed_bundles == 1
    stored = set(server.event_ids())
    assert {ids[0], ids[2]} <= stored and ids[1] not in stored
    assert relay.next_bundles(township.paths) == []
    back = tmp_path / "return.suqiu"
    write_return_bundle(township.store, StationKeys.load_or_create(township.paths.keys_dir),
                        township.paths, village.station_id, back)
    res = import_bundle(village.store, village.paths, back)
    assert res.acked_own == 2 and pending(village) == 0
    assert [(q[0], q[1]) for q in quarantined(village)] == [(ids[1], "event_unknown_type")]
