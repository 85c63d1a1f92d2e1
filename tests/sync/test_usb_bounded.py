"""USB files are judged by their size before they are read, and read bounded (issue 7 A5:
a USB file was read whole, up to 4 GiB, before the bundle limit was checked).  Memory is
measured with tracemalloc's peak, as a size."""
from __future__ import annotations

import hashlib
import os
import tracemalloc

import pytest

from petition_core import protocol as P
from station_app.store import append_events
from station_app.store.eventlog import now_iso
from station_app.store.models import AttachmentRow
from station_app.sync.bundles import BundleError, export_bundle, import_bundle
from station_app.sync.keys import StationKeys
from station_app.ui.messages import error_text  # the one table of words

from .stations import event_ids, registration


@pytest.fixture
def pair(station_factory, area):
    """An enrolled village, then its enrolled township: a township takes a village's file
    only when the county-signed register it got at enrollment lists the village."""
    return station_factory(area.villages[0], "洛党村"), station_factory(area.township, "洛党镇")


def _peak_of(fn):  # type: ignore[no-untyped-def]
    tracemalloc.start()
    try:
        try:
            result = fn()
        except Exception as exc:  # noqa: BLE001 - returned for the test to judge
            result = exc
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_plain_bundle_file_over_the_limit_is_refused_unread(pair, tmp_path):
    _village, township = pair
    usb = tmp_path / "huge.suqiu"
    with usb.open("wb") as fh:                  # a 200 MiB file (sparse: no disk used)
        fh.write(P.BUNDLE_MAGIC)
        fh.truncate(200 << 20)
    before = event_ids(township)
    exc, peak = _peak_of(lambda: import_bundle(township.store, township.paths, usb))
    assert peak < 8 << 20, f"peak {peak >> 20} MiB"
    assert isinstance(exc, BundleError) and exc.code == "bundle_too_large", exc
    assert "太大" in error_text(exc.code)
    assert event_ids(township) == before


def test_server_cli_judges_the_file_size_before_reading(tmp_path, capsys):
    from sync_server.cli import main as server_main

    usb = tmp_path / "huge.suqiu"
    with usb.open("wb") as fh:
        fh.write(P.BUNDLE_MAGIC)
        fh.truncate(P.MAX_BUNDLE_BYTES + 1)
    db = f"sqlite:///{tmp_path / 'county.db'}"
    code, peak = _peak_of(lambda: server_main(["import-bundle", str(usb), "--db", db]))
    assert code == 1 and "bundle_too_large" in capsys.readouterr().err
    assert peak < 32 << 20, f"peak {peak >> 20} MiB"   # (includes migrating the database)


def test_an_attachment_in_the_usb_file_is_streamed_to_disk_not_held(pair, tmp_path):
    from petition_core.events import EventDraft, EventType
    from petition_core.ids import uuid7

    village, township = pair
    data = os.urandom(40 << 20)
    sha = hashlib.sha256(data).hexdigest()
    path = village.paths.attachments_dir / sha[:2] / sha
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    del data
    with village.store.session() as s:
        s.add(AttachmentRow(sha256=sha, size=40 << 20, mime="application/pdf",
                            original_name="材料.pdf", stored_path=f"{sha[:2]}/{sha}",
                            added_at=now_iso()))
        append_events(s, [EventDraft(case_id=uuid7(), type=EventType.REGISTERED,
                                     data=registration(village.division, attachments=[
                                         {"sha256": sha, "name": "材料.pdf",
                                          "size": 40 << 20}]),
                                     route=village.division)], "clerk")
    usb = tmp_path / "v.suqiu"
    export_bundle(village.store, StationKeys.load_or_create(village.paths.keys_dir), usb)
    result, peak = _peak_of(lambda: import_bundle(township.store, township.paths, usb))
    assert not isinstance(result, Exception), result
    got = township.paths.attachments_dir / sha[:2] / sha
    assert got.stat().st_size == 40 << 20
    assert peak < 16 << 20, f"peak {peak >> 20} MiB for a 40 MiB attachment"
    with township.store.read() as s:
        assert s.get(AttachmentRow, sha).size == 40 << 20
    assert not list(township.paths.attachments_dir.glob("*.import"))
