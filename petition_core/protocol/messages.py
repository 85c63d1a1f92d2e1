"""The /v1/sync and /v1/enroll message shapes."""
from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ..casenumber import CaseNumberError, parse_case_no
from ..ids import is_uuid
from .constants import (
    DEFAULT_PULL_LIMIT,
    MAX_PULL_HELD,
    MAX_PULL_LIMIT,
    MAX_PUSH_BUNDLES,
    MAX_PUSH_EVENTS,
    MAX_PUSH_RECORDS,
    MAX_PUSH_RELAYED,
)
from .errors import ProtocolError
from .signing import public_key_b64, reenroll_message, server_identity_message

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
    ``relayed`` (relays only): villages' bundles as ``(signature, signed canonical body)``,
    on the wire ``{"sig": base64, "body": "<the body's text>"}``, uncompressed inside the
    request's one zstd frame (so it compresses across villages); ``bundles`` is the older
    form, whole bundle files in base64, still accepted.
    ``pull`` may be null for a push-only request.  ``pull.own_through`` (optional): the
    pusher already holds its own events with station_seq ≤ this number, so the server
    leaves them out of the pull (they would only come back as duplicates).
    ``pull.held`` (optional): the same for other stations, ``{station_id: through}`` (a
    township holds the events of the villages it relays).
    ``push.compact_acks`` (optional): acknowledge the pusher's own applied/duplicate events
    as station_seq runs (``SyncResponse.own_runs``) instead of one ack per event id.
    ``pull.register_cursor`` (optional): also answer the county-signed register records
    this station needs that changed after that position (``SyncResponse.register``).
    ``push.register`` (upstream relays only): the lower server's signed register records.
    ``pull.reference_cursor`` (optional): also answer the county-signed reference data
    (unit register rows, holiday years) changed after that position
    (``SyncResponse.reference``; decisions/0009).
    """

    events: list[dict[str, Any]] = field(default_factory=list)
    bundles: list[bytes] = field(default_factory=list)
    cursor: int | None = 0
    limit: int = DEFAULT_PULL_LIMIT
    own_through: int = 0
    compact_acks: bool = False
    register_cursor: int | None = None
    register: list[dict[str, Any]] = field(default_factory=list)
    reference_cursor: int | None = None
    relayed: list[tuple[bytes, bytes]] = field(default_factory=list)
    held: dict[str, int] = field(default_factory=dict)

    def to_wire(self) -> dict[str, Any]:
        pull: dict[str, Any] | None = (None if self.cursor is None
                                       else {"cursor": self.cursor, "limit": self.limit})
        if pull is not None and self.own_through:
            pull["own_through"] = self.own_through
        if pull is not None and self.register_cursor is not None:
            pull["register_cursor"] = self.register_cursor
        if pull is not None and self.reference_cursor is not None:
            pull["reference_cursor"] = self.reference_cursor
        if pull is not None and self.held:
            pull["held"] = dict(self.held)
        push: dict[str, Any] = {"events": self.events}
        if self.bundles:
            push["bundles"] = [base64.b64encode(b).decode("ascii") for b in self.bundles]
        if self.relayed:
            push["relayed"] = [{"sig": base64.b64encode(sig).decode("ascii"),
                                "body": body.decode("utf-8")} for sig, body in self.relayed]
        if self.compact_acks:
            push["compact_acks"] = True
        if self.register:
            push["register"] = self.register
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
        register = push.get("register") or []
        if not isinstance(register, list) or not all(isinstance(r, Mapping) for r in register):
            raise ProtocolError("body_malformed", 400, "push.register")
        if len(register) > MAX_PUSH_RECORDS:
            raise ProtocolError("body_too_large", 413, {"max_records": MAX_PUSH_RECORDS})
        try:
            blobs = [base64.b64decode(b, validate=True) for b in bundles]
        except (ValueError, TypeError):
            raise ProtocolError("body_malformed", 400, "push.bundles") from None
        relayed = _relayed_from_wire(push.get("relayed"))
        cursor: int | None = None
        limit = DEFAULT_PULL_LIMIT
        own_through = 0
        reg_cursor: int | None = None
        ref_cursor: int | None = None
        held: dict[str, int] = {}
        if pull is not None:
            reg_cursor = pull.get("register_cursor")
            if reg_cursor is not None and (isinstance(reg_cursor, bool) or not isinstance(
                    reg_cursor, int) or not 0 <= reg_cursor < 2**63):
                raise ProtocolError("body_malformed", 400, "pull.register_cursor")
            ref_cursor = pull.get("reference_cursor")
            if ref_cursor is not None and (isinstance(ref_cursor, bool) or not isinstance(
                    ref_cursor, int) or not 0 <= ref_cursor < 2**63):
                raise ProtocolError("body_malformed", 400, "pull.reference_cursor")
            cursor, limit = pull.get("cursor", 0), pull.get("limit", DEFAULT_PULL_LIMIT)
            own_through = pull.get("own_through", 0)
            for v in (cursor, limit, own_through):
                if not _count(v):
                    raise ProtocolError("body_malformed", 400, "pull.cursor/limit/own_through")
            limit = min(limit, MAX_PULL_LIMIT)
            held = _held_from_wire(pull.get("held"))
        return cls(events=list(events), bundles=blobs, cursor=cursor, limit=limit,
                   own_through=own_through, compact_acks=compact, register_cursor=reg_cursor,
                   register=[dict(r) for r in register], relayed=relayed, held=held,
                   reference_cursor=ref_cursor)


def _count(v: Any) -> bool:
    return not isinstance(v, bool) and isinstance(v, int) and 0 <= v < 2**63


def _relayed_from_wire(items: Any) -> list[tuple[bytes, bytes]]:
    if items is None:
        return []
    if not isinstance(items, list):
        raise ProtocolError("body_malformed", 400, "push.relayed")
    if len(items) > MAX_PUSH_RELAYED:
        raise ProtocolError("body_too_large", 413, {"max_relayed": MAX_PUSH_RELAYED})
    out = []
    for it in items:
        if not isinstance(it, Mapping) or not isinstance(it.get("sig"), str) \
                or not isinstance(it.get("body"), str):
            raise ProtocolError("body_malformed", 400, "push.relayed")
        try:
            sig = base64.b64decode(it["sig"], validate=True)
            body = it["body"].encode("utf-8")
        except (ValueError, TypeError, UnicodeEncodeError):
            raise ProtocolError("body_malformed", 400, "push.relayed") from None
        out.append((sig, body))
    return out


def _held_from_wire(held: Any) -> dict[str, int]:
    if held is None:
        return {}
    if not isinstance(held, Mapping):
        raise ProtocolError("body_malformed", 400, "pull.held")
    if len(held) > MAX_PULL_HELD:
        raise ProtocolError("body_too_large", 413, {"max_held": MAX_PULL_HELD})
    for k, v in held.items():
        if not isinstance(k, str) or not k or len(k) > 64 or not _count(v):
            raise ProtocolError("body_malformed", 400, "pull.held")
    return dict(held)


def _runs_from_wire(items: Any, what: str) -> list[tuple[int, int, str]]:
    """``[[first_seq, last_seq, "applied"|"duplicate"], …]``; ValueError when malformed."""
    runs = []
    for r in items or []:
        if not (isinstance(r, list) and len(r) == 3 and all(
                isinstance(x, int) and not isinstance(x, bool) for x in r[:2])
                and r[2] in (ACK_APPLIED, ACK_DUPLICATE) and 1 <= r[0] <= r[1]):
            raise ValueError(what)
        runs.append((r[0], r[1], r[2]))
    return runs


def _acks_from_wire(items: Any) -> list[Ack]:
    return [Ack(a["event_id"], a["status"], a.get("code"),
                a.get("detail") if isinstance(a.get("detail"), str) else None)
            for a in items or []]


@dataclass
class RelayResult:
    """The county's answer for one bundle of ``push.relayed`` (in request order): either
    ``refused`` (a ``bundle_*`` code; nothing of it was stored) or ``runs`` of its events'
    station_seqs acknowledged applied/duplicate plus ``acks`` for the others (rejected,
    with codes).  Runs instead of one ack per event keep the answer to a relay small."""

    refused: str | None = None
    runs: list[tuple[int, int, str]] = field(default_factory=list)
    acks: list[Ack] = field(default_factory=list)

    def to_wire(self) -> dict[str, Any]:
        if self.refused:
            return {"refused": self.refused}
        d: dict[str, Any] = {"runs": [list(r) for r in self.runs]}
        if self.acks:
            d["acks"] = [a.to_wire() for a in self.acks]
        return d

    @classmethod
    def from_wire(cls, d: Any) -> RelayResult:
        if not isinstance(d, Mapping):
            raise ValueError("relayed")
        refused = d.get("refused")
        if refused is not None and (not isinstance(refused, str) or not refused):
            raise ValueError("relayed.refused")
        return cls(refused, _runs_from_wire(d.get("runs"), "relayed.runs"),
                   _acks_from_wire(d.get("acks")))

    def status_of(self, events: Sequence[Any]) -> dict[str, Ack]:
        """event_id → ack for a bundle's event dicts: the explicit acks, then the runs
        expanded by station_seq for the events they do not name."""
        out: dict[str, Ack] = {a.event_id: a for a in self.acks}
        for d in events:
            eid, seq = (d.get("event_id"), d.get("station_seq")) if isinstance(d, Mapping) \
                else (None, None)
            if not isinstance(eid, str) or eid in out or isinstance(seq, bool) \
                    or not isinstance(seq, int):
                continue
            for lo, hi, status in self.runs:
                if lo <= seq <= hi:
                    out[eid] = Ack(eid, status)
                    break
        return out


@dataclass
class SyncResponse:
    """``own_runs`` (when the request asked for ``compact_acks``): ``(first_seq, last_seq,
    status)`` for runs of the pusher's own events acknowledged applied/duplicate; ``acks``
    then holds only the rest (rejected own events, relayed bundles' events).
    ``next_seq`` (when the request pushed own events): the station_seq the server
    expects next from the pusher.  A station whose events come back ``event_gap`` re-sends
    its own events from there (the server was restored from an older backup, or lost them).
    ``relayed`` (when the request forwarded ``push.relayed`` bundles): one
    :class:`RelayResult` per bundle, in request order.
    ``receipts`` (relays): one county-signed receipt per village whose bundle was merged,
    for the township to hand on in that village's return bundle.  ``register`` /
    ``register_cursor`` (when asked for with ``pull.register_cursor``): the signed register
    records that changed since.  ``register_refused`` (upstream relays): station_id → code
    of pushed register records the server did not accept."""

    acks: list[Ack]
    events: list[dict[str, Any]]
    cursor: int
    more: bool
    next_seq: int | None = None
    own_runs: list[tuple[int, int, str]] = field(default_factory=list)
    relayed: list[RelayResult] = field(default_factory=list)
    receipts: list[dict[str, Any]] = field(default_factory=list)
    register: list[dict[str, Any]] = field(default_factory=list)
    register_cursor: int | None = None
    register_refused: dict[str, str] = field(default_factory=dict)
    reference: list[dict[str, Any]] = field(default_factory=list)
    reference_cursor: int | None = None
    # the county's repeat findings (raw from the wire: check each with parse_repeat)
    repeats: list[Any] = field(default_factory=list)

    def to_wire(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "acks": [a.to_wire() for a in self.acks],
            "pull": {"events": self.events, "cursor": self.cursor, "more": self.more},
        }
        if self.next_seq is not None:
            d["next_seq"] = self.next_seq
        if self.own_runs:
            d["own_acks"] = [list(r) for r in self.own_runs]
        if self.relayed:
            d["relayed"] = [r.to_wire() for r in self.relayed]
        if self.receipts:
            d["receipts"] = self.receipts
        if self.register_cursor is not None:
            d["register"] = {"records": self.register, "cursor": self.register_cursor}
        if self.register_refused:
            d["register_refused"] = self.register_refused
        if self.reference_cursor is not None:
            d["reference"] = {"records": self.reference, "cursor": self.reference_cursor}
        if self.repeats:
            d["repeats"] = self.repeats
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
        relayed = d.get("relayed") or []
        if not isinstance(relayed, list):
            raise ValueError("relayed")
        receipts = d.get("receipts") or []
        reg = d.get("register")
        reg_records: list[Any] = []
        reg_cursor = None
        if reg is not None:
            if not isinstance(reg, Mapping):
                raise ValueError("register")
            reg_records, reg_cursor = reg.get("records") or [], reg.get("cursor")
            if isinstance(reg_cursor, bool) or not isinstance(reg_cursor, int) or reg_cursor < 0:
                raise ValueError("register.cursor")
        ref = d.get("reference")
        ref_records: list[Any] = []
        ref_cursor = None
        if ref is not None:
            if not isinstance(ref, Mapping):
                raise ValueError("reference")
            ref_records, ref_cursor = ref.get("records") or [], ref.get("cursor")
            if isinstance(ref_cursor, bool) or not isinstance(ref_cursor, int) \
                    or ref_cursor < 0 or not isinstance(ref_records, list):
                raise ValueError("reference.cursor")
        refused = d.get("register_refused") or {}
        if not isinstance(receipts, list) or not isinstance(reg_records, list) \
                or not isinstance(refused, Mapping):
            raise ValueError("receipts/register")
        return cls(
            acks=_acks_from_wire(d.get("acks")),
            events=list(pull.get("events", [])),
            cursor=int(pull.get("cursor", 0)),
            more=bool(pull.get("more", False)),
            next_seq=nxt,
            own_runs=_runs_from_wire(d.get("own_acks"), "own_acks"),
            relayed=[RelayResult.from_wire(r) for r in relayed],
            receipts=[dict(r) for r in receipts if isinstance(r, Mapping)],
            register=[dict(r) for r in reg_records if isinstance(r, Mapping)],
            register_cursor=reg_cursor,
            register_refused={str(k): str(v) for k, v in refused.items()},
            reference=[dict(r) for r in ref_records if isinstance(r, Mapping)],
            reference_cursor=ref_cursor,
            # not a list: no findings (never a reason to refuse the pull they came with)
            repeats=list(reps) if isinstance(reps := d.get("repeats"), list) else [],
        )


REPEAT_REASONS = frozenset({"id_number", "name_village", "content"})
REPEAT_FLAGS = frozenset({"in_progress_below"})
MAX_REPEATS = 1000
_REPEAT_KEYS = frozenset({"case_id", "matched_case_id", "matched_case_no", "reason", "score",
                          "flag"})


@dataclass(frozen=True)
class RepeatFinding:
    """One ``repeats`` item of a pull answer (docs/PROTOCOL.md): the server found that the
    registration of ``case_id`` may repeat ``matched_case_id`` (number
    ``matched_case_no``), for ``reason`` with ``score`` (0..1); ``flag``
    ``in_progress_below``: that earlier case is accepted below and still in time (the
    matter is already being handled: not accepted again)."""

    case_id: str
    matched_case_id: str
    matched_case_no: str
    reason: str
    score: float
    flag: str | None = None


def parse_repeat(d: Any) -> RepeatFinding | None:
    """A ``repeats`` item checked strictly (hostile input: exact keys, uuids, a well-formed
    case number, a known reason and flag, a finite score in 0..1), or None."""
    if not isinstance(d, Mapping) or not set(d) <= _REPEAT_KEYS:
        return None
    case_id, matched, no = d.get("case_id"), d.get("matched_case_id"), d.get("matched_case_no")
    reason, score, flag = d.get("reason"), d.get("score"), d.get("flag")
    if not is_uuid(case_id) or not is_uuid(matched) or case_id == matched:
        return None
    if not isinstance(no, str) or len(no) > 40:
        return None
    try:
        parse_case_no(no)
    except CaseNumberError:
        return None
    if not isinstance(reason, str) or reason not in REPEAT_REASONS:
        return None
    if isinstance(score, bool) or not isinstance(score, int | float) \
            or not 0.0 <= float(score) <= 1.0:     # NaN fails both comparisons
        return None
    if flag is not None and (not isinstance(flag, str) or flag not in REPEAT_FLAGS):
        return None
    assert isinstance(case_id, str) and isinstance(matched, str)
    return RepeatFinding(case_id, matched, no, reason, float(score), flag)


def parse_repeats(items: Sequence[Any]) -> tuple[list[RepeatFinding], int]:
    """``(findings, refused)``: the good items (at most MAX_REPEATS), and how many were
    refused; one bad item never costs the others."""
    good, bad = [], 0
    for d in list(items)[:MAX_REPEATS]:
        f = parse_repeat(d)
        if f is None:
            bad += 1
        else:
            good.append(f)
    return good, bad + max(0, len(items) - MAX_REPEATS)


ENROLL_FIELDS = ("code", "public_key", "division", "name", "station_id", "server_id",
                 "epoch", "old_signature", "server")


def enroll_body(
    *, code: str, key: Ed25519PrivateKey, division: str | None, name: str,
    reenroll: tuple[Ed25519PrivateKey, str, str, int] | None = None,
    server: tuple[Ed25519PrivateKey, str] | None = None,
    unit: str | None = None,
) -> dict[str, Any]:
    """The ``POST /v1/enroll`` body (protocol 2).  The request is also signed (counter 0,
    ``server_id=""``, ``station_id=""``, epoch 0) with ``key`` to prove the station holds
    the private half of the key it enrolls.  The server assigns the station id.

    * ``division``: the division the station serves; the server refuses a code made for
      another one (``enroll_division_mismatch``).  None for a server enrolling upstream.
    * ``unit``: the unit the station was set up as (its division's centre, or a department
      ``<division>.<suffix>``); the server refuses a code made for another unit
      (``enroll_unit_mismatch``).  Omitted: the division's centre (stations before units).
    * ``reenroll=(old_key, server_id, station_id, epoch)``: re-enroll that existing station
      with ``key``, proven by its old key's signature over ``reenroll_message`` (not
      needed with a code the county issued for that very station).
    * ``server=(server_key, server_id)``: a lower-level server enrolling upstream names its
      own identity, signed by its server key (``server_identity_message``)."""
    pub = public_key_b64(key)
    body: dict[str, Any] = {"code": code, "public_key": pub, "name": name}
    if division is not None:
        body["division"] = division
    if unit is not None:
        body["unit"] = unit
    if reenroll is not None:
        old_key, server_id, station_id, epoch = reenroll
        sig = old_key.sign(reenroll_message(server_id=server_id, station_id=station_id,
                                            epoch=epoch, new_public_key=pub))
        body.update(station_id=station_id, server_id=server_id, epoch=epoch,
                    old_signature=base64.b64encode(sig).decode("ascii"))
    if server is not None:
        server_key, server_id = server
        sig = server_key.sign(server_identity_message(server_id=server_id,
                                                      client_public_key=pub))
        body["server"] = {"server_id": server_id, "public_key": public_key_b64(server_key),
                          "signature": base64.b64encode(sig).decode("ascii")}
    return body


def normalize_enroll_code(text: str) -> str:
    """Codes are shown grouped ("K7QH-3MXP"); accept any case, spaces and dashes."""
    return "".join(ch for ch in text.upper() if ch.isalnum())
