"""/metrics: the Prometheus figures of the county database, only for the monitoring token."""
from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from sync_server.app import create_app
from sync_server.settings import Settings
from tests.server.helpers import enrolled

VILLAGE_A = "530921108203"
VILLAGE_B = "530921108204"
TOKEN = "m0nit0r-t0ken-for-tests"


@pytest.fixture
def metered(db_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    app = create_app(Settings(db_url=db_url, blob_dir=tmp_path / "blobs",
                              metrics_token=TOKEN))
    with TestClient(app) as client:
        yield client, app.state.ctx.engine
    app.state.ctx.engine.dispose()


def _scrape(client) -> dict:  # type: ignore[no-untyped-def]
    r = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/plain")
    out: dict = {}
    for fam in text_string_to_metric_families(r.text):
        for s in fam.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def test_metrics_count_syncs_refusals_and_last_sync_per_station(metered):
    client, engine = metered
    a = enrolled(client, engine, VILLAGE_A, name="鹿鸣村站")
    b = enrolled(client, engine, VILLAGE_B, name='恶意"站\n名')
    good, bad, after = a.events(3)
    broken = bad.to_wire()
    broken["type"] = "case.exploded"
    assert a.sync(client, [good, broken, after], cursor=None).status_code == 200
    before = _scrape(client)
    assert before[("suqiu_events_stored", ())] == 2
    assert before[("suqiu_events_refused", (("code", "event_unknown_type"),))] == 1
    assert before[("suqiu_stations", (("state", "active"),))] == 2
    la = (("division", VILLAGE_A), ("name", "鹿鸣村站"), ("station", a.station_id))
    lb = (("division", VILLAGE_B), ("name", '恶意"站\n名'), ("station", b.station_id))
    assert before[("suqiu_station_high_seq", la)] == 3     # 1 and 3 stored, 2 refused
    assert before[("suqiu_station_high_seq", lb)] == 0
    assert before[("suqiu_station_last_sync_timestamp_seconds", la)] > 1.7e9
    # b never synced: no last-sync sample, which an alert on absence catches
    assert ("suqiu_station_last_sync_timestamp_seconds", lb) not in before
    assert b.sync(client, b.events(1), cursor=None).status_code == 200
    after_b = _scrape(client)
    assert after_b[("suqiu_events_stored", ())] == 3
    assert after_b[("suqiu_station_high_seq", lb)] == 1
    assert after_b[("suqiu_station_last_sync_timestamp_seconds", lb)] > 1.7e9


@pytest.mark.parametrize("header", [None, "Bearer wrong", f"Basic {TOKEN}", f"Bearer {TOKEN}x"])
def test_metrics_refuse_without_the_token(metered, header):
    client, _ = metered
    headers = {"Authorization": header} if header else {}
    r = client.get("/metrics", headers=headers)
    assert r.status_code == 401
    assert "suqiu_" not in r.text


def test_no_metrics_unless_configured(server):
    client, _ = server
    assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 404
    assert client.get("/metrics").status_code == 404


def test_the_token_comes_from_the_environment():
    env = {"SUQIU_SERVER_DB": "sqlite:////tmp/x.db", "SUQIU_SERVER_METRICS_TOKEN": " abc \n"}
    assert Settings.from_env(env=env).metrics_token == "abc"
    assert Settings.from_env(env={"SUQIU_SERVER_DB": "sqlite:////tmp/x.db"}).metrics_token == ""
