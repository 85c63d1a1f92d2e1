"""The sync service the UI uses: plain dataclasses out, ServiceError with Chinese text."""
from __future__ import annotations

import pytest

from station_app.services.sync_service import SyncService
from station_app.services.types import ServiceError
from station_app.store import quarantine_event

from .stations import make_station, register_cases


@pytest.fixture
def village(tmp_path):
    st = make_station(tmp_path / "v", "530921108201", "洛党村")
    yield st
    st.close()


def test_status_of_a_new_station(village):
    svc = SyncService(village.store, village.paths)
    register_cases(village, 2)
    st = svc.status()
    assert (st.enrolled, st.pending, st.quarantined, st.last_ok_at) == (False, 2, 0, "")


def test_quarantine_items_carry_case_type_and_reason(village):
    svc = SyncService(village.store, village.paths)
    [eid, _] = register_cases(village, 2)
    with village.store.session() as s:
        quarantine_event(s, eid, "event_gap", "")
    [item] = svc.quarantine()
    assert (item.event_id, item.event_type, item.code) == (eid, "case.registered", "event_gap")
    assert item.case_id
    st = svc.status()
    assert (st.pending, st.quarantined) == (1, 1)


@pytest.mark.parametrize("url,code,expected", [
    ("10.1.2.3:8470", "K7QH-3MXP", "server_url_invalid"),
    ("ftp://x", "K7QH-3MXP", "server_url_invalid"),
    ("http://127.0.0.1:9", "   ", "enroll_code_invalid"),
    ("http://127.0.0.1:9", "K7QH-3MXP", "network_unreachable"),
])
def test_enroll_refusals(village, url, code, expected):
    svc = SyncService(village.store, village.paths)
    with pytest.raises(ServiceError) as exc:
        svc.enroll(url, code)
    assert exc.value.code == expected
    assert not exc.value.message   # services give codes; the words are the UI's (ui/messages.py)
    assert not svc.status().enrolled


def test_sync_refuses_while_another_runs(village):
    svc = SyncService(village.store, village.paths)
    with svc._lock:  # the automatic loop holds it
        with pytest.raises(ServiceError) as exc:
            svc.sync_now()
    assert exc.value.code == "sync_busy"
    with pytest.raises(ServiceError) as exc:
        svc.sync_now()
    assert exc.value.code == "not_enrolled"


def test_bundle_errors_become_service_errors(village, tmp_path):
    svc = SyncService(village.store, village.paths)
    with pytest.raises(ServiceError) as exc:
        svc.export_bundle(tmp_path / "x.suqiu")
    assert exc.value.code == "bundle_empty"
    register_cases(village, 1)
    assert svc.export_bundle(tmp_path / "x.suqiu") == 1
    with pytest.raises(ServiceError) as exc:
        svc.import_bundle(tmp_path / "x.suqiu")
    assert exc.value.code == "bundle_own"
    with pytest.raises(ServiceError) as exc:
        svc.write_return_bundle("someone", tmp_path / "r.suqiu")
    assert exc.value.code == "not_enrolled"   # it has no county-signed register to check
