"""The mouse wheel scrolls the page; it changes a dropdown, spin box or date only when the
clerk is working in that field (it has the keyboard focus, or its list is open).

Why (issue 8 C6): scrolling the intake form with the wheel changed 反映方式 from 来访 to 12388
whenever the pointer passed over the box, with no sign on screen; 乡镇/村, 类别 and 性质
could change the same way.

How: one event filter on the application, installed once by the composition root, so every
present and future widget follows the rule without per-widget code:

* a wheel event for such a widget (or one of its inner parts) that does not have the focus
  is passed to the widgets around it instead, up to the scroll area that scrolls the page;
* Qt gives such widgets the focus on a wheel turn (``Qt.WheelFocus``), which would defeat
  the rule from the second notch on, so they are switched to ``Qt.StrongFocus`` (click or
  Tab) when they are polished.

An open dropdown list is a window of its own (a popup), so its wheel events never reach the
guarded widget and scrolling the open list works as usual.

"Working in the field" means the clerk put the focus there (a click, Tab / Shift+Tab, a
shortcut, closing its list) or pressed a key or a mouse button in it since.  Focus the
program gives (a page opening with its first field focused, ``setFocus()``) does not count:
the intake form opens with 反映方式 focused, and a clerk who turned the wheel over it
straight away changed 来访 to 12388 (found in the walkthrough under a window manager, after
the first fix).
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QFocusEvent, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QScrollBar,
    QTabBar,
    QWidget,
)

GUARDED = (QComboBox, QAbstractSpinBox, QTabBar, QAbstractSlider)
_ARMED = "_suqiu_wheel_armed"   # dynamic property: the clerk focused this field themself
_USER_FOCUS = (Qt.FocusReason.MouseFocusReason, Qt.FocusReason.TabFocusReason,
               Qt.FocusReason.BacktabFocusReason, Qt.FocusReason.ShortcutFocusReason,
               Qt.FocusReason.PopupFocusReason)
# leaving the window or opening a menu keeps the field armed for when the clerk comes back
_KEEPS_ARMED = (Qt.FocusReason.ActiveWindowFocusReason, Qt.FocusReason.PopupFocusReason,
                Qt.FocusReason.MenuBarFocusReason)
_installed: dict[int, WheelGuard] = {}


def _is_guarded(w: QObject) -> bool:
    return isinstance(w, GUARDED) and not isinstance(w, QScrollBar)


def guarded_owner(w: QWidget | None) -> QWidget | None:
    """The value-changing widget a wheel event over ``w`` would change, if any: ``w`` itself
    or the widget it is part of (a spin box's text field).  Stops at a window and at
    anything that scrolls by itself (a list, a text box)."""
    while w is not None and not w.isWindow():
        if _is_guarded(w):
            return w
        if isinstance(w, QAbstractScrollArea):
            return None
        w = w.parentWidget()
    return None


def _working_in(w: QWidget) -> bool:
    if isinstance(w, QComboBox) and w.view().isVisible():
        return True
    focus = QApplication.focusWidget()
    return (focus is not None and (focus is w or w.isAncestorOf(focus))
            and bool(w.property(_ARMED)))


class WheelGuard(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        kind = event.type()
        if kind == QEvent.Type.Polish and isinstance(watched, QWidget) and _is_guarded(watched):
            if watched.focusPolicy() == Qt.FocusPolicy.WheelFocus:
                watched.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            return False
        if (kind in (QEvent.Type.FocusIn, QEvent.Type.FocusOut)
                and isinstance(event, QFocusEvent) and isinstance(watched, QWidget)):
            self._track_focus(watched, event)
            return False
        if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress) \
                and isinstance(watched, QWidget):
            owner = guarded_owner(watched)     # a click or a key in the field: the clerk's own
            if owner is not None:
                owner.setProperty(_ARMED, True)
            return False
        if not (isinstance(event, QWheelEvent) and isinstance(watched, QWidget)):
            return False
        owner = guarded_owner(watched)
        if owner is None or _working_in(owner):
            return False
        self._pass_on(watched, owner, event)
        return True

    @staticmethod
    def _track_focus(watched: QWidget, event: QFocusEvent) -> None:
        owner = guarded_owner(watched)
        if owner is None:
            return
        reason = event.reason()
        if event.type() == QEvent.Type.FocusIn:
            if reason in _USER_FOCUS:
                owner.setProperty(_ARMED, True)
        elif reason not in _KEEPS_ARMED:
            owner.setProperty(_ARMED, False)

    @staticmethod
    def _pass_on(receiver: QWidget, owner: QWidget, event: QWheelEvent) -> None:
        """Offer the event to the widgets around ``owner``, innermost first, until one takes
        it (what Qt does with an ignored wheel event)."""
        target = owner.parentWidget()
        pos = receiver.mapTo(owner, event.position().toPoint()) + owner.pos()
        while target is not None:
            fwd = QWheelEvent(QPointF(pos), event.globalPosition(), event.pixelDelta(),
                              event.angleDelta(), event.buttons(), event.modifiers(),
                              event.phase(), event.inverted(), event.source())
            fwd.setAccepted(False)
            QApplication.sendEvent(target, fwd)
            if fwd.isAccepted() or target.isWindow():
                break
            pos = pos + target.pos()
            target = target.parentWidget()
        event.accept()


def install(app: QApplication) -> WheelGuard:
    """Install the guard on ``app`` (idempotent) and fix widgets that already exist."""
    guard = _installed.get(id(app))
    if guard is None:
        guard = WheelGuard(app)
        app.installEventFilter(guard)
        _installed[id(app)] = guard
        for w in app.allWidgets():
            if _is_guarded(w) and w.focusPolicy() == Qt.FocusPolicy.WheelFocus:
                w.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    return guard
