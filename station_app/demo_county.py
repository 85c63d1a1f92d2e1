"""The county demo (``suqiu-station demo --county``): a whole county at work in one folder.

A real county server (``suqiu-server serve`` on its embedded SQLite, a child process), a real
临沧市 server it is enrolled with upward (``enroll --upstream`` / ``upstream-enroll``; the
county sends up with ``upstream-sync`` after every round of station syncs), and seven real
station data folders, each set up as its first-run screen does (``SetupService.initialise``)
and enrolled with its own level's server:

* 凤庆县群众诉求中心 (the county centre, 530921000000), 凤庆县民政局 (530921000000.mz) and
  凤庆县自然资源局 (530921000000.zrzy);
* 洛党镇 (the township centre, 530921108000) and two of its villages, 鹿鸣村 (530921108203)
  and 洛党村 (530921108201);
* 临沧市群众诉求中心 (530900000000) at the city's server: it sees the county's cases and
  urges one (the 督办 comes down to the county).

:data:`PLAN` then moves 33 cases through every step of the handling chain with the stations'
own services (the permission matrix first, then the gate) and real syncs in between, so
each action is taken where it belongs: registered at a village; 转办 to the county centre,
the township or a department by its unit code; 签收, 受理, 交办 with a 办结报告, 督办,
延期 asked and decided, 办结 (resolved and unresolved), the report accepted or sent back
(发回重办), 回访 by the registering village, 终结.  Some cases stay in each queue (待签收,
待受理, 办理中, overdue, 待审核办结, 督办中), so the county centre opens on real queues.

The past is simulated as the ordinary demo does: each action's timestamp is set on the
station's CaseService clock.  Deterministic for a seed (texts, people, the plan; event ids
and keys are new each run).

Layout of the folder: ``server/`` and ``city-server/`` (county.db, blobs, server.log, port) and
``stations/<key>/`` (one station data folder each; open one with
``suqiu-station --data-dir DIR/stations/county``).
"""
from __future__ import annotations

import contextlib
import io
import logging
import random
import re
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from .demo import CST, GIVEN, SURNAMES, case_form, id_number, phone
from .paths import AppPaths
from .store.eventlog import now_iso

log = logging.getLogger(__name__)

CITY = "530900000000"          # 临沧市 (its own server, the county's upper server)
COUNTY = "530921000000"        # 凤庆县 (its centre: 群众诉求中心)
MZ = "530921000000.mz"         # 凤庆县民政局
ZRZY = "530921000000.zrzy"     # 凤庆县自然资源局
TOWNSHIP = "530921108000"      # 洛党镇
LUMING = "530921108203"        # 鹿鸣村民委员会
LUODANG = "530921108201"       # 洛党村民委员会
PASSWORD = "demo1234"


@dataclass(frozen=True)
class StationSpec:
    key: str          # folder name and login
    division: str
    name: str
    unit: str | None = None
    server: str = "county"   # the server it enrolls with: its own level's


STATIONS = (
    StationSpec("county", COUNTY, "凤庆县群众诉求中心"),
    StationSpec("mzj", COUNTY, "凤庆县民政局", MZ),
    StationSpec("zrzyj", COUNTY, "凤庆县自然资源局", ZRZY),
    StationSpec("ldz", TOWNSHIP, "洛党镇群众诉求中心"),
    StationSpec("luming", LUMING, "鹿鸣村群众诉求站"),
    StationSpec("luodang", LUODANG, "洛党村群众诉求站"),
    StationSpec("city", CITY, "临沧市群众诉求中心", server="city"),
)
COUNTY_LOGIN = "county"

