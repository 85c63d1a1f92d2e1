"""``suqiu-server migrate-db --to URL``: the embedded SQLite county database moved to a real
PostgreSQL (started by the tests), and then served from there as if nothing happened."""
from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from sync_server.app import create_app
from sync_server.cli import main as server_cli
from sync_server.services.migrate_db import MigrateError, move
from sync_server.settings import Settings
from sync_server.store.db import make_engine

from .helpers import TOWNSHIP, VILLAGE_A, VILLAGE_B, count, counts, enrolled

pytestmark = pytest.mark.postgres


def _app(db_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    # one keys folder for both: the server's identity moves with its database
    return create_app(Settings(db_url=db_url, blob_dir=tmp_path / "blobs",
                               keys_dir=tmp_path / "keys"))


def _pull_ids(st, client) -> list[str]:  # type: ignore[no-untyped-def]
    r = st.sync(client, [], cursor=0)
    assert r.status_code == 200, r.text
    return [e["event_id"] for e in r.json()["pull"]["events"]]


def test_move_sqlite_to_postgresql_and_serve_on(pg_server, tmp_path, capsys):
    sqlite_url = f"sqlite:///{tmp_path / 'server.db'}"
    app = _app(sqlite_url, tmp_path)
    with TestClient(app) as client:
        engine = app.state.ctx.engine
        a = enrolled(client, engine, VILLAGE_A)
        b = enrolled(client, engine, VILLAGE_B)
        town = enrolled(client, engine, TOWNSHIP)
        a_evs, b_evs = a.events(5), b.events(3)
        broken = b.events(1)[0].to_wire()
        broken["type"] = "case.exploded"            # a voided record moves too
        assert a.sync(client, a_evs).status_code == 200
        assert b.sync(client, b_evs + [broken], cursor=None).status_code == 200
        before_ids = _pull_ids(town, client)
        before = counts(engine)
    app.state.ctx.engine.dispose()
    assert before["events"] == 8 and before["voided_events"] == 1

    pg_url = pg_server.create_db()
    assert server_cli(["--db", sqlite_url, "migrate-db", "--to", pg_url]) == 0
    out = capsys.readouterr().out
    assert "Moved" in out and "events: 8 rows" in out

    app = _app(pg_url, tmp_path)
    with TestClient(app) as client:
        engine = app.state.ctx.engine
        assert counts(engine) == before
        assert _pull_ids(town, client) == before_ids      # the same events, the same order
        # stations keep their keys, counters and cursors: the next push just continues
        more = a.events(2)
        r = a.sync(client, more, cursor=None)
        assert [x["status"] for x in r.json()["acks"]] == ["applied", "applied"]
        with engine.connect() as conn:
            pos = dict(conn.execute(text(
                "SELECT event_id, server_pos FROM events")).all())
        assert min(pos[e.event_id] for e in more) > max(
            p for eid, p in pos.items() if eid not in {e.event_id for e in more})
        assert _pull_ids(town, client) == before_ids + [e.event_id for e in more]
    app.state.ctx.engine.dispose()


def test_refuses_a_target_that_is_not_empty_and_leaves_it_alone(pg_server, tmp_path, capsys):
    sqlite_url = f"sqlite:///{tmp_path / 'server.db'}"
    app = _app(sqlite_url, tmp_path)
    with TestClient(app) as client:
        st = enrolled(client, app.state.ctx.engine, VILLAGE_A)
        st.sync(client, st.events(2))
    app.state.ctx.engine.dispose()
    pg_url = pg_server.create_db()
    assert server_cli(["--db", sqlite_url, "migrate-db", "--to", pg_url]) == 0
    capsys.readouterr()
    target = make_engine(pg_url)
    try:
        held = counts(target)
        assert server_cli(["--db", sqlite_url, "migrate-db", "--to", pg_url]) == 1
        assert "not empty" in capsys.readouterr().err
        assert counts(target) == held                      # nothing doubled
    finally:
        target.dispose()


def test_refuses_the_same_database_an_unknown_table_and_a_bad_url(tmp_path, pg_server):
    sqlite_url = f"sqlite:///{tmp_path / 'server.db'}"
    with pytest.raises(MigrateError, match="uses now"):
        move(sqlite_url, str(tmp_path / "server.db"))
    engine = make_engine(sqlite_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE someones_notes (x TEXT)"))
    finally:
        engine.dispose()
    pg_url = pg_server.create_db()
    with pytest.raises(MigrateError, match="someones_notes"):
        move(sqlite_url, pg_url)
    target = make_engine(pg_url)
    try:
        assert count(target, "events") == 0
    finally:
        target.dispose()
    with pytest.raises(MigrateError, match="target"):
        move(f"sqlite:///{tmp_path / 'other.db'}", "nosuchdriver://x/y")
