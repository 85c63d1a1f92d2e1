"""Engine, connection pragmas, sessions and programmatic Alembic upgrade.

Durability choice: WAL with ``synchronous=FULL``.  NORMAL already survives a SIGKILL of the
process (committed pages sit in the OS cache and the WAL), but village PCs lose power often;
FULL syncs the WAL on every commit so "saved" survives a power cut too.  Commits are
human-paced (one per action) and bulk fills use large transactions, so the cost is small.

Write sessions start with ``BEGIN IMMEDIATE`` so two writers never deadlock on a lock
upgrade; readers use a deferred BEGIN and, under WAL, never block writers.

Start-up: a database already at ``HEAD_REVISION`` is opened without importing Alembic
(one SELECT on ``alembic_version``); Alembic runs only when there is something to migrate.

Before every migration of an existing database (``open_store``, ``Store.reopen``) a
verified backup ``backups/suqiu-pre-migrate-….db`` is taken (issue 12); when the migration
fails, that backup is put back and :class:`MigrationError` says so with a code the app shows
in Chinese (``migration_failed``, ``migration_backup_failed`` when the backup itself could
not be made — then nothing was migrated — or ``migration_failed_unrestored``).
"""
from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from ..filemodes import private_dir, touch_private
from ..paths import AppPaths
from .migrations import HEAD_REVISION

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 10_000


class MigrationError(Exception):
    """A migration refused or failed; ``code`` and ``params`` as a ServiceError's (the app
    shows them with ui.messages.describe_exception)."""

    def __init__(self, code: str, **params: str) -> None:
        super().__init__(code)
        self.code = code
        self.params = params
MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def make_engine(db_path: Path) -> Engine:
    """An engine with the station's pragmas applied to every new connection."""
    engine = create_engine(
        f"sqlite:///{db_path}",
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _rec) -> None:  # noqa: ANN001
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (see _on_begin)
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA synchronous=FULL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # noqa: ANN001
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def alembic_config(engine: Engine):  # -> alembic.config.Config
    """Programmatic Alembic config (no alembic.ini): script location is our package."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "head", *, backup_dir: Path | None = None) -> None:
    """Migrate to ``revision``; skipped (no Alembic import) when asking for head and the
    database is already there.  With ``backup_dir``, an existing database is backed up
    there first and restored from that backup if the migration fails (MigrationError)."""
    at_head = revision in ("head", HEAD_REVISION)
    if at_head and current_revision(engine) == HEAD_REVISION:
        return
    from contextlib import nullcontext

    from filelock import FileLock

    # One migrating process at a time (the app and a CLI command may open a new or old
    # database at once): the others wait here, then find it at head, instead of waiting on
    # SQLite's busy timeout, which a long migration on a slow PC outlasts.
    # The lock file goes once the migration is done (a process still waiting on it then
    # finds the database at head; nothing of it is left in a data folder).
    db = engine.url.database
    lock_path = Path(db + ".migrate.lock") if db and db != ":memory:" else None
    with FileLock(lock_path) if lock_path else nullcontext():
        if not (at_head and current_revision(engine) == HEAD_REVISION):
            _migrate(engine, revision, backup_dir)
        if lock_path is not None:
            lock_path.unlink(missing_ok=True)


def _migrate(engine: Engine, revision: str, backup_dir: Path | None) -> None:
    from alembic import command

    from .. import backup as files

    db = engine.url.database
    before = current_revision(engine)
    saved: Path | None = None
    if backup_dir is not None and before is not None and db and db != ":memory:":
        try:
            saved = files.make_backup(Path(db), backup_dir, prefix=files.PRE_MIGRATE)
        except (OSError, sqlite3.Error, files.BackupError) as exc:
            # no backup, no migration: the data stays as the old version left it
            log.error("backup before migrating from %s failed: %s", before,
                      type(exc).__name__)
            raise MigrationError("migration_backup_failed") from exc
    try:
        command.upgrade(alembic_config(engine), revision)
    except Exception as exc:
        if saved is None or db is None:
            raise
        log.exception("migration from %s to %s failed; restoring %s", before, revision,
                      saved.name)
        engine.dispose()
        try:
            files.replace_database(Path(db), saved)
        except (OSError, sqlite3.Error):
            log.exception("restoring %s after the failed migration failed", saved.name)
            raise MigrationError("migration_failed_unrestored", backup=saved.name) from exc
        raise MigrationError("migration_failed", backup=saved.name) from exc
    if saved is not None:
        log.info("migrated from %s to %s; backup before it: %s", before,
                 current_revision(engine), saved.name)
        files.rotate(saved.parent)


def current_revision(engine: Engine) -> str | None:
    """The revision stamped in ``alembic_version`` (None for a new, empty database).

    Read with plain SQL, as Alembic's MigrationContext would, without importing it."""
    with engine.connect() as conn:
        if conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE type = 'table'"
                                " AND name = 'alembic_version'").first() is None:
            return None
        rows = conn.exec_driver_sql("SELECT version_num FROM alembic_version").all()
    # no row, or several (a branched stamp): not a plain "at head", so Alembic decides
    return rows[0][0] if len(rows) == 1 else None


class Store:
    """One station database.  ``session()`` is a write transaction (BEGIN IMMEDIATE) that
    commits on success and rolls back on any exception; ``read()`` is a read transaction."""

    def __init__(self, engine: Engine, paths: AppPaths | None = None) -> None:
        self.paths = paths
        self._bind(engine)

    def _bind(self, engine: Engine) -> None:
        self.engine = engine
        self._write = sessionmaker(bind=engine.execution_options(sqlite_begin="IMMEDIATE"),
                                   expire_on_commit=False)
        self._read = sessionmaker(bind=engine, expire_on_commit=False)

    def reopen(self) -> None:
        """Dispose the engine and open the file again, migrated to head (after a restore
        put another, possibly older, database file in place)."""
        if self.paths is None:
            raise RuntimeError("reopen needs the store's paths")
        self.engine.dispose()
        _private_database(self.paths.db_path)
        engine = make_engine(self.paths.db_path)
        upgrade(engine, backup_dir=self.paths.backups_dir)
        self._bind(engine)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._write() as s, s.begin():
            yield s

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._read() as s, s.begin():
            yield s

    def close(self) -> None:
        self.engine.dispose()


def _private_database(db_path: Path) -> None:
    """The database file (and its -wal/-shm, which SQLite creates with the database's own
    mode) readable by this user only, also when an older version made it 0644."""
    touch_private(db_path)
    for suffix in ("-wal", "-shm"):
        side = Path(str(db_path) + suffix)
        if side.exists():
            touch_private(side)


def open_store(paths: AppPaths, *, revision: str = "head") -> Store:
    """Open the station DB under ``paths`` (creating it) and migrate it to ``revision``."""
    private_dir(paths.root)
    _private_database(paths.db_path)
    engine = make_engine(paths.db_path)
    upgrade(engine, revision, backup_dir=paths.backups_dir)
    log.info("station store open at revision %s", current_revision(engine))
    return Store(engine, paths)
