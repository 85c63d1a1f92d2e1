"""The unit picker of the 转办 / 交办 dialogs (issue 9 items 4 and 8), driven offscreen like
a clerk with the keyboard: type pinyin initials, move with the arrows, Enter takes the unit,
Enter again saves; the 转办 dialog preselects the routing default of the case's category."""
from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import Qt

from station_app.store import case_events
from station_app.ui import UiContext
from station_app.ui.action_dialogs import AssignDialog, TransferDialog
from station_app.ui.i18n import UiPrefs

MZ = "530921000000.mz"
JW = "530921000000.jw"


@pytest.fixture
def ctx(station_services, ui_runner):
    s = station_services
    return UiContext(services=s, runner=ui_runner,
                     operator=s.accounts.authenticate("admin", "admin1234"),
                     station=s.setup.station(), prefs=UiPrefs(s.paths.root))


def _case(ctx: UiContext, category: str) -> str:
    s = ctx.services
    form = {"division": s.setup.station().division, "channel": "visit", "category": category,
            "statute_type": "appeal",
            "received_at": datetime.now().astimezone().isoformat(timespec="seconds"),
            "petitioner": {"name": "李建华", "anonymous": False},
            "summary": "低保被取消", "account": "家里低保被村干部取消。", "demands": "恢复低保"}
    cid = s.intake.register(form, ctx.operator).case_id
    s.cases.accept(cid, ctx.operator)
    return cid


def _open(ctx: UiContext, cls, case_id: str, qtbot):
    dlg = cls(ctx, ctx.services.cases.detail(case_id, ctx.operator))
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def test_the_default_of_the_category_is_preselected(ctx, qtbot):
    dlg = _open(ctx, TransferDialog, _case(ctx, "discipline"), qtbot)     # 涉纪涉腐
    picker = dlg.widget("to_unit")
    assert picker.code() == JW
    assert picker.proposal.isVisibleTo(dlg)
    assert picker.proposal.text().startswith("按类别默认：凤庆县纪委监委")
    assert "凤庆县纪委监委信访室（凤庆县）" in picker.chosen.text()
    assert dlg.focusWidget() is picker.search                # typing starts at once


def test_pinyin_initials_arrows_and_enter(ctx, qtbot):
    case = _case(ctx, "social_security")
    dlg = _open(ctx, TransferDialog, case, qtbot)
    picker = dlg.widget("to_unit")
    qtbot.keyClicks(picker.search, "xmzj")                   # 县民政局
    lines = [picker.results.item(i).text() for i in range(picker.results.count())]
    assert lines[0] == "凤庆县民政局（凤庆县）"
    qtbot.keyClick(picker.search, Qt.Key.Key_Down)
    assert picker.results.currentRow() == 0 and dlg.focusWidget() is picker.search
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)          # takes it, does not save
    assert picker.code() == MZ and picker.results.isHidden() and dlg.isVisible()
    assert not picker.proposal.isVisibleTo(dlg)
    with qtbot.waitSignal(dlg.accepted, timeout=20000):
        qtbot.keyClick(picker.search, Qt.Key.Key_Return)      # now Enter saves
    with ctx.services.store.read() as s:
        ev = case_events(s, case)[-1]
    assert ev.type == "case.transferred"
    assert ev.data()["to_unit"] == MZ and ev.data()["to_division"] == "530921000000"
    assert dlg.result_detail.owner_unit_name == "凤庆县民政局"


def test_names_full_pinyin_browse_and_nothing_found(ctx, qtbot):
    dlg = _open(ctx, AssignDialog, _case(ctx, "social_security"), qtbot)
    picker = dlg.widget("to_unit")
    assert picker.code() == "" and not picker.proposal.isVisibleTo(dlg)
    qtbot.keyClicks(picker.search, "linye")                   # full pinyin
    assert picker.results.item(0).text().startswith("凤庆县林业和草原局")
    picker.search.clear()
    picker.search.setText("人社局")                           # an alias
    assert picker.results.item(0).text().startswith("凤庆县人力资源和社会保障局")
    picker.search.setText("qqqqq")
    assert picker.results.count() == 1 and picker.results.item(0).flags() == Qt.ItemFlag.NoItemFlags
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)          # nothing to take, nothing saved
    assert picker.code() == "" and dlg.isVisible() and dlg.result_detail is None
    qtbot.keyClick(picker.search, Qt.Key.Key_Escape)          # closes the list, not the dialog
    assert picker.results.isHidden() and dlg.isVisible()
    picker.search.clear()
    qtbot.keyClick(picker.search, Qt.Key.Key_Down)            # an empty box: browse them all
    lines = [picker.results.item(i).text() for i in range(picker.results.count())]
    assert "凤庆县民政局（凤庆县）" in lines and len(lines) >= 10
    # a unit outside the county is not offered, and cannot be set
    assert not picker.set_code("530902000000.mz") and picker.code() == ""


def test_no_unit_chosen_is_a_field_error(ctx, qtbot, settle, ui_runner):
    dlg = _open(ctx, AssignDialog, _case(ctx, "social_security"), qtbot)
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    settle(ui_runner)
    assert dlg.error_label("to_unit").text() == "此项必须填写。" and dlg.isVisible()