# (kind, how many, the village that registers, days ago it came in); the kinds' steps are
# in :meth:`CountyDemo.run`.  "→ 部门" is a 转办 straight to a department by its unit code;
# "交办" goes through the county centre, which asks for a 办结报告.
PLAN: tuple[tuple[str, int, str, int], ...] = (
    ("centre_unsigned", 3, LUMING, 2),     # 转办 to the county centre: 待签收
    ("centre_signed", 2, LUODANG, 4),      # signed, not yet accepted: 待受理
    ("centre_in_hand", 2, LUMING, 12),     # the centre handles it itself: 办理中
    ("centre_overdue", 1, LUODANG, 80),    # … accepted 80 days ago: 已超期
    ("assigned_unsigned", 2, LUMING, 5),   # 交办 to a department, not signed: 待签收 there
    ("dept_in_hand", 3, LUODANG, 14),      # the department signed and accepted: 办理中
    ("dept_urged", 2, LUMING, 30),         # … and the county urged it: 督办中
    ("dept_overdue", 2, LUODANG, 75),      # → 部门 long ago, accepted, overdue (one urged)
    ("dept_near", 1, LUMING, 60),          # → 部门, accepted 58 days ago: 即将超期
    ("ext_pending", 1, LUMING, 50),        # 申请延期, waiting for the county's decision
    ("ext_approved", 1, LUODANG, 55),      # 延期 approved
    ("report_pending", 2, LUMING, 25),     # 办结 + 办结报告: 待审核办结 at the county
    ("report_accepted", 2, LUODANG, 40),   # report accepted, 回访 by the village
    ("sent_back", 1, LUMING, 35),          # 发回重办: back with the department
    ("unresolved", 1, LUODANG, 45),        # 办结未解决, report accepted, 回访 (dissatisfied)
    ("direct_done", 2, LUMING, 30),        # → 部门, 办结, 回访
    ("closed", 1, LUODANG, 60),            # → 部门, 办结, 回访, 终结
    ("township_done", 2, LUODANG, 20),     # 转办 to 洛党镇, 办结, 回访
    ("township_in_hand", 1, LUMING, 8),    # 洛党镇 handles it
    ("village_done", 1, LUMING, 15),       # the village concludes itself, 回访
)
CATEGORIES = {MZ: ("benefit_policy", "social_security", "poverty_relief"),
              ZRZY: ("land", "forest_land", "historical")}
OTHER_CATEGORIES = ("infrastructure", "other", "family_neighbour", "arrears")


@dataclass
class Station:
    spec: StationSpec
    services: Any        # StationServices
    operator: Any        # its administrator (acts as the level's staff)

    @property
    def cases(self) -> Any:
        return self.services.cases


@dataclass
class Case:
    kind: str
    station: str            # the registering station's key
    received: datetime
    dept: str               # the department it goes to (when it does)
    case_id: str = ""
    steps: int = 0


@dataclass
class CountyDemoResult:
    root: Path
    cases: int
    server_url: str
    statuses: dict[str, int] = field(default_factory=dict)   # at the county centre
    seconds: float = 0.0


