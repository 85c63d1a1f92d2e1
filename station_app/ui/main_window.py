"""The main window: left navigation, one page at a time, shortcuts, status bar, menu.

Pages: 工作台 (Alt+1), 登记新诉求 (Alt+2, Ctrl+N), 案件簿 (Alt+3, Ctrl+F), 同步 (Alt+4),
设置 (Alt+5), and at a township or any level above, 工作队列 (Alt+6: ui/workbench.py, the
queues of the station's unit, with new arrivals and 督办 received as a badge on its
navigation item; village screens stay as they are); every page is imported directly, so a
page that cannot load stops the window (and selftest) with its traceback instead of being
left out.  The case detail is a page reached from the lists (Esc or the 返回 button goes
back).  F5 refreshes the page on screen.

值班 menu: 切换值班员 (Ctrl+L) covers the window until the next clerk logs in; 锁定屏幕
(Ctrl+Shift+L) until the same clerk types the password; the window also locks by itself
after the station's idle minutes (ui/lock.py).  Another operator taking over rebuilds the
window under their name, so every record after that is theirs.

Language switching rebuilds the widgets (every label is re-created under the new
translator) instead of hand-written retranslateUi code that would drift out of date.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from . import UiContext, attachment_open
from .case_detail import CaseDetailPage
from .casebook import CasebookPage
from .dashboard import DashboardPage
from .duty import DutyDesk
from .i18n import program_version, translations
from .intake_form import IntakePage
from .lock import LockScreen
from .messages import describe_exception
from .settings_page import SettingsPage
from .sync_page import SyncPage
from .theme import apply_theme
from .window_parts import replace_shortcuts, role_label
from .workbench import WorkbenchPage

log = logging.getLogger(__name__)

TARGET_SIZE = QSize(1366, 768)
PAGE_DASHBOARD, PAGE_INTAKE, PAGE_CASEBOOK, PAGE_SYNC, PAGE_SETTINGS = (
    "dashboard", "intake", "casebook", "sync", "settings")
PAGE_WORKBENCH = "workbench"
WORKBENCH_LEVEL = 4      # petition_core.enums.Level.TOWNSHIP: this level and every one above


class MainWindow(QMainWindow):
    language_changed = Signal(str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.pages: dict[str, QWidget] = {}
        self.detail: CaseDetailPage | None = None
        self._previous = PAGE_DASHBOARD
        self._sync_text = ""
        self._shortcuts: list[QShortcut] = []
        self.duty = DutyDesk(self)
        self.resize(TARGET_SIZE.width() - 40, TARGET_SIZE.height() - 80)
        self._build()

    # ---- construction (also used to rebuild after a language switch) ---------------
    def _build(self) -> None:
        # Qt appends the program's name ("… — 诉求通"): the title names the station only.
        # Set it anew even when unchanged, so a language switch renames the program in it.
        self.setWindowTitle("")
        self.setWindowTitle(self.ctx.station.name)
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setFixedWidth(180)
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # a long item (the workbench's badge in English and large font, "Work queues 3 new")
        # wraps onto a second line: a wider navigation pushed the window past 1366 pixels
        self.nav.setWordWrap(True)
        self.stack = QStackedWidget()
        self.pages = {}
        self._holders: dict[str, QWidget] = {}
        self._page_order: list[str] = []

        dashboard = DashboardPage(self.ctx)
        dashboard.open_case.connect(self.open_case)
        dashboard.new_case.connect(self.new_intake)
        dashboard.show_casebook.connect(lambda _f: self.show_page(PAGE_CASEBOOK))
        self._add_page(PAGE_DASHBOARD, self.tr("工作台"), dashboard)

        intake = self.intake = IntakePage(self.ctx)
        intake.open_case.connect(self.open_case)
        self._add_page(PAGE_INTAKE, self.tr("登记新诉求"), intake)

        casebook = CasebookPage(self.ctx)
        casebook.open_case.connect(self.open_case)
        self._add_page(PAGE_CASEBOOK, self.tr("案件簿"), casebook)

        sync = self.sync = SyncPage(self.ctx)
        sync.status_text.connect(self.set_sync_status)
        self._add_page(PAGE_SYNC, self.tr("同步"), sync, scroll=True)

        settings = SettingsPage(self.ctx)
        settings.large_font_changed.connect(self.set_large_font)
        settings.language_changed.connect(self.set_language)
        settings.restored.connect(self.duty.after_restore)
        settings.station_renamed.connect(self._station_renamed)
        self._add_page(PAGE_SETTINGS, self.tr("设置"), settings)

        self.workbench: WorkbenchPage | None = None
        if self.ctx.station.level <= WORKBENCH_LEVEL:
            workbench = self.workbench = WorkbenchPage(self.ctx)
            workbench.open_case.connect(self.open_case)
            workbench.badges_changed.connect(self.set_workbench_badges)
            self._add_page(PAGE_WORKBENCH, self.tr("工作队列"), workbench)
            workbench.refresh_counts()

        self.detail = CaseDetailPage(self.ctx)
        self.detail.back_requested.connect(self.go_back)
        self.detail.open_case.connect(self.open_case)
        self.stack.addWidget(self.detail)

        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav)
        body = QWidget()
        body_lay = QVBoxLayout(body)
        body_lay.setContentsMargins(12, 8, 12, 8)
        body_lay.addWidget(self.stack)
        row.addWidget(body, 1)
        self.setCentralWidget(central)
        self.nav.currentRowChanged.connect(self._on_nav)

        self._build_menu()
        self._build_status()
        self._build_shortcuts()
        self.duty.new_screen()
        self.show_page(PAGE_DASHBOARD)

    def _add_page(self, key: str, label: str, widget: QWidget, scroll: bool = False) -> None:
        """``scroll``: host a page written elsewhere in a scroll area, so a page that grows
        too wide (long English text, large fonts) scrolls instead of pushing the window
        beyond a 1366×768 screen."""
        n = len(self._page_order) + 1
        item = QListWidgetItem(f"{label}")
        item.setToolTip(f"Alt+{n}")
        item.setData(Qt.ItemDataRole.UserRole, key)
        self.nav.addItem(item)
        holder = widget
        if scroll:
            holder = QScrollArea()
            holder.setWidgetResizable(True)
            holder.setFrameShape(QFrame.Shape.NoFrame)
            holder.setWidget(widget)
        self.stack.addWidget(holder)
        self._holders[key] = holder
        self.pages[key] = widget
        self._page_order.append(key)

    def _build_menu(self) -> None:
        bar = self.menuBar()
        bar.clear()
        duty = bar.addMenu(self.tr("值班(&D)"))
        switch = QAction(self.tr("切换值班员…"), self)
        switch.setShortcut(QKeySequence("Ctrl+L"))
        switch.triggered.connect(lambda: self.lock(LockScreen.SWITCH))
        duty.addAction(switch)
        lock = QAction(self.tr("锁定屏幕（暂时离开）"), self)
        lock.setShortcut(QKeySequence("Ctrl+Shift+L"))
        lock.triggered.connect(lambda: self.lock(LockScreen.AWAY))
        duty.addAction(lock)
        view = bar.addMenu(self.tr("显示(&V)"))
        self.large_action = QAction(self.tr("大字模式"), self)
        self.large_action.setCheckable(True)
        self.large_action.setChecked(self.ctx.prefs.large_font)
        self.large_action.toggled.connect(self.set_large_font)
        view.addAction(self.large_action)
        lang = bar.addMenu(self.tr("语言(&L)"))
        group = QActionGroup(self)
        for code, label in (("zh", "中文"), ("en", "English")):
            act = QAction(label, self)
            act.setCheckable(True)
            act.setChecked(translations().language == code)
            act.triggered.connect(lambda _c=False, c=code: self.set_language(c))
            group.addAction(act)
            lang.addAction(act)
        help_menu = bar.addMenu(self.tr("帮助(&H)"))
        guide = QAction(self.tr("使用说明(&G)"), self)
        guide.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
        guide.triggered.connect(self.open_guide)
        card = QAction(self.tr("快速上手卡（可打印）(&C)…"), self)
        card.triggered.connect(self.open_quick_card)
        about = QAction(self.tr("关于诉求通"), self)
        about.triggered.connect(self._about)
        for act in (guide, card, about):
            help_menu.addAction(act)
        self.help_actions = {"guide": guide, "card": card}
        self._menu_actions = [switch, lock, self.large_action, *group.actions(), guide, card,
                              about]

    def _build_status(self) -> None:
        status = self.statusBar()
        for w in getattr(self, "_status_widgets", []):
            status.removeWidget(w)
        op = self.ctx.operator
        self.operator_label = QLabel(self.tr("值班员：%1（%2）").replace("%1", op.display_name)
                                     .replace("%2", role_label(op)))
        self.station_label = QLabel(self.tr("站点：%1").replace("%1", self.ctx.station.name))
        self.sync_label = QLabel(self._sync_text or self.tr("同步：尚未同步"))
        self.busy_label = QLabel()
        self._status_widgets = [self.operator_label, self.station_label, self.sync_label,
                                self.busy_label]
        for w in self._status_widgets[:-1]:
            status.addWidget(w)
        status.addPermanentWidget(self.busy_label)
        if not getattr(self, "_busy_connected", False):
            self.ctx.runner.busy_changed.connect(self._on_busy)
            self.ctx.runner.error.connect(self._on_unhandled_error)
            self._busy_connected = True

    def _build_shortcuts(self) -> None:
        bindings: list[tuple[Any, Callable[[], None]]] = [
            (QKeySequence.StandardKey.New, self.new_intake),
            (QKeySequence("Ctrl+N"), self.new_intake),
            (QKeySequence("Ctrl+F"), self.focus_search),
            (QKeySequence("F5"), self.refresh_current),
            (QKeySequence("Esc"), self._escape),
        ]
        for i, key in enumerate(self._page_order, start=1):
            bindings.append((QKeySequence(f"Alt+{i}"), partial(self.show_page, key)))
        self._shortcuts = replace_shortcuts(self, self._shortcuts, bindings)

    # ---- navigation ---------------------------------------------------------------------
    def current_key(self) -> str:
        w = self.stack.currentWidget()
        if w is self.detail:
            return "detail"
        return next((k for k, p in self._holders.items() if p is w), "")

    def show_page(self, key: str) -> None:
        page = self.pages.get(key)
        if page is None:
            return
        self.stack.setCurrentWidget(self._holders[key])
        row = self._page_order.index(key)
        if self.nav.currentRow() != row:
            self.nav.blockSignals(True)
            self.nav.setCurrentRow(row)
            self.nav.blockSignals(False)
        self._previous = key
        if hasattr(page, "refresh"):
            page.refresh()
        if hasattr(page, "focus_first"):  # the page knows its first field
            page.focus_first()
            return
        page.setFocus()
        first = page.nextInFocusChain() if page.focusPolicy() == Qt.FocusPolicy.NoFocus else page
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def new_intake(self) -> None:
        """Ctrl+N: the intake page with a blank form (after a save, not the old receipt)."""
        self.show_page(PAGE_INTAKE)
        self.intake.start_new()

    def _on_nav(self, row: int) -> None:
        if 0 <= row < len(self._page_order):
            self.show_page(self._page_order[row])

    def open_case(self, case_id: str) -> None:
        if self.detail is None or not case_id:
            return
        if self.current_key() != "detail":
            self._previous = self.current_key() or PAGE_DASHBOARD
        self.stack.setCurrentWidget(self.detail)
        self.nav.clearSelection()
        self.detail.load(case_id)
        self.detail.back.setFocus()

    def go_back(self) -> None:
        self.show_page(self._previous if self._previous in self.pages else PAGE_DASHBOARD)

    def _escape(self) -> None:
        if self.current_key() == "detail":
            self.go_back()

    def focus_search(self) -> None:
        self.show_page(PAGE_CASEBOOK)
        page = self.pages[PAGE_CASEBOOK]
        if isinstance(page, CasebookPage):
            page.focus_search()

    def refresh_current(self) -> None:
        key = self.current_key()
        w = self.detail if key == "detail" else self.pages.get(key)
        refresh = getattr(w, "refresh", None)
        if callable(refresh):
            refresh()

    def set_workbench_badges(self, new_arrivals: int, urges_received: int) -> None:
        """The workbench's navigation item: 工作队列, then how many cases wait to be signed
        for and how many open cases of this unit were urged."""
        if PAGE_WORKBENCH not in self._page_order:
            return
        item = self.nav.item(self._page_order.index(PAGE_WORKBENCH))
        parts = [self.tr("工作队列")]
        if new_arrivals:
            parts.append(self.tr("新%1").replace("%1", str(new_arrivals)))
        if urges_received:
            parts.append(self.tr("督%1").replace("%1", str(urges_received)))
        item.setText(" ".join(parts))
        n = self._page_order.index(PAGE_WORKBENCH) + 1
        item.setToolTip(f"Alt+{n}\n" + self.tr("新到待签收 %1 件，收到督办 %2 件")
                        .replace("%1", str(new_arrivals)).replace("%2", str(urges_received)))
        font = item.font()
        font.setBold(bool(new_arrivals or urges_received))
        item.setFont(font)

    # ---- status / preferences -------------------------------------------------------------
    def set_sync_status(self, text: str) -> None:
        """Slot for the sync page/engine: a short Chinese line such as "同步：10:32 成功"."""
        self._sync_text = text
        self.sync_label.setText(text)

    def _on_unhandled_error(self, exc: BaseException) -> None:
        """Background work without its own error handler: tell the clerk in the status bar."""
        self.statusBar().showMessage(describe_exception(exc), 15000)

    def _on_busy(self, busy: bool) -> None:
        self.busy_label.setText(self.tr("正在处理…") if busy else "")

    def set_large_font(self, large: bool) -> None:
        self.ctx.prefs.large_font = large
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, large)
        if self.large_action.isChecked() != large:
            self.large_action.blockSignals(True)
            self.large_action.setChecked(large)
            self.large_action.blockSignals(False)
        settings = self.pages.get(PAGE_SETTINGS)
        if isinstance(settings, SettingsPage):
            settings.sync_from_prefs()

    def set_language(self, language: str) -> None:
        if language == translations().language:
            return
        ok = translations().apply(language)
        if not ok:
            QMessageBox.warning(self, self.tr("语言"),
                                self.tr("没有找到英文翻译文件，界面保持中文。"))
            return
        self.ctx.prefs.language = language
        self.rebuild()
        self.language_changed.emit(language)

    def _station_renamed(self, station: Any) -> None:
        self.ctx.station = station
        self.rebuild()  # title, status bar, dashboard: everything that shows the name

    def rebuild(self, *, keep_intake: bool = True) -> None:
        """Re-create every widget under the current translator.  What the clerk typed
        into the intake form is carried over (a language switch must not wipe it), unless
        ``keep_intake`` is False: another clerk took over (after saying the form goes) or
        the data was restored."""
        current = self.current_key()
        case_id = self.detail.case_id if self.detail is not None else ""
        typed = self.intake.snapshot() if keep_intake else None
        self.nav.currentRowChanged.disconnect(self._on_nav)
        old = self.centralWidget()
        self._build()
        if typed is not None:
            self.intake.restore(typed)
        if old is not None:
            old.deleteLater()
        if current == "detail" and case_id:
            self.open_case(case_id)
        elif current in self.pages:
            self.show_page(current)

    def open_guide(self) -> None:
        """F1 again brings the open guide to the front instead of stacking a second one."""
        win = getattr(self, "guide_window", None)
        if win is not None and win.isVisible():
            win.raise_()
            win.activateWindow()
            return
        from .help_guide import open_guide
        self.guide_window = open_guide(self)

    def open_quick_card(self) -> None:
        from .help_guide import preview_card
        self.card_preview = preview_card(self)

    def _about(self) -> None:
        QMessageBox.about(self, self.tr("关于诉求通"),
                          self.tr("诉求通 %1 版\n群众诉求五级联动离线工作站。\n没有网络时照常登记，有网络或U盘时再同步。")  # noqa: E501
                          .replace("%1", program_version()))

    # ---- who is at the desk (duty.py) -----------------------------------------------------
    def lock(self, reason: str = LockScreen.IDLE) -> None:
        self.duty.lock(reason)

    def set_usable(self, usable: bool) -> None:
        """Nothing under the lock screen takes focus, a shortcut or a menu click."""
        central = self.centralWidget()
        if central is not None:
            central.setEnabled(usable)
        self.menuBar().setEnabled(usable)
        for act in self._menu_actions:
            act.setEnabled(usable)
        for sc in self._shortcuts:
            sc.setEnabled(usable)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt name
        super().resizeEvent(event)
        self.duty.cover()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt name
        if not self.sync.confirm_close():
            event.ignore()
            return
        service = getattr(self.ctx.services, "__dict__", {}).get("sync")  # only if ever built
        if service is not None:
            service.detach_auto()
            service.stop_auto(timeout=2.0)  # a sync cut here resumes next time, nothing lost
        self.ctx.runner.wait_idle(10000)
        self.duty.stop()
        attachment_open.remove_viewer_copies()
        super().closeEvent(event)

