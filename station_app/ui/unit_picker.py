"""UnitPicker: choose the unit a case is transferred (转办) or assigned (交办) to, from the
station's unit register (issue 9 item 4), by typing its name, a short name or alias
(民政局, 林草局), its full pinyin (minzheng) or its initials (xmzj).

Why one search box and not a cascade: a clerk knows the unit by what people call it, not by
where it sits; each line says "名称（上级）" so two units of the same name can be told
apart.  Search is petition_core.unit_register.UnitRegister.search (the same pinyin keys as
the division picker).

Keyboard (as the division picker, issue 8 C8): typing opens the list; Down/Up (PageDown /
PageUp) move the highlight without leaving the box, Enter takes the highlighted unit (the
first when none is highlighted), Esc closes the list.  Down in an empty box lists every unit
of the county.  While the list is open these keys are consumed, so Enter never also presses
the dialog's default button; once a unit is taken the list closes and Enter saves.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from petition_core.unit_register import UnitRegister
from petition_core.units import Unit, UnitKind, is_within, parent_of

from .search_list import SearchListKeys

MAX_RESULTS = 30


def unit_line(register: UnitRegister, unit: Unit) -> str:
    """"名称（上级）": a department with its division's name, a centre with the division
    above (凤庆县民政局（凤庆县）, 洛党镇（凤庆县）)."""
    above = unit.division if unit.kind != UnitKind.CENTRE else parent_of(unit.code)
    div = register.divisions.get(above) if above else None
    return f"{unit.name}（{div.name}）" if div is not None else unit.name


class UnitPicker(SearchListKeys, QWidget):
    """``code()`` is the chosen unit's code, "" before one is chosen."""

    changed = Signal(str)

    def __init__(self, register: UnitRegister, *, scope: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._register = register
        self._scope = scope
        self._code = ""
        self.search = QLineEdit()
        self.search.setPlaceholderText(
            self.tr("输入单位名称或拼音首字母搜索，如 民政局 / minzheng / xmzj"))
        self.search.setClearButtonEnabled(True)
        self.results = QListWidget()
        self.results.setMaximumHeight(150)
        self.results.hide()
        self.chosen = QLabel()
        self.chosen.setObjectName("hint")
        self.chosen.setWordWrap(True)
        self.proposal = QLabel()
        self.proposal.setObjectName("hint")
        self.proposal.setWordWrap(True)
        self.proposal.hide()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.search)
        lay.addWidget(self.results)
        lay.addWidget(self.chosen)
        lay.addWidget(self.proposal)
        self.search.textChanged.connect(self._on_search)
        self.search.installEventFilter(self)
        self.results.installEventFilter(self)
        self.results.itemClicked.connect(self._on_result)
        self._show_chosen()

    # ---- API ----------------------------------------------------------------------------
    def code(self) -> str:
        return self._code

    def set_code(self, code: str) -> bool:
        """Choose ``code``; False (nothing changes) when it is no active unit of the register
        within the picker's scope."""
        unit = self._register.get(code) if isinstance(code, str) else None
        if unit is None or not unit.active or not self._within(unit):
            return False
        self._code = unit.code
        self._show_chosen()
        self.changed.emit(self._code)
        return True

    def propose(self, code: str) -> bool:
        """Preselect the routing default (item 8) and say so: "按类别默认：县纪委监委"."""
        if not self.set_code(code):
            return False
        unit = self._register.get(code)
        self.proposal.setText(self.tr("按类别默认：%1（可以改选其他单位）").replace(
            "%1", unit.name if unit is not None else code))
        self.proposal.show()
        return True

    # ---- list -------------------------------------------------------------------------
    def _within(self, unit: Unit) -> bool:
        return is_within(unit.code, self._scope)

    def _show_chosen(self) -> None:
        unit = self._register.get(self._code) if self._code else None
        self.chosen.setText(self.tr("已选：%1").replace("%1", unit_line(self._register, unit))
                            if unit is not None else self.tr("尚未选择单位"))

    def _browse(self) -> list[Unit]:
        centre = self._register.get(self._scope)
        return ([centre] if centre is not None else []) + self._register.departments(
            self._scope[:12])

    def _fill(self, units: list[Unit]) -> None:
        self.results.clear()
        for unit in units[:MAX_RESULTS]:
            item = QListWidgetItem(unit_line(self._register, unit))
            item.setData(Qt.ItemDataRole.UserRole, unit.code)
            self.results.addItem(item)
        if not units:
            item = QListWidgetItem(
                self.tr("没有找到这个单位，请换个写法（名称、简称或拼音首字母）"))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.results.addItem(item)
        self.results.setCurrentRow(-1)  # nothing highlighted until the clerk moves
        self.results.show()

    def _on_search(self, text: str) -> None:
        if not text.strip():
            self.results.clear()
            self.results.hide()
            return
        self._fill(self._register.search(text, under=self._scope, limit=MAX_RESULTS))

    # ---- keyboard ------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        if (watched is self.search and self.results.isHidden()
                and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() == Qt.Key.Key_Down):
            self._fill(self._browse())          # Down in the box: every unit to browse
            return True
        return self._list_key(watched, event)   # search_list.SearchListKeys

    def _on_result(self, item: QListWidgetItem) -> None:
        code = item.data(Qt.ItemDataRole.UserRole)
        if code and self.set_code(code):
            self.proposal.hide()           # the clerk chose: no longer the default
            self.search.clear()
            self.results.hide()
            self.search.setFocus()

