"""One-time enrollment codes and binding a station's key to a division (protocol 2).

Only the SHA-256 of a code is stored, so a leaked database does not leak usable codes.
The division always comes from the code (made by the county), never from the station; the
server assigns the station id (a UUIDv7: internal markers such as ``upstream`` can never be
one) and its number within the division.  An existing station is re-enrolled only with
its old key's signature or a code issued for that very station; re-enrolling moves its
epoch on (docs/decisions/0004-trust-model.md).
"""
from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select, update

from petition_core.ids import uuid7
from petition_core.protocol import (
    PROTOCOL_VERSION,
    ProtocolError,
    level_of,
    load_public_key,
    normalize_enroll_code,
    reenroll_message,
    server_identity_message,
    signing_message,
    verify_signature,
)
from petition_core.units import UnitError, check_unit_code, division_of

from ..store.models import enrollment_codes, station_numbers, station_progress, stations
from . import register as register_svc
from . import units as units_svc
from . import utcnow
from .identity import ServerIdentity

log = logging.getLogger(__name__)

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O/1/I: read aloud on the phone
CODE_LEN = 8


def _hash(code: str) -> str:
    return hashlib.sha256(normalize_enroll_code(code).encode("ascii")).hexdigest()


def format_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


KINDS = ("station", "upstream")


def create_code(engine: Engine, *, division: str | None = None, valid_days: int = 7,
                kind: str = "station", station_id: str | None = None,
                unit: str | None = None) -> str:
    """Make a one-time code for ``division``; return it formatted ``XXXX-XXXX``.

    ``unit``: the code enrolls a station acting as that unit (a department
    ``530921000000.mz``, or a centre); its division is the unit's.  UnitError
    (``unit_code_invalid``, ``unit_under_village``, ``unit_unknown``, ``unit_inactive``)
    when the unit is malformed, not in this server's register, or deactivated; ValueError
    when it contradicts ``division``.

    ``kind="upstream"`` is for a lower-level *server* (a county enrolling at the city):
    the enrolled party may then relay the events of every station of its subtree.
    ``station_id``: a code for that existing station only (a reinstalled PC without its
    key); the division, unit and kind are the station's.  LookupError if it is not
    enrolled."""
    own_unit = None
    if station_id is not None:
        if unit is not None:
            raise ValueError("a unit is for a new station's code")
        with engine.connect() as conn:
            st = conn.execute(select(stations).where(stations.c.station_id == station_id)).first()
        if st is None:
            raise LookupError(station_id)
        division, kind = st.division, "upstream" if st.relay_of == "upstream" else "station"
        # a department's station is re-enrolled as that department
        own_unit = st.unit if st.unit and st.unit != st.division else None
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    if unit is not None:
        if station_id is not None or kind != "station":
            raise ValueError("a unit is for a new station's code")
        units_svc.require_active(engine, unit)
        if division is not None and division != division_of(unit):
            raise ValueError("the unit is not of that division")
        division = division_of(unit)
        if unit == division:
            unit = None            # a centre: the division says it all
    if division is None:
        raise ValueError("division required")
    level_of(division)  # ValueError for a malformed code
    unit = unit or own_unit
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LEN))
    now = datetime.now(UTC)
    with engine.begin() as conn:
        conn.execute(insert(enrollment_codes).values(
            code_hash=_hash(code), division=division,
            created_at=now.isoformat(timespec="seconds"),
            expires_at=(now + timedelta(days=valid_days)).isoformat(timespec="seconds"),
            kind=kind, station_id=station_id, unit=unit,
        ))
    log.info("enrollment code created for division %s%s%s", division,
             f" (station {station_id})" if station_id else "",
             f" (unit {unit})" if unit else "")
    return format_code(code)


@dataclass(frozen=True)
class EnrollResult:
    station_id: str
    division: str
    level: int
    station_no: int | None
    epoch: int
    next_seq: int
    register: list[dict[str, Any]]
    register_cursor: int
    unit: str

    def to_wire(self, ident: ServerIdentity) -> dict[str, Any]:
        return {"station_id": self.station_id, "division": self.division, "level": self.level,
                "unit": self.unit,
                "station_no": self.station_no, "epoch": self.epoch, "next_seq": self.next_seq,
                "server_id": ident.server_id, "server_key": ident.public_key,
                "register": self.register, "register_cursor": self.register_cursor,
                "protocol": PROTOCOL_VERSION}


