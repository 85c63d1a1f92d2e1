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
    def default(cls, override: str | os.PathLike[str] | None = None) -> "AppPaths":
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

    def ensure(self) -> "AppPaths":
        """Create every folder as private (0700, also when it already existed);
        idempotent; returns self for chaining.  See :mod:`station_app.filemodes`."""
        for p in (self.root, self.attachments_dir, self.backups_dir, self.logs_dir,
                  self.keys_dir, self.bundles_dir):
            private_dir(p)
        return self
