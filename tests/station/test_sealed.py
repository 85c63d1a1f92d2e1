"""A sealed report (content encrypted for the county discipline office) is stored, counted
and routed, but its content never reaches the projection, the lists or printed papers."""
from __future__ import annotations

import sqlite3

import pytest
from station_helpers import TEST_VILLAGE

from petition_core.events import EventDraft, EventType
from petition_core.ids import uuid7
from station_app.services import CaseQuery, ServiceError
from station_app.store import append_events, case_events

SECRET = "村副书记侵占医保费"


def test_sealed_case_is_withheld_everywhere(services, tmp_paths):
    op = services.accounts.authenticate("admin", "admin1234")
    case = uuid7()
    ciphertext = b"\x01\x02opaque" + SECRET.encode("utf-8")[::-1]
    with services.store.session() as s:
        (ev,) = append_events(s, [EventDraft(case, EventType.REGISTERED, route=TEST_VILLAGE,
                                             sealed_payload=ciphertext,
                                             sealed_scheme="x25519-v1")], op.login)
    assert ev.payload_enc == "sealed:x25519-v1" and ev.sealed
    with services.store.read() as s:
        assert case_events(s, case)[0].payload == ciphertext
    d = services.cases.detail(case, op)
    assert d.sealed and d.petitioner_display == "（保密）" and d.allowed_actions == ()
    assert d.timeline[0].summary == "（内容保密）" and d.summary == ""
    with pytest.raises(ServiceError) as ei:
        services.cases.accept(case, op)
    assert ei.value.code == "case_sealed"
    with pytest.raises(ServiceError) as ei:
        services.documents.receipt_data(case)
    assert ei.value.code == "sealed"
    page = services.casebook.query(CaseQuery())
    assert [(r.case_id, r.petitioner_display) for r in page.rows] == [(case, "（保密）")]
    assert services.casebook.query(CaseQuery(text="医保费")).total == 0
    con = sqlite3.connect(tmp_paths.db_path)
    row = con.execute("SELECT sealed, division, summary, petitioner_name FROM case_index")\
        .fetchone()
    con.close()
    assert row == (1, TEST_VILLAGE, "", "")          # routed by the clear route field
    raw = tmp_paths.db_path.read_bytes() + b"".join(
        p.read_bytes() for p in tmp_paths.root.glob("station.db-wal"))
    assert SECRET.encode("utf-8") not in raw
