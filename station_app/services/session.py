"""Who sits at the desk: the idle lock's setting and the password checks that guard a
locked screen, a change of duty staff and the admin-only operations (restore).

Why its own service: on a shared PC every record must carry the person who made it, so
the window locks after some idle minutes and anyone taking over logs in again.  Every such
check goes through :meth:`SessionService.verify`, the one place where a later issue adds
a lockout after repeated failures or re-authentication for sealed records.
"""
from __future__ import annotations

import logging

from petition_core.enums import Role

from ..store import Store, get_setting, set_setting
from .accounts import AccountService
from .types import Changes, Operator, ServiceError

log = logging.getLogger(__name__)

K_LOCK_MINUTES = "ui.lock_minutes"
DEFAULT_LOCK_MINUTES = 15
MIN_LOCK_MINUTES, MAX_LOCK_MINUTES = 1, 240


class SessionService:
    def __init__(self, store: Store, accounts: AccountService) -> None:
        self._store = store
        self._accounts = accounts

    def lock_minutes(self) -> int:
        """Idle minutes before the window locks (station-wide; default 15)."""
        with self._store.read() as s:
            raw = get_setting(s, K_LOCK_MINUTES)
        try:
            value = int(raw) if raw is not None else DEFAULT_LOCK_MINUTES
        except ValueError:
            log.warning("unreadable lock setting; using the default")
            return DEFAULT_LOCK_MINUTES
        return min(MAX_LOCK_MINUTES, max(MIN_LOCK_MINUTES, value))

    def set_lock_minutes(self, operator: Operator, minutes: int) -> Changes:
        """Administrators only (ServiceError('permission_denied')); ServiceError
        ('out_of_range', min=, max=) outside 1–240 minutes."""
        if operator.role != Role.ADMIN:
            raise ServiceError("permission_denied")
        if isinstance(minutes, bool) or not isinstance(minutes, int) or \
                not MIN_LOCK_MINUTES <= minutes <= MAX_LOCK_MINUTES:
            raise ServiceError("out_of_range", min=MIN_LOCK_MINUTES, max=MAX_LOCK_MINUTES)
        with self._store.session() as s:
            set_setting(s, K_LOCK_MINUTES, str(minutes))
        log.info("idle lock set to %d minutes", minutes)
        return Changes(station=True)

    def verify(self, login: str, password: str, *, role: Role | None = None) -> Operator:
        """The operator whose password this is: ServiceError('auth_failed') otherwise (same
        answer for an unknown login, a wrong password and a disabled account), or
        ('permission_denied') when ``role`` is required and the operator has another."""
        op = self._accounts.authenticate(login, password)
        if role is not None and op.role != role:
            log.info("re-authentication refused: role")
            raise ServiceError("permission_denied")
        return op
