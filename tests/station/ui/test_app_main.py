"""The composition root end to end: main() → login → main window → daily backup → exit."""
from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from station_app.ui.login import LoginDialog
from station_app.ui.main_window import MainWindow


def test_main_logs_in_opens_window_and_backs_up(station_paths, ui_app, qtbot):
    from station_app.app import main

    seen: dict[str, object] = {}

    def poke():
        modal = QApplication.activeModalWidget()
        if isinstance(modal, LoginDialog) and "login" not in seen:
            seen["login"] = modal.windowTitle()
            seen["app_name"] = QApplication.applicationDisplayName()
            modal.login.setText("admin")
            modal.password.setText("admin1234")
            modal.submit()
        windows = [w for w in QApplication.topLevelWidgets()
                   if isinstance(w, MainWindow) and w.isVisible()]
        if windows and any(station_paths.backups_dir.glob("*")):
            seen["window"] = windows[0].windowTitle()
            seen["font"] = QApplication.font().family()
            windows[0].close()
            timer.stop()

    timer = QTimer()
    timer.timeout.connect(poke)
    timer.start(50)
    rc = main(station_paths, ["suqiu-station"])
    timer.stop()
    assert rc == 0
    # Qt adds " — 诉求通" (the display name) to every title: a title that named the program
    # itself read "诉求通 — 登录 — 诉求通"
    assert seen["app_name"] == "诉求通"
    assert seen["login"] == "登录"
    assert seen["window"] == "鹿鸣村群众诉求站"
    assert seen["font"] == "Noto Sans CJK SC"
    assert any(station_paths.backups_dir.glob("*"))      # the daily backup ran


def test_main_login_cancelled_exits_cleanly(station_paths, ui_app):
    from station_app.app import main

    def cancel():
        modal = QApplication.activeModalWidget()
        if isinstance(modal, LoginDialog):
            modal.reject()

    timer = QTimer()
    timer.timeout.connect(cancel)
    timer.start(50)
    assert main(station_paths, ["suqiu-station"]) == 0
    timer.stop()


def test_first_run_then_login_then_window(fresh_paths, ui_app):
    """Empty data folder: wizard → login (name prefilled) → main window."""
    from PySide6.QtWidgets import QWizard

    from station_app.app import main
    from station_app.ui.first_run import FirstRunWizard

    seen: dict[str, object] = {}

    def poke():
        modal = QApplication.activeModalWidget()
        if isinstance(modal, FirstRunWizard) and "wizard" not in seen:
            seen["wizard"] = True
            modal.division_page.picker.set_code("530921108203")
            modal.next()
            modal.next()
            form = modal.operator_page.form
            form.login.setText("zhangsan")
            form.display_name.setText("张三")
            form.password.setText("mima12345")
            form.password2.setText("mima12345")
            modal.button(QWizard.WizardButton.FinishButton).click()
        elif isinstance(modal, LoginDialog) and "login" not in seen:
            seen["login"] = modal.login.text()
            modal.password.setText("mima12345")
            modal.submit()
        windows = [w for w in QApplication.topLevelWidgets()
                   if isinstance(w, MainWindow) and w.isVisible()]
        if windows:
            seen["operator"] = windows[0].ctx.operator.login
            windows[0].close()
            timer.stop()

    timer = QTimer()
    timer.timeout.connect(poke)
    timer.start(50)
    assert main(fresh_paths, ["suqiu-station"]) == 0
    timer.stop()
    assert seen["login"] == "zhangsan"          # prefilled from the wizard
    assert seen["operator"] == "zhangsan"