# ---- the county server (a child process, as scripts/demo.sh runs it) -------------------------
class CountyServer:
    def __init__(self, folder: Path, port: int | None = None) -> None:
        self.folder = folder
        self.db = folder / "county.db"
        self.blobs = folder / "blobs"
        port_file = folder / "port"
        if port is None and port_file.exists():
            port = int(port_file.read_text("utf-8").strip())
        self.port = port or _free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        self.upper: CountyServer | None = None   # the city's server, stopped with this one

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def cli(self, *args: str) -> str:
        """``suqiu-server --db … --blobs … ARGS`` in this process; its output (raises when
        the command fails)."""
        from sync_server.cli import main

        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            rc = main(["--db", str(self.db), "--blobs", str(self.blobs), *args])
        if rc != 0:
            raise RuntimeError(f"suqiu-server {' '.join(args)} failed: {out.getvalue()}")
        return out.getvalue()

    def start(self) -> CountyServer:
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "port").write_text(str(self.port), "utf-8")
        cmd = [sys.executable, "-c", "import sys; from sync_server.cli import main; "
               "sys.exit(main())", "serve", "--db", str(self.db), "--blobs", str(self.blobs),
               "--host", "127.0.0.1", "--port", str(self.port)]
        with (self.folder / "server.log").open("ab") as fh:
            self.proc = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT)
        return self

    def wait_ready(self) -> CountyServer:
        """Wait until the server answers on its port (it starts while the stations are set
        up)."""
        assert self.proc is not None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("the county server stopped: see "
                                   + str(self.folder / "server.log"))
            with socket.socket() as s:
                s.settimeout(0.2)
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("the county server did not start")

    def stop(self) -> None:
        if self.upper is not None:
            self.upper.stop()
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.proc = None

    def event_ids(self) -> set[str]:
        return {r[0] for r in self._rows("SELECT event_id FROM events")}

    def refused(self) -> list[tuple[Any, ...]]:
        """Every record the server voided (refused for its content or by the matrix)."""
        from sync_server.services.voids import list_voided
        from sync_server.store.db import make_engine, normalize_url

        engine = make_engine(normalize_url(str(self.db)))
        try:
            return [(r.station_id, r.event_id, r.code) for r in list_voided(engine)]
        finally:
            engine.dispose()

    def _rows(self, sql: str) -> list[tuple[Any, ...]]:
        from sqlalchemy import text

        from sync_server.store.db import make_engine, normalize_url

        engine = make_engine(normalize_url(str(self.db)))
        try:
            with engine.connect() as c:
                return [tuple(r) for r in c.execute(text(sql))]
        finally:
            engine.dispose()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


_CODE = re.compile(r"enrollment code: (\S+)")


