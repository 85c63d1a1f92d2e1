"""Backups the operator can trust: online SQLite backup, verified, rotated, restorable.

See :mod:`station_app.backup` for the file mechanics and why attachments are mirrored
rather than copied into every backup.
"""
from __future__ import annotations

import logging
import sqlite3
from datetime import datetime
from pathlib import Path

from sqlalchemy import text

from petition_core.enums import Role
from petition_core.events import Event

from .. import backup as files
from ..filemodes import copy_private
from ..paths import AppPaths
from ..store import Store
from ..store.eventlog import StoreError, apply_remote_events, get_setting, set_setting
from .accounts import AccountService
from .types import BackupInfo, Changes, Restored, ServiceError

log = logging.getLogger(__name__)

def _info(b: files.BackupFile, kind: str | None = None) -> BackupInfo:
    return BackupInfo(path=str(b.path), created_at=b.when.isoformat(timespec="seconds"),
                      size=b.path.stat().st_size,
                      kind=kind or ("pre-restore" if b.pre_restore else
                                    "pre-migrate" if b.pre_migrate else "auto"),
                      changes=Changes(backups=True))


def _file_info(path: Path) -> BackupInfo:
    """A backup file under any name (e.g. copied to a USB stick and renamed)."""
    b = files.parse_name(path)
    if b is not None:
        return _info(b)
    st = path.stat()
    when = datetime.fromtimestamp(st.st_mtime).isoformat(timespec="seconds")
    return BackupInfo(path=str(path), created_at=when, size=st.st_size, kind="file")


RESTORE_LOCK_WAIT_S = 30.0
USB_SETTING = "backup.usb_copy"      # "1": copy the daily backup to a USB stick when inserted
USB_FOLDER = "诉求通备份"             # on the stick: 诉求通备份/<station code>/suqiu-….db
KEEP_ON_USB = 7                       # this station's newest copies kept on a stick


