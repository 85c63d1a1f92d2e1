"""Who is at the desk: the idle lock, 切换值班员, and the password prompts.

On a shared PC every record carries the login of whoever is signed in, so the window must
not stay open under one clerk's name while another works at it:

* :class:`IdleWatch` notices when nobody has touched the keyboard or mouse anywhere in the
  program for N minutes (a station setting, default 15);
* :class:`LockScreen` then covers the whole window (nothing of a case stays readable) until
  a password is typed: the same clerk's to go on, or another operator's user name and
  password to take over the desk (the main window then rebuilds under the new name);
* :class:`PasswordDialog` asks for a password before a sensitive step (restoring a backup
  needs an administrator).

Every password goes through ``services.session.verify`` on the worker thread, the one place
where a later lockout after repeated failures, or re-authentication for sealed records, is
added.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from petition_core.enums import Role

from .messages import describe_exception, error_text
from .runner import Runner

log = logging.getLogger(__name__)

_INPUT = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick,
    QEvent.Type.MouseMove, QEvent.Type.Wheel, QEvent.Type.TouchBegin,
    QEvent.Type.TabletPress, QEvent.Type.InputMethod,
})


class IdleWatch(QObject):
    """Emits ``idle`` once after ``minutes`` without input anywhere in the application
    (every window and dialog), then stays quiet until :meth:`resume`."""

    idle = Signal()

    def __init__(self, minutes: int, parent: QObject | None = None, *,
                 clock: Callable[[], float] = time.monotonic, poll_ms: int = 10_000) -> None:
        super().__init__(parent)
        self._clock = clock
        self.minutes = minutes
        self._last = clock()
        self._paused = False
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self._timer = QTimer(self)
        self._timer.setInterval(poll_ms)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        if event.type() in _INPUT:
            self._last = self._clock()
        return False

    def set_minutes(self, minutes: int) -> None:
        self.minutes = int(minutes)

    def idle_seconds(self, now: float | None = None) -> float:
        return (self._clock() if now is None else now) - self._last

    def check(self, now: float | None = None) -> bool:
        """Emit ``idle`` when the time is up (called by the timer; ``now``: a moment on the
        watch's clock, for tests that cannot wait 15 minutes)."""
        if self._paused or self.minutes <= 0 or self.idle_seconds(now) < self.minutes * 60:
            return False
        self._paused = True
        self.idle.emit()
        return True

    def pause(self) -> None:
        self._paused = True

    def resume(self) -> None:
        self._last = self._clock()
        self._paused = False

    def stop(self) -> None:
        self._timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)


def interrupt_dialogs(window: QWidget) -> int:
    """Close every dialog open over ``window`` (they belong to the clerk who is leaving).
    A dialog with an ``interrupt()`` method keeps what was typed for its next opening
    (ActionDialog); others are cancelled.  Returns how many were closed."""
    closed = 0
    for w in QApplication.topLevelWidgets():
        if not isinstance(w, QDialog) or not w.isVisible() or w is window:
            continue
        owner = w.parentWidget()
        while owner is not None and owner is not window:
            owner = owner.parentWidget()
        if owner is None:
            continue
        stop = getattr(w, "interrupt", None)
        (stop if callable(stop) else w.reject)()
        closed += 1
    return closed


