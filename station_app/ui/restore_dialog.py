"""恢复备份 from inside the program: which backup, what will happen, an administrator's
password and an explicit confirmation.

Why all three: a restore replaces the whole station database.  The service keeps a copy of
the data as it is now among the backups and merges every later record back (nothing
registered since is lost), but it is still the one operation a clerk must not do by
accident.  The service checks the password again in the same call that restores, with the
station's automatic sync paused; the window then asks everyone to log in again.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QCheckBox, QWidget

from petition_core.enums import Role
from station_app.services import BackupInfo

from . import UiContext
from .lock import PasswordDialog
from .wording import plain_size


def backup_kind(info: BackupInfo) -> str:
    if info.kind == "pre-restore":
        return QCoreApplication.translate("RestoreDialog", "恢复前自动保存的数据")
    if info.kind == "pre-migrate":
        return QCoreApplication.translate("RestoreDialog", "升级前自动保存的数据")
    if info.kind == "file":
        return Path(info.path).name
    return QCoreApplication.translate("RestoreDialog", "备份")


def backup_line(info: BackupInfo) -> str:
    """"2026-05-01 08:30　备份　约 1.2 MB" — no folders, no bytes."""
    parts = (info.created_at[:16].replace("T", " "), backup_kind(info),
             plain_size(info.size) if info.size else "")
    return " · ".join(p for p in parts if p)


class RestoreDialog(PasswordDialog):
    """``value`` holds the services' ``Restored`` when accepted."""

    def __init__(self, ctx: UiContext, backup: BackupInfo, parent: QWidget | None = None) -> None:
        is_admin = ctx.operator.role == Role.ADMIN
        super().__init__(   # (self.tr is not ready before the base class is)
            ctx.services, ctx.runner, QCoreApplication.translate("RestoreDialog", "恢复备份"),
            QCoreApplication.translate("RestoreDialog", "要把本站数据恢复到这个备份：\n%1\n\n恢复前会先把现在的数据另存一份（列在备份中），这个备份之后登记和办理的记录会保留下来。恢复后请大家重新登录。\n需要管理员的用户名和密码。")  # noqa: E501
            .replace("%1", backup_line(backup)),
            login=ctx.operator.login if is_admin else "", role=Role.ADMIN, parent=parent)
        self._backup = backup
        self.confirm = QCheckBox(self.tr("我确认恢复到这个备份"))
        self.lay.insertWidget(self.lay.indexOf(self.buttons), self.confirm)
        self.setTabOrder(self.password, self.confirm)    # before the buttons, as it is shown
        self.setTabOrder(self.confirm, self.ok)
        self.ok.setText(self.tr("恢复"))

    def ready(self) -> bool:
        if not self.confirm.isChecked():
            self._show(self.tr("请先勾选“我确认恢复到这个备份”。"))
            self.confirm.setFocus()
            return False
        return True

    def work(self, login: str, password: str) -> Callable[[], Any]:
        services, path = self._services, self._backup.path
        return lambda: services.restore_backup(path, login, password)