# ---- the builder ------------------------------------------------------------------------------
class CountyDemo:
    def __init__(self, root: Path, server: CountyServer, seed: int = 2026) -> None:
        self.root = root
        self.server = server
        self.rng = random.Random(seed)
        self.now = datetime.now(CST).replace(second=0, microsecond=0)
        self.stations: dict[str, Station] = {}
        self.city = CountyServer(root / "city-server")
        self.linked = False
        self.cases: list[Case] = []

    # -- stations --
    def open_station(self, spec: StationSpec, *, create: bool) -> Station:
        from .services import StationServices

        svc = StationServices.open(AppPaths(self.root / "stations" / spec.key).ensure())
        login = COUNTY_LOGIN if spec.key == "county" else spec.key
        if create:
            svc.setup.initialise(spec.division, spec.name, login, PASSWORD, "演示管理员",
                                 unit=spec.unit)
        op = svc.accounts.list_operators()[0]   # as fill_demo: no password check to pay
        st = Station(spec, svc, op)
        self.stations[spec.key] = st
        return st

    def server_of(self, st: Station) -> CountyServer:
        return self.city if st.spec.server == "city" else self.server

    def link_up(self) -> None:
        """The county server enrolls with the city's (``suqiu-server enroll --upstream`` at
        the city, ``upstream-enroll`` at the county: the operators' two commands)."""
        m = _CODE.search(self.city.cli("enroll", "--division", COUNTY, "--upstream"))
        if m is None:
            raise RuntimeError("no upstream enrollment code")
        self.server.cli("upstream-enroll", "--url", self.city.url, "--code", m.group(1),
                        "--name", "凤庆县服务器")
        self.linked = True

    def sync_up(self) -> None:
        """``suqiu-server upstream-sync`` at the county (raises when anything is refused)."""
        self.server.cli("upstream-sync")

    def enroll(self, st: Station) -> None:
        from .sync.engine import SyncEngine

        spec = st.spec
        out = self.server_of(st).cli("enroll", *(("--unit", spec.unit) if spec.unit
                                          else ("--division", spec.division)))
        m = _CODE.search(out)
        if m is None:
            raise RuntimeError(out)
        SyncEngine(st.services.store, st.services.paths,
                   server_url=self.server_of(st).url).enroll(m.group(1))

    def sync(self, *keys: str) -> None:
        """One sync of each station (all when none is named), then the county server's
        ``upstream-sync``.  Sending up after every round, not once at the end, is needed:
        an upper server judges a relayed batch grouped by origin station, so a 回访 sent in
        the same batch as the department's 办结 before it would be judged first, on a case
        not yet concluded, and refused (found by this demo; see the helper's report)."""
        from .sync.engine import SyncEngine

        for key in keys or tuple(self.stations):
            st = self.stations[key]
            report = SyncEngine(st.services.store, st.services.paths,
                                server_url=self.server_of(st).url).sync_once()
            if report.rejected:
                raise RuntimeError(f"the server refused {report.rejected} records of "
                                   f"{st.spec.name}: {report.rejected_codes}")
        if self.linked:
            self.sync_up()

    def close(self) -> None:
        for st in self.stations.values():
            st.cases.now = now_iso
            st.services.close()
        self.stations.clear()

    # -- the cases --
    def act(self, key: str, case: Case, action: str, **kw: Any) -> None:
        """``action`` on ``case`` at station ``key``, timestamped 20 hours after its last
        step (never in the future)."""
        case.steps += 1
        stamp = min(case.received + timedelta(hours=20 * case.steps), self.now)
        cs = self.stations[key].cases
        cs.now = lambda: stamp.isoformat(timespec="seconds")
        getattr(cs, action)(case.case_id, self.stations[key].operator, **kw)

    def register_all(self) -> None:
        rng = self.rng
        n = 0
        for kind, count, village_code, age in PLAN:
            for _ in range(count):
                n += 1
                dept = MZ if n % 2 else ZRZY
                key = "luming" if village_code == LUMING else "luodang"
                received = self.now - timedelta(days=age, hours=rng.randint(0, 5))
                category = rng.choice(CATEGORIES[dept] if kind.startswith(
                    ("assigned", "dept", "ext", "report", "sent", "unresolved", "direct",
                     "closed")) else OTHER_CATEGORIES)
                person = (rng.choice(SURNAMES) + rng.choice(GIVEN), id_number(rng), phone(rng))
                form = case_form(rng, village_code, category, "visit", received, person)
                st = self.stations[key]
                reg = st.services.intake.register(form, st.operator)
                self.cases.append(Case(kind, key, received, dept, reg.case_id))

    def of(self, *kinds: str) -> Iterator[Case]:
        return (c for c in self.cases if c.kind in kinds)

    def run(self) -> None:
        due = (date.today() + timedelta(days=20)).isoformat()
        to_centre = ("centre_unsigned", "centre_signed", "centre_in_hand", "centre_overdue",
                     "assigned_unsigned", "dept_in_hand", "dept_urged", "ext_pending",
                     "ext_approved", "report_pending", "report_accepted", "sent_back",
                     "unresolved")
        direct = ("dept_overdue", "dept_near", "direct_done", "closed")
        assigned = to_centre[4:]
        # 1. the villages: 转办 up (to the centre, a department by its unit code, the township)
        for c in self.of(*to_centre):
            self.act(c.station, c, "transfer", to_division=COUNTY, to_unit=COUNTY,
                     note="村级无法解决，转县群众诉求中心")
        for c in self.of(*direct):
            self.act(c.station, c, "transfer", to_division=COUNTY, to_unit=c.dept,
                     note="属部门职责，转职能部门办理")
        for c in self.of("township_done", "township_in_hand"):
            self.act(c.station, c, "transfer", to_division=TOWNSHIP, to_unit=TOWNSHIP,
                     note="村级无法解决，转乡镇办理")
        for c in self.of("village_done"):
            self.act(c.station, c, "accept", note="当场受理")
            self.act(c.station, c, "conclude", result="已解决",
                     opinion="经村委会协调，双方达成一致，问题已解决。")
        self.sync("luming", "luodang")
        # 2. the county centre signs, accepts and assigns; the township and the departments
        #    sign what was sent to them straight
        self.sync("county", "ldz", "mzj", "zrzyj")
        for c in self.of(*to_centre[1:]):
            self.act("county", c, "sign", note="已签收")
        for c in self.of(*to_centre[2:]):
            self.act("county", c, "accept", note="已受理，交职能部门办理"
                     if c.kind in assigned else "由县群众诉求中心直接办理")
        for c in self.of(*assigned):
            dept_name = "县民政局" if c.dept == MZ else "县自然资源局"
            self.act("county", c, "assign", to_division=COUNTY, to_unit=c.dept, due=due,
                     report_required=True, note=f"请{dept_name}核实办理并报送办结报告")
        for c in self.of("centre_in_hand", "centre_overdue"):
            self.act("county", c, "progress", note="已电话联系反映人，正在核实")
        for c in self.of("township_done", "township_in_hand"):
            self.act("ldz", c, "sign")
            self.act("ldz", c, "accept", note="镇群众诉求中心受理")
        for c in self.of("township_done"):
            self.act("ldz", c, "conclude", result="已解决",
                     opinion="经镇村两级实地核查协调，问题已解决，已向反映人反馈。")
        for c in self.of(*direct):
            key = "mzj" if c.dept == MZ else "zrzyj"
            self.act(key, c, "sign")
            self.act(key, c, "accept", note="部门受理")
        for c in self.of("direct_done", "closed"):
            key = "mzj" if c.dept == MZ else "zrzyj"
            self.act(key, c, "conclude", result="已解决",
                     opinion="经核实，已按政策办理，结果已书面答复反映人。")
        self.sync("county", "ldz", "mzj", "zrzyj")
        # 3. the departments take up what the county assigned
        self.sync("mzj", "zrzyj")
        for c in self.of(*assigned[1:]):
            key = "mzj" if c.dept == MZ else "zrzyj"
            self.act(key, c, "sign", note="已签收")
            self.act(key, c, "accept", note="部门受理")
            if c.kind in ("ext_pending", "ext_approved"):
                self.act(key, c, "request_extension", days=15,
                         reason="需要现场勘测并征求相关村组意见，申请延期15天")
            if c.kind in ("report_pending", "report_accepted", "sent_back", "unresolved"):
                unresolved = c.kind == "unresolved"
                self.act(key, c, "conclude", outcome="unresolved" if unresolved else "resolved",
                         result="诉求不符合政策" if unresolved else "已解决",
                         opinion=("经核实，反映人诉求不符合现行政策规定，已向其解释说明。"
                                  if unresolved else
                                  "经实地核实，已按政策为反映人办理，结果已书面告知。"))
                self.act(key, c, "submit_report",
                         report="已按交办要求核实办理，处理意见书已送达反映人。")
        self.sync("mzj", "zrzyj")
        # 4. the county supervises: 督办, extension decisions, reports accepted or sent back
        self.sync("county")
        for c in self.of("dept_urged"):
            self.act("county", c, "urge", note="群众反映强烈，请加快办理并于期限内报告",
                     due=(date.today() + timedelta(days=5)).isoformat())
        for c in list(self.of("dept_overdue"))[:1]:
            self.act("county", c, "urge", note="已超过办理期限，请立即办结并说明原因",
                     due=(date.today() + timedelta(days=3)).isoformat())
        for c in self.of("ext_approved"):
            self.act("county", c, "decide_extension", approved=True, note="同意延期")
        for c in self.of("report_accepted", "unresolved"):
            self.act("county", c, "accept_report", note="办结报告审核通过")
        for c in self.of("sent_back"):
            self.act("county", c, "send_back", reason="答复未说明政策依据，请重新核实办理")
        self.sync("county")
        # 5. the registering villages do the 回访; then the department closes one case
        self.sync("luming", "luodang")
        for c in self.of("report_accepted", "direct_done", "closed", "township_done",
                         "village_done"):
            self.act(c.station, c, "follow_up", satisfaction="satisfied", method="电话回访")
        for c in self.of("unresolved"):
            self.act(c.station, c, "follow_up", satisfaction="dissatisfied",
                     method="上门回访", note="反映人对答复不满意")
        self.sync("luming", "luodang")
        self.sync("mzj", "zrzyj")
        for c in self.of("closed"):
            key = "mzj" if c.dept == MZ else "zrzyj"
            self.act(key, c, "close", reason="已依法办结并回访，反映人无新的事实和理由，终结")
        # 6. the county server sends it all up to the city; the city centre urges one case
        #    (every level above sees and urges its subtree), and that comes back down
        self.sync()
        self.sync("city")
        for c in list(self.of("dept_in_hand"))[:1]:
            self.act("city", c, "urge", note="市里挂牌督办，请县民政局限期办结并报告",
                     due=(date.today() + timedelta(days=7)).isoformat())
        self.sync("city")
        # 7. everyone syncs until everything is everywhere (two rounds)
        self.sync()
        self.sync()

    def county_statuses(self) -> dict[str, int]:
        from .services.common import load_state

        store = self.stations["county"].services.store
        with store.read() as s:
            return dict(Counter(str(load_state(s, c.case_id).status.value)
                                for c in self.cases))


