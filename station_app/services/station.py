"""The composition handle: one store, one set of services (ARCHITECTURE: one root)."""
from __future__ import annotations

from dataclasses import dataclass

from ..paths import AppPaths
from ..store import Store, open_store
from .accounts import AccountService
from .backup import BackupService
from .casebook import CasebookService
from .cases import CaseService
from .documents import DocumentService
from .intake import IntakeService
from .setup import SetupService


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

    @classmethod
    def open(cls, paths: AppPaths) -> "StationServices":
        """Open (create/migrate) the station database under ``paths`` and wire services."""
        paths.ensure()
        store = open_store(paths)
        return cls.from_store(paths, store)

    @classmethod
    def from_store(cls, paths: AppPaths, store: Store) -> "StationServices":
        setup = SetupService(store)
        return cls(
            paths=paths,
            store=store,
            setup=setup,
            accounts=AccountService(store),
            intake=IntakeService(store, paths),
            cases=CaseService(store),
            casebook=CasebookService(store),
            documents=DocumentService(store),
            backup=BackupService(paths, store),
        )

    def close(self) -> None:
        """Dispose the engine (needed before restore or in tests)."""
        self.store.close()
