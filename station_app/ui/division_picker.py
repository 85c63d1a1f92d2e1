"""DivisionPicker: choose 县 → 乡（镇） → 村（社区） by cascading lists or by typing.

Why both: a clerk who knows the place types "洛党" or just "ldz" (pinyin initials) and picks
from a short list; one who does not can walk the three lists.  Both end in the same state
(the cascade always shows the chosen code), so what is on screen is what gets saved.
Search uses petition_core.divisions (name substring, full pinyin, initials).

Keyboard (issue 8 C8): while the result list is open, Down/Up (and PageDown/PageUp) move the
highlight without leaving the search box, Enter takes the highlighted place (the first one
when none is highlighted), Esc closes the list.  These keys are consumed, so Enter never
also presses a dialog's default button (the first-run wizard jumped to its next step), Down
never scrolls the form behind, and Esc never cancels the dialog.
"""
from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from petition_core.divisions import Division, DivisionTree
from petition_core.enums import Level

from .search_list import SearchListKeys

log = logging.getLogger(__name__)

YUNNAN = "530000000000"
MAX_RESULTS = 30


class DivisionPicker(SearchListKeys, QWidget):
    """``code()`` is the deepest division chosen, or "" when below ``min_level`` is missing."""

    changed = Signal(str)

    def __init__(self, tree: DivisionTree, *, root_code: str = YUNNAN,
                 min_level: Level = Level.TOWNSHIP, max_level: Level = Level.VILLAGE,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tree = tree
        self._root = root_code
        self._min_level = min_level
        self._max_level = max_level
        self._updating = False
        root = tree.get(root_code)
        self._root_level = root.level if root else Level.PROVINCE

        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("输入名称或拼音首字母搜索，如 洛党 / luodang / ldz"))
        self.search.setClearButtonEnabled(True)
        self.results = QListWidget()
        self.results.setMaximumHeight(130)
        self.results.hide()

        self.county = QComboBox()
        self.township = QComboBox()
        self.village = QComboBox()
        for combo in (self.county, self.township, self.village):
            combo.setMinimumContentsLength(14)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.chosen = QLabel()
        self.chosen.setObjectName("hint")
        self.chosen.setWordWrap(True)

        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        self._county_label = QLabel(self.tr("县（市、区）"))
        form.addRow(self._county_label, self.county)
        form.addRow(self.tr("乡（镇）"), self.township)
        self._village_label = QLabel(self.tr("村（社区）"))
        form.addRow(self._village_label, self.village)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.search)
        lay.addWidget(self.results)
        lay.addLayout(form)
        lay.addWidget(self.chosen)

        if self._root_level >= Level.COUNTY:
            self.county.hide()
            self._county_label.hide()
        if max_level < Level.VILLAGE:
            self.village.hide()
            self._village_label.hide()

        self.search.textChanged.connect(self._on_search)
        self.search.installEventFilter(self)
        self.results.installEventFilter(self)
        self._reveal = QTimer(self)
        self._reveal.setSingleShot(True)
        self._reveal.setInterval(0)
        self._reveal.timeout.connect(self._reveal_results)
        self.results.itemClicked.connect(self._on_result)
        self.county.currentIndexChanged.connect(self._on_county)
        self.township.currentIndexChanged.connect(self._on_township)
        self.village.currentIndexChanged.connect(self._on_village)
        self._fill_counties()

    # ---- API ----------------------------------------------------------------------
    def code(self) -> str:
        combos = [self.county, self.township]
        if self._max_level >= Level.VILLAGE:
            combos.append(self.village)
        for combo in reversed(combos):
            code = combo.currentData()
            if code:
                div = self._tree.get(code)
                return code if div is not None and div.level >= self._min_level else ""
        return ""

    def set_code(self, code: str) -> bool:
        """Show ``code`` in the cascade; False when it is unknown or outside the root."""
        div = self._tree.get(code)
        if div is None or not self._tree.is_within(code, self._root):
            return False
        chain = [d for d in self._tree.ancestors(code) if d.level >= Level.COUNTY] + [div]
        self._updating = True
        try:
            for d in chain:
                combo = {Level.COUNTY: self.county, Level.TOWNSHIP: self.township,
                         Level.VILLAGE: self.village}.get(d.level)
                if combo is None:
                    continue
                i = combo.findData(d.code)
                if i < 0:
                    continue
                combo.setCurrentIndex(i)
                if d.level == Level.COUNTY:
                    self._fill(self.township, self._tree.children(d.code),
                               self.tr("请选择乡（镇）"))
                    self._fill(self.village, [], self.tr("请选择村（社区）"))
                elif d.level == Level.TOWNSHIP:
                    self._fill(self.village, self._tree.children(d.code),
                               self.tr("请选择村（社区）"))
        finally:
            self._updating = False
        self._emit()
        return True

    # ---- cascade --------------------------------------------------------------------
    def _fill(self, combo: QComboBox, divisions: list[Division], placeholder: str) -> None:
        blocked = combo.blockSignals(True)
        combo.clear()
        combo.addItem(placeholder, "")
        for d in divisions:
            combo.addItem(d.name, d.code)
        combo.setEnabled(bool(divisions))
        combo.blockSignals(blocked)

    def _counties(self) -> list[Division]:
        if self._root_level >= Level.COUNTY:
            return [d for d in [self._tree.get(self._root)] if d]
        out: list[Division] = []
        stack = [self._root]
        while stack:
            code = stack.pop()
            for child in self._tree.children(code):
                if child.level == Level.COUNTY:
                    if self._tree.children(child.code):  # only counties we have data below
                        out.append(child)
                elif child.level < Level.COUNTY:
                    stack.append(child.code)
        return sorted(out, key=lambda d: d.code)

    def _fill_counties(self) -> None:
        counties = self._counties()
        self._fill(self.county, counties, self.tr("请选择县（市、区）"))
        if len(counties) == 1:
            self.county.setCurrentIndex(1)
            self._fill(self.township, self._tree.children(counties[0].code),
                       self.tr("请选择乡（镇）"))
        else:
            self._fill(self.township, [], self.tr("请选择乡（镇）"))
        self._fill(self.village, [], self.tr("请选择村（社区）"))
        self._emit()

    def _on_county(self) -> None:
        if self._updating:
            return
        code = self.county.currentData()
        self._fill(self.township, self._tree.children(code) if code else [],
                   self.tr("请选择乡（镇）"))
        self._fill(self.village, [], self.tr("请选择村（社区）"))
        self._emit()

    def _on_township(self) -> None:
        if self._updating:
            return
        code = self.township.currentData()
        kids = self._tree.children(code) if code and self._max_level >= Level.VILLAGE else []
        self._fill(self.village, kids, self.tr("请选择村（社区）"))
        self._emit()

    def _on_village(self) -> None:
        if not self._updating:
            self._emit()

    def _emit(self) -> None:
        code = self.code()
        self.chosen.setText(self._tree.full_name(code) if code else self.tr("尚未选择"))
        self.changed.emit(code)

    # ---- search ------------------------------------------------------------------------
    def _on_search(self, text: str) -> None:
        self.results.clear()
        text = text.strip()
        if not text:
            self.results.hide()
            return
        found = [d for d in self._tree.search(text, under=self._root, limit=MAX_RESULTS)
                 if Level.COUNTY <= d.level <= self._max_level]
        for d in found:
            full = self._tree.full_name(d.code)
            item = QListWidgetItem(full)
            item.setData(Qt.ItemDataRole.UserRole, d.code)
            self.results.addItem(item)
        if not found:
            item = QListWidgetItem(self.tr("没有找到，请换个写法或用下面的列表选择"))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.results.addItem(item)
        self.results.setCurrentRow(-1)  # nothing highlighted until the clerk moves
        self.results.show()
        self._reveal.start()  # once the layout has made room for the list

    def _reveal_results(self) -> None:
        """In a scrolling form, scroll so the open list can be seen (it opens below the
        search box, often at the bottom edge of the window)."""
        area = self.parentWidget()
        while area is not None and not isinstance(area, QScrollArea):
            area = area.parentWidget()
        if area is not None and self.results.isVisible():
            area.ensureWidgetVisible(self.results, 0, 8)

    # ---- keyboard in the search box ------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        return self._list_key(watched, event)   # search_list.SearchListKeys

    def _on_result(self, item: QListWidgetItem) -> None:
        code = item.data(Qt.ItemDataRole.UserRole)
        if code and self.set_code(code):
            self.search.clear()  # (not with signals blocked: the clear button must go too)
            self.results.hide()
            self.search.setFocus()  # the list was open; the clerk goes on from the search box
