"""Station services: the only API the UI uses (plain dataclasses in and out).

    services = StationServices.open(paths)
    services.setup / .accounts / .intake / .cases / .casebook / .documents / .backup

Services own their transactions; errors are :class:`ServiceError` (code, params) or
petition_core's ``ValidationErrors``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .types import (  # noqa: F401  (re-exported API)
    AcceptanceNoticeData,
    AmendmentView,
    AttachmentRef,
    BackupInfo,
    BatchFailure,
    BatchResult,
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
    QueueCounts,
    ReceiptData,
    Registered,
    RepeatMatch,
    Restored,
    ServiceError,
    StationInfo,
    TimelineEntry,
)

if TYPE_CHECKING:
    from .station import StationServices  # noqa: F401


def __getattr__(name: str) -> Any:
    """``StationServices`` is imported on first use: it pulls in SQLAlchemy and every
    service, which the login window does not need (issue 12: the login shows first)."""
    if name == "StationServices":
        from .station import StationServices

        return StationServices
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
