"""A township's day of registrations for the relay benchmarks: 13 villages × 20 登记 events
whose accounts (反映内容) are Chinese of median ~360 characters, as the issue measured.

The text is clause templates filled with names, places, amounts and dates (the stock
phrases a clerk writes), plus a stretch of words drawn Zipf-wise from a vocabulary made of
the 2,500 most common GB2312 characters (the varied detail of a real account: not
readable, but about as compressible: ~1.1 bytes per character after zstd, where
the 5 repeating sentences of ``bench_sync_wire`` compress 10× better than real text).
Deterministic for a seed; zstd-3 of the 260 events' canonical JSON comes to ≈ 125 KB,
as the issue's measured day (126 KB).
"""
from __future__ import annotations

import csv
import random
import statistics

from petition_core.events import EventDraft, EventType
from petition_core.ids import uuid7
from petition_core.resources import resource_path
from station_app.store import append_events

SURNAMES = "李张杨王赵字罗鲁杞查曾单解段苏刘陈周何马胡郭施谢尹毕董邓余"
GIVEN = "建华德明正荣光辉玉芬桂英文学家福永祥国富春梅秀兰志强绍荣兴才朝云开明学忠丽萍红艳" \
        "金凤世昌有才成林发贵仕林自德保生天顺绍华加兴应祥云仙会芬"
PLACES = ("大村", "小河边", "上寨", "下寨", "新村", "茶园", "核桃林", "老街", "箐头", "坡脚",
          "大平地", "松树林", "田坝", "河尾", "岔路口", "水井湾", "石头寨", "麦地", "营盘", "梁子")
THINGS = ("通组道路", "饮水管道", "灌溉沟渠", "挡土墙", "村内路灯", "公厕", "蓄水池", "便民桥",
          "活动室屋顶", "茶叶初制所", "垃圾收集房", "排水沟", "电杆线路", "学校围墙")
UNITS = ("村委会", "镇政府", "镇农业农村服务中心", "镇林草服务中心", "镇社会保障服务中心",
         "县自然资源局", "镇村镇规划建设服务中心", "县供电局营业所", "镇司法所", "镇派出所")
OPENERS = (
    "我是{v}{p}村民小组村民{n}，家中{k}口人，主要靠种茶和核桃为生。",
    "反映人{n}，住{v}{p}组，{y}年出生，今天来{u}反映以下情况。",
    "{n}代表{p}组{k}户群众前来反映，大家推选他来说明情况。",
    "来电人{n}称，其住在{v}{p}，有事情要反映，之前已经反映过{k}次。",
)
MIDDLES = (
    "{y2}年{m}月{u}在{p}修建{t}，占用了我家承包地约{a}亩，当时说好每亩补偿{r}元，"
    "至今只发放了{r2}元，剩下的一直没有兑现。",
    "{p}的{t}从{m}月份开始就坏了，雨季一来{x}，群众出行和生产都受到很大影响，"
    "我们找过村民小组长{n2}，他说要等上面拨资金。",
    "今年{m}月{d}日，邻居{n2}在两家交界处砌墙，把我家的出水口堵住了，"
    "下雨时水倒灌进院子，{x}，双方争吵过好几次。",
    "我家{y2}年评上了低保，{m}月份突然被取消，村里没有公示也没有告诉原因，"
    "家里老人{k}十多岁，常年吃药，现在生活很困难。",
    "在{p}工地上帮{n2}做了{k}个月的活，说好每天{r}元，结账时只给了{r2}元，"
    "其余的一直拖着不给，打电话也不接。",
    "{p}一带的林地与邻组{v2}的界线一直说不清楚，{m}月份对方来砍树，"
    "我们拿出{y2}年的林权证，对方不认可，{x}。",
    "危房改造去年{m}月就验收了，当时说年底补助资金会打到卡上，"
    "到现在{k}个多月了还没有到账，问{u}说还在走程序。",
    "孩子在镇中心学校读书，每天要走{k}个小时山路，{p}到学校的路在雨季{x}，"
    "家长们很担心孩子的安全。",
)
CLOSERS = (
    "希望{u}能够尽快派人实地查看，给我们一个明确的答复。",
    "请求上级核实情况，依法依规处理，维护我们的合法权益。",
    "我们不想闹事，只是希望问题能得到解决，{m}月底之前能有个结果。",
    "如果需要材料，我们可以提供当时的协议和照片，联系电话见登记表。",
)
TROUBLES = ("路面垮塌车辆无法通行", "泥石流冲毁了一段", "水管被冲断停水", "墙体出现裂缝有倒塌危险",
            "积水很深老人小孩过不去", "已经有人摔伤", "茶叶运不出去", "庄稼被淹了两亩多")


