"""Offline bundles: a village with no network syncs through its township on a USB stick.

* ``export_bundle`` (village): every pending outbox event, signed with the station key, in
  ``petition_core.protocol``'s bundle format.  The events stay in the outbox: only the
  server's acknowledgement (directly, or through a return bundle) may remove them.
* ``import_bundle`` (township, kind "push"): the signer must be a village in the
  county-signed register the township holds (id, key, division: no trust on first use;
  an unknown signer → "sync with the county first"); tampered or foreign files are refused
  with a clear message and nothing is written; the village's events are stored locally
  (so the township sees the cases today) and the untouched file is queued for relay on the
  next sync (relay.py).  Idempotent.
* ``write_return_bundle`` (township, only for a village in that register): what higher
  levels did for the village — every event of the cases routed within its division, but
  none of its own — plus the county's latest signed receipt for it and the county-signed
  register records the village needs to check the township.
* ``import_bundle`` (village, kind "return"): verified with the township key from the
  county-signed register (never a key written in the file); events in the village's own
  name are never applied from a file; the outbox is emptied, and refused events
  quarantined, only as far as a receipt the county signed says — a township cannot.
  docs/decisions/0004-trust-model.md.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from petition_core import protocol as P
from petition_core.events import Event, EventFormatError
from petition_core.schemas import check_payload

from ..paths import AppPaths
from ..store import (
    Store,
    StoreError,
    ack_events,
    apply_remote_events,
    outbox_batch,
    quarantine_event,
)
from ..store.eventlog import now_iso
from ..store.models import AttachmentRow, EventRow, OutboxRow
from ..store.projection import refresh_due_dates
from ..store.pulled import Unreadable, quarantine_pulled, screen
from . import reference, relay, trust
from .blobs import blob_path, referenced
from .container import (
    ContainerError,
    ContainerTooLarge,
    iter_blobs,
    read_bundle_bytes,
    write_container,
)
from .identity import Identity, load_identity
from .keys import StationKeyError, StationKeys
from .transport import SyncError

log = logging.getLogger(__name__)

MAX_EXPORT_EVENTS = 100_000

class BundleError(SyncError):
    def __init__(self, code: str, detail: str = ""):
        super().__init__(code, detail=detail)


@dataclass(frozen=True)
class ImportResult:
    kind: str                # "push" or "return"
    station_id: str          # who signed it
    events: int
    applied: int
    duplicates: int
    queued_for_relay: bool = False
    acked_own: int = 0


def station_keys(paths: AppPaths) -> StationKeys:
    """The station key for signing bundles; a damaged key file is a SyncError."""
    try:
        return StationKeys.load_or_create(paths.keys_dir)
    except StationKeyError as exc:
        raise SyncError(exc.code) from None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _identity(store: Store) -> Identity:
    ident = load_identity(store)
    if ident is None:
        raise BundleError("station_not_set_up")
    return ident


def _write_file(store: Store, dest: Path, data: bytes, events: list[Event]) -> None:
    """The USB file: the bundle, with the local attachments its events name."""
    paths = store.paths
    blobs: dict[str, Path] = {}
    if paths is not None:
        with store.read() as s:
            for sha in referenced(events):
                row = s.get(AttachmentRow, sha)
                p = paths.attachments_dir / row.stored_path if row else blob_path(paths, sha)
                if p.is_file():
                    blobs[sha] = p
    write_container(Path(dest), data, blobs)


def export_bundle(store: Store, keys: StationKeys, dest: Path) -> int:
    """Write every pending event to ``dest``; returns the number of events."""
    ident = _identity(store)
    with store.read() as s:
        events = outbox_batch(s, MAX_EXPORT_EVENTS)
    if not events:
        raise BundleError("bundle_empty")
    manifest = {
        "station_id": ident.station_id, "station_code": ident.station_code,
        "from_seq": events[0].station_seq, "to_seq": events[-1].station_seq,
        "created": _now(), "kind": "push", "for_station": None,
    }
    _write_file(store, dest, P.write_bundle(keys.private_key, manifest,
                                            [e.to_wire() for e in events]), events)
    log.info("exported a bundle of %d events", len(events))
    return len(events)


def _trust(store: Store) -> trust.Trust:
    with store.read() as s:
        t = trust.load_trust(s)
    if t is None:
        raise BundleError("not_enrolled")
    return t


def write_return_bundle(store: Store, keys: StationKeys, paths: AppPaths, for_station: str,
                        dest: Path) -> int:
    """Township → village: the events of every case routed within the village's division
    (not the village's own: it holds them), the county's latest receipt for the village and
    the register records it needs to check this township.  Only for a village the
    county-signed register places within this township."""
    ident = _identity(store)
    _trust(store)
    with store.read() as s:
        rec = trust.lookup(s, for_station)
        if rec is None or rec.kind != P.KIND_STATION or not rec.active \
                or not P.within(rec.division, ident.division) or rec.division == ident.division:
            raise BundleError("bundle_unknown_station")
        prefix = P.division_prefix(rec.division)
        case_ids = select(EventRow.case_id).where(EventRow.route.startswith(prefix))
        rows = s.scalars(select(EventRow).where(EventRow.case_id.in_(case_ids),
                                                EventRow.station_id != for_station)
                         .order_by(EventRow.local_pos)).all()
        events = [_row_event(r) for r in rows]
        records = trust.chain_records(s, rec.division)
        refs = reference.signed_records(s)
    manifest = {
        "station_id": ident.station_id, "station_code": ident.station_code,
        "from_seq": 0, "to_seq": 0, "created": _now(), "kind": "return",
        "for_station": for_station,
        # the county's signed word on the village's own events (None before any relay)
        "receipt": relay.receipts(paths).get(for_station),
        "register": records,
        # the county's reference data (units, holidays, routes): the village checks each
        "reference": refs,
    }
    _write_file(store, dest, P.write_bundle(keys.private_key, manifest,
                                            [e.to_wire() for e in events]), events)
    log.info("wrote a return bundle of %d events", len(events))
    return len(events)


def _row_event(r: EventRow) -> Event:
    return Event(event_id=r.event_id, case_id=r.case_id, station_id=r.station_id,
                 station_seq=r.station_seq, type=r.type, lamport=r.lamport, actor=r.actor,
                 occurred_at=r.occurred_at, payload=r.payload, payload_enc=r.payload_enc,
                 route=r.route, schema_version=r.schema_version)


def import_bundle(store: Store, paths: AppPaths, src: Path) -> ImportResult:
    """Verify and import a bundle file (push bundles at a township, return bundles at a
    village).  Raises BundleError with a Chinese message; writes nothing when refusing."""
    ident = _identity(store)
    try:
        data = read_bundle_bytes(Path(src))
    except ContainerTooLarge as exc:
        raise BundleError("bundle_too_large", str(exc)) from None
    except (OSError, ContainerError) as exc:
        raise BundleError("bundle_malformed", type(exc).__name__) from None
    try:
        bundle = P.read_bundle(data)
    except P.ProtocolError as exc:
        raise BundleError("bundle_malformed" if exc.code != "body_too_large"
                          else "body_too_large", exc.code) from None
    m = bundle.manifest
    signer = bundle.station_id
    if signer == ident.station_id:
        raise BundleError("bundle_own")
    kind = m.get("kind")
    if kind not in ("push", "return"):
        raise BundleError("bundle_malformed", "kind")
    if kind == "return" and m.get("for_station") != ident.station_id:
        raise BundleError("bundle_not_for_us")
    county = _trust(store)
    # records the county signed, handed on by the township (each checked; kept only if
    # the file is imported)
    handed_on = m.get("register")
    offered = trust.verified(county, handed_on) \
        if kind == "return" and isinstance(handed_on, list) else []
    with store.read() as s:
        rec = trust.lookup(s, signer)
    newer = next((r for r, _ in offered if r.station_id == signer), None)
    if newer is not None and (rec is None or newer.rev > rec.rev):
        rec = newer
    rec = _check_signer(rec, kind, ident.division)
    try:
        P.verify_bundle(bundle, rec.public_key)   # the key the county registered
    except P.ProtocolError:
        raise BundleError("bundle_bad_signature") from None
    set_aside: list[Unreadable] = []
    if kind == "push":
        events, _unreadable = _parse_events(bundle, signer)
    else:
        # never from a file: our own events come back only over our authenticated sync
        items = [d for d in bundle.events
                 if not (isinstance(d, dict) and d.get("station_id") == ident.station_id)]
        if len(items) < len(bundle.events):
            log.warning("return bundle carries %d record(s) in our own name: ignored",
                        len(bundle.events) - len(items))
        # what this version cannot read is set aside (sync page), as in a sync: one bad
        # record never blocks the rest of the township's file
        events, set_aside = screen(items)
    receipt = trust.check_receipt(county, ident.station_id, m.get("receipt")) \
        if kind == "return" else None
    try:
        with store.session() as s:
            trust.store_records(s, county, [signed for _, signed in offered])
            refs = m.get("reference") if kind == "return" else None
            if isinstance(refs, list) and refs:
                got = reference.store_references(s, county.server_id, county.server_key,
                                                 refs[:reference.MAX_HANDED_ON])
                if got.holidays:
                    refresh_due_dates(s.connection())
            if set_aside:
                quarantine_pulled(s, set_aside)
            applied, dups = apply_remote_events(s, events)
            acked = 0
            if receipt is not None:
                _quarantine_refused(s, ident.station_id, receipt.refused)
                acked = _ack_up_to(s, ident.station_id, receipt.acked_to_seq)
    except StoreError as exc:
        raise BundleError("bundle_conflict", exc.code) from None
    _store_blobs(store, paths, Path(src), events)
    queued = relay.enqueue(paths, data, signer, _seq(m.get("to_seq"))) if kind == "push" \
        else False
    log.info("imported a %s bundle: %d events (%d new)", kind, len(events), applied)
    return ImportResult(str(kind), signer, len(events), applied, dups, queued, acked)


def _check_signer(rec: P.RegisterRecord | None, kind: object,
                  division: str) -> P.RegisterRecord:
    """The signer must be in the county-signed register: a village within this township
    (push), or a station whose division contains this village (return: its township).
    Returns the record once checked."""
    if rec is None:
        raise BundleError("bundle_unknown_signer")
    if rec.kind != P.KIND_STATION:
        raise BundleError("bundle_foreign")
    if not rec.active:
        raise BundleError("bundle_signer_revoked")
    if kind == "push":
        ok = P.within(rec.division, division) and rec.division != division
    else:
        ok = P.within(division, rec.division) and rec.division != division
    if not ok:
        raise BundleError("bundle_foreign")
    return rec


def _store_blobs(store: Store, paths: AppPaths, src: Path, events: list[Event]) -> int:
    """Keep the attachments the container carries for these events (hash-checked)."""
    named = referenced(events)
    with store.read() as s:
        wanted = {sha for sha in named if s.get(AttachmentRow, sha) is None}
    if not wanted:
        return 0
    stored = 0
    try:
        for sha, part in iter_blobs(src, wanted, paths.attachments_dir):
            target = blob_path(paths, sha)
            target.parent.mkdir(parents=True, exist_ok=True)
            part.replace(target)
            item = named[sha]
            with store.session() as s:
                if s.get(AttachmentRow, sha) is None:
                    s.add(AttachmentRow(
                        sha256=sha, size=target.stat().st_size,
                        mime=str(item.get("mime", "application/octet-stream"))[:100],
                        original_name=str(item.get("name", sha))[:255],
                        stored_path=f"{sha[:2]}/{sha}", added_at=now_iso()))
            stored += 1
    except ContainerError as exc:
        log.warning("attachments in a bundle file unreadable: %s", exc)
    return stored


def _seq(v: object) -> int:
    return v if isinstance(v, int) and not isinstance(v, bool) else 0


def _parse_events(bundle: P.Bundle, only_station: str | None) -> tuple[list[Event], list[str]]:
    """The events this version can read, and the codes of those it cannot.  A village
    running a newer version may write kinds of records the township does not know: the
    township still relays the whole signed bundle (the county decides), it only cannot
    show those records itself."""
    out, unreadable = [], []
    for d in bundle.events:
        if only_station is not None and (not isinstance(d, dict)
                                         or d.get("station_id") != only_station):
            raise BundleError("bundle_malformed", "event_foreign_station")
        try:
            ev = Event.from_wire(d)
            check_payload(ev)   # the gate's schema: a poisoned record is never stored here
        except EventFormatError as exc:
            unreadable.append(exc.code)
            continue
        out.append(ev)
    if unreadable:
        log.warning("%d record(s) in the bundle are unreadable here: %s", len(unreadable),
                    sorted(set(unreadable)))
    return out, unreadable


def _quarantine_refused(session, station_id: str, refused: dict[str, str]) -> None:  # noqa: ANN001
    """Our events the county refused (its signed receipt says so): out of the outbox, into
    the quarantine with the reason, before the outbox is emptied up to ``acked_to_seq``."""
    for event_id, code in refused.items():
        row = session.scalars(select(EventRow).where(EventRow.event_id == str(event_id))).first()
        if row is None or row.station_id != station_id:
            continue
        if session.get(OutboxRow, row.event_id) is None:
            continue  # already settled (quarantined before, or acknowledged directly)
        quarantine_event(session, row.event_id, str(code)[:40] or "rejected", "")


def _ack_up_to(session, station_id: str, seq: int) -> int:  # noqa: ANN001
    """The county's signed receipt confirms our events up to ``seq``: empty the outbox."""
    if seq <= 0:
        return 0
    ids = session.scalars(
        select(EventRow.event_id).join(OutboxRow, OutboxRow.event_id == EventRow.event_id)
        .where(EventRow.station_id == station_id, EventRow.station_seq <= seq)).all()
    return ack_events(session, ids)
