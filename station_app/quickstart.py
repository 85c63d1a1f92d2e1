"""The login's quick path (issue 12): what the login window needs, read with plain sqlite3.

Opening the station's services imports SQLAlchemy and every service (about half a second
on the development machine, several on an old village PC).  The login window needs only
the station's name, so ``probe`` reads it read-only with the standard library; the app then
shows the login at once and opens the services on a worker thread while the clerk types.

``probe`` answers ``None`` whenever the quick path is not certain to be right — no database
yet (the first run), a database not at ``HEAD_REVISION`` (it must be backed up and migrated
first), no station row, or anything unreadable — and the app then takes the full path it
always took.  The credential check itself stays in ``AccountService.authenticate`` (scrypt,
login throttling), run once the store is open.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from .store.migrations import HEAD_REVISION

START_MARKER_ENV = "SUQIU_START_MARKER"
START_MARKER = "suqiu-start: login shown"


@dataclass(frozen=True)
class QuickStation:
    name: str


def probe(db_path: Path) -> QuickStation | None:
    """The station's name when the database at ``db_path`` is set up and at head."""
    if not db_path.is_file():
        return None
    try:
        con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=2)
        try:
            rev = con.execute("SELECT version_num FROM alembic_version").fetchall()
            if rev != [(HEAD_REVISION,)]:
                return None
            row = con.execute("SELECT name FROM station WHERE id = 1").fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return None
    if row is None or not isinstance(row[0], str):
        return None
    return QuickStation(name=row[0])
