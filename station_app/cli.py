"""``suqiu-station``: run the desktop app (default), fill demo data, self-test, back up and
restore from the command line; the sync issue adds its subcommands through
``station_app.sync.commands.register``.

Exit codes: 0 done, 1 refused or failed (message in Chinese on stderr, nothing lost),
2 usage error (argparse).
"""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any

from petition_core.extras import require as require_extra

from .paths import AppPaths

log = logging.getLogger(__name__)


def _paths(args: argparse.Namespace) -> AppPaths:
    return AppPaths.default(getattr(args, "data_dir", None)).ensure()


def _words(code: str, params: Any = None) -> str:
    """A refusal code in the words the app shows (ui/messages.py: the one table)."""
    from .ui.messages import error_text

    return error_text(code, params)


def _refusal(exc: Any) -> str:
    return f"{_words(exc.code, exc.params)} [{exc.code}]"


def _setup_logging(paths: AppPaths) -> None:
    from .logging_setup import configure

    configure(paths)


def cmd_run(args: argparse.Namespace) -> int:
    # app.main creates the folder and the log itself: it must see whether the folder is
    # new, to leave nothing behind when the first-run wizard is cancelled
    paths = AppPaths.default(getattr(args, "data_dir", None))
    from . import app  # lazily: PySide6 is only loaded for the GUI

    return int(app.main(paths, getattr(args, "qt_args", []) or []) or 0)


def cmd_selftest(args: argparse.Namespace) -> int:
    paths = _paths(args)
    _setup_logging(paths)
    from . import app

    return int(app.selftest(paths) or 0)


def cmd_demo(args: argparse.Namespace) -> int:
    if getattr(args, "county", False):
        return cmd_demo_county(args)
    paths = _paths(args)
    _setup_logging(paths)
    from .demo import DEMO_LOGIN, DEMO_PASSWORD, fill_demo, initialise_demo_station
    from .services import ServiceError, StationServices

    if args.cases < 0 or args.cases > 5000:
        print("演示案件数应在0到5000之间。", file=sys.stderr)
        return 1
    svc = StationServices.open(paths)
    try:
        if svc.setup.is_initialised():
            print("这个数据目录已经有数据，演示数据只能填入新的数据目录（用 --data-dir 指定）。",
                  file=sys.stderr)
            return 1
        initialise_demo_station(svc)
        result = fill_demo(svc, cases=args.cases, seed=args.seed)
    except ServiceError as exc:
        print(_refusal(exc), file=sys.stderr)
        return 1
    finally:
        svc.close()
    print(f"演示数据已生成：{result.cases} 件案件，{result.events} 条记录。")
    print(f"数据目录：{paths.root}")
    print(f"登录名：{DEMO_LOGIN}　密码：{DEMO_PASSWORD}")
    return 0


def _has_display() -> bool:
    import os

    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")) and \
        os.environ.get("QT_QPA_PLATFORM") != "offscreen"


def cmd_demo_county(args: argparse.Namespace) -> int:
    """``demo --county``: build the county demo (station_app/demo_county.py) into a folder
    (or reopen the one built there before), then open the app as the county centre while
    the county server runs; without a display, the offscreen self-test instead."""
    require_extra("server", "suqiu-station demo --county")
    from .demo_county import (
        COUNTY_LOGIN,
        PASSWORD,
        build_county_demo,
        county_station_paths,
        inspect_county_demo,
        is_built,
        start_servers,
    )

    root = Path(args.data or getattr(args, "data_dir", None) or "demo-county").resolve()
    if is_built(root):
        print(f"打开已生成的全县演示：{root}")
        server = start_servers(root)
    else:
        if root.exists() and any(root.iterdir()):
            print(f"{root} 不是空目录；全县演示只能生成在新的目录里（用 --data 指定）。",
                  file=sys.stderr)
            return 1
        print("正在生成全县演示（县、市服务器，县群众诉求中心、两个县直部门、洛党镇、两个村和"
              "临沧市群众诉求中心）……")
        try:
            result, server = build_county_demo(root, seed=args.seed, keep_server=True)
        except Exception as exc:   # noqa: BLE001 - said in plain words, the folder kept
            log.exception("county demo failed")
            print(f"全县演示生成失败：{exc}", file=sys.stderr)
            return 1
        print(f"已生成 {result.cases} 件案件，用时 {result.seconds:.0f} 秒。")
    try:
        check = inspect_county_demo(root)
        for title, counts in (("县群众诉求中心的工作队列", check.workbench),
                              ("全县案件进度", check.stages)):
            print(f"{title}：" + "，".join(f"{k} {v}" for k, v in counts.items()))
        paths = county_station_paths(root)
        print(f"县服务器：{server.url}（日志 {root / 'server' / 'server.log'}）；"
              f"市服务器：{server.upper.url if server.upper else '-'}")
        print(f"县群众诉求中心数据目录：{paths.root}")
        print(f"登录名：{COUNTY_LOGIN}　密码：{PASSWORD}"
              f"（其他站点在 {root / 'stations'}，登录名为目录名，密码相同）")
        if args.no_open:
            return 0
        if not _has_display():
            print("没有显示器：运行离屏自检，不打开窗口。")
            from . import app

            return int(app.selftest(paths.ensure()) or 0)
        from . import app

        return int(app.main(paths, []) or 0)
    finally:
        server.stop()


