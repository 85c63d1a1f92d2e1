"""The duty desk of one main window: the idle lock, 切换值班员 and the new login after a
restore (the pieces are in lock.py; this is how the window uses them).

* After the station's idle minutes (or 锁定屏幕 / 切换值班员 by hand) every dialog open over
  the window closes, keeping what was typed (ActionDialog.interrupt), the window stops taking
  input, and the lock screen covers it.
* The same clerk's password uncovers it as it was.  Another operator's login takes over: the
  window is rebuilt under the new name (status bar, greeting, 登记人, permissions), after a
  question when the previous clerk left an unsaved registration behind.
* After a restore everyone logs in again, and the window is rebuilt from the restored data.
"""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from station_app.services import Changes, Restored
from station_app.services.session import DEFAULT_LOCK_MINUTES

from .lock import IdleWatch, LockScreen, interrupt_dialogs

if TYPE_CHECKING:
    from .main_window import MainWindow

log = logging.getLogger(__name__)


class DutyDesk(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.locked = False
        self.screen: LockScreen | None = None
        self._focus: QWidget | None = None
        self._focus_key: str | None = None
        self.idle = IdleWatch(DEFAULT_LOCK_MINUTES, self)
        self.idle.idle.connect(lambda: self.lock(LockScreen.IDLE))
        window.ctx.runner.changed.connect(self._on_changes)
        self.load_minutes()

    def new_screen(self) -> None:
        """A lock screen in the current language (the window was (re)built)."""
        if self.screen is not None:
            self.screen.deleteLater()
        ctx = self.window.ctx
        self.screen = LockScreen(ctx.services, ctx.runner, self.window)
        self.screen.unlocked.connect(self._on_unlocked)

    def load_minutes(self) -> None:
        ctx = self.window.ctx
        ctx.runner.submit(ctx.services.session.lock_minutes, self.idle.set_minutes,
                          lambda exc: log.warning("lock setting unreadable: %s",
                                                  type(exc).__name__), owner=self)

    def _on_changes(self, changes: Changes, _initiator: object) -> None:
        if changes.station:
            self.load_minutes()

    def lock(self, reason: str = LockScreen.IDLE) -> None:
        if self.locked or self.screen is None:
            return
        self.locked = True
        self.idle.pause()
        focus = self.window.focusWidget()   # given back when the same clerk returns
        self._focus = focus
        self._focus_key = focus.property("focusKey") if focus is not None else None
        interrupt_dialogs(self.window)
        self.window.set_usable(False)
        ctx = self.window.ctx
        self.screen.lock(ctx.operator, reason, station_name=ctx.station.name,
                         minutes=self.idle.minutes)

    def cover(self) -> None:
        if self.screen is not None and self.screen.isVisible():
            self.screen.cover()

    def _on_unlocked(self, operator: Any, station: Any) -> None:
        from .intake_form import IntakePage

        assert self.screen is not None
        w = self.window
        takeover = operator.login != w.ctx.operator.login
        intake = w.pages.get("intake")
        if takeover and isinstance(intake, IntakePage) and intake.has_input() and \
                QMessageBox.question(
                    w, self.tr("换人值班"),
                    self.tr("上一位值班员的登记表还没有保存，换人后会清空。确定换人吗？"),
                    QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                    QMessageBox.StandardButton.No) != QMessageBox.StandardButton.Yes:
            self.screen.keep_locked(self.tr("没有换人。上一位值班员可以输入自己的密码继续。"))
            return
        rebuild = takeover or self.screen.reason == LockScreen.RESTORED
        self.locked = False
        self.screen.hide()
        w.ctx.operator = operator
        w.ctx.station = station
        w.set_usable(True)
        self.idle.resume()
        if rebuild:
            log.info("duty staff changed")
            w.rebuild(keep_intake=False)   # the status bar now names the new clerk
        else:   # screens followed every change while locked (the runner's broadcast)
            self._restore_focus()

    def _restore_focus(self) -> None:
        """The keyboard goes back where it was.  A page that reloaded while locked has new
        widgets: the one with the same ``focusKey`` property stands in for the old one."""
        target = self._focus if self._focus is not None and shiboken6.isValid(self._focus) \
            else None
        if target is None and self._focus_key:
            target = next((c for c in self.window.findChildren(QWidget)
                           if c.property("focusKey") == self._focus_key and c.isVisible()),
                          None)
        if target is not None and target.isVisible():
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def after_restore(self, restored: Restored) -> None:
        """The database was replaced: say what happened, then everyone logs in again (the
        accounts and the station's name may differ in the restored data)."""
        QMessageBox.information(
            self.window, self.tr("恢复完成"),
            self.tr("已恢复到 %1 的备份，之后的 %2 条记录已保留。恢复前的数据另存在备份中。\n请重新登录。")  # noqa: E501
            .replace("%1", restored.restored_from.created_at[:16].replace("T", " "))
            .replace("%2", str(restored.merged_back)))
        self.lock(LockScreen.RESTORED)

    def stop(self) -> None:
        self.idle.stop()
