"""Alembic machinery: every earlier revision upgrades to head without losing data, the
head schema equals the models, and downgrade/upgrade round-trips."""
from __future__ import annotations

import sqlite3

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from station_helpers import TEST_VILLAGE

from petition_core.events import make_payload
from petition_core.ids import uuid7
from station_app.paths import AppPaths
from station_app.store import open_store
from station_app.store.db import alembic_config, current_revision, make_engine, upgrade
from station_app.store.models import Base


def _revisions() -> list[str]:
    engine = make_engine(":memory:")  # only to build a config; never connected
    script = ScriptDirectory.from_config(alembic_config(engine))
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def _fill_0001(db) -> dict[str, object]:
    """Data valid at revision 0001: a station, an operator, two cases as raw events."""
    con = sqlite3.connect(db)
    con.execute("INSERT INTO station VALUES (1, 'st-1', ?, ?, 5, '鹿鸣村', '2026-01-01')",
                (TEST_VILLAGE, TEST_VILLAGE))
    con.execute("INSERT INTO operator VALUES ('clerk', '值班员', 'village', x'00', x'01',"
                " 'scrypt:n=16384,r=8,p=1,dklen=32', 0, '2026-01-01')")
    cases = [uuid7(), uuid7()]
    seq = 0
    for i, case in enumerate(cases):
        seq += 1
        payload = make_payload({"case_no": f"{TEST_VILLAGE}-2026-000{i + 1}",
                                "query_code": "ABCDE" + "FG"[i], "division": TEST_VILLAGE,
                                "category": "land", "channel": "visit",
                                "received_at": "2026-11-01T10:00:00+08:00",
                                "summary": f"林地界线纠纷{i}",
                                "petitioner": {"name": "曾德明", "anonymous": False}})
        ev = uuid7()
        con.execute("INSERT INTO event (event_id, case_id, station_id, station_seq, type,"
                    " lamport, actor, occurred_at, payload, payload_enc, route, schema_version)"
                    " VALUES (?, ?, 'st-1', ?, 'case.registered', 1, 'clerk',"
                    " '2026-11-01T10:00:00+08:00', ?, 'json', ?, 1)",
                    (ev, case, seq, payload, TEST_VILLAGE))
        con.execute("INSERT INTO outbox VALUES (?, '2026-11-01')", (ev,))
    con.execute("INSERT INTO counter VALUES ('station_seq', ?)", (seq,))
    con.execute("INSERT INTO setting VALUES ('pull.cursor', '5')")
    con.execute("INSERT INTO attachment VALUES (?, 3, 'image/png', 'a.png', 'aa/x', 'now')",
                ("a" * 64,))
    con.commit()
    con.close()
    return {"cases": cases}


def _dump(db, tables=("station", "operator", "event", "outbox", "counter", "setting",
                      "attachment")) -> dict[str, list]:
    con = sqlite3.connect(db)
    try:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in tables}
    finally:
        con.close()


def _fill_0002(db) -> dict[str, object]:
    """Data valid at revision 0002: 0001's events plus their projection rows, written by
    the projection code as 0002's backfill would."""
    info = _fill_0001(db)
    from station_app.store.projection import rebuild_all

    engine = make_engine(db)
    with engine.begin() as conn:
        rebuild_all(conn)
    engine.dispose()
    return info


FILLERS = {"0001": _fill_0001, "0002": _fill_0002, "0003": _fill_0002,  # 0003: indexes only
           "0004": _fill_0002,   # 0004: due dates recounted, no schema change
           "0005": _fill_0002,   # 0005: login_attempt table only
           "0006": _fill_0002,   # 0006: register tables and station number only
           "0007": _fill_0002,   # 0007: pulled_quarantine table only
           "0011": _fill_0002,   # 0011: local_query_code table only
           "0012": _fill_0002}   # 0012: case_index queue columns (0013: repeat_notice)


def test_revision_history_is_linear_and_starts_at_0001():
    revs = _revisions()
    assert revs[0] == "0001"
    assert len(revs) >= 2 and len(set(revs)) == len(revs)


