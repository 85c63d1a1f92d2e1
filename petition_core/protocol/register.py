"""The county-signed register of stations, and the county-signed receipts (protocol 2).

Why: a station trusts only what its county signed (docs/decisions/0004-trust-model.md).
The county's signing key (the "county key") is handed to a station at enrollment; with it
the station checks

* **register records** — one per station the county enrolled: id, number, division,
  level, public key, epoch, status (active/revoked), kind (station/upstream).  A township
  checks a village's USB bundle against them (no trust on first use); a village checks its
  township's return bundle against them; the city accepts a county's relayed events only
  for stations the county registered;
* **receipts** — how far the county holds a station's events (``acked_to_seq``) and which
  of them it refused: only a receipt lets a village empty its outbox from a return bundle.

Both are canonical JSON signed with Ed25519 over a magic line (distinct per kind, so a
signature of one can never pass as the other) and the exact canonical bytes; on the wire
they travel as ``{"record": {...}, "sig": "<base64>"}`` / ``{"receipt": {...}, "sig": …}``.
"""
from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ..events import canonical_json
from .errors import ProtocolError
from .signing import load_public_key, verify_signature

RECORD_MAGIC = b"SUQIU-REGISTER/1\n"
RECEIPT_MAGIC = b"SUQIU-RECEIPT/1\n"
REFERENCE_MAGIC = b"SUQIU-REFERENCE/1\n"
REF_UNIT = "unit"          # one row of the county's unit register, keyed by its unit code
REF_HOLIDAYS = "holidays"  # one year of the holiday table, keyed by the year ("2027")
REF_ROUTE = "route"        # category → default handling unit, keyed by the category
REF_KINDS = (REF_UNIT, REF_HOLIDAYS, REF_ROUTE)
MAX_REF_DATA = 64 * 1024   # one record's data, canonical JSON (a year is ~2 KB)
KIND_STATION = "station"
KIND_UPSTREAM = "upstream"
ACTIVE = "active"
REVOKED = "revoked"
MAX_REFUSED = 1000   # refused event ids one receipt lists (the newest)


def _is_int(v: Any, lo: int = 0) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and lo <= v < 2**62


def _is_str(v: Any, n: int, empty: bool = False) -> bool:
    return isinstance(v, str) and (empty or bool(v)) and len(v) <= n


@dataclass(frozen=True)
class RegisterRecord:
    issuer: str              # server_id of the county (or city) that enrolled the station
    station_id: str
    station_no: int | None   # 1, 2, … within the division; None for an upstream server
    division: str
    level: int
    name: str
    public_key: str          # base64 raw Ed25519
    epoch: int
    status: str              # "active" | "revoked"
    kind: str                # "station" | "upstream"
    rev: int                 # the issuer's change position: a later record replaces it
    issued: str
    server_id: str | None = None    # upstream kind: the lower server's own id …
    server_key: str | None = None   # … and its signing key (its register and receipts)
    # a department's station (the county's civil affairs bureau): the unit it acts as,
    # ``<division>.<suffix>``, so that every server above judges its relayed events as that
    # unit; absent for a centre
    unit: str | None = None

    @property
    def active(self) -> bool:
        return self.status == ACTIVE

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        if self.kind != KIND_UPSTREAM:
            d.pop("server_id")
            d.pop("server_key")
        if self.unit is None:          # a centre's record reads (and is signed) as before
            d.pop("unit")
        return d

    @classmethod
    def from_dict(cls, d: Any) -> RegisterRecord:
        """Check every field's type and range; ``register_malformed`` otherwise."""
        if not isinstance(d, Mapping):
            raise ProtocolError("register_malformed", 422, "record")
        ok = (
            _is_str(d.get("issuer"), 64) and _is_str(d.get("station_id"), 64)
            and (d.get("station_no") is None or _is_int(d.get("station_no"), 1))
            and _is_str(d.get("division"), 12) and len(d["division"]) == 12
            and d["division"].isdigit() and _is_int(d.get("level"), 1)
            and _is_str(d.get("name"), 128, empty=True) and _is_str(d.get("public_key"), 64)
            and _is_int(d.get("epoch"), 1) and d.get("status") in (ACTIVE, REVOKED)
            and d.get("kind") in (KIND_STATION, KIND_UPSTREAM) and _is_int(d.get("rev"), 0)
            and _is_str(d.get("issued"), 40)
        )
        if ok and d.get("kind") == KIND_UPSTREAM:
            ok = _is_str(d.get("server_id"), 64) and _is_str(d.get("server_key"), 64)
        if ok and d.get("unit") is not None:
            ok = _unit_of_division(d.get("unit"), d["division"])
        if not ok or set(d) - {f for f in cls.__dataclass_fields__}:
            raise ProtocolError("register_malformed", 422, "fields")
        try:
            load_public_key(d["public_key"])
            if d.get("server_key"):
                load_public_key(d["server_key"])
        except ValueError:
            raise ProtocolError("register_malformed", 422, "key") from None
        fields: dict[str, Any] = {k: d.get(k) for k in cls.__dataclass_fields__}   # checked above
        return cls(**fields)


def _unit_of_division(unit: Any, division: str) -> bool:
    """A register record's ``unit``: a department of the record's own division."""
    from ..units import UnitError, parse_unit_code

    try:
        div, suffix = parse_unit_code(unit)
    except UnitError:
        return False
    return bool(suffix) and div == division


def _sign(key: Ed25519PrivateKey, magic: bytes, obj: dict[str, Any]) -> str:
    return base64.b64encode(key.sign(magic + canonical_json(obj))).decode("ascii")