def build_county_demo(root: Path, *, seed: int = 2026,
                      keep_server: bool = False) -> tuple[CountyDemoResult, CountyServer]:
    """Build the county demo into ``root`` (a new or empty folder).  Returns the result and
    the county server (running when ``keep_server``, with the city's as its ``upper``: its
    ``stop`` stops both; else both stopped)."""
    started = time.monotonic()
    root.mkdir(parents=True, exist_ok=True)
    server = CountyServer(root / "server")
    demo = CountyDemo(root, server, seed)
    for srv in (server, demo.city):
        srv.folder.mkdir(parents=True, exist_ok=True)
        srv.cli("init")
        srv.start()
    try:
        for spec in STATIONS:
            demo.open_station(spec, create=True)
        server.wait_ready()
        demo.city.wait_ready()
        demo.link_up()
        for st in demo.stations.values():
            demo.enroll(st)
        demo.sync()                       # the unit register and the holidays reach everyone
        demo.register_all()
        demo.run()
        statuses = demo.county_statuses()
    except BaseException:
        demo.close()
        server.stop()
        demo.city.stop()
        raise
    demo.close()
    server.upper = demo.city
    if not keep_server:
        server.stop()
    (root / ".county-demo").write_text("built\n", "utf-8")
    result = CountyDemoResult(root, len(demo.cases), server.url, statuses,
                              time.monotonic() - started)
    log.info("county demo built: %d cases in %.1f s", result.cases, result.seconds)
    return result, server


