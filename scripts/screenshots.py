"""Render the station's main screens, and the 督办单 and 处理意见书 in print preview, offscreen
to docs/screenshots/*.png (for the user guide and for looking at: tofu boxes mean a font
problem, cut-off text means a layout problem).

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--large] [--lang en]

Builds a throwaway demo station in a temp folder; nothing touches real data.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    ap.add_argument("--large", action="store_true", help="large-font mode")
    ap.add_argument("--lang", default="zh", choices=("zh", "en"))
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    suffix = ("-large" if args.large else "") + ("-en" if args.lang == "en" else "")

    from PySide6.QtWidgets import QApplication

    from station_app import app as station_app_main
    from station_app.paths import AppPaths
    from station_app.services import CaseQuery, StationServices
    from station_app.ui import UiContext
    from station_app.ui.first_run import FirstRunWizard
    from station_app.ui.i18n import UiPrefs, translations
    from station_app.ui.login import LoginDialog
    from station_app.ui.main_window import MainWindow
    from station_app.ui.runner import Runner
    from station_app.ui.theme import apply_theme

    qapp = QApplication.instance() or QApplication(sys.argv[:1])
    translations().apply(args.lang)
    apply_theme(qapp, args.large)
    runner = Runner()
    settle = lambda: station_app_main.settle(qapp, runner)  # noqa: E731

    def shot(widget, name: str) -> None:
        settle()
        if widget.isWindow() and widget.width() >= 1000:
            widget.resize(1366, 768)  # after show(): the first layout pass may grow it
            qapp.processEvents()
        path = out / f"{name}{suffix}.png"
        widget.grab().save(str(path))
        print("wrote", path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)

    with tempfile.TemporaryDirectory() as tmp:
        fresh = StationServices.open(AppPaths(Path(tmp) / "fresh").ensure())
        wiz = FirstRunWizard(fresh, runner)
        wiz.resize(760, 560)
        wiz.show()
        wiz.division_page.picker.search.setText("ldz")
        shot(wiz, "01-first-run")
        wiz.close()
        fresh.close()

        paths = AppPaths(Path(tmp) / "demo").ensure()
        services = StationServices.open(paths)
        station_app_main._fill_demo_station(services)
        login = LoginDialog(services, runner, services.setup.station().name)
        login.show()
        login.login.setText("demo")
        shot(login, "02-login")
        login.close()

        op = services.accounts.list_operators()[0]
        # one case waiting at each step the guide shows (the random demo may have none)
        cs, form = services.cases, station_app_main._sample_form
        waiting = [services.intake.register(form(services, i), op).case_id for i in (1, 2, 3)]
        for cid in waiting[1:]:
            cs.accept(cid, op, note="当场受理", notify_channel="on_spot")
        cs.conclude(waiting[2], op, result="已解决", opinion="经实地核查，问题已协调解决。")
        prefs = UiPrefs(paths.root)
        prefs.large_font = args.large   # the settings page shows the mode it is drawn in
        prefs.language = args.lang
        ctx = UiContext(services=services, runner=runner, operator=op,
                        station=services.setup.station(), prefs=prefs)
        window = MainWindow(ctx)
        window.resize(1366, 768)
        window.show()
        for n, key in enumerate(["dashboard", "intake", "casebook", "sync", "settings"], start=3):
            if key in window.pages:
                window.show_page(key)
                shot(window, f"{n:02d}-{key}")
        query = CaseQuery(limit=5, sort_key="due_date", descending=False)
        rows = services.casebook.query(query).rows
        if rows:
            window.open_case(rows[0].case_id)
            shot(window, "08-case-detail")
            window.detail.tabs.setCurrentIndex(1)
            shot(window, "09-case-timeline")
            from station_app.ui.action_dialogs import dialog_for
            # one dialog of each kind the guide shows, from the first case that allows it
            every = services.casebook.query(CaseQuery(limit=50)).rows
            for action in ("accept", "conclude", "follow_up"):
                for row in every:
                    window.open_case(row.case_id)
                    settle()
                    detail = window.detail.detail
                    if action in detail.allowed_actions:
                        dlg = dialog_for(action, ctx, detail, window)
                        dlg.show()
                        shot(dlg, f"10-action-{action}")
                        dlg.close()
                        break
                else:
                    raise SystemExit(f"no demo case allows {action}: the guide needs one")
        # the success panel after saving (the guide's "打印回执" step)
        intake = window.pages["intake"]
        window.show_page("intake")
        reg = services.intake.register(station_app_main._sample_form(services, 0), op)
        intake._registered(reg)
        shot(window, "12-intake-saved")
        if "sync" in window.pages:  # a record the server sent back, with the retry button
            from station_app.store import quarantine_event
            from station_app.store.eventlog import outbox_batch
            with services.store.session() as s:
                queued = outbox_batch(s, 1)
                if queued:
                    quarantine_event(s, queued[0].event_id, "event_unknown_type", "")
            window.show_page("sync")
            window.pages["sync"].refresh()
            settle()
            shot(window, "11-sync-returned")
        window.close()
        settle()
        _county_workbench(Path(tmp), services, runner, args, shot, settle)
        services.close()
        document_shots(Path(tmp) / "county-docs", shot)
        runner.shutdown()
    return 0


def document_shots(root: Path, shot) -> None:  # noqa: ANN001
    """The 督办单 and the 处理意见书 in Qt's print preview (what 打印 shows before paper),
    from a county centre (凤庆县群众诉求中心) that 交办 one case to 县民政局 and urges it,
    and concludes another itself: the real services, then the real layout code."""
    from datetime import date, timedelta

    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewWidget

    from station_app import app as station_app_main
    from station_app.paths import AppPaths
    from station_app.services import StationServices
    from station_app.ui import documents

    svc = StationServices.open(AppPaths(root).ensure())
    try:
        svc.setup.initialise("530921000000", "凤庆县群众诉求中心", "county", "demo1234",
                             "县值班员")
        op = svc.accounts.list_operators()[0]
        cs, form = svc.cases, station_app_main._sample_form
        soon = (date.today() + timedelta(days=5)).isoformat()
        urged = svc.intake.register(form(svc, 1), op).case_id
        cs.accept(urged, op, note="已受理，交县民政局办理")
        cs.assign(urged, op, to_division="530921000000", to_unit="530921000000.mz",
                  due=(date.today() + timedelta(days=20)).isoformat(),
                  note="请核实办理并报送办结报告")
        cs.urge(urged, op, note="群众反映强烈，请加快办理并于期限内报告办理结果", due=soon)
        done = svc.intake.register(form(svc, 2), op).case_id
        cs.accept(done, op, note="当场受理")
        cs.conclude(done, op, result="已解决",
                    opinion="经实地核查，已协调公路部门修复该段村道，雨天可正常通行。")
        for name, kind, case_id in (("14-urge-sheet", "urge_sheet", urged),
                                    ("15-reply", "reply", done)):
            data = documents.load_document(svc, kind, case_id)
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            preview = QPrintPreviewWidget(printer)
            preview.paintRequested.connect(
                lambda p, k=kind, d=data: documents.render_to_printer(k, d, p, "a4"))
            preview.resize(800, 900)
            preview.show()
            preview.fitToWidth()
            shot(preview, name)
            preview.close()
    finally:
        svc.close()


def _county_workbench(tmp: Path, village, runner, args, shot, settle) -> None:
    """13-workbench: a county centre's 工作队列 (issue 9 item 4) with cases in its queues:
    two transferred up from the demo village, its own in hand, two assigned to 县民政局
    and long overdue (one urged)."""
    from datetime import date, datetime, timedelta

    from station_app import app as station_app_main
    from station_app.paths import AppPaths
    from station_app.services import StationServices
    from station_app.store import apply_remote_events, case_events
    from station_app.ui import UiContext
    from station_app.ui.i18n import UiPrefs
    from station_app.ui.main_window import MainWindow

    county_code, mz = "530921000000", "530921000000.mz"
    paths = AppPaths(tmp / "county").ensure()
    county = StationServices.open(paths)
    county.setup.initialise(county_code, "凤庆县群众诉求中心", "demo", "demo12345", "县中心值班员")
    cop = county.accounts.authenticate("demo", "demo12345")
    vop = village.accounts.list_operators()[0]
    form = station_app_main._sample_form
    for i in (4, 5):
        cid = village.intake.register(form(village, i), vop).case_id
        village.cases.accept(cid, vop)
        village.cases.transfer(cid, vop, to_division=county_code, note="涉及县级职能，转县办理")
        with village.store.read() as s:
            events = case_events(s, cid)
        with county.store.session() as s:
            apply_remote_events(s, events)
    past = datetime.now().astimezone() - timedelta(days=100)
    own = []
    for i in range(6):
        f = dict(form(village, i + 6), division=county_code)
        if i < 3:
            f["received_at"] = past.isoformat(timespec="minutes")
        cid = county.intake.register(f, cop).case_id
        if i < 3:
            county.cases.now = lambda: (past + timedelta(days=2)).isoformat(timespec="seconds")
        county.cases.accept(cid, cop)
        county.cases.now = lambda: datetime.now().astimezone().isoformat(timespec="seconds")
        own.append(cid)
    due = (date.today() + timedelta(days=10)).isoformat()
    for cid in own[:2]:
        county.cases.assign(cid, cop, to_division=county_code, to_unit=mz, due=due,
                            report_required=True, note="请县民政局核实办理并报办结报告")
    county.cases.urge(own[0], cop, note="已超期，请三日内报结", due=due)
    prefs = UiPrefs(paths.root)
    prefs.large_font = args.large
    prefs.language = args.lang
    ctx = UiContext(services=county, runner=runner, operator=cop,
                    station=county.setup.station(), prefs=prefs)
    window = MainWindow(ctx)
    window.resize(1366, 768)
    window.show()
    window.show_page("workbench")
    page = window.pages["workbench"]
    page.show_queue("overdue")
    settle()
    page.table.selectAll()       # the cases picked for 批量督办
    shot(window, "13-workbench")
    window.close()
    county.close()


if __name__ == "__main__":
    raise SystemExit(main())
