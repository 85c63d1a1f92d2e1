"""Every level enrolls (issue 9 item 1; decisions/0009): a code may name a unit — a county
department or the centre of any level — the server records the station's unit and tells
the station; bad units and codes for another unit are refused with stable codes.  Runs on
SQLite and PostgreSQL (``db_url``)."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select, text

from petition_core.units import UnitError
from sync_server.cli import main
from sync_server.services.enrollment import create_code
from sync_server.store import models

from .helpers import COUNTY, VILLAGE_A, Station

MZ = "530921000000.mz"          # 凤庆县民政局
JW = "530921000000.jw"          # 凤庆县纪委监委信访室
CITY = "530900000000"           # 临沧市
PROVINCE = "530000000000"       # 云南省
OTHER_COUNTY = "530922000000"   # 云县


def _unit_of(engine, station_id: str) -> str:
    with engine.connect() as conn:
        return conn.execute(select(models.stations.c.unit)
                            .where(models.stations.c.station_id == station_id)).scalar_one()


def test_a_department_enrolls_as_its_unit(server):
    client, engine = server
    st = Station(COUNTY, name="县民政局信访室", unit=MZ)
    r = st.enroll(client, create_code(engine, unit=MZ))
    assert r.status_code == 200, r.text
    assert r.json()["unit"] == MZ and r.json()["division"] == COUNTY
    assert r.json()["level"] == 3
    assert _unit_of(engine, st.enrolled["station_id"]) == MZ


@pytest.mark.parametrize("division,level", [(COUNTY, 3), (CITY, 2), (PROVINCE, 1),
                                            (VILLAGE_A, 5)])
def test_every_level_centre_enrolls_as_its_division(server, division, level):
    client, engine = server
    st = Station(division, unit=division)
    r = st.enroll(client, create_code(engine, unit=division))
    assert r.status_code == 200, r.text
    assert (r.json()["unit"], r.json()["level"]) == (division, level)
    assert _unit_of(engine, st.enrolled["station_id"]) == division


def test_a_station_that_names_no_unit_is_its_division(server):
    client, engine = server
    st = Station(VILLAGE_A)      # an older station: no unit in its body
    r = st.enroll(client, create_code(engine, division=VILLAGE_A))
    assert r.status_code == 200 and r.json()["unit"] == VILLAGE_A


@pytest.mark.parametrize("unit,code", [
    ("530921000000.zzz", "unit_unknown"),            # not in the county's register
    ("530921108203.mz", "unit_under_village"),       # a department under a village
    ("530921000000.MZ", "unit_suffix_invalid"),
    ("5309210000001", "unit_code_invalid"),
    ("530922000000.mz", "unit_unknown"),             # another county's department
])
def test_codes_for_bad_units_are_refused(server, unit, code):
    _client, engine = server
    with pytest.raises(UnitError) as exc:
        create_code(engine, unit=unit)
    assert exc.value.code == code
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM enrollment_codes")).scalar_one() == 0


def test_a_code_for_another_unit_or_county_enrolls_nothing(server):
    client, engine = server
    # a code for 纪委 typed at the 民政局's PC
    st = Station(COUNTY, unit=MZ)
    r = st.enroll(client, create_code(engine, unit=JW))
    assert r.status_code == 409 and r.json()["error"] == "enroll_unit_mismatch"
    # a department's code at a station that does not know it is one
    old = Station(COUNTY)
    r = old.enroll(client, create_code(engine, unit=MZ))
    assert r.status_code == 409 and r.json()["error"] == "enroll_unit_mismatch"
    # a code for another county's centre
    r = Station(COUNTY, unit=MZ).enroll(client, create_code(engine, unit=OTHER_COUNTY))
    assert r.status_code == 409 and r.json()["error"] == "enroll_division_mismatch"
    # a unit that is not of the division the station names
    r = Station(VILLAGE_A, unit=MZ).enroll(client, create_code(engine, unit=MZ))
    assert r.status_code == 400 and r.json()["error"] == "body_malformed"
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM stations")).scalar_one() == 0
        assert conn.execute(text(
            "SELECT count(*) FROM enrollment_codes WHERE used_at IS NOT NULL")).scalar_one() == 0


def test_cli_makes_a_code_for_a_unit(db_url, tmp_path, capsys):
    db = db_url
    assert main(["init", "--db", db, "--keys", str(tmp_path / "keys")]) == 0
    capsys.readouterr()
    assert main(["enroll", "--unit", MZ, "--db", db, "--keys", str(tmp_path / "keys")]) == 0
    out = capsys.readouterr().out
    assert re.search(r"Station enrollment code: [A-Z2-9]{4}-[A-Z2-9]{4}", out)
    assert "凤庆县民政局" in out and MZ in out
    for bad in ("530921000000.zzz", "530921108203.mz", "not-a-unit"):
        assert main(["enroll", "--unit", bad, "--db", db]) == 1
        assert "refused" in capsys.readouterr().err
    assert main(["enroll", "--unit", MZ, "--division", VILLAGE_A, "--db", db]) == 1


def test_migration_gives_existing_stations_their_division_as_unit(db_url):
    from alembic import command

    from sync_server.store.db import alembic_config, make_engine, migrate_to_head

    engine = make_engine(db_url)
    try:
        command.upgrade(alembic_config(engine), "0008")
        with engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO stations (station_id, station_code, division, level, name, "
                "public_key, enrolled_at, last_counter) VALUES ('s1', '530921108203', "
                "'530921108203', 5, 'x', 'k', '2026-11-28', 0)"))
        migrate_to_head(engine)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT unit FROM stations")).scalar_one() == VILLAGE_A
    finally:
        engine.dispose()


def test_a_department_station_is_re_enrolled_as_its_unit(server):
    """A reinstalled 县民政局 PC: the county's code for that station enrolls it again as
    the same department (the code carries the station's unit)."""
    client, engine = server
    st = Station(COUNTY, unit=MZ)
    assert st.enroll(client, create_code(engine, unit=MZ)).status_code == 200
    sid = st.enrolled["station_id"]
    new = Station(COUNTY, unit=MZ, station_id=sid)
    r = new.enroll(client, create_code(engine, station_id=sid))
    assert r.status_code == 200, r.text
    assert (r.json()["station_id"], r.json()["unit"], r.json()["epoch"]) == (sid, MZ, 2)
    with pytest.raises(ValueError):
        create_code(engine, station_id=sid, unit=JW)
