"""The station's own services judge every event they write with the county's gate
(petition_core.gate: schema, authorization, content), on the exact event about to be
stored, so a station can never write what its county will refuse at merge."""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from petition_core.authz import Actor, CaseView
from petition_core.divisions import DivisionTree
from petition_core.events import Event
from petition_core.fold import CaseState
from petition_core.gate import judge
from petition_core.validation import ValidationErrors

from ..store.eventlog import station_row
from ..store.models import AttachmentRow
from .types import ServiceError


class _LocalBlobs:
    """A station names only attachments it holds: imported here, or fetched for a case it
    can see (the same rule the county applies with what it knows)."""

    def __init__(self, session: Session):
        self._s = session

    def __contains__(self, sha: object) -> bool:
        return isinstance(sha, str) and self._s.get(AttachmentRow, sha) is not None


def case_view(state: CaseState | None, station_id: str, division: str) -> CaseView:
    """What this station knows of a case, in the server's terms: it exists; it is routed to
    its registration division, every transfer/assignment target, and (for cases this
    station acted on) this station's own division."""
    if state is None or not state.events:
        return CaseView()
    routes = {e.route for e in state.events if e.route}
    if state.division:
        routes.add(state.division)
    if any(e.station_id == station_id for e in state.events):
        routes.add(division)
    return CaseView(exists=True, division=state.division, routes=frozenset(routes),
                    origin_station=state.origin_station)


def station_gate(session: Session, state: CaseState | None) -> Callable[[Event], None]:
    """The ``gate`` for ``append_events``: raises ValidationErrors (the form's field codes)
    or ServiceError (``event_not_permitted``, ``payload_invalid``) to refuse."""
    st = station_row(session)
    actor = Actor.of(st.station_id, st.division)
    case = case_view(state, st.station_id, st.division)
    blobs = _LocalBlobs(session)

    def gate(ev: Event) -> None:
        refusal = judge(ev, actor=actor, case=case, divisions=DivisionTree.load_default(),
                        referable=blobs)
        if refusal is None:
            return
        if refusal.errors:
            raise ValidationErrors(list(refusal.errors))
        raise ServiceError(refusal.code, reason=refusal.detail)

    return gate