@pytest.mark.parametrize("rev", [r for r in _revisions()[:-1]])
def test_upgrade_from_each_revision_keeps_data(tmp_path, rev):
    paths = AppPaths(tmp_path / "d").ensure()
    engine = make_engine(paths.db_path)
    upgrade(engine, rev)
    assert current_revision(engine) == rev
    engine.dispose()
    filler = FILLERS.get(rev)
    assert filler is not None, f"write a filler with data valid at revision {rev}"
    info = filler(paths.db_path)
    before = _dump(paths.db_path)
    store = open_store(paths)            # upgrades to head
    try:
        assert current_revision(store.engine) == _revisions()[-1]
    finally:
        store.close()
    assert _dump(paths.db_path) == before
    con = sqlite3.connect(paths.db_path)
    # 0002 backfilled the projection and the full-text index from the event log
    rows = con.execute("SELECT case_id, petitioner_name, status, name_keys FROM case_index"
                       " ORDER BY case_id").fetchall()
    assert [r[0] for r in rows] == sorted(info["cases"])
    assert all(r[1] == "曾德明" and r[2] == "registered" and "zeng" in r[3] for r in rows)
    assert con.execute("SELECT count(*) FROM case_fts WHERE case_fts MATCH '界线纠纷'")\
        .fetchone() == (2,)
    con.close()


def test_0004_recounts_stored_due_dates_by_the_rule_of_periods(tmp_path):
    """Issue 8: due dates stored before the rule of periods are recounted on upgrade."""
    paths = AppPaths(tmp_path / "d").ensure()
    engine = make_engine(paths.db_path)
    upgrade(engine, "0003")
    engine.dispose()
    info = _fill_0002(paths.db_path)
    con = sqlite3.connect(paths.db_path)
    # what the old code stored for a case received 2026-01-31: 15 days → 02-15 (春节)
    con.execute("UPDATE event SET payload = CAST(replace(CAST(payload AS TEXT),"
                " '2026-11-01T10:00:00+08:00', '2026-01-31T10:00:00+08:00') AS BLOB)")
    con.execute("UPDATE case_index SET due_date = '2026-02-15', due_key = '2026-02-15'")
    con.commit()
    con.close()
    store = open_store(paths)
    store.close()
    con = sqlite3.connect(paths.db_path)
    rows = con.execute("SELECT case_id, due_date, due_key FROM case_index").fetchall()
    con.close()
    assert sorted(rows) == sorted((c, "2026-02-24", "2026-02-24") for c in info["cases"])


def test_0012_backfills_the_workbench_queue_columns(tmp_path):
    """Issue 9 item 4: cases stored before 0012 get their handling unit and stage."""
    paths = AppPaths(tmp_path / "d").ensure()
    engine = make_engine(paths.db_path)
    upgrade(engine, "0011")
    engine.dispose()
    info = _fill_0002(paths.db_path)
    store = open_store(paths)
    store.close()
    con = sqlite3.connect(paths.db_path)
    rows = con.execute("SELECT case_id, handling_unit, supervising_unit, stage, urged"
                       " FROM case_index").fetchall()
    con.close()
    assert sorted(rows) == sorted((c, TEST_VILLAGE, "", "accept", 0) for c in info["cases"])


def test_head_schema_equals_models(store):
    def include(obj, name, type_, reflected, compare_to):  # noqa: ANN001
        return not (type_ == "table" and (name.startswith(("case_fts", "case_gram"))
                                          or name in ("alembic_version", "sqlite_sequence")))

    with store.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"include_object": include,
                                                     "compare_type": True})
        diffs = compare_metadata(ctx, Base.metadata)
    assert diffs == []


def test_downgrade_to_base_and_back(tmp_paths):
    from alembic import command

    store = open_store(tmp_paths)
    cfg = alembic_config(store.engine)
    command.downgrade(cfg, "base")
    assert current_revision(store.engine) is None
    command.upgrade(cfg, "head")
    assert current_revision(store.engine) == _revisions()[-1]
    store.close()


