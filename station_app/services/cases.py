"""Case detail and the actions on a case: each validates, then appends one event."""
from __future__ import annotations

from typing import Any, Iterable

from petition_core.enums import NotifyChannel, Satisfaction

from ..store import Store
from .types import CaseDetail, Operator

# action names used in CaseDetail.allowed_actions
ACTIONS = ("accept", "decline", "transfer", "progress", "extend", "conclude", "follow_up",
           "amend", "link", "resolve_conflict")


class CaseService:
    """All actions raise ServiceError('case_unknown'), ('action_not_allowed') when the
    status or role forbids it, ('sealed') when content is withheld, or ValidationErrors
    for bad texts (codes from petition_core.validation.clean_text)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def detail(self, case_id: str, operator: Operator | None = None) -> CaseDetail:
        raise NotImplementedError

    def accept(self, case_id: str, op: Operator, *, note: str = "",
               notify_channel: NotifyChannel | str = NotifyChannel.ON_SPOT) -> CaseDetail:
        raise NotImplementedError

    def decline(self, case_id: str, op: Operator, *, reason: str, other_channel: str = "",
                notify_channel: NotifyChannel | str = NotifyChannel.ON_SPOT) -> CaseDetail:
        raise NotImplementedError

    def transfer(self, case_id: str, op: Operator, *, to_division: str, to_unit: str = "",
                 note: str = "") -> CaseDetail:
        raise NotImplementedError

    def progress(self, case_id: str, op: Operator, *, note: str) -> CaseDetail:
        raise NotImplementedError

    def extend(self, case_id: str, op: Operator, *, days: int, reason: str,
               approved_by: str) -> CaseDetail:
        """ServiceError('extension_too_long') beyond the 30-day statutory maximum."""
        raise NotImplementedError

    def conclude(self, case_id: str, op: Operator, *, result: str, opinion: str) -> CaseDetail:
        raise NotImplementedError

    def follow_up(self, case_id: str, op: Operator, *, satisfaction: Satisfaction | str,
                  method: str = "", note: str = "") -> CaseDetail:
        raise NotImplementedError

    def amend(self, case_id: str, op: Operator, *, field: str, new_value: Any,
              reason: str) -> CaseDetail:
        """``field`` is one of petition_core.fold.AMENDABLE_FIELDS (dotted)."""
        raise NotImplementedError

    def link(self, case_id: str, op: Operator, *, related: Iterable[str],
             note: str = "") -> CaseDetail:
        raise NotImplementedError

    def resolve_conflict(self, case_id: str, op: Operator, *, group: str,
                         chosen_event_id: str, note: str = "") -> CaseDetail:
        raise NotImplementedError
