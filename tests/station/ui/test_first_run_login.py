"""First-run wizard and login dialog, driven with the keyboard and mouse like a clerk."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from station_app.ui.first_run import FirstRunWizard
from station_app.ui.login import LoginDialog

VILLAGE = "530921108203"


def _wizard(fresh_services, ui_runner, qtbot):
    wiz = FirstRunWizard(fresh_services, ui_runner)
    qtbot.addWidget(wiz)
    wiz.show()
    return wiz


def _click(qtbot, wiz, which):
    qtbot.mouseClick(wiz.button(which), Qt.MouseButton.LeftButton)


def test_division_search_by_initials_and_cascade(fresh_services, ui_runner, qtbot):
    wiz = _wizard(fresh_services, ui_runner, qtbot)
    picker = wiz.division_page.picker
    assert not wiz.button(QWizard.WizardButton.NextButton).isEnabled()  # nothing chosen yet
    qtbot.keyClicks(picker.search, "ldz")
    texts = [picker.results.item(i).text() for i in range(picker.results.count())]
    assert any("洛党镇" in t for t in texts)
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    assert picker.code() == "530921108000"
    assert picker.township.currentText() == "洛党镇"
    assert picker.village.count() > 1  # villages of 洛党镇 now listed
    picker.village.setCurrentIndex(picker.village.findData(VILLAGE))
    assert picker.code() == VILLAGE
    assert "凤庆县" in picker.chosen.text()
    assert wiz.button(QWizard.WizardButton.NextButton).isEnabled()


def test_unknown_search_says_so(fresh_services, ui_runner, qtbot, type_text):
    wiz = _wizard(fresh_services, ui_runner, qtbot)
    picker = wiz.division_page.picker
    type_text(picker.search, "不存在的地方")
    assert "没有找到" in picker.results.item(0).text()
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    assert picker.code() == ""


def test_wizard_bad_then_good_input_creates_station(fresh_services, ui_runner, qtbot, type_text,
                                                    settle):
    wiz = _wizard(fresh_services, ui_runner, qtbot)
    assert wiz.division_page.picker.set_code(VILLAGE)
    _click(qtbot, wiz, QWizard.WizardButton.NextButton)
    assert wiz.currentPage() is wiz.station_page
    assert "群众诉求站" in wiz.station_page.name.text()   # suggested from the village
    wiz.station_page.name.clear()
    _click(qtbot, wiz, QWizard.WizardButton.NextButton)
    assert wiz.currentPage() is wiz.station_page
    assert wiz.station_page.error.text() == "此项必须填写。"
    type_text(wiz.station_page.name, "鹿鸣村群众诉求站")
    _click(qtbot, wiz, QWizard.WizardButton.NextButton)
    assert wiz.currentPage() is wiz.operator_page

    form = wiz.operator_page.form
    qtbot.keyClicks(form.login, "Bad Login!")
    qtbot.keyClicks(form.password, "short")
    qtbot.keyClicks(form.password2, "different")
    _click(qtbot, wiz, QWizard.WizardButton.FinishButton)
    settle(ui_runner)
    assert wiz.isVisible() and not fresh_services.setup.is_initialised()
    assert "小写字母" in form.errors["login"].text()
    assert form.errors["display_name"].text() == "此项必须填写。"
    assert "至少 8 位" in form.errors["password"].text()
    assert form.errors["password2"].text() == "两次输入的密码不一样。"

    form.login.clear()
    qtbot.keyClicks(form.login, "zhangsan")
    type_text(form.display_name, "张三")
    form.password.clear()
    form.password2.clear()
    qtbot.keyClicks(form.password, "mima12345")
    qtbot.keyClicks(form.password2, "mima12345")
    with qtbot.waitSignal(wiz.accepted, timeout=20000):
        _click(qtbot, wiz, QWizard.WizardButton.FinishButton)
    assert fresh_services.setup.is_initialised()
    assert wiz.station.station_code == VILLAGE and wiz.station.name == "鹿鸣村群众诉求站"
    assert wiz.operator.login == "zhangsan"
    assert fresh_services.accounts.authenticate("zhangsan", "mima12345").display_name == "张三"


def test_wizard_shows_service_refusal_inline(fresh_services, ui_runner, qtbot, type_text, settle):
    """A refusal that only the service can know (station already set up elsewhere)."""
    fresh_services.setup.initialise(VILLAGE, "别的站", "other", "other1234", "别人")
    wiz = _wizard(fresh_services, ui_runner, qtbot)
    wiz.division_page.picker.set_code(VILLAGE)
    _click(qtbot, wiz, QWizard.WizardButton.NextButton)
    _click(qtbot, wiz, QWizard.WizardButton.NextButton)
    form = wiz.operator_page.form
    qtbot.keyClicks(form.login, "zhangsan")
    type_text(form.display_name, "张三")
    qtbot.keyClicks(form.password, "mima12345")
    qtbot.keyClicks(form.password2, "mima12345")
    _click(qtbot, wiz, QWizard.WizardButton.FinishButton)
    settle(ui_runner)
    assert wiz.isVisible()
    assert "不能重复设置" in wiz.operator_page.top_error.text()
    assert fresh_services.setup.station().name == "别的站"


def test_login_wrong_password_then_enter_submits(station_services, ui_runner, qtbot, settle):
    dlg = LoginDialog(station_services, ui_runner, "鹿鸣村群众诉求站")
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.activateWindow()
    qtbot.keyClicks(dlg.login, "admin")
    qtbot.keyClick(dlg.login, Qt.Key.Key_Return)          # Enter moves to the password
    assert dlg.focusWidget() is dlg.password
    assert not dlg.error.isVisibleTo(dlg)
    qtbot.keyClicks(dlg.password, "wrong-password")
    qtbot.keyClick(dlg.password, Qt.Key.Key_Return)
    settle(ui_runner)
    assert dlg.operator is None and dlg.isVisible()
    assert "用户名或密码不对" in dlg.error.text()
    assert dlg.password.text() == "" and dlg.login.text() == "admin"
    qtbot.keyClicks(dlg.password, "admin1234")
    with qtbot.waitSignal(dlg.accepted, timeout=20000):
        qtbot.keyClick(dlg.password, Qt.Key.Key_Return)
    assert dlg.operator.login == "admin"


def test_login_empty_fields(station_services, ui_runner, qtbot):
    dlg = LoginDialog(station_services, ui_runner)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.keyClick(dlg.password, Qt.Key.Key_Return)
    assert dlg.error.text() == "此项必须填写。"
    assert not ui_runner.is_busy()


def test_the_login_dialog_says_in_chinese_how_long_to_wait(station_services, ui_runner, qtbot):
    """Issue 7 B9: failed logins back off, and the clerk reads how long to wait."""
    from station_app.ui.login import LoginDialog

    dlg = LoginDialog(station_services, ui_runner, "鹿鸣村")
    qtbot.addWidget(dlg)
    dlg.login.setText("admin")
    for _ in range(4):
        dlg.password.setText("wrong-pass")
        dlg.submit()
        qtbot.waitUntil(lambda: dlg.ok.isEnabled(), timeout=20000)
    assert "30 秒后再试" in dlg.error.text() and dlg.operator is None
    from station_app.services import login_guard

    with station_services.accounts._store.session() as s:   # 4 more, long apart: 8 minutes
        for _ in range(4):
            login_guard.record_failure(s, "admin", login_guard.utcnow())
    dlg.password.setText("admin1234")
    dlg.submit()
    qtbot.waitUntil(lambda: dlg.ok.isEnabled(), timeout=20000)
    assert "8 分钟后再试" in dlg.error.text() and dlg.operator is None
