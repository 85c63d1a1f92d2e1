"""The one place that decides where the station keeps its files.

Every other module receives an :class:`AppPaths` (injected), so tests and ``--data-dir``
isolate completely.  Nothing is created at import time; :meth:`AppPaths.ensure` makes the
folders when a program actually starts.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .filemodes import private_dir

ENV_DATA_DIR = "SUQIU_DATA_DIR"


@dataclass(frozen=True)
class AppPaths:
    """All station paths derive from one root folder."""

    root: Path

    def __post_init__(self) -> None:
        object.__setattr__(self, "root", Path(self.root).expanduser().resolve())

    @classmethod
    def default(cls, override: str | os.PathLike[str] | None = None) -> AppPaths:
        """``override`` (``--data-dir``) wins, then env ``SUQIU_DATA_DIR``, then platformdirs."""
        if override:
            return cls(Path(override))
        env = os.environ.get(ENV_DATA_DIR)
        if env:
            return cls(Path(env))
        import platformdirs  # lazily: keeps import of this module side-effect free

        return cls(Path(platformdirs.user_data_dir("suqiu", appauthor=False)))

    @property
    def db_path(self) -> Path:
        return self.root / "station.db"

    @property
    def sync_lock(self) -> Path:
        """Held (an OS file lock) while one process syncs this station."""
        return self.root / "sync.lock"

    @property
    def attachments_dir(self) -> Path:
        return self.root / "attachments"

    @property
    def backups_dir(self) -> Path:
        return self.root / "backups"

    @property
    def logs_dir(self) -> Path:
        return self.root / "logs"

    @property
    def keys_dir(self) -> Path:
        return self.root / "keys"

    @property
    def bundles_dir(self) -> Path:
        return self.root / "bundles"

    def ensure(self) -> AppPaths:
        """Create every folder as private (0700, also when it already existed);
        idempotent; returns self for chaining.  See :mod:`station_app.filemodes`."""
        for p in (self.root, self.attachments_dir, self.backups_dir, self.logs_dir,
                  self.keys_dir, self.bundles_dir):
            private_dir(p)
        return self

    # ---- a first run that was cancelled -------------------------------------------------
    def entries(self) -> frozenset[str] | None:
        """The names in the root folder now; None when it does not exist."""
        try:
            return frozenset(p.name for p in self.root.iterdir())
        except FileNotFoundError:
            return None

    def discard_unfinished(self, before: frozenset[str] | None) -> None:
        """Undo what a cancelled first run made (the caller has checked that no station was
        set up): the empty database, every folder of ours that ``before`` (``entries()``
        taken before the run) did not list, and the root when it did not exist.  Anything
        else — a file someone put there, a folder that was there before — is left alone."""
        import shutil

        ours = {self.attachments_dir, self.backups_dir, self.logs_dir, self.keys_dir,
                self.bundles_dir, self.sync_lock}
        db = self.db_path
        for p in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm"),
                  db.with_name(db.name + "-journal")):
            p.unlink(missing_ok=True)
        for p in ours:
            if (before is not None and p.name in before) or p.is_symlink():
                continue
            if p.is_dir():
                shutil.rmtree(p, ignore_errors=True)
            elif p.exists():
                p.unlink(missing_ok=True)
        if before is None:
            try:
                self.root.rmdir()  # only when empty: nothing but ours was in it
            except OSError:
                pass

