"""A village's USB file taken straight to the county: ``suqiu-server import-bundle`` (issue 7
C12), run as the county runs it, on the data of a real server process, with the file a real
station exported."""
from __future__ import annotations

import io
import os
import tarfile

import pytest

from station_app.store import ack_events
from station_app.sync.bundles import export_bundle
from station_app.sync.keys import StationKeys

from .conftest import engine
from .stations import register_cases
from .test_faults import assert_exactly_once
from .test_relay_blobs import _attach


def _export(st, dest):
    export_bundle(st.store, StationKeys.load_or_create(st.paths.keys_dir), dest)
    return dest


def test_a_usb_file_with_an_attachment_is_imported_events_and_attachment(
        server, station_factory, area, tmp_path):
    """Before: the container was read as a bare bundle and refused (bundle_malformed)."""
    village = station_factory(area.villages[4], "有附件的村")
    letter = os.urandom(600 * 1024)          # more than one chunk of the blob store
    sha = _attach(village, letter)
    ids = register_cases(village, 2)
    usb = _export(village, tmp_path / "village.suqiu")
    assert tarfile.is_tarfile(usb)
    out = server.cli("import-bundle", str(usb))
    assert out.returncode == 0, out.stderr
    assert "Imported: 3 new" in out.stdout and "1 attachments" in out.stdout
    assert_exactly_once(server, ids)
    stored = server.blobs / sha[:2] / sha
    assert stored.read_bytes() == letter
    # the township's PC pulls the case and fetches the letter from the county
    reader = station_factory(area.township)
    r = engine(reader).sync_once()
    assert r.pulled == 3 and r.blobs_down == 1
    assert (reader.paths.attachments_dir / sha[:2] / sha).read_bytes() == letter
    # the same file again: nothing new, still fine
    again = server.cli("import-bundle", str(usb))
    assert again.returncode == 0 and "3 already here" in again.stdout


def test_a_forged_attachment_in_the_file_is_not_stored(server, station_factory, area,
                                                       tmp_path):
    village = station_factory(area.villages[5])
    sha = _attach(village, b"the real letter")
    usb = _export(village, tmp_path / "v.suqiu")
    with tarfile.open(usb) as tar:
        bundle = tar.extractfile("bundle.suqiu").read()
    forged = tmp_path / "forged.suqiu"
    with tarfile.open(forged, "w") as tar:
        for name, data in (("bundle.suqiu", bundle), ("blobs/" + sha, b"a forged letter"),
                           ("../../escape", b"x")):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    out = server.cli("import-bundle", str(forged))
    assert out.returncode == 0, out.stderr
    assert "Imported: 1 new" in out.stdout and "missing from the file or damaged" in out.stderr
    assert not (server.blobs / sha[:2] / sha).exists()
    assert not any(server.blobs.rglob("escape"))
    # the genuine file afterwards brings the genuine letter
    assert server.cli("import-bundle", str(usb)).returncode == 0
    assert (server.blobs / sha[:2] / sha).read_bytes() == b"the real letter"


def test_a_later_file_before_an_earlier_one_says_to_import_the_earlier_one_first(
        server, station_factory, area, tmp_path):
    """Before: "拒收 <id>: event_gap" for each record, and nothing said what to do."""
    village = station_factory(area.villages[6])
    first = register_cases(village, 2)
    earlier = _export(village, tmp_path / "earlier.suqiu")
    with village.store.session() as s:
        ack_events(s, first)                 # the first errand's events left the outbox
    second = register_cases(village, 3)
    later = _export(village, tmp_path / "later.suqiu")
    out = server.cli("import-bundle", str(later))
    assert out.returncode == 1
    assert "import the station's earlier bundle first" in out.stderr and "record 3" in out.stderr
    assert "0 rejected, 3 not yet" in out.stdout and "event_gap" not in out.stdout
    assert not set(second) & set(server.event_ids())
    assert server.cli("import-bundle", str(earlier)).returncode == 0
    assert server.cli("import-bundle", str(later)).returncode == 0
    assert_exactly_once(server, first + second)


def test_a_revoked_station_s_file_says_the_station_is_revoked(server, station_factory, area,
                                                             tmp_path):
    """Before: "bundle_foreign" (未注册或不属于本辖区), as if the village were unknown."""
    from station_app.sync import relay
    from station_app.sync.bundles import BundleError, import_bundle

    village = station_factory(area.villages[7])
    township = station_factory(area.township)
    ids = register_cases(village, 1)
    usb = _export(village, tmp_path / "v.suqiu")
    # the township takes the file while its register still lists the village as active
    import_bundle(township.store, township.paths, usb)
    server.revoke(village.station_id)
    out = server.cli("import-bundle", str(usb))
    assert out.returncode == 1
    assert "revoked" in out.stderr and "[bundle_station_revoked]" in out.stderr
    assert not set(ids) & set(server.event_ids())
    # relayed through the township, the refusal carries the same code
    r = engine(township).sync_once()
    assert r.relayed_bundles == 0
    assert [code for _, code in relay.refused_bundles(township.paths)] == [
        "bundle_station_revoked"]
    # that sync brought the revocation in the county-signed register: the township now
    # refuses the file itself
    with pytest.raises(BundleError) as err:
        import_bundle(township.store, township.paths, usb)
    assert err.value.code == "bundle_signer_revoked"


def test_a_damaged_or_foreign_file_is_refused_with_its_reason(server, station_factory, area,
                                                              tmp_path):
    village = station_factory(area.villages[8], enroll=False)
    register_cases(village, 1)
    usb = _export(village, tmp_path / "v.suqiu")
    out = server.cli("import-bundle", str(usb))
    assert out.returncode == 1 and "bundle_foreign" in out.stderr
    junk = tmp_path / "junk.suqiu"
    junk.write_bytes(b"PK\x03\x04 not ours")
    out = server.cli("import-bundle", str(junk))
    assert out.returncode == 1 and "bundle_malformed" in out.stderr
