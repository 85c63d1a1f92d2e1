"""validate_registration: the whole case.registered payload, every error at once."""
from __future__ import annotations

import copy
from datetime import date, datetime, timedelta

import pytest
from core_helpers import CST, FENGQING, LUODANG_VILLAGE, make_id, now_cst, registered_data

from petition_core.validation import ERROR_CODES, ValidationErrors, validate_registration

NOW = now_cst()


def form(**overrides):
    data = registered_data(received_at="2026-11-28T09:30:00+08:00",
                           account="村里修路占了我家承包地，补偿款一直没发。")
    data.update(overrides)
    return data


def run(data, divisions, **kw):
    return validate_registration(data, divisions=divisions, now=kw.pop("now", NOW), **kw)


def errors(data, divisions, **kw) -> dict[str, str]:
    with pytest.raises(ValidationErrors) as exc:
        run(data, divisions, **kw)
    for e in exc.value.errors:
        assert e.code in ERROR_CODES, e.code
    return exc.value.codes()


def test_valid_form_is_cleaned(divisions):
    data = form(summary="  修路占地补偿款未发放  ",
                petitioner={"name": " 曾小明 ", "phone": "13800138000",
                            "id_number": make_id("110101", date(1970, 3, 3)).lower()},
                account="第一段\r\n第二段", subject={"level": "village_cadre", "name": "李某"})
    clean, warnings = run(data, divisions)
    assert warnings == []
    assert clean["summary"] == "修路占地补偿款未发放"
    assert clean["petitioner"] == {"name": "曾小明", "phone": "138 0013 8000",
                                   "id_number": make_id("110101", date(1970, 3, 3)),
                                   "anonymous": False}
    assert clean["account"] == "第一段\n第二段"
    assert clean["subject"] == {"level": "village_cadre", "name": "李某"}
    assert clean["discipline"] is False
    assert clean["case_no"] == "530921108201-2026-0007" and clean["query_code"] == "7KQ4XM"
    assert "demands" not in clean  # empty optional text is left out


def test_input_is_not_mutated(divisions):
    data = form()
    before = copy.deepcopy(data)
    run(data, divisions)
    assert data == before


def test_all_errors_collected_with_dotted_paths(divisions):
    data = form(
        division="999999999999", channel="fax", category="", statute_type=None,
        discipline="yes", received_at="2030-01-01T00:00:00+08:00",
        petitioner={"name": "", "phone": "123", "id_number": make_id()[:17] + "0"
                    if not make_id().endswith("0") else make_id()[:17] + "1"},
        group={"size": 8, "representatives": [{"name": "甲"}, {"name": ""}, {}]},
        subject={"level": "mayor", "unit": "单" * 61},
        summary="", account="长" * 5001, demands="\x00", nickname="x",
    )
    codes = errors(data, divisions)
    assert codes == {
        "nickname": "unknown_field",
        "division": "division_unknown",
        "channel": "invalid_choice",
        "category": "required",
        "statute_type": "required",
        "discipline": "invalid_type",
        "received_at": "date_future",
        "petitioner.name": "required",
        "petitioner.id_number": "id_checksum",
        "petitioner.phone": "phone_invalid",
        "group.representatives.1.name": "required",
        "group.representatives.2.name": "required",
        "subject.level": "invalid_choice",
        "subject.unit": "too_long",
        "summary": "required",
        "account": "too_long",
        "demands": "control_chars",
    }


def test_account_is_required_of_a_new_registration(divisions):
    """Issue 8 C10: an empty 反映内容 was accepted silently."""
    for empty in (None, "", "  \n\t "):
        assert errors(form(account=empty), divisions) == {"account": "required"}
    data = form()
    del data["account"]
    assert errors(data, divisions) == {"account": "required"}
    # a case registered before the rule (re-validated for an amendment) still passes
    clean, _w = run(data, divisions, require_account=False)
    assert "account" not in clean


def test_limits(divisions):
    ok = form(summary="字" * 100, account="字" * 5000, demands="字" * 1000,
              petitioner={"name": "名" * 30, "address_detail": "址" * 100},
              subject={"level": "person", "name": "名" * 30, "unit": "单" * 60})
    run(ok, divisions)
    bad = form(summary="字" * 101, demands="字" * 1001,
               petitioner={"name": "名" * 31, "address_detail": "址" * 101},
               subject={"level": "person", "name": "名" * 31})
    assert errors(bad, divisions) == {
        "summary": "too_long", "demands": "too_long", "petitioner.name": "too_long",
        "petitioner.address_detail": "too_long", "subject.name": "too_long"}


def test_anonymous_needs_no_identity_but_refuses_one(divisions):
    clean, _ = run(form(petitioner={"anonymous": True}), divisions)
    assert clean["petitioner"] == {"anonymous": True}
    clean, _ = run(form(petitioner={"anonymous": True, "phone": "0883-1234567"}), divisions)
    assert clean["petitioner"]["phone"] == "0883 123 4567"
    assert errors(form(petitioner={"anonymous": True, "name": "张三",
                                   "id_number": make_id()}), divisions) == {
        "petitioner.name": "anonymous_identity", "petitioner.id_number": "anonymous_identity"}


def test_missing_petitioner_means_name_required(divisions):
    data = form()
    del data["petitioner"]
    assert errors(data, divisions) == {"petitioner.name": "required"}
    assert errors(form(petitioner="张三"), divisions) == {"petitioner": "invalid_type"}


def test_id_area_warning_is_returned_not_raised(divisions):
    clean, warnings = run(form(petitioner={"name": "张三",
                                           "id_number": make_id("530999", date(1980, 1, 1))}),
                          divisions)
    assert [(w.field, w.code) for w in warnings] == [("petitioner.id_number", "id_area_unknown")]
    assert clean["petitioner"]["id_number"].startswith("530999")


