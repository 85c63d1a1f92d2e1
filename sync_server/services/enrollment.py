"""One-time enrollment codes and binding a station's key to a division.

Only the SHA-256 of a code is stored, so a leaked database does not leak usable codes.
The division always comes from the code (made by the county), never from the station.
"""
from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import Engine, insert, select, update

from petition_core.protocol import (
    ProtocolError,
    level_of,
    load_public_key,
    normalize_enroll_code,
    signing_message,
    verify_signature,
)

from ..store.models import enrollment_codes, stations
from . import utcnow

log = logging.getLogger(__name__)

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O/1/I: read aloud on the phone
CODE_LEN = 8


def _hash(code: str) -> str:
    return hashlib.sha256(normalize_enroll_code(code).encode("ascii")).hexdigest()


def format_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


KINDS = ("station", "upstream")


def create_code(engine: Engine, *, division: str, valid_days: int = 7,
                kind: str = "station") -> str:
    """Make a one-time code for ``division``; return it formatted ``XXXX-XXXX``.

    ``kind="upstream"`` is for a lower-level *server* (a county enrolling at the city):
    the enrolled party may then relay the events of every station of its subtree."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    level_of(division)  # ValueError for a malformed code
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LEN))
    now = datetime.now(timezone.utc)
    with engine.begin() as conn:
        conn.execute(insert(enrollment_codes).values(
            code_hash=_hash(code), division=division,
            created_at=now.isoformat(timespec="seconds"),
            expires_at=(now + timedelta(days=valid_days)).isoformat(timespec="seconds"),
            kind=kind,
        ))
    log.info("enrollment code created for division %s", division)
    return format_code(code)


@dataclass(frozen=True)
class EnrollResult:
    station_id: str
    division: str
    level: int


def _field(body: dict, key: str, max_len: int) -> str:
    v = body.get(key)
    if not isinstance(v, str) or not v.strip() or len(v) > max_len:
        raise ProtocolError("body_malformed", 400, key)
    return v.strip()


def enroll(engine: Engine, *, body: object, raw_body: bytes, path: str,
           signature: str | None, counter_text: str | None) -> EnrollResult:
    """Bind the station's public key to the code's division.  The request must be signed
    (counter 0) by the key being enrolled.  Writes nothing unless everything checks out."""
    if not isinstance(body, dict):
        raise ProtocolError("body_malformed", 400, "not an object")
    code = normalize_enroll_code(_field(body, "code", 32))
    pub = _field(body, "public_key", 64)
    station_id = _field(body, "station_id", 64)
    station_code = _field(body, "station_code", 32)
    name = _field(body, "name", 128)
    try:
        load_public_key(pub)
    except ValueError:
        raise ProtocolError("body_malformed", 400, "public_key") from None
    if counter_text != "0" or not signature or not verify_signature(
        pub, signature, signing_message("POST", path, 0, raw_body)
    ):
        raise ProtocolError("auth_bad_signature", 401)
    now = utcnow()
    with engine.execution_options(sqlite_immediate=True).begin() as conn:
        row = conn.execute(
            select(enrollment_codes).where(enrollment_codes.c.code_hash == _hash(code))
        ).first()
        if row is None or row.expires_at < now:
            raise ProtocolError("enroll_code_invalid", 403)
        if row.used_at is not None:
            raise ProtocolError("enroll_code_used", 409)
        existing = conn.execute(
            select(stations).where(stations.c.station_id == station_id)
        ).first()
        values = dict(station_code=station_code, division=row.division,
                      level=level_of(row.division), name=name, public_key=pub,
                      enrolled_at=now, last_counter=0,
                      relay_of="upstream" if row.kind == "upstream" else None)
        if existing is not None:
            if existing.revoked_at is not None:
                raise ProtocolError("auth_revoked", 403)
            if existing.division != row.division:
                raise ProtocolError("enroll_station_conflict", 409)
            conn.execute(update(stations).where(stations.c.station_id == station_id).values(**values))
        else:
            conn.execute(insert(stations).values(station_id=station_id, **values))
        res = conn.execute(
            update(enrollment_codes)
            .where(enrollment_codes.c.code_hash == row.code_hash, enrollment_codes.c.used_at.is_(None))
            .values(used_at=now, used_by=station_id)
        )
        if res.rowcount != 1:  # lost a race with another enrollment on PostgreSQL
            raise ProtocolError("enroll_code_used", 409)
    log.info("station %s enrolled in division %s", station_id, row.division)
    return EnrollResult(station_id=station_id, division=row.division, level=level_of(row.division))
