"""A day at the desk with the intake form in the real main window (issue 8, C6 C7 C8 C12):
the mouse wheel over the form, the address search by keyboard, starting the next
registration, and switching the language with an unfinished form.

Driven like a clerk: key presses through qtbot, wheel notches as QWheelEvents sent to the
widget under the pointer (what the window system does), menu actions triggered.
"""
from __future__ import annotations

import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QLineEdit, QWidget

ROOT = Path(__file__).resolve().parents[3]
LUMING, LIMA = "530921108203", "530921107203"     # 洛党镇鹿鸣村, 雪山镇立马村 (both "lmc")


# ---- helpers -----------------------------------------------------------------------------
def wheel(widget: QWidget, notches: int = -1, at: QPoint | None = None) -> QWidget:
    """Turn the wheel with the pointer over ``widget`` (its centre by default): the event
    goes to the deepest widget under the pointer, as the window system delivers it.
    Negative notches scroll down.  Returns the widget that received it."""
    window = widget.window()
    local = at if at is not None else widget.rect().center()
    in_window = widget.mapTo(window, local)
    target = window.childAt(in_window) or window
    pos = target.mapFrom(window, in_window)
    event = QWheelEvent(QPointF(pos), QPointF(target.mapToGlobal(pos)), QPoint(0, 0),
                        QPoint(0, 120 * notches), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(target, event)
    return target


def visible_in_scroll(page, widget: QWidget) -> bool:
    vp = page.form_scroll.viewport()
    top_left = widget.mapTo(vp, QPoint(0, 0))
    return 0 <= top_left.y() and top_left.y() + widget.height() <= vp.height()


def bring_into_view(page, widget: QWidget) -> None:
    page.form_scroll.ensureWidgetVisible(widget, 0, 60)
    QApplication.processEvents()


def click(qtbot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)
    QApplication.processEvents()


@pytest.fixture
def intake(main_window, ui_runner, settle):
    main_window.show_page("intake")
    settle(ui_runner)
    page = main_window.pages["intake"]
    main_window.activateWindow()
    return page


def fill_by_keyboard(qtbot, page, type_text, *, name="张三", summary="反映村道损坏"):
    click(qtbot, page.petitioner.name)
    type_text(page.petitioner.name, name)
    qtbot.keyClick(page.petitioner.name, Qt.Key.Key_Tab)
    qtbot.keyClicks(page.petitioner.id_number, "11010519491231002X")
    qtbot.keyClick(page.petitioner.id_number, Qt.Key.Key_Tab)
    qtbot.keyClicks(page.petitioner.phone, "13800138000")
    cat = page.content.category
    cat.setFocus()
    while cat.currentData() != "infrastructure" and cat.currentIndex() < cat.count() - 1:
        qtbot.keyClick(cat, Qt.Key.Key_Down)    # a closed combo steps through its choices
    assert cat.currentData() == "infrastructure"
    type_text(page.content.summary, summary)
    type_text(page.content.account, "雨后村道塌了一段，车辆无法通行。")


# ---- C6: the wheel scrolls the form, it does not change fields in passing ---------------------
def test_wheel_over_dropdowns_scrolls_the_form_and_changes_nothing(intake, qtbot, type_text):
    page = intake
    click(qtbot, page.petitioner.name)          # the clerk is typing the name
    type_text(page.petitioner.name, "张三")
    bar = page.form_scroll.verticalScrollBar()
    assert bar.maximum() > 0, "the form must be taller than the window for this test"
    fields = [page.basics.channel, page.basics.received, page.content.category,
              page.content.statute, page.subject.level,
              page.petitioner.address_division.township,
              page.petitioner.address_division.village]
    before = {id(f): (f.currentIndex() if isinstance(f, QComboBox) else f.dateTime())
              for f in fields}
    for f in fields:
        for notches in (-1, 1, -1):
            bring_into_view(page, f)
            start = bar.value()
            target = wheel(f, notches)
            assert target is f or f.isAncestorOf(target)   # the pointer is over the field
            assert bar.value() != start or bar.value() in (0, bar.maximum()), \
                f"{type(f).__name__}: the form did not scroll"
    after = {id(f): (f.currentIndex() if isinstance(f, QComboBox) else f.dateTime())
             for f in fields}
    assert after == before
    assert page.basics.channel.currentData() == "visit"
    assert page.petitioner.name.hasFocus()      # the wheel did not take the focus either


def test_wheel_over_the_field_the_form_opened_focused_scrolls_and_changes_nothing(intake, qtbot):
    """The form opens with 反映方式 focused; that focus is the program's, not the clerk's, so
    a wheel turn over it at once scrolls the form (found at the desk: 来访 became 12388)."""
    page = intake
    channel = page.basics.channel
    channel.setFocus(Qt.FocusReason.OtherFocusReason)     # as the page does when it opens
    QApplication.processEvents()
    assert channel.hasFocus()
    bar = page.form_scroll.verticalScrollBar()
    bar.setValue(0)
    bring_into_view(page, channel)
    for _ in range(3):
        wheel(channel, -1)
    assert channel.currentData() == "visit"
    assert bar.value() > 0, "the form did not scroll"
    assert channel.hasFocus()                      # the keyboard still works in the field
    qtbot.keyClick(channel, Qt.Key.Key_Down)       # the clerk works in it: now it is theirs
    qtbot.keyClick(channel, Qt.Key.Key_Up)
    assert channel.currentData() == "visit"
    bring_into_view(page, channel)
    wheel(channel, -1)
    assert channel.currentData() != "visit"
    page.petitioner.name.setFocus(Qt.FocusReason.TabFocusReason)   # Tab away and back
    channel.setFocus(Qt.FocusReason.BacktabFocusReason)
    before = channel.currentIndex()
    bring_into_view(page, channel)
    wheel(channel, 1)
    assert channel.currentIndex() != before


def test_wheel_changes_a_dropdown_the_clerk_is_working_in(intake, qtbot):
    page = intake
    combo = page.content.category
    bring_into_view(page, combo)
    click(qtbot, page.petitioner.name)
    wheel(combo, -1)
    assert combo.currentIndex() == 0
    combo.setFocus(Qt.FocusReason.TabFocusReason)   # Tab into it
    assert combo.hasFocus()
    wheel(combo, -1)
    assert combo.currentIndex() == 1                 # now the wheel picks the next choice


def test_wheel_never_gives_focus_to_a_dropdown(intake):
    """Qt's default (WheelFocus) would focus a dropdown on the first notch and let the
    second change it; the guard makes every dropdown, spin box and date field click/Tab
    focus only, app-wide."""
    page = intake
    page.group.is_group.setChecked(True)
    QApplication.processEvents()
    widgets = [w for w in page.findChildren(QWidget)
               if isinstance(w, (QComboBox, QAbstractSpinBox)) and w.isVisibleTo(page)]
    assert len(widgets) >= 8
    assert {w.focusPolicy() for w in widgets} == {Qt.FocusPolicy.StrongFocus}


def test_composition_root_installs_the_guard(qapp):
    from station_app.app import _make_app
    from station_app.ui import enterkey, wheelguard

    app = _make_app(["suqiu-station"])
    assert wheelguard.install(app) is wheelguard.install(app)   # once, idempotent
    assert id(app) in enterkey._installed                       # Enter presses buttons too
    window = QWidget()
    box = QComboBox(window)
    box.addItems(["来访", "来信"])
    other = QLineEdit(window)
    other.move(0, 60)
    window.show()
    other.setFocus()
    assert box.focusPolicy() == Qt.FocusPolicy.StrongFocus
    wheel(box, -1)
    assert box.currentIndex() == 0
    window.close()


# ---- C8: the address search by keyboard ----------------------------------------------------------
def test_address_search_by_keyboard(intake, qtbot):
    page = intake
    picker = page.petitioner.address_division
    bring_into_view(page, picker.search)
    click(qtbot, picker.search)
    bar = page.form_scroll.verticalScrollBar()
    qtbot.keyClicks(picker.search, "lmc")
    assert [picker.results.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(picker.results.count())] == [LIMA, LUMING]
    start = bar.value()
    qtbot.keyClick(picker.search, Qt.Key.Key_Down)
    qtbot.keyClick(picker.search, Qt.Key.Key_Down)
    assert bar.value() == start                     # Down moved the highlight, not the form
    assert picker.results.currentRow() == 1
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    assert picker.code() == LUMING                  # the highlighted one, not the first
    assert picker.results.isHidden() and picker.search.text() == ""

    qtbot.keyClicks(picker.search, "lmc")
    qtbot.keyClick(picker.search, Qt.Key.Key_Down)
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    assert picker.code() == LIMA
    qtbot.keyClicks(picker.search, "lmc")
    qtbot.keyClick(picker.search, Qt.Key.Key_Up)    # Up from nothing: the last one
    assert picker.results.currentRow() == 1
    qtbot.keyClick(picker.search, Qt.Key.Key_Escape)
    assert picker.results.isHidden() and picker.code() == LIMA   # Esc closes, keeps
    assert page.isVisible() and picker.search.hasFocus()


def test_address_results_open_into_view(intake, qtbot):
    """The list opens below the search box; at the bottom edge of the window the form
    scrolls so the clerk sees what Down moves through."""
    page = intake
    picker = page.petitioner.address_division
    vp = page.form_scroll.viewport()
    bar = page.form_scroll.verticalScrollBar()
    bar.setValue(picker.search.mapTo(page.form_scroll.widget(), QPoint(0, 0)).y()
                 - vp.height() + picker.search.height() + 4)   # search box on the bottom edge
    QApplication.processEvents()
    assert visible_in_scroll(page, picker.search)
    click(qtbot, picker.search)
    qtbot.keyClicks(picker.search, "lmc")
    qtbot.waitUntil(lambda: visible_in_scroll(page, picker.results), timeout=3000)


def test_address_search_enter_without_highlight_takes_the_first(intake, qtbot):
    picker = intake.petitioner.address_division
    bring_into_view(intake, picker.search)
    click(qtbot, picker.search)
    qtbot.keyClicks(picker.search, "lmc")
    qtbot.keyClick(picker.search, Qt.Key.Key_Enter)
    assert picker.code() == LIMA


# ---- C12: the next registration -----------------------------------------------------------------
def _save(qtbot, page):
    bring_into_view(page, page.save_button)   # the clerk has worked down to the end
    bring_into_view(page, page.content.demands)
    assert page.form_scroll.verticalScrollBar().value() > 0
    with qtbot.waitSignal(page.registered, timeout=20000):
        qtbot.keyClick(page.content.account, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert page.stack.currentIndex() == 1


def _blank_at_top(page) -> None:
    assert page.stack.currentIndex() == 0
    assert page.petitioner.name.text() == "" and page.content.summary.text() == ""
    assert page.content.account.toPlainText() == ""
    assert page.form_scroll.verticalScrollBar().value() == 0
    assert page.basics.channel.hasFocus()
    assert visible_in_scroll(page, page.basics.channel)


def test_ctrl_n_after_saving_gives_a_blank_form_at_the_top(intake, main_window, qtbot,
                                                           type_text):
    page = intake
    fill_by_keyboard(qtbot, page, type_text)
    _save(qtbot, page)
    qtbot.keyClick(main_window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    _blank_at_top(page)


def test_continue_button_gives_a_blank_form_at_the_top(intake, qtbot, type_text):
    page = intake
    fill_by_keyboard(qtbot, page, type_text)
    _save(qtbot, page)
    page.success.continue_button.setFocus()
    qtbot.keyClick(page.success.continue_button, Qt.Key.Key_Space)
    _blank_at_top(page)


def test_enter_on_a_focused_button_presses_it(intake, main_window, qtbot, type_text):
    """Keyboard only: Tab to 继续登记 / 查看案件 and press Enter (Qt presses focused buttons
    with Enter only in dialogs; found at the desk: Enter on 查看案件 did nothing)."""
    page = intake
    fill_by_keyboard(qtbot, page, type_text)
    _save(qtbot, page)
    page.success.continue_button.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(page.success.continue_button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.stack.currentIndex() == 0, timeout=3000)
    _blank_at_top(page)


def test_enter_with_a_modifier_or_on_a_disabled_button_does_nothing(qapp, qtbot):
    from PySide6.QtWidgets import QPushButton

    button = QPushButton("保存")
    qtbot.addWidget(button)
    button.show()
    button.setFocus(Qt.FocusReason.TabFocusReason)
    pressed = []
    button.clicked.connect(lambda: pressed.append(1))
    qtbot.keyClick(button, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    button.setEnabled(False)
    qtbot.keyClick(button, Qt.Key.Key_Return)
    qtbot.wait(300)
    assert pressed == []
    button.setEnabled(True)
    button.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: pressed == [1], timeout=3000)
    qtbot.keyClick(button, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)  # keypad
    qtbot.waitUntil(lambda: pressed == [1, 1], timeout=3000)


def test_ctrl_n_keeps_an_unfinished_form(intake, main_window, qtbot, type_text):
    page = intake
    fill_by_keyboard(qtbot, page, type_text, name="王五")
    main_window.show_page("casebook")
    qtbot.keyClick(main_window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert main_window.current_key() == "intake"
    assert page.petitioner.name.text() == "王五"


# ---- C7: switching the language keeps the form -----------------------------------------------
def _ensure_qm() -> None:
    qm = ROOT / "petition_core" / "resources" / "translations" / "suqiu_en.qm"
    ts = ROOT / "petition_core" / "resources" / "translations" / "suqiu_en.ts"
    if not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime:
        subprocess.run([sys.executable, str(ROOT / "scripts" / "build_translations.py")],
                       check=True, capture_output=True)


def _png(path) -> None:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"\x00\xff\x00\x00\xff\x00\x00"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 1, 8, 2,
                                                                        0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _language_action(window, label: str):
    for menu_action in window.menuBar().actions():
        for act in menu_action.menu().actions():
            if act.text() == label:
                return act
    raise AssertionError(f"no menu action {label!r}")


def test_language_switch_keeps_an_unfinished_form(intake, main_window, qtbot, type_text,
                                                  tmp_path, ui_runner, settle):
    _ensure_qm()
    page = intake
    fill_by_keyboard(qtbot, page, type_text)
    page.group.is_group.setFocus()
    qtbot.keyClick(page.group.is_group, Qt.Key.Key_Space)
    page.group.group_size.setValue(7)
    for rep_name in ("甲一", "乙二"):
        qtbot.mouseClick(page.group.add_button, Qt.MouseButton.LeftButton)
        type_text(page.group.representatives[-1].name, rep_name)
    page.subject.level.setCurrentIndex(page.subject.level.findData("village_cadre"))
    type_text(page.subject.name, "李某")
    page.petitioner.address_division.set_code("530921107203")
    photo = tmp_path / "来信.png"
    _png(photo)
    with qtbot.waitSignal(page.attachments.import_finished, timeout=10000):
        page.attachments.add_files([photo])
    typed = page.form_values()
    zh_save = page.save_button.text()

    _language_action(main_window, "English").trigger()
    settle(ui_runner)
    page_en = main_window.pages["intake"]
    assert page_en is not page and main_window.current_key() == "intake"
    assert page_en.save_button.text() != zh_save    # really rebuilt in English
    assert page_en.form_values() == typed
    assert [r.name for r in page_en.attachments.refs()] == ["来信.png"]

    _language_action(main_window, "中文").trigger()
    settle(ui_runner)
    page_zh = main_window.pages["intake"]
    assert page_zh.form_values() == typed
    assert page_zh.save_button.text() == "保存登记 (Ctrl+S)"


def test_language_switch_keeps_the_receipt_page(intake, main_window, qtbot, type_text,
                                               ui_runner, settle):
    _ensure_qm()
    page = intake
    fill_by_keyboard(qtbot, page, type_text)
    _save(qtbot, page)
    case_no = page.success.case_no.text()
    main_window.set_language("en")
    settle(ui_runner)
    page_en = main_window.pages["intake"]
    assert page_en.stack.currentIndex() == 1 and page_en.success.case_no.text() == case_no
