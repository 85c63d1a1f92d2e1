"""Query codes at the registering station (decision 0011): the event carries only the hash,
the clear code lives in ``local_query_code`` (same transaction), and everything the clerk
uses — the registration's answer, the receipt, the case page, the casebook's search by code
— still has it, also after the projection is rebuilt from the events."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from station_helpers import form

from petition_core.casenumber import query_code_matches
from station_app.services import ServiceError
from station_app.services.types import CaseQuery
from station_app.store.models import CaseIndex, EventRow, LocalQueryCode
from station_app.store.projection import rebuild_all

ADMIN = ("admin", "admin1234")        # the ``services`` fixture's administrator


@pytest.fixture
def op(services):  # type: ignore[no-untyped-def]
    return services.accounts.authenticate(*ADMIN)


def test_the_event_carries_the_hash_and_the_station_keeps_the_code(services, store, op):
    reg = services.intake.register(form(), op)
    with store.read() as s:
        [row] = s.scalars(select(EventRow)).all()
        payload = json.loads(row.payload)
        assert "query_code" not in payload
        assert reg.query_code not in row.payload.decode("utf-8")
        assert query_code_matches(reg.case_id, reg.query_code,
                                  stored_hash=payload["query_code_hash"])
        assert s.get(LocalQueryCode, reg.case_id).code == reg.query_code
        assert s.get(CaseIndex, reg.case_id).query_code == reg.query_code
    assert services.documents.receipt_data(reg.case_id).query_code == reg.query_code
    found = services.casebook.query(CaseQuery(text=reg.query_code))
    assert [r.case_id for r in found.rows] == [reg.case_id]


def test_a_rebuilt_projection_keeps_the_local_code(services, store, op):
    reg = services.intake.register(form(), op)
    with store.session() as s:
        s.execute(CaseIndex.__table__.delete())
        rebuild_all(s.connection())
    with store.read() as s:
        assert s.get(CaseIndex, reg.case_id).query_code == reg.query_code


def test_a_form_cannot_smuggle_a_clear_code_into_the_event(services, store, op):
    reg = services.intake.register(form(query_code="7KQ4XM"), op)
    with store.read() as s:
        raw = s.scalars(select(EventRow.payload)).one().decode("utf-8")
    assert "7KQ4XM" not in raw and reg.query_code not in raw


def test_a_refused_registration_leaves_no_local_code(services, store, op):
    with pytest.raises(ServiceError):
        services.intake.register(form(), op, link_to=["no-such-case"])
    with store.read() as s:
        assert s.scalars(select(LocalQueryCode)).all() == []


def test_a_receipt_without_the_local_code_prints_no_empty_code_row(services, store, op):
    """At a station that did not register the case (here: its local row gone) the receipt
    prints the case number and no blank 查询码 line."""
    from station_app.ui import documents as ui_documents

    reg = services.intake.register(form(), op)
    with_code = ui_documents.document_html(
        "receipt", services.documents.receipt_data(reg.case_id))
    assert "查询码" in with_code and reg.query_code in with_code
    with store.session() as s:
        s.delete(s.get(LocalQueryCode, reg.case_id))
    data = services.documents.receipt_data(reg.case_id)
    assert data.query_code == ""
    html = ui_documents.document_html("receipt", data)
    assert reg.case_no in html and "<b>查询码" not in html
