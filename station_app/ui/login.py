"""Login: user name, password, Enter.  A wrong password says so in Chinese and keeps the
name, so the clerk only retypes the password (checked on the worker thread: scrypt is slow
on purpose and must not freeze the window)."""
from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from .messages import describe_exception, error_text
from .runner import Runner

log = logging.getLogger(__name__)


class LoginDialog(QDialog):
    """On success ``operator`` holds the authenticated Operator."""

    def __init__(self, services: Any, runner: Runner, station_name: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._runner = runner
        self._busy = False
        self.operator = None
        self.setWindowTitle(self.tr("登录"))   # Qt adds " — 诉求通"
        title = QLabel(station_name or self.tr("诉求通"))
        title.setObjectName("pageTitle")
        self.login = QLineEdit()
        self.login.setPlaceholderText(self.tr("用户名"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("密码"))
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = QDialogButtonBox()
        self.ok = buttons.addButton(self.tr("登录"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setObjectName("primary")
        self.ok.setAutoDefault(False)
        quit_button = buttons.addButton(self.tr("退出"), QDialogButtonBox.ButtonRole.RejectRole)
        quit_button.setAutoDefault(False)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("用户名"), self.login)
        form.addRow(self.tr("密码"), self.password)
        lay = QVBoxLayout(self)
        lay.addWidget(title)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(buttons)
        self.login.installEventFilter(self)
        self.setMinimumWidth(420)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt name
        """Enter in the user-name field moves to the password instead of submitting."""
        if obj is self.login and event.type() == QEvent.Type.KeyPress and \
                event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.password.setFocus()
            return True
        return super().eventFilter(obj, event)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt name
        """Enter anywhere else submits (the password field passes it up to us)."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submit()
            event.accept()
            return
        super().keyPressEvent(event)

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
        # ``.accounts`` is read on the worker: on the quick start path it waits there for
        # the store, which opens in the background while the login is shown (app.py)
        services = self._services
        self._runner.submit(lambda: services.accounts.authenticate(login, password), self._ok,
                            self._failed, owner=self)

    def _ok(self, operator) -> None:
        self._busy = False
        self.operator = operator
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        self.ok.setEnabled(True)
        self._show(describe_exception(exc))
        self.password.clear()
        self.password.setFocus()

    def _show(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