def test_this_countys_code_with_an_old_birth_year_gives_no_warning(divisions):
    clean, warnings = run(form(petitioner={"name": "张三",
                                           "id_number": make_id("530921", date(1975, 3, 8))}),
                          divisions)
    assert warnings == [] and clean["petitioner"]["id_number"].startswith("530921")


def test_group_rules(divisions):
    reps = [{"name": f"代表{i}"} for i in range(5)]
    clean, warnings = run(form(group={"size": 40, "representatives": reps}), divisions)
    assert len(clean["group"]["representatives"]) == 5 and warnings == []
    six = reps + [{"name": "代表5"}]
    assert errors(form(group={"size": 40, "representatives": six}), divisions) == {
        "group.representatives": "too_many_representatives"}
    assert errors(form(group={"size": 0}), divisions) == {"group.size": "out_of_range"}
    assert errors(form(group={"size": "5"}), divisions) == {"group.size": "invalid_type"}
    assert errors(form(group={"representatives": []}), divisions) == {"group.size": "required"}
    assert errors(form(group={"size": 2, "representatives": reps[:3]}), divisions) == {
        "group.representatives": "out_of_range"}
    assert errors(form(group={"size": 3, "representatives": [
        {"name": "甲", "phone": "12"}, {"name": "乙", "id_number": "123"}]}), divisions) == {
        "group.representatives.0.phone": "phone_invalid",
        "group.representatives.1.id_number": "id_format"}


def test_large_walk_in_without_representatives_warns(divisions):
    _, warnings = run(form(channel="visit", group={"size": 12}), divisions)
    assert [w.code for w in warnings] == ["group_needs_representatives"]
    _, warnings = run(form(channel="letter", group={"size": 12}), divisions)
    assert warnings == []


def test_received_at_rules(divisions):
    ok_edge = (NOW + timedelta(minutes=2)).isoformat()
    assert run(form(received_at=ok_edge), divisions)[0]["received_at"] == ok_edge
    too_late = (NOW + timedelta(minutes=2, seconds=1)).isoformat()
    assert errors(form(received_at=too_late), divisions) == {"received_at": "date_future"}
    assert errors(form(received_at="1999-12-31T23:59:59+08:00"), divisions) == {
        "received_at": "date_too_old"}
    for bad in ("昨天", "2026-13-01T00:00:00", 20261128, ""):
        assert errors(form(received_at=bad), divisions)["received_at"] in (
            "date_format", "required")
    # a naive time is read in the station clock's zone
    clean, _ = run(form(received_at="2026-11-28T09:59:00"), divisions)
    assert clean["received_at"] == "2026-11-28T09:59:00+08:00"
    assert errors(form(received_at="2026-11-28T10:05:00"), divisions) == {
        "received_at": "date_future"}
    # and a naive station clock compares against an aware time without crashing
    run(form(), divisions, now=datetime(2026, 11, 28, 10, 0))


def test_division_rules(divisions):
    assert errors(form(division=""), divisions) == {"division": "required"}
    assert errors(form(division=530921108201), divisions) == {"division": "division_unknown"}
    run(form(division=LUODANG_VILLAGE), divisions, within=FENGQING)
    assert errors(form(division="530922000000"), divisions, within=FENGQING) == {
        "division": "division_outside"}
    assert errors(form(petitioner={"name": "张三", "address_division": "123"}), divisions) == {
        "petitioner.address_division": "division_unknown"}


def test_discipline_flag_and_category(divisions):
    clean, _ = run(form(discipline=True, category="discipline", statute_type="accusation",
                        subject={"level": "village_cadre", "name": "某副书记",
                                 "unit": "某村党总支"}), divisions)
    assert clean["discipline"] is True and clean["category"] == "discipline"


def test_sql_looking_text_round_trips(divisions):
    text = "Robert'); DROP TABLE cases;--"
    clean, _ = run(form(summary=text, account=text + "\n' OR 1=1 --"), divisions)
    assert clean["summary"] == text
    assert clean["account"] == text + "\n' OR 1=1 --"


def test_emoji_in_account(divisions):
    assert errors(form(account="路坏了😡"), divisions) == {"account": "emoji"}


def test_attachments_and_links(divisions):
    att = {"sha256": "a" * 64, "name": "照片.jpg", "size": 1024, "mime": "image/jpeg"}
    link = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"
    clean, _ = run(form(attachments=[att], links=[link]), divisions)
    assert clean["attachments"] == [att] and clean["links"] == [link]
    assert errors(form(attachments=[{"sha256": "xyz", "name": "a", "size": -1}],
                       links=["not-a-uuid"]), divisions) == {
        "attachments.0": "attachment_invalid", "links.0": "invalid_id"}
    assert errors(form(attachments="a.jpg"), divisions) == {"attachments": "invalid_type"}


def test_bad_case_no_and_query_code(divisions):
    assert errors(form(case_no="2026-7", query_code="OOOOOO"), divisions) == {
        "case_no": "case_no_format", "query_code": "query_code_format"}


def test_not_a_dict(divisions):
    with pytest.raises(ValidationErrors) as exc:
        validate_registration(["x"], divisions=divisions, now=NOW)  # type: ignore[arg-type]
    assert exc.value.errors[0].code == "invalid_type"


def test_unknown_nested_keys(divisions):
    assert errors(form(petitioner={"name": "张三", "age": 40},
                       subject={"level": "none", "rank": "x"}), divisions) == {
        "petitioner.age": "unknown_field", "subject.rank": "unknown_field"}


def test_tz_constant_used():
    assert NOW.tzinfo == CST
