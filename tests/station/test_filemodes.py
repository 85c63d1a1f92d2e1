"""Local data is private (issue 8, C17): under a normal umask (022) every file the station
makes is 0600 and every folder 0700 — database with its -wal/-shm, backups, keys, logs,
attachments — an install made before is fixed on start, and nothing written follows a
symbolic link planted where it writes."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from station_app.filemodes import copy_private, secure_tree
from station_app.paths import AppPaths

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def umask022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def _mode(p: Path) -> int:
    return stat.S_IMODE(os.lstat(p).st_mode)


def _loose(root: Path) -> list[str]:
    """Everything under root that others could read or enter."""
    out = []
    for here, dirs, files in os.walk(root):
        for name in dirs + files:
            p = Path(here) / name
            if p.is_symlink():
                continue
            want = 0o700 if p.is_dir() else 0o600
            if _mode(p) != want:
                out.append(f"{p.relative_to(root)} {oct(_mode(p))}")
    if _mode(root) != 0o700:
        out.append(f". {oct(_mode(root))}")
    return out


def test_services_make_private_files_under_a_normal_umask(tmp_path, umask022):
    from station_app.logging_setup import PrivateRotatingFileHandler
    from station_app.services import StationServices

    paths = AppPaths(tmp_path / "data")
    svc = StationServices.open(paths)
    try:
        svc.setup.initialise("530921108203", "鹿鸣村群众诉求站", "admin", "admin1234", "管理员")
        op = svc.accounts.authenticate("admin", "admin1234")
        photo = tmp_path / "photo.png"
        photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
        att = svc.intake.import_attachment(photo)
        svc.backup.backup_now()
        from station_helpers import form

        svc.intake.register(form(attachments=[att.to_payload()]), op)
        svc.backup.backup_now()          # mirrors the attachment into backups/attachments
        svc.sync.status()                # station key (keys/)
        from station_app.sync.keys import StationKeys

        StationKeys.load_or_create(paths.keys_dir)
        handler = PrivateRotatingFileHandler(paths.logs_dir / "station.log", maxBytes=200,
                                             backupCount=2, encoding="utf-8")
        for i in range(20):    # rotates: every log file private, not only the first
            handler.stream.write(f"line {i} " * 10 + "\n")
            handler.doRollover()
        handler.close()
        assert (paths.root / "station.db-wal").exists()
        assert list(paths.backups_dir.glob("suqiu-*.db"))
        assert list((paths.backups_dir / "attachments").rglob("*"))
        assert len(list(paths.logs_dir.glob("station.log*"))) >= 2
        assert _loose(paths.root) == []
    finally:
        svc.close()


def test_an_old_install_is_fixed_on_start_and_links_are_left_alone(tmp_path, umask022):
    root = tmp_path / "data"
    (root / "backups").mkdir(parents=True)
    (root / "station.db").write_bytes(b"x")
    (root / "backups" / "suqiu-20260101-000000.db").write_bytes(b"x")
    os.chmod(root, 0o755)
    outside = tmp_path / "not-ours.txt"
    outside.write_text("someone else's file")
    os.chmod(outside, 0o644)
    (root / "link").symlink_to(outside)
    assert _mode(root / "station.db") == 0o644
    assert secure_tree(root) >= 3
    assert _loose(root) == []
    assert _mode(outside) == 0o644          # not followed
    assert secure_tree(root) == 0           # idempotent


def test_opening_the_store_fixes_an_old_database(tmp_path, umask022):
    from station_app.store import open_store

    paths = AppPaths(tmp_path / "data").ensure()
    open_store(paths).close()
    for suffix in ("", "-wal", "-shm"):
        p = Path(str(paths.db_path) + suffix)
        if p.exists():
            os.chmod(p, 0o644)
    store = open_store(paths)
    try:
        for suffix in ("", "-wal", "-shm"):
            p = Path(str(paths.db_path) + suffix)
            if p.exists():
                assert _mode(p) == 0o600, suffix
    finally:
        store.close()


def test_copy_private_replaces_a_planted_link_instead_of_following_it(tmp_path, umask022):
    src = tmp_path / "src.bin"
    src.write_bytes(b"attachment bytes")
    victim = tmp_path / "victim.txt"
    victim.write_text("must stay as it is")
    dest = tmp_path / "out" / "photo.jpg"
    dest.parent.mkdir()
    dest.symlink_to(victim)
    copy_private(src, dest)
    assert victim.read_text() == "must stay as it is"
    assert not dest.is_symlink() and dest.read_bytes() == b"attachment bytes"
    assert _mode(dest) == 0o600
    assert [p.name for p in dest.parent.iterdir()] == ["photo.jpg"]   # no .part left


def test_the_station_program_makes_everything_private(tmp_path):
    """The real command under a normal umask: demo data, a backup, then every file and
    folder of the data directory is private."""
    data = tmp_path / "station"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    script = ("import os, sys; os.umask(0o022); from station_app.cli import main; "
              "sys.exit(main(sys.argv[1:]))")
    for args in (["demo", "--cases", "3"], ["backup"]):
        r = subprocess.run([sys.executable, "-c", script, "--data-dir", str(data), *args],
                           cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stderr
    assert (data / "station.db").exists() and list((data / "backups").glob("*.db"))
    assert (data / "logs" / "station.log").exists()
    assert _loose(data) == []


def test_two_backups_in_one_second_keep_the_newer(tmp_path, umask022):
    """Found while testing: the second backup of a second is named "…-2.db", sorted before
    "….db" by name, and rotation deleted the backup just made (backup_now then failed)."""
    import sqlite3
    from datetime import datetime

    from station_app import backup as files

    db = tmp_path / "station.db"
    con = sqlite3.connect(db)
    con.executescript("CREATE TABLE station (id INTEGER); CREATE TABLE event (id INTEGER);"
                      "CREATE TABLE alembic_version (version_num TEXT);")
    con.close()
    folder = tmp_path / "backups"
    now = datetime(2026, 5, 1, 10, 30, 0)
    first = files.make_backup(db, folder, now=now)
    second = files.make_backup(db, folder, now=now)
    assert second.name.endswith("-2.db")
    assert [b.path for b in files.list_files(folder)] == [second, first]
    files.rotate(folder)
    assert second.exists()
    assert _mode(second) == 0o600 and _mode(folder) == 0o700
