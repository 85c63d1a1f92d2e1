"""Operators (issue 7 B9): admin-only actions checked by the service, a persisted back-off
after failed logins, and scrypt at N=2^17 with old hashes upgraded at their next login."""
from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from petition_core.enums import Role
from station_app.services import ServiceError, StationServices, accounts, login_guard

ADMIN = ("admin", "admin1234")
T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def _err(fn) -> ServiceError:  # noqa: ANN001
    with pytest.raises(ServiceError) as ei:
        fn()
    return ei.value


# ---- admin-only actions ------------------------------------------------------------------
def test_only_an_enabled_administrator_may_add_or_disable_operators(services):
    acc = services.accounts
    admin = acc.get("admin")
    acc.create_operator("clerk1", "李", "secret123", Role.VILLAGE, actor=admin)
    clerk = acc.authenticate("clerk1", "secret123")
    # a clerk cannot add an operator (e.g. an admin for himself) nor disable anyone
    assert _err(lambda: acc.create_operator("boss", "王", "secret123", Role.ADMIN,
                                            actor=clerk)).code == "permission_denied"
    assert _err(lambda: acc.set_disabled("admin", True, actor=clerk)).code == \
        "permission_denied"
    # the role is read from the database, not from the Operator the caller passes
    forged = replace(clerk, role=Role.ADMIN)
    assert _err(lambda: acc.create_operator("boss", "王", "secret123", Role.ADMIN,
                                            actor=forged)).code == "permission_denied"
    ghost = replace(admin, login="nobody")
    assert _err(lambda: acc.set_disabled("clerk1", True, actor=ghost)).code == \
        "permission_denied"
    # an administrator disabled since logging in has lost the right
    acc.create_operator("admin2", "赵", "secret123", Role.ADMIN, actor=admin)
    admin2 = acc.authenticate("admin2", "secret123")
    acc.set_disabled("admin2", True, actor=admin)
    assert _err(lambda: acc.set_disabled("clerk1", True, actor=admin2)).code == \
        "permission_denied"
    assert [o.login for o in acc.list_operators()] == ["admin", "admin2", "clerk1"]
    assert not acc.get("clerk1").disabled and not acc.get("admin").disabled
    acc.set_disabled("clerk1", True, actor=admin)
    assert acc.get("clerk1").disabled


def test_an_actor_is_required():
    with pytest.raises(TypeError):
        accounts.AccountService.create_operator(None, "x", "y", "z", "village")  # type: ignore


# ---- back-off -------------------------------------------------------------------------------
def test_backoff_schedule():
    assert [login_guard.backoff_seconds(n) for n in range(1, 11)] == \
        [0, 0, 0, 30, 60, 120, 240, 480, 900, 900]


@pytest.mark.parametrize("login", ["admin", "nobody"])   # unknown logins alike: no enumeration
def test_failed_logins_back_off_and_a_success_clears_them(services, login):
    acc = services.accounts
    for _ in range(3):
        assert _err(lambda: acc.authenticate(login, "wrong-pass", now=T0)).code == "auth_failed"
    e = _err(lambda: acc.authenticate(login, "wrong-pass", now=T0))
    assert (e.code, e.params) == ("login_backoff", {"wait_seconds": 30})
    # while waiting, even the right password is not tried
    e = _err(lambda: acc.authenticate(login, ADMIN[1], now=T0 + timedelta(seconds=20)))
    assert (e.code, e.params) == ("login_backoff", {"wait_seconds": 10})
    later = T0 + timedelta(seconds=31)
    if login == "admin":
        assert acc.authenticate("admin", ADMIN[1], now=later).login == "admin"
        for _ in range(3):   # cleared: three free mistakes again
            assert _err(lambda: acc.authenticate("admin", "x" * 9, now=later)).code == \
                "auth_failed"
    else:
        e = _err(lambda: acc.authenticate(login, "wrong-pass", now=later))
        assert (e.code, e.params) == ("login_backoff", {"wait_seconds": 60})
    # one login's back-off does not touch another's
    assert _err(lambda: acc.authenticate("other", "wrong-pass", now=T0)).code == "auth_failed"