def start_servers(root: Path) -> CountyServer:
    """Start a built demo's county and city servers on their ports again; the county's is
    returned (its ``stop`` stops both)."""
    county = CountyServer(root / "server").start()
    city = CountyServer(root / "city-server").start()
    county.upper = city
    try:
        county.wait_ready()
        city.wait_ready()
    except BaseException:
        county.stop()
        raise
    return county


def is_built(root: Path) -> bool:
    return (root / ".county-demo").exists()


def county_station_paths(root: Path) -> AppPaths:
    return AppPaths(root / "stations" / "county")


# ---- what the demo left (the test and the command's summary) ------------------------------------
@dataclass
class CountyDemoCheck:
    stages: dict[str, int]               # the county's cases by step reached (a case may count
    #                                      under several: the demo's plan, checked by its test)
    workbench: dict[str, int]            # the county centre's own 工作队列 (QueueService), as
    #                                      its workbench page shows them
    statuses: dict[str, int]             # at the county centre: every case's status
    missing_on_server: dict[str, int]    # station key -> its own events the server lacks
    pending: dict[str, int]              # station key -> events still in its outbox
    quarantined: dict[str, int]          # station key -> records set aside
    refused: list[tuple[Any, ...]]       # records the server voided
    city_refused: list[tuple[Any, ...]]  # records the city's server voided
    county_not_at_city: int              # events of the county server the city lacks
    city_cases: int                      # cases the city centre's station holds
    cases: list[tuple[str, str, str, str]]   # (division, petitioner, summary, status), sorted


