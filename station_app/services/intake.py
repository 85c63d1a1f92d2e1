"""Intake: validate a registration form, warn about repeats, register in one transaction."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Mapping

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # validation lands with the petition_core engineer
    from petition_core.validation import FieldError

from ..paths import AppPaths
from ..store import Store
from .types import AttachmentRef, Operator, Registered, RepeatMatch

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024


class IntakeService:
    """``form`` is the dict petition_core.validation.validate_registration accepts: keys
    division, channel, category, statute_type, discipline, received_at,
    petitioner{name, id_number, phone, address_division, address_detail, anonymous},
    group{size, representatives}, subject{level, name, unit}, summary, account, demands,
    attachments (list of AttachmentRef or dicts from import_attachment)."""

    def __init__(self, store: Store, paths: AppPaths) -> None:
        self._store = store
        self._paths = paths

    def validate(self, form: Mapping[str, Any]) -> "list[FieldError]":
        """Every error and warning (warnings have codes ending in nothing special: check
        ``is_warning`` via the returned list order: errors first).  Empty list = fine."""
        raise NotImplementedError

    def find_repeats(self, form: Mapping[str, Any], *, limit: int = 10) -> list[RepeatMatch]:
        """Possible earlier cases of the same matter (多次反映): same ID number, same name in
        the same village, or similar content in the same township (recent cases only)."""
        raise NotImplementedError

    def register(self, form: Mapping[str, Any], operator: Operator, *,
                 link_to: Iterable[str] = ()) -> Registered:
        """Validate and register in one transaction: case number, query code, the
        registered event (+ outbox + projection).  Raises ValidationErrors and writes
        nothing when the form is invalid."""
        raise NotImplementedError

    def import_attachment(self, path: str | Path) -> AttachmentRef:
        """Copy a file into attachments_dir/<aa>/<sha256> (content-addressed, dedup).
        ServiceError codes: attachment_missing, attachment_too_large, attachment_type,
        attachment_empty."""
        raise NotImplementedError