def _verify(signed: Any, name: str, magic: bytes, public_key: str) -> dict[str, Any] | None:
    if not isinstance(signed, Mapping) or not isinstance(signed.get(name), Mapping) \
            or not isinstance(signed.get("sig"), str):
        return None
    body = dict(signed[name])
    try:
        msg = magic + canonical_json(body)
    except (TypeError, ValueError):
        return None
    return body if verify_signature(public_key, signed["sig"], msg) else None


def sign_record(key: Ed25519PrivateKey, rec: RegisterRecord) -> dict[str, Any]:
    d = rec.to_dict()
    return {"record": d, "sig": _sign(key, RECORD_MAGIC, d)}


def verify_record(signed: Any, public_key: str, *, issuer: str | None = None) -> RegisterRecord:
    """The record, if ``public_key`` signed it (and it names ``issuer``, when given).
    Raises ProtocolError ``register_bad_signature`` or ``register_malformed``."""
    body = _verify(signed, "record", RECORD_MAGIC, public_key)
    if body is None:
        raise ProtocolError("register_bad_signature", 422)
    # signed by that key: a shape this version cannot read is ``register_malformed``
    # (a reader may skip it as a newer kind of record), never a forgery
    rec = RegisterRecord.from_dict(body)
    if issuer is not None and rec.issuer != issuer:
        raise ProtocolError("register_bad_signature", 422, "issuer")
    return rec


@dataclass(frozen=True)
class Receipt:
    server_id: str
    station_id: str
    acked_to_seq: int                # the county holds this station's events 1..n
    refused: dict[str, str] = field(default_factory=dict)   # event_id → reason code
    issued: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"server_id": self.server_id, "station_id": self.station_id,
                "acked_to_seq": self.acked_to_seq, "refused": dict(self.refused),
                "issued": self.issued}


def sign_receipt(key: Ed25519PrivateKey, r: Receipt) -> dict[str, Any]:
    d = r.to_dict()
    return {"receipt": d, "sig": _sign(key, RECEIPT_MAGIC, d)}


def verify_receipt(signed: Any, public_key: str, *, server_id: str, station_id: str) -> Receipt:
    """A receipt the county (``public_key``, ``server_id``) signed for ``station_id``;
    ProtocolError ``receipt_invalid`` for anything else (forged, another station's,
    another server's, malformed)."""
    body = _verify(signed, "receipt", RECEIPT_MAGIC, public_key)
    if body is None:
        raise ProtocolError("receipt_invalid", 422, "signature")
    refused = body.get("refused")
    if not (body.get("server_id") == server_id and body.get("station_id") == station_id
            and _is_int(body.get("acked_to_seq")) and isinstance(refused, Mapping)
            and len(refused) <= MAX_REFUSED
            and all(_is_str(k, 64) and _is_str(v, 40) for k, v in refused.items())
            and _is_str(body.get("issued"), 40, empty=True)):
        raise ProtocolError("receipt_invalid", 422, "fields")
    return Receipt(server_id, station_id, body["acked_to_seq"], dict(refused),
                   body.get("issued", ""))


def on_chain_or_below(record_division: str, division: str) -> bool:
    """Which register records a station of ``division`` needs: the stations of its chain
    upward (township, county, … — their divisions contain it) and every station within its
    own division (a township's villages)."""
    from .jurisdiction import within

    return within(division, record_division) or within(record_division, division)


# ---- reference data (issue 9 item 1; decisions/0009) -----------------------------------

@dataclass(frozen=True)
class ReferenceRecord:
    """One piece of county-kept reference data, signed with the county key like the
    station register: a unit register row (``kind="unit"``, ``key`` its code) or one year
    of the holiday table (``kind="holidays"``, ``key`` the year).  ``rev``: the server's
    position (a newer record of the same kind and key replaces an older one).  The record
    only vouches for who sent it; its ``data`` is still checked row by row by the reader
    (petition_core.units.unit_row, petition_core.clocks.WorkCalendar.from_dict)."""

    issuer: str
    kind: str
    key: str
    rev: int
    data: dict[str, Any]
    issued: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"issuer": self.issuer, "kind": self.kind, "key": self.key, "rev": self.rev,
                "data": self.data, "issued": self.issued}

    @classmethod
    def from_dict(cls, d: Any) -> ReferenceRecord:
        ok = (isinstance(d, Mapping) and _is_str(d.get("issuer"), 64)
              and d.get("kind") in REF_KINDS and _is_str(d.get("key"), 32)
              and _is_int(d.get("rev"), 1) and isinstance(d.get("data"), Mapping)
              and _is_str(d.get("issued", ""), 40, empty=True))
        if not ok:
            raise ProtocolError("reference_malformed", 422)
        return cls(d["issuer"], d["kind"], d["key"], d["rev"], dict(d["data"]),
                   d.get("issued", ""))


def sign_reference(key: Ed25519PrivateKey, rec: ReferenceRecord) -> dict[str, Any]:
    d = rec.to_dict()
    return {"reference": d, "sig": _sign(key, REFERENCE_MAGIC, d)}


def verify_reference(signed: Any, public_key: str, *, issuer: str) -> ReferenceRecord:
    """The record, if ``public_key`` signed it and it names ``issuer``.  ProtocolError
    ``reference_bad_signature`` (unsigned, tampered, another server's) or
    ``reference_malformed`` (signed, in a shape this version cannot read: skipped)."""
    body = _verify(signed, "reference", REFERENCE_MAGIC, public_key)
    if body is None:
        raise ProtocolError("reference_bad_signature", 422)
    if len(canonical_json(body.get("data"))) > MAX_REF_DATA:
        raise ProtocolError("reference_malformed", 422, "data")
    rec = ReferenceRecord.from_dict(body)
    if rec.issuer != issuer:
        raise ProtocolError("reference_bad_signature", 422, "issuer")
    return rec
