"""Document data for printing, and backup / restore / rotation."""
from __future__ import annotations

import os
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from station_helpers import counts, form

from station_app import backup as files
from station_app.services import ServiceError
from station_app.store import set_setting

PNG = b"\x89PNG\r\n\x1a\n" + b"\x01" * 64


@pytest.fixture
def op(services):
    return services.accounts.authenticate("admin", "admin1234")


def test_receipt_and_notices(services, op):
    with services.store.session() as s:
        set_setting(s, "station.contact", "联系电话：0883-1234567")
    reg = services.intake.register(form(), op)
    r = services.documents.receipt_data(reg.case_id)
    assert (r.case_no, r.query_code) == (reg.case_no, reg.query_code)
    assert r.station_name == "鹿鸣村群众诉求站" and r.petitioner_display == "李建华"
    assert r.reply_by == reg.due_date and reg.due_date in r.next_steps
    assert r.contact == "联系电话：0883-1234567" and r.category_label == "土地"
    # the petitioner reads the clerk's name, never the login
    assert r.clerk == op.display_name and op.display_name != op.login
    with pytest.raises(ServiceError) as ei:
        services.documents.acceptance_notice_data(reg.case_id)
    assert ei.value.code == "not_accepted"
    with pytest.raises(ServiceError) as ei:
        services.documents.non_acceptance_notice_data(reg.case_id)
    assert ei.value.code == "not_declined"
    services.cases.accept(reg.case_id, op)
    a = services.documents.acceptance_notice_data(reg.case_id)
    assert a.conclude_by and a.conclude_by in a.next_steps
    other = services.intake.register(form(petitioner={"anonymous": True}, summary="别的事"), op)
    assert services.documents.receipt_data(other.case_id).petitioner_display == "匿名"
    services.cases.decline(other.case_id, op, reason="不属于本站职责", other_channel="县人社局")
    n = services.documents.non_acceptance_notice_data(other.case_id)
    assert (n.reason, n.other_channel) == ("不属于本站职责", "县人社局")
    assert "县人社局" in n.next_steps
    with pytest.raises(ServiceError) as ei:
        services.documents.receipt_data("01234567-89ab-7def-8123-456789abcdef")
    assert ei.value.code == "case_unknown"


def test_backup_and_restore(services, op, tmp_paths, tmp_path):
    pic = tmp_path / "photo.png"
    pic.write_bytes(PNG)
    att = services.intake.import_attachment(pic)
    first = services.intake.register(form(attachments=[att]), op)
    info = services.backup.backup_now()
    assert Path(info.path).parent == tmp_paths.backups_dir and info.size > 0
    files.verify(Path(info.path))
    mirror = tmp_paths.backups_dir / "attachments" / att.sha256[:2] / att.sha256
    assert mirror.read_bytes() == PNG
    snapshot = counts(tmp_paths.db_path)
    # life goes on after the backup, and an attachment file gets lost
    services.intake.register(form(summary="备份后登记"), op)
    (tmp_paths.attachments_dir / att.sha256[:2] / att.sha256).unlink()
    after_backup = counts(tmp_paths.db_path)
    assert after_backup != snapshot
    pre = services.backup.restore(info.path)
    assert pre.kind == "pre-restore" and Path(pre.path).exists()
    # nothing written after the backup is lost: the event log is merged back
    assert counts(tmp_paths.db_path) == after_backup
    assert (tmp_paths.attachments_dir / att.sha256[:2] / att.sha256).read_bytes() == PNG
    # the same services keep working on the restored file, and never reuse a number
    assert services.cases.detail(first.case_id, op).case_no == first.case_no
    assert services.intake.register(form(summary="恢复后登记"), op).case_no.endswith("-0003")
    con = sqlite3.connect(tmp_paths.db_path)
    seqs = [r[0] for r in con.execute("SELECT station_seq FROM event ORDER BY station_seq")]
    assert seqs == list(range(1, len(seqs) + 1))          # gap-free, no reuse
    queued = con.execute("SELECT count(*) FROM outbox").fetchone()[0]
    con.close()
    assert queued == len(seqs)                             # nothing synced yet: all queued
    # the pre-restore copy still holds what was written after the backup
    con = sqlite3.connect(pre.path)
    assert con.execute("SELECT count(*) FROM case_index").fetchone() == (2,)
    con.close()
    assert {b.kind for b in services.backup.list_backups()} == {"auto", "pre-restore"}


def test_restore_refuses_bad_files(services, op, tmp_paths, tmp_path):
    services.intake.register(form(), op)
    before = counts(tmp_paths.db_path)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database" * 100)
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    info = services.backup.backup_now()
    broken = tmp_path / "broken.db"
    data = bytearray(Path(info.path).read_bytes())
    data[4096:8192] = os.urandom(4096)            # damage a page
    broken.write_bytes(bytes(data))
    for path, code in [(tmp_path / "nope.db", "backup_missing"), (junk, "backup_corrupt"),
                       (other, "backup_not_station"), (broken, "backup_corrupt")]:
        with pytest.raises(ServiceError) as ei:
            services.backup.restore(path)
        assert ei.value.code == code, path
    assert counts(tmp_paths.db_path) == before
    assert not any(b.kind == "pre-restore" for b in services.backup.list_backups())


def test_daily_backup_only_once_a_day(services):
    assert services.backup.daily_backup_if_due() is not None
    assert services.backup.daily_backup_if_due() is None


def test_rotation_keeps_7_daily_and_4_weekly(tmp_path):
    folder = tmp_path / "b"
    folder.mkdir()
    start = datetime(2026, 11, 28, 20, 0, 0)
    for d in range(60):                      # two backups a day for 60 days
        for h in (9, 18):
            when = (start - timedelta(days=d)).replace(hour=h)
            (folder / f"suqiu-{when:%Y%m%d-%H%M%S}.db").write_bytes(b"x")
    for d in range(5):
        (folder / f"suqiu-pre-restore-{start - timedelta(days=d):%Y%m%d-%H%M%S}.db")\
            .write_bytes(b"x")
    (folder / "notes.txt").write_text("kept")
    files.rotate(folder)
    kept = files.list_files(folder)
    normal = [b.when for b in kept if not b.pre_restore]
    days = sorted({w.date() for w in normal}, reverse=True)
    assert days[:7] == [(start - timedelta(days=d)).date() for d in range(7)]
    assert all(w.hour == 18 for w in normal)                    # newest of each day
    assert len({w.isocalendar()[:2] for w in normal}) == 4
    assert len(normal) <= 7 + 4 and len(normal) >= 7
    assert len([b for b in kept if b.pre_restore]) == 3
    assert (folder / "notes.txt").exists()
