"""Station services: the only API the UI uses (plain dataclasses in and out).

    services = StationServices.open(paths)
    services.setup / .accounts / .intake / .cases / .casebook / .documents / .backup

Services own their transactions; errors are :class:`ServiceError` (code, params) or
petition_core's ``ValidationErrors``.
"""
from __future__ import annotations

from .station import StationServices  # noqa: F401
from .types import (  # noqa: F401  (re-exported API)
    AcceptanceNoticeData,
    AmendmentView,
    AttachmentRef,
    BackupInfo,
    CaseDetail,
    CaseQuery,
    CaseRow,
    Changes,
    ClockView,
    ConflictOption,
    ConflictView,
    Counts,
    LinkView,
    NonAcceptanceNoticeData,
    Operator,
    Page,
    ReceiptData,
    Registered,
    RepeatMatch,
    Restored,
    ServiceError,
    StationInfo,
    TimelineEntry,
)