def _field(body: dict, key: str, max_len: int, required: bool = True) -> str | None:
    v = body.get(key)
    if v is None and not required:
        return None
    if not isinstance(v, str) or not v.strip() or len(v) > max_len:
        raise ProtocolError("body_malformed", 400, key)
    return v.strip()


@dataclass(frozen=True)
class _Claims:
    code: str
    pub: str
    name: str
    division: str | None
    unit: str | None
    station_id: str | None
    server_id: str | None
    epoch: int | None
    old_signature: str | None
    server: tuple[str, str] | None   # (server_id, server_key) of a lower server


def _claims(body: object, raw_body: bytes, path: str, signature: str | None,
            counter_text: str | None) -> _Claims:
    """Parse and check everything that needs no database: shapes, the new key's signature
    (counter 0) and, for a lower server, its own key's signature over the new key."""
    if not isinstance(body, dict):
        raise ProtocolError("body_malformed", 400, "not an object")
    code = normalize_enroll_code(_field(body, "code", 32) or "")
    pub = _field(body, "public_key", 64) or ""
    name = _field(body, "name", 128) or ""
    division = _field(body, "division", 12, required=False)
    if division is not None and not (len(division) == 12 and division.isdigit()):
        raise ProtocolError("body_malformed", 400, "division")
    unit = body.get("unit")
    if unit is not None:
        try:
            check_unit_code(unit)
        except UnitError:
            raise ProtocolError("body_malformed", 400, "unit") from None
        if division is not None and division_of(unit) != division:
            raise ProtocolError("body_malformed", 400, "unit")
    station_id = _field(body, "station_id", 64, required=False)
    server_id = _field(body, "server_id", 64, required=False)
    old_sig = _field(body, "old_signature", 128, required=False)
    epoch = body.get("epoch")
    if epoch is not None and (isinstance(epoch, bool) or not isinstance(epoch, int)
                              or not 0 < epoch < 2**62):
        raise ProtocolError("body_malformed", 400, "epoch")
    try:
        load_public_key(pub)
    except ValueError:
        raise ProtocolError("body_malformed", 400, "public_key") from None
    if counter_text != "0" or not signature or not verify_signature(
        pub, signature, signing_message("POST", path, 0, raw_body, server_id="",
                                        station_id="", epoch=0)
    ):
        raise ProtocolError("auth_bad_signature", 401)
    server = None
    if body.get("server") is not None:
        srv = body["server"]
        if not isinstance(srv, dict):
            raise ProtocolError("body_malformed", 400, "server")
        sid, skey = _field(srv, "server_id", 64), _field(srv, "public_key", 64)
        ssig = _field(srv, "signature", 128)
        try:
            load_public_key(skey or "")
        except ValueError:
            raise ProtocolError("body_malformed", 400, "server.public_key") from None
        if not verify_signature(skey or "", ssig or "", server_identity_message(
                server_id=sid or "", client_public_key=pub)):
            raise ProtocolError("enroll_proof_invalid", 403, "server")
        server = (sid or "", skey or "")
    return _Claims(code, pub, name, division, unit, station_id, server_id, epoch, old_sig, server)


def _lock_enrollments(conn: Connection) -> None:
    register_svc.lock(conn)   # station numbers and register positions: one writer at a time


def _next_station_no(conn: Connection, division: str, station_id: str, now: str) -> int:
    n = int(conn.execute(select(func.coalesce(func.max(station_numbers.c.station_no), 0))
                         .where(station_numbers.c.division == division)).scalar_one()) + 1
    conn.execute(insert(station_numbers).values(division=division, station_no=n,
                                                station_id=station_id, assigned_at=now))
    return n


