"""The composition handle: one store, one set of services (ARCHITECTURE: one root)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from ..paths import AppPaths
from ..store import Store, open_store
from ..sync.reference import install_holidays
from .accounts import AccountService
from .backup import BackupService
from .casebook import CasebookService
from .cases import CaseService
from .documents import DocumentService
from .intake import IntakeService
from .queues import QueueService
from .session import SessionService
from .setup import SetupService
from .types import Restored

if TYPE_CHECKING:
    from .sync_service import SyncService


@dataclass
class StationServices:
    paths: AppPaths
    store: Store
    setup: SetupService
    accounts: AccountService
    intake: IntakeService
    cases: CaseService
    casebook: CasebookService
    documents: DocumentService
    backup: BackupService
    session: SessionService

    @classmethod
    def open(cls, paths: AppPaths) -> StationServices:
        """Open (create/migrate) the station database under ``paths`` and wire services."""
        paths.ensure()
        store = open_store(paths)
        return cls.from_store(paths, store)

    @classmethod
    def from_store(cls, paths: AppPaths, store: Store) -> StationServices:
        with store.read() as s:     # the holiday years the county sent count from now on
            install_holidays(s)
        setup = SetupService(store)
        accounts = AccountService(store)
        return cls(
            paths=paths,
            store=store,
            setup=setup,
            accounts=accounts,
            intake=IntakeService(store, paths),
            cases=CaseService(store),
            casebook=CasebookService(store),
            documents=DocumentService(store),
            backup=BackupService(paths, store, accounts),
            session=SessionService(store, accounts),
        )

    @cached_property
    def queues(self) -> QueueService:
        """The workbench queues of this station's unit (issue 9 item 4)."""
        return QueueService(self.store, self.cases)

    @cached_property
    def sync(self) -> SyncService:
        """The one sync service of this station (its automatic loop and its lock are shared
        by every page that shows sync state).  Built on first use: it imports requests,
        which the first window does not need."""
        from .sync_service import SyncService

        return SyncService(self.store, self.paths)

    def restore_backup(self, file: str | Path, login: str, password: str) -> Restored:
        """Restore from inside the app (BackupService.restore_as) with this station's
        automatic sync paused, so no sync thread holds the database while it is swapped;
        the loop starts again afterwards if it was running."""
        sync = self.__dict__.get("sync")   # only if ever built
        running = sync is not None and sync.auto_running
        if sync is not None:
            sync.stop_auto()
        try:
            return self.backup.restore_as(file, login, password)
        finally:
            if running and sync is not None:
                sync.resume_auto()

    def close(self) -> None:
        """Stop the automatic sync, then dispose the engine (before restore, in tests)."""
        if "sync" in self.__dict__:
            self.sync.stop_auto()
        self.store.close()
