"""First run and the station's name (issue 8 B5, C8): the division search by keyboard, the
name following the chosen division, renaming the station later, and a cancelled first run
leaving no data folder behind."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QWizard

from station_app.paths import AppPaths
from station_app.services import ServiceError
from station_app.ui.first_run import FirstRunWizard

TOWNSHIP, LUMING, LIMA = "530921108000", "530921108203", "530921107203"


@pytest.fixture
def wizard(fresh_services, ui_runner, qtbot):
    wiz = FirstRunWizard(fresh_services, ui_runner)
    qtbot.addWidget(wiz)
    wiz.show()
    qtbot.waitExposed(wiz)
    wiz.activateWindow()
    return wiz


def _search(qtbot, wiz, text: str, *keys: Qt.Key) -> None:
    picker = wiz.division_page.picker
    picker.search.setFocus()
    qtbot.keyClicks(picker.search, text)
    for key in keys:
        qtbot.keyClick(picker.search, key)


def test_enter_in_the_search_takes_the_place_and_stays_on_the_step(wizard, qtbot):
    """Enter took the township *and* pressed 下一步: the clerk never saw the village list."""
    _search(qtbot, wizard, "ldz", Qt.Key.Key_Return)
    picker = wizard.division_page.picker
    assert picker.code() == TOWNSHIP
    assert wizard.currentPage() is wizard.division_page
    assert picker.village.count() > 1                   # now the villages can be chosen
    _search(qtbot, wizard, "lmc", Qt.Key.Key_Down, Qt.Key.Key_Down, Qt.Key.Key_Return)
    assert picker.code() == LUMING                      # the highlighted one: 鹿鸣村
    assert wizard.currentPage() is wizard.division_page
    _search(qtbot, wizard, "lmc", Qt.Key.Key_Escape)    # Esc closes the list, not the wizard
    assert picker.results.isHidden() and wizard.isVisible()
    assert wizard.currentPage() is wizard.division_page
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)    # list closed: Enter is 下一步 again
    assert wizard.currentPage() is wizard.station_page


def test_the_name_follows_the_division_until_the_clerk_edits_it(wizard, qtbot, type_text):
    _search(qtbot, wizard, "ldz", Qt.Key.Key_Return)
    wizard.next()
    name = wizard.station_page.name
    assert name.text() == "洛党镇群众诉求中心"
    wizard.back()                                        # the clerk meant the village
    _search(qtbot, wizard, "lmc", Qt.Key.Key_Down, Qt.Key.Key_Down, Qt.Key.Key_Return)
    wizard.next()
    assert name.text() == "洛党镇鹿鸣村群众诉求站"
    wizard.back()
    _search(qtbot, wizard, "lmc", Qt.Key.Key_Down, Qt.Key.Key_Return)
    wizard.next()
    assert name.text() == "雪山镇立马村群众诉求站"
    name.setFocus()
    qtbot.keyClick(name, Qt.Key.Key_End)
    qtbot.keyClick(name, Qt.Key.Key_Backspace)
    type_text(name, "点")                                # the clerk's own name now
    own = name.text()
    wizard.back()
    _search(qtbot, wizard, "lmc", Qt.Key.Key_Down, Qt.Key.Key_Down, Qt.Key.Key_Return)
    wizard.next()
    assert name.text() == own                            # an edited name is kept


# ---- renaming ------------------------------------------------------------------------------
def test_rename_service_rules(station_services):
    setup, accounts = station_services.setup, station_services.accounts
    admin = accounts.authenticate("admin", "admin1234")
    accounts.create_operator("lisi", "李四", "lisi12345", "village", actor=admin)
    clerk = accounts.authenticate("lisi", "lisi12345")
    station = setup.station()
    with pytest.raises(ServiceError) as ei:
        setup.rename(clerk, "李四的站")
    assert ei.value.code == "permission_denied"
    for bad in ("", "   ", "站" * 41, "鹿鸣\x07村"):
        with pytest.raises(ServiceError) as ei:
            setup.rename(admin, bad)
        assert ei.value.code == "station_name_invalid" and ei.value.params == {"max": 40}
    assert setup.station().name == station.name
    info = setup.rename(admin, "  洛党镇 鹿鸣村群众诉求站 ")
    assert info.name == "洛党镇 鹿鸣村群众诉求站"
    assert (info.station_id, info.division, info.station_code) == \
        (station.station_id, station.division, station.station_code)   # identity unchanged
    # the answer says the station changed (the runner broadcasts it); the same name again
    # changes nothing; what a rename answers is still the station as it is stored
    assert info.changes.station and not info.changes.any_case
    assert not setup.rename(admin, info.name).changes
    assert setup.station() == info
    op = accounts.authenticate("admin", "admin1234")
    from station_app.app import _sample_form

    reg = station_services.intake.register(_sample_form(station_services, 0), op)
    assert station_services.documents.receipt_data(reg.case_id).station_name == info.name


def test_admin_renames_the_station_in_settings(main_window, ui_runner, settle, qtbot,
                                               type_text, station_services):
    from station_app.ui.station_rename import RenameStationDialog

    main_window.show_page("settings")
    settle(ui_runner)
    settings = main_window.pages["settings"]
    assert settings.rename_station.isVisibleTo(settings)
    seen: dict[str, object] = {}
    broadcast: list = []
    ui_runner.changed.connect(lambda changes, _who: broadcast.append(changes))

    def rename() -> None:
        dlg = QApplication.activeModalWidget()
        assert isinstance(dlg, RenameStationDialog)
        dlg.name.selectAll()
        qtbot.keyClick(dlg.name, Qt.Key.Key_Delete)
        qtbot.keyClick(dlg.name, Qt.Key.Key_Return)      # empty: refused, stays open
        seen["empty"] = dlg.error.text()
        type_text(dlg.name, "洛党镇鹿鸣村群众诉求站")
        qtbot.keyClick(dlg.name, Qt.Key.Key_Return)

    QTimer.singleShot(0, rename)
    settings.rename_station.setFocus()
    qtbot.keyClick(settings.rename_station, Qt.Key.Key_Space)
    settle(ui_runner)
    assert seen["empty"] == "此项必须填写。"
    assert station_services.setup.station().name == "洛党镇鹿鸣村群众诉求站"
    assert main_window.ctx.station.name == "洛党镇鹿鸣村群众诉求站"
    assert "洛党镇鹿鸣村群众诉求站" in main_window.windowTitle()
    assert "洛党镇鹿鸣村群众诉求站" in main_window.station_label.text()
    assert main_window.current_key() == "settings"
    assert main_window.pages["settings"].station_name.text() == "洛党镇鹿鸣村群众诉求站"
    assert any(c.station for c in broadcast)      # open screens heard of the rename


def test_a_clerk_cannot_rename(station_services, station_paths, ui_runner, qtbot):
    from station_app.ui import UiContext
    from station_app.ui.i18n import UiPrefs
    from station_app.ui.settings_page import SettingsPage

    admin = station_services.accounts.authenticate("admin", "admin1234")
    station_services.accounts.create_operator("lisi", "李四", "lisi12345", "village",
                                              actor=admin)
    ctx = UiContext(services=station_services, runner=ui_runner,
                    operator=station_services.accounts.authenticate("lisi", "lisi12345"),
                    station=station_services.setup.station(), prefs=UiPrefs(station_paths.root))
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    assert not page.rename_station.isVisibleTo(page)


# ---- a cancelled first run ------------------------------------------------------------------
def _cancel_wizard() -> None:
    modal = QApplication.activeModalWidget()
    if isinstance(modal, FirstRunWizard):
        modal.button(QWizard.WizardButton.CancelButton).click()


def _run_and_cancel(paths: AppPaths) -> int:
    from station_app.app import main

    timer = QTimer()
    timer.timeout.connect(_cancel_wizard)
    timer.start(50)
    try:
        return main(paths, ["suqiu-station"])
    finally:
        timer.stop()


def test_cancelled_first_run_leaves_no_data_folder(tmp_path, ui_app):
    root = tmp_path / "new-station"
    assert _run_and_cancel(AppPaths(root)) == 1
    assert not root.exists()


def test_cancelled_first_run_in_an_existing_folder_keeps_what_was_there(tmp_path, ui_app):
    root = tmp_path / "chosen"
    (root / "logs").mkdir(parents=True)
    (root / "logs" / "old.log").write_text("earlier", encoding="utf-8")
    (root / "notes.txt").write_text("the clerk's file", encoding="utf-8")
    assert _run_and_cancel(AppPaths(root)) == 1
    assert sorted(p.name for p in root.iterdir()) == ["logs", "notes.txt"]
    assert (root / "logs" / "old.log").read_text(encoding="utf-8") == "earlier"


def test_first_run_that_finished_is_kept(tmp_path, ui_app):
    """Only an unfinished first run is undone: a set-up station is never touched."""
    from station_app.app import main
    from station_app.ui.login import LoginDialog

    paths = AppPaths(tmp_path / "done")

    def poke() -> None:
        modal = QApplication.activeModalWidget()
        if isinstance(modal, FirstRunWizard) and not modal.property("filled"):
            modal.setProperty("filled", True)
            modal.division_page.picker.set_code(LUMING)
            modal.next()
            modal.next()
            form = modal.operator_page.form
            form.login.setText("zhangsan")
            form.display_name.setText("张三")
            form.password.setText("mima12345")
            form.password2.setText("mima12345")
            modal.button(QWizard.WizardButton.FinishButton).click()
        elif isinstance(modal, LoginDialog):
            modal.reject()

    timer = QTimer()
    timer.timeout.connect(poke)
    timer.start(50)
    try:
        assert main(paths, ["suqiu-station"]) == 0
    finally:
        timer.stop()
    assert paths.db_path.exists()
