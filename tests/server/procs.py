"""A real ``suqiu-server serve`` process on 127.0.0.1 for the e2e tests."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from .pg import free_port

ROOT = Path(__file__).resolve().parents[2]


class ServerProcess:
    def __init__(self, db_url: str, blobs: Path, env: dict[str, str] | None = None,
                 extra_args: tuple[str, ...] = ()):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "sync_server.cli", "serve", "--db", db_url, "--blobs",
             # its own keys folder: never the one of an in-process app sharing tmp_path
             str(blobs), "--keys", str(Path(blobs).with_name(Path(blobs).name + "-keys")),
             "--host", "127.0.0.1",
             "--port", str(self.port), *extra_args],
            cwd=ROOT, env={**os.environ, **(env or {})},
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            start_new_session=True,     # its own group: kill() takes --workers' children too
        )
        self.log: list[str] = []
        threading.Thread(target=self._drain, daemon=True).start()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                time.sleep(0.2)
                raise RuntimeError("".join(self.log)[-2000:])
            try:
                if httpx.get(self.base + "/healthz", timeout=0.5).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        self.kill()
        raise RuntimeError("server did not start")

    def _drain(self) -> None:
        for line in iter(self.proc.stderr.readline, b""):
            self.log.append(line.decode("utf-8", "replace"))

    def wait_for_log(self, text: str, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(text in line for line in self.log):
                return
            time.sleep(0.05)
        raise AssertionError(f"server never logged {text!r}")

    def kill(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
