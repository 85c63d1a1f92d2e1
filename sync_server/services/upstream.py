"""Upward sync: this server (a county) as a client of the level above (a city), with the
same protocol a village station uses (docs/PROTOCOL.md, "Upward sync").

* Enrollment: an ``upstream`` one-time code made at the city; we name our own identity
  (server id and signing key, signed by it), so the city can check the register records we
  push.  Our client key lives in the keys folder (``upstream_ed25519.pem``, 0600), never in
  the database; station id, epoch, counter and cursors live in ``server_state``.
* Register: our signed register records go up before the events (``push.register``), so
  the city accepts relayed events only from stations we registered.
* Push: our change log in ``server_pos`` order (each origin station's events stay
  contiguous in station_seq), except events that came *down* from upstream.  The push
  cursor passes events acknowledged applied/duplicate and events the city refused for
  their content (voided there, reported to the operator, kept here); a gap, a
  ``seq_conflict``, a refused station or a missing ack stops it (retried next time —
  never skipped silently: the city holds another record under that number, a person must
  look).
* Attachments: ``upstream_blobs.py`` (up and down, resumable).
* Pull: the city's events of cases routed into our division are inserted into our log
  (so our stations pull them) together with the new cursor, in one transaction.
* The counter is persisted before each request is sent, like a station does.
* The link itself (state, signed requests, reading answers): ``upstream_link.py``.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, select

from petition_core.events import Event, EventFormatError
from petition_core.protocol import (
    ACK_APPLIED,
    ACK_DUPLICATE,
    ACK_REJECTED,
    MAX_PUSH_RECORDS,
    ProtocolError,
    encode_body,
    enroll_body,
    new_private_key,
    sign_request,
)

from ..store.db import dialect_insert
from ..store.models import events, register, server_state, station_progress, stations
from . import upstream_blobs
from .identity import UPSTREAM_KEY_FILE, ServerIdentity, pem, write_private
from .merge import insert_events, take_merge_lock, writer
from .pull import row_to_wire
from .register import signed_of
from .state import set_state
from .upstream_link import UPSTREAM, checked_answer, get_state, send, signed_request

log = logging.getLogger(__name__)

# refusals that are not the event's content: the push stops there (retried next time)
STOP_CODES = frozenset({"event_gap", "seq_conflict", "event_foreign_station"})


@dataclass
class UpstreamReport:
    pushed_applied: int = 0
    pushed_duplicate: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)
    blocked: bool = False      # stopped at the last rejected event (a gap): a person must look
    register_refused: dict[str, str] = field(default_factory=dict)
    pulled_applied: int = 0
    pulled_duplicate: int = 0
    blobs_up: int = 0
    blobs_down: int = 0


def enroll_upstream(engine: Engine, ident: ServerIdentity, keys_dir: Path, *, url: str,
                    code: str, name: str) -> str:
    """Enroll this server at ``url`` with an upstream code; returns the division granted.
    The new client key is written to the keys folder only once the level above accepted
    it (a failed attempt leaves the previous enrollment usable)."""
    key = new_private_key()
    body = encode_body(enroll_body(code=code, key=key, division=None, name=name,
                                   server=(ident.key, ident.server_id)))
    headers = sign_request(key, "", 0, "POST", "/v1/enroll", body, server_id="", epoch=0)
    data = checked_answer(send("POST", url.rstrip("/") + "/v1/enroll", body, headers))
    try:
        station_id, division = str(data["station_id"]), str(data["division"])
        up_id, epoch = str(data["server_id"]), int(data["epoch"])
    except (KeyError, TypeError, ValueError):
        raise ProtocolError("body_malformed", 502, "upstream enrollment answer") from None
    write_private(Path(keys_dir) / UPSTREAM_KEY_FILE, pem(key))
    with engine.begin() as conn:
        conn.execute(server_state.delete().where(server_state.c.key == "upstream.key"))
        set_state(conn, **{"upstream.url": url.rstrip("/"), "upstream.station_id": station_id,
                      "upstream.server_id": up_id, "upstream.epoch": epoch,
                      "upstream.server_key": str(data.get("server_key", "")),
                      "upstream.counter": 0, "upstream.push_pos": 0, "upstream.pull_cursor": 0,
                      "upstream.register_pos": 0, "upstream.division": division})
    log.info("enrolled upstream at %s for division %s", url, division)
    return division


def _post(engine: Engine, st: dict[str, str], path: str, obj: Any) -> Any:
    return checked_answer(signed_request(engine, st, "POST", path, encode_body(obj)))


def apply_from_upstream(engine: Engine, items: list[Any], cursor: int) -> tuple[int, int]:
    """Insert pulled events (no contiguity: we only see our part of the city's stations)
    and save the cursor, in one transaction.  An unreadable event aborts the whole batch
    (cursor not moved) rather than being skipped.  Events in the name of a station we
    enrolled or registered are never taken from above: we hold that station's events
    from the station itself, and anything else in its name is a forgery that would take
    its sequence numbers."""
    try:
        evs = [Event.from_wire(d) for d in items]
    except EventFormatError as exc:
        raise ProtocolError("body_malformed", 502, f"upstream event: {exc.code}") from None
    with writer(engine) as conn:
        take_merge_lock(conn)
        ids = [e.event_id for e in evs]
        have = set(conn.execute(select(events.c.event_id).where(
            events.c.event_id.in_(ids))).scalars()) if ids else set()
        todo, seen = [], set()
        sids = list({e.station_id for e in evs})
        ours = set(conn.execute(select(stations.c.station_id).where(
            stations.c.station_id.in_(sids))).scalars()) | set(conn.execute(
                select(register.c.station_id).where(register.c.station_id.in_(sids))).scalars()) \
            if sids else set()
        for ev in evs:
            if ev.event_id in have or ev.event_id in seen:
                continue
            if ev.station_id in ours:
                log.warning("upstream sent an event in the name of our station %s; ignored",
                            ev.station_id)
                continue
            clash = conn.execute(select(events.c.event_id).where(
                events.c.station_id == ev.station_id,
                events.c.station_seq == ev.station_seq)).first()
            if clash is not None:
                log.warning("upstream event of station %s seq %s conflicts locally; kept ours",
                            ev.station_id, ev.station_seq)
                continue
            seen.add(ev.event_id)
            todo.append((ev, None))
        insert_events(conn, todo, received_from=UPSTREAM)
        for sid in {ev.station_id for ev, _ in todo}:
            _advance_progress(conn, sid)
        set_state(conn, **{"upstream.pull_cursor": cursor})
    return len(todo), len(evs) - len(todo)


def _advance_progress(conn: Connection, sid: str) -> None:
    high = conn.execute(select(station_progress.c.high_seq)
                        .where(station_progress.c.station_id == sid)).scalar() or 0
    start = high
    while conn.execute(select(events.c.event_id).where(
            events.c.station_id == sid, events.c.station_seq == high + 1)).first():
        high += 1
    if high != start:
        conn.execute(dialect_insert(conn, station_progress).values(station_id=sid, high_seq=high)
                     .on_conflict_do_update(index_elements=[station_progress.c.station_id],
                                            set_={"high_seq": high}))


def sync_upstream(engine: Engine, ident: ServerIdentity, keys_dir: Path, *, batch: int = 500,
                  max_rounds: int = 10_000, blob_dir: Path | None = None) -> UpstreamReport:
    """Push everything not yet acknowledged upstream and pull until caught up; with
    ``blob_dir`` (this server's attachment folder) attachments travel too."""
    del ident  # our records are signed when issued; kept for symmetry with enrollment
    rep = _sync_events(engine, Path(keys_dir), batch=batch, max_rounds=max_rounds)
    if blob_dir is not None:
        rep.blobs_up, rep.blobs_down = upstream_blobs.sync_blobs(
            engine, get_state(engine, keys_dir), Path(blob_dir))
    return rep


def _pending_records(engine: Engine, st: dict[str, str]) -> tuple[list[dict[str, Any]], int]:
    """Our register records (and those of servers below us) not yet sent up."""
    pos = int(st.get("upstream.register_pos", "0"))
    with engine.connect() as conn:
        rows = conn.execute(select(register).where(register.c.pos > pos)
                            .order_by(register.c.pos).limit(MAX_PUSH_RECORDS)).all()
    return [signed_of(r) for r in rows], (rows[-1].pos if rows else pos)


def _sync_events(engine: Engine, keys_dir: Path, *, batch: int,
                 max_rounds: int) -> UpstreamReport:
    st = get_state(engine, keys_dir)
    if "upstream.url" not in st:
        raise ProtocolError("upstream_not_enrolled", 400)
    rep = UpstreamReport()
    for _ in range(max_rounds):
        push_pos = int(st["upstream.push_pos"])
        records, reg_pos = _pending_records(engine, st)
        with engine.connect() as conn:
            rows = conn.execute(
                select(events).where(events.c.server_pos > push_pos,
                                     events.c.received_from != UPSTREAM)
                .order_by(events.c.server_pos).limit(batch)).all()
        push: dict[str, Any] = {"events": [row_to_wire(r) for r in rows]}
        if records:
            push["register"] = records
        data = _post(engine, st, "/v1/sync", {
            "push": push,
            "pull": {"cursor": int(st["upstream.pull_cursor"]), "limit": batch}})
        if records:
            refused = data.get("register_refused") or {}
            if isinstance(refused, dict):
                rep.register_refused.update({str(k): str(v) for k, v in refused.items()})
            with engine.begin() as conn:
                set_state(conn, **{"upstream.register_pos": reg_pos})
            st["upstream.register_pos"] = str(reg_pos)
        status = {a["event_id"]: (a["status"], a.get("code")) for a in data.get("acks", [])}
        new_pos, blocked = push_pos, False
        for r in rows:
            s, code = status.get(r.event_id, ("missing", "no_ack"))
            if s == ACK_REJECTED and code is not None and code not in STOP_CODES:
                # refused for its content (the level above voids it and lists it under
                # `suqiu-server rejected`): the event stays here; later ones go on
                rep.rejected.append((r.event_id, code))
                new_pos = r.server_pos
                continue
            if s not in (ACK_APPLIED, ACK_DUPLICATE):
                rep.rejected.append((r.event_id, code or s))
                rep.blocked = blocked = True
                break
            rep.pushed_applied += s == ACK_APPLIED
            rep.pushed_duplicate += s == ACK_DUPLICATE
            new_pos = r.server_pos
        with engine.begin() as conn:
            set_state(conn, **{"upstream.push_pos": new_pos})
        st["upstream.push_pos"] = str(new_pos)
        pull = data.get("pull") or {}
        applied, dup = apply_from_upstream(engine, pull.get("events", []),
                                           int(pull.get("cursor", 0)))
        upstream_blobs.want_blobs(engine, pull.get("events", []))
        st["upstream.pull_cursor"] = str(pull.get("cursor", 0))
        rep.pulled_applied += applied
        rep.pulled_duplicate += dup
        if blocked or (len(rows) < batch and not pull.get("more")
                       and len(records) < MAX_PUSH_RECORDS):
            break
    log.info("upstream sync: pushed %s new, %s dup, %s rejected; pulled %s new",
             rep.pushed_applied, rep.pushed_duplicate, len(rep.rejected), rep.pulled_applied)
    return rep
