"""Case book queries: every filter, sort and paging; full text (trigram and the short-term
LIKE fallback); pinyin name search by either reading of 曾; query codes; dashboard counts."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from station_helpers import form

from station_app.services import CaseQuery, ServiceError


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """Six cases with known names, categories, channels, dates and statuses; built once
    per module (the tests only read)."""
    from station_helpers import TEST_VILLAGE

    from station_app.paths import AppPaths
    from station_app.services import StationServices

    services = StationServices.open(AppPaths(tmp_path_factory.mktemp("book")))
    services.setup.initialise(TEST_VILLAGE, "鹿鸣村群众诉求站", "admin", "admin1234", "管理员")
    op = services.accounts.authenticate("admin", "admin1234")
    now = datetime.now().astimezone()
    specs = [
        # name, category, channel, days ago, summary
        ("曾国富", "land", "visit", 1, "承包地被邻居占用"),
        ("单玉芬", "infrastructure", "phone", 5, "通组道路雨季垮塌"),
        ("解文学", "infrastructure", "visit", 20, "饮水管道破损断水"),
        ("李建华", "social_security", "letter", 40, "医保缴费后未到账"),
        (None, "other", "box", 3, "反映村内垃圾乱堆放"),
        ("张春梅", "land", "visit", 10, "土地征收补偿款未到位"),
    ]
    ids = {}
    for name, cat, chan, ago, summary in specs:
        pet = {"anonymous": True} if name is None else {"name": name}
        f = form(category=cat, channel=chan, summary=summary, petitioner=pet,
                 received_at=(now - timedelta(days=ago)).isoformat(timespec="minutes"))
        ids[name or "匿名"] = services.intake.register(f, op)
    services.cases.accept(ids["李建华"].case_id, op)
    services.cases.decline(ids["张春梅"].case_id, op, reason="属于诉讼程序")
    yield services, ids
    services.close()


@pytest.fixture
def services(shared):
    return shared[0]


@pytest.fixture
def book(shared):
    return shared[1]


def names(page) -> list[str]:
    return [r.petitioner_display for r in page.rows]


def test_default_sort_is_newest_first(services, book):
    page = services.casebook.query(CaseQuery())
    assert page.total == 6 and not page.total_capped
    assert names(page) == ["曾国富", "匿名", "单玉芬", "张春梅", "解文学", "李建华"]
    asc = services.casebook.query(CaseQuery(descending=False))
    assert names(asc) == list(reversed(names(page)))


@pytest.mark.parametrize("query,expected", [
    ("zeng", {"曾国富"}), ("ceng", {"曾国富"}), ("zgf", {"曾国富"}), ("cgf", {"曾国富"}),
    ("shan", {"单玉芬"}), ("dan", {"单玉芬"}), ("xie", {"解文学"}), ("jie", {"解文学"}),
    ("曾", {"曾国富"}), ("国富", {"曾国富"}), ("Zeng Guofu", {"曾国富"}), ("zhang", {"张春梅"}),
    ("li", {"李建华"}), ("wang", set()),
])
def test_name_search_by_any_reading(services, book, query, expected):
    page = services.casebook.query(CaseQuery(name_query=query))
    assert set(names(page)) == expected


def test_name_search_rejects_nonsense(services, book):
    with pytest.raises(ServiceError) as ei:
        services.casebook.query(CaseQuery(name_query="!!!"))
    assert ei.value.code == "name_query_invalid"


@pytest.mark.parametrize("text,expected", [
    ("道路雨季", {"单玉芬"}),          # trigram FTS
    ("邻居 承包地", {"曾国富"}),       # AND of terms
    ("路", {"单玉芬"}),                # one character: LIKE fallback
    ("垃圾", {"匿名"}),                # two characters: LIKE fallback
    ("医保 缴费", {"李建华"}),         # mixed: FTS + LIKE
    ("大村村民小组", set()),           # address is not indexed text
    ('"引号', set()),                  # FTS syntax characters are data, not operators
    ("反映 OR 道路", set()),
])
def test_full_text(services, book, text, expected):
    assert set(names(services.casebook.query(CaseQuery(text=text)))) == expected


def test_text_finds_case_number_and_query_code(services, book):
    reg = book["解文学"]
    assert names(services.casebook.query(CaseQuery(text=reg.case_no))) == ["解文学"]
    assert names(services.casebook.query(CaseQuery(text=reg.query_code.lower()))) == ["解文学"]
    # the station part of the number matches every case
    assert services.casebook.query(CaseQuery(text=reg.case_no[:12])).total == 6


def test_filters(services, book):
    q = services.casebook.query
    assert set(names(q(CaseQuery(category="infrastructure")))) == {"单玉芬", "解文学"}
    assert set(names(q(CaseQuery(channel="visit")))) == {"曾国富", "解文学", "张春梅"}
    assert names(q(CaseQuery(statuses=("accepted",)))) == ["李建华"]
    assert set(names(q(CaseQuery(statuses=("accepted", "declined"))))) == {"李建华", "张春梅"}
    today = date.today()
    got = q(CaseQuery(date_from=(today - timedelta(days=6)).isoformat(),
                      date_to=(today - timedelta(days=2)).isoformat()))
    assert set(names(got)) == {"单玉芬", "匿名"}
    both = q(CaseQuery(category="land", channel="visit", name_query="zhang"))
    assert names(both) == ["张春梅"]
    with pytest.raises(ServiceError) as ei:
        q(CaseQuery(statuses=("lost",)))
    assert ei.value.code == "status_invalid"


def test_due_dates_urgency_and_overdue_filters(services, book):
    q = services.casebook.query
    rows = {r.petitioner_display: r for r in q(CaseQuery()).rows}
    assert rows["张春梅"].urgency == "done" and rows["张春梅"].due_date is None
    # registered 20 days ago, not decided: the 15-day decision clock is overdue
    assert rows["解文学"].urgency == "overdue" and rows["解文学"].days_left == -5
    assert rows["曾国富"].urgency == "ok" and rows["曾国富"].days_left == 14
    assert rows["李建华"].due_date is not None                   # now the 60-day clock
    assert names(q(CaseQuery(overdue_only=True))) == ["解文学"]
    assert names(q(CaseQuery(near_due_only=True))) == []
    # seen from 12 days later: the case received 1 day ago is near its deadline
    later = (date.today() + timedelta(days=12)).isoformat()
    near = q(CaseQuery(near_due_only=True), today=later)
    assert set(names(near)) == {"曾国富", "匿名"}
    assert {r.urgency for r in near.rows} == {"near"}
    assert set(names(q(CaseQuery(overdue_only=True, near_due_only=True), today=later))) \
        == {"曾国富", "解文学", "单玉芬", "匿名"}


def test_sorts_and_paging(services, book):
    q = services.casebook.query
    by_due = q(CaseQuery(sort_key="due_date", descending=False))
    dues = [r.due_date for r in by_due.rows]
    open_dues = [d for d in dues if d]
    assert open_dues == sorted(open_dues) and dues[-1] is None   # done cases last
    by_no = [r.case_no for r in q(CaseQuery(sort_key="case_no", descending=False)).rows]
    assert by_no == sorted(by_no)
    assert q(CaseQuery(sort_key="updated")).rows[0].petitioner_display == "张春梅"
    pages = [q(CaseQuery(limit=4, offset=o)) for o in (0, 4, 8)]
    assert [len(p.rows) for p in pages] == [4, 2, 0]
    assert all(p.total == 6 for p in pages)
    assert names(pages[0]) + names(pages[1]) == names(q(CaseQuery()))
    with pytest.raises(ServiceError) as ei:
        q(CaseQuery(sort_key="petitioner_name"))
    assert ei.value.code == "sort_invalid"
    assert len(q(CaseQuery(limit=10_000)).rows) == 6                # clamped, not refused
    assert len(q(CaseQuery(limit=0)).rows) == 1


def test_counts(services, book):
    c = services.casebook.counts()
    assert (c.open, c.overdue, c.needs_decision) == (5, 1, 0)
    month = date.today().replace(day=1)
    assert c.this_month == sum(1 for ago in (1, 5, 20, 40, 3, 10)
                               if date.today() - timedelta(days=ago) >= month)
    assert c.outbox == 8
    later = (date.today() + timedelta(days=12)).isoformat()
    assert services.casebook.counts(today=later).near_due == 2


def test_pinyin_matches_inside_a_spelling(services, book):
    assert names(services.casebook.query(CaseQuery(name_query="guofu"))) == ["曾国富"]
    assert names(services.casebook.query(CaseQuery(name_query="chunmei"))) == ["张春梅"]


def test_both_status_plans_give_the_same_rows(services, book, monkeypatch):
    from station_app.services import casebook

    queries = [CaseQuery(statuses=("registered", "accepted"), sort_key=k, descending=d)
               for k in ("received_at", "due_date", "case_no") for d in (True, False)]
    selective = [services.casebook.query(q) for q in queries]
    monkeypatch.setattr(casebook, "SELECTIVE_ROWS", 1)   # force the walk-the-sort-index plan
    assert [services.casebook.query(q) for q in queries] == selective


def test_query_code_does_not_bypass_other_filters(services, book):
    code = book["解文学"].query_code
    assert names(services.casebook.query(CaseQuery(text=code, name_query="xie"))) == ["解文学"]
    assert names(services.casebook.query(CaseQuery(text=code, name_query="zeng"))) == []
    assert names(services.casebook.query(CaseQuery(text=code, category="land"))) == []


def test_bad_dates_refused(services, book):
    with pytest.raises(ServiceError) as ei:
        services.casebook.query(CaseQuery(date_from="2026-13-45"))
    assert ei.value.code == "date_invalid"
