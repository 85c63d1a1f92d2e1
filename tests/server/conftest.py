"""Server fixtures: every store/merge/API test runs on SQLite AND a real PostgreSQL that the
tests start themselves (tests/server/pg.py).  Without PostgreSQL the postgres cases skip,
except when env CI is set: then they fail loudly."""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.server.pg import PgServer, PostgresUnavailable


def pytest_configure(config: pytest.Config) -> None:
    # starlette's TestClient nags about httpx2; the pinned httpx is what we test with.
    config.addinivalue_line("filterwarnings", "ignore:Using `httpx` with")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    try:
        server = PgServer()
    except PostgresUnavailable as exc:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI: {exc}")
        pytest.skip(f"PostgreSQL not available: {exc}")
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'server.db'}"
    return request.getfixturevalue("pg_server").create_db()


@pytest.fixture
def server(db_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    """(TestClient, engine) of a fresh app migrated to head."""
    from fastapi.testclient import TestClient

    from sync_server.app import create_app
    from sync_server.settings import Settings

    settings = Settings(db_url=db_url, blob_dir=tmp_path / "blobs")
    app = create_app(settings)
    engine = app.state.ctx.engine
    with TestClient(app) as client:
        yield client, engine
    engine.dispose()
