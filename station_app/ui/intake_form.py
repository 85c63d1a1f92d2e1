"""The intake (登记) screen: the form, the repeat check, saving, and the receipt.

Flow (why in this order): the clerk fills the form → 保存 → the whole form is validated off
the GUI thread and every problem is shown next to its field at once (nothing saved) → the
repeat check lists earlier cases of the same matter so the clerk can link them (多次反映)
→ the case is registered in one service call (one transaction) → a success panel gives the
case number and query code and prints the receipt the petitioner takes home.

Everything touching the database runs through the one runner; widgets only render.
Each field is checked again when it is edited or left (intake_checks.py).  ``snapshot()`` /
``restore()`` carry an unfinished form across a rebuild (language switch); ``start_new()``
is Ctrl+N and 继续登记: a blank form, scrolled to the top, focus in the first field.
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from petition_core.divisions import DivisionTree
from petition_core.enums import Level
from petition_core.validation import FieldError, ValidationErrors, validate_registration

from . import UiContext
from .attachments_widget import AttachmentsWidget
from .division_picker import DivisionPicker
from .intake_checks import FieldChecker, focus_row, warning_key
from .intake_fields import ERROR_STYLE, FieldRow, Section, tr
from .intake_sections import (
    BasicsSection,
    ContentSection,
    GroupSection,
    PetitionerSection,
    SubjectSection,
)
from .intake_success import SuccessPanel
from .messages import describe_exception
from .repeat_dialog import RepeatDialog

log = logging.getLogger(__name__)


class IntakePage(QWidget):
    """登记 page.  ``registered(case_id)`` after a save; ``open_case(case_id)`` when the
    clerk asks to see the new case (success panel; earlier cases in the repeat dialog open
    in a preview over the dialog).
    ``success.docs`` prints or saves the receipt (``saved(path)`` signal)."""

    registered = Signal(str)
    open_case = Signal(str)
    check_finished = Signal()  # validation + repeat check done (tests and status bar)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None, *,
                 divisions: DivisionTree | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tree = divisions or DivisionTree.load_default()
        self.station_division = ctx.station.division
        county = [d for d in self.tree.ancestors(self.station_division)
                  if d.level == Level.COUNTY]
        self.county_code = county[0].code if county else self.station_division
        self._busy = False
        self._counting_errors = False
        self._form: dict[str, Any] = {}
        self.last_registered: Any = None
        self.repeat_dialog: RepeatDialog | None = None
        self.case_preview: QWidget | None = None

        outer = QVBoxLayout(self)
        title = QLabel(tr("登记群众诉求"))
        title.setObjectName("pageTitle")
        outer.addWidget(title)
        self.stack = QStackedWidget()
        outer.addWidget(self.stack, 1)
        self.stack.addWidget(self._build_form())
        self.checks = FieldChecker(
            self.tree, self.field_rows, self.form_values,
            group_message=self.group.show_group_error,
            attachments_message=lambda text, error=True: self.attachments._set_status(
                text, error=error),
            rechecked=self._after_recheck)
        self.success = SuccessPanel(self)
        self.stack.addWidget(self.success)
        QShortcut(QKeySequence("Ctrl+S"), self, self.save)
        self.reset()

    # ---- construction -------------------------------------------------------------------
    def _build_form(self) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.setContentsMargins(0, 0, 0, 0)
        self.form_scroll = QScrollArea()
        self.form_scroll.setWidgetResizable(True)
        inner = QWidget()
        col = QVBoxLayout(inner)
        self.basics = BasicsSection(self.ctx.operator.display_name)
        self.petitioner = PetitionerSection(
            lambda: DivisionPicker(self.tree, root_code=self.county_code))
        self.group = GroupSection()
        self.subject = SubjectSection()
        self.content = ContentSection()
        self.attach_section = Section(tr("六、附件（来信扫描件、照片）"))
        self.attachments = AttachmentsWidget(self.ctx.services, self.ctx.runner)
        self.attach_section.body.addWidget(self.attachments)
        self.sections = [self.basics, self.petitioner, self.group, self.subject, self.content]
        for s in self.sections + [self.attach_section]:
            col.addWidget(s)
        col.addStretch(1)
        self.form_scroll.setWidget(inner)
        lay.addWidget(self.form_scroll, 1)

        bar = QHBoxLayout()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.clear_button = QPushButton(tr("清空重填"))
        self.save_button = QPushButton(tr("保存登记 (Ctrl+S)"))
        self.save_button.setObjectName("primary")
        bar.addWidget(self.status, 1)
        bar.addWidget(self.clear_button)
        bar.addWidget(self.save_button)
        lay.addLayout(bar)
        self.save_button.clicked.connect(self.save)
        self.clear_button.clicked.connect(self._confirm_reset)
        self.group.representatives_changed.connect(self._after_group_change)
        self.group.is_group.toggled.connect(self._after_group_change)
        return page

    def _after_group_change(self) -> None:
        self.checks.watch()
        self._set_tab_order()

    def _set_tab_order(self) -> None:
        """Keyboard-only clerks: Tab walks the form top to bottom, then to 保存."""
        chain: list[QWidget] = []
        for s in self.sections:
            chain += s.focus_order()
        chain += [self.attachments.add_button, self.attachments.remove_button,
                  self.clear_button, self.save_button]
        for a, b in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(a, b)

    # ---- state ------------------------------------------------------------------------------
    def field_rows(self) -> dict[str, FieldRow]:
        rows: dict[str, FieldRow] = {}
        for s in self.sections:
            rows.update(s.field_rows())
        return rows

    def reset(self) -> None:
        """Empty form with defaults: 来访, now, this station's village, no errors; scrolled
        to the top with the keyboard focus in the first field."""
        self.checks.quiet = True
        try:
            for s in self.sections:
                s.reset()
            self.attachments.clear()
            self.petitioner.address_division.set_code(self.station_division)
        finally:
            self.checks.quiet = False
        self.clear_errors()
        self.checks.seen_warnings.clear()
        self.stack.setCurrentIndex(0)
        self._after_group_change()
        self.focus_first()

    def focus_first(self) -> None:
        """What the page shows when it is opened: the form from its top (first field
        focused), or the receipt buttons after a save."""
        if self.stack.currentIndex() == 1:
            self.success.docs.print_button.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        if self.has_input() and self.isAncestorOf(self.focusWidget()):
            return  # coming back to an unfinished form: stay where the clerk was
        self.form_scroll.verticalScrollBar().setValue(0)
        self.basics.channel.setFocus(Qt.FocusReason.OtherFocusReason)

    def start_new(self) -> None:
        """Ctrl+N / 继续登记: a blank form.  An unfinished form is kept, not wiped (the clerk
        empties it with 清空重填, which asks first)."""
        if self.stack.currentIndex() == 1 or not self.has_input():
            self.reset()
        else:
            self.focus_first()

    def snapshot(self) -> dict[str, Any]:
        """Everything the clerk entered, to carry the form across a rebuild."""
        return {"form": self.form_values(), "attachments": self.attachments.refs(),
                "seen_warnings": set(self.checks.seen_warnings),
                "registered": self.last_registered if self.stack.currentIndex() == 1 else None}

    def restore(self, snap: dict[str, Any]) -> None:
        self.checks.quiet = True
        try:
            form = snap.get("form") or {}
            for s in self.sections:
                s.restore(form)
            self.attachments.set_refs(snap.get("attachments") or [])
        finally:
            self.checks.quiet = False
        self.checks.seen_warnings = set(snap.get("seen_warnings") or ())
        self._after_group_change()
        if snap.get("registered") is not None:
            self.last_registered = snap["registered"]
            self.success.show_registered(snap["registered"])
            self.stack.setCurrentIndex(1)
        self.focus_first()

    def has_input(self) -> bool:
        """Whether the clerk typed anything that 清空重填 would throw away."""
        v = self.form_values()
        p = v.get("petitioner") or {}
        texts = [v.get(k) for k in ("summary", "account", "demands")]
        texts += [p.get(k) for k in ("name", "id_number", "phone", "address_detail")]
        return any(texts) or bool(v.get("attachments")) or "group" in v

    def _confirm_reset(self) -> None:
        if self.has_input():
            answer = QMessageBox.question(self, tr("清空重填"),
                                          tr("已填写的内容将全部清除，确定吗？"))
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.reset()

    def clear_errors(self) -> None:
        self.checks.clear()
        self._set_status("")

    def form_values(self) -> dict[str, Any]:
        """The registration form dict (shape of petition_core.validation)."""
        form: dict[str, Any] = {"division": self.station_division}
        for s in self.sections:
            form.update(s.values())
        if form.get("group") is None:
            form.pop("group", None)
        form["attachments"] = [r.to_payload() for r in self.attachments.refs()]
        return form

    def _set_status(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(ERROR_STYLE if error else "")
        self._counting_errors = False

    def _after_recheck(self) -> None:
        """"N fields to correct" counts down as the clerk fixes them, and goes away with the
        last red field."""
        if not self._counting_errors:
            return
        n = self.checks.error_count()
        if n == 0:
            self._set_status("")
        else:
            self._show_error_count(n)

    def _show_error_count(self, n: int) -> None:
        self._set_status(tr("有 {n} 处需要修改（已用红字标出），没有保存。").format(n=n),
                         error=True)
        self._counting_errors = True

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.save_button.setEnabled(not busy)
        if busy:
            self._set_status(tr("正在检查和保存，请稍等…"))

    # ---- save --------------------------------------------------------------------------------
    def save(self) -> None:
        """Validate everything, run the repeat check, then register (or show the errors)."""
        if self._busy or self.stack.currentIndex() != 0:
            return
        if self.attachments.busy:
            self._set_status(tr("附件还在添加，请稍等再保存。"), error=True)
            return
        self.clear_errors()
        form = self.form_values()
        self._form = form
        services, tree = self.ctx.services, self.tree

        def check() -> tuple[list[FieldError], list[Any]]:
            _clean, warnings = validate_registration(form, divisions=tree, now=datetime.now())
            return warnings, services.intake.find_repeats(form)

        self._set_busy(True)
        self.ctx.runner.submit(check, on_done=self._after_check, on_error=self._failed,
                               owner=self)

    def _after_check(self, result: tuple[list[FieldError], list[Any]]) -> None:
        warnings, matches = result
        self.show_field_messages(warnings, warning=True)
        fresh = {warning_key(self._form, w) for w in warnings} - self.checks.seen_warnings
        if fresh:  # things to look at, not errors: stop once, the next 保存 goes ahead
            self.checks.seen_warnings |= fresh
            self._set_busy(False)
            self._set_status(tr("请核对黄色提示；确认无误，请再点“保存登记”。"))
            self.check_finished.emit()
            return
        self.check_finished.emit()
        if not matches:
            self._register([])
            return
        self._set_status(tr("发现可能重复反映的案件，请核对。"))
        dlg = RepeatDialog(matches, self)
        self.repeat_dialog = dlg
        dlg.open_case_requested.connect(lambda cid: self._preview_case(cid, dlg))
        dlg.accepted.connect(lambda: self._register(dlg.selected_case_ids()))
        dlg.rejected.connect(self._repeat_cancelled)
        dlg.open()

    def _preview_case(self, case_id: str, parent: QWidget) -> None:
        """Show an earlier case over the repeat dialog, so the clerk can compare and come
        back to decide (the main window stays blocked behind the dialog)."""
        from .case_detail import CaseDetailPage  # the shell's page; only needed here

        box = QDialog(parent)
        box.setWindowTitle(tr("查看案件"))
        lay = QVBoxLayout(box)
        detail = CaseDetailPage(self.ctx)
        detail.back_requested.connect(box.accept)
        lay.addWidget(detail)
        box.resize(1100, 640)
        self.case_preview = detail
        detail.load(case_id)
        box.open()

    def _repeat_cancelled(self) -> None:
        self._set_busy(False)
        self._set_status(tr("尚未保存：请修改后再点“保存登记”。"))

    def _register(self, link_to: list[str]) -> None:
        form, services, op = self._form, self.ctx.services, self.ctx.operator
        self.ctx.runner.submit(lambda: services.intake.register(form, op, link_to=link_to),
                               on_done=self._registered, on_error=self._failed, owner=self)

    def _registered(self, reg: Any) -> None:
        self._set_busy(False)
        self._set_status("")
        self.last_registered = reg
        log.info("case registered from intake form")
        self.success.show_registered(reg)
        self.stack.setCurrentIndex(1)
        self.registered.emit(reg.case_id)

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        errors = getattr(exc, "errors", None)
        if isinstance(exc, ValidationErrors) and errors:
            self.show_field_messages(errors)
            self._show_error_count(len({e.field for e in errors}))
        else:
            self._set_status(tr("没有保存：") + describe_exception(exc), error=True)
        self.check_finished.emit()

    # ---- showing errors ----------------------------------------------------------------------
    def show_field_messages(self, problems: list[FieldError], *, warning: bool = False) -> None:
        """Put each message under its field; focus the first error (in form order)."""
        first = self.checks.show(problems, warning=warning)
        if first is not None:
            focus_row(first, self.form_scroll)

    # ---- after saving ------------------------------------------------------------------------
    def continue_intake(self) -> None:
        self.start_new()
