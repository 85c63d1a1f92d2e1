"""Run only by tests/server/test_store.py::test_missing_postgresql_fails_loudly_in_ci, in a
child pytest (the name does not match test_*.py, so the suite never collects it): the
smallest test that needs the session's PostgreSQL and nothing else."""


def test_needs_postgres(pg_server):  # type: ignore[no-untyped-def]
    assert pg_server.create_db().startswith("postgresql")
