"""Five levels end to end, the same protocol at every hop (issue 9 item 7).

An offline village → its township by USB bundle → the county server → the city server →
the province server, all real: three ``suqiu-server serve`` processes linked by the
servers' own ``upstream-enroll`` / ``upstream-sync`` commands, and real station stores with
their real sync engines and bundle files (helpers: tests/sync/levels.py).

Every hop asserts which event ids arrived where.  Every server judges each event with the
permission matrix (petition_core/permissions.py) on the case it folded: the 督办 come from
levels above the case (the city, the province), the 签收/受理/办结 from 县民政局, the unit
the village transferred the case to by its unit code; every action is taken through the
station's own services, which apply the same matrix first.
"""
from __future__ import annotations

import hashlib
import os

import pytest

from station_app.services.casebook import CasebookService
from station_app.services.cases import CaseService
from station_app.services.common import load_state
from station_app.services.intake import IntakeService
from station_app.services.types import CaseQuery
from station_app.sync.bundles import export_bundle, import_bundle, write_return_bundle

from .levels import (
    CITY,
    CLERK,
    COUNTY,
    MZ,
    PROVINCE,
    TOWNSHIP,
    VILLAGE,
    Levels,
    cli,
    keys,
    move_case,
    server_author,
    server_ids,
    server_scalar,
    server_type_of,
    start_servers,
    sync,
    sync_up,
    types_of,
    urge,
)
from .stations import event_ids, pending


def _form() -> dict:
    from datetime import datetime, timedelta

    return {
        "channel": "visit", "category": "land", "statute_type": "appeal",
        "received_at": (datetime.now().astimezone()
                        - timedelta(hours=2)).isoformat(timespec="minutes"),
        "petitioner": {"name": "李建华", "id_number": "53092119800101123X",
                       "phone": "13812345678", "address_division": VILLAGE,
                       "address_detail": "大村村民小组"},
        "summary": "低保评定不公开", "account": "村里评定低保没有公示，请求核实。",
        "demands": "请求公开评定结果",
    }


@pytest.fixture(scope="module")
def pg_server():
    """A throw-away PostgreSQL (tests/server/pg.py); skipped without one, except in CI."""
    from tests.server.pg import PgServer, PostgresUnavailable

    try:
        server = PgServer()
    except PostgresUnavailable as exc:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI: {exc}")
        pytest.skip(f"PostgreSQL not available: {exc}")
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def levels(request, tmp_path):
    """The three servers; in the postgres case the city and the province run on PostgreSQL
    (the county stays on SQLite: a small county and a big city, the same protocol)."""
    dbs = None
    if request.param == "postgres":
        pg = request.getfixturevalue("pg_server")
        dbs = {"city": pg.create_db(), "province": pg.create_db()}
    lv = start_servers(tmp_path / "servers", dbs)
    yield lv
    lv.stop()


