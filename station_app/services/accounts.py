"""Operators: local logins (password hashes with hashlib.scrypt, per-user salt)."""
from __future__ import annotations

from petition_core.enums import Role

from ..store import Store
from .types import Operator


class AccountService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def create_operator(self, login: str, display_name: str, password: str,
                        role: Role | str) -> Operator:
        """ServiceError codes: login_invalid ([a-z0-9_] 3–20), login_taken,
        password_too_short (< 8), display_name_invalid, role_invalid."""
        raise NotImplementedError

    def authenticate(self, login: str, password: str) -> Operator:
        """Return the operator or raise ServiceError('auth_failed') (same code for unknown
        login, wrong password and disabled account: no login enumeration)."""
        raise NotImplementedError

    def list_operators(self) -> list[Operator]:
        raise NotImplementedError

    def get(self, login: str) -> Operator:
        """ServiceError('operator_unknown')."""
        raise NotImplementedError

    def change_password(self, login: str, old_password: str, new_password: str) -> None:
        """ServiceError codes: auth_failed, password_too_short."""
        raise NotImplementedError

    def set_disabled(self, login: str, disabled: bool) -> Operator:
        """Disable/enable an operator (admins are kept: refuses disabling the last admin
        with ServiceError('last_admin'))."""
        raise NotImplementedError
