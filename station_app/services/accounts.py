"""Operators: local logins.  Passwords are hashed with hashlib.scrypt, a random salt per
user and the cost parameters stored next to the hash, so they can be raised later without
locking anyone out: the stored parameters verify the old hash, and the next successful
login re-hashes with the current ones.

Cost: N=2^17, r=8 (OWASP's minimum for scrypt), 128·N·r = 128 MiB of memory and about
0.75 s on the development machine, 2–3 s estimated on an old village PC
(docs/benchmarks.md, ``benchmarks/bench_scrypt.py``).  Hashes made with N=2^14 before
issue 7 still verify and are upgraded at their next login.

Wrong passwords are throttled per typed login (``login_guard``).  Adding operators and
disabling them is for administrators: the service checks the acting operator (from the
database, not the caller's copy), whatever the UI shows."""
from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from petition_core.enums import Role

from ..store import Store
from ..store.eventlog import now_iso
from ..store.models import OperatorRow
from . import login_guard
from .types import Operator, ServiceError

log = logging.getLogger(__name__)

LOGIN_RE = re.compile(r"^[a-z0-9_]{3,20}$")
MIN_PASSWORD = 8
MAX_PASSWORD = 128
PRODUCTION_SCRYPT = {"n": 2 ** 17, "r": 8, "p": 1, "dklen": 32}
SCRYPT = PRODUCTION_SCRYPT          # the cost of new hashes (the test suite lowers it)
SCRYPT_MAXMEM = 256 * 1024 * 1024   # > 128·N·r; also refuses absurd stored parameters


def _params_text(p: dict[str, int]) -> str:
    return "scrypt:" + ",".join(f"{k}={p[k]}" for k in ("n", "r", "p", "dklen"))


def _parse_params(text: str) -> dict[str, int]:
    algo, _, rest = text.partition(":")
    if algo != "scrypt":
        raise ValueError(algo)
    return {k: int(v) for k, v in (kv.split("=") for kv in rest.split(","))}


def hash_password(password: str, salt: bytes, params: dict[str, int]) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=params["n"], r=params["r"],
                          p=params["p"], dklen=params["dklen"], maxmem=SCRYPT_MAXMEM)


def parse_role(role: Role | str) -> Role:
    try:
        return role if isinstance(role, Role) else Role(str(role))
    except ValueError:
        raise ServiceError("role_invalid", role=str(role)) from None


def clean_display(code: str, value: str, max_len: int) -> str:
    """A display name or station name on one line; ``code`` (display_name_invalid /
    station_name_invalid) when empty, too long or holding control characters."""
    text = " ".join(str(value or "").split())
    if not text or len(text) > max_len or any(ord(c) < 32 for c in text):
        raise ServiceError(code, max=max_len)
    return text


def _check_password(password: str) -> None:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise ServiceError("password_too_short", min=MIN_PASSWORD)
    if len(password) > MAX_PASSWORD:
        raise ServiceError("password_too_long", max=MAX_PASSWORD)


def _set_password(row: OperatorRow, password: str) -> None:
    salt = os.urandom(16)
    row.pw_salt = salt
    row.pw_params = _params_text(SCRYPT)
    row.pw_hash = hash_password(password, salt, SCRYPT)


def _verify(row: OperatorRow, password: str) -> bool:
    try:
        params = _parse_params(row.pw_params)
        digest = hash_password(password, row.pw_salt, params)
    except (ValueError, KeyError, TypeError, MemoryError):
        log.error("operator has unreadable password parameters")
        return False
    return hmac.compare_digest(digest, row.pw_hash)


def _require_admin(s: Session, actor: Operator) -> None:
    """``permission_denied`` unless ``actor`` is an enabled administrator *now* (read from
    the database: the caller's Operator may be stale, or made up)."""
    row = s.get(OperatorRow, getattr(actor, "login", None) or "")
    if row is None or row.disabled or row.role != Role.ADMIN.value:
        log.warning("an operator without the administrator role tried an admin action")
        raise ServiceError("permission_denied")


def to_operator(row: OperatorRow) -> Operator:
    return Operator(login=row.login, display_name=row.display_name, role=Role(row.role),
                    disabled=row.disabled)


