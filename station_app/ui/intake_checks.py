"""Messages next to the fields of the intake form: showing what a check found, and checking a
field again when the clerk edits it or leaves it.

Why again on edit and on leave (issue 8 C10): a red line that stays after the value was fixed
teaches clerks to ignore red lines, and a mistyped ID number is best flagged while the
petitioner is still at the desk.  The check is the one 保存 uses
(``petition_core.validation.validate_registration``, pure and fast), filtered to the field,
so a field can never pass here and fail at 保存 or the other way round.

Rules: editing a field that shows an error re-checks it at once (the error goes away, or
changes); leaving a field re-checks it if it holds something (an empty field the clerk only
passed through is not nagged about; 保存 still lists it).  A warning shown here counts as
seen, so 保存 does not stop a second time for it.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt

from petition_core.divisions import DivisionTree
from petition_core.validation import FieldError, ValidationErrors, validate_registration

from .intake_fields import FieldRow
from .messages import error_text

log = logging.getLogger(__name__)

WarningKey = tuple[str, str, str]


def warning_key(form: dict[str, Any], w: FieldError) -> WarningKey:
    """A warning is asked once per value: the same code on a changed value asks again."""
    cur: Any = form
    for part in w.field.split("."):
        if isinstance(cur, dict):
            cur = cur.get(part)
        elif isinstance(cur, list) and part.isdigit() and int(part) < len(cur):
            cur = cur[int(part)]
        else:
            cur = None
    return (w.field, w.code, repr(cur))


def row_for(path: str, rows: dict[str, FieldRow]) -> FieldRow | None:
    if path in rows:
        return rows[path]
    if path == "petitioner":
        return rows.get("petitioner.name")
    return None


class FieldChecker:
    """Owns the inline messages of one intake page.  ``rows()`` gives the current field rows
    by path, ``form()`` the current form dict; ``group_message(text, warning)`` and
    ``attachments_message(text, error)`` show messages that belong to no single row."""

    def __init__(self, tree: DivisionTree, rows: Callable[[], dict[str, FieldRow]],
                 form: Callable[[], dict[str, Any]], *,
                 group_message: Callable[..., None],
                 attachments_message: Callable[..., None],
                 rechecked: Callable[[], None] = lambda: None) -> None:
        self._tree = tree
        self._rows = rows
        self._form = form
        self._group_message = group_message
        self._attachments_message = attachments_message
        self._rechecked = rechecked
        self.seen_warnings: set[WarningKey] = set()
        self.quiet = False   # True while the page fills or empties the form itself

    # ---- wiring --------------------------------------------------------------------------
    def watch(self) -> None:
        """Connect every row not yet connected (representative rows come and go)."""
        for row in self._rows().values():
            if row.property("checked_by_page"):
                continue
            row.setProperty("checked_by_page", True)
            row.edited.connect(lambda r=row: self.recheck(r, leaving=False))
            row.left.connect(lambda r=row: self.recheck(r, leaving=True))

    # ---- checking one field ---------------------------------------------------------------
    def recheck(self, row: FieldRow, *, leaving: bool) -> None:
        had_error, had_warning = bool(row.error()), bool(row.warning())
        if self.quiet or not (had_error or had_warning or (leaving and not row.is_empty())):
            return
        rows = self._rows()
        path = next((k for k, v in rows.items() if v is row), None)
        if path is None:  # a representative row removed meanwhile
            return
        form = self._form()
        errors, warnings = self.problems(form)
        mine = [e for e in errors if row_for(e.field, rows) is row]
        if had_error or leaving:  # no new error while the clerk is still typing
            row.set_error(error_text(mine[0].code, dict(mine[0].params)) if mine else "")
        my_warnings = [w for w in warnings if w.field == path]
        if leaving or not my_warnings:
            row.set_warning(error_text(my_warnings[0].code, dict(my_warnings[0].params))
                            if my_warnings else "")
        for w in my_warnings:  # shown now: no second stop at 保存
            self.seen_warnings.add(warning_key(form, w))
        self._rechecked()

    def any_error(self) -> bool:
        return self.error_count() > 0

    def error_count(self) -> int:
        """How many fields are red now."""
        return sum(1 for row in self._rows().values() if row.error())

    def problems(self, form: dict[str, Any]) -> tuple[list[FieldError], list[FieldError]]:
        """(errors, warnings) of the whole form, as 保存 would find them."""
        try:
            _clean, warnings = validate_registration(form, divisions=self._tree,
                                                     now=datetime.now().astimezone())
        except ValidationErrors as exc:
            return list(exc.errors), []
        return [], list(warnings)

    # ---- showing what a whole-form check found ---------------------------------------------
    def show(self, problems: list[FieldError], *, warning: bool = False) -> FieldRow | None:
        """Put each message under its field; returns the first row with an error (form
        order) for the page to scroll to and focus."""
        rows = self._rows()
        order = list(rows)
        first: tuple[int, FieldRow] | None = None
        for p in problems:
            text = error_text(p.code, dict(p.params))
            row = row_for(p.field, rows)
            if row is None:
                if p.field.startswith("group"):
                    self._group_message(text, warning=warning)
                elif p.field.startswith("attachments"):
                    self._attachments_message(text, error=not warning)
                else:
                    log.warning("no widget for field path %s", p.field)
                continue
            if warning:
                row.set_warning(text)
                continue
            if not row.error():
                row.set_error(text)
            pos = order.index(next(k for k, v in rows.items() if v is row))
            if first is None or pos < first[0]:
                first = (pos, row)
        return first[1] if first is not None else None

    def clear(self) -> None:
        for row in self._rows().values():
            row.clear()
        self._group_message("")


def focus_row(row: FieldRow, scroll: Any) -> None:
    scroll.ensureWidgetVisible(row)
    row.editor.setFocus(Qt.FocusReason.OtherFocusReason)
