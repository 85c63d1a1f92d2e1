"""Demo data: realistic cases of a 洛党镇 village station in 凤庆县, following the seed
report's mix (DOMAIN.md "Measures"), written through the real services so every case has
its events, outbox rows and projection exactly as if a clerk had typed it.

Deterministic for a seed.  ``fill_bulk`` is the fast path for benchmarks (100,000 cases):
it writes the same kind of events straight through the store's event-log API in large
transactions.
"""
from __future__ import annotations

import logging
import random
from datetime import datetime, timedelta, timezone
from typing import Any

from stdnum.cn import ric

from petition_core.casenumber import format_case_no, new_query_code
from petition_core.events import EventDraft, EventType
from petition_core.ids import uuid7

from .services.types import ImportResult
from .store.eventlog import now_iso

log = logging.getLogger(__name__)

CST = timezone(timedelta(hours=8))
TOWNSHIP = "530921108000"   # 洛党镇
DEMO_VILLAGE = "530921108203"   # 洛党镇 鹿鸣村: the demo station
DEMO_LOGIN, DEMO_PASSWORD = "demo", "demo1234"
# seed report: infrastructure 43, other 35, social security 24, land 23, family 20,
# forest 11, benefit policy 9; the 24 it leaves unexplained spread over the rest
CATEGORY_WEIGHTS = {
    "infrastructure": 43, "other": 35, "social_security": 24, "land": 23,
    "family_neighbour": 20, "forest_land": 11, "benefit_policy": 9, "poverty_relief": 7,
    "arrears": 6, "education_health": 5, "suggestion": 3, "historical": 4,
}
CHANNEL_WEIGHTS = {"visit": 82, "phone": 6, "letter": 4, "box": 3, "cadre_visit": 3,
                   "liaison": 2}
SURNAMES = "李张杨王赵字罗鲁杞查曾单解段苏刘陈周何马胡郭施罗鲁"
GIVEN = ["建华", "德明", "正荣", "光辉", "玉芬", "桂英", "文学", "家福", "永祥", "国富",
         "春梅", "秀兰", "志强", "绍荣", "兴才", "朝云", "开明", "学忠", "丽萍", "红"]
PLACES = ["大村", "小河边", "上寨", "下寨", "新村", "茶园", "核桃林", "老街"]
TEXTS: dict[str, list[tuple[str, str, str]]] = {
    "infrastructure": [
        ("{p}组通组道路雨季垮塌无法通行", "{p}组通组道路去年雨季垮塌，至今未修复，车辆无法通行，"
         "群众运茶叶、核桃只能人背马驮。", "请求尽快修复道路"),
        ("{p}组人畜饮水管道破损断水", "{p}组饮水管道多处破损，已断水半个多月，群众到两公里外挑水。",
         "请求修复饮水管道"),
        ("{p}组路灯损坏无人维修", "{p}组村内路灯坏了三盏，晚上出行不便，多次反映无人维修。",
         "请求维修路灯"),
    ],
    "land": [
        ("承包地被邻居占用", "我家在{p}的承包地被邻居占用约半亩，多次协商无果。",
         "请求调解并退还土地"),
        ("土地征收补偿款未到位", "{p}修路征用我家土地，补偿款至今未发放到户。", "请求发放补偿款"),
    ],
    "social_security": [
        ("医保费缴纳后未到账", "我家今年已缴纳城乡居民医保费，看病时显示未参保。",
         "请求核实参保情况"),
        ("养老保险待遇未按时发放", "父亲已满60周岁，养老金至今未领到。", "请求核实并发放养老金"),
    ],
    "family_neighbour": [
        ("与邻居因滴水檐发生纠纷", "邻居新建房屋滴水檐伸到我家院内，双方多次争吵。",
         "请求村里调解"),
        ("赡养老人纠纷", "兄弟几人对母亲赡养问题有分歧，老人生活无着落。", "请求调解赡养问题"),
    ],
    "forest_land": [
        ("林地界线不清与邻组发生纠纷", "我组与邻组在{p}山林界线不清，砍伐时发生争执。",
         "请求勘界确权"),
    ],
    "benefit_policy": [
        ("低保评定不公开", "村里低保评定未公示，有的家庭条件好也评上了。", "请求公开评定结果"),
        ("危房改造补助未兑现", "我家危房改造已验收，补助资金尚未兑现。", "请求兑现补助"),
    ],
    "poverty_relief": [
        ("受灾后未获救助", "{p}上月冰雹灾害，我家茶园受损严重，未得到救助。",
         "请求核灾救助"),
    ],
    "arrears": [("务工工资被拖欠", "在{p}工地务工三个月，包工头拖欠工资。", "请求帮助追讨工资")],
    "education_health": [
        ("孩子上学交通困难", "{p}组学生到学校要走两小时山路。",
         "请求解决接送问题"),
    ],
    "suggestion": [
        ("建议增设农产品收购点", "{p}一带核桃、茶叶多，建议增设收购点。",
         "建议增设收购点"),
    ],
    "historical": [
        ("老宅基地权属遗留问题", "祖上留下的宅基地在{p}，权属多年未理清。",
         "请求确认权属"),
    ],
    "other": [
        ("反映村内垃圾乱堆放", "{p}路边垃圾长期堆放无人清运，气味难闻。", "请求清运垃圾"),
        ("反映犬只伤人", "邻居家狗在{p}咬伤小孩，对方不愿赔偿。", "请求协调处理"),
        ("咨询惠农补贴政策", "想了解今年耕地地力保护补贴发放标准和时间。", "请求答复"),
    ],
}
RESULTS = [("已解决", "经实地核查，问题已协调解决，已向反映人反馈。"),
           ("部分解决", "已协调解决部分问题，其余事项已告知反映人办理途径。"),
           ("已答复", "已按政策向反映人作出解释答复。")]


