"""The daily backup on a USB stick (issue 12 item 4): which mounted folders are sticks (the
Linux path, on a temporary folder standing in for / ), and the copy itself."""
from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from station_app import backup as files
from station_app.services import ServiceError
from station_app.services.backup import KEEP_ON_USB, USB_FOLDER
from station_app.usb import linux_drives, media_roots, mount_points


def test_sticks_are_the_mounts_under_the_users_media_folders(tmp_path):
    root = tmp_path
    stick = root / "media" / "clerk" / "STICK"
    spaced = root / "run" / "media" / "clerk" / "KINGSTON 16G"
    disk = root / "mnt" / "data"
    for d in (stick, spaced, disk, root / "media" / "clerk" / "not-mounted"):
        d.mkdir(parents=True)
    mounts_text = "\n".join([
        "/dev/sda1 / ext4 rw,relatime 0 0",
        f"/dev/sdb1 {stick} vfat rw,nosuid,nodev 0 0",
        f"/dev/sdc1 {str(spaced).replace(' ', chr(92) + '040')} exfat rw 0 0",
        f"/dev/sda2 {disk} ext4 rw 0 0",                 # not under a media folder
        f"tmpfs {root / 'media' / 'clerk'} tmpfs rw 0 0",  # the media folder itself
        "garbage",
    ])
    mounts = mount_points(mounts_text)
    assert spaced in mounts                              # \040 is a space
    roots = [root / "media" / "clerk", root / "run" / "media" / "clerk"]
    assert linux_drives(roots, mounts) == sorted([stick, spaced])
    assert linux_drives(roots, []) == []
    assert media_roots("clerk") == [Path("/media/clerk"), Path("/run/media/clerk")]


def test_daily_backup_goes_to_the_stick_only_when_the_setting_is_on(services, tmp_paths,
                                                                    tmp_path):
    stick = tmp_path / "stick"
    stick.mkdir()
    assert services.backup.usb_copy_enabled() is False      # off unless the clerk wants it
    assert services.backup.copy_to_usb_if_enabled([stick]) == []
    assert list(stick.iterdir()) == []
    services.backup.set_usb_copy(True)
    assert services.backup.usb_copy_enabled() is True
    [info] = services.backup.copy_to_usb_if_enabled([stick])
    today = [b for b in files.list_files(tmp_paths.backups_dir) if b.regular]
    assert len(today) == 1 and today[0].when.date() == datetime.now().date()
    copied = Path(info.path)
    assert copied.parent.parent == stick / USB_FOLDER and copied.name == today[0].path.name
    assert copied.parent.name == services.setup.station().station_code
    files.verify(copied)
    assert copied.read_bytes() == today[0].path.read_bytes()
    # pulled out and put back the same day: nothing new to copy, nothing doubled
    services.backup.copy_to_usb_if_enabled([stick])
    assert [p.name for p in copied.parent.iterdir()] == [copied.name]
    services.backup.set_usb_copy(False)
    assert services.backup.copy_to_usb_if_enabled([stick]) == []


def test_the_stick_keeps_this_stations_newest_copies(services, tmp_paths, tmp_path):
    stick = tmp_path / "stick"
    stick.mkdir()
    folder = stick / USB_FOLDER / services.setup.station().station_code
    folder.mkdir(parents=True)
    t0 = datetime.now() - timedelta(days=30)
    for i in range(10):                                   # older days' copies already there
        b = files.make_backup(tmp_paths.db_path, tmp_path / "old", now=t0 + timedelta(days=i))
        b.rename(folder / b.name)
    (folder / "notes.txt").write_text("the clerk's own file")
    services.backup.copy_to_usb(stick)
    kept = files.list_files(folder)
    assert len(kept) == KEEP_ON_USB and kept[0].when.date() == datetime.now().date()
    assert (folder / "notes.txt").exists()               # only our backups are rotated


def test_a_stick_that_cannot_be_written_says_so(services, tmp_path):
    not_a_folder = tmp_path / "stick"
    not_a_folder.write_text("a file where the stick's folder should be")
    with pytest.raises(ServiceError) as err:
        services.backup.copy_to_usb(not_a_folder)
    assert err.value.code == "usb_copy_failed"
