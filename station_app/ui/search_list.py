"""The keyboard of a search box with a result list under it (the division picker, the unit
picker): ↓/↑/PgDn/PgUp move the highlight from the box, Enter takes the highlighted (or the
first) choosable row, Esc closes the list and keeps the typed text.  Only rows whose
``UserRole`` data is set are choosable (headers and "nothing found" lines are not).

A widget mixes it in, owns ``self.search`` (QLineEdit) and ``self.results`` (QListWidget),
installs itself as their event filter, and implements ``_on_result(item)``."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QListWidget, QListWidgetItem


class SearchListKeys:
    search: QLineEdit
    results: QListWidget

    _MOVES: dict[int, int] = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 5,
                              Qt.Key.Key_PageUp: -5}
    _TAKE = (Qt.Key.Key_Return, Qt.Key.Key_Enter)

    def _list_key(self, watched: QObject, event: QEvent) -> bool:
        """Handle ``event`` for the open result list; True when it was ours."""
        kind = event.type()
        if (watched not in (self.search, self.results) or self.results.isHidden()
                or kind not in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride)
                or not isinstance(event, QKeyEvent)):
            return False
        key = event.key()
        in_list = watched is self.results  # the list moves its own highlight
        if not (key in self._TAKE or key == Qt.Key.Key_Escape
                or (key in self._MOVES and not in_list)):
            return False
        if kind == QEvent.Type.ShortcutOverride:  # the key is ours, not a window shortcut's
            event.accept()
            return True
        if key in self._MOVES:
            self._move(self._MOVES[key])
        elif key in self._TAKE:
            self._take_highlighted()
        else:
            self.results.hide()
            self.search.setFocus()
        return True

    def _choosable(self) -> list[int]:
        return [i for i in range(self.results.count())
                if self.results.item(i).data(Qt.ItemDataRole.UserRole)]

    def _move(self, step: int) -> None:
        rows = self._choosable()
        if not rows:
            return
        cur = self.results.currentRow()
        target = (rows[0] if step > 0 else rows[-1]) if cur < 0 \
            else max(rows[0], min(rows[-1], cur + step))
        self.results.setCurrentRow(target)
        self.results.scrollToItem(self.results.item(target))

    def _take_highlighted(self) -> None:
        rows = self._choosable()
        if not rows:
            return
        cur = self.results.currentRow()
        self._on_result(self.results.item(cur if cur in rows else rows[0]))

    def _on_result(self, item: QListWidgetItem) -> None:
        raise NotImplementedError
