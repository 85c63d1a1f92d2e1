"""Backup files of the station database: made with SQLite's online backup API (consistent
while the app keeps writing), verified with ``PRAGMA integrity_check``, rotated (last 7
daily + last 4 weekly kept), and restored atomically.

Attachments are content-addressed and never change once written, so they are mirrored
incrementally into ``backups/attachments/<aa>/<sha256>`` (copy only what is missing) rather
than copied into every backup; restore puts back any attachment file that is missing.
"""
from __future__ import annotations

import logging
import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .filemodes import copy_private, private_dir, touch_private

log = logging.getLogger(__name__)

PREFIX = "suqiu-"
PRE_RESTORE = "suqiu-pre-restore-"
PRE_MIGRATE = "suqiu-pre-migrate-"     # taken before every database migration (store/db.py)
_NAME_RE = re.compile(r"^suqiu-(pre-restore-|pre-migrate-)?(\d{8}-\d{6})(?:-(\d+))?\.db$")
KEEP_DAILY = 7
KEEP_WEEKLY = 4
KEEP_PRE_RESTORE = 3
KEEP_PRE_MIGRATE = 3


class BackupError(Exception):
    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code


@dataclass(frozen=True)
class BackupFile:
    path: Path
    when: datetime
    pre_restore: bool
    seq: int = 1          # suqiu-…-2.db: the second backup made in the same second
    pre_migrate: bool = False

    @property
    def regular(self) -> bool:
        """A daily or manual backup (the ones the 7-daily/4-weekly rotation counts)."""
        return not (self.pre_restore or self.pre_migrate)


def parse_name(path: Path) -> BackupFile | None:
    m = _NAME_RE.match(path.name)
    if not m:
        return None
    kind = m.group(1) or ""
    return BackupFile(path, datetime.strptime(m.group(2), "%Y%m%d-%H%M%S"),
                      kind == "pre-restore-", int(m.group(3) or 1), kind == "pre-migrate-")


def list_files(folder: Path) -> list[BackupFile]:
    """Backups in ``folder``, newest first (of two made in one second, the "-2" one: by
    name it would sort first, and rotation then deleted the backup just made)."""
    if not folder.is_dir():
        return []
    found = [b for b in (parse_name(p) for p in folder.iterdir() if p.is_file()) if b]
    return sorted(found, key=lambda b: (b.when, b.seq), reverse=True)


def verify(path: Path) -> None:
    """Raise BackupError unless ``path`` is an intact station database."""
    if not path.is_file():
        raise BackupError("backup_missing", str(path.name))
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            res = con.execute("PRAGMA integrity_check").fetchall()
            if res != [("ok",)]:
                raise BackupError("backup_corrupt", "integrity_check failed")
            names = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError("backup_corrupt", type(exc).__name__) from None
    if not {"station", "event", "alembic_version"} <= names:
        raise BackupError("backup_not_station")


def _target_name(folder: Path, prefix: str, now: datetime) -> Path:
    base = f"{prefix}{now:%Y%m%d-%H%M%S}"
    path = folder / f"{base}.db"
    n = 2
    while path.exists():
        path = folder / f"{base}-{n}.db"
        n += 1
    return path


def make_backup(db_path: Path, folder: Path, *, prefix: str = PREFIX,
                now: datetime | None = None) -> Path:
    """Online-backup ``db_path`` into ``folder``; verified before it gets its final name.
    The copy is private (0600) like the database it copies."""
    private_dir(folder)
    final = _target_name(folder, prefix, now or datetime.now())
    tmp = final.with_name(final.name + ".part")
    tmp.unlink(missing_ok=True)     # a crashed earlier attempt
    touch_private(tmp)               # SQLite keeps the mode of an existing (empty) file
    src = sqlite3.connect(str(db_path))
    try:
        dst = sqlite3.connect(str(tmp))
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()
    try:
        verify(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, final)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    log.info("backup written: %s", final.name)
    return final


def mirror_attachments(attachments_dir: Path, mirror_dir: Path) -> int:
    """Copy attachment files missing from ``mirror_dir`` (content-addressed: same name, same
    bytes).  Returns how many were copied."""
    copied = 0
    if not attachments_dir.is_dir():
        return 0
    for sub in attachments_dir.iterdir():
        if not sub.is_dir() or len(sub.name) != 2:
            continue
        for f in sub.iterdir():
            target = mirror_dir / sub.name / f.name
            if f.is_file() and not f.is_symlink() and len(f.name) == 64 \
                    and not target.exists():
                private_dir(target.parent)
                copy_private(f, target)
                copied += 1
    return copied


def rotate(folder: Path) -> list[Path]:
    """Keep the newest backup of each of the last 7 days that have one and of each of the
    last 4 ISO weeks; keep the last 3 pre-restore and the last 3 pre-migration copies;
    delete the rest."""
    files = list_files(folder)
    keep: set[Path] = set()
    days: list = []
    weeks: list = []
    for b in (f for f in files if f.regular):
        day = b.when.date()
        week = b.when.isocalendar()[:2]
        if day not in days and len(days) < KEEP_DAILY:
            days.append(day)
            keep.add(b.path)
        if week not in weeks and len(weeks) < KEEP_WEEKLY:
            weeks.append(week)
            keep.add(b.path)
    keep.update(b.path for b in [f for f in files if f.pre_restore][:KEEP_PRE_RESTORE])
    keep.update(b.path for b in [f for f in files if f.pre_migrate][:KEEP_PRE_MIGRATE])
    removed = [b.path for b in files if b.path not in keep]
    for p in removed:
        p.unlink(missing_ok=True)
    return removed


def station_id_of(path: Path) -> str | None:
    """The station a database file belongs to (None: not set up, or unreadable)."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = con.execute("SELECT station_id FROM station WHERE id = 1").fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return None
    return str(row[0]) if row else None


def replace_database(db_path: Path, backup: Path) -> None:
    """Put ``backup`` in place of ``db_path`` atomically.  The caller has closed every
    connection.  A stale -wal/-shm of the old database must never be applied to the new
    one, so they are removed after the old database was checkpointed."""
    if db_path.exists():
        con = sqlite3.connect(str(db_path))
        try:
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            con.close()
    tmp = copy_private(backup, db_path.with_name(db_path.name + ".restore"))
    for suffix in ("-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    os.replace(tmp, db_path)
    log.info("database restored from %s", backup.name)
