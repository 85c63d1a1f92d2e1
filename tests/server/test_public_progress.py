"""Public progress by query code (issue 9 item 10), JSON endpoint, on SQLite and PostgreSQL.

Cases are pushed by an honest station client over the real sync API; the lookup is what a
citizen's phone sends.  What must hold:

* the right number + code gives the steps with dates and level names, nothing of the
  complaint, the people or the notes;
* an unknown number and a wrong code give the SAME answer (no enumeration);
* wrong answers are limited per client address and per case number (429);
* old events with a clear code still work; a hostile hash with a huge work factor does not
  burn the server's CPU.
"""
from __future__ import annotations

import json

import pytest

from petition_core.casenumber import query_code_hash
from petition_core.events import EventType
from petition_core.ids import uuid7
from petition_core.protocol import decode_response
from sync_server.services import public
from sync_server.store.models import events

from .helpers import COUNTY, VILLAGE_A, enrolled

URL = "/public/v1/progress"
CODE = "7KQ4XM"
SECRET_WORDS = ("张三", "诉求", "经过", "乡镇已联系", "县民政局", "duty")


def _push_case(client, engine, *, case_no: str = f"{VILLAGE_A}-2026-0007",  # type: ignore[no-untyped-def]
               code_field: dict | None = None, station=None):
    st = station or enrolled(client, engine, VILLAGE_A)
    case_id = uuid7()
    fields = code_field if code_field is not None else {
        "query_code_hash": query_code_hash(case_id, CODE)}
    evs = [
        st.event(case_id=case_id, data={"case_no": case_no, **fields}),
        st.event(case_id=case_id, type=EventType.ACCEPTED,
                 data={"at": "2026-11-30T10:00:00+08:00", "note": "乡镇已联系"}),
        st.event(case_id=case_id, type=EventType.TRANSFERRED, route=COUNTY,
                 data={"at": "2026-12-02T10:00:00+08:00", "kind": "transfer",
                       "to_division": COUNTY, "to_unit": "县民政局", "note": "乡镇已联系"}),
    ]
    r = st.sync(client, evs)
    assert r.status_code == 200
    return st, case_id


def _ask(client, case_no, code, **kw):  # type: ignore[no-untyped-def]
    return client.post(URL, content=json.dumps({"case_no": case_no, "code": code}),
                       headers={"Content-Type": "application/json"}, **kw)


def test_the_right_code_shows_steps_and_dates_only(server):
    client, engine = server
    _push_case(client, engine)
    r = _ask(client, f"{VILLAGE_A}-2026-0007", "7kq-4xm")     # typed as a person would
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["case_no"] == f"{VILLAGE_A}-2026-0007"
    assert [(s["step"], s["label"], s["date"], s["level"]) for s in body["steps"]] == [
        ("registered", "登记", "2026-11-28", ""),
        ("accepted", "受理", "2026-11-30", ""),
        ("transferred", "转办", "2026-12-02", "县"),
    ]
    assert body["status_label"] == "已转办"
    for word in SECRET_WORDS:                 # no person, no text, no unit, no clerk
        assert word not in r.text
    assert "default-src 'none'" in r.headers["content-security-policy"]
    assert r.headers["cache-control"] == "no-store"


def test_unknown_number_and_wrong_code_answer_the_same(server):
    client, engine = server
    _push_case(client, engine)
    wrong = _ask(client, f"{VILLAGE_A}-2026-0007", "ABCDEF")
    unknown = _ask(client, f"{VILLAGE_A}-2026-0999", CODE)
    malformed = _ask(client, "not a number", CODE)
    bad_code = _ask(client, f"{VILLAGE_A}-2026-0007", "O0O0")
    for r in (wrong, unknown, malformed, bad_code):
        assert (r.status_code, r.content) == (404, b'{"error":"progress_not_found"}')