def _weighted(rng: random.Random, weights: dict[str, int], n: int) -> list[str]:
    total = sum(weights.values())
    out: list[str] = []
    for k, w in weights.items():
        out += [k] * round(n * w / total)
    while len(out) < n:
        out.append(rng.choice(list(weights)))
    rng.shuffle(out)
    return out[:n]


def id_number(rng: random.Random) -> str:
    born = datetime(1940, 1, 1) + timedelta(days=rng.randrange(0, 365 * 62))
    body = f"530921{born:%Y%m%d}{rng.randrange(0, 1000):03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum expects a placeholder digit


def phone(rng: random.Random) -> str:
    return rng.choice(["138", "139", "150", "151", "187", "158"]) + f"{rng.randrange(10**8):08d}"


def case_form(rng: random.Random, village: str, category: str, channel: str,
          received: datetime, person: tuple[str, str, str] | None) -> dict[str, Any]:
    summary, account, demands = rng.choice(TEXTS[category])
    place = rng.choice(PLACES)
    anonymous = person is None
    pet: dict[str, Any] = {"anonymous": anonymous, "address_division": village,
                           "address_detail": f"{place}村民小组"}
    if person is not None:
        pet.update(name=person[0], id_number=person[1], phone=person[2])
    return {"division": village, "channel": channel, "category": category,
            "statute_type": "suggestion" if category == "suggestion" else "appeal",
            "received_at": received.isoformat(timespec="minutes"), "petitioner": pet,
            "summary": summary.format(p=place), "account": account.format(p=place),
            "demands": demands}


