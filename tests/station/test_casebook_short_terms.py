"""Case book speed paths keep results exact: the bigram table (1-2 character text, 1-2
letter pinyin) finds exactly what LIKE finds, amendments move a case's tokens, capped
counts say so, both plans of every selectivity check give the same rows, and a database
already at head opens without Alembic."""
from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from station_helpers import form

from station_app.services import CaseQuery
from station_app.store import grams

SPECS = [  # name, summary, days ago
    ("曾国富", "低保评定不公开", 1), ("单玉芬", "通组道路雨季垮塌", 3),
    ("解文学", "饮水管道破损断水", 7), ("李建华", "医保缴费后未到账", 9),
    (None, "反映村内垃圾乱堆放", 2), ("张春梅", "低保户房屋漏雨", 12),
    ("Anna李", "路灯不亮A区", 4), ("欧阳娜娜", "保", 5),
]


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    from station_helpers import TEST_VILLAGE

    from station_app.paths import AppPaths
    from station_app.services import StationServices

    svc = StationServices.open(AppPaths(tmp_path_factory.mktemp("short")))
    svc.setup.initialise(TEST_VILLAGE, "鹿鸣村群众诉求站", "admin", "admin1234", "管理员")
    op = svc.accounts.authenticate("admin", "admin1234")
    now = datetime.now().astimezone()
    ids = {}
    for name, summary, ago in SPECS:
        pet = {"anonymous": True} if name is None else {"name": name}
        f = form(summary=summary, petitioner=pet,
                 received_at=(now - timedelta(days=ago)).isoformat(timespec="minutes"))
        ids[name or "匿名"] = svc.intake.register(f, op).case_id
    yield svc, op, ids
    svc.close()


def _all(svc, **kw) -> set[str]:
    return {r.case_id for r in svc.casebook.query(CaseQuery(limit=500, **kw)).rows}


def _like(db: Path, term: str) -> set[str]:
    con = sqlite3.connect(db)
    try:
        like = "%" + term + "%"
        return {r[0] for r in con.execute(
            "SELECT case_id FROM case_index WHERE summary LIKE ? OR petitioner_name LIKE ?"
            " OR case_no LIKE ?", (like, like, like))}
    finally:
        con.close()


def test_every_short_term_finds_what_like_finds(book):
    svc, _op, _ids = book
    texts = [s for _n, s, _a in SPECS] + [n for n, _s, _a in SPECS if n]
    terms = {t[i:i + n] for t in texts for n in (1, 2) for i in range(len(t) - n + 1)}
    terms |= {"2026", "a", "A", "区", "无", "zz", "9", "0", "-"}
    assert len(terms) > 100
    for term in sorted(terms):
        want = _like(svc.paths.db_path, term)
        assert _all(svc, text=term) == want, term
    assert len(_all(svc, text="保")) == 4      # 低保 ×2, 医保, and 保 as a whole summary
    assert _all(svc, text="低保 屋") == {book[2]["张春梅"]}


def test_short_terms_with_punctuation_still_search(book):
    svc, _op, _ids = book
    assert grams.match_expr("3-") is None
    assert _all(svc, text="3-") == _like(svc.paths.db_path, "3-") != set()


def test_one_and_two_letter_pinyin(book):
    svc, _op, ids = book
    assert _all(svc, name_query="z") >= {ids["曾国富"], ids["张春梅"]}
    assert ids["单玉芬"] in _all(svc, name_query="sh")       # 单 read shan
    assert ids["单玉芬"] in _all(svc, name_query="d")        # and dan
    assert _all(svc, name_query="oy") == {ids["欧阳娜娜"]}
    assert _all(svc, name_query="ZH") == _all(svc, name_query="zh")
    assert ids["曾国富"] not in _all(svc, name_query="zh")   # zeng/ceng: no "zh" spelling
    assert _all(svc, name_query="qx") == set()


def test_amended_summary_moves_its_tokens(book):
    svc, op, ids = book
    case = ids["解文学"]
    assert case in _all(svc, text="断水")
    svc.cases.amend(case, op, field="summary", new_value="灌溉渠堵塞", reason="登记有误")
    assert case not in _all(svc, text="断水")
    assert case in _all(svc, text="渠堵") and case in _all(svc, text="溉")
    con = sqlite3.connect(svc.paths.db_path)   # FTS5's own consistency check
    con.execute("INSERT INTO case_gram (case_gram) VALUES ('integrity-check')")
    con.close()


def test_grams_are_deterministic_and_mark_ends():
    a = grams.grams_of(["530921-0007", "曾国富", "低保", "zengguofu zgf"])
    assert a == grams.grams_of(["530921-0007", "曾国富", "低保", "zengguofu zgf"])
    tokens = a.split(" ")
    assert "低保" in tokens and "保" + grams.END in tokens and "1" + grams.END in tokens
    assert grams.KEY + "ze" in tokens and grams.KEY + "z" in tokens
    assert not any("-" in t for t in tokens)
    assert grams.match_expr("") is None and grams.match_expr("低保户") is None
    assert grams.key_prefix_expr("zh") == '"' + grams.KEY + 'zh"'


