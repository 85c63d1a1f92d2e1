"""``suqiu-server``: the county server's command line (the second composition root).

Messages for the county administrator are plain English with the stable code of any refusal
in brackets (the words of a code: petition_core.protocol.ERROR_MESSAGES, the one server-side
table); division and station names stay as they are.  Exit codes: 0 ok, 1 refused, 2 usage.
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
from petition_core.protocol import ERROR_MESSAGES, ProtocolError

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
        print(f"The server key and the database do not match; not started: {exc}", file=sys.stderr)
        return 1
    print("Database ready")
    print(f"Server id: {ident.server_id}")
    print(f"Server key (public): {ident.public_key}")
    print(f"Keys folder: {_settings(args).keys_path} (back it up separately, never with the "
          "database backup)")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import os

    import uvicorn

    from .app import create_app
    from .services.identity import IdentityError

    env_workers = os.environ.get("SUQIU_SERVER_WORKERS", "").strip()
    workers = args.workers if args.workers is not None else \
        (int(env_workers) if env_workers.isdigit() else 1)
    if workers < 1 or workers > 64:
        print("--workers must be between 1 and 64", file=sys.stderr)
        return 2
    settings = _settings(args)
    try:
        app = create_app(settings)     # migrates and makes the identity once, before workers
    except IdentityError as exc:
        print(f"The server key and the database do not match; not started: {exc}",
              file=sys.stderr)
        return 1
    # no "server:" / "date:" headers: nothing on the wire tells a scanner what we run, and
    # every answer over a 64 kbit/s line is ~60 bytes shorter
    common = dict(host=settings.host, port=settings.port, log_level="info", access_log=False,
                  timeout_graceful_shutdown=10, server_header=False, date_header=False)
    if workers == 1:
        uvicorn.run(app, **common)  # type: ignore[arg-type]
        return 0
    # N processes share the socket; each builds its app from the environment (never from
    # the command line, where ps shows a database password).  Every writer serialises in
    # the database (merge lock, replay counter), so workers need no other coordination.
    app.state.ctx.engine.dispose()
    os.environ.update(settings.to_env())
    uvicorn.run("sync_server.app:app_from_env", factory=True, workers=workers,
                **common)  # type: ignore[arg-type]
    return 0


def cmd_enroll(args: argparse.Namespace) -> int:
    from petition_core.divisions import DivisionTree

    from .services.enrollment import create_code

    tree = DivisionTree.load_default()
    if args.station:
        try:
            code = create_code(_engine(args), station_id=args.station, valid_days=args.days)
        except LookupError:
            print(f"No such station: {args.station!r}", file=sys.stderr)
            return 1
        print(f"Re-enrollment code for station {args.station}: {code}")
        print("It re-enrolls only this station (e.g. after reinstalling its PC); the station gets "
              "new sequence numbers.")
        print(f"Valid for {args.days} days, usable once.")
        return 0
    if args.unit:
        from petition_core.units import UnitError

        from .services.units import current_register
        engine = _engine(args)
        try:
            code = create_code(engine, unit=args.unit, division=args.division,
                               valid_days=args.days)
        except UnitError as exc:
            print(f"Unit {args.unit!r} refused ({exc.code}): a unit of this county's register "
                  "(`suqiu-server units list`), or a division code", file=sys.stderr)
            return 1
        except ValueError as exc:
            print(f"Unit {args.unit!r} refused: {exc}", file=sys.stderr)
            return 1
        unit = current_register(engine).get(args.unit)
        print(f"Station enrollment code: {code}")
        print(f"Unit: {unit.name if unit else ''} ({args.unit}), "
              f"division {tree.full_name(unit.division if unit else args.unit)}")
        print(f"Valid for {args.days} days, usable once.")
        return 0
    if not args.division:
        print("Give a division code with --division, a unit with --unit, or the station to "
              "re-enroll with --station", file=sys.stderr)
        return 2
    if tree.get(args.division) is None:
        print(f"Division code {args.division} does not exist (12-digit statistical division code)",
              file=sys.stderr)
        return 1
    code = create_code(_engine(args), division=args.division, valid_days=args.days,
                       kind="upstream" if args.upstream else "station")
    print(f"{'Lower server' if args.upstream else 'Station'} enrollment code: {code}")
    print(f"Division: {tree.full_name(args.division)} ({args.division})")
    print(f"Valid for {args.days} days, usable once.")
    return 0


def cmd_stations(args: argparse.Namespace) -> int:
    from .services.stations import list_stations

    rows = list_stations(_engine(args))
    print("Station id\tName\tStation code\tDivision\tLast sync\tRecords\tRejected\tState")
    for r in rows:
        state = "pending" if r.pending else ("revoked" if r.revoked else "active")
        print(f"{safe(r.station_id) or '-'}\t{safe(r.name) or '-'}\t{safe(r.station_code) or '-'}"
              f"\t{_division_name(r.division)}\t{r.last_sync_at or 'never'}\t{r.high_seq}"
              f"\t{r.voided}\t{state}")
    if any(r.voided for r in rows):
        print("Some records were rejected: run suqiu-server rejected to see why.")
    return 0


def _reason(code: str | None, detail: str = "") -> str:
    """"<what it means> [code: detail]" for a refusal code (ERROR_MESSAGES, the one
    server-side table; an intake field code: the registration failed the intake form's check;
    the code alone for a code that has no line there)."""
    code = code or ""
    words = ERROR_MESSAGES.get(code) or (
        "registration content failed the intake form's check" if _is_field_code(code) else "")
    tag = safe(code) + (f": {safe(detail)}" if detail else "")
    return f"{words} [{tag}]" if words else f"[{tag}]"


def _is_field_code(code: str) -> bool:
    from petition_core.codes import info

    c = info(code)
    return c is not None and c.kind == "field"


def cmd_rejected(args: argparse.Namespace) -> int:
    from .services.voids import list_voided

    rows = list_voided(_engine(args))
    if not rows:
        print("No rejected records.")
        return 0
    print("These records were rejected for their content (the station keeps them; later "
          "records are accepted as usual):")
    print("Station id\tSeq\tRecord id\tReason\tReceived")
    for r in rows:
        print(f"{safe(r.station_id)}\t{r.station_seq}\t{safe(r.event_id) or '-'}"
              f"\t{_reason(r.code, r.detail or '')}\t{r.received_at}")
    return 0


def cmd_revoke(args: argparse.Namespace) -> int:
    from .services.stations import revoke

    engine = _engine(args)
    try:
        revoke(engine, args.station, _identity(args, engine))
    except ProtocolError:
        print(f"No such station: {safe(args.station)}", file=sys.stderr)
        return 1
    print("Station revoked; the records it sent are kept, and nothing on the station is lost.")
    return 0


def cmd_import_bundle(args: argparse.Namespace) -> int:
    from .services.bundle_import import import_file
    from .services.identity import existing_repeat_key

    engine = _engine(args)
    # registrations are matched as on a push when the server's repeat key is at hand
    key = existing_repeat_key(_settings(args).keys_path)
    if not key:
        print("Note: no repeat key in the keys folder; this import is not checked for "
              "repeated petitions.", file=sys.stderr)
    try:
        rep = import_file(engine, _settings(args).blob_dir, Path(args.file), repeat_key=key)
    except OSError as exc:
        print(f"Cannot read {args.file}: {exc.strerror or type(exc).__name__}", file=sys.stderr)
        return 1
    except ProtocolError as exc:
        print(f"Import refused: {_reason(exc.code)}", file=sys.stderr)
        return 1
    acks = rep.acks
    n = {s: sum(1 for a in acks if a.status == s) for s in ("applied", "duplicate", "rejected")}
    waiting = sum(1 for a in acks if a.code == "event_gap")
    print(f"Imported: {n['applied']} new, {n['duplicate']} already here, "
          f"{n['rejected'] - waiting} rejected" + (f", {waiting} not yet" if waiting else "")
          + (f"; {rep.blobs_stored} attachments" if rep.blobs_stored else ""))
    for a in acks:
        if a.status == "rejected" and a.code != "event_gap":
            print(f"  rejected {safe(a.event_id)}: {_reason(a.code)}")
    if waiting:
        print(f"  This bundle starts at the station's record {rep.gap_from or '?'}, and this "
              f"server holds only its first {rep.next_seq - 1}: import the station's earlier "
              "bundle first, then this one [event_gap].", file=sys.stderr)
    if rep.blob_errors:
        print(f"  {len(rep.blob_errors)} attachments could not be stored in the attachment "
              f"folder [{', '.join(sorted(set(rep.blob_errors)))}]; fix that and import this "
              "file again.", file=sys.stderr)
    elif rep.blobs_missing:
        print(f"  {len(rep.blobs_missing)} attachments are missing from the file or damaged; "
              "the station sends them when it syncs online.", file=sys.stderr)
    return 0 if n["rejected"] == 0 and not rep.blob_errors else 1


def cmd_upstream_enroll(args: argparse.Namespace) -> int:
    from .services.upstream import enroll_upstream

    engine = _engine(args)
    try:
        division = enroll_upstream(engine, _identity(args, engine), _settings(args).keys_path,
                                   url=args.url, code=args.code, name=args.name)
    except ProtocolError as exc:
        print(f"Enrollment with the upper server refused: {_reason(exc.code)}", file=sys.stderr)
        return 1
    except OSError as exc:  # requests' ConnectionError is an OSError
        print(f"Cannot reach the upper server: {type(exc).__name__}", file=sys.stderr)
        return 1
    print(f"Enrolled with the upper server; jurisdiction: {safe(_division_name(division))} "
          f"({safe(division)})")
    return 0


def cmd_upstream_sync(args: argparse.Namespace) -> int:
    from .services.upstream import sync_upstream

    engine = _engine(args)
    try:
        rep = sync_upstream(engine, _identity(args, engine), _settings(args).keys_path,
                            blob_dir=_settings(args).blob_dir)
    except ProtocolError as exc:
        print(f"Sync with the upper server failed: {_reason(exc.code)}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"Cannot reach the upper server: {type(exc).__name__}", file=sys.stderr)
        return 1
    print(f"Sent {rep.pushed_applied} new ({rep.pushed_duplicate} already there), "
          f"received {rep.pulled_applied} new; attachments up {rep.blobs_up}, "
          f"down {rep.blobs_down}")
    for sid, code in sorted(rep.register_refused.items()):
        print(f"  The upper server refuses the register record of station {safe(sid)}: "
              f"{_reason(code)} (that station's records wait; check with the upper server)")
    for i, (eid, code) in enumerate(rep.rejected):
        last = rep.blocked and i == len(rep.rejected) - 1
        what = ("sending stops at this record" if last
                else "kept here; later records are sent as usual")
        print(f"  rejected upstream {safe(eid)}: {_reason(code)} ({what}; check with the "
              "upper server)")
    return 0 if not (rep.rejected or rep.register_refused) else 1


def cmd_migrate_db(args: argparse.Namespace) -> int:
    from .services.migrate_db import MigrateError, move

    source = _settings(args).db_url
    print("Stop the server (systemctl stop suqiu-server) before moving its database.")
    try:
        moved = move(source, args.to,
                     progress=lambda table, n: print(f"  {table}: {n} rows"))
    except MigrateError as exc:
        print(f"Not moved: {exc}", file=sys.stderr)
        return 1
    print(f"Moved {moved.rows} rows in {len(moved.tables)} tables; every count checked.")
    print("Now set SUQIU_SERVER_DB to the new URL and start the server. The old database is "
          "untouched: keep it until the stations have synced with the new one.")
    return 0


def _refusal_line(where: str, code: str, detail: str = "") -> str:
    return f"  {where}: refused [{safe(code)}{': ' + safe(detail) if detail else ''}]"


def cmd_units(args: argparse.Namespace) -> int:
    """The county's register of units: add / rename / deactivate / list / import FILE.
    Every change is signed with the county key and reaches every station at its next sync."""
    from petition_core.units import UnitError

    from .services import reference

    engine = _engine(args)
    if args.units_command == "list":
        reg = reference.current_register(engine)
        print("Unit code\tName\tKind\tActive\tAliases")
        for u in reg.departments(include_inactive=True):
            print(f"{u.code}\t{u.name}\t{u.kind.value}\t{'yes' if u.active else 'no'}"
                  f"\t{', '.join(u.aliases)}")
        return 0
    ident = _identity(args, engine)
    try:
        if args.units_command == "add":
            unit = reference.add_unit(engine, ident, {
                "code": args.code, "name": args.name, "kind": args.kind,
                "aliases": list(args.alias or [])})
            print(f"Unit {unit.code} registered; stations get it at their next sync.")
        elif args.units_command == "rename":
            unit = reference.change_unit(engine, ident, args.code, name=args.name)
            print(f"Unit {unit.code} renamed; the old name stays as an alias.")
        elif args.units_command == "deactivate":
            unit = reference.change_unit(engine, ident, args.code, active=False)
            print(f"Unit {unit.code} deactivated: it stays for old cases, "
                  "and leaves the pickers.")
        else:
            units, refused = reference.import_units(engine, ident, Path(args.file))
            print(f"{len(units)} unit(s) stored, {len(refused)} row(s) refused.")
            for r in refused:
                print(_refusal_line(f"row {r.index} {r.unit}", r.code, r.detail))
            return 1 if refused else 0
    except UnitError as exc:
        print(f"Refused [{exc.code}]: {safe(exc.detail)}", file=sys.stderr)
        return 1
    except (OSError, ValueError) as exc:
        print(f"Cannot read the file: {safe(str(exc))}", file=sys.stderr)
        return 1
    return 0


def cmd_holidays(args: argparse.Namespace) -> int:
    """Load a holiday file (a new State Council notice); every station gets it by sync."""
    from .services import reference

    engine = _engine(args)
    years, refused = reference.load_holidays(engine, _identity(args, engine), Path(args.file))
    print(f"Holiday year(s) stored: {', '.join(years) or 'none'}; {len(refused)} refused.")
    for r in refused:
        print(_refusal_line(f"year {r.year or '-'}", r.code, r.detail))
    return 1 if refused or not years else 0


def cmd_routes(args: argparse.Namespace) -> int:
    """Routing by category: the default handling unit the transfer dialog proposes."""
    from petition_core.enums import Category
    from petition_core.routing import default_unit_for
    from petition_core.units import UnitError

    from .services import reference

    engine = _engine(args)
    if args.routes_command == "set":
        try:
            unit = reference.set_route(engine, _identity(args, engine), args.category,
                                       args.unit)
        except UnitError as exc:
            print(f"Refused [{exc.code}]: {safe(exc.detail)}", file=sys.stderr)
            return 1
        print(f"Category {args.category} now goes to {unit} by default; stations get it at "
              "their next sync.")
        return 0
    table, reg = reference.routes(engine), reference.current_register(engine)
    print("Category\tDefault unit\tSet by the county")
    for cat in Category:
        county = args.county
        unit = default_unit_for(cat.value, register=reg, county=county, table=table)
        print(f"{cat.value}\t{unit}\t{'yes' if table.get(cat.value) == unit else 'no'}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="suqiu-server", description="Suqiu county sync server")
    p.add_argument("--db", help="database URL or SQLite file (env SUQIU_SERVER_DB)")
    p.add_argument("--blobs", help="attachment folder (env SUQIU_SERVER_BLOBS)")
    p.add_argument("--keys",
                   help="keys folder (env SUQIU_SERVER_KEYS; default keys/ beside the database)")
    p.add_argument("-v", "--verbose", action="store_true")
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("init", help="create or upgrade the database").set_defaults(func=cmd_init)
    s = sub.add_parser("serve", help="run the sync service")
    s.add_argument("--host")
    s.add_argument("--port", type=int)
    s.add_argument("--workers", type=int, default=None,
                   help="worker processes (env SUQIU_SERVER_WORKERS; default 1); "
                        "with PostgreSQL, about one per core")
    s.add_argument("--api-docs", action="store_true",
                   help="serve /docs, /redoc, /openapi.json (development only; "
                        "env SUQIU_SERVER_API_DOCS=1)")
    s.set_defaults(func=cmd_serve)
    e = sub.add_parser("enroll", help="make a station enrollment code")
    e.add_argument("--division")
    e.add_argument("--unit", help="a unit: a department such as 530921000000.mz (the county's "
                                  "civil affairs bureau) or a centre's division code")
    e.add_argument("--station",
                   help="a code to re-enroll this enrolled station only (after reinstalling it)")
    e.add_argument("--days", type=int, default=7)
    e.add_argument("--upstream", action="store_true", help="a code for a lower (county) server")
    e.set_defaults(func=cmd_enroll)
    un = sub.add_parser("units", help="the county's register of units (departments)")
    usub = un.add_subparsers(dest="units_command", required=True)
    ua = usub.add_parser("add", help="register a department: CODE NAME")
    ua.add_argument("code", help="<division>.<suffix>, e.g. 530921000000.mz")
    ua.add_argument("name")
    ua.add_argument("--kind", default="department",
                    choices=["department", "discipline", "politics_law", "petition_office"])
    ua.add_argument("--alias", action="append", help="a short name people use (repeatable)")
    ur = usub.add_parser("rename", help="rename a unit: CODE NEW_NAME")
    ur.add_argument("code")
    ur.add_argument("name")
    ud = usub.add_parser("deactivate", help="deactivate a merged or abolished unit")
    ud.add_argument("code")
    usub.add_parser("list", help="list the registered units")
    ui = usub.add_parser("import", help="load a register file {scope, units: [rows]}")
    ui.add_argument("file")
    un.set_defaults(func=cmd_units)
    ho = sub.add_parser("holidays", help="the holiday table stations count working days with")
    hsub = ho.add_subparsers(dest="holidays_command", required=True)
    hl = hsub.add_parser("load", help="load a holiday file (a new State Council notice)")
    hl.add_argument("file")
    ho.set_defaults(func=cmd_holidays)
    ro = sub.add_parser("routes", help="category → default handling unit (transfer dialog)")
    rsub = ro.add_subparsers(dest="routes_command", required=True)
    rs = rsub.add_parser("set", help="set the default unit of a category: CATEGORY UNIT")
    rs.add_argument("category", help="a category code, e.g. land, discipline")
    rs.add_argument("unit", help="a unit code, e.g. 530921000000.zrzy")
    rl = rsub.add_parser("list", help="the default unit of every category")
    rl.add_argument("--county", required=True, help="the county centre's code")
    ro.set_defaults(func=cmd_routes)
    sub.add_parser("stations", help="list the stations").set_defaults(func=cmd_stations)
    sub.add_parser("rejected", help="list records rejected for their content").set_defaults(
        func=cmd_rejected)
    r = sub.add_parser("revoke", help="revoke a station")
    r.add_argument("station")
    r.set_defaults(func=cmd_revoke)
    i = sub.add_parser("import-bundle", help="import an offline bundle")
    i.add_argument("file")
    i.set_defaults(func=cmd_import_bundle)
    u = sub.add_parser("upstream-enroll", help="enroll this server with the upper (city) server")
    u.add_argument("--url", required=True)
    u.add_argument("--code", required=True)
    u.add_argument("--name", default="县级服务器")   # data: the name the city lists
    u.set_defaults(func=cmd_upstream_enroll)
    sub.add_parser("upstream-sync", help="sync with the upper server once").set_defaults(
        func=cmd_upstream_sync)
    m = sub.add_parser("migrate-db",
                       help="copy this database into a new, empty one (SQLite → PostgreSQL)")
    m.add_argument("--to", required=True, help="the target database URL (must be empty)")
    m.set_defaults(func=cmd_migrate_db)
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
