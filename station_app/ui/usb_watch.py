"""Copy the daily backup to a USB stick when one is inserted (issue 12 item 4, a setting in
设置 → 数据备份).  Every few seconds the window's thread looks at the mounted removable
drives (a read of /proc/self/mounts on Linux, a drive-letter scan on Windows: cheap); a
drive that was not there at the last look goes to ``BackupService.copy_to_usb_if_enabled``
on the worker thread, which does nothing when the setting is off.  The outcome is one
sentence in the status bar."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from .messages import describe_exception
from .runner import Runner

POLL_MS = 3000


class UsbWatcher(QObject):
    told = Signal(str)          # a sentence for the clerk (status bar)

    def __init__(self, services: Any, runner: Runner,
                 drives: Callable[[], list[Path]] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._backup = services.backup
        self._runner = runner
        self._drives = drives or self._backup.removable_drives
        self._known: set[Path] = set()      # a stick already in at start counts as new
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self.poll)

    def start(self) -> None:
        self._timer.start()
        QTimer.singleShot(0, self.poll)

    def stop(self) -> None:
        self._timer.stop()

    def poll(self) -> None:
        try:
            now = set(self._drives())
        except OSError:
            return
        new = sorted(now - self._known)
        self._known = now
        if new:
            backup = self._backup
            self._runner.submit(lambda: backup.copy_to_usb_if_enabled(new), self._copied,
                                self._failed, owner=self)

    def _copied(self, infos: list) -> None:
        if infos:
            self.told.emit(self.tr("今天的备份已复制到U盘（“诉求通备份”文件夹）。"))

    def _failed(self, exc: BaseException) -> None:
        self.told.emit(describe_exception(exc))
