"""Who is calling: enrolled stations, their signatures and the replay counter.

The counter is consumed in its own committed transaction *before* the request's work, so a
replay of any request (even one whose work failed) is refused, and a station that crashed
after sending never reuses a counter (it persists the counter before sending).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, Row, select, update

from petition_core.protocol import ProtocolError, signing_message, verify_signature

from ..store.models import stations
from . import utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StationInfo:
    station_id: str
    station_code: str
    division: str
    level: int
    name: str
    public_key: str
    revoked: bool
    relay_of: str | None
    epoch: int = 1
    station_no: int | None = None
    server_id: str | None = None     # an upstream relay: the lower server's own id …
    server_key: str | None = None    # … and signing key (its register records)
    unit: str | None = None          # the unit it acts as (a department's code); None: its division


def _info(row: Row[Any]) -> StationInfo:
    return StationInfo(
        station_id=row.station_id, station_code=row.station_code, division=row.division,
        level=row.level, name=row.name, public_key=row.public_key,
        revoked=row.revoked_at is not None, relay_of=row.relay_of, epoch=row.epoch,
        station_no=row.station_no, server_id=row.server_id, server_key=row.server_key,
        unit=getattr(row, "unit", None),
    )


def get_station(engine: Engine, station_id: str) -> StationInfo | None:
    with engine.connect() as conn:
        row = conn.execute(select(stations).where(stations.c.station_id == station_id)).first()
    return _info(row) if row else None


def parse_counter(text: str | None) -> int:
    if text is None or not (text.isascii() and text.isdigit()) or len(text) > 18:
        raise ProtocolError("auth_missing", 401, "counter")
    return int(text)


def authenticate(
    engine: Engine,
    *,
    station_id: str | None,
    counter_text: str | None,
    signature: str | None,
    method: str,
    path: str,
    body: bytes,
    server_id: str,
) -> StationInfo:
    """Verify a signed request and consume its counter; raise ProtocolError otherwise.
    The signature covers this server's id and the station's epoch (protocol 2): a request
    made for another server, or before the station was re-enrolled, does not verify."""
    if not station_id or not signature:
        raise ProtocolError("auth_missing", 401)
    counter = parse_counter(counter_text)
    info = get_station(engine, station_id)
    if info is None:
        raise ProtocolError("auth_unknown_station", 401)
    if info.revoked:
        raise ProtocolError("auth_revoked", 403)
    try:
        message = signing_message(method, path, counter, body, server_id=server_id,
                                  station_id=station_id, epoch=info.epoch)
    except ValueError:
        raise ProtocolError("auth_bad_signature", 401) from None
    if not verify_signature(info.public_key, signature, message):
        log.warning("bad signature from station %s on %s", station_id, path)
        raise ProtocolError("auth_bad_signature", 401)
    with engine.begin() as conn:
        res = conn.execute(
            update(stations)
            .where(
                stations.c.station_id == station_id,
                stations.c.last_counter < counter,
                stations.c.epoch == info.epoch,
                stations.c.revoked_at.is_(None),
            )
            .values(last_counter=counter, last_sync_at=utcnow())
        )
        if res.rowcount != 1:
            raise ProtocolError("auth_replayed", 409, {"counter": counter})
    return info
