"""The /v1/sync and /v1/enroll message shapes."""
from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from .constants import (
    DEFAULT_PULL_LIMIT,
    MAX_PULL_LIMIT,
    MAX_PUSH_BUNDLES,
    MAX_PUSH_EVENTS,
)
from .errors import ProtocolError
from .signing import public_key_b64

ACK_APPLIED = "applied"
ACK_DUPLICATE = "duplicate"
ACK_REJECTED = "rejected"


@dataclass
class Ack:
    """``detail`` (optional, ASCII, never a value from the record): what a ``rejected``
    refers to, e.g. ``petitioner.id_number:id_checksum`` or ``case not visible to the
    station``.  Sent only when present; older stations ignore it."""

    event_id: str
    status: str
    code: str | None = None
    detail: str | None = None

    def to_wire(self) -> dict[str, Any]:
        d = {"event_id": self.event_id, "status": self.status, "code": self.code}
        if self.detail:
            d["detail"] = self.detail
        return d


@dataclass
class SyncRequest:
    """``POST /v1/sync`` body: ``{push: {events, bundles}, pull: {cursor, limit}}``.

    ``events`` are the pusher's own ``Event.to_wire()`` dicts, contiguous in station_seq;
    ``bundles`` (relays only) are whole bundle files, base64, as written by the village.
    ``pull`` may be null for a push-only request.  ``pull.own_through`` (optional): the
    pusher already holds its own events with station_seq ≤ this number, so the server
    leaves them out of the pull (they would only come back as duplicates).
    ``push.compact_acks`` (optional): acknowledge the pusher's own applied/duplicate events
    as station_seq runs (``SyncResponse.own_runs``) instead of one ack per event id.
    """

    events: list[dict[str, Any]] = field(default_factory=list)
    bundles: list[bytes] = field(default_factory=list)
    cursor: int | None = 0
    limit: int = DEFAULT_PULL_LIMIT
    own_through: int = 0
    compact_acks: bool = False

    def to_wire(self) -> dict[str, Any]:
        pull = None if self.cursor is None else {"cursor": self.cursor, "limit": self.limit}
        if pull is not None and self.own_through:
            pull["own_through"] = self.own_through
        push: dict[str, Any] = {
            "events": self.events,
            "bundles": [base64.b64encode(b).decode("ascii") for b in self.bundles],
        }
        if self.compact_acks:
            push["compact_acks"] = True
        return {"push": push, "pull": pull}

    @classmethod
    def from_wire(cls, d: Any) -> SyncRequest:
        if not isinstance(d, Mapping):
            raise ProtocolError("body_malformed", 400, "not an object")
        push = d.get("push") or {}
        pull = d.get("pull")
        if not isinstance(push, Mapping) or (pull is not None and not isinstance(pull, Mapping)):
            raise ProtocolError("body_malformed", 400, "push/pull")
        events = push.get("events") or []
        bundles = push.get("bundles") or []
        compact = push.get("compact_acks", False)
        if not isinstance(events, list) or not isinstance(bundles, list):
            raise ProtocolError("body_malformed", 400, "push.events")
        if not isinstance(compact, bool):
            raise ProtocolError("body_malformed", 400, "push.compact_acks")
        if len(events) > MAX_PUSH_EVENTS:
            raise ProtocolError("body_too_large", 413, {"max_events": MAX_PUSH_EVENTS})
        if len(bundles) > MAX_PUSH_BUNDLES:
            raise ProtocolError("body_too_large", 413, {"max_bundles": MAX_PUSH_BUNDLES})
        try:
            blobs = [base64.b64decode(b, validate=True) for b in bundles]
        except (ValueError, TypeError):
            raise ProtocolError("body_malformed", 400, "push.bundles") from None
        cursor: int | None = None
        limit = DEFAULT_PULL_LIMIT
        own_through = 0
        if pull is not None:
            cursor, limit = pull.get("cursor", 0), pull.get("limit", DEFAULT_PULL_LIMIT)
            own_through = pull.get("own_through", 0)
            for v in (cursor, limit, own_through):
                if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v < 2**63:
                    raise ProtocolError("body_malformed", 400, "pull.cursor/limit/own_through")
            limit = min(limit, MAX_PULL_LIMIT)
        return cls(events=list(events), bundles=blobs, cursor=cursor, limit=limit,
                   own_through=own_through, compact_acks=compact)


@dataclass
class SyncResponse:
    """``own_runs`` (when the request asked for ``compact_acks``): ``(first_seq, last_seq,
    status)`` for runs of the pusher's own events acknowledged applied/duplicate; ``acks``
    then holds only the rest (rejected own events, relayed bundles' events).
    ``next_seq`` (when the request pushed own events): the station_seq the server
    expects next from the pusher.  A station whose events come back ``event_gap`` re-sends
    its own events from there (the server was restored from an older backup, or lost them)."""

    acks: list[Ack]
    events: list[dict[str, Any]]
    cursor: int
    more: bool
    next_seq: int | None = None
    own_runs: list[tuple[int, int, str]] = field(default_factory=list)

    def to_wire(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "acks": [a.to_wire() for a in self.acks],
            "pull": {"events": self.events, "cursor": self.cursor, "more": self.more},
        }
        if self.next_seq is not None:
            d["next_seq"] = self.next_seq
        if self.own_runs:
            d["own_acks"] = [list(r) for r in self.own_runs]
        return d

    def acks_for(self, batch: Sequence[Any]) -> list[Ack]:
        """Every ack, with ``own_runs`` expanded to the pushed ``batch``'s event ids."""
        out = []
        for ev in batch:
            for lo, hi, status in self.own_runs:
                if lo <= ev.station_seq <= hi:
                    out.append(Ack(ev.event_id, status))
                    break
        return out + self.acks

    @classmethod
    def from_wire(cls, d: Mapping[str, Any]) -> SyncResponse:
        pull = d.get("pull") or {}
        nxt = d.get("next_seq")
        if nxt is not None and (isinstance(nxt, bool) or not isinstance(nxt, int) or nxt < 1):
            raise ValueError("next_seq")
        runs = []
        for r in d.get("own_acks") or []:
            if not (isinstance(r, list) and len(r) == 3 and all(
                    isinstance(x, int) and not isinstance(x, bool) for x in r[:2])
                    and r[2] in (ACK_APPLIED, ACK_DUPLICATE) and 1 <= r[0] <= r[1]):
                raise ValueError("own_acks")
            runs.append((r[0], r[1], r[2]))
        return cls(
            acks=[Ack(a["event_id"], a["status"], a.get("code"),
                      a.get("detail") if isinstance(a.get("detail"), str) else None)
                  for a in d.get("acks", [])],
            events=list(pull.get("events", [])),
            cursor=int(pull.get("cursor", 0)),
            more=bool(pull.get("more", False)),
            next_seq=nxt,
            own_runs=runs,
        )


ENROLL_FIELDS = ("code", "public_key", "station_id", "station_code", "name")


def enroll_body(
    *, code: str, key: Ed25519PrivateKey, station_id: str, station_code: str, name: str
) -> dict[str, Any]:
    """The ``POST /v1/enroll`` body.  The request is also signed (counter 0) with ``key`` to
    prove the station holds the private half of the key it enrolls."""
    return {
        "code": code, "public_key": public_key_b64(key), "station_id": station_id,
        "station_code": station_code, "name": name,
    }


def normalize_enroll_code(text: str) -> str:
    """Codes are shown grouped ("K7QH-3MXP"); accept any case, spaces and dashes."""
    return "".join(ch for ch in text.upper() if ch.isalnum())
