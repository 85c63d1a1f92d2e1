"""The station's sync engine: push the outbox, pull the jurisdiction, in as few round trips
as possible (PROTOCOL.md).  Pure Python on ``requests``; no Qt (the UI runs it on a thread).

Promises, and how they are kept:

* **Nothing lost**: an event leaves the outbox only when the server acknowledged it
  (``applied``/``duplicate``); ``rejected`` events are quarantined with their code, never
  dropped.  Acks, pulled events and the new cursor commit in ONE local transaction, so a
  crash (or SIGKILL) at any instant leaves either the old state or the new one.
* **Nothing duplicated**: every request may be replayed; the server answers ``duplicate``
  and ``apply_remote_events`` ignores events it already has.
* **One round trip when idle**: push and pull travel in the same request; the loop goes on
  only while the outbox batch was full, a relay bundle is waiting, or the server said
  ``more``.
* **Slow lines finish**: ``requests`` gets a stall timeout (connect 10 s, 30 s without a
  byte), never a total one.
* **Clocks don't matter**: nothing here reads the station's wall clock for ordering;
  replay protection is the persisted request counter (keys.py).
"""
from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import select

from petition_core import protocol as P
from petition_core.events import Event

from ..paths import AppPaths
from ..store import (
    Store,
    StoreError,
    ack_events,
    apply_remote_events,
    get_setting,
    outbox_batch,
    quarantine_event,
    set_setting,
)
from ..store.eventlog import (
    GAP,
    adopt_station_id,
    outbox_count,
    own_through,
    requeue_gap_quarantine,
    requeue_own,
)
from ..store.models import EventRow
from ..store.projection import refresh_due_dates
from ..store.pulled import Unreadable, quarantine_pulled, retry_pulled, screen
from ..store.repeats import store_findings
from . import packing, reference, relay, trust
from .blobs import BlobTransfer
from .identity import load_identity
from .keys import StationKeyError, StationKeys
from .transport import SyncError, Transport

log = logging.getLogger(__name__)

SYNC_PATH = "/v1/sync"
ENROLL_PATH = "/v1/enroll"
K_SERVER = "sync.server_url"
K_ENROLLED = "sync.enrolled_division"
K_CURSOR = "sync.cursor"
K_LAST_OK = "sync.last_ok_at"
K_LAST_ERROR = "sync.last_error"
DEFAULT_BATCH = 200
MAX_ROUNDS = 10_000  # a safety net against a server that says "more" forever


@dataclass
class SyncProgress:
    """What the UI's progress bar shows; sent after every round trip."""

    phase: str                 # "push", "pull", "blobs", "done"
    events_up: int = 0
    events_down: int = 0
    bytes_up: int = 0
    bytes_down: int = 0
    pending: int = 0           # outbox events still to send (estimate)
    total_up: int = 0          # outbox events when the sync started (for a real bar)


@dataclass
class SyncReport:
    applied: int = 0
    duplicates: int = 0
    rejected: int = 0
    pulled: int = 0            # events new to this station
    pulled_duplicates: int = 0
    reference_stored: int = 0     # county reference records stored (unit rows, holiday years)
    reference_refused: int = 0    # … refused (forged, or failing their check)
    repeats_stored: int = 0       # the county's repeat findings kept (store/repeats.py)
    repeats_refused: int = 0      # … refused as malformed (the rest of the answer applies)
    relayed_bundles: int = 0
    round_trips: int = 0
    bytes_up: int = 0
    bytes_down: int = 0
    cursor: int = 0
    blobs_up: int = 0
    blobs_down: int = 0
    rejected_codes: dict[str, int] = field(default_factory=dict)
    requeued: int = 0          # own events sent again because the server had lost them
    pulled_quarantined: int = 0   # pulled records this version cannot take (kept aside)
    pulled_recovered: int = 0     # quarantined pulled records applied after all
    relay_set_aside: int = 0   # relay bundles too large for any request (relay/refused/)
    gap_blocked: tuple[int | None, int] | None = None   # (server expects, our first queued)
    changed_cases: set[str] = field(default_factory=set)   # cases that got pulled events


