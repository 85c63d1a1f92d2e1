"""County-wide repeat and 越级 detection at merge (Art. 19; issue 9 item 6;
sync_server/services/repeats.py): a registration is matched against every case the server
holds — same ID number in any village and year, same name in the same village, similar text
in the township's last years — and the match reaches the county and the registering
station in their pulls.  ID numbers and names are stored only as HMACs; sealed
registrations are never read.  A matter accepted below and still in time is flagged
``in_progress_below`` when it is registered again higher up."""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import select

from petition_core.events import Event, EventType
from sync_server.store.models import repeat_index, repeat_matches

from .helpers import COUNTY, OTHER_TOWNSHIP, VILLAGE_A, VILLAGE_B, Station, enrolled

T = EventType


def _id(first17: str) -> str:
    """A valid 18-character ID number (GB 11643 check character)."""
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return first17 + "10X98765432"[sum(int(c) * k for c, k in zip(first17, w, strict=True)) % 11]


ID_1 = _id("53092119800101001")
ID_2 = _id("53092119900101123")
ID_3 = _id("53092119920202111")
OTHER_VILLAGE_TOWNSHIP = OTHER_TOWNSHIP[:9] + "201"   # a village of another township

ROAD = ("村里修路占了我家承包地三分，说好的补偿款到现在也没有发，找过村委会几次都说等上面拨款",
        "修路占地的补偿款一直没发放，我家承包地被占了三分地，村委会总说等上面的钱")
SCHOOL = "孩子上学的校车停运了，早上要走两个小时山路，希望恢复校车"
WATER = "自来水管冬天冻裂以后一直没人来修，全组十几户吃水要到河里挑"


def _reg(st: Station, *, name: str, text: str, id_number: str | None = None,
         received: str = "2026-11-28", lamport: int = 1, village: str | None = None,
         **extra: Any) -> Event:
    pet: dict[str, Any] = {"name": name, "anonymous": False}
    if village:
        pet["address_division"] = village
    if id_number:
        pet["id_number"] = id_number
    n = st.seq + 1
    ev = st.event(data={"petitioner": pet, "summary": text, "account": text,
                        "case_no": f"{st.division}-{received[:4]}-{n:04d}",
                        "received_at": f"{received}T09:00:00+08:00", **extra})
    return replace(ev, lamport=lamport, occurred_at=f"{received}T09:00:00+08:00")


def _push(client, st: Station, *evs: Event):  # type: ignore[no-untyped-def]
    r = st.sync(client, list(evs), cursor=None)
    assert [a["status"] for a in r.json()["acks"]] == ["applied"] * len(evs), r.json()
    return r


def _matches(engine) -> set[tuple[str, str, str, str | None]]:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return {(r.case_id, r.matched_case_id, r.reason, r.flag)
                for r in conn.execute(select(repeat_matches))}


def test_same_id_number_matches_across_villages_and_years_stored_only_as_a_hash(server):
    client, engine = server
    a = enrolled(client, engine, VILLAGE_A)
    far = enrolled(client, engine, OTHER_VILLAGE_TOWNSHIP)
    old = _reg(a, name="李四", text=SCHOOL, id_number=ID_1, received="2021-03-02")
    _push(client, a, old)
    new = _reg(far, name="李四", text=WATER, id_number=ID_1)
    _push(client, far, new)
    assert _matches(engine) == {(new.case_id, old.case_id, "id_number", None)}
    with engine.connect() as conn:
        rows = [tuple(str(v) for v in r) for r in conn.execute(select(repeat_index))]
    assert rows and not any(ID_1 in v or ID_1.lower() in v or "李四" in v
                            for r in rows for v in r)   # never the clear value


