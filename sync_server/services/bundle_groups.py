"""Forwarded and imported bundles become merge groups (docs/PROTOCOL.md, "Relays and
offline bundles").

A bundle is accepted only when it parses, names a station enrolled here (a station, not
a server enrolled upstream), inside the relay's division and not revoked, and carries that
station's signature over its body.  Otherwise the whole bundle is refused with one
``bundle_*`` code and nothing of it is written.  The merge rules themselves (merge.py) are
the same as for a station's own push.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine

from petition_core.authz import Actor
from petition_core.events import Event
from petition_core.protocol import (
    MAX_DECOMPRESSED_BYTES,
    Ack,
    Bundle,
    ProtocolError,
    bundle_from_parts,
    read_bundle,
    verify_bundle,
    within,
)

from .auth import get_station
from .stations import station_unit


@dataclass
class Group:
    """Events that must all belong to ``origin`` (the pusher, or a bundle's station).

    ``actor`` is who the gate judges them as (petition_core.authz): the origin station
    with its enrolled (or county-registered) division, never a division the client
    claims.  ``relay``: the station that carries them, when not the origin (its uploads
    count as the origin's)."""

    origin: str
    origin_division: str | None
    items: list[Any]
    refused: str | None = None
    acks: list[Ack] = field(default_factory=list)
    actor: Actor | None = None
    relay: str | None = None
    parsed: list[tuple[str, Any, Event | None, str | None]] = field(default_factory=list)


def bundle_group(data: bytes, *, relay_division: str | None, engine: Engine) -> Group:
    """Check a forwarded/imported bundle file: readable, from an enrolled station inside
    the relay's division, signed by that station.  A refused bundle writes nothing."""
    try:
        # a forwarded bundle decompresses under the same cap as a request body
        bundle = read_bundle(data, limit=MAX_DECOMPRESSED_BYTES)
    except ProtocolError as exc:
        code = {"body_too_large": "bundle_too_large"}.get(exc.code, exc.code)
        code = code if code.startswith("bundle_") else "bundle_malformed"
        return Group(origin="", origin_division=None, items=[], refused=code)
    return checked_group(bundle, relay_division=relay_division, engine=engine)


def relayed_group(signature: bytes, body: bytes, *, relay_division: str,
                  engine: Engine) -> Group:
    """The same checks for a bundle forwarded as ``push.relayed`` (signature + body)."""
    try:
        bundle = bundle_from_parts(signature, body)
    except ProtocolError:
        return Group(origin="", origin_division=None, items=[], refused="bundle_malformed")
    return checked_group(bundle, relay_division=relay_division, engine=engine)


def checked_group(bundle: Bundle, *, relay_division: str | None, engine: Engine) -> Group:
    origin = get_station(engine, bundle.station_id)
    # a server enrolled upstream (relay_of) is no village: it never signs a bundle
    if origin is None or origin.relay_of is not None or (
        relay_division is not None and not within(origin.division, relay_division)
    ):
        return Group(bundle.station_id, None, bundle.events, refused="bundle_foreign")
    if origin.revoked:
        return Group(bundle.station_id, None, bundle.events, refused="bundle_station_revoked")
    try:
        verify_bundle(bundle, origin.public_key)
    except ProtocolError as exc:
        return Group(bundle.station_id, None, bundle.events, refused=exc.code)
    return Group(bundle.station_id, origin.division, bundle.events,
                 actor=Actor.of(origin.station_id, origin.division, station_unit(origin)))
