"""What this station trusts (docs/decisions/0004-trust-model.md).

Only its county: the county's ``server_id`` and signing key, handed over in the enrollment
answer, and the register records that key signed.  Nothing else — not a key written inside
a USB file, not a township's word on how far the county took a village's events.

* ``load_trust``: the county's id and key, this station's epoch and station number;
* ``store_records``: keep the register records the county signed (from a pull, the
  enrollment answer, or a township's return bundle), newest revision wins;
* ``lookup``: the record of a station (a village whose bundle a township imports, the
  township whose return bundle a village imports);
* ``chain_records``: the signed records a township hands a village in a return bundle;
* ``check_receipt``: a county-signed receipt for this station, or None;
  ``county_receipts``: the receipts of a sync answer the county signed (a township keeps
  those for its villages);
* ``enroll_answer``: the enrollment answer, every field checked.
"""
from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from petition_core import protocol as P
from petition_core.units import is_unit_code

from ..store import get_setting, set_setting
from ..store.models import RegisterRow
from .transport import SyncError

log = logging.getLogger(__name__)

K_SERVER_ID = "trust.server_id"
K_SERVER_KEY = "trust.server_key"
K_EPOCH = "trust.epoch"
K_STATION_NO = "trust.station_no"
K_REG_CURSOR = "trust.register_cursor"


@dataclass(frozen=True)
class Trust:
    server_id: str
    server_key: str           # base64 Ed25519: the county key
    epoch: int
    station_no: int | None    # this station's number in its division (case numbers)


def load_trust(session: Session) -> Trust | None:
    """None before enrollment (a v1 enrollment without the county key counts as none)."""
    sid, key = get_setting(session, K_SERVER_ID), get_setting(session, K_SERVER_KEY)
    if not sid or not key:
        return None
    no = get_setting(session, K_STATION_NO) or ""
    return Trust(sid, key, int(get_setting(session, K_EPOCH) or 1),
                 int(no) if no.isdigit() else None)


def save_trust(session: Session, trust: Trust) -> None:
    set_setting(session, K_SERVER_ID, trust.server_id)
    set_setting(session, K_SERVER_KEY, trust.server_key)
    set_setting(session, K_EPOCH, str(trust.epoch))
    set_setting(session, K_STATION_NO, "" if trust.station_no is None else str(trust.station_no))


def verified(trust: Trust, signed: Iterable[Any],
             bad: list[Any] | None = None) -> list[tuple[P.RegisterRecord, Any]]:
    """The records among ``signed`` that the county key signed (others logged, dropped;
    those whose signature fails are appended to ``bad``).  A county-signed record of a kind
    this version does not know (a later issue's units or keys) is skipped quietly."""
    out = []
    for item in signed:
        try:
            out.append((P.verify_record(item, trust.server_key, issuer=trust.server_id), item))
        except P.ProtocolError as exc:
            if exc.code == "register_malformed":
                log.info("register record of a kind this version does not read: skipped")
                continue
            log.warning("register record refused: %s", exc.code)
            if bad is not None:
                bad.append(item)
    return out


def store_records(session: Session, trust: Trust, signed: Iterable[Any]) -> tuple[int, int]:
    """Verify each record with the county key and keep it (a newer revision replaces an
    older one); returns (stored, refused): refused counts records whose signature failed
    (the caller then keeps its cursor, so they come again)."""
    bad: list[Any] = []
    good = verified(trust, signed, bad)
    stored, refused = 0, len(bad)
    for rec, item in good:
        row = session.get(RegisterRow, rec.station_id)
        if row is not None and row.rev >= rec.rev:
            continue
        values = dict(issuer=rec.issuer, division=rec.division, kind=rec.kind,
                      status=rec.status, station_no=rec.station_no, public_key=rec.public_key,
                      epoch=rec.epoch, rev=rec.rev, name=rec.name,
                      record=P.canonical_json(dict(item["record"])).decode("utf-8"),
                      sig=str(item["sig"]))
        if row is None:
            session.add(RegisterRow(station_id=rec.station_id, **values))
        else:
            for k, v in values.items():
                setattr(row, k, v)
        stored += 1
    session.flush()
    return stored, refused


