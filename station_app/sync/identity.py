"""Who this station is, read from the store's one ``station`` row (written by setup)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..store import Store
from ..store.models import Station
from ..store.units import station_unit


@dataclass(frozen=True)
class Identity:
    station_id: str
    station_code: str
    division: str
    level: int
    name: str
    unit: str = ""      # the unit it acts as (its division, or a department of it)


def load_identity(store: Store) -> Identity | None:
    """The station's identity, or None before the first-run setup."""
    with store.read() as s:
        row = s.execute(select(Station)).scalars().first()
        if row is None:
            return None
        return Identity(row.station_id, row.station_code, row.division, row.level, row.name,
                        station_unit(s) or row.division)