def test_capped_count(book, monkeypatch):
    from station_app.services import casebook

    svc, _op, _ids = book
    monkeypatch.setattr(casebook, "COUNT_CAP", 3)
    page = svc.casebook.query(CaseQuery(limit=2))
    assert page.total == 3 and page.total_capped and len(page.rows) == 2
    page = svc.casebook.query(CaseQuery(text="低保", limit=1))
    assert page.total == 2 and not page.total_capped


@pytest.mark.parametrize("q", [
    CaseQuery(text="保"), CaseQuery(text="垮塌"), CaseQuery(text="道路雨季", sort_key="due_date"),
    CaseQuery(name_query="z", sort_key="case_no", descending=False),
    CaseQuery(name_query="zhang"),
    CaseQuery(date_from="2020-01-01", date_to="2100-01-01", sort_key="due_date",
              descending=False),
    CaseQuery(statuses=("registered",), text="保", offset=1),
])
def test_both_plans_give_the_same_rows(book, monkeypatch, q):
    from station_app.services import casebook

    svc, _op, _ids = book
    few = svc.casebook.query(q)
    monkeypatch.setattr(casebook, "SELECTIVE_ROWS", 1)    # every filter "not selective"
    assert svc.casebook.query(q) == few
    assert few.rows


def test_head_revision_constant_matches_alembic():
    from alembic.script import ScriptDirectory

    from station_app.store.db import alembic_config, make_engine
    from station_app.store.migrations import HEAD_REVISION

    script = ScriptDirectory.from_config(alembic_config(make_engine(Path(":memory:"))))
    assert script.get_heads() == [HEAD_REVISION]


def test_database_at_head_opens_without_alembic(tmp_paths):
    from station_app.store import open_store
    from station_app.store.db import current_revision
    from station_app.store.migrations import HEAD_REVISION

    store = open_store(tmp_paths)          # creates and migrates (Alembic runs)
    store.close()
    code = ("import sys; from station_app.paths import AppPaths;"
            " from station_app.store import open_store;"
            " s = open_store(AppPaths(sys.argv[1])); s.close();"
            " print(any(m == 'alembic' or m.startswith('alembic.') for m in sys.modules))")
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code, str(tmp_paths.root)], cwd=root,
                         capture_output=True, text=True, check=True).stdout.strip()
    assert out == "False"
    from alembic import command

    from station_app.store.db import alembic_config, make_engine

    engine = make_engine(tmp_paths.db_path)      # an older database: Alembic runs again
    command.downgrade(alembic_config(engine), "0002")
    assert current_revision(engine) == "0002"
    engine.dispose()
    store = open_store(tmp_paths)
    try:
        assert current_revision(store.engine) == HEAD_REVISION
        with store.engine.connect() as conn:
            assert grams.has_table(conn)
    finally:
        store.close()


def test_rare_characters_and_case_folding_in_the_gram_table():
    """Extension-plane Han characters (rare surnames) and ASCII case behave as LIKE does."""
    con = sqlite3.connect(":memory:")
    con.execute(grams.GRAM_CREATE)
    docs = {1: ["", "𠀀𬌗", "低保", ""], 2: ["530921-0007", "", "Abc路", ""],
            3: ["", "李", "", "li l"]}
    for rowid, values in docs.items():
        con.execute("INSERT INTO case_gram (rowid, grams) VALUES (?, ?)",
                    (rowid, grams.grams_of(values)))

    def hits(expr: str | None) -> set[int]:
        assert expr is not None
        return {r[0] for r in con.execute(
            "SELECT rowid FROM case_gram WHERE case_gram MATCH ?", (expr,))}

    assert hits(grams.match_expr("𬌗")) == {1}
    assert hits(grams.match_expr("𠀀𬌗")) == {1}
    assert hits(grams.match_expr("ab")) == hits(grams.match_expr("AB")) == {2}
    assert hits(grams.match_expr("c路")) == {2}
    assert hits(grams.match_expr("07")) == {2}
    assert grams.match_expr("1-") is None        # punctuation: the caller uses LIKE
    assert hits(grams.match_expr("李")) == {3}
    assert hits(grams.key_prefix_expr("l")) == hits(grams.key_prefix_expr("li")) == {3}
    assert hits(grams.key_prefix_expr("lu")) == set()
    for rowid, values in docs.items():           # contentless delete with the same tokens
        con.execute("INSERT INTO case_gram (case_gram, rowid, grams) VALUES ('delete', ?, ?)",
                    (rowid, grams.grams_of(values)))
    assert hits(grams.match_expr("路")) == set()
    con.execute("INSERT INTO case_gram (case_gram) VALUES ('integrity-check')")
    con.close()
