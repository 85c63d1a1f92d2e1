"""First-run setup and operator accounts: good paths and every refusal."""
from __future__ import annotations

from functools import partial

import pytest

from petition_core.enums import Level, Role
from station_app.services import ServiceError, StationServices


@pytest.fixture
def fresh(tmp_paths, store):
    return StationServices.from_store(tmp_paths, store)


def _code(fn) -> str:  # noqa: ANN001
    with pytest.raises(ServiceError) as ei:
        fn()
    return ei.value.code


def test_initialise_village_and_township(fresh, tmp_path):
    assert not fresh.setup.is_initialised()
    assert _code(fresh.setup.station) == "not_initialised"
    info = fresh.setup.initialise("530921108203", " 鹿鸣村 群众诉求站 ", "admin", "admin1234",
                                  "张建华")
    assert info.level == Level.VILLAGE and info.name == "鹿鸣村 群众诉求站"
    assert info.division_name.endswith("洛党镇鹿鸣村民委员会")
    assert fresh.setup.is_initialised()
    assert fresh.setup.station() == info
    assert _code(lambda: fresh.setup.initialise("530921108203", "x", "admin2", "admin1234",
                                                "李")) == "already_initialised"


def test_initialise_township_level(tmp_path):
    from station_app.paths import AppPaths

    svc = StationServices.open(AppPaths(tmp_path / "t"))
    try:
        info = svc.setup.initialise("530921108000", "洛党镇群众诉求中心", "admin", "admin1234",
                                    "王")
        assert info.level == Level.TOWNSHIP
    finally:
        svc.close()


@pytest.mark.parametrize("code,expected", [
    ("999999999999", "division_unknown"),
    ("abc", "division_unknown"),
    ("", "division_unknown"),
])
def test_initialise_refusals_write_nothing(fresh, code, expected):
    assert _code(lambda: fresh.setup.initialise(code, "站", "admin", "admin1234", "王")) \
        == expected
    assert not fresh.setup.is_initialised()


def test_initialise_with_bad_admin_writes_nothing(fresh):
    assert _code(lambda: fresh.setup.initialise("530921108203", "站", "A!", "admin1234",
                                                "王")) == "login_invalid"
    assert not fresh.setup.is_initialised()
    assert fresh.accounts.list_operators() == []


def _admin(services):  # noqa: ANN001, ANN202
    return services.accounts.get("admin")


def test_operators_and_authentication(services):
    op = services.accounts.create_operator("clerk_1", "李值班", "secret123", "village",
                                           actor=_admin(services))
    assert op.role is Role.VILLAGE and op.role_label == "村级值班员"
    assert services.accounts.authenticate("clerk_1", "secret123") == op
    assert [o.login for o in services.accounts.list_operators()] == ["admin", "clerk_1"]
    assert services.accounts.get("clerk_1") == op
    for login, pw in [("clerk_1", "wrong-pass"), ("nobody", "secret123"), ("clerk_1", ""),
                      ("", "")]:
        assert _code(partial(services.accounts.authenticate, login, pw)) == "auth_failed"


@pytest.mark.parametrize("login,name,pw,role,code", [
    ("ab", "李", "secret123", "village", "login_invalid"),
    ("a" * 21, "李", "secret123", "village", "login_invalid"),
    ("Clerk", "李", "secret123", "village", "login_invalid"),
    ("clerk 2", "李", "secret123", "village", "login_invalid"),
    ("clerk2", "李", "short", "village", "password_too_short"),
    ("clerk2", "", "secret123", "village", "display_name_invalid"),
    ("clerk2", "李", "secret123", "emperor", "role_invalid"),
    ("admin", "李", "secret123", "village", "login_taken"),
])
def test_create_operator_refusals(services, login, name, pw, role, code):
    assert _code(lambda: services.accounts.create_operator(login, name, pw, role,
                                                           actor=_admin(services))) == code
    assert len(services.accounts.list_operators()) == 1


def test_change_password_and_disable(services):
    admin = _admin(services)
    services.accounts.create_operator("clerk2", "李", "secret123", Role.TOWNSHIP, actor=admin)
    assert _code(lambda: services.accounts.change_password("clerk2", "bad-old-1",
                                                           "newsecret1")) == "auth_failed"
    assert _code(lambda: services.accounts.change_password("clerk2", "secret123",
                                                           "short")) == "password_too_short"
    services.accounts.change_password("clerk2", "secret123", "newsecret1")
    assert _code(lambda: services.accounts.authenticate("clerk2", "secret123")) == "auth_failed"
    assert services.accounts.authenticate("clerk2", "newsecret1").login == "clerk2"
    services.accounts.set_disabled("clerk2", True, actor=admin)
    assert _code(lambda: services.accounts.authenticate("clerk2", "newsecret1")) == "auth_failed"
    assert _code(lambda: services.accounts.set_disabled("admin", True, actor=admin)) \
        == "last_admin"
    assert _code(lambda: services.accounts.get("ghost")) == "operator_unknown"


def test_password_hash_is_salted_scrypt(services, tmp_paths):
    import sqlite3

    services.accounts.create_operator("clerk3", "李", "admin1234", "village",
                                      actor=_admin(services))
    con = sqlite3.connect(tmp_paths.db_path)
    rows = dict(con.execute("SELECT login, pw_hash FROM operator").fetchall())
    params = {r[0] for r in con.execute("SELECT pw_params FROM operator")}
    con.close()
    assert rows["admin"] != rows["clerk3"]          # same password, different salts
    assert b"admin1234" not in rows["admin"]
    from station_app.services.accounts import SCRYPT, _params_text

    assert params == {_params_text(SCRYPT)}
