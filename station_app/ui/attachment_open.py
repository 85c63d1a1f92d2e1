"""Opening and saving a case's attachments from the case detail page.

An attachment is stored under its sha256 (no name, no extension); to open it the file is
copied under its original name (so the system picks the right viewer from the extension)
into a private folder made for this run of the program (0700, in the temp folder) and handed
to the desktop. The copies are removed when the program closes
(:func:`remove_viewer_copies`); a copy is written as a new private file that replaces
whatever is in its place, so a symbolic link planted there is never followed. Only the kinds
the intake form accepts (photos, PDF, Word/WPS) are opened; anything else — a file that came
from another station's newer version, say — can only be saved, never run. An attachment not
yet on this PC (it arrives with the next sync) says so instead of failing.
"""
from __future__ import annotations

import atexit
import logging
import os
import re
import shutil
import stat
import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from station_app.filemodes import private_dir
from station_app.paths import AppPaths
from station_app.services.attachments import ALLOWED_EXTENSIONS, copy_out, stored_path
from station_app.services.types import AttachmentRef, ServiceError

from .messages import describe_exception
from .wording import ask_save_path, plain_size

log = logging.getLogger(__name__)

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
VIEWER_PREFIX = "suqiu-view-"
LEGACY_FOLDER = "suqiu-attachments"   # before this rule: shared by every run, never emptied
_viewer_dir: Path | None = None


def viewer_dir() -> Path:
    """This run's private folder for viewer copies (made on first use, 0700)."""
    global _viewer_dir
    if _viewer_dir is None or not _viewer_dir.is_dir():
        _viewer_dir = Path(tempfile.mkdtemp(prefix=VIEWER_PREFIX))   # mkdtemp: 0700, new
        atexit.register(remove_viewer_copies)
    return _viewer_dir


def remove_viewer_copies() -> None:
    """Delete this run's viewer copies (the window closes; also at exit), and the shared
    folder older versions left in the temp folder, when it is ours.  Never follows links."""
    global _viewer_dir
    folders = [_viewer_dir] if _viewer_dir is not None else []
    folders.append(Path(tempfile.gettempdir()) / LEGACY_FOLDER)
    for folder in folders:
        try:
            st = os.lstat(folder)
        except OSError:
            continue
        if stat.S_ISLNK(st.st_mode) or not stat.S_ISDIR(st.st_mode) or \
                (hasattr(os, "getuid") and st.st_uid != os.getuid()):
            continue
        shutil.rmtree(folder, ignore_errors=True)   # removes links, never their targets
    _viewer_dir = None


def safe_name(att: AttachmentRef) -> str:
    """The original file name without any folder part or characters Windows refuses."""
    name = _UNSAFE.sub("_", Path(att.name.replace("\\", "/")).name).strip(" .")
    return name[:120] or att.sha256[:16]


def can_open(att: AttachmentRef) -> bool:
    return Path(safe_name(att)).suffix.lower() in ALLOWED_EXTENSIONS


def is_here(paths: AppPaths, att: AttachmentRef) -> bool:
    return stored_path(paths, att.sha256).is_file()


def viewer_copy(paths: AppPaths, att: AttachmentRef) -> Path:
    """Copy to the temp folder under its own name, ready for the system viewer (worker
    thread: a synced attachment may be hundreds of MB); ServiceError when the file is not
    on this PC yet or is not a kind we open."""
    if not is_here(paths, att):
        raise ServiceError("attachment_not_synced")
    if not can_open(att):
        raise ServiceError("attachment_not_openable")
    folder = private_dir(viewer_dir() / att.sha256[:16])
    return copy_out(paths, att.sha256, folder / safe_name(att))


def show(path: Path) -> None:
    """GUI thread: hand a file to the system viewer."""
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def save_copy(paths: AppPaths, att: AttachmentRef, dest: str | Path) -> Path:
    if not is_here(paths, att):
        raise ServiceError("attachment_not_synced")
    return copy_out(paths, att.sha256, dest)


class AttachmentsPanel(QWidget):
    """The attachment list of the case detail page, with 打开 / 另存为."""

    def __init__(self, paths: AppPaths, runner: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.paths = paths
        self.runner = runner   # file copies run off the GUI thread
        self.list = QListWidget()
        self.list.itemActivated.connect(self.open_item)
        self.list.itemDoubleClicked.connect(self.open_item)
        self.empty = QLabel(self.tr("这个案件没有附件。"))
        self.empty.setObjectName("emptyState")
        self.open_button = QPushButton(self.tr("打开附件"))
        self.open_button.clicked.connect(lambda: self.open_item(None))
        self.save_button = QPushButton(self.tr("另存为…"))
        self.save_button.clicked.connect(self.save_item)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.open_button)
        row.addWidget(self.save_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(QLabel(self.tr("附件：双击打开")))
        lay.addWidget(self.list)
        lay.addWidget(self.empty)
        lay.addLayout(row)

    def fill(self, attachments: tuple[AttachmentRef, ...]) -> None:
        self.list.clear()
        for att in attachments:
            text = f"{att.name}（{plain_size(att.size)}）"
            if not is_here(self.paths, att):
                text += self.tr("（同步后可打开）")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, att)
            self.list.addItem(item)
        # an empty list says so in words instead of offering a selectable "无" row
        self.list.setVisible(bool(attachments))
        self.empty.setVisible(not attachments)
        if attachments:
            self.list.setCurrentRow(0)
        for b in (self.open_button, self.save_button):
            b.setVisible(bool(attachments))

    def _current(self, item: QListWidgetItem | None) -> AttachmentRef | None:
        item = item or self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def open_item(self, item: QListWidgetItem | None = None) -> None:
        att = self._current(item)
        if att is None:
            return
        self.runner.submit(lambda: viewer_copy(self.paths, att), show, self._tell, owner=self)

    def _tell(self, exc: BaseException) -> None:
        QMessageBox.information(self, self.tr("附件"), describe_exception(exc))

    def save_item(self) -> None:
        att = self._current(None)
        if att is None:
            return
        dest = ask_save_path(self, self.tr("附件另存为"), safe_name(att))
        if not dest:
            return
        self.runner.submit(lambda: save_copy(self.paths, att, dest), None, self._tell,
                           owner=self)
