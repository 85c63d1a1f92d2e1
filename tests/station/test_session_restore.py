"""Who is at the desk and restoring from inside the app (issue 8, C9 and C15): the idle-lock
setting is the station's and only an administrator changes it; passwords are checked by one
service; a restore needs an administrator's password, keeps the current data as a backup,
refuses another station's backup and reports that everything changed."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from station_helpers import form

from petition_core.enums import Role
from station_app.backup import station_id_of
from station_app.services import Changes, ServiceError, StationServices
from station_app.services.session import DEFAULT_LOCK_MINUTES


@pytest.fixture
def op(services):
    return services.accounts.authenticate("admin", "admin1234")


@pytest.fixture
def clerk(services):
    admin = services.accounts.authenticate("admin", "admin1234")
    return services.accounts.create_operator("clerk2", "李值班", "clerk12345", Role.VILLAGE,
                                             actor=admin)


def _code(fn) -> str:  # noqa: ANN001
    with pytest.raises(ServiceError) as exc:
        fn()
    return exc.value.code


def test_lock_minutes_default_and_admin_only(services, op, clerk):
    session = services.session
    assert session.lock_minutes() == DEFAULT_LOCK_MINUTES == 15
    assert session.set_lock_minutes(op, 5) == Changes(station=True)
    assert session.lock_minutes() == 5
    assert _code(lambda: session.set_lock_minutes(clerk, 30)) == "permission_denied"
    for bad in (0, -1, 241, True, "10", 2.5):
        assert _code(lambda b=bad: session.set_lock_minutes(op, b)) == "out_of_range"
    assert session.lock_minutes() == 5


def test_verify_checks_password_and_role(services, op, clerk):
    session = services.session
    assert session.verify("clerk2", "clerk12345").login == "clerk2"
    assert _code(lambda: session.verify("clerk2", "wrong-pass")) == "auth_failed"
    assert _code(lambda: session.verify("nobody", "whatever1")) == "auth_failed"
    assert _code(lambda: session.verify("clerk2", "clerk12345", role=Role.ADMIN)) == \
        "permission_denied"
    assert session.verify("admin", "admin1234", role=Role.ADMIN).login == "admin"


def test_restore_from_the_app(services, op, clerk, tmp_paths):
    first = services.intake.register(form(summary="备份前登记的案件"), op)
    backup = services.backup.backup_now()
    later = services.intake.register(form(summary="备份后登记的案件"), op)
    # refusals: nothing changes and no pre-restore copy is made
    assert _code(lambda: services.backup.restore_as(backup.path, "clerk2", "clerk12345")) == \
        "permission_denied"
    assert _code(lambda: services.backup.restore_as(backup.path, "admin", "wrong-pass")) == \
        "auth_failed"
    assert _code(lambda: services.backup.restore_as(tmp_paths.root / "nope.db", "admin",
                                                    "admin1234")) == "backup_missing"
    assert not any(b.kind == "pre-restore" for b in services.backup.list_backups())

    done = services.restore_backup(backup.path, "admin", "admin1234")
    assert done.changes == Changes.everything()
    assert done.restored_from.created_at == backup.created_at
    assert Path(done.pre_restore.path).is_file() and done.pre_restore.kind == "pre-restore"
    assert done.merged_back >= 1
    # the same services keep working on the restored store; nothing registered is lost
    assert services.cases.detail(first.case_id, op).summary == "备份前登记的案件"
    assert services.cases.detail(later.case_id, op).summary == "备份后登记的案件"
    assert services.intake.register(form(), op).case_no not in (first.case_no, later.case_no)


def test_another_stations_backup_is_refused(services, op, tmp_path, tmp_paths):
    from station_app.paths import AppPaths

    other = StationServices.open(AppPaths(tmp_path / "other"))
    try:
        other.setup.initialise("530921108201", "洛党村群众诉求站", "admin", "admin1234", "管理员")
        theirs = other.backup.backup_now()
    finally:
        other.close()
    copy = tmp_paths.root / "copied-from-usb.db"
    shutil.copyfile(theirs.path, copy)
    assert station_id_of(copy) != station_id_of(tmp_paths.db_path)
    before = services.cases.detail(services.intake.register(form(), op).case_id, op)
    assert _code(lambda: services.backup.restore_as(copy, "admin", "admin1234")) == \
        "backup_other_station"
    assert services.cases.detail(before.case_id, op).case_no == before.case_no


def test_restore_waits_for_no_sync(services, op, monkeypatch):
    """A sync of this station (another process, or the app's own) holds the sync lock:
    the restore does not swap the database under it."""
    from filelock import FileLock

    import station_app.services.backup as backup_service

    monkeypatch.setattr(backup_service, "RESTORE_LOCK_WAIT_S", 0.2)
    b = services.backup.backup_now()
    with FileLock(services.paths.sync_lock):
        assert _code(lambda: services.backup.restore_as(b.path, "admin", "admin1234")) == \
            "sync_busy"
