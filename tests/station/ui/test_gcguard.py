"""Garbage with Qt objects in it is collected on the GUI thread, never in a worker."""
from __future__ import annotations

import gc
import threading

from PySide6.QtCore import QObject


def test_automatic_collection_is_off_and_the_gui_thread_collects(qapp):
    from station_app.ui import gcguard

    collector = gcguard.install(qapp)
    assert gcguard.install(qapp) is collector and not gc.isenabled()
    destroyed_in: list[str] = []

    class Holder:
        def __del__(self) -> None:
            destroyed_in.append(threading.current_thread().name)

    def make_cycle() -> None:
        holder = Holder()
        holder.obj = QObject()           # a Qt object only the cycle keeps alive
        holder.me = holder               # the reference cycle

    # a worker allocating a lot would have triggered the collector in its own thread
    worker = threading.Thread(target=lambda: ([make_cycle()] + [[{}] for _ in range(50_000)]),
                              name="worker")
    worker.start()
    worker.join()
    assert destroyed_in == []            # nothing collected in the worker
    gc.set_threshold(*collector.threshold)
    keep = []
    while gc.get_count()[0] <= collector.threshold[0]:
        keep.append([[] for _ in range(100)])   # lists are tracked by the collector
    found = collector.check() + gc.collect()
    assert found > 0 and destroyed_in == ["MainThread"]
