"""The main window: pages, keyboard, status bar, large font, English, fitting 1366×768."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel

from station_app.ui.casebook import CasebookPage
from station_app.ui.dashboard import DashboardPage
from station_app.ui.settings_page import SettingsPage
from station_app.ui.theme import BASE_PT, LARGE_SCALE

ROOT = Path(__file__).resolve().parents[3]


def _fit(window, app):
    window.resize(1366, 768)
    app.processEvents()
    return window.size().width(), window.size().height()


def _clipped(page) -> list[str]:
    """Buttons and single-line labels whose text is wider than the widget."""
    out = []
    for w in page.findChildren(QAbstractButton) + page.findChildren(QLabel):
        if not w.isVisibleTo(page) or not w.text() or (isinstance(w, QLabel) and w.wordWrap()):
            continue
        if "\n" in w.text() or w.width() <= 1:
            continue
        need = w.fontMetrics().horizontalAdvance(w.text().replace("&", ""))
        room = w.contentsRect().width() - (12 if isinstance(w, QAbstractButton) else 0)
        if need > room + 1:
            out.append(f"{type(w).__name__} {w.text()!r}: needs {need}px, has {room}px")
    return out


@pytest.mark.parametrize("lang,large", [("zh", False), ("zh", True), ("en", True)],
                         ids=["normal", "large-font", "english-large-font"])
def test_every_page_fits_1366x768(demo_window, ui_runner, settle, lang, large):
    app = QApplication.instance()
    if lang == "en":
        _ensure_qm()
        demo_window.set_language("en")
    if large:
        demo_window.set_large_font(True)
    pages = list(demo_window.pages)
    for key in pages:
        demo_window.show_page(key)
        settle(ui_runner)
        assert _fit(demo_window, app) == (1366, 768), key
        hint = demo_window.minimumSizeHint()
        assert hint.width() <= 1366 and hint.height() <= 768, (key, hint)
        if key != "sync":     # the sync page (another module) scrolls inside its holder
            assert demo_window.pages[key].minimumSizeHint().width() <= \
                demo_window.stack.width(), key
        assert _clipped(demo_window.pages[key]) == [], key
    model = demo_window.pages["casebook"].model
    rows = [model.row_at(i) for i in range(model.rowCount())]
    # the busiest header: a just-registered case offers the most action buttons
    first = next((r for r in rows if r.status == "registered"), rows[0])
    demo_window.open_case(first.case_id)
    settle(ui_runner)
    assert _fit(demo_window, app) == (1366, 768)
    assert _clipped(demo_window.detail) == []


def test_pages_render_real_content(demo_window, demo_services, ui_runner, settle):
    counts = demo_services.casebook.counts()
    dash = demo_window.pages["dashboard"]
    assert isinstance(dash, DashboardPage)
    assert dash.card_open.number.text() == str(counts.open)
    assert dash.card_overdue.number.text() == str(counts.overdue)
    assert dash.card_month.number.text() == str(counts.this_month)
    assert dash.urgent.rowCount() == min(counts.open, 12)
    if dash.urgent.rowCount():
        # most urgent first: the first row's days-left is the smallest
        assert dash.urgent.item(0, 0).text()
    assert demo_window.operator_label.text() == "值班员：管理员（管理员）"
    assert "鹿鸣村群众诉求站" in demo_window.station_label.text()


def test_keyboard_walks_every_page(demo_window, ui_runner, settle, qtbot):
    demo_window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is demo_window, timeout=5000)
    order = demo_window._page_order
    for i, key in enumerate(order, start=1):
        qtbot.keyClick(demo_window, getattr(Qt.Key, f"Key_{i}"), Qt.KeyboardModifier.AltModifier)
        settle(ui_runner)
        assert demo_window.current_key() == key
    qtbot.keyClick(demo_window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert demo_window.current_key() == "intake"
    qtbot.keyClick(demo_window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    settle(ui_runner)
    book = demo_window.pages["casebook"]
    assert isinstance(book, CasebookPage)
    assert demo_window.current_key() == "casebook" and book.search.hasFocus()
    # Enter in the search box moves to the table; Enter on a row opens the case detail
    qtbot.keyClick(book.search, Qt.Key.Key_Return)
    settle(ui_runner)
    assert book.table.hasFocus() and book.table.currentIndex().isValid()
    qtbot.keyClick(book.table, Qt.Key.Key_Down)
    row = book.model.row_at(book.table.currentIndex().row())
    qtbot.keyClick(book.table, Qt.Key.Key_Return)
    settle(ui_runner)
    assert demo_window.current_key() == "detail"
    assert demo_window.detail.detail.case_id == row.case_id
    qtbot.keyClick(demo_window, Qt.Key.Key_Escape)
    assert demo_window.current_key() == "casebook"
    qtbot.keyClick(demo_window, Qt.Key.Key_F5)      # refresh re-queries without error
    settle(ui_runner)
    assert book.model.rowCount() > 0 and not book.error.isVisible()


def test_tab_reaches_the_controls(demo_window, ui_runner, settle, qtbot):
    demo_window.show_page("casebook")
    settle(ui_runner)
    book = demo_window.pages["casebook"]
    book.search.setFocus()
    seen = []
    for _ in range(12):
        qtbot.keyClick(QApplication.focusWidget() or book.search, Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    for widget in (book.name, book.status, book.category, book.channel, book.urgency, book.table):
        assert widget in seen, type(widget).__name__


def test_status_bar_sync_slot(main_window):
    main_window.set_sync_status("同步：10:32 成功")
    assert main_window.sync_label.text() == "同步：10:32 成功"


def test_large_font_mode_scales_and_persists(main_window, ui_runner, settle, station_paths):
    app = QApplication.instance()
    label = main_window.pages["dashboard"].findChild(QLabel, "pageTitle")
    before = label.fontInfo().pointSizeF()
    main_window.large_action.trigger()
    app.processEvents()
    assert main_window.ctx.prefs.large_font is True
    assert app.font().pointSizeF() == pytest.approx(BASE_PT * LARGE_SCALE, abs=0.11)
    label.ensurePolished()
    assert label.fontInfo().pointSizeF() >= before * 1.3
    settings = main_window.pages["settings"]
    assert isinstance(settings, SettingsPage) and settings.large_font.isChecked()
    from station_app.ui.i18n import UiPrefs
    assert UiPrefs(station_paths.root).large_font is True      # read back from the file
    settings.large_font.setChecked(False)                     # the settings page turns it off
    assert app.font().pointSizeF() == pytest.approx(BASE_PT, abs=0.11)
    assert not main_window.large_action.isChecked()


def _ensure_qm():
    qm = ROOT / "petition_core" / "resources" / "translations" / "suqiu_en.qm"
    ts = ROOT / "petition_core" / "resources" / "translations" / "suqiu_en.ts"
    if not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime:
        subprocess.run([sys.executable, str(ROOT / "scripts" / "build_translations.py")],
                       check=True, capture_output=True)


def test_english_switch(main_window, ui_runner, settle, station_paths):
    _ensure_qm()
    main_window.set_language("en")
    settle(ui_runner)
    nav = [main_window.nav.item(i).text() for i in range(main_window.nav.count())]
    assert nav[:3] == ["Dashboard", "New complaint", "Case book"]
    assert "Settings" in nav
    dash = main_window.pages["dashboard"]
    assert dash.new_button.text() == "New complaint (Ctrl+N)"
    book = main_window.pages["casebook"]
    assert book.search.placeholderText().startswith("Search")
    assert book.model.headerData(1, Qt.Orientation.Horizontal) == "Case number"
    assert book.status.itemText(0) == "All statuses"
    assert main_window.operator_label.text().startswith("Operator:")
    from station_app.ui.messages import error_text
    assert error_text("too_long", {"max": 100}) == "Too long: at most 100 characters."
    from station_app.ui.i18n import UiPrefs
    assert UiPrefs(station_paths.root).language == "en"
    main_window.set_language("zh")
    assert main_window.nav.item(0).text() == "工作台"


def test_every_ui_string_has_english():
    """lupdate over station_app/ui must find nothing untranslated (run with --update by the
    shell engineer whenever strings change)."""
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_translations.py"), "--check"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_selftest_on_empty_dir(tmp_path, ui_app):
    from station_app.app import selftest
    from station_app.paths import AppPaths

    assert selftest(AppPaths(tmp_path / "empty")) == 0


def test_selftest_never_writes_into_a_real_station(station_paths, ui_app):
    """An initialised station without cases passes and gets no demo data."""
    from station_app.app import selftest
    from station_app.services import CaseQuery, StationServices

    assert selftest(station_paths) == 0
    svc = StationServices.open(station_paths)
    try:
        assert svc.casebook.query(CaseQuery(limit=1)).total == 0
    finally:
        svc.close()


def test_unhandled_background_error_reaches_the_status_bar(main_window, ui_runner, settle):
    from station_app.services import ServiceError

    def fail():
        raise ServiceError("database_locked")

    ui_runner.submit(fail)
    settle(ui_runner)
    assert main_window.statusBar().currentMessage() == "数据库正忙，请稍等几秒再试。"


class _Stretch:
    """A pseudo-translation (vorta's trick): every string 40 % longer, so a layout that only
    fits the Chinese text fails here before a real translation finds it."""

    @staticmethod
    def make(app):
        from PySide6.QtCore import QTranslator

        class Stretch(QTranslator):
            def translate(self, context, source, disambiguation=None, n=-1):
                return source + "～" * max(1, len(source) * 4 // 10) if source else ""

            def isEmpty(self):
                return False

        return Stretch(app)


def test_stretched_translations_still_fit(station_services, station_paths, ui_runner, settle,
                                          window_factory):
    app = QApplication.instance()
    stretch = _Stretch.make(app)
    app.installTranslator(stretch)
    try:
        window = window_factory(station_services, station_paths)
        settle(ui_runner)
        assert window.nav.item(0).text() == "工作台～"
        for key in window.pages:
            window.show_page(key)
            settle(ui_runner)
            assert _fit(window, app) == (1366, 768), key
            assert _clipped(window.pages[key]) == [], key
    finally:
        app.removeTranslator(stretch)


def test_dashboard_urgent_list_orders_and_opens(demo_window, ui_runner, settle, qtbot):
    dash = demo_window.pages["dashboard"]
    rows = dash.urgent.rowCount()
    if rows == 0:
        pytest.skip("demo data has no open case")
    texts = [dash.urgent.item(r, 0).text() for r in range(rows)]
    overdue = [t for t in texts if t.startswith("逾期")]
    assert texts[:len(overdue)] == overdue            # overdue cases come first
    dash.urgent.setFocus()
    dash.urgent.setCurrentCell(0, 1)
    qtbot.keyClick(dash.urgent, Qt.Key.Key_Return)
    settle(ui_runner)
    assert demo_window.current_key() == "detail"
    assert demo_window.detail.detail.case_no == dash.urgent.item(0, 1).text()
