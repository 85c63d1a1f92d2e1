"""First run at every level (issue 9 item 1; decisions/0009): the clerk says in plain
Chinese what the station is; a county centre and a county department (县民政局, picked from
the county's register) set up with roles of their level, keyboard only."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from petition_core.enums import Level, Role
from station_app.ui.first_run import KIND_COUNTY, KIND_DEPARTMENT, FirstRunWizard

COUNTY = "530921000000"
MZ = "530921000000.mz"


def _wizard(fresh_services, ui_runner, qtbot):
    wiz = FirstRunWizard(fresh_services, ui_runner)
    qtbot.addWidget(wiz)
    wiz.show()
    return wiz


def _next(qtbot, wiz):
    qtbot.mouseClick(wiz.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)


def _operator(qtbot, wiz, type_text, login):
    form = wiz.operator_page.form
    qtbot.keyClicks(form.login, login)
    type_text(form.display_name, "李明")
    qtbot.keyClicks(form.password, "mima12345")
    qtbot.keyClicks(form.password2, "mima12345")
    return form


def _choose(combo, data) -> None:
    """Choose ``data`` in a combo with the keyboard (focus, then Down until it is current)."""
    combo.setFocus()
    for _ in range(combo.count()):
        if combo.currentData() == data:
            return
        combo.setCurrentIndex(combo.currentIndex() + 1)
    raise AssertionError(f"{data!r} not offered")


def test_a_county_centre_sets_up(fresh_services, ui_runner, qtbot, type_text):
    wiz = _wizard(fresh_services, ui_runner, qtbot)
    page = wiz.division_page
    assert "县（市、区）群众诉求中心" in [page.kind.itemText(i) for i in range(page.kind.count())]
    _choose(page.kind, KIND_COUNTY)
    assert not wiz.button(QWizard.WizardButton.NextButton).isEnabled()   # no county yet
    _choose(page.county, COUNTY)
    assert wiz.button(QWizard.WizardButton.NextButton).isEnabled()
    _next(qtbot, wiz)
    assert wiz.station_page.name.text() == "凤庆县群众诉求中心"
    _next(qtbot, wiz)
    form = _operator(qtbot, wiz, type_text, "wangli")
    roles = [form.role.itemData(i) for i in range(form.role.count())]
    assert Role.COUNTY.value in roles and Role.VILLAGE.value not in roles
    assert Role.TOWNSHIP.value not in roles
    with qtbot.waitSignal(wiz.accepted, timeout=20000):
        qtbot.mouseClick(wiz.button(QWizard.WizardButton.FinishButton),
                         Qt.MouseButton.LeftButton)
    assert wiz.station.level == Level.COUNTY and wiz.station.division == COUNTY
    assert fresh_services.setup.unit() == COUNTY


def test_a_department_picks_its_unit_from_the_register(fresh_services, ui_runner, qtbot,
                                                       type_text):
    wiz = _wizard(fresh_services, ui_runner, qtbot)
    page = wiz.division_page
    _choose(page.kind, KIND_DEPARTMENT)
    assert page.unit_box.isVisible() and page.dept_picker.isVisible()
    page.dept_picker.search.setFocus()
    qtbot.keyClicks(page.dept_picker.search, "fengqing")
    qtbot.keyClick(page.dept_picker.search, Qt.Key.Key_Return)
    assert page.dept_picker.code() == COUNTY
    names = [page.unit_box.itemText(i) for i in range(page.unit_box.count())]
    assert "凤庆县民政局" in names and "凤庆县纪委监委信访室" in names
    assert not wiz.button(QWizard.WizardButton.NextButton).isEnabled()   # no unit yet
    _choose(page.unit_box, MZ)
    assert wiz.button(QWizard.WizardButton.NextButton).isEnabled()
    _next(qtbot, wiz)
    assert wiz.station_page.name.text() == "凤庆县民政局"
    _next(qtbot, wiz)
    form = _operator(qtbot, wiz, type_text, "mzj")
    _choose(form.role, Role.COUNTY.value)
    with qtbot.waitSignal(wiz.accepted, timeout=20000):
        qtbot.mouseClick(wiz.button(QWizard.WizardButton.FinishButton),
                         Qt.MouseButton.LeftButton)
    assert fresh_services.setup.unit() == MZ
    assert fresh_services.accounts.get("mzj").role is Role.COUNTY


def test_a_county_without_registered_departments_says_so(fresh_services, ui_runner, qtbot):
    wiz = _wizard(fresh_services, ui_runner, qtbot)
    page = wiz.division_page
    _choose(page.kind, KIND_DEPARTMENT)
    for place in ("530922000000", "530921108000"):   # 云县: no register shipped; 洛党镇
        assert page.dept_picker.set_code(place)
        assert page.unit_box.count() == 1            # only "请选择部门"
        assert "还没有登记部门" in page.unit_error.text() and page.unit_error.isVisible()
        assert not wiz.button(QWizard.WizardButton.NextButton).isEnabled()
