"""``suqiu-server`` commands as the county operator uses them."""
from __future__ import annotations

import re

from fastapi.testclient import TestClient

from sync_server.app import create_app
from sync_server.cli import main
from sync_server.settings import Settings

from .helpers import VILLAGE_A, Station, enrolled


def test_init_enroll_stations_revoke(tmp_path, capsys):
    db = str(tmp_path / "county.db")
    assert main(["init", "--db", db]) == 0
    assert main(["enroll", "--division", "999999999999", "--db", db]) == 1
    assert "不存在" in capsys.readouterr().err
    assert main(["enroll", "--division", VILLAGE_A, "--db", db]) == 0
    out = capsys.readouterr().out
    code = re.search(r"注册码：([A-Z2-9]{4}-[A-Z2-9]{4})", out).group(1)
    assert "洛党镇" in out and "7 天" in out
    assert main(["stations", "--db", db]) == 0
    assert "待注册" in capsys.readouterr().out

    app = create_app(Settings.from_env(db=db, blob_dir=str(tmp_path / "blobs"), env={}))
    st = Station(VILLAGE_A, name="鹿鸣村诉求站")
    with TestClient(app) as client:
        assert st.enroll(client, code).status_code == 200
        assert st.sync(client, st.events(2), cursor=None).status_code == 200
        assert main(["stations", "--db", db]) == 0
        line = next(x for x in capsys.readouterr().out.splitlines() if st.station_id in x)
        assert "正常" in line and "\t2\t0\t" in line and "鹿鸣" in line
        bad = st.event().to_wire()
        bad["type"] = "case.from_the_future"
        assert st.sync(client, [bad], cursor=None).status_code == 200
        assert main(["stations", "--db", db]) == 0
        out = capsys.readouterr().out
        line = next(x for x in out.splitlines() if st.station_id in x)
        assert "\t3\t1\t" in line and "suqiu-server rejected" in out
        assert main(["rejected", "--db", db]) == 0
        assert bad["event_id"] in capsys.readouterr().out
        assert main(["revoke", st.station_id, "--db", db]) == 0
        assert st.sync(client).json()["error"] == "auth_revoked"
    app.state.ctx.engine.dispose()
    capsys.readouterr()
    assert main(["stations", "--db", db]) == 0
    assert "已停用" in capsys.readouterr().out
    assert main(["revoke", "no-such-station", "--db", db]) == 1


def test_settings_env_and_flags(tmp_path):
    s = Settings.from_env(env={"SUQIU_SERVER_DB": str(tmp_path / "a.db"),
                               "SUQIU_SERVER_PORT": "9001"})
    assert s.db_url == f"sqlite:///{tmp_path / 'a.db'}" and s.port == 9001
    assert s.blob_dir == tmp_path / "blobs"
    s = Settings.from_env(db="postgresql://u@h/db", blob_dir=str(tmp_path / "b"), port=1,
                          env={"SUQIU_SERVER_DB": "ignored"})
    assert s.db_url == "postgresql+psycopg://u@h/db" and s.port == 1


def test_rejected_lists_the_gates_refusals_with_their_field(tmp_path, capsys):
    """Issue 7: the county sees why a record was refused at merge, field included, and a
    hostile field name cannot put terminal escapes on its screen."""
    db = str(tmp_path / "county.db")
    assert main(["init", "--db", db]) == 0
    app = create_app(Settings.from_env(db=db, blob_dir=str(tmp_path / "blobs"), env={}))
    with TestClient(app) as client:
        st = enrolled(client, app.state.ctx.engine, VILLAGE_A)
        bad_id = st.event(data={"petitioner": {"name": "张三",
                                               "id_number": "53092119800101001X"}})
        escape = st.event(data={"\x1b[2J": 1})
        assert st.sync(client, [bad_id, escape], cursor=None).status_code == 200
        capsys.readouterr()
        assert main(["rejected", "--db", db]) == 0
        out = capsys.readouterr().out
    app.state.ctx.engine.dispose()
    line = next(x for x in out.splitlines() if bad_id.event_id in x)
    assert "id_checksum" in line and "petitioner.id_number" in line and "登记内容" in line
    line = next(x for x in out.splitlines() if escape.event_id in x)
    assert "payload_invalid" in line and "\x1b" not in out