def test_the_backoff_survives_a_restart_and_stores_no_login_text(tmp_paths, services):
    for _ in range(5):   # the 5th is refused unchecked (waiting): not counted
        _err(lambda: services.accounts.authenticate("admin", "wrong-pass", now=T0))
    services.close()
    reopened = StationServices.open(tmp_paths)
    try:
        e = _err(lambda: reopened.accounts.authenticate("admin", ADMIN[1],
                                                         now=T0 + timedelta(seconds=5)))
        assert (e.code, e.params) == ("login_backoff", {"wait_seconds": 25})
    finally:
        reopened.close()
    con = sqlite3.connect(tmp_paths.db_path)
    rows = con.execute("SELECT login_key, failures FROM login_attempt").fetchall()
    con.close()
    assert rows == [(login_guard.login_key("admin"), 4)] and "admin" not in rows[0][0]


def test_a_clock_moved_back_cannot_lock_a_login_out_for_longer_than_the_cap(services):
    acc = services.accounts
    for i in range(12):   # spread out so that each is counted: up to the 15-minute cap
        at = T0 + timedelta(hours=i)
        _err(lambda at=at: acc.authenticate("admin", "wrong-pass", now=at))
    back = T0 - timedelta(days=30)       # then someone set the PC's date a month back
    e = _err(lambda: acc.authenticate("admin", ADMIN[1], now=back))
    assert e.params == {"wait_seconds": login_guard.MAX_WAIT}
    after = back + timedelta(seconds=login_guard.MAX_WAIT + 1)
    assert acc.authenticate("admin", ADMIN[1], now=after).login == "admin"


# ---- scrypt cost ------------------------------------------------------------------------------
@pytest.fixture
def real_scrypt(monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(accounts, "SCRYPT", accounts.PRODUCTION_SCRYPT)
    return accounts.PRODUCTION_SCRYPT


def test_production_cost_is_at_least_2_17_and_fits_its_memory_cap(real_scrypt):
    n, r = real_scrypt["n"], real_scrypt["r"]
    assert n >= 2 ** 17 and r >= 8
    assert 128 * n * r == 128 * 1024 * 1024 < accounts.SCRYPT_MAXMEM
    digest = accounts.hash_password("admin1234", b"s" * 16, real_scrypt)   # really runs
    assert len(digest) == real_scrypt["dklen"]


def test_an_old_hash_still_verifies_and_is_upgraded_at_the_next_login(services, tmp_paths,
                                                                      real_scrypt):
    old = {"n": 2 ** 14, "r": 8, "p": 1, "dklen": 32}
    con = sqlite3.connect(tmp_paths.db_path)
    con.execute("UPDATE operator SET pw_params = ?, pw_hash = ?, pw_salt = ? WHERE login = ?",
                (accounts._params_text(old), accounts.hash_password("admin1234", b"o" * 16, old),
                 b"o" * 16, "admin"))
    con.commit()
    assert services.accounts.authenticate(*ADMIN).login == "admin"
    params, salt = con.execute("SELECT pw_params, pw_salt FROM operator WHERE login = 'admin'"
                               ).fetchone()
    assert params == "scrypt:n=131072,r=8,p=1,dklen=32" and salt != b"o" * 16
    assert services.accounts.authenticate(*ADMIN).login == "admin"
    assert _err(lambda: services.accounts.authenticate("admin", "wrong-pass")).code == \
        "auth_failed"
    # absurd stored parameters (a damaged row) fail the login, they do not crash it
    con.execute("UPDATE operator SET pw_params = 'scrypt:n=1073741824,r=8,p=1,dklen=32'")
    con.commit()
    con.close()
    assert _err(lambda: services.accounts.authenticate(*ADMIN)).code == "auth_failed"
