"""Intake: registration numbers and codes, validation errors write nothing, repeat check,
attachment import."""
from __future__ import annotations

import pytest
from station_helpers import TEST_VILLAGE, counts, form

from petition_core.validation import ValidationErrors
from station_app.services import ServiceError

ADMIN = ("admin", "admin1234")


@pytest.fixture
def op(services):
    return services.accounts.authenticate(*ADMIN)


def _provisional_tag(services) -> str:  # type: ignore[no-untyped-def]
    import base64

    from petition_core.casenumber import provisional_tag
    from station_app.sync.keys import StationKeys

    key = StationKeys.load_or_create(services.paths.keys_dir).public_key_b64()
    return provisional_tag(base64.b64decode(key))


def test_register_numbers_are_sequential_and_codes_unique(services, op):
    regs = [services.intake.register(form(summary=f"道路垮塌第{i}处"), op) for i in range(3)]
    nos = [r.case_no for r in regs]
    year = nos[0].split("-")[1]
    # not enrolled yet: a provisional series from the station key, a letter first
    tag = _provisional_tag(services)
    assert tag[0].isalpha() and len(tag) == 4
    assert nos == [f"{TEST_VILLAGE}-{year}-{tag}-{i:04d}" for i in (1, 2, 3)]
    assert len({r.query_code for r in regs}) == 3
    assert all(len(r.query_code) == 6 for r in regs)
    assert regs[0].due_date is not None          # the 15-day decision clock
    d = services.cases.detail(regs[0].case_id, op)
    assert d.case_no == nos[0] and d.status == "registered"
    assert d.petitioner["id_number"] == "53092119800101123X"
    assert d.timeline[0].actor == "admin"


@pytest.mark.parametrize("station_no,series", [(1, ""), (2, "2-"), (17, "17-")])
def test_the_station_number_from_enrollment_is_the_series(services, op, station_no, series):
    """Two stations of one division number their cases apart: number 1 keeps the short
    form, number n ≥ 2 writes n (issue 7 A4)."""
    from station_app.store import set_setting
    from station_app.sync.trust import K_STATION_NO

    with services.store.session() as s:   # what enrollment records
        set_setting(s, K_STATION_NO, str(station_no))
    reg = services.intake.register(form(), op)
    year = reg.case_no.split("-")[1]
    assert reg.case_no == f"{TEST_VILLAGE}-{year}-{series}0001"


@pytest.mark.parametrize("over,field,code", [
    ({"summary": ""}, "summary", "required"),
    ({"summary": "长" * 101}, "summary", "too_long"),
    ({"petitioner__id_number": "530921198001011234"}, "petitioner.id_number", "id_checksum"),
    ({"petitioner__phone": "1380013"}, "petitioner.phone", "phone_invalid"),
    ({"received_at": "2999-01-01T10:00:00+08:00"}, "received_at", "date_future"),
    ({"division": "530921101201"}, "division", "division_outside"),  # another township
    ({"channel": "pigeon"}, "channel", "invalid_choice"),
    ({"summary": "路坏了😡"}, "summary", "emoji"),
])
def test_validation_errors_write_nothing(services, op, tmp_paths, over, field, code):
    services.intake.register(form(), op)          # something already there
    before = counts(tmp_paths.db_path)
    bad = form(**over)
    assert (field, code) in {(e.field, e.code) for e in services.intake.validate(bad)}
    with pytest.raises(ValidationErrors) as ei:
        services.intake.register(bad, op)
    assert ei.value.codes()[field] == code
    assert counts(tmp_paths.db_path) == before
    # the number the failed attempt did not use goes to the next case
    assert services.intake.register(form(), op).case_no.endswith("-0002")


def test_validate_collects_every_error_and_accepts_good_form(services):
    # only a warning: stdnum does not know 530921 for 1980 births (renamed county)
    assert {e.code for e in services.intake.validate(form())} <= {"id_area_unknown"}
    errs = services.intake.validate(form(summary="", petitioner__phone="1"))
    assert {e.field for e in errs} - {"petitioner.id_number"} == {"summary", "petitioner.phone"}


def test_anonymous_registration(services, op):
    r = services.intake.register(form(petitioner={"anonymous": True}), op)
    d = services.cases.detail(r.case_id, op)
    assert d.petitioner_display == "匿名"


