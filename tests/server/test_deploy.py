"""The county server set up as docs/DEPLOY.md says, on a real PostgreSQL (issue 12 item 5).

The documented scripts run as they are: packaging/server/setup-postgres.sh creates the role
and database, /etc/suqiu/server.env (here a temp file made from server.env.example) holds the
settings, suqiu-admin initialises, the server starts with the systemd unit's ExecStart,
stations enroll and sync through the real API, suqiu-backup.sh dumps and rotates,
suqiu-restore.sh restores into a fresh database, and the server starts on it with every row,
attachment and station key intact.  The unit file is checked with systemd-analyze.
"""
from __future__ import annotations

import getpass
import hashlib
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import MetaData, select

from petition_core.events import EventType
from petition_core.protocol import decode_response

from .helpers import TOWNSHIP, VILLAGE_A, Station
from .pg import free_port

ROOT = Path(__file__).resolve().parents[2]
SRV = ROOT / "packaging" / "server"
SERVER_BIN = Path(sys.executable).parent / "suqiu-server"
UNIT = SRV / "suqiu-server.service"


# ---- the unit file ------------------------------------------------------------------------

def unit_directives(path: Path) -> dict[str, list[str]]:
    """Directive → every value it is given (systemd allows repeats), comments dropped."""
    out: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";", "[")):
            continue
        key, _, value = line.partition("=")
        out.setdefault(key.strip(), []).append(value.strip())
    return out


def test_unit_fixes_the_faults_of_the_old_one():
    d = unit_directives(UNIT)
    exec_start = shlex.split(d["ExecStart"][0])
    # never on 0.0.0.0 over plain HTTP: loopback, nginx in front does TLS
    assert exec_start[exec_start.index("--host") + 1] == "127.0.0.1"
    # no database URL (password included) on the command line, where ps shows it
    assert not [a for a in exec_start if a.startswith("--db") or "$" in a or "://" in a]
    assert d["EnvironmentFile"] == ["/etc/suqiu/server.env"]
    assert d["UMask"][0] in ("0027", "0077")
    assert d["User"][0] == "suqiu" and d["Group"][0] == "suqiu"
    for key, value in {"ProtectSystem": "strict", "NoNewPrivileges": "yes",
                       "PrivateTmp": "yes", "ProtectHome": "yes", "CapabilityBoundingSet": "",
                       "RestrictSUIDSGID": "yes"}.items():
        assert d[key] == [value], key


def _systemd_analyze() -> str:
    tool = shutil.which("systemd-analyze")
    assert tool, "systemd-analyze not found (Debian's systemd package)"
    return tool


def _unit_copy(src: Path, dest_dir: Path) -> Path:
    """The unit with its programs pointed at ones that exist here (verify checks them)."""
    text = src.read_text(encoding="utf-8").replace("/opt/suqiu/.venv/bin/suqiu-server",
                                                   str(SERVER_BIN))
    text = text.replace("/usr/local/sbin/suqiu-backup", str(SRV / "suqiu-backup.sh"))
    dest = dest_dir / src.name
    dest.write_text(text, encoding="utf-8")
    return dest


@pytest.mark.parametrize("unit", ["suqiu-server.service", "suqiu-backup.service",
                                  "suqiu-backup.timer"])
def test_units_verify(unit, tmp_path):
    copies = [_unit_copy(SRV / u, tmp_path) for u in
              ("suqiu-server.service", "suqiu-backup.service", "suqiu-backup.timer")]
    target = next(c for c in copies if c.name == unit)
    r = subprocess.run([_systemd_analyze(), "verify", str(target)], capture_output=True,
                       text=True, cwd=tmp_path)
    assert r.returncode == 0 and "unknown" not in r.stderr.lower(), r.stderr


