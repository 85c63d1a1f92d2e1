"""Backups the operator can trust: online SQLite backup, verified, rotated, restorable.

See :mod:`station_app.backup` for the file mechanics and why attachments are mirrored
rather than copied into every backup.
"""
from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from .. import backup as files
from ..paths import AppPaths
from ..store import Store
from .types import BackupInfo, ServiceError

log = logging.getLogger(__name__)

_MESSAGES = {
    "backup_missing": "找不到这个备份文件。",
    "backup_corrupt": "备份文件已损坏，不能使用。",
    "backup_not_station": "这不是诉求通的备份文件。",
}


def _info(b: files.BackupFile, kind: str | None = None) -> BackupInfo:
    return BackupInfo(path=str(b.path), created_at=b.when.isoformat(timespec="seconds"),
                      size=b.path.stat().st_size,
                      kind=kind or ("pre-restore" if b.pre_restore else "auto"))


class BackupService:
    def __init__(self, paths: AppPaths, store: Store) -> None:
        self._paths = paths
        self._store = store

    @property
    def _mirror(self) -> Path:
        return self._paths.backups_dir / "attachments"

    def backup_now(self, *, kind: str = "manual") -> BackupInfo:
        """Write, verify and rotate a backup; mirror new attachment files."""
        try:
            path = files.make_backup(self._paths.db_path, self._paths.backups_dir)
        except files.BackupError as exc:
            raise ServiceError(exc.code, "备份失败，请检查磁盘空间后重试。") from None
        except OSError:
            log.exception("backup failed")
            raise ServiceError("backup_failed", "备份失败，请检查磁盘空间后重试。") from None
        files.mirror_attachments(self._paths.attachments_dir, self._mirror)
        files.rotate(self._paths.backups_dir)
        b = files.parse_name(path)
        assert b is not None
        return _info(b, kind)

    def daily_backup_if_due(self) -> BackupInfo | None:
        """Make today's backup unless one already exists (called at start-up)."""
        today = datetime.now().date()
        if any(b.when.date() == today and not b.pre_restore
               for b in files.list_files(self._paths.backups_dir)):
            return None
        return self.backup_now(kind="auto")

    def list_backups(self) -> list[BackupInfo]:
        return [_info(b) for b in files.list_files(self._paths.backups_dir)]

    def restore(self, file: str | Path) -> BackupInfo:
        """Verify ``file``, keep the current DB as a pre-restore backup, replace it
        atomically, then reopen the store (migrated to head) so the same services keep
        working.  Returns the pre-restore backup.  ServiceError codes: backup_missing,
        backup_corrupt, backup_not_station."""
        src = Path(file)
        try:
            files.verify(src)
        except files.BackupError as exc:
            raise ServiceError(exc.code, _MESSAGES.get(exc.code, "备份文件不能使用。")) from None
        pre = files.make_backup(self._paths.db_path, self._paths.backups_dir,
                                prefix=files.PRE_RESTORE)
        self._store.close()
        try:
            files.replace_database(self._paths.db_path, src)
        finally:
            self._store.reopen()
        if self._mirror.is_dir():
            files.mirror_attachments(self._mirror, self._paths.attachments_dir)
        log.info("restore finished")
        b = files.parse_name(pre)
        assert b is not None
        return _info(b, "pre-restore")