def enroll(engine: Engine, ident: ServerIdentity, *, body: object, raw_body: bytes, path: str,
           signature: str | None, counter_text: str | None) -> EnrollResult:
    """Enroll a new station (the server assigns its id and number), or re-enroll an
    existing one — only with its old key's signature or a code issued for that station.
    Writes nothing unless everything checks out."""
    c = _claims(body, raw_body, path, signature, counter_text)
    now = utcnow()
    with engine.execution_options(sqlite_immediate=True).begin() as conn:
        _lock_enrollments(conn)
        row = conn.execute(
            select(enrollment_codes).where(enrollment_codes.c.code_hash == _hash(c.code))
        ).first()
        if row is None or row.expires_at < now:
            raise ProtocolError("enroll_code_invalid", 403)
        if row.used_at is not None:
            raise ProtocolError("enroll_code_used", 409)
        if c.division is not None and c.division != row.division:
            raise ProtocolError("enroll_division_mismatch", 409,
                                {"code_division": row.division})
        code_unit = row.unit or row.division
        if (c.unit is not None and c.unit != code_unit) or (c.unit is None and row.unit):
            # the station was set up as another unit (or names none for a department's
            # code): enrolling it would make it act as a unit it does not know it is
            raise ProtocolError("enroll_unit_mismatch", 409, {"code_unit": code_unit})
        upstream = row.kind == "upstream"
        if upstream and c.server is None:
            raise ProtocolError("body_malformed", 400, "server")
        target = row.station_id or c.station_id
        if row.station_id and c.station_id and c.station_id != row.station_id:
            raise ProtocolError("enroll_station_conflict", 409)
        existing = None
        if target is not None:
            existing = conn.execute(select(stations).where(stations.c.station_id == target)).first()
            if existing is None:
                raise ProtocolError("enroll_station_unknown", 404)
            if existing.revoked_at is not None:
                raise ProtocolError("auth_revoked", 403)
            if existing.division != row.division or (existing.relay_of == "upstream") != upstream \
                    or (existing.unit or existing.division) != code_unit:
                raise ProtocolError("enroll_station_conflict", 409)
            if not row.station_id and not (
                    c.server_id == ident.server_id and c.epoch == existing.epoch
                    and c.old_signature and verify_signature(
                        existing.public_key, c.old_signature, reenroll_message(
                            server_id=ident.server_id, station_id=target,
                            epoch=existing.epoch, new_public_key=c.pub))):
                # a code for the division alone never takes over an existing station
                raise ProtocolError("enroll_proof_invalid", 403)
        station_id = target or uuid7()
        values: dict[str, Any] = dict(
            name=c.name, public_key=c.pub, enrolled_at=now, last_counter=0,
            server_id=c.server[0] if c.server else None,
            server_key=c.server[1] if c.server else None)
        if existing is None:
            station_no = None if upstream else _next_station_no(conn, row.division,
                                                                station_id, now)
            conn.execute(insert(stations).values(
                station_id=station_id, station_code="server" if upstream else row.division,
                division=row.division, unit=code_unit, level=level_of(row.division), epoch=1,
                station_no=station_no, relay_of="upstream" if upstream else None, **values))
        else:
            # a code bound to the station: a new PC that cannot know how far the old one
            # numbered its cases gets a new station number; the old key keeps its number
            station_no = existing.station_no
            if row.station_id and not upstream:
                station_no = _next_station_no(conn, row.division, station_id, now)
            conn.execute(update(stations).where(stations.c.station_id == station_id).values(
                epoch=existing.epoch + 1, station_no=station_no, **values))
        res = conn.execute(
            update(enrollment_codes)
            .where(enrollment_codes.c.code_hash == row.code_hash,
                   enrollment_codes.c.used_at.is_(None))
            .values(used_at=now, used_by=station_id)
        )
        if res.rowcount != 1:  # lost a race with another enrollment on PostgreSQL
            raise ProtocolError("enroll_code_used", 409)
        register_svc.issue(conn, ident, station_id)
        st = conn.execute(select(stations).where(stations.c.station_id == station_id)).one()
        high = conn.execute(select(station_progress.c.high_seq)
                            .where(station_progress.c.station_id == station_id)).scalar() or 0
        records, cursor = register_svc.records_for(conn, ident.server_id, row.division, 0) \
            if not upstream else ([], 0)
    log.info("station %s %s in division %s (epoch %s)", station_id,
             "re-enrolled" if existing is not None else "enrolled", row.division, st.epoch)
    return EnrollResult(station_id=station_id, division=row.division,
                        level=level_of(row.division), station_no=st.station_no, epoch=st.epoch,
                        next_seq=int(high) + 1, register=records, register_cursor=cursor,
                        unit=st.unit or row.division)
