"""The case list: filtered, sorted, paged queries over the case_index projection."""
from __future__ import annotations

from ..store import Store
from .types import CaseQuery, Counts, Page

SORT_KEYS = ("received_at", "due_date", "case_no", "status", "updated")


class CasebookService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def query(self, q: CaseQuery, *, today: str | None = None) -> Page:
        """ServiceError('sort_invalid') for an unknown sort key."""
        raise NotImplementedError

    def counts(self, *, today: str | None = None) -> Counts:
        """Dashboard numbers: open, overdue, near-due, registered this month."""
        raise NotImplementedError