def test_same_name_same_village_matches_and_another_village_does_not(server):
    client, engine = server
    a, b = enrolled(client, engine, VILLAGE_A), enrolled(client, engine, VILLAGE_B)
    first = _reg(a, name="王五", text=SCHOOL, received="2019-05-06")
    _push(client, a, first)
    elsewhere = _reg(b, name="王五", text=WATER)      # same name, the next village
    _push(client, b, elsewhere)
    assert _matches(engine) == set()
    again = _reg(a, name=" 王五", text=WATER)          # same village, years later
    _push(client, a, again)
    assert (again.case_id, first.case_id, "name_village", None) in _matches(engine)
    assert not any(m[0] == elsewhere.case_id or m[1] == elsewhere.case_id
                   for m in _matches(engine) if m[2] == "name_village")


def test_similar_text_in_the_township_matches_an_unrelated_text_does_not(server):
    client, engine = server
    a, b = enrolled(client, engine, VILLAGE_A), enrolled(client, engine, VILLAGE_B)
    # the same text, but more than CONTENT_YEARS back: outside the window
    far_back = _reg(a, name="周九", text=ROAD[0], received="2015-01-01")
    _push(client, a, far_back)
    first = _reg(a, name="赵六", text=ROAD[0], received="2023-08-01")
    unrelated = _reg(a, name="钱七", text=SCHOOL, received="2024-01-01")
    _push(client, a, first, unrelated)
    similar = _reg(b, name="孙八", text=ROAD[1])
    _push(client, b, similar)
    assert {(m[0], m[1], m[2]) for m in _matches(engine)} == {
        (similar.case_id, first.case_id, "content")}


def test_a_sealed_registration_is_never_indexed_read_or_matched(server):
    client, engine = server
    a = enrolled(client, engine, VILLAGE_A)
    sealed = a.event(sealed=b"\x01" * 80)
    _push(client, a, sealed)
    plain = _reg(a, name="张三", text="诉求 1 经过。", id_number=ID_1)
    _push(client, a, plain)
    with engine.connect() as conn:
        indexed = {r.case_id for r in conn.execute(select(repeat_index.c.case_id))}
    assert indexed == {plain.case_id}
    assert _matches(engine) == set()


def _accepted_case(client, engine, received: str = "2026-11-01"):  # type: ignore[no-untyped-def]
    village = enrolled(client, engine, VILLAGE_A)
    reg = _reg(village, name="吴十", text=SCHOOL, id_number=ID_1, received=received)
    accept = replace(village.event(case_id=reg.case_id, type=T.ACCEPTED,
                                   data={"note": "", "notify_channel": "on_spot"}),
                     lamport=2, occurred_at=f"{received}T10:00:00+08:00")
    _push(client, village, reg, accept)
    return village, reg


def test_in_progress_below_is_flagged_when_the_county_registers_it_again(server):
    client, engine = server
    village, reg = _accepted_case(client, engine)
    county = enrolled(client, engine, COUNTY)
    # the county writes down where the petitioner lives: the same name in the same village
    again = _reg(county, name="吴十", text=SCHOOL, id_number=ID_1, village=VILLAGE_A)
    r = county.sync(client, [again], cursor=0)   # push, then pull in the same request
    flags = {(m[2], m[3]) for m in _matches(engine) if m[:2] == (again.case_id, reg.case_id)}
    assert flags == {("id_number", "in_progress_below"), ("name_village", "in_progress_below"),
                     ("content", "in_progress_below")}
    # the county sees it in the same answer's pull
    reps = r.json()["repeats"]
    assert {(x["case_id"], x["matched_case_id"], x["matched_case_no"], x.get("flag"))
            for x in reps} == {(again.case_id, reg.case_id, f"{VILLAGE_A}-2026-0001",
                                "in_progress_below")}
    assert all(set(x) <= {"case_id", "matched_case_id", "matched_case_no", "reason",
                          "score", "flag"} for x in reps)   # no name, no text, no ID
    # the same village again (not a higher level): a repeat, not 越级
    same_level = _reg(village, name="吴十", text=WATER, id_number=ID_1, lamport=3)
    _push(client, village, same_level)
    assert {m[3] for m in _matches(engine) if m[0] == same_level.case_id} == {None}