def test_wrong_codes_are_limited_per_client(server):
    client, engine = server
    _push_case(client, engine)
    limits = client.app.state.ctx.public_limits
    for i in range(limits.clients.per_client):
        # different case numbers: only the per-client limit can stop this
        assert _ask(client, f"{VILLAGE_A}-2026-{100 + i:04d}", CODE).status_code == 404
    r = _ask(client, f"{VILLAGE_A}-2026-0007", CODE)     # even the right code now waits
    assert r.status_code == 429
    assert r.json() == {"error": "progress_rate_limited"}
    assert int(r.headers["retry-after"]) > 0


def test_wrong_codes_are_limited_per_case_number_across_addresses(server):
    client, engine = server
    _push_case(client, engine)
    limits = client.app.state.ctx.public_limits
    case_no = f"{VILLAGE_A}-2026-0007"
    for i in range(limits.cases.per_client):
        # each guess from another address: only the per-case limit can stop this
        r = public_lookup(engine, limits, f"10.0.0.{i + 1}", case_no, "ABCDEF")
        assert r == "progress_not_found"
    assert public_lookup(engine, limits, "10.0.9.9", case_no, CODE) == "progress_rate_limited"
    # an unknown number is limited the same way (the 429 tells nothing either)
    for i in range(limits.cases.per_client):
        public_lookup(engine, limits, f"10.1.0.{i + 1}", f"{VILLAGE_A}-2026-0999", CODE)
    assert public_lookup(engine, limits, "10.1.9.9", f"{VILLAGE_A}-2026-0999",
                         CODE) == "progress_rate_limited"
    # another case is not affected, and a right answer does not count as a failure
    _push_case(client, engine, case_no=f"{VILLAGE_A}-2026-0008")
    for _ in range(limits.cases.per_client + 2):
        assert isinstance(public_lookup(engine, limits, "10.2.0.1", f"{VILLAGE_A}-2026-0008",
                                        CODE), public.Progress)


def public_lookup(engine, limits, host, case_no, code):  # type: ignore[no-untyped-def]
    from petition_core.protocol import ProtocolError

    try:
        return public.lookup(engine, limits, client_host=host, case_no=case_no, code=code)
    except ProtocolError as exc:
        return exc.code


def test_old_clear_codes_still_work_and_hashes_are_not_clear(server):
    client, engine = server
    st, _ = _push_case(client, engine, case_no=f"{VILLAGE_A}-2026-0001",
                       code_field={"query_code": "ABC234"})
    _push_case(client, engine, station=st)
    assert _ask(client, f"{VILLAGE_A}-2026-0001", "abc234").status_code == 200
    assert _ask(client, f"{VILLAGE_A}-2026-0001", "ABC235").status_code == 404
    from sqlalchemy import select

    with engine.connect() as conn:
        payloads = [bytes(p) for p in conn.scalars(select(events.c.payload))]
    assert not any(CODE.encode() in p for p in payloads)     # the hashed one never in clear


@pytest.mark.parametrize("bad", ["pbkdf2-sha256$9999999$" + "0" * 64,   # a CPU bomb
                                 "7KQ4XM", "md5$1$" + "0" * 32])
def test_a_hostile_hash_is_refused_at_the_gate(server, bad):
    client, engine = server
    st = enrolled(client, engine, VILLAGE_A)
    case_no = f"{VILLAGE_A}-2026-0003"
    ev = st.event(data={"case_no": case_no, "query_code_hash": bad})
    ack = decode_response(st.sync(client, [ev]).content)["acks"][0]
    assert (ack["status"], ack["code"]) == ("rejected", "query_code_format")
    assert _ask(client, case_no, CODE).status_code == 404


def test_a_reused_case_number_does_not_hide_the_real_case(server):
    """A hostile station registering the same number must not make the real case unfindable,
    nor open it with its own code."""
    client, engine = server
    st, _ = _push_case(client, engine)                      # the real case, code CODE
    case_id = uuid7()
    fake = st.event(case_id=case_id, data={"case_no": f"{VILLAGE_A}-2026-0007",
                                           "query_code_hash": query_code_hash(case_id,
                                                                              "ZZZZZZ")})
    assert st.sync(client, [fake]).status_code == 200
    assert _ask(client, f"{VILLAGE_A}-2026-0007", CODE).json()["steps"][0]["step"] == \
        "registered"
    only_reg = _ask(client, f"{VILLAGE_A}-2026-0007", "ZZZZZZ").json()
    assert [s["step"] for s in only_reg["steps"]] == ["registered"]