def test_unknown_link_and_attachment_refused(services, op, tmp_paths):
    before = counts(tmp_paths.db_path)
    with pytest.raises(ServiceError) as ei:
        services.intake.register(form(), op, link_to=["01234567-89ab-7def-8123-456789abcdef"])
    assert ei.value.code == "link_unknown"
    att = {"sha256": "b" * 64, "name": "x.png", "size": 3, "mime": "image/png"}
    with pytest.raises(ServiceError) as ei:
        services.intake.register(form(attachments=[att]), op)
    assert ei.value.code == "attachment_unknown"
    assert counts(tmp_paths.db_path) == before


def test_repeat_check_by_id_name_and_content(services, op):
    first = services.intake.register(form(), op)
    # same ID number, different name spelling
    m = services.intake.find_repeats(form(petitioner__name="李建化", summary="别的事情"))
    assert [(x.case_id, x.reason) for x in m] == [(first.case_id, "id_number")]
    # same name, same village, no ID given
    m = services.intake.find_repeats(form(petitioner={"name": "李建华",
                                                      "address_division": TEST_VILLAGE},
                                          summary="另一件事"))
    assert [(x.case_id, x.reason) for x in m] == [(first.case_id, "name_village")]
    # another person, same matter told in similar words
    m = services.intake.find_repeats(form(
        petitioner={"name": "王光辉", "address_division": TEST_VILLAGE},
        summary="邻居占用承包地", account="我家承包地被邻居占用半亩，多次协商都没有结果。"))
    assert m and m[0].case_id == first.case_id and m[0].reason == "content"
    assert 0.5 <= m[0].score <= 1 and m[0].status_label == "已登记"
    # unrelated: nothing
    assert services.intake.find_repeats(form(
        petitioner={"name": "王光辉", "address_division": TEST_VILLAGE},
        summary="路灯坏了", account="村口三盏路灯坏了没人修。")) == []
    # linking the repeat when registering
    second = services.intake.register(form(), op, link_to=[first.case_id])
    d = services.cases.detail(second.case_id, op)
    assert [(lk.case_id, lk.case_no) for lk in d.links] == [(first.case_id, first.case_no)]


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
PDF = b"%PDF-1.4\n%%EOF\n"


def test_import_attachment_dedups_and_registers(services, op, tmp_paths, tmp_path):
    a = tmp_path / "信件.png"
    a.write_bytes(PNG)
    b = tmp_path / "copy.PNG"
    b.write_bytes(PNG)
    ra = services.intake.import_attachment(a)
    rb = services.intake.import_attachment(b)
    assert ra.sha256 == rb.sha256 and ra.mime == "image/png" and ra.size == len(PNG)
    stored = tmp_paths.attachments_dir / ra.sha256[:2] / ra.sha256
    assert stored.read_bytes() == PNG
    assert [p.name for p in tmp_paths.attachments_dir.rglob("*") if p.is_file()] == [ra.sha256]
    p = tmp_path / "材料.pdf"
    p.write_bytes(PDF)
    rp = services.intake.import_attachment(p)
    r = services.intake.register(form(attachments=[ra, rp.to_payload()]), op)
    d = services.cases.detail(r.case_id, op)
    assert [x.sha256 for x in d.attachments] == [ra.sha256, rp.sha256]


@pytest.mark.parametrize("name,data,code", [
    ("a.exe", b"MZ...", "attachment_type"),
    ("fake.pdf", b"MZ\x90\x00 not a pdf", "attachment_type"),
    ("empty.png", b"", "attachment_empty"),
    ("missing.png", None, "attachment_missing"),
])
def test_import_attachment_refusals(services, tmp_path, tmp_paths, name, data, code):
    path = tmp_path / name
    if data is not None:
        path.write_bytes(data)
    with pytest.raises(ServiceError) as ei:
        services.intake.import_attachment(path)
    assert ei.value.code == code
    assert not any(p.is_file() for p in tmp_paths.attachments_dir.rglob("*"))


def test_import_attachment_too_large(services, tmp_path, monkeypatch):
    from station_app.services import attachments

    monkeypatch.setattr(attachments, "MAX_ATTACHMENT_BYTES", 50)   # a limit, not our logic
    path = tmp_path / "big.png"
    path.write_bytes(PNG)
    with pytest.raises(ServiceError) as ei:
        services.intake.import_attachment(path)
    assert ei.value.code == "attachment_too_large"
