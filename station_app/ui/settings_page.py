"""设置: display (大字模式, 语言), this station, the operators and the idle lock, backups.

Adding operators and the idle-lock minutes are for administrators only (hidden or read-only
for others).  Backups are listed by date and a plain size; 恢复 runs from here with an
administrator's password and a confirmation (restore_dialog.py), after which the window asks
everyone to log in again (``restored`` signal).
"""
from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from petition_core.enums import Level, Role
from petition_core.permissions import LEVEL_STAFF
from station_app.services import BackupInfo, Changes
from station_app.services.session import MAX_LOCK_MINUTES, MIN_LOCK_MINUTES

from . import UiContext
from .first_run import MIN_PASSWORD, OperatorForm, roles_for_level
from .i18n import enum_label, translations
from .messages import describe_exception, error_text
from .restore_dialog import RestoreDialog, backup_line
from .station_rename import RenameStationDialog
from .wording import ask_open_path

log = logging.getLogger(__name__)


class AddOperatorDialog(QDialog):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.created = None
        self.setWindowTitle(self.tr("添加值班人员"))
        # only the roles of this station's level (a county role cannot exist at a village)
        level = Level(int(ctx.station.level))
        self.form = OperatorForm(roles=roles_for_level(level), default_role=LEVEL_STAFF[level])
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
    restored = Signal(object)      # services.Restored: the window asks for a new login
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
        lock_row = QHBoxLayout()
        self.lock_minutes = QSpinBox()
        self.lock_minutes.setRange(MIN_LOCK_MINUTES, MAX_LOCK_MINUTES)
        self.lock_minutes.setSuffix(self.tr(" 分钟"))
        self.lock_minutes.setEnabled(_is_admin(ctx))
        self.save_lock = QPushButton(self.tr("保存"))
        self.save_lock.clicked.connect(self._save_lock_minutes)
        self.save_lock.setVisible(_is_admin(ctx))
        self.lock_result = QLabel()
        lock_row.addWidget(QLabel(self.tr("无人操作多久后锁定屏幕：")))
        lock_row.addWidget(self.lock_minutes)
        lock_row.addWidget(self.save_lock)
        lock_row.addWidget(self.lock_result, 1)
        pl.addLayout(lock_row)

        backup = QGroupBox(self.tr("数据备份"))
        bl = QVBoxLayout(backup)
        hint = QLabel(self.tr("每天第一次打开软件时自动备份。"
                              "恢复时需要管理员的密码；恢复前会先把现在的数据另存一份。"))
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        bl.addWidget(hint)
        brow = QHBoxLayout()
        self.backup_now = QPushButton(self.tr("立即备份"))
        self.backup_now.clicked.connect(self._backup_now)
        self.restore_button = QPushButton(self.tr("恢复所选备份…"))
        self.restore_button.clicked.connect(self._restore_selected)
        self.restore_file = QPushButton(self.tr("从其他位置恢复…"))
        self.restore_file.clicked.connect(self._restore_from_file)
        self.backup_result = QLabel()
        self.backup_result.setWordWrap(True)
        brow.addWidget(self.backup_now)
        brow.addWidget(self.restore_button)
        brow.addWidget(self.restore_file)
        brow.addWidget(self.backup_result, 1)
        bl.addLayout(brow)
        self.backups = QListWidget()
        self.backups.setMaximumHeight(110)
        self.backups.itemActivated.connect(lambda _i: self._restore_selected())
        self.no_backups = QLabel(self.tr("还没有备份。"))
        self.no_backups.setObjectName("emptyState")
        self.no_backups.hide()
        bl.addWidget(self.backups)
        bl.addWidget(self.no_backups)

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
        ctx.runner.changed.connect(self.on_changes)

    def on_changes(self, changes: Changes, _initiator: object) -> None:
        if (changes.operators or changes.backups or changes.station) and self.isVisible():
            self.refresh()

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
        self._ctx.runner.submit(services.session.lock_minutes, self.lock_minutes.setValue,
                                None, owner=self)

    def _show_operators(self, operators) -> None:
        self.operators.clear()
        for op in operators:
            text = self.tr("%1（%2，%3）").replace("%1", op.display_name) \
                .replace("%2", op.login).replace("%3", enum_label(op.role))
            if op.disabled:
                text += self.tr(" — 已停用")
            self.operators.addItem(text)

    def _show_backups(self, backups: list[BackupInfo]) -> None:
        self.backups.clear()
        for b in backups:
            item = QListWidgetItem(backup_line(b))   # date, kind, size: no folders
            item.setData(Qt.ItemDataRole.UserRole, b)
            self.backups.addItem(item)
        if backups:
            self.backups.setCurrentRow(0)
        self.backups.setVisible(bool(backups))
        self.no_backups.setVisible(not backups)
        self.restore_button.setEnabled(bool(backups))

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

    def _backed_up(self, info: BackupInfo) -> None:
        self.backup_now.setEnabled(True)
        self.backup_result.setText(self.tr("备份成功（%1）。").replace("%1", backup_line(info)))
        self.refresh()

    def _restore_selected(self) -> None:
        item = self.backups.currentItem()
        if item is not None:
            self.restore(item.data(Qt.ItemDataRole.UserRole))

    def _restore_from_file(self) -> None:
        path = ask_open_path(self, self.tr("选择备份文件"),
                             self.tr("诉求通备份 (*.db);;所有文件 (*)"))
        if path:
            self.restore(BackupInfo(path=path, created_at="", size=0, kind="file"))

    def restore(self, backup: BackupInfo) -> bool:
        """Ask (password + confirmation) and restore; True when restored."""
        dlg = RestoreDialog(self._ctx, backup, self)
        if dlg.exec() != QDialog.DialogCode.Accepted or dlg.value is None:
            return False
        self.backup_result.setText(self.tr("已恢复。"))
        self.restored.emit(dlg.value)
        return True

    def _save_lock_minutes(self) -> None:
        session, op, minutes = self._ctx.services.session, self._ctx.operator, \
            self.lock_minutes.value()
        self.save_lock.setEnabled(False)
        self._ctx.runner.submit(lambda: session.set_lock_minutes(op, minutes),
                                self._lock_saved, self._lock_failed, owner=self)

    def _lock_saved(self, _changes: Changes) -> None:
        self.save_lock.setEnabled(True)
        self.lock_result.setText(self.tr("已保存。"))

    def _lock_failed(self, exc: BaseException) -> None:
        self.save_lock.setEnabled(True)
        self.lock_result.setText(describe_exception(exc))

    def _backup_failed(self, exc: BaseException) -> None:
        self.backup_now.setEnabled(True)
        self.backup_result.setText(describe_exception(exc))


def _is_admin(ctx: UiContext) -> bool:
    role = getattr(ctx.operator, "role", None)
    return getattr(role, "value", role) == Role.ADMIN.value
