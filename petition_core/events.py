"""Events: the only way anything changes (ARCHITECTURE.md, "A case is an append-only log").

An :class:`Event` is an immutable envelope.  Its ``payload`` is carried as *bytes* with
an encoding tag ``payload_enc``:

* ``"json"``   – canonical UTF-8 JSON of a dict, readable by everybody allowed the case;
* ``"sealed:<scheme>"`` – opaque ciphertext (a later issue seals confidential reports to the
  county discipline office's key).  Nothing in this package, the store, the wire or the
  logs looks inside a sealed payload; the fold treats it as "content withheld".

So sealing needs no schema change: the same columns carry either form.
"""
from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import Enum
from typing import Any

from .ids import is_uuid

SCHEMA_VERSION = 1
PAYLOAD_JSON = "json"
SEALED_PREFIX = "sealed:"


# Not StrEnum (ruff UP042): str() and format() of a member would become its value.
class EventType(str, Enum):  # noqa: UP042
    REGISTERED = "case.registered"      # 登记
    AMENDED = "case.amended"            # 更正登记事项 (old value kept)
    LINKED = "case.linked"              # 关联多次反映
    ACCEPTED = "case.accepted"          # 受理
    DECLINED = "case.declined"          # 不予受理 / 告知其他渠道
    TRANSFERRED = "case.transferred"    # 转送/转办 to another level or unit
    ASSIGNED = "case.assigned"          # 交办 with a deadline and a required report
    URGED = "case.urged"                # 督办
    EXTENDED = "case.extended"          # 延期 (≤30 days, with approval and reason)
    PROGRESS = "case.progress"          # 办理情况记录
    CONCLUDED = "case.concluded"        # 办结 with the written result
    SERVED = "case.served"              # 送达: the petitioner received a written reply
    FOLLOWED_UP = "case.followed_up"    # 回访评价
    REVIEW_REQUESTED = "case.review_requested"  # 申请复查/复核
    REVIEW_DECIDED = "case.review_decided"      # 复查/复核意见
    REDO_ORDERED = "case.redo_ordered"          # 发回重办
    ATTACHMENT_ADDED = "case.attachment_added"
    CONFLICT_RESOLVED = "case.conflict_resolved"  # a person chose among incompatible events
    # issue 9 item 3: the handling chain
    SIGNED = "case.signed"                        # 签收 by the receiving unit
    TRANSFER_OBJECTED = "case.transfer_objected"  # 转办异议 within 5 working days (Art. 23)
    EXTENSION_REQUESTED = "case.extension_requested"  # 申请延期 by the handling unit
    EXTENSION_DECIDED = "case.extension_decided"      # 审批延期 by the supervising unit
    REPORT_SUBMITTED = "case.report_submitted"    # 办结报告 to the assigning unit
    REPORT_ACCEPTED = "case.report_accepted"      # the assigning unit signs the report off
    CLOSED = "case.closed"                        # 终结: only view afterwards (Art. 36)