def stages_of(states: list[Any], overdue: set[str], near: set[str]) -> dict[str, int]:
    """How far the county's cases went, step by step, over the folded cases (a case may
    count under several).  Not the workbench's queues, which are one unit's own
    (petition_core/queues.py, ``CountyDemoCheck.workbench``)."""
    incoming = {"transferred", "assigned"}
    q: Counter[str] = Counter()
    for st in states:
        status = str(st.status.value)
        if status in incoming and not st.signed_at:
            q["待签收"] += 1
        if status in incoming and st.signed_at:
            q["待受理"] += 1
        if status == "accepted":
            q["办理中"] += 1
        if st.case_id in overdue:
            q["已超期"] += 1
        if st.case_id in near:
            q["即将超期"] += 1
        if st.urges and status not in ("followed_up", "closed"):
            q["督办中"] += 1
        if st.extension_request:
            q["延期待审批"] += 1
        if st.report and not st.report.get("accepted_at"):
            q["待审核办结"] += 1
        if st.redo_count:
            q["发回重办"] += 1
        if status == "concluded_unresolved" or (st.conclusion or {}).get(
                "outcome") == "unresolved":
            q["办结未解决"] += 1
        if status in ("followed_up", "closed"):
            q["已回访"] += 1
        if status == "closed":
            q["已终结"] += 1
    return dict(q)


def inspect_county_demo(root: Path) -> CountyDemoCheck:
    """Read back what :func:`build_county_demo` left in ``root`` (the server stopped)."""
    from sqlalchemy import select

    from petition_core.queues import Queue

    from .services import CaseQuery, StationServices
    from .services.common import load_state
    from .store.eventlog import list_quarantine, outbox_count
    from .store.models import EventRow
    from .store.models import Station as StationRow

    server = CountyServer(root / "server")
    city = CountyServer(root / "city-server")
    on_server = server.event_ids()
    on_city = city.event_ids()
    missing: dict[str, int] = {}
    pending: dict[str, int] = {}
    quarantined: dict[str, int] = {}
    states: list[Any] = []
    overdue: set[str] = set()
    near: set[str] = set()
    city_cases = 0
    workbench: dict[str, int] = {}
    for spec in STATIONS:
        svc = StationServices.open(AppPaths(root / "stations" / spec.key))
        try:
            with svc.store.read() as s:
                me = s.scalars(select(StationRow.station_id)).one()
                own = set(s.scalars(select(EventRow.event_id)
                                    .where(EventRow.station_id == me)).all())
                missing[spec.key] = len(own - (on_city if spec.server == "city"
                                               else on_server))
                pending[spec.key] = outbox_count(s)
                quarantined[spec.key] = len(list_quarantine(s))
                if spec.key == "city":
                    city_cases = len(set(s.scalars(select(EventRow.case_id)).all()))
                if spec.key == "county":
                    ids = sorted(set(s.scalars(select(EventRow.case_id)).all()))
                    states = [load_state(s, cid) for cid in ids]
            if spec.key == "county":
                workbench = {Queue(q).label: n for q, n in svc.queues.counts().counts}
                rows = svc.casebook.query(CaseQuery(overdue_only=True, limit=1000)).rows
                overdue = {r.case_id for r in rows}
                rows = svc.casebook.query(CaseQuery(near_due_only=True, limit=1000)).rows
                near = {r.case_id for r in rows}
        finally:
            svc.close()
    return CountyDemoCheck(
        stages=stages_of(states, overdue, near), workbench=workbench,
        statuses=dict(Counter(str(st.status.value) for st in states)),
        missing_on_server=missing, pending=pending, quarantined=quarantined,
        refused=server.refused(), city_refused=city.refused(),
        county_not_at_city=len(on_server - on_city), city_cases=city_cases,
        cases=sorted((st.division, str(st.fact("petitioner.name", "")),
                      str(st.fact("summary", "")), str(st.status.value)) for st in states))
