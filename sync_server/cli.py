"""``suqiu-server``: the county server's command line (the second composition root).

Messages for the county operator are Chinese; exit codes: 0 ok, 1 refused, 2 usage.
Every string that came from a station, a bundle or the level above (station ids, names,
event ids, refusal codes) is printed through ``safe``: a name carrying terminal escapes
must not rewrite the operator's screen or hide a line of the listing.
"""
from __future__ import annotations

import argparse
import logging
import sys
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

from petition_core.extras import require as require_extra
from petition_core.protocol import ProtocolError

from .settings import Settings

if TYPE_CHECKING:   # imported where used: the server's libraries load only for a command
    from sqlalchemy import Engine

    from .services.identity import ServerIdentity

log = logging.getLogger(__name__)


_UNPRINTABLE = frozenset(("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"))


def safe(value: object, max_len: int = 80) -> str:
    """``value`` for a terminal line: control, format (bidi overrides, zero-width) and
    unassigned characters shown as ``\\x1b`` / ``\\u202e`` escapes, at most ``max_len``
    characters (then …).  Chinese and other printable text is kept as it is."""
    text = str(value)
    out = []
    for ch in text[:max_len]:
        if unicodedata.category(ch) in _UNPRINTABLE:
            out.append(f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"
                       if ord(ch) < 0x10000 else f"\\U{ord(ch):08x}")
        else:
            out.append(ch)
    return "".join(out) + ("…" if len(text) > max_len else "")


def _division_name(code: str) -> str:
    try:
        from petition_core.divisions import DivisionTree

        return DivisionTree.load_default().full_name(code) or code
    except (ImportError, KeyError, ValueError, OSError):
        return code


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.from_env(db=args.db, blob_dir=getattr(args, "blobs", None),
                             keys_dir=getattr(args, "keys", None),
                             host=getattr(args, "host", None), port=getattr(args, "port", None),
                             api_docs=getattr(args, "api_docs", None))


def _identity(args: argparse.Namespace, engine: Engine) -> ServerIdentity:
    """This server's identity (made the first time); IdentityError when the keys folder
    and the database disagree."""
    from .services.identity import load_or_create

    return load_or_create(_settings(args).keys_path, engine)


def _engine(args: argparse.Namespace) -> Engine:
    from .store.db import make_engine, migrate_to_head

    engine = make_engine(_settings(args).db_url)
    migrate_to_head(engine)
    return engine


def cmd_init(args: argparse.Namespace) -> int:
    from .services.identity import IdentityError

    engine = _engine(args)
    try:
        ident = _identity(args, engine)
    except IdentityError as exc:
        print(f"服务器密钥与数据库不符，未启动：{exc}", file=sys.stderr)
        return 1
    print("数据库已就绪")
    print(f"服务器编号：{ident.server_id}")
    print(f"服务器密钥（公钥）：{ident.public_key}")
    print(f"密钥目录：{_settings(args).keys_path}（请单独备份，不要放进数据库备份）")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from .app import create_app
    from .services.identity import IdentityError

    settings = _settings(args)
    try:
        app = create_app(settings)
    except IdentityError as exc:
        print(f"服务器密钥与数据库不符，未启动：{exc}", file=sys.stderr)
        return 1
    # no "server:" / "date:" headers: nothing on the wire tells a scanner what we run, and
    # every answer over a 64 kbit/s line is ~60 bytes shorter
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="info",
                access_log=False, timeout_graceful_shutdown=10, server_header=False,
                date_header=False)
    return 0