def add_operator(s: Session, login: str, display_name: str, password: str,
                 role: Role | str) -> Operator:
    """Validate and add an operator inside the caller's transaction."""
    login = (login or "").strip()
    if not LOGIN_RE.match(login):
        raise ServiceError("login_invalid")
    name = clean_display("display_name_invalid", display_name, 50)
    _check_password(password)
    r = parse_role(role)
    if s.get(OperatorRow, login) is not None:
        raise ServiceError("login_taken")
    row = OperatorRow(login=login, display_name=name, role=r.value, disabled=False,
                      created_at=now_iso())
    _set_password(row, password)
    s.add(row)
    return to_operator(row)


class AccountService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def create_operator(self, login: str, display_name: str, password: str,
                        role: Role | str, *, actor: Operator) -> Operator:
        """``actor`` must be an administrator.  ServiceError codes: permission_denied,
        login_invalid ([a-z0-9_] 3–20), login_taken, password_too_short (< 8),
        display_name_invalid, role_invalid."""
        with self._store.session() as s:
            _require_admin(s, actor)
            op = add_operator(s, login, display_name, password, role)
        log.info("operator created (role %s)", op.role.value)
        return op

    def authenticate(self, login: str, password: str, *, now=None) -> Operator:  # noqa: ANN001
        """Return the operator or raise ServiceError: ``auth_failed`` (same code for unknown
        login, wrong password and disabled account: no login enumeration), or
        ``login_backoff`` with ``wait_seconds`` after too many failures in a row for this
        login (checked before the password, so a waiting login costs no scrypt)."""
        name = login.strip() if isinstance(login, str) else ""
        now = now or login_guard.utcnow()
        with self._store.session() as s:
            wait = login_guard.wait_seconds(s, name, now)
        if wait:
            raise ServiceError("login_backoff", wait_seconds=wait)
        with self._store.read() as s:
            row = s.get(OperatorRow, name)
            if row is None:
                # same work as a real check, so timing does not reveal which logins exist
                hash_password(str(password), b"\0" * 16, SCRYPT)
            ok = row is not None and isinstance(password, str) and _verify(row, password) \
                and not row.disabled
        if not ok:
            with self._store.session() as s:
                wait = login_guard.record_failure(s, name, now)
            log.info("failed login attempt")
            if wait:
                raise ServiceError("login_backoff", wait_seconds=wait)
            raise ServiceError("auth_failed")
        with self._store.session() as s:
            login_guard.clear(s, name)
            row = s.get(OperatorRow, name)
            if row is None:   # removed since the check above
                raise ServiceError("auth_failed")
            if row.pw_params != _params_text(SCRYPT):   # older cost: re-hash with today's
                _set_password(row, password)
                log.info("password hash upgraded to %s", row.pw_params)
            return to_operator(row)

    def list_operators(self) -> list[Operator]:
        with self._store.read() as s:
            return [to_operator(r) for r in s.scalars(select(OperatorRow)
                                                      .order_by(OperatorRow.login))]

    def get(self, login: str) -> Operator:
        """ServiceError('operator_unknown')."""
        with self._store.read() as s:
            row = s.get(OperatorRow, login)
            if row is None:
                raise ServiceError("operator_unknown")
            return to_operator(row)

    def change_password(self, login: str, old_password: str, new_password: str) -> None:
        """ServiceError codes: auth_failed, password_too_short."""
        _check_password(new_password)
        with self._store.session() as s:
            row = s.get(OperatorRow, login)
            if row is None or row.disabled or not _verify(row, old_password):
                raise ServiceError("auth_failed")
            _set_password(row, new_password)
        log.info("password changed")

    def set_disabled(self, login: str, disabled: bool, *, actor: Operator) -> Operator:
        """Disable/enable an operator (``actor`` must be an administrator:
        ServiceError('permission_denied')); refuses disabling the last enabled admin with
        ServiceError('last_admin') so the station can never lock itself out."""
        with self._store.session() as s:
            _require_admin(s, actor)
            row = s.get(OperatorRow, login)
            if row is None:
                raise ServiceError("operator_unknown")
            if disabled and row.role == Role.ADMIN.value and not row.disabled:
                admins = s.scalars(select(OperatorRow).where(
                    OperatorRow.role == Role.ADMIN.value,
                    OperatorRow.disabled.is_(False))).all()
                if len(admins) <= 1:
                    raise ServiceError("last_admin")
            row.disabled = bool(disabled)
            return to_operator(row)
