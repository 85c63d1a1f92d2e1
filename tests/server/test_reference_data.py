"""The county's reference data on the server (issue 9; decisions/0009), on SQLite and
PostgreSQL: unit rows and holiday years are checked row by row, signed with the county
key, and pulled after a station's ``reference_cursor``; a new department can then be
named by an enrollment code."""
from __future__ import annotations

import json

import pytest

from petition_core import protocol as P
from petition_core.protocol import decode_response
from petition_core.units import UnitError
from sync_server.services import reference
from sync_server.services.enrollment import create_code

from .helpers import COUNTY, VILLAGE_A, Station, enrolled, ident

NY = "530921000000.ny"


def _pull(st, client, cursor):  # type: ignore[no-untyped-def]
    r = st.post(client, "/v1/sync", {"push": {"events": []},
                                     "pull": {"cursor": 0, "reference_cursor": cursor}})
    assert r.status_code == 200, r.text
    return decode_response(r.content)


def test_units_and_holidays_are_signed_and_pulled_after_the_cursor(server, tmp_path):
    client, engine = server
    me = ident(client)
    st = enrolled(client, engine, VILLAGE_A)
    assert "reference" not in _pull(st, client, 0)        # nothing kept yet: no field

    reference.add_unit(engine, me, {"code": NY, "name": "凤庆县农业农村局",
                                    "kind": "department"})
    notice = tmp_path / "n.json"
    notice.write_text(json.dumps({"years": {
        "2027": {"holidays": ["2027-01-01"], "workdays": []},
        "2028": {"holidays": ["2028-13-01"]},            # not a date
        "abc": {"holidays": []},
    }}), encoding="utf-8")
    years, refused = reference.load_holidays(engine, me, notice)
    assert years == ["2027"] and sorted(r.year for r in refused) == ["2028", "abc"]

    ans = _pull(st, client, 0)["reference"]
    recs = [P.verify_reference(r, me.public_key, issuer=me.server_id) for r in ans["records"]]
    assert [(r.kind, r.key) for r in recs] == [("unit", NY), ("holidays", "2027")]
    assert recs[0].data["name"] == "凤庆县农业农村局" and recs[0].data["parent"] == COUNTY
    assert "reference" not in _pull(st, client, ans["cursor"])   # up to date

    reference.change_unit(engine, me, NY, name="凤庆县农业农村和科技局")
    later = _pull(st, client, ans["cursor"])["reference"]
    (rec,) = [P.verify_reference(r, me.public_key, issuer=me.server_id)
              for r in later["records"]]
    assert rec.data["name"] == "凤庆县农业农村和科技局"
    assert "凤庆县农业农村局" in rec.data["aliases"]
    assert rec.rev > recs[-1].rev

    # a department the county registered can now enroll as itself
    dept = Station(COUNTY, unit=NY)
    assert dept.enroll(client, create_code(engine, unit=NY)).status_code == 200
    reference.change_unit(engine, me, NY, active=False)
    with pytest.raises(UnitError) as exc:
        create_code(engine, unit=NY)
    assert exc.value.code == "unit_inactive"


@pytest.mark.parametrize("row,code", [
    ({"code": "530921108203.ny", "name": "x", "kind": "department"}, "unit_under_village"),
    ({"code": "530921000000.mz", "name": "民政局", "kind": "department"}, "unit_duplicate"),
    ({"code": NY, "name": "x", "kind": "centre"}, "unit_kind_invalid"),
    ({"code": NY, "name": "\x07", "kind": "department"}, "control_chars"),
])
def test_bad_unit_rows_are_refused_and_nothing_is_signed(server, row, code):
    client, engine = server
    with pytest.raises(UnitError) as exc:
        reference.add_unit(engine, ident(client), row)
    assert exc.value.code == code
    st = enrolled(client, engine, VILLAGE_A)
    assert "reference" not in _pull(st, client, 0)


def test_an_import_keeps_the_good_rows(server, tmp_path):
    client, engine = server
    path = tmp_path / "reg.json"
    path.write_text(json.dumps({"scope": COUNTY, "units": [
        {"code": NY, "name": "凤庆县农业农村局", "kind": "department"},
        {"code": "530922000000.ny", "name": "云县农业农村局", "kind": "department"},
        "not a row",
        {"code": "530921000000.sw", "name": "凤庆县水务局", "kind": "department"},
    ]}, ensure_ascii=False), encoding="utf-8")
    units, refused = reference.import_units(engine, ident(client), path)
    assert sorted(u.code for u in units) == [NY, "530921000000.sw"]
    assert sorted((r.index, r.code) for r in refused) == [(1, "unit_outside"),
                                                          (2, "unit_row_malformed")]


def test_a_malformed_reference_cursor_is_refused(server):
    client, engine = server
    st = enrolled(client, engine, VILLAGE_A)
    r = st.post(client, "/v1/sync", {"push": {"events": []},
                                     "pull": {"cursor": 0, "reference_cursor": -1}})
    assert r.status_code == 400
