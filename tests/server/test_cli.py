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
    assert "does not exist" in capsys.readouterr().err
    assert main(["enroll", "--division", VILLAGE_A, "--db", db]) == 0
    out = capsys.readouterr().out
    code = re.search(r"Station enrollment code: ([A-Z2-9]{4}-[A-Z2-9]{4})", out).group(1)
    assert "洛党镇" in out and "7 days" in out
    assert main(["stations", "--db", db]) == 0
    assert "pending" in capsys.readouterr().out

    app = create_app(Settings.from_env(db=db, blob_dir=str(tmp_path / "blobs"), env={}))
    st = Station(VILLAGE_A, name="鹿鸣村诉求站")
    with TestClient(app) as client:
        assert st.enroll(client, code).status_code == 200
        assert st.sync(client, st.events(2), cursor=None).status_code == 200
        assert main(["stations", "--db", db]) == 0
        line = next(x for x in capsys.readouterr().out.splitlines() if st.station_id in x)
        assert "active" in line and "\t2\t0\t" in line and "鹿鸣" in line
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
    assert "revoked" in capsys.readouterr().out
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
    assert "id_checksum" in line and "petitioner.id_number" in line
    assert "intake form's check" in line
    line = next(x for x in out.splitlines() if escape.event_id in x)
    assert "payload_invalid" in line and "\x1b" not in out
def test_the_server_key_lives_in_its_own_folder_and_must_match_the_database(tmp_path, capsys):
    """Issue 7 decision 1: the county key (it signs the register and the receipts) is a
    0600 file outside the database; a database whose keys folder went missing (or was
    swapped) refuses to start instead of silently making a new identity that every
    enrolled station would refuse."""
    import os
    import shutil
    import stat

    from sqlalchemy import select

    from sync_server.services.identity import SERVER_KEY_FILE
    from sync_server.store.db import make_engine
    from sync_server.store.models import server_state

    db, keys = tmp_path / "county.db", tmp_path / "keys"
    assert main(["init", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert stat.S_IMODE(os.stat(keys / SERVER_KEY_FILE).st_mode) == 0o600
    server_id = (keys / "server_id").read_text().strip()
    assert server_id in out
    engine = make_engine(str(db))
    with engine.connect() as conn:
        state = {r.key: r.value for r in conn.execute(select(server_state))}
    engine.dispose()
    assert state["server.id"] == server_id
    assert not any("PRIVATE KEY" in v for v in state.values())
    assert (keys / SERVER_KEY_FILE).read_bytes() not in db.read_bytes()
    assert main(["init", "--db", str(db)]) == 0            # again: same identity
    assert server_id in capsys.readouterr().out

    shutil.move(keys, tmp_path / "elsewhere")
    for cmd in (["init"], ["serve", "--port", "9"]):
        assert main([*cmd, "--db", str(db)]) == 1
        assert "server key" in capsys.readouterr().err
    assert not keys.exists() or not (keys / SERVER_KEY_FILE).exists()
    other = tmp_path / "other-keys"                         # another server's keys
    assert main(["init", "--db", str(tmp_path / "other.db"), "--keys", str(other)]) == 0
    assert main(["init", "--db", str(db), "--keys", str(other)]) == 1
    assert "server key" in capsys.readouterr().err
    assert main(["init", "--db", str(db), "--keys", str(tmp_path / "elsewhere")]) == 0


def test_enroll_for_one_station(tmp_path, capsys):
    db = str(tmp_path / "county.db")
    assert main(["init", "--db", db]) == 0
    assert main(["enroll", "--db", db]) == 2
    assert main(["enroll", "--station", "no-such-station", "--db", db]) == 1
    assert "No such station" in capsys.readouterr().err


def test_listings_escape_what_stations_sent(tmp_path, capsys):
    """Issue 7 B9: ``stations`` printed client-supplied ids raw, so a name or id with
    terminal escapes could clear the operator's screen or retitle the window, and a bidi
    override could make a line read differently.  (Protocol 2: the county assigns station
    ids, so the hostile text rides in the name and an event id.)"""
    from sync_server.services.enrollment import create_code
    from sync_server.store.db import make_engine, migrate_to_head

    db = str(tmp_path / "county.db")
    engine = make_engine(f"sqlite:///{db}")
    migrate_to_head(engine)
    st = Station(VILLAGE_A, name="鹿鸣\u202e站\x1b[31m\x1b]0;pwned\x07")
    app = create_app(Settings.from_env(db=db, blob_dir=str(tmp_path / "blobs"), env={}))
    with TestClient(app) as client:
        assert st.enroll(client, create_code(engine, division=VILLAGE_A)).status_code == 200
        bad = st.event().to_wire()
        bad["event_id"] = "\x1b[8mhidden"
        assert st.sync(client, [bad], cursor=None).status_code == 200
    app.state.ctx.engine.dispose()
    engine.dispose()
    capsys.readouterr()
    assert main(["stations", "--db", db]) == 0
    assert main(["rejected", "--db", db]) == 0
    out = capsys.readouterr().out
    assert not any(c in out for c in "\x1b\x07\u202e"), repr(out)
    assert "鹿鸣\\u202e站\\x1b[31m\\x1b]0;pwned\\x07" in out
    assert "\\x1b[8mhidden" in out