def test_no_flag_when_the_lower_case_is_concluded_or_out_of_time_or_not_accepted(server):
    client, engine = server
    village, reg = _accepted_case(client, engine, received="2026-01-05")
    county = enrolled(client, engine, COUNTY)
    # 60 days from 2026-01-05 have passed on 2026-11-28: out of time
    late = _reg(county, name="吴十", text=WATER, id_number=ID_1)
    _push(client, county, late)
    assert {m[3] for m in _matches(engine) if m[0] == late.case_id} == {None}
    # in time, but concluded
    village2 = enrolled(client, engine, VILLAGE_B)
    reg2 = _reg(village2, name="郑一", text=SCHOOL, id_number=ID_2,
                received="2026-11-20")
    acc = replace(village2.event(case_id=reg2.case_id, type=T.ACCEPTED,
                                 data={"note": "", "notify_channel": "on_spot"}), lamport=2)
    done = replace(village2.event(case_id=reg2.case_id, type=T.CONCLUDED,
                                  data={"result": "resolved", "opinion": "已答复"}), lamport=3)
    _push(client, village2, reg2, acc, done)
    again = _reg(county, name="郑一", text=WATER, id_number=ID_2)
    _push(client, county, again)
    assert {m[3] for m in _matches(engine) if m[0] == again.case_id} == {None}
    # registered below, never accepted
    reg3 = _reg(village2, name="冯二", text=WATER, id_number=ID_3,
                received="2026-11-27", lamport=4)
    _push(client, village2, reg3)
    third = _reg(county, name="冯二", text=SCHOOL, id_number=ID_3)
    _push(client, county, third)
    assert {m[3] for m in _matches(engine) if m[0] == third.case_id} == {None}


def test_the_registering_village_sees_the_finding_and_another_village_does_not(server):
    client, engine = server
    a, b = enrolled(client, engine, VILLAGE_A), enrolled(client, engine, VILLAGE_B)
    far = enrolled(client, engine, OTHER_VILLAGE_TOWNSHIP)
    first = _reg(far, name="陈三", text=WATER, id_number=ID_1, received="2020-01-01")
    _push(client, far, first)
    cur_b = b.sync(client).json()["pull"]["cursor"]
    new = _reg(a, name="陈三", text=SCHOOL, id_number=ID_1)
    r = _push(client, a, new)
    assert r.json().get("repeats") is None   # a push without a pull carries none
    reps = a.sync(client).json()["repeats"]
    assert [(x["case_id"], x["matched_case_id"], x["reason"]) for x in reps] == [
        (new.case_id, first.case_id, "id_number")]
    assert "repeats" not in b.sync(client, cursor=cur_b).json()   # not its case


def test_a_huge_push_is_compared_by_text_only_within_a_budget(server, monkeypatch, caplog):
    """The merge holds the writer lock: a push of many registrations compares texts only
    up to CONTENT_PAIR_BUDGET pairs; the keyed reasons still apply to every one."""
    from sync_server.services import repeats

    monkeypatch.setattr(repeats, "CONTENT_PAIR_BUDGET", 1)
    client, engine = server
    a = enrolled(client, engine, VILLAGE_A)
    evs = [_reg(a, name=f"张{n}", text=ROAD[n % 2], id_number=ID_1 if n != 1 else None,
                received=f"2026-11-2{n}") for n in range(3)]
    _push(client, a, *evs)
    got = {(m[0], m[1], m[2]) for m in _matches(engine)}
    assert (evs[2].case_id, evs[0].case_id, "id_number") in got
    # the second registration's one comparison fits the budget, the third's two do not
    assert {g for g in got if g[2] == "content"} == {(evs[1].case_id, evs[0].case_id,
                                                      "content")}
    assert "budget" in caplog.text
