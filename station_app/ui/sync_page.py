"""同步: sync with the county server, see what is waiting or was sent back, carry USB bundles.

Why network work gets its own thread: a sync over a 64 kbit/s line can take minutes, and the
UI's one database worker (runner.py) must stay free for the clerk's lookups.  The sync runs
on a ``threading.Thread``; progress and the result come back to the GUI thread as queued
signals of :class:`_Bridge`.  Quick reads (status, quarantine list) go through the runner.

The page also emits ``status_text`` for the main window's status bar and starts the
automatic sync loop (probe, then sync when the server is reachable).  What a sync or a bundle
import brought in is announced through ``runner.broadcast`` (open cases refresh); any local
change to the outbox refreshes the counts here.  Clerks read 县服务器 and plain sizes; the
server's address is only in a details line.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from station_app.services import Changes
from station_app.services.sync_service import (
    BundleOutcome,
    SyncOutcome,
    SyncProgress,
    SyncService,
    SyncStatus,
)

from . import UiContext
from .messages import division_name, error_text, event_label, refusal_text
from .record_list import RecordList
from .wording import ask_open_path, ask_save_path, local_time, plain_size

log = logging.getLogger(__name__)

class _Bridge(QObject):
    """Lives in the GUI thread; the sync thread emits, Qt queues the delivery."""

    progress = Signal(object)
    finished = Signal(object)
    failed = Signal(object)
    auto_result = Signal(object)


class SyncPage(QWidget):
    status_text = Signal(str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None,
                 *, autosync: bool = True) -> None:
        super().__init__(parent)
        self._ctx = ctx
        # one service per station (StationServices.sync): its automatic loop outlives a
        # page rebuilt by a language switch
        self.service: SyncService = ctx.services.sync
        self._bridge = _Bridge(self)
        self._bridge.progress.connect(self._on_progress)
        self._bridge.finished.connect(self._on_finished)
        self._bridge.failed.connect(self._on_failed)
        self._bridge.auto_result.connect(self._on_auto)
        self._thread: threading.Thread | None = None
        self._enrolled = False
        self._build()
        self.refresh()
        ctx.runner.changed.connect(self._on_changes)
        # keep the status bar's counts fresh (a new case adds to 待上报) without polling
        # the network: one cheap local read a minute
        self._timer = QTimer(self)
        self._timer.setInterval(60_000)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        if autosync:
            bridge, service = self._bridge, self.service
            service.start_auto(on_result=bridge.auto_result.emit, progress=bridge.progress.emit)
            self.destroyed.connect(lambda *_: service.detach_auto())

    # ---- layout ------------------------------------------------------------------
    def _build(self) -> None:
        title = QLabel(self.tr("同步"))
        title.setObjectName("pageTitle")
        self.state_label = QLabel()
        self.state_label.setWordWrap(True)
        self.server_detail = QLabel()       # the address, for the county's technician
        self.server_detail.setObjectName("hint")
        self.server_detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.sync_button = QPushButton(self.tr("立即同步"))
        self.sync_button.setDefault(True)
        self.sync_button.clicked.connect(self.sync_now)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setTextVisible(False)
        self.progress.hide()              # shown while something runs
        self.progress_label = QLabel()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setObjectName("hint")

        now = QGroupBox(self.tr("与县服务器同步"))
        lay = QVBoxLayout(now)
        row = QHBoxLayout()
        row.addWidget(self.state_label, 1)
        row.addWidget(self.sync_button)
        lay.addLayout(row)
        lay.addWidget(self.server_detail)
        lay.addWidget(self.progress)
        lay.addWidget(self.progress_label)
        lay.addWidget(self.message)

        self.quarantine_box = RecordList(
            self.tr("被服务器退回的记录"), self.tr("退回时间"),
            self.tr("这些记录仍保存在本机，不会丢失；请联系县群众诉求中心处理。"))
        self.quarantine = self.quarantine_box.table
        self.retry_button = QPushButton(self.tr("县里处理好后，重新上报这些记录"))
        self.retry_button.setToolTip(self.tr("例如县服务器升级后。仍被退回的记录会再次列在这里。"))
        self.retry_button.clicked.connect(self.retry_quarantined)
        retry_row = QHBoxLayout()
        retry_row.addStretch(1)
        retry_row.addWidget(self.retry_button)
        self.quarantine_box.layout_.addLayout(retry_row)

        # records pulled from the server that this version cannot take: kept aside, the
        # rest of the sync goes on; tried again at every sync (an upgrade reads them)
        self.pulled_box = RecordList(
            self.tr("收到后无法读取的记录"), self.tr("收到时间"),
            self.tr("这些记录已单独存放，其他记录照常同步；每次同步会自动重试。"))
        self.pulled = self.pulled_box.table

        self.enroll_box = QGroupBox(self.tr("注册到县服务器"))
        self.server_edit = QLineEdit()
        self.server_edit.setPlaceholderText(self.tr("例如 http://10.1.2.3:8470"))
        self.code_edit = QLineEdit()
        self.code_edit.setPlaceholderText(self.tr("县里发的注册码，例如 K7QH-3MXP"))
        self.enroll_button = QPushButton(self.tr("注册"))
        self.enroll_button.clicked.connect(self.enroll)
        form = QFormLayout(self.enroll_box)
        form.addRow(self.tr("服务器地址"), self.server_edit)
        form.addRow(self.tr("注册码"), self.code_edit)
        enroll_row = QHBoxLayout()
        enroll_row.addWidget(self.enroll_button)
        enroll_row.addStretch(1)
        form.addRow("", enroll_row)

        usb = QGroupBox(self.tr("U盘离线同步"))
        self.export_button = QPushButton(self.tr("导出数据包…"))
        self.export_button.clicked.connect(self.export_bundle)
        self.import_button = QPushButton(self.tr("导入数据包…"))
        self.import_button.clicked.connect(self.import_bundle)
        self.village_combo = QComboBox()
        self.return_button = QPushButton(self.tr("写返回数据包…"))
        self.return_button.clicked.connect(self.write_return_bundle)
        ulay = QVBoxLayout(usb)
        usb_hint = QLabel(self.tr("没有网络的村站：导出数据包，用U盘带到乡镇导入；"
                                  "乡镇同步后写返回数据包带回。"))
        usb_hint.setWordWrap(True)     # a long English line must not push 立即同步 off screen
        ulay.addWidget(usb_hint)
        r1 = QHBoxLayout()
        r1.addWidget(self.export_button)
        r1.addWidget(self.import_button)
        r1.addStretch(1)
        ulay.addLayout(r1)
        # only a township that imported villages' bundles writes return bundles
        self.return_row = QWidget()
        r2 = QHBoxLayout(self.return_row)
        r2.setContentsMargins(0, 0, 0, 0)
        r2.addWidget(QLabel(self.tr("给村站：")))
        r2.addWidget(self.village_combo, 1)
        r2.addWidget(self.return_button)
        ulay.addWidget(self.return_row)

        main = QVBoxLayout(self)
        main.addWidget(title)
        main.addWidget(now)
        main.addWidget(self.enroll_box)
        main.addWidget(self.quarantine_box, 1)
        main.addWidget(self.pulled_box, 1)
        main.addWidget(usb)
        main.addStretch(0)

    # ---- reading -------------------------------------------------------------------
    def refresh(self) -> None:
        svc = self.service
        self._ctx.runner.submit(lambda: (svc.status(), svc.quarantine(),
                                         svc.pulled_quarantine()),
                                self._show_status, self._show_error, owner=self)

    def _on_changes(self, changes: Changes, _initiator: object) -> None:
        """A case action or an import changed what waits to be sent: recount."""
        if changes.outbox or changes.all_cases:
            self.refresh()

    def status_line(self, st: SyncStatus) -> str:
        """The status bar's short line, in the UI's language."""
        if not st.enrolled:
            return self.tr("同步：未注册县服务器 · 待上报 %1 条").replace("%1", str(st.pending))
        parts = [self.tr("同步：待上报 %1 条").replace("%1", str(st.pending))]
        if st.quarantined:
            parts.append(self.tr("被退回 %1 条").replace("%1", str(st.quarantined)))
        parts.append(self.tr("上次同步 %1").replace("%1", local_time(st.last_ok_at))
                     if st.last_ok_at else self.tr("尚未同步"))
        if st.last_error:
            parts.append(self.tr("上次同步没有成功"))
        return " · ".join(parts)

    def _show_status(self, result: tuple[SyncStatus, list, list]) -> None:
        st, items, pulled = result
        self._enrolled = st.enrolled
        if st.enrolled:
            last = local_time(st.last_ok_at) if st.last_ok_at else self.tr("尚未同步")
            text = self.tr("县服务器：已注册\n上次成功同步：%1\n待上报：%2 条　被退回：%3 条") \
                .replace("%1", last).replace("%2", str(st.pending)) \
                .replace("%3", str(st.quarantined))
            self.server_detail.setText(
                self.tr("详细信息：县服务器地址 %1").replace("%1", st.server_url))
        else:
            text = self.tr("本站尚未注册到县服务器。待上报：%1 条").replace("%1", str(st.pending))
            self.server_detail.setText("")
        self.server_detail.setVisible(bool(self.server_detail.text()))
        if st.relay_waiting:
            text += self.tr("\n待转报的村站数据包：%1 个").replace("%1", str(st.relay_waiting))
        if st.last_error:
            text += "\n" + self.tr("上次同步失败：") + error_text(st.last_error)
        self.state_label.setText(text)
        self.enroll_box.setVisible(not st.enrolled)
        if st.server_url and not self.server_edit.text():
            self.server_edit.setText(st.server_url)
        self.sync_button.setEnabled(st.enrolled and self._thread is None)
        self.quarantine_box.show_rows(
            [(local_time(q.at), event_label(q.event_type), refusal_text(q.code, q.detail))
             for q in items])
        self.pulled_box.show_rows(
            [(local_time(p.at), event_label(p.event_type), error_text(p.code)) for p in pulled])
        self.village_combo.clear()
        for station_id, division in st.villages:
            self.village_combo.addItem(division_name(division), station_id)
        self.return_button.setEnabled(bool(st.villages))
        self.return_row.setVisible(bool(st.villages))
        self.status_text.emit(self.status_line(st))

    def _show_error(self, exc: BaseException) -> None:
        self.message.setText(error_text(getattr(exc, "code", "") or "internal"))

    # ---- background actions ------------------------------------------------------------
    def _start(self, fn: Callable[[], Any], busy_text: str) -> bool:
        if self._thread is not None:
            self.message.setText(error_text("sync_busy"))
            return False
        bridge = self._bridge

        def work() -> None:
            try:
                result = fn()
            except BaseException as exc:  # noqa: BLE001 - every failure goes to the GUI
                bridge.failed.emit(exc)
            else:
                bridge.finished.emit(result)

        self._set_busy(True, busy_text)
        self._thread = threading.Thread(target=work, name="sync-ui", daemon=True)
        self._thread.start()
        return True

    def _set_busy(self, busy: bool, text: str = "") -> None:
        for b in (self.enroll_button, self.export_button, self.import_button):
            b.setEnabled(not busy)
        # these depend on the status (enrolled? villages known?): refresh() re-enables them
        self.sync_button.setEnabled(False if busy else self._enrolled)
        self.return_button.setEnabled(False if busy else self.village_combo.count() > 0)
        self.progress.setRange(0, 0 if busy else 1)  # busy indicator until numbers arrive
        self.progress.setVisible(busy)
        if busy:
            self.message.setText(text)

    def sync_now(self) -> bool:
        """立即同步 (returns False when a sync is already running)."""
        svc, bridge = self.service, self._bridge
        return self._start(lambda: svc.sync_now(bridge.progress.emit), self.tr("正在同步…"))

    def enroll(self) -> bool:
        url, code = self.server_edit.text().strip(), self.code_edit.text().strip()
        if not url or not code:
            self.message.setText(self.tr("请填写服务器地址和注册码。"))
            return False
        svc = self.service
        return self._start(lambda: ("enrolled", svc.enroll(url, code)), self.tr("正在注册…"))

    def export_bundle(self, path: str | None = None) -> bool:
        path = path or ask_save_path(self, self.tr("导出数据包"), "",
                                     self.tr("诉求通数据包 (*.suqiu)"))
        if not path:
            return False
        svc = self.service
        return self._start(lambda: ("exported", svc.export_bundle(path)), self.tr("正在导出…"))

    def import_bundle(self, path: str | None = None) -> bool:
        path = path or ask_open_path(self, self.tr("导入数据包"),
                                     self.tr("诉求通数据包 (*.suqiu);;所有文件 (*)"))
        if not path:
            return False
        svc = self.service
        return self._start(lambda: svc.import_bundle(path), self.tr("正在导入…"))

    def write_return_bundle(self, path: str | None = None) -> bool:
        station_id = self.village_combo.currentData()
        if not station_id:
            return False
        path = path or ask_save_path(self, self.tr("写返回数据包"), "",
                                     self.tr("诉求通数据包 (*.suqiu)"))
        if not path:
            return False
        svc = self.service
        return self._start(lambda: ("returned", svc.write_return_bundle(station_id, path)),
                           self.tr("正在写返回数据包…"))

    # ---- results (GUI thread) -----------------------------------------------------------
    def _on_progress(self, p: SyncProgress) -> None:
        self.progress.setVisible(p.phase != "done" or self._thread is not None)
        if p.total_up and p.phase == "push":   # sending: a real bar over the outbox
            self.progress.setRange(0, p.total_up)
            self.progress.setValue(min(p.events_up, p.total_up))
        elif p.phase == "done":
            self.progress.setRange(0, 1)
            self.progress.setValue(1)
        else:                                    # pulling: the total is unknown
            self.progress.setRange(0, 0)
        self.progress_label.setText(
            self.tr("已上传 %1 条，已下载 %2 条（传输数据量：%3）")
            .replace("%1", str(p.events_up)).replace("%2", str(p.events_down))
            .replace("%3", plain_size(p.bytes_up + p.bytes_down)))

    def _finish(self) -> None:
        if self._thread is not None:
            self._thread.join(1)
        self._thread = None
        self._set_busy(False)
        self.progress.setValue(1)

    def _on_finished(self, result: Any) -> None:
        self._finish()
        self.message.setText(self._describe(result))
        self.refresh()
        self._ctx.runner.broadcast(getattr(result, "changes", None), self)

    def _describe(self, result: Any) -> str:
        if isinstance(result, SyncOutcome):
            text = self.tr("同步完成：上报 %1 条，收到 %2 条新记录。") \
                .replace("%1", str(result.sent)).replace("%2", str(result.received))
            if result.rejected:
                text += self.tr("有 %1 条记录被退回，见下方列表。").replace(
                    "%1", str(result.rejected))
            return text
        if isinstance(result, BundleOutcome):
            if result.kind == "push":
                return self.tr("已导入 %1 条记录（新增 %2 条），下次同步时转报县服务器。") \
                    .replace("%1", str(result.events)).replace("%2", str(result.new))
            return self.tr("已导入返回数据包：新增 %1 条记录，确认已上报 %2 条。") \
                .replace("%1", str(result.new)).replace("%2", str(result.acked_own))
        kind, value = result
        if kind == "enrolled":
            return self.tr("注册成功，现在可以同步了。")
        if kind == "exported":
            return self.tr("已导出 %1 条记录。请把文件带到乡镇群众诉求中心导入。").replace(
                "%1", str(value))
        return self.tr("已写出返回数据包（%1 条记录）。").replace("%1", str(value))

    def _on_failed(self, exc: BaseException) -> None:
        self._finish()
        code = getattr(exc, "code", "") or "internal"
        log.info("sync page action failed: %s", code)
        self.message.setText(error_text(code))
        self.refresh()

    def _on_auto(self, result: Any) -> None:
        if self._thread is None:
            self.progress.hide()
        self.refresh()
        self._ctx.runner.broadcast(getattr(result, "changes", None), self)

    def retry_quarantined(self) -> None:
        svc = self.service

        def work() -> int:
            n = svc.retry_quarantined()
            svc.wake_auto()
            return n

        self._ctx.runner.submit(work, self._on_requeued, self._show_error, owner=self)

    def _on_requeued(self, n: int) -> None:
        self.message.setText(self.tr("已把 %1 条记录放回待上报，下次同步时重新上报。")
                             .replace("%1", str(n)))
        self.refresh()

    def confirm_close(self) -> bool:
        """Ask before quitting while a sync (manual or automatic) runs."""
        if self._thread is None and not getattr(self.service, "busy", False):
            return True
        answer = QMessageBox.question(
            self, self.tr("正在同步"),
            self.tr("正在同步，现在退出不会丢失数据，下次会继续。确定退出吗？"))
        return answer == QMessageBox.StandardButton.Yes