def cmd_backup(args: argparse.Namespace) -> int:
    from .services import ServiceError, StationServices

    paths = _paths(args)
    _setup_logging(paths)
    svc = StationServices.open(paths)
    try:
        info = svc.backup.backup_now()
    except ServiceError as exc:
        print(_refusal(exc), file=sys.stderr)
        return 1
    finally:
        svc.close()
    print(f"备份完成：{info.path}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from .services import ServiceError, StationServices

    paths = _paths(args)
    _setup_logging(paths)
    svc = StationServices.open(paths)
    try:
        pre = svc.backup.restore(Path(args.file))
    except ServiceError as exc:
        print(_refusal(exc), file=sys.stderr)
        return 1
    finally:
        svc.close()
    print("恢复完成。恢复前的数据已另存为：" + pre.path)
    print("请先与县服务器同步一次，再登记新的案件。")
    return 0


def build_parser(with_sync: bool = True) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="suqiu-station",
                                     description="诉求通 村（社区）/乡镇 群众诉求站")
    parser.add_argument("--data-dir", dest="data_dir", default=None,
                        help="数据目录（默认为系统用户数据目录；也可用环境变量 SUQIU_DATA_DIR）")
    sub = parser.add_subparsers(dest="command")

    def add(name: str, help_text: str, fn):  # noqa: ANN001, ANN202
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--data-dir", dest="data_dir", default=argparse.SUPPRESS,
                       help=argparse.SUPPRESS)
        p.set_defaults(func=fn)
        return p

    add("run", "启动诉求通（默认）", cmd_run)
    p = add("demo", "在新的数据目录里生成演示数据", cmd_demo)
    p.add_argument("--cases", type=int, default=190, help="演示案件数（默认190）")
    p.add_argument("--seed", type=int, default=2015, help=argparse.SUPPRESS)
    p.add_argument("--county", action="store_true",
                   help="全县演示：县、市服务器和市、县、部门、乡镇、村各级站点，"
                        "案件走完整办理流程，以县群众诉求中心身份打开")
    p.add_argument("--data", default=None,
                   help="全县演示的目录（默认 ./demo-county；已生成过则直接打开）")
    p.add_argument("--no-open", dest="no_open", action="store_true",
                   help="全县演示：只生成，不打开程序")
    add("selftest", "自检：检查数据库、字体和打印", cmd_selftest)
    add("backup", "立即备份数据库", cmd_backup)
    p = add("restore", "从备份文件恢复数据库", cmd_restore)
    p.add_argument("file", help="备份文件路径（suqiu-年月日-时分秒.db）")
    if with_sync:
        from .sync import commands as sync_commands

        sync_commands.register(sub, _words)
    return parser


def _starts_the_app(argv: list[str]) -> bool:
    """True when ``argv`` runs the desktop program (no command, or ``run``): its parser
    then leaves out the sync commands, whose imports (SQLAlchemy, requests, the sync
    stack) would otherwise delay the login window (issue 12).  ``-h`` lists them all."""
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in ("-h", "--help"):
            return False
        if arg == "--data-dir":
            i += 2
            continue
        if arg.startswith("--data-dir="):
            i += 1
            continue
        return arg == "run"
    return True


def main(argv: list[str] | None = None) -> int:
    require_extra("station", "suqiu-station")   # a server-only install: say so, no traceback
    from .filemodes import restrict_umask

    restrict_umask()   # everything this program creates is private (filemodes.py)
    args_in = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(with_sync=not _starts_the_app(args_in))
    args, rest = parser.parse_known_args(args_in)
    if getattr(args, "func", None) is None:
        args.func = cmd_run
    if args.func is cmd_run:
        args.qt_args = rest       # Qt's own options (e.g. -platform offscreen)
    elif rest:
        parser.error("无法识别的参数：" + " ".join(rest))
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
