"""Data for printed documents (receipt, acceptance / non-acceptance notices); no Qt."""
from __future__ import annotations

from ..store import Store
from .types import AcceptanceNoticeData, NonAcceptanceNoticeData, ReceiptData


class DocumentService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def receipt_data(self, case_id: str) -> ReceiptData:
        raise NotImplementedError

    def acceptance_notice_data(self, case_id: str) -> AcceptanceNoticeData:
        """ServiceError('not_accepted') unless the case was accepted."""
        raise NotImplementedError

    def non_acceptance_notice_data(self, case_id: str) -> NonAcceptanceNoticeData:
        """ServiceError('not_declined') unless the case was declined."""
        raise NotImplementedError