def test_the_index_catches_up_incrementally(server):
    client, engine = server
    st, _ = _push_case(client, engine)
    assert _ask(client, f"{VILLAGE_A}-2026-0007", CODE).status_code == 200
    _push_case(client, engine, case_no=f"{VILLAGE_A}-2026-0008", station=st)
    assert public.catch_up(engine) == 1            # only the new registration
    assert public.catch_up(engine) == 0
    assert _ask(client, f"{VILLAGE_A}-2026-0008", CODE).status_code == 200


@pytest.mark.parametrize("body", [b"", b"[]", b"{", b"x" * 5000])
def test_bad_bodies_are_refused_plainly(server, body):
    client, _engine = server
    r = client.post(URL, content=body, headers={"Content-Type": "application/json"})
    assert r.status_code in (400, 413)
    assert r.json()["error"] in ("body_malformed", "body_too_large")


def test_the_form_page_is_plain_chinese_with_a_strict_policy(server):
    client, _engine = server
    r = client.get("/public/progress")
    assert r.status_code == 200
    assert "案件编号" in r.text and "查询码" in r.text
    assert "width=device-width" in r.text and "<script" not in r.text
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "form-action 'self'" in csp
    assert "unsafe-inline" not in csp


def _form(client, case_no, code, **extra):  # type: ignore[no-untyped-def]
    return client.post("/public/progress", data={"case_no": case_no, "code": code, **extra})


def test_the_html_form_answers_steps_refusal_and_limit(server):
    client, engine = server
    _push_case(client, engine)
    ok = _form(client, f"{VILLAGE_A}-2026-0007", CODE.lower())
    assert ok.status_code == 200 and "id='steps'" in ok.text and "登记" in ok.text
    assert "（至县级）" in ok.text and "县民政局" not in ok.text and "张三" not in ok.text
    assert "default-src 'none'" in ok.headers["content-security-policy"]
    wrong = _form(client, f"{VILLAGE_A}-2026-0007", "ABCDEF")
    unknown = _form(client, f"{VILLAGE_A}-2026-0999", CODE)
    assert wrong.status_code == unknown.status_code == 404
    assert "没有查到" in wrong.text and "id='steps'" not in wrong.text
    # the same page but for the typed number echoed back (escaped) in the form
    assert wrong.text.replace(f"value='{VILLAGE_A}-2026-0007'", "") == \
        unknown.text.replace(f"value='{VILLAGE_A}-2026-0999'", "")
    hostile = _form(client, "<script>alert(1)</script>", CODE)
    assert hostile.status_code == 404 and "<script>" not in hostile.text
    too_many = _form(client, "x", "y", a="1", b="2", c="3")          # not a person's form
    assert too_many.status_code == 404
    for i in range(client.app.state.ctx.public_limits.clients.per_client):
        _form(client, f"{VILLAGE_A}-2026-{200 + i:04d}", CODE)
    limited = _form(client, f"{VILLAGE_A}-2026-0007", CODE)
    assert limited.status_code == 429 and "次数太多" in limited.text
    assert int(limited.headers["retry-after"]) > 0


def test_nothing_about_the_asker_is_logged(server, caplog):
    import logging

    client, engine = server
    _push_case(client, engine)
    caplog.set_level(logging.DEBUG)
    caplog.clear()
    _ask(client, f"{VILLAGE_A}-2026-0007", CODE)
    _ask(client, f"{VILLAGE_A}-2026-0007", "ABCDEF")
    _form(client, f"{VILLAGE_A}-2026-0999", "ABCDEF")
    for needle in ("testclient", VILLAGE_A, CODE, "ABCDEF", "0999"):
        assert needle not in caplog.text
