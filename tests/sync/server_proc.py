"""A real county server process on 127.0.0.1 for the sync tests (SQLite in a temp dir).

Started as ``suqiu-server serve`` when the server's CLI is installed, else as the same app
through uvicorn in a child Python (``create_app(Settings)`` — the CLI's own path).  It can
be SIGKILLed and restarted on the same database and port.  Enrollment codes come from the
server's own service function on the same database file, as ``suqiu-server enroll`` does.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]

_RUNNER = (
    "import sys, uvicorn\n"
    "from sync_server.app import create_app\n"
    "from sync_server.settings import Settings\n"
    "s = Settings.from_env(db=sys.argv[1], blob_dir=sys.argv[2], host=sys.argv[4], "
    "port=int(sys.argv[3]))\n"
    "uvicorn.run(create_app(s), host=s.host, port=s.port, log_level='warning', "
    "access_log=False)\n"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _has_cli() -> bool:
    return (ROOT / "sync_server" / "cli.py").exists()


class ServerProcess:
    def __init__(self, root: Path, port: int | None = None,
                 env: dict[str, str] | None = None, host: str = "127.0.0.1"):
        self.env = dict(env or {})   # extra environment (e.g. SUQIU_SERVER_MAX_BODY)
        self.host = host             # another address: the benchmarks' emulated link
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.db = self.root / "server.db"
        self.blobs = self.root / "blobs"
        self.port = port or free_port()
        self.proc: subprocess.Popen | None = None
        self.log = self.root / "server.log"

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @staticmethod
    def _base() -> list[str]:
        exe = shutil.which("suqiu-server", path=str(Path(sys.executable).parent))
        return [exe] if exe else [sys.executable, "-c", "import sys; from sync_server.cli "
                                  "import main; sys.exit(main())"]

    def _cmd(self) -> list[str]:
        if _has_cli() and os.environ.get("SUQIU_TEST_SERVER_RUNNER") != "uvicorn":
            return self._base() + ["serve", "--db", str(self.db), "--blobs", str(self.blobs),
                           "--host", self.host, "--port", str(self.port)]
        return [sys.executable, "-c", _RUNNER, str(self.db), str(self.blobs), str(self.port),
                self.host]

    def start(self, timeout: float = 30.0) -> ServerProcess:
        env = dict(os.environ, PYTHONPATH=str(ROOT), **self.env)
        with self.log.open("ab") as fh:
            self.proc = subprocess.Popen(self._cmd(), cwd=ROOT, env=env, stdout=fh,
                                         stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("server exited: "
                                   + self.log.read_text("utf-8", "replace")[-2000:])
            try:
                if requests.get(self.url + "/healthz", timeout=1).ok:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise RuntimeError("server did not start")

    def kill(self) -> None:
        """SIGKILL: no shutdown hook runs, like a power cut."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)

    def enroll_code(self, division: str) -> str:
        from sync_server.services.enrollment import create_code
        from sync_server.store.db import make_engine, normalize_url

        engine = make_engine(normalize_url(str(self.db)))
        try:
            return create_code(engine, division=division)
        finally:
            engine.dispose()

    def revoke(self, station_id: str) -> None:
        """``suqiu-server revoke STATION`` (the county's own command)."""
        subprocess.run(self._base() + ["--db", str(self.db), "revoke", station_id], cwd=ROOT,
                       env=dict(os.environ, PYTHONPATH=str(ROOT)), check=True,
                       capture_output=True)

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        """Run ``suqiu-server --db … --blobs … ARGS`` on this server's data (text output)."""
        return subprocess.run(self._base() + ["--db", str(self.db), "--blobs", str(self.blobs),
                                              *args], cwd=ROOT, text=True, capture_output=True,
                              env=dict(os.environ, PYTHONPATH=str(ROOT)), check=False)

    def event_ids(self) -> list[str]:
        """Every stored event id (with repeats, if the server ever stored one twice)."""
        from sqlalchemy import text

        from sync_server.store.db import make_engine, normalize_url

        engine = make_engine(normalize_url(str(self.db)))
        try:
            with engine.connect() as c:
                return [r[0] for r in c.execute(text("SELECT event_id FROM events"))]
        finally:
            engine.dispose()
