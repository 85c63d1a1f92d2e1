"""The repeat check before saving (多次反映): earlier cases that may be the same matter.

Why a dialog at all: a matter that comes back (same person, same village, same content) must
be linked to its earlier case so the county sees "反映3次" instead of three unrelated cases,
and a case already accepted must not be accepted again (条例 Art. 19).  The clerk decides:
the dialog shows why each case matched and how strongly, lets the clerk open one to compare,
and tick those to link.  Nothing is linked unless ticked.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from station_app.services.types import RepeatMatch

from .caseno import use_for_column
from .documents import fmt_datetime
from .i18n import tr_label


def tr(text: str) -> str:
    return QCoreApplication.translate("", text)  # lupdate files bare tr() under ""


def reason_label(reason: str) -> str:
    labels = {"id_number": tr("同一身份证号码"), "name_village": tr("同村同名"),
              "content": tr("内容相似")}
    return labels.get(reason, reason)


class RepeatDialog(QDialog):
    """Lists matches; ``selected_case_ids()`` after 保存 are the ones to link.

    ``open_case_requested(case_id)`` asks for a case's detail to be shown over the dialog
    (the dialog stays open so the clerk can come back and decide)."""

    open_case_requested = Signal(str)

    COLUMNS = 7

    def __init__(self, matches: Sequence[RepeatMatch], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("可能是重复反映"))
        self.setModal(True)
        self.resize(960, 460)
        self._matches = list(matches)
        lay = QVBoxLayout(self)
        intro = QLabel(tr("本站已有以下案件可能反映的是同一件事。请核对：如是同一事项，勾选后保存，"
                          "新案件会与它关联（多次反映）；如不是，直接保存即可。"))
        intro.setWordWrap(True)
        lay.addWidget(intro)
        # 终结 (Art. 36): a closed matter is not accepted again on the same facts
        self.closed_warning = QLabel(tr(
            "注意：其中有已终结的案件。同一事项已经终结的，不再受理（信访工作条例第36条）；"
            "如果反映的是新的事实和理由，请在登记内容里写明。"))
        self.closed_warning.setObjectName("warning")
        self.closed_warning.setWordWrap(True)
        self.closed_warning.setVisible(any(m.closed for m in self._matches))
        lay.addWidget(self.closed_warning)
        self.counts_label = QLabel(self._counts_text())
        self.counts_label.setObjectName("sectionTitle")
        lay.addWidget(self.counts_label)

        self.table = QTableWidget(len(self._matches), self.COLUMNS)
        self.table.setHorizontalHeaderLabels([tr("关联"), tr("相同之处"), tr("相似度"),
                                              tr("案件编号"), tr("登记时间"), tr("状态"),
                                              tr("诉求摘要")])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.COLUMNS - 1, QHeaderView.ResizeMode.Stretch)
        use_for_column(self.table, 3)  # the case number
        for row, m in enumerate(self._matches):
            check = QTableWidgetItem()
            check.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled
                           | Qt.ItemFlag.ItemIsSelectable)
            # exact identity matches are ticked in advance; content matches need a look
            check.setCheckState(Qt.CheckState.Checked if m.reason == "id_number"
                                else Qt.CheckState.Unchecked)
            check.setData(Qt.ItemDataRole.UserRole, m.case_id)
            self.table.setItem(row, 0, check)
            cells = (reason_label(m.reason), f"{round(m.score * 100)}%", m.case_no,
                     fmt_datetime(m.received_at), tr_label(m.status_label), m.summary)
            for col, text in enumerate(cells, start=1):
                self.table.setItem(row, col, QTableWidgetItem(text))
        if self._matches:
            self.table.selectRow(0)
        self.table.cellDoubleClicked.connect(lambda r, _c: self._open_row(r))
        lay.addWidget(self.table, 1)

        buttons = QDialogButtonBox()
        self.open_button = QPushButton(tr("查看选中案件"))
        self.save_button = QPushButton(tr("保存登记"))
        self.save_button.setObjectName("primary")
        self.back_button = QPushButton(tr("返回修改"))
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.back_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.open_button.clicked.connect(lambda: self._open_row(self.table.currentRow()))
        self.save_button.clicked.connect(self.accept)
        self.back_button.clicked.connect(self.reject)
        lay.addWidget(buttons)
        self.save_button.setDefault(True)
        self.table.setFocus()

    def _counts_text(self) -> str:
        counts = Counter(m.reason for m in self._matches)
        parts = [tr("{what} {n} 件").format(what=reason_label(r), n=n)
                 for r, n in sorted(counts.items())]
        return tr("共 {n} 件：").format(n=len(self._matches)) + "；".join(parts)

    def _open_row(self, row: int) -> None:
        if 0 <= row < len(self._matches):
            self.open_case_requested.emit(self._matches[row].case_id)

    def set_checked(self, case_id: str, checked: bool) -> None:
        for row, m in enumerate(self._matches):
            item = self.table.item(row, 0)
            if m.case_id == case_id and item is not None:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def selected_case_ids(self) -> list[str]:
        out = []
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.checkState() == Qt.CheckState.Checked:
                out.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return out
