"""First run: which place this station serves (and, for a department, which unit it is), its
name, and the first operator.

The first question is the station's level in plain words: a village station or township
centre (the usual case: pick the place in the cascade), a county centre, a county department
(县民政局: pick the county, then the department from the county's register), a city or the
province (issue 9 item 1; decisions/0009).

A village clerk does this once, maybe with a township cadre on the phone, so each step is one
question with the answer checked at once and errors written under the field in Chinese.
Nothing is saved until the last step; then one service call (setup.initialise, one
transaction) creates the station and the operator, so a half-finished setup cannot exist.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from petition_core.divisions import DivisionTree, level_of_code
from petition_core.enums import Level, Role
from petition_core.permissions import LEVEL_ROLES

from .division_picker import YUNNAN, DivisionPicker
from .i18n import enum_label
from .messages import describe_exception, error_text
from .runner import Runner

log = logging.getLogger(__name__)


def roles_for_level(level: Level) -> list[Role]:
    """The roles an operator at a station of ``level`` may have, in the Role enum's order."""
    return [r for r in Role if r in LEVEL_ROLES[level]]

LOGIN_RE = re.compile(r"^[a-z0-9_]{3,20}$")
MIN_PASSWORD = 8
NAME_MAX = 30
STATION_NAME_MAX = 40

# which form field shows a service error code
_CODE_FIELD = {"login_invalid": "login", "login_taken": "login",
               "password_too_short": "password", "password_too_long": "password",
               "display_name_invalid": "display_name", "role_invalid": "role",
               "role_not_for_level": "role", "station_name_invalid": "station_name"}

