"""``suqiu-station`` sync subcommands: enroll, sync, export-bundle, import-bundle,
write-return-bundle.

``station_app/cli.py`` calls :func:`register` with its subparsers and the function that puts
a refusal code into words (the app's one table, station_app/ui/messages.py: this package
holds no texts of its own); every command gets the parsed args (with ``data_dir``) and
returns an exit code.  A refusal goes to the terminal in those words, with the stable code in
brackets so a county technician can search the log.
Exit codes: 0 done, 1 refused/failed (nothing lost), 2 usage.

``python -m station_app.sync.commands …`` runs the same commands standalone (the fault
tests SIGKILL it mid-pull).
"""
from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Callable
from pathlib import Path

from ..paths import AppPaths
from ..store import open_store
from . import relay
from .bundles import export_bundle, import_bundle, station_keys, write_return_bundle
from .engine import SyncEngine, SyncProgress
from .transport import SyncError

log = logging.getLogger(__name__)


Describe = Callable[[str], str]


def _code_only(code: str) -> str:
    return code


def register(subparsers: argparse._SubParsersAction,  # noqa: SLF001
             describe: Describe = _code_only) -> None:
    """Add the sync subcommands to ``suqiu-station``'s parser; ``describe(code)`` gives the
    words for a refusal."""
    p = subparsers.add_parser("enroll", help="用县里发的注册码把本站注册到县服务器")
    p.add_argument("--server", required=True, help="县服务器地址，例如 http://10.1.2.3:8600")
    p.add_argument("--code", required=True, help="一次性注册码，例如 K7QH-3MXP")
    _common(p, cmd_enroll, describe)

    p = subparsers.add_parser("sync", help="与县服务器同步一次")
    p.add_argument("--server", help="服务器地址（默认用注册时的地址）")
    p.add_argument("--batch", type=int, default=200, help=argparse.SUPPRESS)
    p.add_argument("--pull-limit", type=int, default=500, help=argparse.SUPPRESS)
    p.add_argument("--quiet", action="store_true", help="不显示进度")
    _common(p, cmd_sync, describe)

    p = subparsers.add_parser("export-bundle", help="把未上报的记录导出为离线数据包（U盘带到乡镇）")
    p.add_argument("file", type=Path)
    _common(p, cmd_export, describe)

    p = subparsers.add_parser("import-bundle", help="导入村里的离线数据包或乡镇的返回数据包")
    p.add_argument("file", type=Path)
    _common(p, cmd_import, describe)

    p = subparsers.add_parser("write-return-bundle", help="为某个村站写返回数据包")
    p.add_argument("--for", dest="for_station", required=True, help="村站的站点编号")
    p.add_argument("file", type=Path)
    _common(p, cmd_return, describe)


def _common(p: argparse.ArgumentParser, fn: Callable[[argparse.Namespace], int],
            describe: Describe) -> None:
    if not any(a.dest == "data_dir" for a in p._actions):  # noqa: SLF001
        p.add_argument("--data-dir", dest="data_dir", default=argparse.SUPPRESS,
                       help="数据目录（默认为系统用户数据目录）")
    p.set_defaults(func=fn, describe=describe)


def _open(args: argparse.Namespace):  # noqa: ANN202
    paths = AppPaths.default(getattr(args, "data_dir", None)).ensure()
    return paths, open_store(paths)


def _fail(exc: SyncError, args: argparse.Namespace) -> int:
    print(f"{args.describe(exc.code)} [{exc.code}]", file=sys.stderr)
    return 1


def cmd_enroll(args: argparse.Namespace) -> int:
    paths, store = _open(args)
    try:
        data = SyncEngine(store, paths, server_url=args.server).enroll(args.code)
    except SyncError as exc:
        return _fail(exc, args)
    finally:
        store.close()
    print(f"注册成功：本站已注册到县服务器（区划 {data.get('division', '')}）。")
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    paths, store = _open(args)

    def show(p: SyncProgress) -> None:
        if not args.quiet:
            print(f"  上传 {p.events_up} 条，下载 {p.events_down} 条，"
                  f"发送 {p.bytes_up} 字节，接收 {p.bytes_down} 字节", flush=True)

    t0 = time.monotonic()
    try:
        engine = SyncEngine(store, paths, server_url=args.server, batch_size=args.batch,
                            pull_limit=args.pull_limit)
        r = engine.sync_once(show)
    except SyncError as exc:
        return _fail(exc, args)
    finally:
        store.close()
    print(f"同步完成：上报 {r.applied + r.duplicates} 条，收到新记录 {r.pulled} 条，"
          f"被退回 {r.rejected} 条，转报数据包 {r.relayed_bundles} 个，往返 {r.round_trips} 次，"
          f"用时 {time.monotonic() - t0:.1f} 秒。")
    if r.rejected:
        print("有记录被服务器退回，请在“同步”页查看原因。", file=sys.stderr)
    if r.relay_set_aside:
        print(f"有 {r.relay_set_aside} 个村站数据包太大，无法通过网络转报，已放到 "
              f"{relay.relay_dir(paths) / 'refused'}：请让村站分几次导出，或把文件带到县里导入。",
              file=sys.stderr)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    paths, store = _open(args)
    try:
        n = export_bundle(store, station_keys(paths), args.file)
    except SyncError as exc:
        return _fail(exc, args)
    finally:
        store.close()
    print(f"已导出 {n} 条记录到 {args.file}。请把文件带到乡镇群众诉求中心导入。")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    paths, store = _open(args)
    try:
        r = import_bundle(store, paths, args.file)
    except SyncError as exc:
        return _fail(exc, args)
    finally:
        store.close()
    if r.kind == "push":
        print(f"已导入 {r.events} 条记录（新增 {r.applied} 条），下次同步时转报县服务器。")
    else:
        print(f"已导入返回数据包：{r.events} 条记录（新增 {r.applied} 条），"
              f"确认已上报 {r.acked_own} 条。")
    return 0


def cmd_return(args: argparse.Namespace) -> int:
    paths, store = _open(args)
    try:
        n = write_return_bundle(store, station_keys(paths), paths,
                                args.for_station, args.file)
    except SyncError as exc:
        return _fail(exc, args)
    finally:
        store.close()
    print(f"已写出返回数据包（{n} 条记录）到 {args.file}。")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Standalone entry (tests, or a PC where the GUI cannot start)."""
    parser = argparse.ArgumentParser(prog="suqiu-station")
    parser.add_argument("--data-dir", dest="data_dir", default=None)
    sub = parser.add_subparsers(dest="command", required=True)
    register(sub)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
