"""设置: add an operator (bad and good input), change one's password, back up now."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from station_app.ui.settings_page import AddOperatorDialog, ChangePasswordDialog, SettingsPage


@pytest.fixture
def settings(main_window, ui_runner, settle) -> SettingsPage:
    main_window.show_page("settings")
    settle(ui_runner)
    page = main_window.pages["settings"]
    assert page.operators.count() == 1 and "admin" in page.operators.item(0).text()
    return page


def test_add_operator_bad_then_good(settings, main_window, station_services, ui_runner, settle,
                                    qtbot, type_text):
    assert settings.add_operator.isVisibleTo(settings)           # admin sees it
    dlg = AddOperatorDialog(main_window.ctx, settings)
    dlg.show()
    qtbot.keyClicks(dlg.form.login, "admin")                      # taken: only the service knows
    type_text(dlg.form.display_name, "李四")
    qtbot.keyClicks(dlg.form.password, "lisi12345")
    qtbot.keyClicks(dlg.form.password2, "lisi12345")
    qtbot.mouseClick(dlg.ok, Qt.MouseButton.LeftButton)
    settle(ui_runner)
    assert dlg.isVisible()
    assert dlg.form.errors["login"].text() == "这个用户名已经有人用了，请换一个。"
    assert len(station_services.accounts.list_operators()) == 1
    dlg.form.login.clear()
    qtbot.keyClicks(dlg.form.login, "lisi")
    with qtbot.waitSignal(dlg.accepted, timeout=20000):
        qtbot.mouseClick(dlg.ok, Qt.MouseButton.LeftButton)
    assert dlg.created.login == "lisi" and dlg.created.role.value == "village"
    settings.refresh()
    settle(ui_runner)
    assert settings.operators.count() == 2


def test_change_password(settings, main_window, station_services, ui_runner, settle, qtbot):
    dlg = ChangePasswordDialog(main_window.ctx, settings)
    dlg.show()
    qtbot.keyClicks(dlg.old, "not-the-password")
    qtbot.keyClicks(dlg.new, "short")
    qtbot.keyClicks(dlg.new2, "short")
    qtbot.mouseClick(dlg.ok, Qt.MouseButton.LeftButton)
    assert "至少 8 位" in dlg.error.text()
    dlg.new.setText("newpass123")
    dlg.new2.setText("newpass123")
    qtbot.mouseClick(dlg.ok, Qt.MouseButton.LeftButton)
    settle(ui_runner)
    assert dlg.isVisible() and dlg.error.text() == "原密码不对。"
    dlg.old.setText("admin1234")
    with qtbot.waitSignal(dlg.accepted, timeout=20000):
        qtbot.mouseClick(dlg.ok, Qt.MouseButton.LeftButton)
    assert station_services.accounts.authenticate("admin", "newpass123").login == "admin"


def test_backup_now_lists_the_backup(settings, station_paths, ui_runner, settle, qtbot):
    assert settings.no_backups.isVisibleTo(settings) and settings.backups.count() == 0
    qtbot.mouseClick(settings.backup_now, Qt.MouseButton.LeftButton)
    settle(ui_runner)
    settle(ui_runner)
    assert settings.backup_result.text().startswith("备份成功")
    assert any(station_paths.backups_dir.iterdir())
    assert settings.backups.count() >= 1 and not settings.no_backups.isVisibleTo(settings)
    line = settings.backups.item(0).text()
    # plain words: a date and a rounded size, never bytes, KB or the folder
    assert "很小" in line or "MB" in line
    assert "KB" not in line and str(station_paths.root) not in line
    assert str(station_paths.root) not in settings.backup_result.text()


def test_add_operator_offers_only_the_roles_of_the_stations_level(main_window, settings):
    """Issue 9: a role belongs to the level; a county station offers county staff, not
    village or township clerks (and a village station no county role)."""
    import dataclasses

    from petition_core.enums import Role

    village = AddOperatorDialog(main_window.ctx, settings)
    roles = [village.form.role.itemData(i) for i in range(village.form.role.count())]
    assert Role.COUNTY.value not in roles and Role.TOWNSHIP.value not in roles
    assert village.form.role.currentData() == Role.VILLAGE.value
    ctx = dataclasses.replace(main_window.ctx,
                              station=dataclasses.replace(main_window.ctx.station, level=3))
    county = AddOperatorDialog(ctx, settings)
    roles = [county.form.role.itemData(i) for i in range(county.form.role.count())]
    assert county.form.role.currentData() == Role.COUNTY.value
    assert Role.VILLAGE.value not in roles and Role.SUPERVISOR.value in roles
