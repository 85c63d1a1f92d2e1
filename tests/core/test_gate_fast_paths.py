"""The merge's fast paths give the verdicts of the slow ones they replace (each is a speed
change only; benchmarks/bench_server_merge.py): ``is_uuid`` without building a UUID, the
schema judged on the wire item's payload object instead of re-parsed bytes, the ID birth
date read without stdnum compacting the number again."""
from __future__ import annotations

import copy
import uuid
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import exceptions as stdnum_exc
from stdnum.cn import ric

from petition_core.authz import Actor, CaseView
from petition_core.divisions import DivisionTree
from petition_core.events import Event, EventFormatError
from petition_core.gate import judge
from petition_core.ids import is_uuid, uuid7
from petition_core.schemas import check_payload
from petition_core.textcheck import ValidationErrors, check_id_number


def _slow_is_uuid(text) -> bool:  # type: ignore[no-untyped-def]
    try:
        return str(uuid.UUID(text)) == text
    except (ValueError, AttributeError, TypeError):
        return False


def _variants(u: str) -> list[object]:
    return [u, u.upper(), u.replace("-", ""), "{" + u + "}", "urn:uuid:" + u, u + "\n",
            " " + u, u[:-1], u[:-1] + "g", u[:8] + "_" + u[9:], u.encode(), None, 7,
            "\uff10" * 8 + u[8:]]


@settings(max_examples=300)
@given(st.uuids(), st.text(max_size=40))
def test_is_uuid_agrees_with_parsing_a_uuid(u, junk):
    for v in [*_variants(str(u)), *_variants(uuid7()), junk]:
        assert is_uuid(v) == _slow_is_uuid(v), repr(v)   # type: ignore[arg-type]


def _wire(data, etype="case.registered", route="530921108203"):  # type: ignore[no-untyped-def]
    return {"event_id": uuid7(), "case_id": uuid7(), "station_id": "s1", "station_seq": 1,
            "type": etype, "lamport": 1, "actor": "duty",
            "occurred_at": "2026-11-28T09:00:00+08:00", "payload_enc": "json",
            "route": route, "schema_version": 1, "payload": data}


def _verdict(ev: Event, decoded=None):  # type: ignore[no-untyped-def]
    try:
        return ("ok", check_payload(ev, decoded))
    except EventFormatError as exc:
        return (exc.code, exc.detail)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False,
                                                          allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=4), max_leaves=12)


@settings(max_examples=300)
@given(st.dictionaries(st.sampled_from(["division", "summary", "petitioner", "attachments",
                                        "links", "case_no", "account", "x"]), json_values,
                       max_size=6),
       st.sampled_from(["case.registered", "case.progress", "case.linked", "case.amended"]))
def test_the_schema_judges_the_wire_payload_as_it_judges_the_bytes(data, etype):
    route = "530921108203" if etype == "case.registered" else ""
    try:
        ev = Event.from_wire(_wire(data, etype, route))
    except EventFormatError:
        return   # refused before the schema (e.g. a lone surrogate): nothing to compare
    assert _verdict(ev, data) == _verdict(ev)
    # the whole gate, content included, gives the same verdict and leaves the object as it
    # was (the merge keeps the wire item: a voided record is stored as it came)
    before = copy.deepcopy(data)
    kw = {"actor": Actor.of("s1", "530921108203"), "case": CaseView(
        True, "530921108203", frozenset({"530921108203"})),
        "divisions": DivisionTree.load_default()}
    slow = judge(ev, **kw)
    assert judge(ev, decoded=data, **kw) == slow and data == before


@settings(max_examples=500)
@given(st.integers(1800, 2200), st.integers(0, 99), st.integers(0, 99),
       st.integers(0, 999))
def test_the_id_birth_date_is_read_as_stdnum_reads_it(year, month, day, serial):
    body = f"530921{year:04d}{month:02d}{day:02d}{serial:03d}"
    num = body + ric.calc_check_digit(body + "0")
    try:
        want = ric.get_birth_date(num)
    except stdnum_exc.ValidationError:
        want = None
    try:
        got = check_id_number(num, today=date(2300, 1, 1), area=False).birth_date
    except ValidationErrors as exc:
        assert exc.errors[0].code == "id_birth_invalid"
        assert want is None or want.year < 1900
        return
    assert got == want


@pytest.mark.parametrize("num", ["53092119800230001", "53092119801301001"])
def test_impossible_birth_dates_stay_refused(num):
    with pytest.raises(ValidationErrors) as exc:
        check_id_number(num + ric.calc_check_digit(num + "0"), area=False)
    assert exc.value.errors[0].code == "id_birth_invalid"


def _reg(**extra):  # type: ignore[no-untyped-def]
    return {"division": "530921108203", "channel": "visit", "category": "land",
            "statute_type": "appeal", "received_at": "2026-11-28T08:30:00+08:00",
            "summary": "土地纠纷", "petitioner": {"name": "张三", "anonymous": False}, **extra}


@pytest.mark.parametrize("data", [
    _reg(), _reg(petitioner={"name": "张三", "id_number": "53092119800101001X",
                             "phone": "138 0013 8000", "anonymous": False}),
    _reg(summary="土地\u202e纠纷", account="x" * 6000, channel="pigeon"),
    _reg(petitioner={"name": "张三", "phone": "1380013"}, zz=1, aa=2),
])
def test_the_gate_on_the_wire_object_gives_the_same_content_verdict(data):
    ev = Event.from_wire(_wire(data))
    before = copy.deepcopy(data)
    kw = {"actor": Actor.of("s1", "530921108203"), "case": CaseView(),
          "divisions": DivisionTree.load_default()}
    assert judge(ev, decoded=data, **kw) == judge(ev, **kw) and data == before
