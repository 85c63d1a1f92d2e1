"""Move a county database to another one: ``suqiu-server migrate-db --to URL``.

Made for moving from the embedded SQLite to PostgreSQL (docs/DEPLOY.md §2), and works
between any two databases SQLAlchemy reaches.  The server must be stopped: the copy reads a
snapshot of the source (one read transaction) and writes the target in ONE transaction, so a
failure leaves the target as empty as it was.

* The source is first migrated to head (what ``serve`` would do), the target is created at
  head, and both must then hold exactly the tables of the program's schema: a table the
  program does not know is refused, never skipped.
* The target must be empty: no row in any table (a second run, or the wrong URL, must not
  mix two counties).
* Rows are copied table by table in foreign-key order, in batches, through the program's own
  column types (SQLite's 0/1 become PostgreSQL booleans).
* On PostgreSQL every serial/identity sequence is set past the copied values, so the next
  merge continues the positions stations already hold as cursors.
* Afterwards every table's row count is compared; any difference fails the move.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, Integer, Table, func, inspect, select, text
from sqlalchemy.engine import make_url

from ..store.db import is_postgres, make_engine, migrate_to_head, normalize_url
from ..store.models import metadata

BATCH = 2000
_ALEMBIC = "alembic_version"


class MigrateError(Exception):
    """The move was refused or failed; the target holds nothing of it."""


@dataclass(frozen=True)
class Moved:
    tables: dict[str, int]      # table → rows copied

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


def _where(url: str) -> tuple[object, ...]:
    u = make_url(url)
    return (u.get_backend_name(), u.host, u.port, u.database, tuple(sorted(u.query.items())))


def _same_database(a: str, b: str) -> bool:
    return _where(a) == _where(b)


def _tables_of(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names()) - {_ALEMBIC}


def _check_schema(engine: Engine, which: str) -> None:
    known = {t.name for t in metadata.sorted_tables}
    there = _tables_of(engine)
    if there - known:
        raise MigrateError(f"the {which} database has tables this program does not know: "
                           f"{', '.join(sorted(there - known))}; nothing was copied")
    if known - there:
        raise MigrateError(f"the {which} database lacks tables: "
                           f"{', '.join(sorted(known - there))}; nothing was copied")


def _count(conn: Connection, table: Table) -> int:
    return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def move(source_url: str, target_url: str, *,
         progress: Callable[[str, int], None] | None = None) -> Moved:
    """Copy every row of ``source_url`` into the empty database ``target_url``."""
    source_url, target_url = normalize_url(source_url), normalize_url(target_url)
    if _same_database(source_url, target_url):
        raise MigrateError("the target is the database the server uses now")
    source = make_engine(source_url)
    try:
        target = make_engine(target_url)
    except Exception as exc:   # a bad URL or a missing driver
        source.dispose()
        raise MigrateError(f"cannot use the target database: {exc}") from exc
    try:
        try:
            migrate_to_head(source)
            migrate_to_head(target)
        except Exception as exc:
            raise MigrateError(f"cannot prepare the databases: {exc}") from exc
        _check_schema(source, "source")
        _check_schema(target, "target")
        tables = metadata.sorted_tables
        copied: dict[str, int] = {}
        with source.connect() as src, target.begin() as dst:
            busy = [t.name for t in tables if _count(dst, t)]
            if busy:
                raise MigrateError(f"the target database is not empty ({', '.join(busy)}); "
                                   "give the URL of a new, empty database")
            for table in tables:
                n = 0
                order = list(table.primary_key.columns) or list(table.columns)
                result = src.execution_options(stream_results=True).execute(
                    select(table).order_by(*order))
                for chunk in result.mappings().partitions(BATCH):
                    dst.execute(table.insert(), [dict(r) for r in chunk])
                    n += len(chunk)
                copied[table.name] = n
                if progress:
                    progress(table.name, n)
            if is_postgres(target):
                for table in tables:
                    for col in table.primary_key.columns:
                        if isinstance(col.type, Integer) and col.autoincrement is not False:
                            dst.execute(text(
                                f"SELECT setval(pg_get_serial_sequence('{table.name}', "
                                f"'{col.name}'), COALESCE(MAX({col.name}), 0) + 1, false) "
                                f"FROM {table.name}"))
            differ = {t.name: (copied[t.name], _count(dst, t)) for t in tables
                      if _count(dst, t) != copied[t.name] or _count(src, t) != copied[t.name]}
            if differ:
                raise MigrateError(f"row counts differ after the copy: {differ}")
        return Moved(copied)
    finally:
        source.dispose()
        target.dispose()
