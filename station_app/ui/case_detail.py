"""案件详情: everything about one case on one screen, and the buttons for what can be done now.

The buttons come from ``CaseDetail.allowed_actions`` (the services decide, by status and
role), so the clerk never sees an action that would be refused.  If the case changed in the
meantime (``stale_state``: every action carries the version the clerk saw) the service
refuses, the dialog says so, and what was typed is kept for the next try.  The page follows
the runner's change broadcast: when the sync or another window adds to this case, it reloads.
Tabs keep the page inside 1366×768: 基本情况 / 办理过程 / 办理时限 / 关联与附件; a case always
opens on 基本情况.  A conflict between two stations' decisions is shown on top with both
options and a button for each.
"""
from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from station_app.services import CaseDetail, Changes
from station_app.services.gatecheck import STATION_ACTIONS

from . import UiContext, attachment_open, documents
from .action_dialogs import ActionDialog, action_label, dialog_for
from .case_edit_dialogs import ResolveConflictDialog, actor_text
from .case_facts import fact_rows, fact_text, next_due
from .caseno import CaseNoDelegate
from .clocks_view import ClocksView
from .i18n import tr_label
from .messages import conflict_label, describe_exception, event_label, field_label
from .wording import local_time

log = logging.getLogger(__name__)

# the services' order (gatecheck.STATION_ACTIONS: 签收 first); conflicts have their own
# buttons next to each option
BUTTON_ORDER = tuple(a for a in STATION_ACTIONS if a != "resolve_conflict")