def test_programs_opening_a_new_database_at_once(tmp_path):
    """The app and a CLI command may create the database at the same moment."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    code = ("import sys; from station_app.paths import AppPaths;"
            " from station_app.store import open_store;"
            " open_store(AppPaths(sys.argv[1])).close()")
    procs = [subprocess.Popen([sys.executable, "-c", code, str(tmp_path / "d")], cwd=root,
                              stderr=subprocess.PIPE, text=True) for _ in range(3)]
    errors = [p.communicate(timeout=60)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], errors
    engine = make_engine(tmp_path / "d" / "station.db")
    assert current_revision(engine) == _revisions()[-1]
    engine.dispose()


def _at(tmp_path, rev: str) -> AppPaths:
    """A data folder whose database is at ``rev`` with data valid there."""
    paths = AppPaths(tmp_path / "d").ensure()
    engine = make_engine(paths.db_path)
    upgrade(engine, rev)
    engine.dispose()
    FILLERS[rev](paths.db_path)
    return paths


def _revision_of(db) -> str:
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        con.close()


def test_every_migration_is_preceded_by_a_backup(tmp_path):
    """Issue 12: a verified copy of the database as the old version left it, before any
    migration; none when there is nothing to migrate or nothing yet to lose."""
    from station_app import backup as files

    fresh = AppPaths(tmp_path / "fresh").ensure()
    open_store(fresh).close()                            # a new database: nothing to lose
    assert files.list_files(fresh.backups_dir) == []
    paths = _at(tmp_path, "0001")
    before = _dump(paths.db_path)
    open_store(paths).close()
    saved = files.list_files(paths.backups_dir)
    assert [(b.pre_migrate, b.pre_restore) for b in saved] == [(True, False)]
    assert saved[0].path.name.startswith("suqiu-pre-migrate-")
    files.verify(saved[0].path)
    assert _revision_of(saved[0].path) == "0001"         # the database before it migrated
    assert _dump(saved[0].path) == before
    open_store(paths).close()                            # at head: no second backup
    assert len(files.list_files(paths.backups_dir)) == 1


def test_failed_migration_restores_the_backup_and_says_so(tmp_path):
    """A migration that fails half-way (here: a table a later revision creates is already
    there, as after an interrupted upgrade) leaves the database exactly as before, from the
    backup, and raises the code the app shows."""
    from station_app import backup as files
    from station_app.store.db import MigrationError

    paths = _at(tmp_path, "0006")
    con = sqlite3.connect(paths.db_path)
    con.execute("CREATE TABLE pulled_quarantine (x INTEGER)")  # 0007 creates it
    con.commit()
    con.close()
    before = _dump(paths.db_path)
    with pytest.raises(MigrationError) as err:
        open_store(paths)
    assert err.value.code == "migration_failed"
    saved = files.list_files(paths.backups_dir)
    assert len(saved) == 1 and err.value.params == {"backup": saved[0].path.name}
    assert _revision_of(paths.db_path) == "0006"
    assert _dump(paths.db_path) == before
    from station_app.ui.messages import describe_exception
    assert "恢复成升级前" in describe_exception(err.value)
    # once the cause is gone, the next start migrates (after another backup)
    con = sqlite3.connect(paths.db_path)
    con.execute("DROP TABLE pulled_quarantine")
    con.commit()
    con.close()
    store = open_store(paths)
    assert current_revision(store.engine) == _revisions()[-1]
    store.close()
    assert len(files.list_files(paths.backups_dir)) == 2


def test_no_migration_without_a_backup(tmp_path):
    """The backup cannot be written (here ``backups`` is a file, not a folder): nothing
    is migrated, the old version's database stays as it was."""
    import shutil

    from station_app.store.db import MigrationError

    paths = _at(tmp_path, "0005")
    shutil.rmtree(paths.backups_dir)
    paths.backups_dir.write_text("in the way")
    before = _dump(paths.db_path)
    with pytest.raises(MigrationError) as err:
        open_store(paths)
    assert err.value.code == "migration_backup_failed"
    assert _revision_of(paths.db_path) == "0005"
    assert _dump(paths.db_path) == before


def test_pre_migration_backups_are_rotated_to_the_last_three(tmp_path):
    from datetime import datetime, timedelta

    from station_app import backup as files

    paths = _at(tmp_path, "0006")
    t0 = datetime(2026, 1, 1, 8, 0, 0)
    for i in range(5):
        files.make_backup(paths.db_path, paths.backups_dir, prefix=files.PRE_MIGRATE,
                          now=t0 + timedelta(days=i))
    files.make_backup(paths.db_path, paths.backups_dir, now=t0)          # a daily one
    files.rotate(paths.backups_dir)
    kept = files.list_files(paths.backups_dir)
    assert [b.when.day for b in kept if b.pre_migrate] == [5, 4, 3]
    assert [b.when.day for b in kept if b.regular] == [1]    # not pushed out by them
