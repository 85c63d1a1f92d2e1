"""设置: display (大字模式, 语言), this station, the operators, and backups.

Adding operators is for administrators only (the form is hidden for others).  Restoring a
backup replaces the whole database and needs the program restarted, so it is done with the
command ``suqiu-station restore FILE`` by a technician; the page only says so and lists the
backups with their dates.
"""
from __future__ import annotations

import logging

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout,
                               QGroupBox, QHBoxLayout, QLabel, QLineEdit, QListWidget,
                               QPushButton,
                               QScrollArea, QVBoxLayout, QWidget)

from petition_core.enums import Role

from . import UiContext
from .first_run import MIN_PASSWORD, OperatorForm
from .i18n import enum_label, translations
from .messages import describe_exception, error_text
from .station_rename import RenameStationDialog

log = logging.getLogger(__name__)


class AddOperatorDialog(QDialog):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.created = None
        self.setWindowTitle(self.tr("添加值班人员"))
        self.form = OperatorForm(default_role=Role.VILLAGE)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.hide()
        buttons = QDialogButtonBox()
        self.ok = buttons.addButton(self.tr("添加"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setDefault(True)
        buttons.addButton(self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.error)
        lay.addWidget(self.form)
        lay.addWidget(buttons)

    def submit(self) -> None:
        if not self.form.check():
            return
        v = self.form.values()
        accounts, actor = self._ctx.services.accounts, self._ctx.operator
        self.ok.setEnabled(False)
        self._ctx.runner.submit(
            lambda: accounts.create_operator(v["login"], v["display_name"], v["password"],
                                             v["role"], actor=actor),
            self._done, self._failed, owner=self)

    def _done(self, operator) -> None:
        self.created = operator
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.ok.setEnabled(True)
        if not self.form.show_service_error(exc):
            self.error.setText(describe_exception(exc))
            self.error.show()


class ChangePasswordDialog(QDialog):
    """The logged-in operator changes their own password (old one first)."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setWindowTitle(self.tr("修改密码"))
        self.old = QLineEdit()
        self.new = QLineEdit()
        self.new2 = QLineEdit()
        for edit in (self.old, self.new, self.new2):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        form = QFormLayout()
        form.addRow(self.tr("原密码"), self.old)
        form.addRow(self.tr("新密码"), self.new)
        form.addRow(self.tr("再输一次新密码"), self.new2)
        buttons = QDialogButtonBox()
        self.ok = buttons.addButton(self.tr("修改"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(buttons)

    def _show(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def submit(self) -> None:
        if not self.old.text():
            self._show(error_text("required"))
            return
        if len(self.new.text()) < MIN_PASSWORD:
            self._show(error_text("password_too_short", {"min": MIN_PASSWORD}))
            return
        if self.new.text() != self.new2.text():
            self._show(error_text("password_mismatch"))
            return
        accounts, login = self._ctx.services.accounts, self._ctx.operator.login
        old, new = self.old.text(), self.new.text()
        self.ok.setEnabled(False)
        self._ctx.runner.submit(lambda: accounts.change_password(login, old, new),
                                lambda _r: self.accept(), self._failed, owner=self)

    def _failed(self, exc: BaseException) -> None:
        self.ok.setEnabled(True)
        if getattr(exc, "code", "") == "auth_failed":
            self._show(error_text("password_wrong"))
        else:
            self._show(describe_exception(exc))


class SettingsPage(QWidget):
    large_font_changed = Signal(bool)
    language_changed = Signal(str)
    station_renamed = Signal(object)   # the new StationInfo

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        title = QLabel(self.tr("设置"))
        title.setObjectName("pageTitle")

        display = QGroupBox(self.tr("显示"))
        self.large_font = QCheckBox(self.tr("大字模式（字体放大，适合老花眼）"))
        self.language = QComboBox()
        self.language.addItem("中文", "zh")
        self.language.addItem("English", "en")
        self.language.setMaximumWidth(220)
        df = QFormLayout(display)
        df.addRow(self.large_font)
        df.addRow(self.tr("界面语言"), self.language)
        self.sync_from_prefs()
        self.large_font.toggled.connect(self.large_font_changed)
        self.language.currentIndexChanged.connect(
            lambda _i: self.language_changed.emit(self.language.currentData()))

        station = QGroupBox(self.tr("本站信息"))
        sf = QFormLayout(station)
        st = ctx.station
        name_row = QHBoxLayout()
        self.station_name = QLabel(st.name)
        self.station_name.setWordWrap(True)
        self.rename_station = QPushButton(self.tr("修改站点名称…"))
        self.rename_station.clicked.connect(self._rename_station)
        self.rename_station.setVisible(_is_admin(ctx))
        name_row.addWidget(self.station_name, 1)
        name_row.addWidget(self.rename_station)
        sf.addRow(self.tr("站点名称"), name_row)
        division = QLabel(st.division_name)
        division.setWordWrap(True)
        sf.addRow(self.tr("所在地区"), division)
        sf.addRow(self.tr("区划代码"), QLabel(st.station_code))

        people = QGroupBox(self.tr("值班人员"))
        pl = QVBoxLayout(people)
        self.operators = QListWidget()
        self.operators.setMaximumHeight(120)
        pl.addWidget(self.operators)
        row = QHBoxLayout()
        self.add_operator = QPushButton(self.tr("添加值班人员"))
        self.add_operator.clicked.connect(self._add_operator)
        self.add_operator.setVisible(_is_admin(ctx))
        row.addWidget(self.add_operator)
        self.change_password = QPushButton(self.tr("修改我的密码"))
        self.change_password.clicked.connect(self._change_password)
        row.addWidget(self.change_password)
        self.account_result = QLabel()
        row.addWidget(self.account_result, 1)
        pl.addLayout(row)

        backup = QGroupBox(self.tr("数据备份"))
        bl = QVBoxLayout(backup)
        hint = QLabel(self.tr("每天第一次打开软件时自动备份。需要恢复时，请联系技术人员运行 “suqiu-station restore 备份文件”。"))
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        bl.addWidget(hint)
        brow = QHBoxLayout()
        self.backup_now = QPushButton(self.tr("立即备份"))
        self.backup_now.clicked.connect(self._backup_now)
        self.backup_result = QLabel()
        self.backup_result.setWordWrap(True)
        brow.addWidget(self.backup_now)
        brow.addWidget(self.backup_result, 1)
        bl.addLayout(brow)
        self.backups = QListWidget()
        self.backups.setMaximumHeight(110)
        bl.addWidget(self.backups)

        body = QWidget()
        bl2 = QVBoxLayout(body)
        bl2.addWidget(title)
        bl2.addWidget(display)
        bl2.addWidget(station)
        bl2.addWidget(people)
        bl2.addWidget(backup)
        bl2.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(scroll)

    def sync_from_prefs(self) -> None:
        """Show the current preferences without emitting change signals."""
        self.large_font.blockSignals(True)
        self.large_font.setChecked(self._ctx.prefs.large_font)
        self.large_font.blockSignals(False)
        self.language.blockSignals(True)
        self.language.setCurrentIndex(max(0, self.language.findData(translations().language)))
        self.language.blockSignals(False)

    def refresh(self) -> None:
        services = self._ctx.services
        self._ctx.runner.submit(services.accounts.list_operators, self._show_operators,
                                lambda exc: self._show_operators([]), owner=self)
        self._ctx.runner.submit(services.backup.list_backups, self._show_backups,
                                lambda exc: self._show_backups([]), owner=self)

    def _show_operators(self, operators) -> None:
        self.operators.clear()
        for op in operators:
            text = f"{op.display_name}（{op.login}，{enum_label(op.role)}）"
            if op.disabled:
                text += self.tr(" — 已停用")
            self.operators.addItem(text)

    def _show_backups(self, backups) -> None:
        self.backups.clear()
        for b in backups:
            self.backups.addItem(f"{b.created_at[:16].replace('T', ' ')}  {b.size // 1024} KB  {b.path}")
        if not backups:
            self.backups.addItem(self.tr("还没有备份。"))

    def _add_operator(self) -> None:
        dlg = AddOperatorDialog(self._ctx, self)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self.refresh()

    def _rename_station(self) -> None:
        dlg = RenameStationDialog(self._ctx, self)
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.station is not None:
            self.station_name.setText(dlg.station.name)
            self.station_renamed.emit(dlg.station)

    def _change_password(self) -> None:
        dlg = ChangePasswordDialog(self._ctx, self)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self.account_result.setText(self.tr("密码已修改，下次登录请用新密码。"))

    def _backup_now(self) -> None:
        self.backup_now.setEnabled(False)
        self.backup_result.setText(self.tr("正在备份…"))
        self._ctx.runner.submit(self._ctx.services.backup.backup_now, self._backed_up,
                                self._backup_failed, owner=self)

    def _backed_up(self, info) -> None:
        self.backup_now.setEnabled(True)
        self.backup_result.setText(self.tr("备份成功：%1").replace("%1", info.path))
        self.refresh()

    def _backup_failed(self, exc: BaseException) -> None:
        self.backup_now.setEnabled(True)
        self.backup_result.setText(describe_exception(exc))


def _is_admin(ctx: UiContext) -> bool:
    role = getattr(ctx.operator, "role", None)
    return getattr(role, "value", role) == Role.ADMIN.value
