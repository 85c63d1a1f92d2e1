"""Run Python's cyclic garbage collector on the GUI thread only.

Why: the collector runs in whichever thread happens to allocate when a threshold is crossed
— in this app often the automatic-sync thread or the runner's database worker.  If the
garbage then holds the last reference to a Qt object (a dialog's wrapper in a reference
cycle with a lambda, say), that QObject is destroyed in the wrong thread: Qt locks its
signal/slot mutex there while PySide waits for the GIL, and the GUI thread, holding the
GIL, waits for that mutex in ``QObject.connect`` — the whole app freezes.  (Seen in the
test suite: autosync thread in ``gc_collect_main`` → ``QObject::~QObject``; main thread in
``QObject::connect``.)  So automatic collection is switched off and a timer on the GUI
thread collects whenever the usual thresholds are crossed — the same amounts of work, in
the one thread where Qt objects may die.  The well-known PyQt recipe, kept small.
"""
from __future__ import annotations

import gc
from typing import Any

from PySide6.QtCore import QObject, QTimer

_installed: list[Any] = []


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject, interval_ms: int = 250) -> None:
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(interval_ms)

    def check(self) -> int:
        """Collect the oldest generation whose count passed its threshold (like the
        interpreter would); returns the number of objects found unreachable."""
        counts = gc.get_count()
        for gen in (2, 1, 0):
            if counts[gen] > self.threshold[gen]:
                return gc.collect(gen)
        return 0


def install(app: QObject) -> GuiThreadCollector:
    """Idempotent: one collector per application object."""
    for c in _installed:
        try:
            if c.parent() is app:
                gc.disable()
                return c
        except RuntimeError:  # its app is gone (tests create several)
            continue
    c = GuiThreadCollector(app)
    _installed.append(c)
    return c
