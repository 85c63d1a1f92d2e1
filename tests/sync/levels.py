"""Five levels of real parts for the end-to-end tests (issue 9 item 7).

* three real ``suqiu-server serve`` processes: the county (凤庆县), the city (临沧市) and the
  province (云南省), each on its own database (SQLite in its folder, or a URL, e.g. a
  PostgreSQL schema), linked upward with the servers' own commands
  ``suqiu-server enroll --upstream`` (at the upper server) and
  ``suqiu-server upstream-enroll`` / ``upstream-sync`` (at the lower one) on the server's
  database and keys folder: the command's ``main`` in the test process, or, as the
  operator runs it, a child process (``process=True``: each costs seconds);
* real station stores enrolled with their own level's server: the village and the
  township (``stations.make_station``, no accounts) at the county; 县民政局 (a county
  department, enrolled with a code for its unit) at the county, a city station at the
  city and a province station at the province, each set up by ``SetupService`` as its
  first-run screen does (``Levels.first_run``);
* the station side writes through its services (intake, case actions) where a service
  exists on main; an action no service produces yet (督办, ``case.urged``) is appended the
  way the services append (``append_events`` with the station's own gate).

The codes are the real ones of the division data (petition_core/resources/divisions):
province, city and county rows are there, so ``suqiu-server enroll`` accepts them.
"""
from __future__ import annotations

import contextlib
import io
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select, text

from petition_core.enums import Role
from station_app.services.types import Operator
from station_app.store.models import EventRow
from station_app.sync.engine import SyncEngine
from station_app.sync.keys import StationKeys

from .server_proc import ServerProcess
from .stations import TestStation, make_station

PROVINCE = "530000000000"   # 云南省
CITY = "530900000000"       # 临沧市
COUNTY = "530921000000"     # 凤庆县
TOWNSHIP = "530921108000"   # 洛党镇
VILLAGE = "530921108203"    # 鹿鸣村民委员会 (洛党镇)

MZ = "530921000000.mz"      # 凤庆县民政局 (petition_core/resources/units)
PASSWORD = "admin1234"
# the village's duty clerk (the village store is made by make_station, without accounts)
CLERK = Operator("clerk", "值班员", Role.VILLAGE)

_SENT = re.compile(r"Sent (\d+) new \((\d+) already there\), received (\d+) new")
_CODE = re.compile(r"enrollment code: (\S+)")


@dataclass(frozen=True)
class UpSync:
    """What one ``suqiu-server upstream-sync`` run printed."""

    sent: int
    already: int
    received: int
    output: str


@dataclass
class Levels:
    province: ServerProcess
    city: ServerProcess
    county: ServerProcess
    stations: list[TestStation] = field(default_factory=list)

    def stop(self) -> None:
        for st in self.stations:
            st.close()
        for srv in (self.county, self.city, self.province):
            srv.stop()

    def station(self, root: Path, division: str, name: str,
                server: ServerProcess | None) -> TestStation:
        """A real station store; enrolled with ``server`` (its own level's) unless None."""
        st = make_station(root, division, name)
        self.stations.append(st)
        if server is not None:
            SyncEngine(st.store, st.paths, server_url=server.url).enroll(
                server.enroll_code(division))
        return st


    def first_run(self, root: Path, division: str, name: str, server: ServerProcess, *,
                  unit: str | None = None, login: str = "admin") -> tuple[TestStation, Operator]:
        """A station set up the way its first-run screen does it (``SetupService``: county,
        department, city and province stations can be set up on main since i9-units) and
        enrolled with a code ``suqiu-server enroll`` made at its level's server (for
        ``unit`` when given, e.g. 县民政局).  Returns the station and its logged-in
        administrator (who acts as the level's staff)."""
        from station_app.paths import AppPaths
        from station_app.services import StationServices

        svc = StationServices.open(AppPaths(root))
        svc.setup.initialise(division, name, login, PASSWORD, "管理员", unit=unit)
        st = TestStation(svc.paths, svc.store, division)
        self.stations.append(st)
        args = ("--unit", unit) if unit else ("--division", division)
        rc, out = cli(server, "enroll", *args)
        m = _CODE.search(out)
        assert rc == 0 and m, out
        ans = SyncEngine(st.store, st.paths, server_url=server.url).enroll(m.group(1))
        assert ans["unit"] == (unit or division), ans
        op = svc.accounts.authenticate(login, PASSWORD)
        return st, op


def start_servers(root: Path, dbs: dict[str, str] | None = None) -> Levels:
    """Start the three server processes side by side (each start waits for /healthz), then
    enroll the county with the city and the city with the province.  ``dbs``: a database
    URL for some of them ("province", "city", "county"; e.g. PostgreSQL), else SQLite in
    their folder."""
    procs = {name: ServerProcess(root / name) for name in ("province", "city", "county")}
    for name, url in (dbs or {}).items():
        procs[name].db = url   # type: ignore[assignment] - every use goes through str()
    errors: list[BaseException] = []

    def start(p: ServerProcess) -> None:
        try:
            p.start()
        except BaseException as exc:   # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=start, args=(p,)) for p in procs.values()]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    levels = Levels(**procs)
    if errors:
        levels.stop()
        raise errors[0]
    try:
        link_up(levels.county, levels.city, COUNTY, "凤庆县服务器")
        link_up(levels.city, levels.province, CITY, "临沧市服务器")
    except BaseException:
        levels.stop()
        raise
    return levels