class CaseDetailPage(QWidget):
    back_requested = Signal()
    open_case = Signal(str)
    case_changed = Signal(str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.detail: CaseDetail | None = None
        self.case_id = ""
        self.action_buttons: dict[str, QPushButton] = {}
        # what a clerk typed into an action dialog that closed without saving (the case
        # changed under it, or the screen locked): (login, case, action) -> field values
        self._drafts: dict[tuple[str, str, str], dict[str, Any]] = {}
        ctx.runner.changed.connect(self.on_changes)

        self.back = QPushButton(self.tr("← 返回"))
        self.back.clicked.connect(self.back_requested)
        self.title = QLabel(self.tr("案件详情"))
        self.title.setObjectName("pageTitle")
        self.status = QLabel()
        self.status.setObjectName("sectionTitle")
        head = QHBoxLayout()
        head.addWidget(self.back)
        head.addWidget(self.title, 1)
        self.due = QLabel()
        self.due.setObjectName("sectionTitle")
        head.addWidget(self.status)
        self.due.setWordWrap(True)

        self.actions_row = QHBoxLayout()
        self.print_receipt = QPushButton(self.tr("打印回执"))
        self.print_notice = QPushButton(self.tr("打印受理告知"))
        self.print_reply = QPushButton(self.tr("打印处理意见书"))
        self.print_urge = QPushButton(self.tr("打印督办单"))
        self.print_receipt.clicked.connect(lambda: self._print("receipt"))
        self.print_notice.clicked.connect(lambda: self._print("notice"))
        self.print_reply.clicked.connect(lambda: self._print("reply"))
        self.print_urge.clicked.connect(lambda: self._print("urge_sheet"))
        # the next deadline and the printouts share a row; the action buttons get their own
        # row so long (English, large-font) labels still fit 1366 px
        info_row = QHBoxLayout()
        info_row.addWidget(self.due, 1)
        info_row.addWidget(self.print_receipt)
        info_row.addWidget(self.print_notice)
        info_row.addWidget(self.print_reply)
        info_row.addWidget(self.print_urge)

        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.notice = QLabel()
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        # the county server's repeat findings (sync_server/services/repeats.py): one label
        self.repeats = QLabel()
        self.repeats.setObjectName("notice")
        self.repeats.setWordWrap(True)
        self.repeats.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                             | Qt.TextInteractionFlag.TextSelectableByMouse)
        self.repeats.hide()
        self.conflict_box = QFrame()
        self.conflict_box.setObjectName("conflictBox")
        self.conflict_layout = QVBoxLayout(self.conflict_box)
        self.conflict_box.hide()

        self.tabs = QTabWidget()
        self.facts = QFormLayout()
        facts_widget = QWidget()
        facts_widget.setLayout(self.facts)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(facts_widget)
        self.tabs.addTab(scroll, self.tr("基本情况"))
        self.timeline = QTreeWidget()
        self.timeline.setHeaderLabels([self.tr("时间"), self.tr("经办人"), self.tr("事项"),
                                       self.tr("内容")])
        self.timeline.setRootIsDecorated(False)
        self.timeline.setWordWrap(True)
        self.timeline.setColumnWidth(0, 150)
        self.timeline.setColumnWidth(1, 90)
        self.timeline.setColumnWidth(2, 110)
        self.tabs.addTab(self.timeline, self.tr("办理过程"))
        self.clocks_view = ClocksView()
        self.clocks = self.clocks_view.tree
        self.tabs.addTab(self.clocks_view, self.tr("办理时限"))
        links_widget = QWidget()
        links_lay = QVBoxLayout(links_widget)
        links_lay.addWidget(QLabel(self.tr("关联案件（多次反映）：双击打开")))
        self.links = QListWidget()
        self.links.setItemDelegate(CaseNoDelegate(self.links))  # never cut the serial
        self.links.itemActivated.connect(self._open_link)
        self.links.itemDoubleClicked.connect(self._open_link)
        self.no_links = QLabel(self.tr("没有关联的案件。"))
        self.no_links.setObjectName("emptyState")
        links_lay.addWidget(self.links)
        links_lay.addWidget(self.no_links)
        self.attachments_panel = attachment_open.AttachmentsPanel(ctx.services.paths, ctx.runner)
        self.attachments = self.attachments_panel.list
        links_lay.addWidget(self.attachments_panel)
        self.tabs.addTab(links_widget, self.tr("关联和附件"))

        lay = QVBoxLayout(self)
        lay.addLayout(head)
        lay.addLayout(info_row)
        lay.addLayout(self.actions_row)
        lay.addWidget(self.error)
        lay.addWidget(self.notice)
        lay.addWidget(self.repeats)
        lay.addWidget(self.conflict_box)
        lay.addWidget(self.tabs, 1)
        # the tabs by keyboard from anywhere on the page (the tab bar itself is a long Tab away)
        for keys, step in (("Ctrl+PgDown", 1), ("Ctrl+PgUp", -1)):
            sc = QShortcut(QKeySequence(keys), self)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(lambda s=step: self.tabs.setCurrentIndex(
                (self.tabs.currentIndex() + s) % self.tabs.count()))

    # ---- loading ----------------------------------------------------------------------
    def load(self, case_id: str) -> None:
        """Open a case: always on 基本情况 (the tab last used belongs to another case)."""
        self.tabs.setCurrentIndex(0)
        self.notice.hide()
        self._fetch(case_id)

    def _fetch(self, case_id: str) -> None:
        self.case_id = case_id
        self.error.hide()
        cases = self._ctx.services.cases
        op = self._ctx.operator
        self._ctx.runner.submit(lambda: cases.detail(case_id, op), self.show_detail,
                                self._show_error, owner=self)

    def refresh(self) -> None:
        """Reload the same case, staying on the tab the clerk is reading."""
        if self.case_id:
            self._fetch(self.case_id)

    def on_changes(self, changes: Changes, initiator: Any) -> None:
        """The runner's broadcast: reload when this case changed, unless the change came
        from this page or one of its dialogs (they show their result themselves)."""
        if not self.case_id or not changes.touches(self.case_id) or self._is_mine(initiator) \
                or not self.isVisible():   # hidden: opening a case always fetches it anew
            return
        self.refresh()
        self.notice.setText(self.tr("这个案件刚刚有了新的记录，页面已更新。"))
        self.notice.show()

    def _is_mine(self, obj: Any) -> bool:
        while obj is not None and obj is not self:
            obj = obj.parent() if hasattr(obj, "parent") else None
        return obj is self

    def _show_error(self, exc: BaseException) -> None:
        self.error.setText(describe_exception(exc))
        self.error.show()

    def show_detail(self, d: CaseDetail) -> None:
        self.detail = d
        self.case_id = d.case_id
        self.title.setText(self.tr("案件 %1").replace("%1", d.case_no))
        status = tr_label(d.status_label)
        if d.needs_decision:
            status += self.tr("（需要人工决定）")
        if d.escalate:
            status += self.tr("（提级督办）")
        self.status.setText(status)
        self._show_next_due(d)
        self._fill_actions(d)
        self._fill_repeats(d)
        self._fill_conflicts(d)
        self._fill_facts(d)
        self._fill_timeline(d)
        self.clocks_view.fill(d)
        self._fill_links(d)

    def _show_next_due(self, d: CaseDetail) -> None:
        """The nearest open deadline, in words and colour, next to the status."""
        text, colour, tip = next_due(d)
        self.due.setText(text)
        self.due.setToolTip(tip)
        self.due.setStyleSheet(f"color: {colour};" if colour else "")

    def _fill_actions(self, d: CaseDetail) -> None:
        # the keyboard stays on the same action when the buttons are made anew (a reload
        # after a dialog closed would otherwise leave no widget with the focus)
        had = self.window().focusWidget()
        focused = next((a for a, b in self.action_buttons.items() if b is had), None)
        while self.actions_row.count():
            item = self.actions_row.takeAt(0)
            w = item.widget() if item is not None else None
            if w is not None:
                w.deleteLater()
        self.action_buttons = {}
        for action in BUTTON_ORDER:
            if action in d.allowed_actions:
                btn = QPushButton(action_label(action))
                btn.setProperty("focusKey", f"case-action:{action}")   # see duty.py
                if action in ("sign", "accept", "conclude", "follow_up"):
                    btn.setObjectName("primary")
                btn.clicked.connect(lambda _=False, a=action: self.run_action(a))
                self.action_buttons[action] = btn
                self.actions_row.addWidget(btn)
        if focused in self.action_buttons:
            self.action_buttons[focused].show()    # a hidden new widget cannot take focus
            self.action_buttons[focused].setFocus(Qt.FocusReason.OtherFocusReason)
        if not self.action_buttons:
            none = QLabel(self.tr("当前没有可办理的操作。"))
            none.setObjectName("hint")
            self.actions_row.addWidget(none)
        self.actions_row.addStretch(1)
        self.print_notice.setEnabled(d.status not in ("registered",))
        self.print_notice.setText(self.tr("打印不予受理告知") if d.status == "declined"
                                  else self.tr("打印受理告知"))
        # 处理意见书 once concluded; 督办单 once urged (the latest 督办)
        self.print_reply.setVisible(d.conclusion is not None)
        self.print_urge.setVisible(any(t.type == "case.urged" for t in d.timeline))

    def _fill_conflicts(self, d: CaseDetail) -> None:
        while self.conflict_layout.count():
            item = self.conflict_layout.takeAt(0)
            w = item.widget() if item is not None else None
            if w is not None:
                w.deleteLater()
        if not d.conflicts:
            self.conflict_box.hide()
            return
        head = QLabel(self.tr("需要人工决定：两个站点对同一事项做了不同的决定，请核实后选定一个。"))
        head.setWordWrap(True)
        head.setObjectName("sectionTitle")
        self.conflict_layout.addWidget(head)
        # who may choose is the permission matrix's answer (a village clerk may not: the
        # level above decides); without it the options are shown, without buttons
        may_choose = "resolve_conflict" in d.allowed_actions
        if not may_choose:
            hint = QLabel(self.tr("本站不能裁定，请由上级（乡镇或县）选定；选定后会同步到本站。"))
            hint.setObjectName("hint")
            hint.setWordWrap(True)
            self.conflict_layout.addWidget(hint)
        for conflict in d.conflicts:
            self.conflict_layout.addWidget(QLabel(conflict_label(conflict.group)))
            for opt in conflict.options:
                row = QWidget()
                rl = QHBoxLayout(row)
                rl.setContentsMargins(12, 0, 0, 0)
                text = QLabel(f"{local_time(opt.at)}  {actor_text(opt)}：{opt.summary}")
                text.setWordWrap(True)
                btn = QPushButton(self.tr("采用这个"))
                btn.clicked.connect(lambda _=False, g=conflict.group, e=opt.event_id:
                                    self._resolve(g, e))
                rl.addWidget(text, 1)
                if may_choose:
                    rl.addWidget(btn)
                else:
                    btn.deleteLater()
                self.conflict_layout.addWidget(row)
        self.conflict_box.show()

    def _fill_repeats(self, d: CaseDetail) -> None:
        lines = []
        for r in d.repeats:
            line = self.tr("县里发现：该诉求与 %1 号案件可能重复。")
            line = line.replace("%1", r.matched_case_no)
            if r.in_progress_below:
                line += self.tr("该事项已在办理，不再受理。")
            lines.append(line)
        self.repeats.setText("\n".join(lines))
        self.repeats.setVisible(bool(lines))

    def _fill_facts(self, d: CaseDetail) -> None:
        while self.facts.rowCount():
            self.facts.removeRow(0)
        if d.sealed:
            self.facts.addRow(QLabel(self.tr("这是保密举报，内容已加密送县纪委，本站无权查看。")))
        for label, value in fact_rows(d):
            v = QLabel(fact_text(value))
            v.setWordWrap(True)
            v.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.facts.addRow(label + self.tr("："), v)

    def _fill_timeline(self, d: CaseDetail) -> None:
        self.timeline.clear()
        for e in d.timeline:
            summary = e.summary
            if e.amendment is not None:
                a = e.amendment
                summary = self.tr("%1：%2 → %3（理由：%4）").replace("%1", field_label(a.field)) \
                    .replace("%2", a.old or "—").replace("%3", a.new or "—").replace("%4", a.reason)
            item = QTreeWidgetItem([local_time(e.at), actor_text(e),
                                    event_label(e.type), summary])
            item.setToolTip(3, summary)
            self.timeline.addTopLevelItem(item)

    def _fill_links(self, d: CaseDetail) -> None:
        self.links.clear()
        for link in d.links:
            item = QListWidgetItem(link.case_no or self.tr("（未同步到本站的案件）"))
            item.setData(Qt.ItemDataRole.UserRole, link.case_id if link.case_no else "")
            self.links.addItem(item)
        self.links.setVisible(bool(d.links))
        self.no_links.setVisible(not d.links)
        self.attachments_panel.fill(d.attachments)

    def _open_link(self, item: QListWidgetItem) -> None:
        case_id = item.data(Qt.ItemDataRole.UserRole)
        if case_id:
            self.open_case.emit(case_id)

    # ---- actions ------------------------------------------------------------------------
    def run_action(self, action: str) -> bool:
        """Open the action's dialog; True when it changed the case."""
        if self.detail is None:
            return False
        dlg = dialog_for(action, self._ctx, self.detail, self)
        if dlg is None:
            return False
        return self._run_dialog(dlg, action, action_label(action))

    def _run_dialog(self, dlg: ActionDialog, action: str, label: str) -> bool:
        """Show an action dialog (with any draft kept from an interrupted try)."""
        key = (self._ctx.operator.login, self.case_id, action)
        draft = self._drafts.pop(key, None)
        if draft:
            dlg.restore(draft)
        self.notice.hide()
        done = dlg.result_detail if dlg.exec() == dlg.DialogCode.Accepted else None
        if done is not None:
            self._after_change(done)
            return True
        if dlg.keep_draft:
            self._drafts[key] = dlg.values()
        if dlg.stale:
            self.notice.setText(self.tr("案件已更新，请先查看“办理过程”中的新记录。再次点“%1”时，刚才填写的内容还在。")
                                .replace("%1", label))
            self.notice.show()
        self.refresh()  # the case may have changed elsewhere; show the truth
        return False

    def _resolve(self, group: str, event_id: str) -> bool:
        """Adopt one option of a conflict (a dialog asks for the reason); True when done."""
        if self.detail is None:
            return False
        conflict = next((c for c in self.detail.conflicts if c.group == group), None)
        option = next((o for o in conflict.options if o.event_id == event_id), None) \
            if conflict else None
        if option is None:
            return False
        dlg = ResolveConflictDialog(self._ctx, self.detail, group, option, self)
        return self._run_dialog(dlg, f"resolve:{group}:{event_id}", self.tr("采用这个"))

    def _after_change(self, detail: CaseDetail) -> None:
        self.show_detail(detail)
        self.case_changed.emit(self.case_id)

    def _print(self, kind: str) -> None:
        """Printing lives in ui/documents.py."""
        if self.detail is None:
            return
        if kind in ("receipt", "reply", "urge_sheet"):
            kind_name = kind
        else:
            kind_name = "non_acceptance" if self.detail.status == "declined" else "acceptance"
        try:
            documents.print_document(self, self._ctx.services, kind_name, self.case_id)
        except Exception as exc:  # noqa: BLE001 - a printer problem must not close the page
            log.error("printing failed: %s", type(exc).__name__)
            QMessageBox.warning(self, self.tr("打印"), describe_exception(exc))
