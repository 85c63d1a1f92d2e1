"""The station's own services judge every event they write with the county's gate
(petition_core.gate: schema, authorization, content), on the exact event about to be
stored, so a station can never write what its county will refuse at merge.

Before that, the permission matrix (petition_core.permissions.allowed) decides whether
this operator at this station may take the action on the case now: :func:`station_actor`
is the one place that builds the station's Actor (its unit is its division for now; the
role is the logged-in operator's), :func:`check_allowed` refuses with the matrix's code."""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from petition_core import permissions
from petition_core.authz import Actor, CaseView
from petition_core.divisions import DivisionTree
from petition_core.enums import Level
from petition_core.events import Event
from petition_core.fold import CaseState
from petition_core.gate import judge
from petition_core.ownership import Parties, parties_of
from petition_core.validation import ValidationErrors

from ..store.eventlog import station_row
from ..store.models import AttachmentRow
from ..store.units import station_unit
from .types import Operator, ServiceError

# the actions this station's services carry out, in the order the UI offers them
STATION_ACTIONS: tuple[str, ...] = tuple(a.value for a in (
    permissions.Action.SIGN, permissions.Action.ACCEPT, permissions.Action.DECLINE,
    permissions.Action.TRANSFER, permissions.Action.OBJECT_TRANSFER,
    permissions.Action.ASSIGN, permissions.Action.PROGRESS,
    permissions.Action.REQUEST_EXTENSION, permissions.Action.DECIDE_EXTENSION,
    permissions.Action.CONCLUDE, permissions.Action.SUBMIT_REPORT,
    permissions.Action.ACCEPT_REPORT, permissions.Action.SEND_BACK, permissions.Action.URGE,
    permissions.Action.FOLLOW_UP, permissions.Action.SERVE, permissions.Action.CLOSE,
    permissions.Action.AMEND, permissions.Action.LINK,
    permissions.Action.RESOLVE_CONFLICT))


def station_actor(session: Session, op: Operator) -> permissions.Actor:
    """The station as the matrix sees it: its unit (a department station's own code, else
    its division's centre: store.units.station_unit), its level, the operator's role."""
    st = station_row(session)
    return permissions.Actor(station_unit(session) or st.division, Level(st.level), op.role)


def station_parties(session: Session, state: CaseState) -> Parties:
    """The case's parties, knowing that this station's own events were made by its unit."""
    st = station_row(session)
    mine, unit = st.station_id, station_unit(session) or st.division
    return parties_of(state, station_unit=lambda sid: unit if sid == mine else None)


def available(session: Session, state: CaseState, op: Operator | None) -> tuple[str, ...]:
    """What the UI offers: every station action the matrix allows now (none without an
    operator, for a sealed or unknown case)."""
    if op is None or not state.registered or state.sealed:
        return ()
    actor = station_actor(session, op)
    ok = {a.value for a in permissions.available_actions(
        state, actor, parties=station_parties(session, state))}
    return tuple(a for a in STATION_ACTIONS if a in ok)


def check_allowed(session: Session, state: CaseState, op: Operator, action: str) -> None:
    """Raise ServiceError(<the matrix's code>, **params) unless the operator may take
    ``action`` on the case now."""
    if state.sealed:
        raise ServiceError(permissions.CASE_SEALED)
    verdict = permissions.allowed(state, station_actor(session, op), action,
                                  parties=station_parties(session, state))
    if not verdict:
        raise ServiceError(verdict.code, **dict(verdict.params))


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
