"""County administration: the station list and revocation (used by the CLI)."""
from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import Engine, func, select, update

from petition_core.protocol import ProtocolError

from ..store.cases import station_unit
from ..store.models import enrollment_codes, events, station_progress, stations, voided_events
from . import register, utcnow
from .identity import ServerIdentity

log = logging.getLogger(__name__)

__all__ = ["station_unit", "list_stations", "revoke", "event_count", "StationRow"]


@dataclass(frozen=True)
class StationRow:
    station_id: str
    station_code: str        # the station number within its division ("2"), "" if none
    division: str
    name: str
    last_sync_at: str | None
    high_seq: int
    revoked: bool
    pending: bool  # an issued enrollment code not used yet (no station_id)
    voided: int = 0  # records refused for their content (`suqiu-server rejected`)


def list_stations(engine: Engine) -> list[StationRow]:
    """Enrolled stations, then pending codes (issued, unused, unexpired) per division."""
    now = utcnow()
    with engine.connect() as conn:
        rows = conn.execute(
            select(stations, station_progress.c.high_seq)
            .select_from(stations.outerjoin(
                station_progress, station_progress.c.station_id == stations.c.station_id))
            .order_by(stations.c.division, stations.c.name)
        ).all()
        voided: dict[str, int] = {sid: n for sid, n in conn.execute(
            select(voided_events.c.station_id, func.count()).group_by(voided_events.c.station_id)
        ).all()}
        pending = conn.execute(
            select(enrollment_codes.c.division, func.count())
            .where(enrollment_codes.c.used_at.is_(None), enrollment_codes.c.expires_at >= now)
            .group_by(enrollment_codes.c.division)
        ).all()
    out = [StationRow(r.station_id, str(r.station_no or ""), r.division, r.name, r.last_sync_at,
                      r.high_seq or 0, r.revoked_at is not None, False,
                      voided.get(r.station_id, 0)) for r in rows]
    out += [StationRow("", "", div, f"({n})", None, 0, False, True) for div, n in pending]
    return out


def revoke(engine: Engine, station_id: str, ident: ServerIdentity) -> None:
    """Refuse every later request of the station; its events already merged stay.  Its
    register record is signed again as revoked, so townships stop taking its bundles."""
    with engine.execution_options(sqlite_immediate=True).begin() as conn:
        res = conn.execute(update(stations).where(stations.c.station_id == station_id)
                           .values(revoked_at=utcnow()))
        if res.rowcount != 1:
            raise ProtocolError("auth_unknown_station", 404)
        register.issue(conn, ident, station_id)
    log.info("station %s revoked", station_id)


def event_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(events)).scalar() or 0)
