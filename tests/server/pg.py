"""Start a throw-away PostgreSQL 15 for the server tests (no mocks: the real database).

Root cannot run postgres, so as root we create (once) a system user ``suqiu-pg`` and run
``initdb``/``pg_ctl`` as that user with ``setpriv``.  The cluster lives in a temp dir,
listens on a free TCP port on 127.0.0.1 only, trusts local connections, and is stopped
(and deleted) at the end of the session.
"""
from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

PG_BIN = Path(os.environ.get("SUQIU_PG_BIN", "/usr/lib/postgresql/15/bin"))
PG_USER = "suqiu-pg"


class PostgresUnavailable(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_user_prefix() -> list[str]:
    if os.geteuid() != 0:
        return []
    try:
        pw = pwd.getpwnam(PG_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", PG_USER],
            check=True, capture_output=True,
        )
        pw = pwd.getpwnam(PG_USER)
    return ["setpriv", f"--reuid={pw.pw_uid}", f"--regid={pw.pw_gid}", "--clear-groups", "--"]


class PgServer:
    """One running cluster; ``url(dbname)`` for SQLAlchemy, ``create_db()`` per test."""

    def __init__(self) -> None:
        if not (PG_BIN / "initdb").exists():
            raise PostgresUnavailable(f"no initdb in {PG_BIN}")
        self.tmp = Path(tempfile.mkdtemp(prefix="suqiu-pg-"))
        self.data = self.tmp / "data"
        self.port = free_port()
        self.prefix = _as_user_prefix()
        self._n = 0
        if self.prefix:
            pw = pwd.getpwnam(PG_USER)
            os.chown(self.tmp, pw.pw_uid, pw.pw_gid)
        self._run([str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
                   "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"])
        opts = (f"-c listen_addresses=127.0.0.1 -p {self.port}"
                f" -c unix_socket_directories={self.tmp}"
                " -c fsync=off -c full_page_writes=off -c max_connections=60")
        self._run([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.tmp / "log"),
                   "-o", opts, "-w", "-t", "60", "start"])

    def _run(self, cmd: list[str]) -> None:
        res = subprocess.run(self.prefix + cmd, capture_output=True, text=True, cwd=self.tmp)
        if res.returncode != 0:
            raise PostgresUnavailable(f"{cmd[0]} failed: {res.stderr[-2000:]}")

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{dbname}"

    def create_db(self) -> str:
        """A fresh empty *schema* (cheap) in one shared database, selected through the
        URL's search_path, so each test sees an empty database without copying a
        template database per test."""
        import psycopg

        self._n += 1
        name = f"t{os.getpid()}_{self._n}"
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{name}"')
        return self.url("postgres") + f"?options=-csearch_path%3D{name}"

    def stop(self) -> None:
        try:
            self._run([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w",
                       "stop"])
        finally:
            shutil.rmtree(self.tmp, ignore_errors=True)