def canonical_json(obj: Any) -> bytes:
    """The one serialisation used for hashing, signing and storage: sorted keys, no spaces,
    UTF-8 (Chinese stays readable), no NaN."""
    return json.dumps(
        obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


class EventFormatError(ValueError):
    """An event envelope or payload that cannot be accepted.  ``code`` is a stable wire code."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class Event:
    event_id: str          # UUIDv7, made where the action happened
    case_id: str           # UUIDv7 of the case (the registered event's case_id)
    station_id: str        # the station that made it
    station_seq: int       # gap-free per station, from 1
    type: str              # EventType value
    lamport: int           # 1 + max(lamport of the case's events the actor had seen)
    actor: str             # operator login at the station
    occurred_at: str       # ISO 8601 with offset, from the station clock: display only
    payload: bytes         # see payload_enc
    payload_enc: str = PAYLOAD_JSON
    route: str = ""        # division code this event routes the case to (registered: the
                           # case's division; transferred/assigned: the receiving division),
                           # in clear even when the payload is sealed, so servers can filter
    schema_version: int = SCHEMA_VERSION

    # ---- payload access -------------------------------------------------
    @property
    def sealed(self) -> bool:
        return self.payload_enc.startswith(SEALED_PREFIX)

    def data(self) -> dict[str, Any]:
        """The decoded payload, or ``{}`` for a sealed event (content withheld)."""
        if self.sealed:
            return {}
        return json.loads(self.payload.decode("utf-8"))

    # ---- wire form --------------------------------------------------------
    def to_wire(self) -> dict[str, Any]:
        d = {
            "event_id": self.event_id,
            "case_id": self.case_id,
            "station_id": self.station_id,
            "station_seq": self.station_seq,
            "type": self.type,
            "lamport": self.lamport,
            "actor": self.actor,
            "occurred_at": self.occurred_at,
            "payload_enc": self.payload_enc,
            "route": self.route,
            "schema_version": self.schema_version,
        }
        if self.sealed:
            d["payload_b64"] = base64.b64encode(self.payload).decode("ascii")
        else:
            d["payload"] = json.loads(self.payload.decode("utf-8"))
        return d

    @classmethod
    def from_wire(cls, d: Mapping[str, Any]) -> Event:
        """Parse and validate an envelope from the wire; raise EventFormatError."""
        if not isinstance(d, Mapping):
            raise EventFormatError("event_malformed", "not an object")
        try:
            enc = str(d.get("payload_enc", PAYLOAD_JSON))
            if enc == PAYLOAD_JSON:
                if not isinstance(d.get("payload"), dict):
                    raise EventFormatError("event_malformed", "payload must be an object")
                payload = canonical_json(d["payload"])
            elif enc.startswith(SEALED_PREFIX):
                payload = base64.b64decode(str(d["payload_b64"]), validate=True)
            else:
                raise EventFormatError("event_bad_encoding", enc)
            ev = cls(
                event_id=_str(d, "event_id"),
                case_id=_str(d, "case_id"),
                station_id=_str(d, "station_id"),
                station_seq=_int(d, "station_seq"),
                type=_str(d, "type"),
                lamport=_int(d, "lamport"),
                actor=_str(d, "actor"),
                occurred_at=_str(d, "occurred_at"),
                payload=payload,
                payload_enc=enc,
                route=str(d.get("route", "")),
                schema_version=_int(d, "schema_version"),
            )
        except EventFormatError:
            raise
        except (KeyError, TypeError, ValueError) as exc:
            raise EventFormatError("event_malformed", str(exc)) from None
        validate_envelope(ev)
        return ev

    def with_seq(self, station_seq: int) -> Event:
        return replace(self, station_seq=station_seq)


def _str(d: Mapping[str, Any], key: str) -> str:
    v = d[key]
    if not isinstance(v, str):
        raise EventFormatError("event_malformed", f"{key} must be a string")
    return v


def _int(d: Mapping[str, Any], key: str) -> int:
    v = d[key]
    if isinstance(v, bool) or not isinstance(v, int):
        raise EventFormatError("event_malformed", f"{key} must be an integer")
    return v


KNOWN_TYPES = frozenset(t.value for t in EventType)
MAX_PAYLOAD_BYTES = 256 * 1024  # attachments travel separately, content-addressed


def validate_envelope(ev: Event) -> None:
    """Checks every receiver applies before storing an event (station pull, server push)."""
    if not is_uuid(ev.event_id):
        raise EventFormatError("event_bad_id", "event_id")
    if not is_uuid(ev.case_id):
        raise EventFormatError("event_bad_id", "case_id")
    if not ev.station_id or len(ev.station_id) > 64:
        raise EventFormatError("event_malformed", "station_id")
    if ev.station_seq < 1:
        raise EventFormatError("event_bad_seq", str(ev.station_seq))
    if ev.lamport < 1:
        raise EventFormatError("event_malformed", "lamport")
    if ev.type not in KNOWN_TYPES:
        raise EventFormatError("event_unknown_type", ev.type)
    if ev.schema_version < 1 or ev.schema_version > SCHEMA_VERSION:
        raise EventFormatError("event_schema_unsupported", str(ev.schema_version))
    if len(ev.payload) > MAX_PAYLOAD_BYTES:
        raise EventFormatError("event_too_large", str(len(ev.payload)))
    if ev.route and not (len(ev.route) == 12 and ev.route.isdigit()):
        raise EventFormatError("event_malformed", "route")
    if len(ev.actor) > 64:
        raise EventFormatError("event_malformed", "actor")
    try:
        datetime.fromisoformat(ev.occurred_at)
    except ValueError:
        raise EventFormatError("event_malformed", "occurred_at") from None


def make_payload(data: Mapping[str, Any]) -> bytes:
    return canonical_json(dict(data))


@dataclass
class EventDraft:
    """What a service builds; the store fills station_id, station_seq and lamport."""

    case_id: str
    type: EventType
    data: dict[str, Any] = field(default_factory=dict)
    route: str = ""
    sealed_payload: bytes | None = None
    sealed_scheme: str | None = None