def cli(srv: ServerProcess, *args: str, process: bool = False) -> tuple[int, str]:
    """``suqiu-server --db … --blobs … ARGS`` on ``srv``'s data (its keys folder is the
    default one beside the database, as for its ``serve``): the real command's ``main`` in
    this process, or with ``process=True`` as a child process (as the operator runs it;
    each start costs seconds, so the scenario does that once per hop).  Returns the exit
    code and stdout + stderr."""
    if process:
        r = srv.cli(*args)
        return r.returncode, r.stdout + r.stderr
    from sync_server.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = main(["--db", str(srv.db), "--blobs", str(srv.blobs), *args])
    return rc, out.getvalue() + err.getvalue()


def link_up(lower: ServerProcess, upper: ServerProcess, division: str, name: str) -> None:
    """``suqiu-server enroll --upstream`` at the upper server, ``upstream-enroll`` at the
    lower one: the operator's two commands."""
    rc, made = cli(upper, "enroll", "--division", division, "--upstream")
    assert rc == 0, made
    m = _CODE.search(made)
    assert m, made
    rc, done = cli(lower, "upstream-enroll", "--url", upper.url, "--code", m.group(1),
                   "--name", name)
    assert rc == 0 and division in done, done


def sync_up(lower: ServerProcess, *, process: bool = False, refused: bool = False) -> UpSync:
    """``suqiu-server upstream-sync`` once; it must succeed with nothing refused (with
    ``refused``: it must report a refusal, exit code 1)."""
    rc, out = cli(lower, "upstream-sync", process=process)
    assert rc == (1 if refused else 0), out
    m = _SENT.search(out)
    assert m, out
    return UpSync(int(m.group(1)), int(m.group(2)), int(m.group(3)), out)


def server_ids(srv: ServerProcess) -> set[str]:
    ids = srv.event_ids()
    assert len(ids) == len(set(ids)), "an event stored twice"
    return set(ids)


def move_case(srv: ServerProcess, event_id: str, division: str) -> None:
    """Tamper with a server's database behind its back: its stored registration
    ``event_id`` now says (payload and route alike) the case is in ``division``."""
    import json

    from sync_server.store.db import make_engine, normalize_url

    engine = make_engine(normalize_url(str(srv.db)))
    try:
        with engine.begin() as c:
            raw = c.execute(text("SELECT payload FROM events WHERE event_id = :e"),
                            {"e": event_id}).scalar_one()
            data = {**json.loads(bytes(raw).decode("utf-8")), "division": division}
            c.execute(text("UPDATE events SET payload = :p, route = :r WHERE event_id = :e"),
                      {"p": json.dumps(data, ensure_ascii=False, separators=(",", ":"),
                                       sort_keys=True).encode("utf-8"),
                       "r": division, "e": event_id})
    finally:
        engine.dispose()


def server_scalar(srv: ServerProcess, sql: str, **params: object) -> object:
    """One value read from a server's database."""
    from sync_server.store.db import make_engine, normalize_url

    engine = make_engine(normalize_url(str(srv.db)))
    try:
        with engine.connect() as c:
            return c.execute(text(sql), params).scalar()
    finally:
        engine.dispose()


def server_type_of(srv: ServerProcess, event_id: str) -> object:
    return server_scalar(srv, "SELECT type FROM events WHERE event_id = :e", e=event_id)


def server_author(srv: ServerProcess, event_id: str) -> object:
    """The station in whose name the server holds the event."""
    return server_scalar(srv, "SELECT station_id FROM events WHERE event_id = :e", e=event_id)


def keys(st: TestStation) -> StationKeys:
    return StationKeys.load_or_create(st.paths.keys_dir)


def sync(st: TestStation, srv: ServerProcess):  # noqa: ANN201 - SyncReport
    return SyncEngine(st.store, st.paths, server_url=srv.url).sync_once()


def urge(st: TestStation, case_id: str, op: Operator, note: str) -> str:
    """督办 through the station's own service (CaseService.urge: the permission matrix, then
    the gate), answer due in ten days; returns the new event's id."""
    from datetime import date, timedelta

    from station_app.services.cases import CaseService

    before = set(types_of(st, case_id))
    CaseService(st.store).urge(case_id, op, note=note,
                               due=(date.today() + timedelta(days=10)).isoformat())
    [new] = set(types_of(st, case_id)) - before
    return new


def types_of(st: TestStation, case_id: str) -> dict[str, str]:
    """event id → type of every event of the case in the station's store."""
    with st.store.read() as s:
        return {r.event_id: r.type for r in s.scalars(
            select(EventRow).where(EventRow.case_id == case_id))}
