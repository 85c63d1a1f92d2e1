"""Pieces of the main window that hold no text of their own (main_window.py stays readable):
the window's keyboard shortcuts and the operator's role label."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget


def replace_shortcuts(window: QWidget, old: Iterable[QShortcut],
                      bindings: Iterable[tuple[Any, Callable[[], None]]]) -> list[QShortcut]:
    """Window-wide shortcuts for ``bindings`` (a key bound twice: the first one wins), after
    disabling and deleting ``old`` (the window was rebuilt)."""
    for sc in old:
        sc.setEnabled(False)
        sc.deleteLater()
    made: list[QShortcut] = []
    seen: set[str] = set()
    for seq, fn in bindings:
        ks = QKeySequence(seq)
        if ks.toString() in seen:
            continue
        seen.add(ks.toString())
        sc = QShortcut(ks, window)
        sc.setContext(Qt.ShortcutContext.WindowShortcut)
        sc.activated.connect(fn)
        made.append(sc)
    return made


def role_label(op: Any) -> str:
    """The operator's role in the UI's language (status bar)."""
    from .i18n import enum_label

    role = getattr(op, "role", None)
    return enum_label(role) if hasattr(role, "label") else str(role or "")
