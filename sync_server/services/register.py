"""The signed register of stations and the receipts (docs/decisions/0004-trust-model.md).

* ``issue`` — a record for a station this server enrolled, signed with the server key,
  written whenever the station changes (enrolled, re-enrolled, revoked).
* ``records_for`` — what a station's pull carries: the records of its chain upward and of
  every station within its division, changed after its register cursor.
* ``receipts`` — for a relay's answer: per village whose bundle was merged, how far this
  server holds its events and which it refused, signed (the township hands it on).
* ``accept_from_relay`` / ``trusted_origin`` — the level above: a lower server's pushed
  records are kept only when its key signed them (or the key of a server it registered
  upward) within its division, and never for a station id another server registered;
  relayed events are accepted only from stations so registered.

Writers of ``register`` are serialised like the change log (SQLite BEGIN IMMEDIATE,
PostgreSQL advisory lock), so ``pos`` commits in increasing order and a cursor never skips.
"""
from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, Engine, func, or_, select, text

from petition_core.protocol import (
    ACTIVE,
    KIND_STATION,
    KIND_UPSTREAM,
    REVOKED,
    ProtocolError,
    Receipt,
    RegisterRecord,
    canonical_json,
    division_prefix,
    sign_receipt,
    sign_record,
    verify_record,
    within,
)
from petition_core.protocol.register import MAX_REFUSED

from ..store.models import register, station_progress, stations, voided_events
from . import utcnow
from .identity import ServerIdentity

log = logging.getLogger(__name__)

REGISTER_LOCK_KEY = 7_270_002
_MAX_CHAIN = 4   # county → city → province: a record is at most a few servers away


