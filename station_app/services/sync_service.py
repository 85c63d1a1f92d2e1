"""The sync page's service: status, "立即同步", enrollment, bundles, automatic sync.

Why a thin layer: the UI must not import the engine's HTTP stack or the store, and must get
plain dataclasses and :class:`ServiceError` (code + Chinese default message) like every
other service.  Sync runs on a thread of its own (never the UI's database worker, never the
GUI thread): one sync at a time, guarded by one lock shared with the automatic loop.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from ..paths import AppPaths
from ..store import Store, get_setting
from ..store.eventlog import list_quarantine, outbox_count, requeue_quarantined
from ..store.models import EventRow
from ..store.pulled import list_pulled
from ..sync import relay, trust
from ..sync.autosync import AutoSync
from ..sync.bundles import export_bundle, import_bundle, station_keys, write_return_bundle
from ..sync.engine import (
    K_ENROLLED,
    K_LAST_ERROR,
    K_LAST_OK,
    K_SERVER,
    SyncEngine,
    SyncProgress,
    SyncReport,
)
from ..sync.transport import SyncError
from .types import NO_CHANGES, Changes, ServiceError

log = logging.getLogger(__name__)

__all__ = ["SyncService", "SyncStatus", "QuarantineItem", "PulledItem", "SyncOutcome",
           "BundleOutcome", "SyncProgress"]


@dataclass(frozen=True)
class QuarantineItem:
    event_id: str
    case_id: str
    event_type: str
    code: str          # stable reason code from the server (e.g. event_gap)
    at: str
    detail: str = ""   # e.g. the refused field: "petitioner.id_number:id_checksum"


@dataclass(frozen=True)
class PulledItem:
    """A record pulled from the server that this version could not take (kept aside)."""

    event_id: str
    event_type: str
    code: str
    detail: str
    at: str


@dataclass(frozen=True)
class SyncStatus:
    enrolled: bool
    server_url: str
    division: str
    last_ok_at: str            # ISO time of the last complete sync, "" if never
    last_error: str            # code of the last failure, "" after a success
    pending: int               # events waiting in the outbox
    quarantined: int
    relay_waiting: int         # villages' bundles waiting to be forwarded (townships)
    relay_refused: int
    # (station_id, division) of the villages the county-signed register places under us
    villages: tuple[tuple[str, str], ...] = ()
    pulled_quarantined: int = 0  # pulled records set aside (see pulled_quarantine())


@dataclass(frozen=True)
class SyncOutcome:
    sent: int
    received: int
    rejected: int
    relayed_bundles: int
    round_trips: int
    bytes_up: int
    bytes_down: int
    rejected_codes: dict[str, int] = field(default_factory=dict)
    changes: Changes = NO_CHANGES   # the cases the pull brought news of, for open screens


@dataclass(frozen=True)
class BundleOutcome:
    kind: str
    events: int
    new: int
    acked_own: int = 0
    changes: Changes = NO_CHANGES


def _outcome(r: SyncReport) -> SyncOutcome:
    return SyncOutcome(r.applied + r.duplicates, r.pulled, r.rejected, r.relayed_bundles,
                       r.round_trips, r.bytes_up, r.bytes_down, dict(r.rejected_codes),
                       Changes.of_cases(r.changed_cases, outbox=True))


def _service_error(exc: SyncError) -> ServiceError:
    return ServiceError(exc.code, status=exc.status)


class SyncService:
    def __init__(self, store: Store, paths: AppPaths):
        self._store = store
        self._paths = paths
        self._lock = threading.Lock()
        self._auto: AutoSync | None = None

    def _engine(self, server_url: str | None = None) -> SyncEngine:
        return SyncEngine(self._store, self._paths, server_url=server_url)

    # ---- reading ---------------------------------------------------------------------
    def status(self) -> SyncStatus:
        with self._store.read() as s:
            get = lambda k: get_setting(s, k) or ""  # noqa: E731
            division = get(K_ENROLLED)
            villages = tuple((r.station_id, r.division)
                             for r in trust.stations_within(s, division)) if division else ()
            st = SyncStatus(
                enrolled=bool(get(K_ENROLLED)), server_url=get(K_SERVER),
                division=get(K_ENROLLED), last_ok_at=get(K_LAST_OK),
                last_error=get(K_LAST_ERROR), pending=outbox_count(s),
                quarantined=len(list_quarantine(s)),
                relay_waiting=len(list(relay.relay_dir(self._paths).glob("*.bundle")))
                if relay.relay_dir(self._paths).is_dir() else 0,
                relay_refused=len(relay.refused_bundles(self._paths)), villages=villages,
                pulled_quarantined=len(list_pulled(s)))
        return st

    def quarantine(self) -> list[QuarantineItem]:
        with self._store.read() as s:
            rows = list_quarantine(s)
            out = []
            for event_id, code, detail, at in rows:
                ev = s.scalars(select(EventRow).where(EventRow.event_id == event_id)).first()
                out.append(QuarantineItem(event_id, ev.case_id if ev else "",
                                          ev.type if ev else "", code, at, detail or ""))
        return out

    def pulled_quarantine(self) -> list[PulledItem]:
        """Records pulled from the server that this version could not take; tried again
        at the start of every sync (an upgrade applies them by itself)."""
        with self._store.read() as s:
            return [PulledItem(r.event_id, r.event_type, r.code, r.detail, r.at)
                    for r in list_pulled(s)]

    def retry_quarantined(self) -> int:
        """Queue every returned record for the next sync again; returns how many."""
        with self._store.session() as s:
            return requeue_quarantined(s)

    # ---- actions (call from a background thread) ---------------------------------------
    def enroll(self, server_url: str, code: str) -> str:
        """Enroll; returns the division the county bound this station to."""
        url = (server_url or "").strip().rstrip("/")
        if not url.startswith(("http://", "https://")):
            raise ServiceError("server_url_invalid")
        if not code.strip():
            raise ServiceError("enroll_code_invalid")
        try:
            data = self._engine(url).enroll(code)
        except SyncError as exc:
            raise _service_error(exc) from None
        return str(data.get("division", ""))

    def sync_now(self, progress: Callable[[SyncProgress], None] | None = None) -> SyncOutcome:
        """One complete sync; ServiceError('sync_busy') if one is already running."""
        if not self._lock.acquire(blocking=False):
            raise ServiceError("sync_busy")
        try:
            r: SyncReport = self._engine().sync_once(progress)
        except SyncError as exc:
            raise _service_error(exc) from None
        finally:
            self._lock.release()
        return _outcome(r)

    def export_bundle(self, dest: str | Path) -> int:
        try:
            return export_bundle(self._store, station_keys(self._paths),
                                 Path(dest))
        except SyncError as exc:
            raise _service_error(exc) from None

    def import_bundle(self, src: str | Path) -> BundleOutcome:
        try:
            r = import_bundle(self._store, self._paths, Path(src))
        except SyncError as exc:
            raise _service_error(exc) from None
        # a bundle may carry many villages' cases: every open case view looks again
        changes = Changes(all_cases=r.applied > 0, outbox=True)
        return BundleOutcome(r.kind, r.events, r.applied, r.acked_own, changes)

    def write_return_bundle(self, for_station: str, dest: str | Path) -> int:
        try:
            return write_return_bundle(self._store,
                                       station_keys(self._paths),
                                       self._paths, for_station, Path(dest))
        except SyncError as exc:
            raise _service_error(exc) from None

    # ---- automatic sync ------------------------------------------------------------------
    def start_auto(self, on_result: Callable[[SyncOutcome | ServiceError], None] | None = None,
                   progress: Callable[[SyncProgress], None] | None = None,
                   interval: float = 300.0) -> None:
        """Start the background loop (idempotent).  ``on_result`` runs on its thread."""
        def deliver(result: SyncReport | SyncError) -> None:
            if on_result is None:
                return
            if isinstance(result, SyncError):
                on_result(_service_error(result))
            else:
                on_result(_outcome(result))

        if self._auto is None:
            self._auto = AutoSync(self._engine, on_result=deliver, progress=progress,
                                  interval=interval, lock=self._lock)
        else:  # a page rebuilt (language switch) takes over the running loop
            self._auto.set_callbacks(deliver, progress)
        self._auto.start()

    def detach_auto(self) -> None:
        """Stop delivering results (the page that listened is going away); keep syncing."""
        if self._auto:
            self._auto.set_callbacks(None, None)

    @property
    def busy(self) -> bool:
        """A sync (manual or automatic) is running in this process."""
        return self._lock.locked()

    @property
    def auto_running(self) -> bool:
        return self._auto is not None and self._auto.running

    def resume_auto(self) -> None:
        """Start the loop again after :meth:`stop_auto` (same listeners as before)."""
        if self._auto:
            self._auto.start()

    def wake_auto(self) -> None:
        if self._auto:
            self._auto.wake()

    def stop_auto(self, timeout: float = 10.0) -> None:
        if self._auto:
            self._auto.stop(timeout)
