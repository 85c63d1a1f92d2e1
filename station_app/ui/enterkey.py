"""Enter presses the focused button, as a clerk expects.

Qt presses a focused push button with Space everywhere, but with Enter only inside dialogs
(``autoDefault``).  In the main window a keyboard-only clerk who tabbed to 查看案件 after
saving a registration pressed Enter and nothing happened (found in the walkthrough under
a window manager).  One event filter on the application makes Enter (and the keypad's
Enter) press the focused push or tool button everywhere; inside dialogs this is what Qt
already does, so behaviour there does not change.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QPushButton, QToolButton

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_installed: dict[int, EnterPresses] = {}


class EnterPresses(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if event.key() not in _ENTER or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        if not isinstance(watched, (QPushButton, QToolButton)):
            return False
        if not (watched.hasFocus() and watched.isEnabled() and watched.isVisible()):
            return False
        if isinstance(watched, QPushButton) and watched.menu() is not None:
            watched.showMenu()
        else:
            watched.animateClick()
        return True


def install(app: QApplication) -> EnterPresses:
    """Install on ``app`` (idempotent)."""
    filt = _installed.get(id(app))
    if filt is None:
        filt = EnterPresses(app)
        app.installEventFilter(filt)
        _installed[id(app)] = filt
    return filt
