"""End to end through the real main window on a fresh station: register a case with the
intake form → receipt PDF (text checked with pypdf) → accept → conclude → satisfaction via
the case detail page and its action dialogs → the case book shows the case done."""
from __future__ import annotations

from collections.abc import Callable

import pypdf
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog

from station_app.ui.documents import fmt_date


def drive_action(qtbot, detail_page, action: str, fill: Callable[[QDialog], None]) -> None:
    """Run the case detail's own action flow (a modal dialog) and fill it like a clerk."""
    outcome: dict[str, BaseException] = {}

    def interact() -> None:
        dlg = QApplication.activeModalWidget()
        if dlg is None:  # not shown yet: try again shortly
            QTimer.singleShot(20, interact)
            return
        try:
            fill(dlg)
            qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
        except BaseException as exc:  # noqa: BLE001 - reported after the dialog closes
            outcome["error"] = exc
            dlg.reject()

    QTimer.singleShot(20, interact)
    changed = detail_page.run_action(action)
    if "error" in outcome:
        raise outcome["error"]
    top = detail_page.detail
    assert changed, (action, getattr(top, "status", None))


def test_register_print_accept_conclude_satisfy(qtbot, main_window, station_services, settle,
                                                type_text, tmp_path):
    win = main_window
    runner = win.ctx.runner

    # ---- 登记 through the form -------------------------------------------------------------
    win.show_page("intake")
    intake = win.pages["intake"]
    assert win.stack.currentWidget() is intake
    type_text(intake.petitioner.name, "张三")
    qtbot.keyClicks(intake.petitioner.id_number, "11010519491231002X")
    qtbot.keyClicks(intake.petitioner.phone, "13800138000")
    intake.content.category.setCurrentIndex(intake.content.category.findData("social_security"))
    type_text(intake.content.summary, "反映村副书记侵占村民医保费")
    type_text(intake.content.account, "村副书记收取64户村民医保费后未上交。")
    type_text(intake.content.demands, "退还医保费，依纪处理。")
    with qtbot.waitSignal(intake.registered, timeout=15000) as blocker:
        qtbot.mouseClick(intake.save_button, Qt.MouseButton.LeftButton)
    case_id = blocker.args[0]
    case_no = intake.success.case_no.text()
    query_code = intake.success.query_code.text()
    assert case_no.startswith("530921108203-") and len(query_code) == 6

    # ---- 回执 as PDF on an 80 mm roll ----------------------------------------------------------
    docs = intake.success.docs
    docs.paper_box.setCurrentIndex(docs.paper_box.findData("80mm"))
    pdf = tmp_path / "receipt.pdf"
    with qtbot.waitSignal(docs.saved, timeout=15000):
        docs.save_pdf(pdf)
    text = "".join(p.extract_text() for p in pypdf.PdfReader(str(pdf)).pages).replace("\n", "")
    reply_by = station_services.documents.receipt_data(case_id).reply_by
    assert case_no in text and query_code in text
    assert fmt_date(reply_by) in text  # the date by which the petitioner is told

    # ---- 查看案件 → detail; 受理, 办结, 回访 through the action dialogs -----------------------
    with qtbot.waitSignal(intake.open_case, timeout=5000):
        qtbot.mouseClick(intake.success.view_button, Qt.MouseButton.LeftButton)
    detail_page = win.detail
    qtbot.waitUntil(lambda: detail_page.detail is not None
                    and detail_page.detail.case_id == case_id, timeout=15000)
    assert win.stack.currentWidget() is detail_page
    assert "accept" in detail_page.detail.allowed_actions

    drive_action(qtbot, detail_page, "accept", lambda dlg: None)
    assert detail_page.detail.status == "accepted"

    def conclude(dlg) -> None:
        type_text(dlg.widget("result").lineEdit(), "问题已解决")
        type_text(dlg.widget("opinion"), "经核查属实，医保费已全部退还，相关人员已依纪处理。")

    drive_action(qtbot, detail_page, "conclude", conclude)
    assert detail_page.detail.status == "concluded"

    def satisfied(dlg) -> None:
        dlg.satisfaction_buttons["satisfied"].click()

    drive_action(qtbot, detail_page, "follow_up", satisfied)
    settle(runner)
    final = station_services.cases.detail(case_id)
    assert final.conclusion and final.conclusion["result"] == "问题已解决"
    assert final.satisfaction == "satisfied"

    # ---- the case book shows it done ------------------------------------------------------------
    win.show_page("casebook")
    book = win.pages["casebook"]
    book.refresh()
    settle(runner)
    rows = [book.model.row_at(i) for i in range(book.model.rowCount())]
    mine = [r for r in rows if r is not None and r.case_id == case_id]
    assert len(mine) == 1
    assert mine[0].status in ("concluded", "followed_up")
    assert mine[0].urgency == "done"
    assert mine[0].case_no == case_no