@pytest.mark.parametrize("unit", ["suqiu-server.service", "suqiu-backup.service"])
def test_units_sandbox_exposure_is_low(unit, tmp_path):
    """systemd-analyze's exposure score (0 safe … 10 exposed) at most 2.0 (the old unit: 8.7)."""
    copy = _unit_copy(SRV / unit, tmp_path)
    r = subprocess.run([_systemd_analyze(), "security", "--offline=yes", "--threshold=20",
                        str(copy)], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout[-1500:]


def test_old_unit_fails_the_exposure_check(tmp_path):
    """The check can fail: the unit as it was (ProtectSystem only, no UMask, ...)."""
    old = tmp_path / "old.service"
    old.write_text("[Service]\nUser=suqiu\nExecStart=/bin/true\nNoNewPrivileges=true\n"
                   "ProtectSystem=strict\nPrivateTmp=true\n", encoding="utf-8")
    r = subprocess.run([_systemd_analyze(), "security", "--offline=yes", "--threshold=20",
                        str(old)], capture_output=True, text=True)
    assert r.returncode != 0


def test_docs_name_only_files_that_exist():
    text = (ROOT / "docs" / "DEPLOY.md").read_text(encoding="utf-8")
    named = set(re.findall(r"packaging/server/[\w.-]+", text))
    assert {f"packaging/server/{n}" for n in (
        "suqiu-server.service", "setup-postgres.sh", "suqiu-backup.sh", "suqiu-backup.service",
        "suqiu-backup.timer", "suqiu-restore.sh", "nginx-suqiu.conf", "journald-suqiu.conf",
        "server.env.example", "suqiu-admin")} <= named
    assert [n for n in named if not (ROOT / n).exists()] == []


def test_nginx_limits_slow_clients_and_hides_the_api_docs():
    conf = (SRV / "nginx-suqiu.conf").read_text(encoding="utf-8")
    for directive in ("client_body_timeout", "client_header_timeout", "send_timeout",
                      "limit_conn ", "limit_req ", "proxy_request_buffering on",
                      "client_max_body_size", "ssl_protocols TLSv1.2 TLSv1.3"):
        assert directive in conf, directive
    assert "proxy_pass http://suqiu_server" in conf and "server 127.0.0.1:8470" in conf
    assert "--port 8470" in UNIT.read_text(encoding="utf-8")


# ---- the documented setup on a real PostgreSQL ----------------------------------------------

def read_env_file(path: Path) -> dict[str, str]:
    """A systemd EnvironmentFile's KEY=VALUE lines (what systemd gives the service)."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith(("#", ";")) and "=" in line:
            key, _, value = line.partition("=")
            out[key.strip()] = value.strip().strip('"')
    return out


@dataclass
class Deploy:
    root: Path
    port: int          # PostgreSQL's
    env_file: Path

    def base_env(self, **extra: str) -> dict[str, str]:
        return {"PATH": "/usr/bin:/bin:/usr/sbin:/sbin", "HOME": str(self.root),
                "LANG": "C.UTF-8", **extra}

    def admin_env(self, db: str, role: str) -> dict[str, str]:
        return self.base_env(PGHOST="127.0.0.1", PGPORT=str(self.port), PGUSER="postgres",
                             SUQIU_DB_NAME=db, SUQIU_DB_USER=role)

    def script(self, name: str, *args: str, env: dict[str, str],
               check: bool = True) -> subprocess.CompletedProcess[str]:
        r = subprocess.run([str(SRV / name), *args], env=env, capture_output=True, text=True,
                           timeout=300, cwd=self.root)
        if check:
            assert r.returncode == 0, f"{name} {args}: {r.stdout}\n{r.stderr}"
        return r

    def admin(self, *args: str, env_file: Path | None = None) -> str:
        env = self.base_env(SUQIU_ENV_FILE=str(env_file or self.env_file),
                            SUQIU_SERVER_BIN=str(SERVER_BIN), SUQIU_USER=getpass.getuser())
        return self.script("suqiu-admin", *args, env=env).stdout

    def url(self, role: str, db: str) -> str:
        return f"postgresql+psycopg://{role}@127.0.0.1:{self.port}/{db}"

    def write_env_file(self, path: Path, db_url: str, blobs: Path) -> Path:
        """server.env.example as an administrator fills it in (DEPLOY.md, step 3)."""
        values = {"SUQIU_SERVER_DB": db_url, "SUQIU_SERVER_BLOBS": str(blobs),
                  "SUQIU_SERVER_KEYS": str(self.root / "keys"),
                  "SUQIU_BACKUP_DIR": str(self.root / "backups"), "SUQIU_BACKUP_KEEP": "2"}
        lines = []
        for line in (SRV / "server.env.example").read_text(encoding="utf-8").splitlines():
            key = line.lstrip("#").partition("=")[0]
            if key in values and "=" in line:
                if not line.startswith("#") or key == "SUQIU_SERVER_KEYS":
                    lines.append(f"{key}={values.pop(key)}")
                continue
            lines.append(line)
        assert values == {}, f"server.env.example lacks {values}"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path


@contextmanager
def serving(deploy: Deploy, env_file: Path) -> Iterator[httpx.Client]:
    """The unit's ExecStart (its program here, another port) with the unit's environment."""
    args = shlex.split(unit_directives(UNIT)["ExecStart"][0])
    args[0] = str(SERVER_BIN)
    port = free_port()
    args[args.index("--port") + 1] = str(port)
    proc = subprocess.Popen(args, env=deploy.base_env(**read_env_file(env_file)),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=deploy.root)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise AssertionError("server exited: " + proc.stderr.read().decode()[-2000:])
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.2)
        with httpx.Client(base_url=base, timeout=30) as client:
            yield client
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


@pytest.fixture
def deploy(pg_server) -> Iterator[Deploy]:  # type: ignore[no-untyped-def]
    import tempfile

    root = Path(tempfile.mkdtemp(prefix="suqiu-deploy-"))
    d = Deploy(root=root, port=pg_server.port, env_file=root / "server.env")
    (root / "keys").mkdir()
    (root / "keys" / "server.key").write_bytes(os.urandom(32))    # stands for the keys folder
    yield d
    shutil.rmtree(root, ignore_errors=True)


def _put_blob(client: httpx.Client, st: Station, data: bytes) -> str:
    sha = hashlib.sha256(data).hexdigest()
    path = f"/v1/blobs/{sha}"
    headers = st.headers("PUT", path, data)
    headers["Content-Range"] = f"bytes 0-{len(data) - 1}/{len(data)}"
    headers.pop("Content-Encoding")
    r = client.put(path, content=data, headers=headers)
    assert r.status_code == 200 and r.json()["complete"], r.text
    return sha


def _all_rows(url: str) -> dict[str, list[tuple]]:
    """Every row of every table (alembic_version included), sorted: a database's content."""
    from sync_server.store.db import make_engine

    engine = make_engine(url)
    try:
        meta = MetaData()
        meta.reflect(engine)
        with engine.connect() as conn:
            return {name: sorted(tuple(map(repr, r)) for r in conn.execute(select(table)))
                    for name, table in meta.tables.items()}
    finally:
        engine.dispose()


def _dumps(d: Deploy) -> list[Path]:
    return sorted((d.root / "backups" / "db").glob("suqiu-*.dump"))


@pytest.mark.postgres
def test_documented_setup_backup_and_restore_on_postgresql(deploy: Deploy):
    d = deploy
    n = uuid.uuid4().hex[:8]
    role, db, db2 = f"suqiu_{n}", f"suqiu_{n}", f"suqiu_{n}_restored"

    # 1. role and database (twice: the script is safe to run again)
    d.script("setup-postgres.sh", env=d.admin_env(db, role))
    d.script("setup-postgres.sh", env=d.admin_env(db, role))
    # 2. the settings file, then init as the operator does
    blobs = d.root / "blobs"
    d.write_env_file(d.env_file, d.url(role, db), blobs)
    assert "Database ready" in d.admin("init")
    code_v = re.search(r"enrollment code: (\S+)",
                       d.admin("enroll", "--division", VILLAGE_A)).group(1)
    code_t = re.search(r"enrollment code: (\S+)",
                       d.admin("enroll", "--division", TOWNSHIP)).group(1)

    # 3. real stations put data in through the real API of the unit's server
    village, town = Station(VILLAGE_A), Station(TOWNSHIP)
    photo = os.urandom(150_000)
    with serving(d, d.env_file) as client:
        assert village.enroll(client, code_v).status_code == 200
        assert town.enroll(client, code_t).status_code == 200
        assert client.get("/openapi.json").status_code == 404      # docs off in production
        first = village.events(30)
        sha = _put_blob(client, village, photo)
        first.append(village.event(type=EventType.REGISTERED, data={
            "summary": "有照片", "attachments": [{"sha256": sha, "name": "a.jpg",
                                                  "size": len(photo)}]}))
        acks = decode_response(village.sync(client, first, cursor=None).content)["acks"]
        assert [a["status"] for a in acks] == ["applied"] * 31

        # 4. nightly backups: three runs, two kept
        backup_env = d.base_env(SUQIU_ENV_FILE=str(d.env_file))
        out = d.script("suqiu-backup.sh", env=backup_env).stdout
        assert "1 new attachment file(s)" in out
        later = village.events(20)
        acks = decode_response(village.sync(client, later, cursor=None).content)["acks"]
        assert [a["status"] for a in acks] == ["applied"] * 20
        d.script("suqiu-backup.sh", env=backup_env)
        d.script("suqiu-backup.sh", env=backup_env)
        original = _all_rows(d.url(role, db))
    dumps = _dumps(d)
    assert len(dumps) == 2
    assert len(list((d.root / "backups" / "keys").glob("*.tar"))) == 2
    assert not list((d.root / "backups").rglob("*.partial"))
    assert oct((d.root / "backups" / "db").stat().st_mode & 0o777) == "0o700"
    assert oct(dumps[-1].stat().st_mode & 0o777) == "0o600"     # citizens' data: owner only

    # a run that fails (database unreachable) leaves no half generation and keeps both
    bad_env = dict(backup_env, SUQIU_SERVER_DB=d.url(role, "no_such_db"))
    r = d.script("suqiu-backup.sh", env=bad_env, check=False)
    assert r.returncode != 0 and "pg_dump failed" in r.stderr
    assert _dumps(d) == dumps and not list((d.root / "backups").rglob("*.partial"))

    # 5. restore the newest dump into a fresh database (the disk died, say, keys folder and
    # all: the restore puts that night's keys back, without which init refuses the database)
    server_id = (d.root / "keys" / "server_id").read_text()
    shutil.rmtree(d.root / "keys")
    d.script("setup-postgres.sh", env=d.admin_env(db2, role))
    blobs2 = d.root / "blobs-restored"
    restore_env = d.base_env(SUQIU_ENV_FILE=str(d.env_file), SUQIU_SERVER_BIN=str(SERVER_BIN),
                             SUQIU_RESTORE_BLOBS=str(blobs2))
    out = d.script("suqiu-restore.sh", str(dumps[-1]), d.url(role, db2), env=restore_env).stdout
    assert "suqiu-keys-" in out                                  # names the keys archive
    assert "no server key" in out and (d.root / "keys" / "server_id").read_text() == server_id
    assert _all_rows(d.url(role, db2)) == original              # every row of every table
    assert (blobs2 / sha[:2] / sha).read_bytes() == photo

    # 6. the server starts on the restored database and knows everyone and everything
    env2 = d.write_env_file(d.root / "server-restored.env", d.url(role, db2), blobs2)
    with serving(d, env2) as client:
        acks = decode_response(village.sync(client, first + later, cursor=None).content)["acks"]
        assert [a["status"] for a in acks] == ["duplicate"] * 51
        pulled = decode_response(town.sync(client, cursor=0, limit=500).content)["pull"]
        assert len(pulled["events"]) == 51
        path = f"/v1/blobs/{sha}"
        r = client.get(path, headers=town.headers("GET", path, b""))
        assert r.status_code == 200 and r.content == photo
    assert "鹿鸣村" in d.admin("stations", env_file=env2)


@pytest.mark.postgres
def test_restore_refuses_what_would_lose_data(deploy: Deploy):
    d = deploy
    n = uuid.uuid4().hex[:8]
    role, db, db2 = f"suqiu_{n}", f"suqiu_{n}", f"suqiu_{n}_b"
    d.script("setup-postgres.sh", env=d.admin_env(db, role))
    d.script("setup-postgres.sh", env=d.admin_env(db2, role))
    d.write_env_file(d.env_file, d.url(role, db), d.root / "blobs")
    d.admin("init")
    d.admin("enroll", "--division", VILLAGE_A)
    env = d.base_env(SUQIU_ENV_FILE=str(d.env_file), SUQIU_SERVER_BIN=str(SERVER_BIN),
                     SUQIU_RESTORE_BLOBS=str(d.root / "blobs2"))
    d.script("suqiu-backup.sh", env=env)
    dump = _dumps(d)[-1]
    before = _all_rows(d.url(role, db))

    # into a database that has tables (the live one): refused, untouched
    r = d.script("suqiu-restore.sh", str(dump), d.url(role, db), env=env, check=False)
    assert r.returncode != 0 and "new, empty database" in r.stderr
    assert _all_rows(d.url(role, db)) == before

    # a cut dump: refused before anything is written
    cut = d.root / "cut.dump"
    cut.write_bytes(dump.read_bytes()[: dump.stat().st_size // 2])
    r = d.script("suqiu-restore.sh", str(cut), d.url(role, db2), env=env, check=False)
    assert r.returncode != 0
    assert _all_rows(d.url(role, db2)) == {}

    # the backup script backs up PostgreSQL only, and says so
    r = d.script("suqiu-backup.sh", env=dict(env, SUQIU_SERVER_DB="sqlite:////tmp/x.db"),
                 check=False)
    assert r.returncode != 0 and "PostgreSQL" in r.stderr
    r = d.script("suqiu-backup.sh", env=dict(env, SUQIU_BACKUP_KEEP="0"), check=False)
    assert r.returncode != 0 and "SUQIU_BACKUP_KEEP" in r.stderr
