"""The wheel, installed as a user installs it: no checkout on sys.path, another cwd, and only
the extra that machine needs (issue 8 item 3).

Before, ``pip install .`` shipped no resources (they sat in a top-level resources/ outside
every package), so ``suqiu-station demo``, first-run setup and ``suqiu-server enroll
--division`` died with FileNotFoundError; and every install pulled PySide6, FastAPI, uvicorn
and psycopg together.

Two clean venvs, built by tests/wheel_env.py (the wheel itself, its declared dependencies
linked from this environment; ``pip check`` passes in each):
* a village PC: ``suqiu[station]`` → demo, selftest (offscreen); no FastAPI/uvicorn/psycopg;
  ``suqiu-server`` refuses plainly;
* a county server: ``suqiu[server]`` → enroll, a real ``serve`` answering /healthz; no
  PySide6; ``suqiu-station`` refuses plainly.
"""
from __future__ import annotations

import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import httpx
import pytest
from wheel_env import ROOT, build_wheel, checked, clean_env, make_venv, run

VILLAGE = "530921108203"          # 洛党镇 鹿鸣村
SERVER_ONLY = ("fastapi", "uvicorn", "psycopg", "psycopg_binary", "starlette", "pydantic")
STATION_ONLY = ("PySide6", "shiboken6")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    qm = ROOT / "petition_core" / "resources" / "translations" / "suqiu_en.qm"
    ts = qm.with_suffix(".ts")
    if not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime:   # as scripts/setup.sh does
        checked([sys.executable, ROOT / "scripts" / "build_translations.py"])
    return build_wheel(tmp_path_factory.mktemp("wheel"))


@pytest.fixture(scope="module")
def station_venv(wheel, tmp_path_factory) -> Path:
    return make_venv(tmp_path_factory.mktemp("village-pc") / "venv", wheel, {"station"})


@pytest.fixture(scope="module")
def server_venv(wheel, tmp_path_factory) -> Path:
    return make_venv(tmp_path_factory.mktemp("county") / "venv", wheel, {"server"})


def _importable(venv: Path, names, cwd: Path) -> list[str]:
    code = ("import importlib.util, sys; "
            "print(' '.join(n for n in sys.argv[1:] if importlib.util.find_spec(n)))")
    r = checked([venv / "bin" / "python", "-c", code, *names], cwd=cwd, env=clean_env(cwd))
    return r.stdout.split()


def test_wheel_carries_the_resources(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for data in ("petition_core/resources/divisions/fengqing_county.csv",
                 "petition_core/resources/divisions/china_to_county.csv",
                 "petition_core/resources/holidays/cn.json",
                 "petition_core/resources/units/530921000000.json",
                 "petition_core/resources/styles/station.qss",
                 "petition_core/resources/translations/suqiu_en.qm",
                 "petition_core/resources/guide/GUIDE.md",
                 "petition_core/resources/guide/quick-card.html",
                 "petition_core/resources/guide/quick-card.pdf",
                 "petition_core/resources/guide/screenshots/12-intake-saved.png",
                 "station_app/store/migrations/script.py.mako",
                 "sync_server/store/migrations/script.py.mako"):
        assert data in names, data
    assert not any(n.startswith(("tests/", "resources/")) for n in names)


def test_installed_code_and_data_come_from_the_venv(station_venv, tmp_path):
    code = ("import sys, petition_core, station_app; "
            "from petition_core.resources import resource_path; "
            "print(petition_core.__file__); print(station_app.__file__); "
            "print(resource_path('divisions')); print(sys.path)")
    out = checked([station_venv / "bin" / "python", "-c", code], cwd=tmp_path,
                  env=clean_env(tmp_path)).stdout.splitlines()
    for line in out[:3]:
        assert line.startswith(str(station_venv)), line
    assert str(ROOT) not in out[3]


def test_village_pc_runs_demo_and_selftest(station_venv, tmp_path):
    env = clean_env(tmp_path)
    exe = station_venv / "bin" / "suqiu-station"
    data = tmp_path / "station"
    demo = run([exe, "--data-dir", data, "demo", "--cases", "20"], cwd=tmp_path, env=env)
    assert demo.returncode == 0, demo.stderr[-3000:]
    assert "演示数据已生成：20 件案件" in demo.stdout
    selftest = run([exe, "--data-dir", data, "selftest"], cwd=tmp_path, env=env)
    assert selftest.returncode == 0, selftest.stderr[-3000:]
    assert "selftest: OK" in selftest.stdout
    # a second demo into the same folder is refused in plain words
    again = run([exe, "--data-dir", data, "demo"], cwd=tmp_path, env=env)
    assert again.returncode == 1 and "已经有数据" in again.stderr


def test_village_pc_has_no_server_libraries(station_venv, tmp_path):
    assert _importable(station_venv, SERVER_ONLY + STATION_ONLY, tmp_path) == list(STATION_ONLY)


def test_server_command_on_a_village_pc_says_what_to_install(station_venv, tmp_path):
    r = run([station_venv / "bin" / "suqiu-server", "init", "--db", tmp_path / "x.db"],
            cwd=tmp_path, env=clean_env(tmp_path))
    assert r.returncode == 1
    assert 'pip install "suqiu[server]"' in r.stderr
    assert "fastapi" in r.stderr and "Traceback" not in r.stderr + r.stdout
    assert not (tmp_path / "x.db").exists()


def test_county_server_enrolls_and_serves(server_venv, tmp_path):
    env = clean_env(tmp_path)
    exe = server_venv / "bin" / "suqiu-server"
    db = tmp_path / "county.db"
    r = run([exe, "enroll", "--db", db, "--division", VILLAGE], cwd=tmp_path, env=env)
    assert r.returncode == 0, r.stderr[-3000:]
    assert "Station enrollment code: " in r.stdout and "鹿鸣村" in r.stdout
    bad = run([exe, "enroll", "--db", db, "--division", "530921999999"], cwd=tmp_path, env=env)
    assert bad.returncode == 1 and "does not exist" in bad.stderr and "Traceback" not in bad.stderr

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([exe, "serve", "--db", db, "--blobs", tmp_path / "blobs",
                             "--host", "127.0.0.1", "--port", str(port)], cwd=tmp_path, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        status = None
        for _ in range(300):
            assert proc.poll() is None, proc.stderr.read()[-3000:]
            try:
                status = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        assert status == 200
    finally:
        proc.terminate()
        proc.wait(20)


def test_county_server_has_no_qt(server_venv, tmp_path):
    assert _importable(server_venv, SERVER_ONLY + STATION_ONLY, tmp_path) == list(SERVER_ONLY)


def test_station_command_on_a_server_says_what_to_install(server_venv, tmp_path):
    r = run([server_venv / "bin" / "suqiu-station", "--data-dir", tmp_path / "d", "selftest"],
            cwd=tmp_path, env=clean_env(tmp_path))
    assert r.returncode == 1
    assert 'pip install "suqiu[station]"' in r.stderr
    assert "PySide6" in r.stderr and "Traceback" not in r.stderr + r.stdout
    assert not (tmp_path / "d").exists()