def test_a_village_case_goes_up_five_levels_and_the_city_and_county_act_on_it(
        levels: Levels, tmp_path):
    county_srv, city_srv, prov_srv = levels.county, levels.city, levels.province
    # enrolled once (the village PC went to the township with its code); offline since
    village = levels.station(tmp_path / "village", VILLAGE, "鹿鸣村", county_srv)
    township = levels.station(tmp_path / "township", TOWNSHIP, "洛党镇", county_srv)
    # 县民政局, the city's and the province's centres: set up at first run, enrolled with
    # their own level's server
    county_st, mz_op = levels.first_run(tmp_path / "county", COUNTY, "凤庆县民政局",
                                        county_srv, unit=MZ, login="mzj")
    city_st, city_op = levels.first_run(tmp_path / "city", CITY, "临沧市信访局", city_srv)

    # ---- the village registers through its intake service and transfers to 县民政局 ---------
    intake = IntakeService(village.store, village.paths)
    photo = b"\xff\xd8\xff" + os.urandom(300_000)       # a scanned letter: 2 upload chunks
    sha = hashlib.sha256(photo).hexdigest()
    (tmp_path / "信件.jpg").write_bytes(photo)
    ref = intake.import_attachment(tmp_path / "信件.jpg")
    reg = intake.register({**_form(), "attachments": [ref]}, CLERK)
    case = reg.case_id
    cases_v = CaseService(village.store)
    # 转办 to 县民政局 by its unit code: from then on it alone handles the case
    cases_v.transfer(case, CLERK, to_division=COUNTY, to_unit=MZ, note="涉及低保政策")
    own = set(types_of(village, case))
    assert len(own) == 2 and pending(village) == 2

    # ---- hop 1: village → township by USB bundle ------------------------------------------
    usb = tmp_path / "luming.suqiu"
    assert export_bundle(village.store, keys(village), usb) == 2
    imp = import_bundle(township.store, township.paths, usb)
    assert (imp.kind, imp.applied, imp.queued_for_relay) == ("push", 2, True)
    assert own <= event_ids(township)

    # ---- hop 2: township → county server (relay) ------------------------------------------
    r = sync(township, county_srv)
    assert (r.relayed_bundles, r.rejected) == (1, 0)
    assert own <= server_ids(county_srv)
    assert server_ids(city_srv) == set() and server_ids(prov_srv) == set()

    # ---- hop 3: county server → city server; hop 4: city server → province server --------
    # (as child processes, the way the operator runs them; later runs in this process)
    up = sync_up(county_srv, process=True)
    assert (up.sent, up.received) == (2, 0), up.output
    assert own <= server_ids(city_srv)
    up = sync_up(city_srv, process=True)
    assert (up.sent, up.received) == (2, 0), up.output
    assert server_ids(prov_srv) == own                     # the case reaches the province
    # … with the letter the village scanned: relayed by the township, sent up by each server
    for srv in (county_srv, city_srv, prov_srv):
        assert (srv.blobs / sha[:2] / sha).read_bytes() == photo, srv.root.name

    # ---- the way down: a 督办 issued by a city station ------------------------------------
    r = sync(city_st, city_srv)
    assert r.pulled == 2 and own <= event_ids(city_st)     # the city sees the village's case
    urged = urge(city_st, case, city_op, "请于五个工作日内报告低保评定情况")
    r = sync(city_st, city_srv)
    assert r.applied == 1 and pending(city_st) == 0
    assert urged in server_ids(city_srv) and urged not in server_ids(county_srv)
    # city server → county server: the county's upstream-sync pulls it
    up = sync_up(county_srv)
    assert (up.sent, up.received) == (0, 1), up.output
    assert server_type_of(county_srv, urged) == "case.urged"
    # and the city sends it on to the province (the province sees its subtree's 督办)
    up = sync_up(city_srv)
    assert (up.sent, up.received) == (1, 0), up.output
    assert urged in server_ids(prov_srv)
    # a province station urges too: its 督办 comes down two server hops
    prov_st, prov_op = levels.first_run(tmp_path / "province", PROVINCE, "云南省信访局",
                                        prov_srv)
    r = sync(prov_st, prov_srv)
    assert r.pulled == 3 and {*own, urged} <= event_ids(prov_st)
    prov_urged = urge(prov_st, case, prov_op, "省里挂牌督办")
    assert sync(prov_st, prov_srv).applied == 1
    up = sync_up(city_srv)
    assert (up.sent, up.received) == (0, 1), up.output
    assert prov_urged in server_ids(city_srv) and prov_urged not in server_ids(county_srv)
    up = sync_up(county_srv)
    assert (up.sent, up.received) == (0, 1), up.output
    assert server_type_of(county_srv, prov_urged) == "case.urged"
    urges = {urged, prov_urged}
    # county server → township (online sync) → village (the township's return bundle)
    sync(township, county_srv)
    assert urges <= event_ids(township)
    back = tmp_path / "luming-return.suqiu"
    write_return_bundle(township.store, keys(township), township.paths, village.station_id, back)
    got = import_bundle(village.store, village.paths, back)
    assert (got.kind, got.acked_own) == ("return", 2)      # the county's receipt came too
    assert {types_of(village, case)[u] for u in urges} == {"case.urged"}
    assert pending(village) == 0
    # the clerk sees both 督办 on the case (on main the fold counts them; the queue's
    # 督办中 column comes with issue 9's county workbench)
    detail = cases_v.detail(case, CLERK)
    assert {e.event_id for e in detail.timeline
            if e.type == "case.urged" and not e.actor_local} == urges
    with village.store.read() as s:
        assert load_state(s, case).urges == 2

    # ---- the way up from the county: 县民政局 concludes ------------------------------------
    r = sync(county_st, county_srv)
    assert {*own, *urges} <= event_ids(county_st)
    cases_c = CaseService(county_st.store)
    cases_c.sign(case, mz_op)                               # 签收, then 受理, then 办结
    cases_c.accept(case, mz_op)
    done = cases_c.conclude(case, mz_op, result="已核实并公示",
                            opinion="经核实，低保评定已按程序补充公示。")
    assert done.status == "concluded"
    handled = {e for e, t in types_of(county_st, case).items()
               if t in ("case.signed", "case.accepted", "case.concluded")}
    concluded = {e for e, t in types_of(county_st, case).items() if t == "case.concluded"}
    assert len(handled) == 3 and len(concluded) == 1
    r = sync(county_st, county_srv)
    assert r.applied == 3 and handled <= server_ids(county_srv), r
    up = sync_up(county_srv)
    assert (up.sent, up.received) == (3, 0), up.output
    assert handled <= server_ids(city_srv)                 # the conclusion reaches the city
    up = sync_up(city_srv)
    assert (up.sent, up.received) == (3, 0), up.output
    assert handled <= server_ids(prov_srv)                 # … and the province
    [conclusion] = concluded
    assert server_scalar(county_srv, "SELECT unit FROM stations WHERE station_id = :s",
                         s=county_st.station_id) == MZ      # as 县民政局, enrolled for it
    assert {server_author(srv, e) for srv in (county_srv, city_srv, prov_srv)
            for e in handled} == {county_st.station_id}
    # the city station sees the case concluded on its next sync
    sync(city_st, city_srv)
    assert handled <= event_ids(city_st)
    assert CaseService(city_st.store).detail(case, city_op).status == "concluded"

    # the village learns of it from the township's next return bundle
    sync(township, county_srv)
    again = tmp_path / "luming-return-2.suqiu"
    write_return_bundle(township.store, keys(township), township.paths, village.station_id,
                        again)
    import_bundle(village.store, village.paths, again)
    assert handled <= event_ids(village)
    assert cases_v.detail(case, CLERK).status == "concluded"
    page = CasebookService(village.store).query(CaseQuery(statuses=("concluded",)))
    assert [row.case_id for row in page.rows] == [case]     # in the village's case list

    # ---- every level holds the same seven events, each exactly once ------------------------
    everything = {*own, *urges, *handled}
    for srv in (county_srv, city_srv, prov_srv):
        assert server_ids(srv) == everything
    # nothing goes round again: a second run of each hop moves nothing
    for srv in (county_srv, city_srv):
        up = sync_up(srv)
        assert (up.sent, up.received) == (0, 0), up.output


