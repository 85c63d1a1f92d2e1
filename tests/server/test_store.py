"""Store: migrations up/down with data on both databases, head schema == models, and the
change-log invariant under concurrent writers (a pull cursor never skips a position)."""
from __future__ import annotations

import threading

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from sync_server.services import pull as pull_service
from sync_server.services.auth import get_station
from sync_server.services.merge import merge_push
from sync_server.store.db import downgrade_to_base, make_engine, migrate_to_head
from sync_server.store.models import metadata

from .helpers import COUNTY, Station, count, enrolled


def test_migrations_up_down_up_and_head_matches_models(db_url):
    engine = make_engine(db_url)
    try:
        migrate_to_head(engine)
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), metadata)
        assert diff == []
        downgrade_to_base(engine)
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        migrate_to_head(engine)
        assert set(metadata.tables) <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_keeps_existing_rows(server):
    client, engine = server
    st = enrolled(client, engine, "530921108203")
    st.sync(client, st.events(3), cursor=None)
    migrate_to_head(engine)  # re-running the migration is a no-op that keeps every record
    assert count(engine, "events") == 3 and count(engine, "stations") == 1


def test_concurrent_pushes_never_make_a_puller_skip_a_position(server):
    client, engine = server
    pushers = [enrolled(client, engine, f"5309211082{n:02d}") for n in (3, 4, 5)]
    watcher = enrolled(client, engine, COUNTY)
    infos = [get_station(engine, p.station_id) for p in pushers]
    total = 3 * 8 * 20
    stop = threading.Event()
    seen: list[str] = []
    errors: list[BaseException] = []

    def push(st: Station, info) -> None:  # type: ignore[no-untyped-def]
        try:
            for _ in range(8):
                acks = merge_push(engine, pusher=info, items=[e.to_wire() for e in st.events(20)],
                                  bundles=[])
                assert {a.status for a in acks} == {"applied"}
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)

    def watch() -> None:
        cursor = 0
        while True:
            finished = stop.is_set()  # read BEFORE pulling: every push committed already
            res = pull_service.pull(engine, division=watcher.division, cursor=cursor, limit=37)
            seen.extend(e["event_id"] for e in res.events)
            cursor = res.cursor
            if finished and not res.more:
                break

    threads = [threading.Thread(target=push, args=(p, i))
               for p, i in zip(pushers, infos, strict=True)]
    w = threading.Thread(target=watch)
    w.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    stop.set()
    w.join(120)
    assert not errors
    assert len(seen) == len(set(seen)) == total == count(engine, "events")


def test_upgrade_from_0001_with_data_keeps_rows_and_defaults_kind(db_url):
    from alembic import command
    from sqlalchemy import text

    from sync_server.store.db import alembic_config

    engine = make_engine(db_url)
    try:
        command.upgrade(alembic_config(engine), "0001")
        with engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO enrollment_codes (code_hash, division, created_at, expires_at) "
                "VALUES ('h', '530921108203', '2026-11-28', '2026-12-05')"))
        migrate_to_head(engine)
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT code_hash, kind FROM enrollment_codes")).all()
        assert [tuple(r) for r in rows] == [("h", "station")]
    finally:
        engine.dispose()


def test_missing_postgresql_fails_loudly_in_ci(tmp_path):
    """With env CI set, a machine without PostgreSQL must fail the postgres tests, not skip.

    The child pytest runs one tiny test that needs only the PostgreSQL fixture
    (probe_pg_required.py), without the parent's xdist environment; on a loaded CI machine
    a child that imported the server and ran a migration once took over two minutes."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTEST_", "COV_CORE_"))}
    env.update(CI="1", SUQIU_PG_BIN=str(tmp_path / "no-postgres"))
    res = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
         "-x", "tests/server/probe_pg_required.py"],
        cwd=root, env=env, capture_output=True, text=True, timeout=600)
    assert res.returncode != 0, res.stdout[-1000:]
    assert "PostgreSQL is required in CI" in res.stdout, res.stdout[-2000:]
    assert "1 error" in res.stdout, res.stdout[-2000:]
