"""Plain words for technical things a clerk sees: file sizes, times, where files are saved.

A clerk does not need "1260 KB", "437 B" or the program's folder: sizes are rounded to what
helps decide something ("约 1.2 MB", "很小"), times are this PC's clock time (the sync
records UTC), and every save/open dialog starts in the user's 文档 (Documents) folder.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from .i18n import QT_TRANSLATE_NOOP

_CTX = "Wording"
SMALL_BYTES = 100 * 1024
_SMALL = QT_TRANSLATE_NOOP("Wording", "很小")
_MB = QT_TRANSLATE_NOOP("Wording", "约 %1 MB")
_GB = QT_TRANSLATE_NOOP("Wording", "约 %1 GB")


def plain_size(n: int) -> str:
    """"很小" under 100 KB, else "约 1.2 MB" / "约 3.4 GB" (one decimal, never bytes)."""
    tr = QCoreApplication.translate
    if n < SMALL_BYTES:
        return tr(_CTX, _SMALL)
    mb = n / (1024 * 1024)
    if mb < 1024:
        return tr(_CTX, _MB).replace("%1", f"{max(mb, 0.1):.1f}")
    return tr(_CTX, _GB).replace("%1", f"{mb / 1024:.1f}")


def local_time(iso: str) -> str:
    """"2026-05-01T02:30:00+00:00" → "2026-05-01 10:30" on a PC in China: a stored time with
    an offset is shown in this PC's time; one without is shown as written."""
    try:
        when = datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return str(iso or "")[:16].replace("T", " ")
    if when.tzinfo is not None:
        when = when.astimezone()
    return when.strftime("%Y-%m-%d %H:%M")


def documents_dir() -> Path:
    """The user's Documents folder (the home folder when the system names none)."""
    loc = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    path = Path(loc) if loc else Path.home()
    return path if path.is_dir() else Path.home()


def in_documents(file_name: str = "") -> str:
    """A start path for a file dialog: ``file_name`` inside the Documents folder."""
    folder = documents_dir()
    return str(folder / file_name) if file_name else str(folder)


_LOOK_IN = QT_TRANSLATE_NOOP("Wording", "查找范围(&L)：")
_FILE_NAME = QT_TRANSLATE_NOOP("Wording", "文件名(&N)：")
_FILE_TYPE = QT_TRANSLATE_NOOP("Wording", "文件类型(&T)：")
_SAVE = QT_TRANSLATE_NOOP("Wording", "保存(&S)")
_OPEN = QT_TRANSLATE_NOOP("Wording", "打开(&O)")
_CANCEL = QT_TRANSLATE_NOOP("Wording", "取消")


def _dialog(parent: QWidget | None, title: str, start: str, filters: str,
            save: bool) -> QFileDialog:
    """Qt's own file dialog, starting in 文档, with every label in the UI's language (Qt's
    Chinese catalogue lacks this Qt version's "&Look in:" and "Files of &type:")."""
    tr = QCoreApplication.translate
    dlg = QFileDialog(parent, title, start, filters)
    dlg.setAcceptMode(QFileDialog.AcceptMode.AcceptSave if save
                      else QFileDialog.AcceptMode.AcceptOpen)
    dlg.setFileMode(QFileDialog.FileMode.AnyFile if save
                    else QFileDialog.FileMode.ExistingFile)
    for label, text in ((QFileDialog.DialogLabel.LookIn, _LOOK_IN),
                        (QFileDialog.DialogLabel.FileName, _FILE_NAME),
                        (QFileDialog.DialogLabel.FileType, _FILE_TYPE),
                        (QFileDialog.DialogLabel.Accept, _SAVE if save else _OPEN),
                        (QFileDialog.DialogLabel.Reject, _CANCEL)):
        dlg.setLabelText(label, tr(_CTX, text))
    return dlg


def _ask(parent: QWidget | None, title: str, start: str, filters: str, save: bool) -> str:
    dlg = _dialog(parent, title, start, filters, save)
    if dlg.exec() != QFileDialog.DialogCode.Accepted or not dlg.selectedFiles():
        return ""
    return dlg.selectedFiles()[0]


def ask_save_path(parent: QWidget | None, title: str, file_name: str = "",
                  filters: str = "") -> str:
    """Where to save a file: a path, or "" when the clerk cancels."""
    return _ask(parent, title, in_documents(file_name), filters, save=True)


def ask_open_path(parent: QWidget | None, title: str, filters: str = "") -> str:
    """Which file to open: a path, or "" when the clerk cancels."""
    return _ask(parent, title, in_documents(), filters, save=False)


def ask_open_paths(parent: QWidget | None, title: str, filters: str = "") -> list[str]:
    """Several files to open (photos, scans): their paths, or [] when cancelled."""
    dlg = _dialog(parent, title, in_documents(), filters, save=False)
    dlg.setFileMode(QFileDialog.FileMode.ExistingFiles)
    if dlg.exec() != QFileDialog.DialogCode.Accepted:
        return []
    return list(dlg.selectedFiles())
