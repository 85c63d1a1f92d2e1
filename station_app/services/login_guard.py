"""Back-off after failed logins: per typed login, kept in the station database so that
restarting the app does not reset it (issue 7 B9).

Policy (``backoff_seconds``): the first ``FREE_FAILURES`` wrong passwords in a row cost
nothing (a clerk mistypes); from then on each failure makes that login wait ``FIRST_WAIT``
seconds, doubling, at most ``MAX_WAIT``.  A correct password clears the count.  A login
that does not exist is counted exactly like one that does, so the back-off does not tell
which logins exist.  At 15 minutes a try, guessing even a weak password from a list of a
thousand takes days at the keyboard, and scrypt (accounts.py) makes each try cost a second.

What it is not: protection against someone who controls the PC's clock or copies the
database file (they can attack the scrypt hashes directly).  A clock moved *back* cannot
lock anybody out for longer than ``MAX_WAIT``: a wait longer than that is cut to it.

Issue 10 adds a lockout that only an administrator lifts; it extends this module: a lock
state beside ``blocked_until``, set after N failures, and ``clear`` as the unlock.
"""
from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from ..store.models import LoginAttemptRow

FREE_FAILURES = 3
FIRST_WAIT = 30                # seconds, after the 4th failure in a row
MAX_WAIT = 15 * 60
FORGET_AFTER = timedelta(days=1)   # a count with no failure for a day is dropped


def backoff_seconds(failures: int) -> int:
    """Seconds to wait after ``failures`` consecutive failures: 0, 0, 0, 30, 60, … 900."""
    if failures <= FREE_FAILURES:
        return 0
    return min(MAX_WAIT, FIRST_WAIT * 2 ** min(failures - FREE_FAILURES - 1, 16))


def login_key(login: str) -> str:
    return hashlib.sha256(("login:" + login).encode("utf-8")).hexdigest()


def utcnow() -> datetime:
    return datetime.now(UTC)


def _iso(t: datetime) -> str:
    return t.isoformat(timespec="seconds")


def _parse(text: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def wait_seconds(session: Session, login: str, now: datetime) -> int:
    """Seconds ``login`` must still wait before it may be tried (0: now)."""
    row = session.get(LoginAttemptRow, login_key(login))
    until = _parse(row.blocked_until) if row else None
    if row is None or until is None or until <= now:
        return 0
    if until - now > timedelta(seconds=MAX_WAIT):   # the clock was moved back
        until = now + timedelta(seconds=MAX_WAIT)
        row.blocked_until = _iso(until)
    return max(1, int((until - now).total_seconds() + 0.999))


def record_failure(session: Session, login: str, now: datetime) -> int:
    """Count a failed try of ``login``; return the wait it now imposes (0: none yet)."""
    session.execute(delete(LoginAttemptRow).where(
        LoginAttemptRow.last_failed_at < _iso(now - FORGET_AFTER)))
    key = login_key(login)
    row = session.get(LoginAttemptRow, key)
    if row is None:
        row = LoginAttemptRow(login_key=key, failures=0, last_failed_at=_iso(now))
        session.add(row)
    row.failures += 1
    row.last_failed_at = _iso(now)
    wait = backoff_seconds(row.failures)
    row.blocked_until = _iso(now + timedelta(seconds=wait)) if wait else None
    return wait


def clear(session: Session, login: str) -> None:
    """A correct password (and, from issue 10, an administrator's unlock)."""
    session.execute(delete(LoginAttemptRow).where(LoginAttemptRow.login_key == login_key(login)))