def cmd_enroll(args: argparse.Namespace) -> int:
    from petition_core.divisions import DivisionTree

    from .services.enrollment import create_code

    tree = DivisionTree.load_default()
    if args.station:
        try:
            code = create_code(_engine(args), station_id=args.station, valid_days=args.days)
        except LookupError:
            print(f"没有这个站点：{args.station!r}", file=sys.stderr)
            return 1
        print(f"站点 {args.station} 的重新注册码：{code}")
        print("只能用于重新注册这个站点（例如重装电脑后）；站点编号将重新分配。")
        print(f"有效期 {args.days} 天，只能使用一次。")
        return 0
    if not args.division:
        print("请用 --division 给出区划代码，或用 --station 给出要重新注册的站点", file=sys.stderr)
        return 2
    if tree.get(args.division) is None:
        print(f"区划代码 {args.division} 不存在，请检查（应为12位统计用区划代码）", file=sys.stderr)
        return 1
    code = create_code(_engine(args), division=args.division, valid_days=args.days,
                       kind="upstream" if args.upstream else "station")
    print(f"{'下级服务器' if args.upstream else '站点'}注册码：{code}")
    print(f"区划：{tree.full_name(args.division)}（{args.division}）")
    print(f"有效期 {args.days} 天，只能使用一次。")
    return 0


def cmd_stations(args: argparse.Namespace) -> int:
    from .services.stations import list_stations

    rows = list_stations(_engine(args))
    print("站点ID\t名称\t站点编号\t区划\t最后同步\t已收记录\t被拒收\t状态")
    for r in rows:
        state = "待注册" if r.pending else ("已停用" if r.revoked else "正常")
        print(f"{safe(r.station_id) or '-'}\t{safe(r.name) or '-'}\t{safe(r.station_code) or '-'}"
              f"\t{_division_name(r.division)}\t{r.last_sync_at or '从未'}\t{r.high_seq}"
              f"\t{r.voided}\t{state}")
    if any(r.voided for r in rows):
        print("有被拒收的记录：运行 suqiu-server rejected 查看原因。")
    return 0


_REASONS = {
    "event_malformed": "记录格式不对",
    "event_unknown_type": "服务器不认识的记录类型（站点版本较新，请升级服务器）",
    "event_too_large": "记录过大", "event_id_conflict": "记录编号已被另一条内容不同的记录使用",
    "event_bad_id": "记录编号格式不对",
    "payload_invalid": "记录内容的格式不对", "event_not_permitted": "该站点无权写这条记录",
}


def _is_field_code(code: str) -> bool:
    from petition_core.codes import info

    c = info(code)
    return c is not None and c.kind == "field"


def cmd_rejected(args: argparse.Namespace) -> int:
    from .services.voids import list_voided

    rows = list_voided(_engine(args))
    if not rows:
        print("没有被拒收的记录。")
        return 0
    print("以下记录因内容问题被拒收（站点本机保留原记录，其后的记录照常接收）：")
    print("站点ID\t序号\t记录ID\t原因\t收到时间")
    for r in rows:
        reason = _REASONS.get(r.code) or (
            "登记内容未通过检查（与登记表同一规则）" if _is_field_code(r.code) else safe(r.code))
        detail = f"：{safe(r.detail)}" if r.detail else ""
        print(f"{safe(r.station_id)}\t{r.station_seq}\t{safe(r.event_id) or '-'}"
              f"\t{reason}（{safe(r.code)}{detail}）\t{r.received_at}")
    return 0


def cmd_revoke(args: argparse.Namespace) -> int:
    from .services.stations import revoke

    engine = _engine(args)
    try:
        revoke(engine, args.station, _identity(args, engine))
    except ProtocolError:
        print(f"没有这个站点：{safe(args.station)}", file=sys.stderr)
        return 1
    print("站点已停用；它已上传的记录保留，本机数据也不会丢失。")
    return 0


# why a USB file is refused as a whole (the county operator reads these)
_BUNDLE_REFUSALS = {
    "bundle_station_revoked": "该站点已被停用（suqiu-server revoke），县里不再接收它的数据包。"
                              "如需恢复，请重新给该站点发注册码",
    "bundle_foreign": "数据包来自未在本县服务器注册的站点",
    "bundle_bad_signature": "数据包签名与该站点注册的密钥不符，可能被篡改",
    "bundle_malformed": "离线数据包已损坏，或不是诉求通的数据包",
    "bundle_too_large": "数据包太大，请让站点分几次导出",
}