def lock(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": REGISTER_LOCK_KEY})


def _next_pos(conn: Connection) -> int:
    return int(conn.execute(select(func.coalesce(func.max(register.c.pos), 0))).scalar_one()) + 1


def _put(conn: Connection, signed: dict[str, Any], rec: RegisterRecord) -> None:
    values = dict(issuer=rec.issuer, division=rec.division, kind=rec.kind, status=rec.status,
                  server_id=rec.server_id, rev=rec.rev, pos=_next_pos(conn),
                  record=canonical_json(signed["record"]), signature=signed["sig"])
    res = conn.execute(register.update().where(register.c.station_id == rec.station_id)
                       .values(**values))
    if res.rowcount == 0:
        conn.execute(register.insert().values(station_id=rec.station_id, **values))


def signed_of(row: Any) -> dict[str, Any]:
    return {"record": json.loads(bytes(row.record).decode("utf-8")), "sig": row.signature}


def _department(row: Any) -> str | None:
    """The unit a department's station acts as (None for a centre: its division says it)."""
    unit = getattr(row, "unit", None)
    return unit if isinstance(unit, str) and unit and unit != row.division else None


def issue(conn: Connection, ident: ServerIdentity, station_id: str) -> dict[str, Any]:
    """(Re)sign the record of an enrolled station from its ``stations`` row (caller holds
    the write transaction; ``lock`` is taken here)."""
    lock(conn)
    row = conn.execute(select(stations).where(stations.c.station_id == station_id)).one()
    rev = _next_pos(conn)
    upstream = row.relay_of == "upstream"
    rec = RegisterRecord(
        issuer=ident.server_id, station_id=row.station_id, station_no=row.station_no,
        division=row.division, level=row.level, name=row.name, public_key=row.public_key,
        epoch=row.epoch, status=REVOKED if row.revoked_at else ACTIVE,
        kind=KIND_UPSTREAM if upstream else KIND_STATION, rev=rev, issued=utcnow(),
        server_id=row.server_id if upstream else None,
        server_key=row.server_key if upstream else None,
        unit=_department(row))
    signed = sign_record(ident.key, rec)
    _put(conn, signed, rec)
    return signed


def _family(division: str) -> tuple[list[str], str, str]:
    """The division's chain upward (its ancestors' codes and itself) and the code range of
    everything within it."""
    prefix = division_prefix(division)
    chain = sorted({division[:n].ljust(12, "0") for n in (2, 4, 6, 9, 12) if n <= len(prefix)}
                   | {division})
    return chain, prefix.ljust(12, "0"), prefix.ljust(12, "9")


def records_for(conn: Connection, server_id: str, division: str,
                cursor: int) -> tuple[list[dict[str, Any]], int]:
    """This server's records a station of ``division`` needs, changed after ``cursor``;
    and the new cursor (the top position: what it does not need is skipped for good)."""
    top = int(conn.execute(select(func.coalesce(func.max(register.c.pos), 0))).scalar_one())
    if cursor >= top:
        return [], top
    chain, lo, hi = _family(division)
    rows = conn.execute(
        select(register).where(
            register.c.issuer == server_id, register.c.pos > cursor, register.c.pos <= top,
            or_(register.c.division.in_(chain), register.c.division.between(lo, hi)))
        .order_by(register.c.pos)).all()
    return [signed_of(r) for r in rows], top


def receipts(engine: Engine, ident: ServerIdentity, origins: Iterable[str]) -> list[dict[str, Any]]:
    """One signed receipt per station: its contiguous high seq here and its refused
    (voided) events, newest first, at most ``MAX_REFUSED``."""
    out = []
    with engine.connect() as conn:
        for sid in dict.fromkeys(origins):
            high = conn.execute(select(station_progress.c.high_seq)
                                .where(station_progress.c.station_id == sid)).scalar() or 0
            refused = {r.event_id: r.code for r in conn.execute(
                select(voided_events.c.event_id, voided_events.c.code)
                .where(voided_events.c.station_id == sid, voided_events.c.event_id != "",
                       voided_events.c.station_seq <= high)
                .order_by(voided_events.c.station_seq.desc()).limit(MAX_REFUSED))}
            out.append(sign_receipt(ident.key, Receipt(ident.server_id, sid, int(high),
                                                       refused, utcnow())))
    return out


# ---- the level above: a lower server's register ----------------------------------------
def _issuer_key(conn: Connection, issuer: str, pusher: Any,
                depth: int = 0) -> tuple[str, str] | None:
    """(public key, division) of a register issuer ``pusher`` may speak for: the pusher's
    own server, or a server registered upward (kind upstream) by one it may speak for."""
    if pusher.server_id and issuer == pusher.server_id and pusher.server_key:
        return pusher.server_key, pusher.division
    if depth >= _MAX_CHAIN:
        return None
    row = conn.execute(select(register).where(register.c.server_id == issuer,
                                              register.c.kind == KIND_UPSTREAM)).first()
    if row is None or row.status != ACTIVE or _issuer_key(conn, row.issuer, pusher,
                                                          depth + 1) is None:
        return None
    rec = signed_of(row)["record"]
    if not within(rec["division"], pusher.division):
        return None
    return rec["server_key"], rec["division"]


def trusted_origin(conn: Connection, pusher: Any, station_id: str) -> str | None:
    """The division of ``station_id`` if ``pusher`` (an upstream relay) may speak for it —
    registered by the pusher's server or one below it, within the pusher's division."""
    row = conn.execute(select(register).where(register.c.station_id == station_id)).first()
    if row is None or row.kind != KIND_STATION or not within(row.division, pusher.division):
        return None
    return row.division if _issuer_key(conn, row.issuer, pusher) is not None else None


def registered_unit(conn: Connection, station_id: str) -> str | None:
    """The department unit a lower server's register record names for ``station_id``
    (RegisterRecord.unit), or None (a centre, or no record)."""
    row = conn.execute(select(register.c.record).where(register.c.station_id == station_id)
                       ).first()
    if row is None:
        return None
    try:
        unit = json.loads(bytes(row.record).decode("utf-8")).get("unit")
    except (ValueError, AttributeError):
        return None
    return unit if isinstance(unit, str) and unit else None


def accept_from_relay(engine: Engine, pusher: Any, records: list[Any]) -> dict[str, str]:
    """Keep the register records a lower server pushed; returns station_id → code of those
    refused (bad signature, outside its division, an id another server registered)."""
    refused: dict[str, str] = {}
    if not records:
        return refused
    with engine.execution_options(sqlite_immediate=True).begin() as conn:
        lock(conn)
        pending = list(records)
        while pending:
            waiting = []
            for signed in pending:
                d = signed.get("record") if isinstance(signed, dict) else None
                sid = str(d.get("station_id", ""))[:64] if isinstance(d, dict) else ""
                issuer = d.get("issuer") if isinstance(d, dict) else None
                signer = _issuer_key(conn, issuer, pusher) if isinstance(issuer, str) else None
                if signer is None or not isinstance(issuer, str):
                    waiting.append(signed)
                    continue
                code = _accept_one(conn, signed, issuer, signer)
                if code:
                    refused[sid] = code
            if len(waiting) == len(pending):   # nobody it may speak for signed these
                for signed in waiting:
                    d = signed.get("record") if isinstance(signed, dict) else None
                    refused[str(d.get("station_id", ""))[:64] if isinstance(d, dict)
                            else ""] = "register_foreign"
                break
            pending = waiting
    if refused:
        log.warning("relay %s: %d register record(s) refused: %s", pusher.station_id,
                    len(refused), sorted(set(refused.values())))
    return refused


def _accept_one(conn: Connection, signed: Any, issuer: str, signer: tuple[str, str]) -> str | None:
    key, division = signer
    try:
        rec = verify_record(signed, key, issuer=issuer)
    except ProtocolError as exc:
        return exc.code
    if not within(rec.division, division):
        return "register_foreign"
    old = conn.execute(select(register.c.issuer, register.c.rev)
                       .where(register.c.station_id == rec.station_id)).first()
    if old is not None and old.issuer != rec.issuer:
        return "register_claimed"
    if conn.execute(select(stations.c.station_id)
                    .where(stations.c.station_id == rec.station_id)).first() is not None:
        return "register_claimed"      # enrolled here: no lower server speaks for it
    if old is not None and old.rev >= rec.rev:
        return None                    # we hold this one or a newer one
    _put(conn, dict(signed), rec)
    return None