def _plan(n: int) -> list[str]:
    """Outcome per case: mostly followed up; 2 in progress; a few overdue, near-due,
    declined and freshly registered (the seed: 187 concluded, 2 in progress)."""
    special = ["progress"] * 2 + ["overdue_decide", "overdue_conclude", "overdue_decide"] + \
        ["near_decide", "near_conclude", "near_decide"] + ["declined"] * 2 + ["fresh"] * 2
    special = special[:max(0, n // 8)] if n < 100 else special
    return special + ["done"] * (n - len(special))


def initialise_demo_station(services: Any) -> None:
    """Make a new data folder the demo station (``suqiu-station demo``, selftest)."""
    services.setup.initialise(DEMO_VILLAGE, "鹿鸣村群众诉求站", DEMO_LOGIN, DEMO_PASSWORD,
                              "演示值班员")


def fill_demo(services: Any, cases: int = 190, seed: int = 2015) -> ImportResult:
    """Register ``cases`` demo cases through the services and walk each one through its
    workflow.  The station must be initialised; actions are done as its first operator."""
    rng = random.Random(seed)
    st = services.setup.station()
    op = services.accounts.list_operators()[0]
    village = st.division
    now = datetime.now(CST).replace(second=0, microsecond=0)
    cats = _weighted(rng, CATEGORY_WEIGHTS, cases)
    chans = _weighted(rng, CHANNEL_WEIGHTS, cases)
    plan = _plan(cases)
    rng.shuffle(plan)
    sats = ["basically"] * round(20 * cases / 190) + ["dissatisfied"] * round(3 * cases / 190)
    people: list[tuple[str, str, str]] = []
    cs = services.cases
    events = 0
    done_ids: list[tuple[str, tuple[str, str, str] | None]] = []
    try:
        for i in range(cases):
            outcome = plan[i]
            age = {"overdue_decide": rng.randint(20, 40), "near_decide": 13,
                   "overdue_conclude": 75, "near_conclude": 60, "progress": rng.randint(10, 30),
                   "fresh": rng.randint(0, 3), "declined": rng.randint(20, 200)
                   }.get(outcome, rng.randint(40, 270))
            received = now - timedelta(days=age, hours=rng.randint(0, 6))
            if rng.random() < 0.05:
                person = None
            elif people and rng.random() < 0.06:
                person = rng.choice(people)   # comes back about another matter (or the same)
            else:
                person = (rng.choice(SURNAMES) + rng.choice(GIVEN), id_number(rng), phone(rng))
                people.append(person)
            form = case_form(rng, village, cats[i], chans[i], received, person)
            link = [cid for cid, p in done_ids if person is not None and p == person][:1]
            reg = services.intake.register(form, op, link_to=link)
            events += 1
            done_ids.append((reg.case_id, person))
            t = received + timedelta(hours=rng.randint(1, 48))

            def at(d: datetime) -> None:
                stamp = min(d, now).isoformat(timespec="seconds")
                cs.now = lambda: stamp

            if outcome in ("fresh", "overdue_decide", "near_decide"):
                continue
            if outcome == "declined":
                at(t)
                cs.decline(reg.case_id, op, reason="属于司法程序处理的事项",
                           other_channel="凤庆县人民法院")
                events += 1
                continue
            if outcome == "near_conclude":
                t = received + timedelta(days=3)
            at(t)
            cs.accept(reg.case_id, op, note="当场受理", notify_channel="on_spot")
            events += 1
            in_hand = outcome in ("progress", "overdue_conclude", "near_conclude")
            # the township handles it (seed: township 85, village 103).  After a 转办 only
            # the township may conclude (permission matrix), and its events reach this
            # station by sync: so the demo transfers only cases still being handled
            if in_hand and rng.random() < 0.45:
                at(t + timedelta(days=1))
                cs.transfer(reg.case_id, op, to_unit=TOWNSHIP,
                            note="村级无法解决，转乡镇办理")
                events += 1
            if in_hand:
                at(t + timedelta(days=5))
                cs.progress(reg.case_id, op, note="已实地查看，正在协调")
                events += 1
                continue
            concluded = min(t + timedelta(days=rng.randint(5, 45)), now - timedelta(days=2))
            at(concluded)
            result, opinion = rng.choice(RESULTS)
            cs.conclude(reg.case_id, op, result=result, opinion=opinion)
            at(min(concluded + timedelta(days=rng.randint(1, 10)), now))
            sat = sats.pop() if sats else "satisfied"
            cs.follow_up(reg.case_id, op, satisfaction=sat, method="电话回访")
            events += 2
    finally:
        cs.now = now_iso          # back to the real clock
    log.info("demo data filled: %d cases", cases)
    return ImportResult(cases=cases, events=events)


def fill_bulk(store: Any, n: int, *, seed: int = 1, batch: int = 2000) -> ImportResult:
    """Fast benchmark fill: ``n`` registered (a third also accepted) cases written through
    append_events in transactions of ``batch`` cases.  The station must be initialised."""
    from .store import append_events
    from .store.eventlog import next_counter, station_row

    rng = random.Random(seed)
    now = datetime.now(CST).replace(microsecond=0)
    cats = list(CATEGORY_WEIGHTS)
    events = 0
    done = 0
    while done < n:
        with store.session() as s:
            st = station_row(s)
            drafts: list[EventDraft] = []
            for _ in range(min(batch, n - done)):
                received = now - timedelta(days=rng.randint(0, 700), minutes=rng.randint(0, 900))
                form = case_form(rng, st.division, rng.choice(cats), "visit", received,
                             (rng.choice(SURNAMES) + rng.choice(GIVEN), id_number(rng),
                              phone(rng)))
                year = received.year
                case_id = uuid7()
                form.update(case_no=format_case_no(st.station_code, year,
                                                   next_counter(s, f"case_no:{year}")),
                            query_code=new_query_code(), clerk="bulk", links=[])
                drafts.append(EventDraft(case_id, EventType.REGISTERED, form, route=st.division))
                if rng.random() < 0.33:
                    drafts.append(EventDraft(case_id, EventType.ACCEPTED,
                                             {"at": (received + timedelta(days=1)).isoformat(),
                                              "note": "", "notify_channel": "on_spot",
                                              "supersedes": None}))
                done += 1
            events += len(append_events(s, drafts, "bulk"))
    return ImportResult(cases=n, events=events)