def cmd_import_bundle(args: argparse.Namespace) -> int:
    from .services.bundle_import import import_file

    try:
        rep = import_file(_engine(args), _settings(args).blob_dir, Path(args.file))
    except OSError as exc:
        print(f"无法读取文件 {args.file}：{exc.strerror or type(exc).__name__}", file=sys.stderr)
        return 1
    except ProtocolError as exc:
        why = _BUNDLE_REFUSALS.get(exc.code, exc.message)
        print(f"导入失败：{why}（{exc.code}）", file=sys.stderr)
        return 1
    acks = rep.acks
    n = {s: sum(1 for a in acks if a.status == s) for s in ("applied", "duplicate", "rejected")}
    waiting = sum(1 for a in acks if a.code == "event_gap")
    print(f"导入完成：新增 {n['applied']} 条，已有 {n['duplicate']} 条，"
          f"拒收 {n['rejected'] - waiting} 条" + (f"，暂不能接收 {waiting} 条" if waiting else "")
          + (f"；附件 {rep.blobs_stored} 个" if rep.blobs_stored else ""))
    for a in acks:
        if a.status == "rejected" and a.code != "event_gap":
            print(f"  拒收 {safe(a.event_id)}: {_REASONS.get(a.code or '', safe(a.code or ''))}"
                  f"（{safe(a.code or '')}）")
    if waiting:
        print(f"  这个数据包从该站第 {rep.gap_from or '?'} 条记录开始，县里只收到该站前 "
              f"{rep.next_seq - 1} 条：请先导入该站较早的数据包，再导入这一个（event_gap）。",
              file=sys.stderr)
    if rep.blob_errors:
        print(f"  有 {len(rep.blob_errors)} 个附件未能存入附件目录"
              f"（{'、'.join(sorted(set(rep.blob_errors)))}），请处理后再导入一次这个文件。",
              file=sys.stderr)
    elif rep.blobs_missing:
        print(f"  有 {len(rep.blobs_missing)} 个附件不在文件中或已损坏，站点联网同步时会补传。",
              file=sys.stderr)
    return 0 if n["rejected"] == 0 and not rep.blob_errors else 1


def cmd_upstream_enroll(args: argparse.Namespace) -> int:
    from .services.upstream import enroll_upstream

    engine = _engine(args)
    try:
        division = enroll_upstream(engine, _identity(args, engine), _settings(args).keys_path,
                                   url=args.url, code=args.code, name=args.name)
    except ProtocolError as exc:
        print(f"向上级服务器注册失败：{safe(exc.message)}（{safe(exc.code)}）", file=sys.stderr)
        return 1
    except OSError as exc:  # requests' ConnectionError is an OSError
        print(f"连不上上级服务器：{type(exc).__name__}", file=sys.stderr)
        return 1
    print(f"已在上级服务器注册，辖区：{safe(_division_name(division))}（{safe(division)}）")
    return 0