# the level choice: key → the level of the division the station serves
KIND_LOCAL, KIND_COUNTY, KIND_DEPARTMENT, KIND_CITY, KIND_PROVINCE = (
    "local", "county", "department", "city", "province")


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
        self.set_roles(roles or list(Role), default_role)
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

    def set_roles(self, roles: list[Role], default_role: Role = Role.ADMIN) -> None:
        """Offer ``roles`` only (a station's level allows some: permissions.LEVEL_ROLES)."""
        current = self.role.currentData()
        self.role.clear()
        for role in roles:
            self.role.addItem(enum_label(role), role.value)
        keep = self.role.findData(current) if current else -1
        self.role.setCurrentIndex(keep if keep >= 0 else
                                  max(0, self.role.findData(default_role.value)))

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
    """The station's level, then its place (and a department's unit).  ``code()`` is the
    division, ``unit()`` the department chosen ("" for a centre)."""

    def __init__(self, tree: DivisionTree, units: Any = None) -> None:
        super().__init__()
        self._tree = tree
        self._units: Callable[[str], list[tuple[str, str]]] = \
            units or (lambda _division: [])
        self.setTitle(self.tr("第一步：本站在哪里"))
        self.setSubTitle(self.tr("先选本站是哪一级，再选地方。可以直接输入名称或拼音首字母查找。"))
        self.kind = QComboBox()
        for key, text in (
                (KIND_LOCAL, self.tr("村（社区）群众诉求站，或乡（镇）群众诉求中心")),
                (KIND_COUNTY, self.tr("县（市、区）群众诉求中心")),
                (KIND_DEPARTMENT, self.tr("县直部门或乡（镇）站所，如县民政局、镇司法所")),
                (KIND_CITY, self.tr("市（州）群众诉求中心")),
                (KIND_PROVINCE, self.tr("省群众诉求中心"))):
            self.kind.addItem(text, key)
        self.hint = QLabel()
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        self.picker = DivisionPicker(tree, min_level=Level.TOWNSHIP)
        self.picker.changed.connect(lambda _c: self.completeChanged.emit())
        # a department: the county or township it belongs to, then the unit
        self.dept_picker = DivisionPicker(tree, min_level=Level.COUNTY, max_level=Level.TOWNSHIP)
        self.dept_picker.changed.connect(lambda _c: self._fill_units())
        self.county = QComboBox()
        self.city = QComboBox()
        self.province = QComboBox()
        self.unit_box = QComboBox()
        self.unit_error = _error_label()
        cities = tree.children(YUNNAN)
        self.city.addItem(self.tr("请选择市（州）"), "")
        self.county.addItem(self.tr("请选择县（市、区）"), "")
        for city in cities:
            self.city.addItem(city.name, city.code)
            for county in tree.children(city.code):
                self.county.addItem(f"{city.name} {county.name}", county.code)
        root = tree.get(YUNNAN)
        self.province.addItem(root.name if root else "云南省", YUNNAN)
        for combo in (self.county, self.city, self.province, self.unit_box):
            combo.currentIndexChanged.connect(lambda _i: self.completeChanged.emit())

        county_page, dept_page = QWidget(), QWidget()
        QFormLayout(county_page).addRow(self.tr("县（市、区）"), self.county)
        dept_lay = QVBoxLayout(dept_page)
        dept_lay.setContentsMargins(0, 0, 0, 0)
        dept_lay.addWidget(self.dept_picker)
        form = QFormLayout()
        form.addRow(self.tr("部门"), self.unit_box)
        form.addRow("", self.unit_error)
        dept_lay.addLayout(form)
        city_page, province_page = QWidget(), QWidget()
        QFormLayout(city_page).addRow(self.tr("市（州）"), self.city)
        QFormLayout(province_page).addRow(self.tr("省"), self.province)
        self.stack = QStackedWidget()
        for w in (self.picker, county_page, dept_page, city_page, province_page):
            self.stack.addWidget(w)
        top = QFormLayout()
        top.addRow(self.tr("本站是"), self.kind)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.hint)
        lay.addWidget(self.stack)
        lay.addStretch(1)
        self.kind.currentIndexChanged.connect(self._on_kind)
        self._on_kind()

    def kind_key(self) -> str:
        return str(self.kind.currentData())

    def set_kind(self, key: str) -> None:
        self.kind.setCurrentIndex(max(0, self.kind.findData(key)))

    def _on_kind(self) -> None:
        key = self.kind_key()
        self.stack.setCurrentIndex({KIND_LOCAL: 0, KIND_COUNTY: 1, KIND_DEPARTMENT: 2,
                                    KIND_CITY: 3, KIND_PROVINCE: 4}[key])
        self.hint.setText({
            KIND_LOCAL: self.tr("选择本站所在的乡（镇），村级站还要选到村（社区）。"),
            KIND_COUNTY: self.tr("选择本县（市、区）。"),
            KIND_DEPARTMENT: self.tr("先选县（市、区），乡（镇）站所还要选到乡（镇），"
                                     "再从县里登记的部门中选本单位。"
                                     "列表里没有的部门，请县群众诉求中心先登记。"),
            KIND_CITY: self.tr("选择本市（州）。"),
            KIND_PROVINCE: self.tr("本省。"),
        }[key])
        self._fill_units()
        self.completeChanged.emit()

    def _fill_units(self) -> None:
        blocked = self.unit_box.blockSignals(True)
        self.unit_box.clear()
        place = self.dept_picker.code()
        units = self._units(place) if place and self.kind_key() == KIND_DEPARTMENT else []
        self.unit_box.addItem(self.tr("请选择部门"), "")
        for code, name in units:
            self.unit_box.addItem(name, code)
        self.unit_box.blockSignals(blocked)
        if place and self.kind_key() == KIND_DEPARTMENT and not units:
            self.unit_error.setText(self.tr("这里还没有登记部门，请先与县服务器同步，"
                                            "或请县群众诉求中心登记。"))
            self.unit_error.show()
        else:
            self.unit_error.hide()
        self.completeChanged.emit()

    def code(self) -> str:
        key = self.kind_key()
        if key == KIND_LOCAL:
            return self.picker.code()
        if key == KIND_DEPARTMENT:
            return self.dept_picker.code()
        combo = {KIND_COUNTY: self.county, KIND_CITY: self.city,
                 KIND_PROVINCE: self.province}[key]
        return str(combo.currentData() or "")

    def unit(self) -> str:
        return str(self.unit_box.currentData() or "") if self.kind_key() == KIND_DEPARTMENT \
            else ""

    def unit_name(self) -> str:
        return self.unit_box.currentText() if self.unit() else ""

    def isComplete(self) -> bool:  # noqa: N802 - Qt name
        return bool(self.code()) and (self.kind_key() != KIND_DEPARTMENT or bool(self.unit()))


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

    def suggest(self, code: str, unit_name: str = "") -> None:
        """Name the station after its division (a department: after its unit) — again
        whenever the choice changes, until the clerk writes a name of their own (a village
        must not keep its township's name because the township was chosen first)."""
        div = self._tree.get(code)
        current = self.name.text().strip()
        if div is None or (current and current != self._suggested):
            return
        self._suggested = unit_name or suggested_name(
            self._tree, code, self.tr("群众诉求站"), self.tr("群众诉求中心"))
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
        self.division_page = DivisionPage(tree, services.setup.units)
        self.station_page = StationPage(tree)
        self.operator_page = OperatorPage()
        self.addPage(self.division_page)
        self.addPage(self.station_page)
        self.addPage(self.operator_page)
        self.currentIdChanged.connect(self._on_page)
        self.resize(760, 560)

    def _on_page(self, page_id: int) -> None:
        if self.page(page_id) is self.station_page:
            self.station_page.suggest(self.division_page.code(), self.division_page.unit_name())
        elif self.page(page_id) is self.operator_page:
            code = self.division_page.code()
            if code:
                self.operator_page.form.set_roles(roles_for_level(level_of_code(code)))

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
        code = self.division_page.code()
        unit = self.division_page.unit() or None
        name = self.station_page.name.text().strip()
        setup, accounts = self._services.setup, self._services.accounts

        def work():
            station = setup.initialise(code, name, v["login"], v["password"], v["display_name"],
                                       v["role"], unit=unit)
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
