"""Pieces of the main window that hold no text of their own (main_window.py stays readable):
pages that may be missing from an install, and the window's keyboard shortcuts."""
from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

from . import UiContext


def optional_page(module: str, cls: str) -> type | None:
    """Pages written by other engineers are optional until their module lands."""
    try:
        mod = importlib.import_module(f"station_app.ui.{module}")
    except ImportError as exc:
        if exc.name and exc.name.endswith(module):
            return None
        raise
    return getattr(mod, cls, None)


def construct_page(page_cls: type, ctx: UiContext) -> QWidget:
    """IntakePage / SyncPage take the UI context (or its parts); accept both styles."""
    try:
        return page_cls(ctx)
    except TypeError:
        return page_cls(ctx.services, ctx.runner, ctx.operator)


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