class LockScreen(QFrame):
    """Covers its parent window while locked.  ``unlocked(operator, station)`` when a
    password was accepted: the operator who was locked out, or another one taking over."""

    unlocked = Signal(object, object)

    IDLE, AWAY, SWITCH, RESTORED = "idle", "away", "switch", "restored"

    def __init__(self, services: Any, runner: Runner, parent: QWidget) -> None:
        super().__init__(parent)
        self._services = services
        self._runner = runner
        self._busy = False
        self.locked_login = ""
        self.reason = ""
        self.setObjectName("lockScreen")
        self.setAutoFillBackground(True)
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.login = QLineEdit()
        self.login.setPlaceholderText(self.tr("用户名"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("密码"))
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.ok = QPushButton(self.tr("解锁"))
        self.ok.setObjectName("primary")
        self.ok.clicked.connect(self.submit)
        self.login.returnPressed.connect(self.password.setFocus)
        self.password.returnPressed.connect(self.submit)
        hint = QLabel(self.tr("换人值班：输入您自己的用户名和密码。"))
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("用户名"), self.login)
        form.addRow(self.tr("密码"), self.password)
        card = QFrame()
        card.setObjectName("lockCard")
        # a fixed width lets the layout give wrapped lines (an error) their full height
        card.setFixedWidth(self.fontMetrics().horizontalAdvance("字") * 30)
        inner = QVBoxLayout(card)
        inner.addWidget(self.title)
        inner.addWidget(self.message)
        inner.addLayout(form)
        inner.addWidget(self.error)
        inner.addWidget(self.ok)
        inner.addWidget(hint)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        self.hide()

    def lock(self, operator: Any, reason: str, *, station_name: str = "",
             minutes: int = 0) -> None:
        """Cover the window.  ``reason``: IDLE (no input for ``minutes``) or AWAY (locked by
        hand): the same clerk types the password to go on; SWITCH: the next clerk logs in;
        RESTORED: the data was replaced, so whoever goes on logs in again."""
        self.reason = reason
        self.locked_login = operator.login if operator is not None else ""
        self.title.setText(station_name or self.tr("诉求通"))
        if reason == self.IDLE:
            self.message.setText(self.tr("%1 分钟没有操作，屏幕已锁定。%2，请输入密码继续。")
                                 .replace("%1", str(minutes))
                                 .replace("%2", operator.display_name if operator else ""))
            self.login.setText(self.locked_login)
        elif reason == self.AWAY:
            self.message.setText(self.tr("屏幕已锁定。%1，请输入密码继续。")
                                 .replace("%1", operator.display_name if operator else ""))
            self.login.setText(self.locked_login)
        elif reason == self.SWITCH:
            self.message.setText(self.tr("请下一位值班员登录。"))
            self.login.clear()
        else:
            self.message.setText(self.tr("数据已恢复。请重新登录。"))
            self.login.clear()
        self.ok.setText(self.tr("解锁") if reason in (self.IDLE, self.AWAY) else self.tr("登录"))
        self.password.clear()
        self.error.hide()
        self.ok.setEnabled(True)
        self._busy = False
        self.cover()
        self.show()
        self.raise_()
        (self.password if self.login.text() else self.login).setFocus(
            Qt.FocusReason.OtherFocusReason)

    def cover(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())

    def submit(self) -> None:
        if self._busy:
            return
        login, password = self.login.text().strip(), self.password.text()
        if not login or not password:
            self._show(error_text("required"))
            (self.login if not login else self.password).setFocus()
            return
        self._busy = True
        self.ok.setEnabled(False)
        services = self._services

        def check() -> tuple[Any, Any]:
            op = services.session.verify(login, password)
            return op, services.setup.station()

        self._runner.submit(check, self._ok, self._failed, owner=self)

    def _ok(self, result: tuple[Any, Any]) -> None:
        self._busy = False
        self.ok.setEnabled(True)
        self.password.clear()
        op, station = result
        self.unlocked.emit(op, station)

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        self.ok.setEnabled(True)
        self._show(describe_exception(exc))
        self.password.clear()
        self.password.setFocus()

    def _show(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def keep_locked(self, text: str) -> None:
        """Stay locked with a note (the window refused this unlock)."""
        self._show(text)
        self.password.setFocus()


class PasswordDialog(QDialog):
    """Asks for a user name and password before a sensitive step; ``value`` holds the
    step's result when accepted (by default the verified Operator).  ``role``: the role the
    step needs (e.g. Role.ADMIN).  Subclasses override :meth:`work` to run the step itself
    with the password (the service checks it again, in the same call) and :meth:`ready` to
    add a confirmation."""

    def __init__(self, services: Any, runner: Runner, title: str, explanation: str, *,
                 login: str = "", role: Role | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._runner = runner
        self._role = role
        self.value: Any = None
        self.setWindowTitle(title)
        self.setModal(True)
        text = QLabel(explanation)
        text.setWordWrap(True)
        # a fixed width gives the wrapped explanation its full height (no clipped lines)
        text.setFixedWidth(self.fontMetrics().horizontalAdvance("字") * 34)
        self.login = QLineEdit(login)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.setFixedWidth(text.width())
        self.error.hide()
        form = QFormLayout()
        form.addRow(self.tr("用户名"), self.login)
        form.addRow(self.tr("密码"), self.password)
        self.buttons = QDialogButtonBox()
        self.ok = self.buttons.addButton(self.tr("确定"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setObjectName("primary")
        self.buttons.addButton(self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.lay = QVBoxLayout(self)
        # the dialog grows with a shown error instead of squeezing the explanation
        self.lay.setSizeConstraint(QLayout.SizeConstraint.SetFixedSize)
        self.lay.addWidget(text)
        self.lay.addLayout(form)
        self.lay.addWidget(self.error)
        self.lay.addWidget(self.buttons)
        (self.password if login else self.login).setFocus()

    def ready(self) -> bool:
        """Subclasses add their own confirmation (checked before the password)."""
        return True

    def submit(self) -> None:
        login, password = self.login.text().strip(), self.password.text()
        if not login or not password:
            self._show(error_text("required"))
            return
        if not self.ready():
            return
        self.ok.setEnabled(False)
        self._runner.submit(self.work(login, password), self._done, self._failed, owner=self)

    def work(self, login: str, password: str) -> Callable[[], Any]:
        """What runs on the worker thread once the clerk pressed OK."""
        session, role = self._services.session, self._role
        return lambda: session.verify(login, password, role=role)

    def _done(self, value: Any) -> None:
        self.value = value
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.ok.setEnabled(True)
        self.password.clear()
        self.password.setFocus()
        self._show(describe_exception(exc))

    def _show(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