def _vocabulary(seed: int = 5) -> tuple[list[str], list[float]]:
    chars = [bytes([a, b]).decode("gb2312") for a in range(0xB0, 0xD8)
             for b in range(0xA1, 0xFF) if not (a == 0xD7 and b > 0xF9)][:2500]
    rng = random.Random(seed)
    words = ["".join(rng.choice(chars) for _ in range(rng.choice((1, 2, 2, 2, 3, 4))))
             for _ in range(6000)]
    return words, [1.0 / (i + 1) for i in range(len(words))]


_VOCAB = _vocabulary()


def _detail(rng: random.Random, n: int) -> str:
    out = ""
    while len(out) < n:
        out += "".join(rng.choices(_VOCAB[0], _VOCAB[1], k=rng.randint(3, 9))) + \
            rng.choice("，，，。、")
    return out[:n - 1] + "。"


def _villages() -> list[str]:
    with resource_path("divisions", "fengqing_county.csv").open(encoding="utf-8") as fh:
        return [r["name"] for r in csv.DictReader(fh) if r["level"] == "5"]


def _id_number(rng: random.Random) -> str:
    """A valid 18-digit number of this county (the county's gate checks the check digit)."""
    body = (f"530921{rng.randrange(1950, 2005)}{rng.randrange(1, 13):02d}"
            f"{rng.randrange(1, 29):02d}{rng.randrange(0, 1000):03d}")
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]


def _name(rng: random.Random) -> str:
    n = rng.choice(SURNAMES) + rng.choice(GIVEN)
    return n + rng.choice(GIVEN) if rng.random() < 0.7 else n


def account_text(rng: random.Random, village_names: list[str]) -> str:
    """One account: an opener, one or two stock middles, a stretch of varied detail and a
    closer (median ~360 characters)."""
    def fill(t: str) -> str:
        return t.format(
            v=rng.choice(village_names), v2=rng.choice(village_names), p=rng.choice(PLACES),
            n=_name(rng), n2=_name(rng), k=rng.randint(2, 9), y=rng.randint(1945, 2000),
            y2=rng.randint(2015, 2025), m=rng.randint(1, 12), d=rng.randint(1, 28),
            a=rng.choice(("0.3", "0.5", "0.8", "1.2", "半")), r=rng.randrange(80, 3000, 10),
            r2=rng.randrange(50, 1500, 10), t=rng.choice(THINGS), u=rng.choice(UNITS),
            x=rng.choice(TROUBLES))
    parts = [fill(rng.choice(OPENERS))]
    parts += [fill(t) for t in rng.sample(MIDDLES, rng.choice((1, 1, 2)))]
    parts.append(_detail(rng, rng.randint(120, 300)))
    parts.append(fill(rng.choice(CLOSERS)))
    return "".join(parts)


def registrations(st, n: int, rng: random.Random) -> list:  # noqa: ANN001
    """``n`` 登记 events shaped like the intake form's, with long Chinese accounts."""
    names = _villages()
    drafts = []
    for i in range(n):
        account = account_text(rng, names)
        data = {
            "case_no": f"{st.division}-2026-{i + 1:04d}",
            "query_code": "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(6)),
            "division": st.division, "channel": rng.choice(["visit", "phone", "letter"]),
            "category": rng.choice(["land", "social_security", "infrastructure", "other"]),
            "statute_type": "appeal", "discipline": False, "received_at": "2026-11-28T10:15",
            "clerk": "值班员", "summary": account[8:30], "account": account,
            "demands": "请求" + _detail(rng, rng.randint(20, 60)),
            "petitioner": {"name": _name(rng),
                           "id_number": _id_number(rng),
                           "phone": f"139{rng.randrange(10**7, 10**8)}",
                           "address_division": st.division,
                           "address_detail": rng.choice(PLACES) + "村民小组",
                           "anonymous": False},
        }
        drafts.append(EventDraft(case_id=uuid7(), type=EventType.REGISTERED, data=data,
                                 route=st.division))
    with st.store.session() as s:
        return append_events(s, drafts, "clerk01")


def median_account_chars(events) -> float:  # noqa: ANN001
    import json

    return statistics.median(len(json.loads(e.payload)["account"]) for e in events)