def lookup(session: Session, station_id: str) -> P.RegisterRecord | None:
    row = session.get(RegisterRow, station_id)
    return None if row is None else P.RegisterRecord.from_dict(json.loads(row.record))


def _signed(row: RegisterRow) -> dict[str, Any]:
    return {"record": json.loads(row.record), "sig": row.sig}


def stations_within(session: Session, division: str) -> list[P.RegisterRecord]:
    """Active stations registered strictly within ``division`` (a township's villages)."""
    prefix = P.division_prefix(division)
    rows = session.scalars(select(RegisterRow).where(
        RegisterRow.division.startswith(prefix), RegisterRow.division != division,
        RegisterRow.kind == P.KIND_STATION, RegisterRow.status == P.ACTIVE)
        .order_by(RegisterRow.division, RegisterRow.station_no)).all()
    return [P.RegisterRecord.from_dict(json.loads(r.record)) for r in rows]


def chain_records(session: Session, division: str) -> list[dict[str, Any]]:
    """The signed records a station of ``division`` needs to check its township: every
    record held here of a station whose division contains it (and its own)."""
    rows = session.scalars(select(RegisterRow).order_by(RegisterRow.rev)).all()
    return [_signed(r) for r in rows if P.within(division, r.division)]


def county_receipts(trust: Trust, signed: Iterable[Any]) -> list[dict[str, Any]]:
    """The receipts in a sync answer that the county signed, each for the village it names
    (a township keeps only those: they empty villages' outboxes, and they say how far the
    county holds a village's events)."""
    out = []
    for item in signed:
        r = item.get("receipt") if isinstance(item, dict) else None
        sid = r.get("station_id") if isinstance(r, dict) else None
        if isinstance(sid, str) and check_receipt(trust, sid, item) is not None:
            out.append(item)
    return out


def check_receipt(trust: Trust, station_id: str, signed: Any) -> P.Receipt | None:
    """The receipt if the county signed it for ``station_id``; None (logged) otherwise."""
    if signed is None:
        return None
    try:
        return P.verify_receipt(signed, trust.server_key, server_id=trust.server_id,
                                station_id=station_id)
    except P.ProtocolError as exc:
        log.warning("receipt ignored (not the county's for that station): %s", exc.code)
        return None


def enroll_answer(data: Any) -> dict[str, Any]:
    """The enrollment answer, every field checked (a hostile server's answer is refused
    with ``enroll_answer_invalid`` and nothing is stored)."""
    from petition_core.ids import is_uuid

    def num(v: Any, lo: int) -> bool:
        return isinstance(v, int) and not isinstance(v, bool) and lo <= v < 2**62

    d = data if isinstance(data, dict) else {}
    ok = (is_uuid(d.get("station_id")) and is_uuid(d.get("server_id"))
          and isinstance(d.get("division"), str) and len(d["division"]) == 12
          and d["division"].isdigit() and num(d.get("epoch"), 1) and num(d.get("next_seq"), 1)
          and (d.get("station_no") is None or num(d.get("station_no"), 1))
          and isinstance(d.get("register", []), list) and num(d.get("register_cursor", 0), 0)
          and (d.get("unit") is None or (is_unit_code(d.get("unit"))
                                     and str(d["unit"]).split(".")[0] == d["division"])))
    try:
        server_key = d.get("server_key")
        P.load_public_key(server_key if isinstance(server_key, str) else "")
    except ValueError:
        ok = False
    if not ok:
        raise SyncError("enroll_answer_invalid")
    return {**d, "register": d.get("register", []), "register_cursor": d.get("register_cursor", 0)}
