"""The page shown after a case is registered: case number and query code in large type, the
next deadline, the receipt (print / PDF), and 继续登记 / 查看案件.

Why the case number is a selectable label that wraps instead of being cut: the serial at its
end is the part that tells cases apart (issue 8 C11).
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from . import calendar_notice
from .documents import DocumentActions, fmt_date
from .intake_fields import tr


class SuccessPanel(QFrame):
    """After saving: case number and query code in large type, the reply deadline, and
    打印回执 / 保存回执PDF / 继续登记 / 查看案件."""

    def __init__(self, page: Any) -> None:
        super().__init__(page)
        self.setObjectName("card")
        self._page = page
        self.case_id = ""
        lay = QVBoxLayout(self)
        head = QLabel(tr("登记成功，已保存。"))
        head.setObjectName("pageTitle")
        self.case_no = QLabel()
        self.case_no.setObjectName("bigNumber")
        self.case_no.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.query_code = QLabel()
        self.query_code.setObjectName("bigNumber")
        self.query_code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.due = QLabel()
        self.due.setWordWrap(True)
        hint = QLabel(tr("请把回执交给反映人，并告诉他：凭案件编号和查询码可以查询办理进展。"))
        hint.setWordWrap(True)
        self.docs = DocumentActions(page.ctx.services, page.ctx.runner, "receipt")
        self.continue_button = QPushButton(tr("继续登记"))
        self.view_button = QPushButton(tr("查看案件"))
        for w in (head, QLabel(tr("案件编号")), self.case_no, QLabel(tr("查询码")),
                  self.query_code, self.due, hint, self.docs):
            lay.addWidget(w)
        bar = QHBoxLayout()
        bar.addWidget(self.continue_button)
        bar.addWidget(self.view_button)
        bar.addStretch(1)
        lay.addLayout(bar)
        lay.addStretch(1)
        self.continue_button.clicked.connect(page.continue_intake)
        self.view_button.clicked.connect(lambda: page.open_case.emit(self.case_id))

    def show_registered(self, reg: Any) -> None:
        self.case_id = reg.case_id
        self.case_no.setText(reg.case_no)
        self.query_code.setText(reg.query_code)
        self.due.setText(tr("下一个办理期限：{date}。到期前请决定是否受理，并告知反映人。")
                         .format(date=fmt_date(reg.due_date)) if reg.due_date else "")
        if reg.due_date and reg.due_missing_years:   # issue 8: say the year is not loaded
            self.due.setText(self.due.text() + "\n"
                             + calendar_notice.notice(reg.due_missing_years))
        self.docs.set_case(reg.case_id, reg.case_no)
        self.docs.print_button.setFocus()