def cmd_upstream_sync(args: argparse.Namespace) -> int:
    from .services.upstream import sync_upstream

    engine = _engine(args)
    try:
        rep = sync_upstream(engine, _identity(args, engine), _settings(args).keys_path,
                            blob_dir=_settings(args).blob_dir)
    except ProtocolError as exc:
        print(f"向上级同步失败：{safe(exc.message)}（{safe(exc.code)}）", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"连不上上级服务器：{type(exc).__name__}", file=sys.stderr)
        return 1
    print(f"上报新增 {rep.pushed_applied} 条（已有 {rep.pushed_duplicate} 条），"
          f"下载新增 {rep.pulled_applied} 条；附件上传 {rep.blobs_up} 个，下载 {rep.blobs_down} 个")
    for sid, code in sorted(rep.register_refused.items()):
        print(f"  上级不接受站点 {safe(sid)} 的登记记录：{safe(code)}"
              "（该站点的记录上报会暂停，请联系上级核实）")
    for i, (eid, code) in enumerate(rep.rejected):
        last = rep.blocked and i == len(rep.rejected) - 1
        what = "上报暂停在这条记录" if last else "本机保留原记录，其后的记录照常上报"
        print(f"  上级拒收 {safe(eid)}: {safe(code)}（{what}，请联系上级核实）")
    return 0 if not (rep.rejected or rep.register_refused) else 1


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="suqiu-server", description="诉求通 县级同步服务器")
    p.add_argument("--db", help="数据库 URL 或 SQLite 文件路径（环境变量 SUQIU_SERVER_DB）")
    p.add_argument("--blobs", help="附件目录（环境变量 SUQIU_SERVER_BLOBS）")
    p.add_argument("--keys", help="密钥目录（环境变量 SUQIU_SERVER_KEYS；默认在数据库旁的 keys/）")
    p.add_argument("-v", "--verbose", action="store_true")
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("init", help="创建/升级数据库").set_defaults(func=cmd_init)
    s = sub.add_parser("serve", help="启动同步服务")
    s.add_argument("--host")
    s.add_argument("--port", type=int)
    s.add_argument("--api-docs", action="store_true",
                   help="提供 /docs、/redoc、/openapi.json（仅供开发；"
                        "环境变量 SUQIU_SERVER_API_DOCS=1）")
    s.set_defaults(func=cmd_serve)
    e = sub.add_parser("enroll", help="生成站点注册码")
    e.add_argument("--division")
    e.add_argument("--station", help="只给这个已注册的站点重新注册用（重装电脑后）")
    e.add_argument("--days", type=int, default=7)
    e.add_argument("--upstream", action="store_true", help="给下级（县）服务器的注册码")
    e.set_defaults(func=cmd_enroll)
    sub.add_parser("stations", help="列出站点").set_defaults(func=cmd_stations)
    sub.add_parser("rejected", help="列出因内容问题被拒收的记录").set_defaults(func=cmd_rejected)
    r = sub.add_parser("revoke", help="停用站点")
    r.add_argument("station")
    r.set_defaults(func=cmd_revoke)
    i = sub.add_parser("import-bundle", help="导入离线数据包")
    i.add_argument("file")
    i.set_defaults(func=cmd_import_bundle)
    u = sub.add_parser("upstream-enroll", help="在上级（市）服务器注册本服务器")
    u.add_argument("--url", required=True)
    u.add_argument("--code", required=True)
    u.add_argument("--name", default="县级服务器")
    u.set_defaults(func=cmd_upstream_enroll)
    sub.add_parser("upstream-sync",
                   help="与上级服务器同步一次").set_defaults(func=cmd_upstream_sync)
    return p


def _move_global_flags(argv: list[str]) -> list[str]:
    """Allow ``serve --db URL`` as well as ``--db URL serve`` (the brief uses both)."""
    out, rest, i = [], [], 0
    while i < len(argv):
        if argv[i] in ("--db", "--blobs", "--keys") and i + 1 < len(argv):
            out += argv[i:i + 2]
            i += 2
        elif argv[i].startswith(("--db=", "--blobs=", "--keys=")) or argv[i] in ("-v", "--verbose"):
            out.append(argv[i])
            i += 1
        else:
            rest.append(argv[i])
            i += 1
    return out + rest


def main(argv: list[str] | None = None) -> int:
    require_extra("server", "suqiu-server")     # a station-only install: say so, no traceback
    argv = _move_global_flags(list(sys.argv[1:] if argv is None else argv))
    args = build_parser().parse_args(argv)
    quiet = logging.INFO if args.command == "serve" else logging.WARNING
    logging.basicConfig(level=logging.DEBUG if args.verbose else quiet,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
