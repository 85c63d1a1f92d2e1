"""Configure logging once per program: a rotating file in logs_dir and an excepthook that
records crashes (the clerk sees a plain message; the county technician reads the log).

Log records must never carry petitioner data; modules log codes and counts only.
"""
from __future__ import annotations

import logging
import logging.handlers
import os
import sys
import threading
from types import TracebackType

from .filemodes import FILE_MODE, private_dir
from .paths import AppPaths

LOG_FILE = "station.log"
_configured = False
_handler: logging.Handler | None = None


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Log files (and each rotated one) readable by this user only: they name operators
    and cases even though they never carry petitioners' data."""

    def _open(self):  # noqa: ANN202 - logging's own hook
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND
                     | getattr(os, "O_NOFOLLOW", 0), FILE_MODE)
        if os.name == "posix":
            os.fchmod(fd, FILE_MODE)
        return os.fdopen(fd, self.mode, encoding=self.encoding, errors=self.errors)


def configure(paths: AppPaths, *, level: int = logging.INFO, console: bool = False) -> None:
    """Idempotent: a second call does nothing (tests and the GUI may both call it)."""
    global _configured, _handler
    if _configured:
        return
    private_dir(paths.logs_dir)
    handler = PrivateRotatingFileHandler(
        paths.logs_dir / LOG_FILE, maxBytes=2 * 1024 * 1024, backupCount=5, encoding="utf-8")
    handler.setFormatter(logging.Formatter(
        "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"))
    root = logging.getLogger()
    root.setLevel(level)
    root.addHandler(handler)
    _handler = handler
    if console:
        err = logging.StreamHandler()
        err.setLevel(logging.WARNING)
        err.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        root.addHandler(err)
    install_excepthook()
    _configured = True


def close_file() -> None:
    """Stop writing the log file (a cancelled first run removes the folder it is in)."""
    global _configured, _handler
    if _handler is not None:
        logging.getLogger().removeHandler(_handler)
        _handler.close()
        _handler = None
        _configured = False


def _log_crash(exc_type: type[BaseException], exc: BaseException,
               tb: TracebackType | None) -> None:
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    logging.getLogger("station_app.crash").critical("unhandled exception",
                                                    exc_info=(exc_type, exc, tb))


def install_excepthook() -> None:
    """Unhandled exceptions on any thread go to the log before the default handling."""
    previous = sys.excepthook

    def hook(exc_type, exc, tb):  # noqa: ANN001
        _log_crash(exc_type, exc, tb)
        if previous is not sys.__excepthook__ and previous is not hook:
            previous(exc_type, exc, tb)
        else:
            sys.__excepthook__(exc_type, exc, tb)

    sys.excepthook = hook

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is not None and args.exc_value is not None:
            _log_crash(args.exc_type, args.exc_value, args.exc_traceback)

    threading.excepthook = thread_hook