class BackupService:
    def __init__(self, paths: AppPaths, store: Store,
                 accounts: AccountService | None = None) -> None:
        self._paths = paths
        self._store = store
        self._accounts = accounts or AccountService(store)

    @property
    def _mirror(self) -> Path:
        return self._paths.backups_dir / "attachments"

    def backup_now(self, *, kind: str = "manual") -> BackupInfo:
        """Write, verify and rotate a backup; mirror new attachment files."""
        try:
            path = files.make_backup(self._paths.db_path, self._paths.backups_dir)
        except files.BackupError as exc:
            raise ServiceError(exc.code) from None
        except OSError:
            log.exception("backup failed")
            raise ServiceError("backup_failed") from None
        files.mirror_attachments(self._paths.attachments_dir, self._mirror)
        files.rotate(self._paths.backups_dir)
        b = files.parse_name(path)
        assert b is not None
        return _info(b, kind)

    def daily_backup_if_due(self) -> BackupInfo | None:
        """Make today's backup unless one already exists (called at start-up)."""
        today = datetime.now().date()
        if any(b.when.date() == today and b.regular
               for b in files.list_files(self._paths.backups_dir)):
            return None
        return self.backup_now(kind="auto")

    # ---- the daily backup on a USB stick (issue 12 item 4) ------------------------------
    @staticmethod
    def removable_drives() -> list[Path]:
        """The USB sticks mounted now (station_app.usb)."""
        from ..usb import removable_drives

        return removable_drives()

    def usb_copy_enabled(self) -> bool:
        with self._store.read() as s:
            return get_setting(s, USB_SETTING) == "1"

    def set_usb_copy(self, enabled: bool) -> Changes:
        with self._store.session() as s:
            set_setting(s, USB_SETTING, "1" if enabled else "0")
        return Changes(station=True)

    def copy_to_usb_if_enabled(self, drives: list[Path]) -> list[BackupInfo]:
        """The setting on: today's backup (made now if due) copied to each of ``drives``;
        [] when the setting is off.  ServiceError('usb_copy_failed') if a copy failed."""
        if not drives or not self.usb_copy_enabled():
            return []
        return [self.copy_to_usb(Path(d)) for d in drives]

    def copy_to_usb(self, drive: Path) -> BackupInfo:
        """Copy the newest daily backup (today's, made first if there is none) to
        ``drive/诉求通备份/<station code>/``, verified there; a copy already there is kept.
        Only this station's newest ``KEEP_ON_USB`` copies stay on the stick."""
        self.daily_backup_if_due()
        newest = next((b for b in files.list_files(self._paths.backups_dir) if b.regular),
                      None)
        if newest is None:
            raise ServiceError("usb_copy_failed")
        code = files.station_id_of(newest.path) or "station"
        with self._store.read() as s:
            row = s.execute(text("SELECT station_code FROM station WHERE id = 1")).first()
        if row is not None and str(row[0]).isalnum():
            code = str(row[0])
        folder = Path(drive) / USB_FOLDER / code
        target = folder / newest.path.name
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if not (target.is_file() and target.stat().st_size == newest.path.stat().st_size):
                copy_private(newest.path, target)
            files.verify(target)
            for old in [b.path for b in files.list_files(folder) if b.regular][KEEP_ON_USB:]:
                old.unlink(missing_ok=True)
        except (OSError, files.BackupError):
            log.exception("copying the backup to the USB stick failed")
            try:
                target.unlink(missing_ok=True)     # a half-written or damaged copy
            except OSError:
                pass
            raise ServiceError("usb_copy_failed") from None
        log.info("backup %s copied to a USB stick", newest.path.name)
        return _info(files.parse_name(target) or newest, "usb")

    def list_backups(self) -> list[BackupInfo]:
        return [_info(b) for b in files.list_files(self._paths.backups_dir)]

    def restore_as(self, file: str | Path, login: str, password: str) -> Restored:
        """Restore from inside the app: an administrator's password first
        (ServiceError('auth_failed') / ('permission_denied')), then everything
        :meth:`restore` does, while no sync of this station runs (the sync's file lock is
        held; ServiceError('sync_busy') if a sync does not finish within 30 s).  The result's
        ``changes`` say that everything may differ: every screen reloads."""
        op = self._accounts.authenticate(login, password)
        if op.role != Role.ADMIN:
            raise ServiceError("permission_denied")
        src = Path(file)
        try:
            files.verify(src)
        except files.BackupError as exc:
            raise ServiceError(exc.code) from None
        source = _file_info(src)
        from filelock import FileLock, Timeout

        lock = FileLock(self._paths.sync_lock, timeout=RESTORE_LOCK_WAIT_S)
        try:
            lock.acquire()
        except Timeout:
            raise ServiceError("sync_busy") from None
        try:
            pre, merged = self._restore(src)
        finally:
            lock.release()
        log.info("restore from the app finished")
        return Restored(restored_from=source, pre_restore=pre, merged_back=merged)

    def restore(self, file: str | Path) -> BackupInfo:
        """Verify ``file``, keep the current DB as a pre-restore backup, replace it
        atomically, then reopen the store (migrated to head) so the same services keep
        working.  Returns the pre-restore backup.  ServiceError codes: backup_missing,
        backup_corrupt, backup_not_station.

        A restore never loses an event nor reuses a number: everything the current
        database held that the backup lacks (events written after the backup, their outbox
        rows, the counters for station_seq and case numbers) is merged back from the
        pre-restore copy — the event log is a set, so the union is the right answer.  Without
        this, the next registration would reuse a station_seq (refused by the server) and a
        case number already printed on a petitioner's receipt."""
        return self._restore(Path(file))[0]

    def _restore(self, src: Path) -> tuple[BackupInfo, int]:
        try:
            files.verify(src)
        except files.BackupError as exc:
            raise ServiceError(exc.code) from None
        ours, theirs = files.station_id_of(self._paths.db_path), files.station_id_of(src)
        if ours and theirs and ours != theirs:
            # another station's data would mix two event logs under one identity
            raise ServiceError("backup_other_station")
        pre = files.make_backup(self._paths.db_path, self._paths.backups_dir,
                                prefix=files.PRE_RESTORE)
        self._store.close()
        try:
            files.replace_database(self._paths.db_path, src)
        finally:
            self._store.reopen()
        if self._mirror.is_dir():
            files.mirror_attachments(self._mirror, self._paths.attachments_dir)
        merged = self._merge_back(pre)
        log.info("restore finished; %d later events merged back", merged)
        b = files.parse_name(pre)
        assert b is not None
        return _info(b, "pre-restore"), merged

    def _merge_back(self, pre_restore: Path) -> int:
        """Union the pre-restore database's events, outbox and counters into the restored
        one (one transaction).  Returns how many events came back."""
        try:
            old = sqlite3.connect(f"file:{pre_restore}?mode=ro", uri=True)
            rows = old.execute(
                "SELECT event_id, case_id, station_id, station_seq, type, lamport, actor,"
                " occurred_at, payload, payload_enc, route, schema_version FROM event"
                " ORDER BY local_pos").fetchall()
            outbox = {r[0] for r in old.execute("SELECT event_id FROM outbox")}
            counters = old.execute("SELECT name, value FROM counter").fetchall()
            old.close()
        except sqlite3.Error:
            log.exception("pre-restore copy unreadable: later events not merged back")
            return 0
        with self._store.session() as s:
            conn = s.connection()
            have = {r[0] for r in conn.execute(text("SELECT event_id FROM event"))}
            missing = [Event(event_id=r[0], case_id=r[1], station_id=r[2], station_seq=r[3],
                             type=r[4], lamport=r[5], actor=r[6], occurred_at=r[7],
                             payload=bytes(r[8]), payload_enc=r[9], route=r[10] or "",
                             schema_version=r[11])
                       for r in rows if r[0] not in have]
            try:
                applied, _ = apply_remote_events(s, missing)
            except StoreError:
                # the backup is from another lineage of this station: keep what it has,
                # the pre-restore file stays in backups/ for the county to reconcile
                log.exception("restore: later events conflict with the backup; not merged")
                s.rollback()
                return 0
            for ev in missing:
                if ev.event_id in outbox:
                    conn.execute(text("INSERT OR IGNORE INTO outbox (event_id, queued_at)"
                                      " VALUES (:e, :q)"), {"e": ev.event_id, "q": ev.occurred_at})
            for name, value in counters:
                conn.execute(text("INSERT INTO counter (name, value) VALUES (:n, :v)"
                                  " ON CONFLICT(name) DO UPDATE"
                                  " SET value = max(value, excluded.value)"),
                             {"n": name, "v": value})
        return applied
