"""One schema per event type, the single gate both sides use before an event's payload is
stored or folded (issue 7, A1).

* The county server calls :func:`check_payload` on every pushed event at merge and refuses
  what does not fit (ack ``rejected``, code ``payload_invalid``, the field path in
  ``detail``); nothing refused is stored, pulled by anyone or relayed upstream.
* A station calls it on every pulled event: one that does not fit is quarantined with the
  same code (``station_app.store.pulled``) and the rest of the answer still applies.
* The station's own services get the same verdict before they write (``append_events``).

Sealed payloads (``payload_enc`` ``sealed:*``) cannot be read: only the envelope and the
route are checked.  A schema says what each field must *be* (type and shape); what a field
must *say* (ID checksum, phone, lengths, enums, dates) is the content check,
:mod:`petition_core.content`.

Adding an event type: a module here with ``TYPE`` and ``PAYLOAD`` (and ``ROUTE_FIELD`` /
``BLOB_FIELDS`` when they apply), listed in ``_MODULES``; ``tests/core/test_schemas.py``
fails for an EventType without a schema.
"""
from __future__ import annotations

import json
from types import ModuleType
from typing import Any

from ..events import Event, EventFormatError
from . import (
    accepted,
    amended,
    assigned,
    attachment_added,
    closed,
    concluded,
    conflict_resolved,
    declined,
    extended,
    extension_decided,
    extension_requested,
    followed_up,
    linked,
    progress,
    redo_ordered,
    registered,
    report_accepted,
    report_submitted,
    review_decided,
    review_requested,
    served,
    signed,
    transfer_objected,
    transferred,
    urged,
)
from ._spec import PayloadError

PAYLOAD_INVALID = "payload_invalid"   # registered in petition_core.codes

_MODULES: tuple[ModuleType, ...] = (
    registered, amended, linked, accepted, declined, transferred, assigned, urged, extended,
    progress, concluded, served, followed_up, review_requested, review_decided, redo_ordered,
    attachment_added, conflict_resolved, signed, transfer_objected, extension_requested,
    extension_decided, report_submitted, report_accepted, closed,
)
SCHEMAS: dict[str, ModuleType] = {m.TYPE: m for m in _MODULES}
BLOB_TYPES = frozenset(t for t, m in SCHEMAS.items() if getattr(m, "BLOB_FIELDS", ()))

__all__ = ["PAYLOAD_INVALID", "SCHEMAS", "PayloadError", "check_payload", "check_data",
           "named_blobs", "safe_detail", "BLOB_TYPES"]


def safe_detail(text: str, limit: int = 200) -> str:
    """A refusal's detail travels in acks and is printed by ``suqiu-server rejected``: keep
    printable ASCII only (a field name in a hostile payload may hold terminal escapes)."""
    return "".join(ch if " " <= ch <= "~" else "?" for ch in text[:limit])


def _refuse(detail: str) -> EventFormatError:
    return EventFormatError(PAYLOAD_INVALID, safe_detail(detail))


def check_data(etype: str, data: Any, route: str = "") -> None:
    """Judge a decoded payload of type ``etype`` (whose envelope carries ``route``); raise
    EventFormatError(``payload_invalid``, "<field path>: <reason>")."""
    mod = SCHEMAS.get(etype)
    if mod is None:
        raise EventFormatError("event_unknown_type", etype)
    try:
        mod.PAYLOAD(data, "")
    except PayloadError as exc:
        raise _refuse(str(exc)) from None
    route_field = getattr(mod, "ROUTE_FIELD", None)
    if route_field is not None and data.get(route_field) != route:
        raise _refuse(f"{route_field}: differs from route")


def check_payload(event: Event, decoded: Any = None) -> dict[str, Any] | None:
    """The schema check of one event; raises EventFormatError with a stable code.  Returns
    the decoded payload (None for a sealed event).  The envelope must already have passed
    ``validate_envelope`` (``Event.from_wire`` does).

    ``decoded``: the payload object the event was made from by ``Event.from_wire`` (its
    wire item's ``payload``), to judge without parsing the bytes again.  The same value:
    ``event.payload`` is its canonical JSON, and everything that survives canonical_json
    (no NaN, no lone surrogates) reads back equal."""
    mod = SCHEMAS.get(event.type)
    if mod is None:
        raise EventFormatError("event_unknown_type", event.type)
    if event.route and getattr(mod, "ROUTE_FIELD", None) is None:
        # only a registration, a transfer and an assignment route a case somewhere; a
        # route on anything else would show the case to a division nobody sent it to
        raise _refuse("route: not allowed for this type")
    if event.sealed:
        return None
    if isinstance(decoded, dict):
        data = decoded
    else:
        try:
            data = json.loads(event.payload)
        except (ValueError, UnicodeDecodeError):
            raise _refuse("(payload): not JSON") from None
    check_data(event.type, data, event.route)
    return data


def named_blobs(etype: str, data: Any) -> list[str]:
    """The sha256 of every attachment a (schema-checked) payload names."""
    mod = SCHEMAS.get(etype)
    out: list[str] = []
    if not isinstance(data, dict):
        return out
    for fld in getattr(mod, "BLOB_FIELDS", ()):
        items = data.get(fld)
        for att in items if isinstance(items, list) else [items]:
            if isinstance(att, dict) and isinstance(att.get("sha256"), str):
                out.append(att["sha256"])
    return out
