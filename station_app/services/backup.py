"""Backups the operator can trust: online SQLite backup, verified, rotated, restorable."""
from __future__ import annotations

from pathlib import Path

from ..paths import AppPaths
from ..store import Store
from .types import BackupInfo


class BackupService:
    def __init__(self, paths: AppPaths, store: Store) -> None:
        self._paths = paths
        self._store = store

    def backup_now(self) -> BackupInfo:
        raise NotImplementedError

    def daily_backup_if_due(self) -> BackupInfo | None:
        raise NotImplementedError

    def list_backups(self) -> list[BackupInfo]:
        raise NotImplementedError

    def restore(self, file: str | Path) -> BackupInfo:
        """Verify ``file``, keep the current DB as a pre-restore backup, replace atomically.
        The caller must reopen StationServices afterwards (the store is closed).
        ServiceError codes: backup_missing, backup_corrupt, backup_not_station."""
        raise NotImplementedError
