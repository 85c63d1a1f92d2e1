"""The one background-work helper of the station UI.

Why: a village PC is slow and SQLite wants a single writer.  Every service call (they open
their own session per call, so nothing crosses threads) runs on ONE worker thread, in the
order submitted; its result comes back by a queued signal and the callback runs on the GUI
thread.  Widgets therefore never block and never touch a database session.

Usage::

    runner.submit(lambda: services.casebook.query(q), on_done=self._show, on_error=self._fail,
                  owner=self)

If ``owner`` (a QObject) has been deleted when the result arrives, the callbacks are skipped,
so a closed dialog never receives a late result.

What changed is broadcast (as Anki's ``CollectionOp`` / ``OpChanges`` do): when a result
carries ``changes`` (a :class:`station_app.services.Changes`, or is one), the runner emits
``changed(changes, initiator)`` after the caller's own callback, with ``owner`` as the
initiator.  Every open screen looks at it and refreshes only what concerns it, and may skip
the changes it made itself.  Work that does not run here (the sync's own thread) announces
its changes with :meth:`Runner.broadcast`.
"""
from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

if TYPE_CHECKING:
    from station_app.services.types import Changes

log = logging.getLogger(__name__)

DoneCallback = Callable[[Any], None]
ErrorCallback = Callable[[BaseException], None]


@dataclass
class _Pending:
    on_done: DoneCallback | None
    on_error: ErrorCallback | None
    owner: QObject | None


def _targets_alive(callback: Callable[..., Any] | None) -> bool:
    """False when ``callback`` is a method of, or a closure over, a deleted QObject.

    Callers should pass ``owner=``; this covers the ones that forgot, which is the
    difference between a skipped late result and a segmentation fault."""
    if callback is None:
        return True
    objs: list[Any] = [getattr(callback, "__self__", None)]
    for cell in getattr(callback, "__closure__", None) or ():
        try:
            objs.append(cell.cell_contents)
        except ValueError:  # empty cell
            continue
    return all(shiboken6.isValid(o) for o in objs if isinstance(o, QObject))


class _Bridge(QObject):
    """Lives in the GUI thread; worker threads emit on it (queued delivery)."""

    finished = Signal(int, object)
    failed = Signal(int, object)


class _Task(QRunnable):
    def __init__(self, task_id: int, fn: Callable[[], Any], bridge: _Bridge) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._id = task_id
        self._fn = fn
        self._bridge = bridge

    def run(self) -> None:  # worker thread
        try:
            result = self._fn()
        except BaseException as exc:  # noqa: BLE001 - every failure goes back to the GUI
            # Only the exception type goes to the log: messages may quote petitioner data.
            log.debug("background task %d failed: %s", self._id, type(exc).__name__)
            self._bridge.failed.emit(self._id, exc)
        else:
            self._bridge.finished.emit(self._id, result)


class Runner(QObject):
    """Runs callables one at a time on a worker thread; results arrive on the GUI thread."""

    busy_changed = Signal(bool)
    error = Signal(object)  # unhandled errors (no on_error given) for a global notice
    changed = Signal(object, object)   # (Changes, initiator QObject or None)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # one writer for SQLite; keeps submission order
        self._bridge = _Bridge(self)
        self._bridge.finished.connect(self._on_finished)
        self._bridge.failed.connect(self._on_failed)
        self._ids = itertools.count(1)
        self._pending: dict[int, _Pending] = {}

    # ---- API ----------------------------------------------------------------
    def submit(self, fn: Callable[[], Any], on_done: DoneCallback | None = None,
               on_error: ErrorCallback | None = None, *, owner: QObject | None = None) -> int:
        """Queue ``fn`` for the worker thread; return a task id."""
        task_id = next(self._ids)
        was_idle = not self._pending
        self._pending[task_id] = _Pending(on_done, on_error, owner)
        self._pool.start(_Task(task_id, fn, self._bridge))
        if was_idle:
            self.busy_changed.emit(True)
        return task_id

    def broadcast(self, changes: Changes | None, initiator: QObject | None = None) -> None:
        """Tell every screen what changed (GUI thread); nothing when ``changes`` is empty."""
        from station_app.services.types import Changes  # not before the login shows

        if isinstance(changes, Changes) and changes:
            self.changed.emit(changes, initiator)

    def is_busy(self) -> bool:
        return bool(self._pending)

    def wait_idle(self, timeout_ms: int = 30000) -> bool:
        """Block until the worker is idle (tests, shutdown, selftest).  Callbacks still
        need the event loop to run afterwards (they are queued)."""
        return self._pool.waitForDone(timeout_ms)

    def shutdown(self) -> None:
        """Let the running task finish and drop queued ones (window closing)."""
        self._pool.clear()
        self._pool.waitForDone(10000)
        self._pending.clear()

    # ---- delivery (GUI thread) ---------------------------------------------------
    def _take(self, task_id: int) -> _Pending | None:
        pending = self._pending.pop(task_id, None)
        if not self._pending:
            self.busy_changed.emit(False)
        if pending is None:
            return None
        if pending.owner is not None and not shiboken6.isValid(pending.owner):
            return None
        if not (_targets_alive(pending.on_done) and _targets_alive(pending.on_error)):
            # A callback bound to (or closing over) a widget that Qt has already deleted
            # would crash the process when called: drop the late result instead.
            return None
        return pending

    @Slot(int, object)
    def _on_finished(self, task_id: int, result: Any) -> None:
        owner = self._pending[task_id].owner if task_id in self._pending else None
        pending = self._take(task_id)
        if pending is not None and pending.on_done is not None:
            pending.on_done(result)
        # even when the caller is gone (a closed dialog) the data did change
        from station_app.services.types import Changes  # not before the login shows

        changes = result if isinstance(result, Changes) else getattr(result, "changes", None)
        if owner is not None and not shiboken6.isValid(owner):
            owner = None
        self.broadcast(changes, owner)

    @Slot(int, object)
    def _on_failed(self, task_id: int, exc: BaseException) -> None:
        pending = self._take(task_id)
        if pending is None:
            return
        if pending.on_error is not None:
            pending.on_error(exc)
        else:
            log.error("unhandled background error: %s", type(exc).__name__)
            self.error.emit(exc)