# SQLite only (three more processes cost seconds; the judging code is the same on
# PostgreSQL, where tests/server runs it)
@pytest.mark.parametrize("levels", ["sqlite"], indirect=True)
def test_the_province_judges_what_a_city_relays_as_the_village_the_county_registered(
        levels: Levels, tmp_path):
    """The same gate at the top hop: a city server whose database was tampered with (a
    village's case moved into another county of the same city, which the city itself may
    register in) sends it up; the province judges the record as the village that the
    county-signed register places in 洛党镇, refuses it, lists it under ``suqiu-server
    rejected``, and the village's later record still goes up."""
    county_srv, city_srv, prov_srv = levels.county, levels.city, levels.province
    village = levels.station(tmp_path / "village", VILLAGE, "鹿鸣村", county_srv)
    first = IntakeService(village.store, village.paths).register(_form(), CLERK)
    assert sync(village, county_srv).applied == 1
    [planted] = types_of(village, first.case_id)
    assert sync_up(county_srv).sent == 1 and planted in server_ids(city_srv)
    move_case(city_srv, planted, "530902001201")                # a village of 临翔区
    up = sync_up(city_srv, refused=True)
    assert up.sent == 0 and planted in up.output and "[event_not_permitted]" in up.output
    assert server_ids(prov_srv) == set()
    rc, listed = cli(prov_srv, "rejected")
    assert rc == 0 and planted in listed
    # one refused record does not stall the city: the village's next case goes up
    second = IntakeService(village.store, village.paths).register(
        {**_form(), "summary": "道路损坏", "account": "村道雨季垮塌，请求修复。"}, CLERK)
    assert sync(village, county_srv).applied == 1
    [later] = types_of(village, second.case_id)
    assert sync_up(county_srv).sent == 1
    up = sync_up(city_srv)
    assert (up.sent, up.already) == (1, 0), up.output
    assert server_ids(prov_srv) == {later}