ProgressFn = Callable[[SyncProgress], None]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class SyncEngine:
    """One station's sync with one county server."""

    def __init__(self, store: Store, paths: AppPaths, *, server_url: str | None = None,
                 batch_size: int = DEFAULT_BATCH, pull_limit: int = P.DEFAULT_PULL_LIMIT,
                 session: requests.Session | None = None,
                 timeout: tuple[float, float] | None = None):
        self.store = store
        self.paths = paths
        try:
            self.keys = StationKeys.load_or_create(paths.keys_dir)
        except StationKeyError as exc:
            raise SyncError(exc.code) from None
        self.batch_size = batch_size
        self.pull_limit = pull_limit
        with store.read() as s:
            saved_url = get_setting(s, K_SERVER)
        url = server_url or saved_url or ""
        ident = load_identity(store)
        self.station_id = ident.station_id if ident else None
        self.transport = Transport(url, self.keys, self.station_id, session=session,
                                   **({"timeout": timeout} if timeout else {}))
        with store.read() as s:
            self.trust = trust.load_trust(s)
        if self.trust is not None:
            self.transport.server_id, self.transport.epoch = self.trust.server_id, self.trust.epoch

    # ---- enrollment ---------------------------------------------------------------
    def enroll(self, code: str) -> dict[str, Any]:
        """Enroll with a one-time county code.  The county assigns this station's id and
        number; the answer carries the county's id and key, the only key this station
        trusts from then on (docs/decisions/0004-trust-model.md).  Enrolled before: the
        same station id is re-enrolled, proven by our key (or by a code the county issued
        for this station).  Nothing is stored unless the answer checks out."""
        ident = load_identity(self.store)
        if ident is None:
            raise SyncError("station_not_set_up")
        if not self.transport.base_url.startswith(("http://", "https://")):
            raise SyncError("server_url_invalid")
        pub = self.keys.public_key_b64()
        body: dict[str, Any] = {"code": P.normalize_enroll_code(code), "public_key": pub,
                                "division": ident.division, "name": ident.name,
                                "unit": ident.unit or ident.division}
        old = self.trust
        if old is not None:
            body.update(station_id=ident.station_id, server_id=old.server_id, epoch=old.epoch,
                        old_signature=self.keys.sign(P.reenroll_message(
                            server_id=old.server_id, station_id=ident.station_id,
                            epoch=old.epoch, new_public_key=pub)))
        ex = self.transport.post_json(ENROLL_PATH, body, counter_zero=True)
        ans = trust.enroll_answer(ex.data)
        if ans["division"] != ident.division:
            # B9: the county bound us to a division we do not serve; keep nothing
            raise SyncError("enroll_division_mismatch",
                            detail={"granted": ans["division"], "ours": ident.division})
        if ans.get("unit", ident.division) != (ident.unit or ident.division):
            # a county that binds us to another unit than we were set up as; keep nothing
            raise SyncError("enroll_unit_mismatch",
                            detail={"granted": ans.get("unit"), "ours": ident.unit})
        if old is not None and ans["station_id"] != ident.station_id:
            raise SyncError("enroll_answer_invalid", detail="station_id")
        new = trust.Trust(ans["server_id"], ans["server_key"], ans["epoch"], ans["station_no"])
        with self.store.session() as s:
            if ans["station_id"] != ident.station_id:
                moved = adopt_station_id(s, ans["station_id"], ans["next_seq"] - 1)
                log.info("station id assigned by the county; %d own event(s) moved", moved)
                set_setting(s, K_CURSOR, "0")
                set_setting(s, trust.K_REG_CURSOR, "0")
            set_setting(s, K_SERVER, self.transport.base_url)
            set_setting(s, K_ENROLLED, ans["division"])
            trust.save_trust(s, new)
            _stored, bad = trust.store_records(s, new, ans["register"])
            if not bad:
                set_setting(s, trust.K_REG_CURSOR, str(ans["register_cursor"]))
        self.trust = new
        self.station_id = self.transport.station_id = ans["station_id"]
        self.transport.server_id, self.transport.epoch = new.server_id, new.epoch
        log.info("station enrolled (division %s, number %s, epoch %s)", ans["division"],
                 new.station_no, new.epoch)
        return dict(ex.data)

    def enrolled(self) -> bool:
        with self.store.read() as s:
            return bool(get_setting(s, K_ENROLLED)) and trust.load_trust(s) is not None

    # ---- one sync -----------------------------------------------------------------
    def sync_once(self, progress: ProgressFn | None = None) -> SyncReport:
        """Push everything pending and pull everything new; raise SyncError on failure
        (whatever was acknowledged before the failure stays committed).  One process at a
        time per station (the app and ``suqiu-station sync`` share a file lock); a second
        one gets ``sync_busy`` at once instead of racing the first for the same batch."""
        if not self.enrolled() or not self.station_id:
            raise SyncError("not_enrolled")
        from filelock import FileLock, Timeout

        lock = FileLock(self.paths.sync_lock, timeout=0)
        try:
            lock.acquire()
        except Timeout:
            raise SyncError("sync_busy") from None
        try:
            return self._sync_locked(progress)
        finally:
            lock.release()

    def _sync_locked(self, progress: ProgressFn | None) -> SyncReport:
        t = self.transport
        start_rt, start_up, start_down = t.round_trips, t.bytes_up, t.bytes_down
        report = SyncReport()
        prog = SyncProgress("push")
        ident = load_identity(self.store)
        division = ident.division if ident else ""
        with self.store.session() as s:
            if requeue_gap_quarantine(s):
                log.info("events quarantined as event_gap by an older version queued again")
            prog.pending = prog.total_up = outbox_count(s)

        def emit(phase: str) -> None:
            prog.phase = phase
            prog.bytes_up, prog.bytes_down = t.bytes_up - start_up, t.bytes_down - start_down
            if progress:
                progress(prog)

        try:
            with self.store.session() as s:
                # pulled records set aside earlier: an upgrade may read them now
                report.pulled_recovered = retry_pulled(s)
            blobs = BlobTransfer(t, self.store, self.paths)
            plan = packing.Plan(min(self.batch_size, P.MAX_PUSH_EVENTS))
            sent: set[Path] = set()   # relay files sent in this sync (never twice…)
            waiting: dict[Path, str] = {}  # …unless their village's earlier bundle went later
            for _ in range(MAX_ROUNDS):
                bundles = relay.next_bundles(self.paths, skip=sent, max_count=plan.max_relayed)
                own_paused = bool(bundles) and not plan.own_with_bundles
                with self.store.read() as s:
                    batch: list[Event] = [] if own_paused else list(
                        outbox_batch(s, plan.batch_size))
                    cursor = int(get_setting(s, K_CURSOR) or 0)
                    req = P.SyncRequest(
                        events=[e.to_wire() for e in batch],
                        relayed=[b.wire() for b in bundles], cursor=cursor,
                        limit=self.pull_limit, own_through=own_through(s), compact_acks=True,
                        held=packing.held_claims(s, bundles, division,
                                                 relay.contradicted(self.paths)),
                        register_cursor=int(get_setting(s, trust.K_REG_CURSOR) or 0),
                        reference_cursor=int(get_setting(s, reference.K_REF_CURSOR) or 0))
                body = packing.encode(req)
                if body is None:   # over the protocol's caps: send less, before sending
                    report.relay_set_aside += packing.shrink(plan, batch, bundles, sent)
                    continue
                report.blobs_up += blobs.upload_for(batch)
                for b in bundles:  # a village's attachments travel with its relayed events
                    report.blobs_up += blobs.upload_for(b.blob_events)
                try:
                    ex = t.post_compressed(SYNC_PATH, body)
                except SyncError as exc:
                    if exc.status == 413 or exc.code == "body_too_large":
                        # this server's limits are lower than the protocol's
                        report.relay_set_aside += packing.shrink(plan, batch, bundles, sent)
                        continue
                    raise
                resp = self._parse(ex.data)
                if len(resp.relayed) != len(bundles):
                    raise SyncError("response_malformed", detail="relayed")
                resp.acks = resp.acks_for(batch)   # runs of own acks → one per event
                requeued_before = report.requeued
                self._commit(batch, bundles, resp, report)
                sent.update(b.path for b in bundles)
                packing.retry_waiting(bundles, waiting, sent)
                prog.events_up += len(batch)
                prog.events_down += len(resp.events)
                prog.pending = max(0, prog.pending - len(batch))
                emit("pull" if resp.more else "push")
                answered = {a.event_id for a in resp.acks}
                if batch and not any(e.event_id in answered for e in batch):
                    # nothing acknowledged: sending the same batch again cannot help now
                    raise SyncError("response_malformed", detail="no acks for the batch")
                if not (len(batch) >= plan.batch_size or (own_paused and prog.pending)
                        or resp.more
                        or report.requeued > requeued_before
                        or relay.has_more(self.paths, sent)):
                    break
            report.blobs_down += blobs.download_wanted()
            with self.store.session() as s:
                set_setting(s, K_LAST_OK, _now())
                set_setting(s, K_LAST_ERROR, "")
        except SyncError as exc:
            with self.store.session() as s:
                set_setting(s, K_LAST_ERROR, exc.code)
            raise
        except Exception:
            # a bug or a broken disk: the sync page must still say something (with a code)
            log.exception("sync failed unexpectedly")
            with self.store.session() as s:
                set_setting(s, K_LAST_ERROR, "internal")
            raise
        finally:
            report.round_trips = t.round_trips - start_rt
            report.bytes_up, report.bytes_down = t.bytes_up - start_up, t.bytes_down - start_down
        emit("done")
        log.info("sync done: %d applied, %d dup, %d rejected, %d pulled, %d round trips",
                 report.applied, report.duplicates, report.rejected, report.pulled,
                 report.round_trips)
        return report

    @staticmethod
    def _parse(data: Any) -> P.SyncResponse:
        try:
            resp = P.SyncResponse.from_wire(data)
        except (KeyError, TypeError, ValueError, AttributeError):
            raise SyncError("response_malformed") from None
        if not all(isinstance(e, dict) for e in resp.events):
            raise SyncError("response_malformed")
        return resp

    def _commit(self, batch: list[Event], bundles: list[relay.PendingBundle],
                resp: P.SyncResponse, report: SyncReport) -> list[Event]:
        """Apply one answer: acks, quarantine, pulled events and cursor in ONE transaction.
        A pulled record this version cannot take (the gate's schema check, an unknown
        type) is quarantined raw in that transaction; the others apply and the cursor
        moves on (store/pulled.py)."""
        pulled, unreadable = screen(resp.events)
        own = {e.event_id: e for e in batch}
        acked: list[str] = []
        try:
            self._write_answer(resp, own, pulled, acked, report,
                               {b.station_id for b in bundles}, unreadable)
        except StoreError as exc:
            # Two events claim one (station, seq): a person must look; keep the cursor.
            log.error("pulled events conflict with local ones: %s", exc.code)
            raise SyncError("pull_conflict",
                            detail=exc.code) from None
        if resp.receipts and self.trust is not None:
            # the county's word on each relayed village, for its return bundle: kept before
            # settling deletes the relayed files (it is what the village needs afterwards)
            relay.save_receipts(self.paths, trust.county_receipts(self.trust, resp.receipts))
        if bundles:
            report.relayed_bundles += relay.settle(self.paths, bundles, resp.relayed)
        if report.rejected:
            log.warning("server rejected events: %s", report.rejected_codes)
        if report.gap_blocked:
            # acks, pulled events and cursor are committed; our queued events stay queued
            raise SyncError("push_gap", detail={"expected": report.gap_blocked[0],
                                                "first_queued": report.gap_blocked[1]})
        return pulled

    def _write_answer(self, resp: P.SyncResponse, own: dict[str, Event], pulled: list[Event],
                      acked: list[str], report: SyncReport, relayed: set[str],
                      unreadable: list[Unreadable] | None = None) -> None:
        gaps: list[Event] = []
        with self.store.session() as s:
            # villages relayed whose events may still lie above the cursor: keep naming
            # them in pull.held until a pull reaches the server's top
            pending = set() if not resp.more else packing.held_pending(s) | relayed
            if pending or packing.held_pending(s):
                set_setting(s, packing.K_HELD_PENDING, json.dumps(sorted(pending)))
            for ack in resp.acks:
                if ack.event_id not in own:
                    continue
                if ack.status == P.ACK_REJECTED and ack.code == GAP:
                    gaps.append(own[ack.event_id])  # stays queued: see _fill_gap
                elif ack.status in (P.ACK_APPLIED, P.ACK_DUPLICATE):
                    acked.append(ack.event_id)
                    if ack.status == P.ACK_APPLIED:
                        report.applied += 1
                    else:
                        report.duplicates += 1
                elif ack.status == P.ACK_REJECTED:
                    code = ack.code or "rejected"
                    quarantine_event(s, ack.event_id, code, ack.detail or "")
                    report.rejected += 1
                    report.rejected_codes[code] = report.rejected_codes.get(code, 0) + 1
            if acked:
                ack_events(s, acked)
            if unreadable:
                quarantine_pulled(s, list(unreadable))
                report.pulled_quarantined += len(unreadable)
            if pulled:
                report.changed_cases |= _new_cases(s, pulled)
                applied, dups = apply_remote_events(s, pulled)
                BlobTransfer.remember_wanted(s, pulled)
                report.pulled += _count(applied)
                report.pulled_duplicates += _count(dups)
            if resp.repeats:
                # hostile input: each item checked on its own, a bad one only counted
                findings, bad = P.parse_repeats(resp.repeats)
                touched = store_findings(s, findings)
                report.repeats_stored += sum(1 for f in findings if f.case_id in touched)
                report.repeats_refused += bad
                report.changed_cases |= touched
                if bad:
                    log.warning("server sent %d malformed repeat finding(s)", bad)
            if resp.cursor or resp.events:
                set_setting(s, K_CURSOR, str(resp.cursor))
                report.cursor = resp.cursor
            if resp.register_cursor is not None and self.trust is not None:
                _stored, bad = trust.store_records(s, self.trust, resp.register)
                if not bad:   # a record that did not verify comes again next time
                    set_setting(s, trust.K_REG_CURSOR, str(resp.register_cursor))
            if resp.reference_cursor is not None and self.trust is not None:
                got = reference.store_references(s, self.trust.server_id,
                                                 self.trust.server_key, resp.reference)
                report.reference_stored += got.units + got.holidays + got.routes
                report.reference_refused += len(got.refused)
                if got.holidays:
                    refresh_due_dates(s.connection())
                if not got.forged:   # a forged record: the genuine one comes again
                    set_setting(s, reference.K_REF_CURSOR, str(resp.reference_cursor))
            if gaps:
                self._fill_gap(s, gaps, resp.next_seq, report)

    @staticmethod
    def _fill_gap(s: Any, gaps: list[Event], next_seq: int | None, report: SyncReport) -> None:
        """The server is missing our events before ``gaps`` (it was restored from an older
        backup, or a bad event could not be voided): queue our own events from the seq it
        expects.  Nothing to queue means a person must look; the events stay queued."""
        first = min(e.station_seq for e in gaps)
        n = requeue_own(s, next_seq, first) if next_seq is not None and next_seq < first else 0
        if n:
            log.warning("server expects our seq %s: %d event(s) queued again", next_seq, n)
            report.requeued += n
            return
        log.error("server reports a gap before seq %d (expects %s); nothing to resend",
                  first, next_seq)
        report.gap_blocked = (next_seq, first)


def _new_cases(s: Any, events: list[Event]) -> set[str]:
    """The cases of those ``events`` this station does not hold yet (read before applying
    them): what open screens must refresh."""
    ids = [e.event_id for e in events]
    have: set[str] = set()
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        have.update(r[0] for r in s.execute(
            select(EventRow.event_id).where(EventRow.event_id.in_(chunk))))
    return {e.case_id for e in events if e.event_id not in have}


def _count(value: Any) -> int:
    """apply_remote_events returns counts or lists depending on the store version."""
    return value if isinstance(value, int) else len(value)
