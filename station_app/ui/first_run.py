"""First run: which place this station serves, its name, and the first operator.

A village clerk does this once, maybe with a township cadre on the phone, so each step is one
question with the answer checked at once and errors written under the field in Chinese.
Nothing is saved until the last step; then one service call (setup.initialise, one
transaction) creates the station and the operator, so a half-finished setup cannot exist.
"""
from __future__ import annotations

import logging
import re
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from petition_core.divisions import DivisionTree
from petition_core.enums import Level, Role

from .division_picker import DivisionPicker
from .i18n import enum_label
from .messages import describe_exception, error_text
from .runner import Runner

log = logging.getLogger(__name__)

LOGIN_RE = re.compile(r"^[a-z0-9_]{3,20}$")
MIN_PASSWORD = 8
NAME_MAX = 30
STATION_NAME_MAX = 40

# which form field shows a service error code
_CODE_FIELD = {"login_invalid": "login", "login_taken": "login",
               "password_too_short": "password", "password_too_long": "password",
               "display_name_invalid": "display_name", "role_invalid": "role",
               "station_name_invalid": "station_name"}


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("fieldError")
    label.setWordWrap(True)
    label.hide()
    return label


class OperatorForm(QWidget):
    """Login, name, password twice, role — with an error line under each (also used by
    the settings page to add operators)."""

    def __init__(self, roles: list[Role] | None = None, default_role: Role = Role.ADMIN,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.login = QLineEdit()
        self.login.setPlaceholderText(self.tr("小写字母、数字或下划线，3到20位，如 zhangsan"))
        self.display_name = QLineEdit()
        self.display_name.setPlaceholderText(self.tr("真实姓名，如 张三"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("至少8位"))
        self.password2 = QLineEdit()
        self.password2.setEchoMode(QLineEdit.EchoMode.Password)
        self.role = QComboBox()
        for role in roles or list(Role):
            self.role.addItem(enum_label(role), role.value)
        self.role.setCurrentIndex(max(0, self.role.findData(default_role.value)))
        self.errors: dict[str, QLabel] = {}
        self.widgets: dict[str, QWidget] = {"login": self.login, "display_name": self.display_name,
                                            "password": self.password, "password2": self.password2,
                                            "role": self.role}
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        labels = {"login": self.tr("用户名"), "display_name": self.tr("姓名"),
                  "password": self.tr("密码"), "password2": self.tr("再输一次密码"),
                  "role": self.tr("角色")}
        for key, widget in self.widgets.items():
            box = QWidget()
            lay = QVBoxLayout(box)
            lay.setContentsMargins(0, 0, 0, 0)
            lay.setSpacing(2)
            lay.addWidget(widget)
            self.errors[key] = _error_label()
            lay.addWidget(self.errors[key])
            form.addRow(labels[key], box)

    def values(self) -> dict[str, Any]:
        return {"login": self.login.text().strip(),
                "display_name": self.display_name.text().strip(),
                "password": self.password.text(), "role": self.role.currentData()}

    def clear_errors(self) -> None:
        for key, label in self.errors.items():
            label.hide()
            self.widgets[key].setProperty("invalid", False)
            self.widgets[key].style().polish(self.widgets[key])

    def show_error(self, key: str, text: str) -> None:
        self.errors[key].setText(text)
        self.errors[key].show()
        self.widgets[key].setProperty("invalid", True)
        self.widgets[key].style().polish(self.widgets[key])

    def check(self) -> bool:
        """Local checks (the services check again); shows every error at once."""
        self.clear_errors()
        v = self.values()
        bad: list[str] = []
        if not v["login"]:
            self.show_error("login", error_text("required"))
            bad.append("login")
        elif not LOGIN_RE.match(v["login"]):
            self.show_error("login", error_text("login_invalid"))
            bad.append("login")
        if not v["display_name"]:
            self.show_error("display_name", error_text("required"))
            bad.append("display_name")
        elif len(v["display_name"]) > NAME_MAX:
            self.show_error("display_name", error_text("too_long", {"max": NAME_MAX}))
            bad.append("display_name")
        if len(v["password"]) < MIN_PASSWORD:
            self.show_error("password", error_text("password_too_short", {"min": MIN_PASSWORD}))
            bad.append("password")
        if self.password2.text() != v["password"]:
            self.show_error("password2", error_text("password_mismatch"))
            bad.append("password2")
        if bad:
            self.widgets[bad[0]].setFocus()
        return not bad

    def show_service_error(self, exc: BaseException) -> bool:
        """Put a service refusal under its field; False when it belongs to no field."""
        key = _CODE_FIELD.get(getattr(exc, "code", ""))
        if key is None:
            return False
        self.show_error(key, describe_exception(exc))
        self.widgets[key].setFocus()
        return True


class DivisionPage(QWizardPage):
    def __init__(self, tree: DivisionTree) -> None:
        super().__init__()
        self.setTitle(self.tr("第一步：本站在哪里"))
        self.setSubTitle(self.tr("选择本站所在的乡（镇），村级站还要选到村（社区）。可以直接输入名称或拼音首字母查找。"))
        self.picker = DivisionPicker(tree, min_level=Level.TOWNSHIP)
        self.picker.changed.connect(lambda _c: self.completeChanged.emit())
        lay = QVBoxLayout(self)
        lay.addWidget(self.picker)
        lay.addStretch(1)

    def isComplete(self) -> bool:  # noqa: N802 - Qt name
        return bool(self.picker.code())


def suggested_name(tree: DivisionTree, code: str, village_suffix: str,
                   township_suffix: str) -> str:
    """洛党镇鹿鸣村 + 群众诉求站, 洛党镇 + 群众诉求中心 ("村民委员会" shortened to "村")."""
    div = tree.get(code)
    if div is None:
        return ""
    if div.level != Level.VILLAGE:
        return div.name + township_suffix
    parent = tree.get(div.parent_code) if div.parent_code else None
    name = div.name.replace("村民委员会", "村").replace("社区居民委员会", "社区")
    return (parent.name if parent else "") + name + village_suffix


class StationPage(QWizardPage):
    def __init__(self, tree: DivisionTree) -> None:
        super().__init__()
        self._tree = tree
        self.setTitle(self.tr("第二步：站点名称"))
        self.setSubTitle(self.tr("这个名称会印在给群众的回执上。"))
        self.name = QLineEdit()
        self.error = _error_label()
        self._suggested = ""
        form = QFormLayout(self)
        form.addRow(self.tr("站点名称"), self.name)
        form.addRow("", self.error)

    def suggest(self, code: str) -> None:
        """Name the station after its division — again whenever the division changes, until
        the clerk writes a name of their own (a village must not keep its township's name
        because the township was chosen first)."""
        div = self._tree.get(code)
        current = self.name.text().strip()
        if div is None or (current and current != self._suggested):
            return
        self._suggested = suggested_name(self._tree, code, self.tr("群众诉求站"),
                                         self.tr("群众诉求中心"))
        self.name.setText(self._suggested)

    def validatePage(self) -> bool:  # noqa: N802 - Qt name
        text = self.name.text().strip()
        if not text:
            self.error.setText(error_text("required"))
        elif len(text) > STATION_NAME_MAX:
            self.error.setText(error_text("too_long", {"max": STATION_NAME_MAX}))
        else:
            self.error.hide()
            return True
        self.error.show()
        self.name.setFocus()
        return False


class OperatorPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("第三步：第一位值班人员"))
        self.setSubTitle(self.tr("这个账号是本站的管理员，以后可以在“设置”里添加其他人员。请记住密码。"))
        self.form = OperatorForm(default_role=Role.ADMIN)
        self.top_error = _error_label()
        lay = QVBoxLayout(self)
        lay.addWidget(self.top_error)
        lay.addWidget(self.form)
        lay.addStretch(1)


class FirstRunWizard(QWizard):
    """On success ``station`` and ``operator`` hold what the services created."""

    def __init__(self, services: Any, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._runner = runner
        self._saving = False
        self._done = False
        self.station = None
        self.operator = None
        self.setWindowTitle(self.tr("首次设置"))   # Qt adds " — 诉求通"
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("下一步"))
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("上一步"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("完成设置"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("取消"))
        tree = DivisionTree.load_default()
        self.division_page = DivisionPage(tree)
        self.station_page = StationPage(tree)
        self.operator_page = OperatorPage()
        self.addPage(self.division_page)
        self.addPage(self.station_page)
        self.addPage(self.operator_page)
        self.currentIdChanged.connect(self._on_page)
        self.resize(760, 560)

    def _on_page(self, page_id: int) -> None:
        if self.page(page_id) is self.station_page:
            self.station_page.suggest(self.division_page.picker.code())

    def validateCurrentPage(self) -> bool:  # noqa: N802 - Qt name
        if self.currentPage() is not self.operator_page:
            return super().validateCurrentPage()
        if self._done:
            return True
        if self._saving or not self.operator_page.form.check():
            return False
        self._save()
        return False  # finishes from the callback once the station exists

    def _save(self) -> None:
        self._saving = True
        self.button(QWizard.WizardButton.FinishButton).setEnabled(False)
        self.operator_page.top_error.hide()
        v = self.operator_page.form.values()
        code = self.division_page.picker.code()
        name = self.station_page.name.text().strip()
        setup, accounts = self._services.setup, self._services.accounts

        def work():
            station = setup.initialise(code, name, v["login"], v["password"], v["display_name"],
                                       v["role"])
            return station, accounts.get(v["login"])

        self._runner.submit(work, self._saved, self._failed, owner=self)

    def _saved(self, result) -> None:
        self._saving = False
        self.station, self.operator = result
        self._done = True
        log.info("station initialised")
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._saving = False
        self.button(QWizard.WizardButton.FinishButton).setEnabled(True)
        if not self.operator_page.form.show_service_error(exc):
            self.operator_page.top_error.setText(describe_exception(exc))
            self.operator_page.top_error.show()
