"""Server services: each owns its transaction and returns plain dataclasses.

Refusals are ``petition_core.protocol.ProtocolError`` (stable code + HTTP status), so the
API layer turns them into the wire error body without knowing the rules.
"""
from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
