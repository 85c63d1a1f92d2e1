"""Identifiers made offline: UUIDv7 event/case ids."""
from __future__ import annotations

import os
import time
import uuid


def uuid7(now_ms: int | None = None) -> str:
    """Return a UUIDv7 string (RFC 9562): 48-bit ms timestamp, then randomness.

    The timestamp only helps index locality; nothing orders events by it.
    """
    ms = int(time.time() * 1000) if now_ms is None else now_ms
    rand = int.from_bytes(os.urandom(10), "big")
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76  # version
    value |= ((rand >> 62) & 0xFFF) << 64  # rand_a (12 bits)
    value |= 0b10 << 62  # variant
    value |= rand & ((1 << 62) - 1)  # rand_b
    return str(uuid.UUID(int=value))


def is_uuid(text: object) -> bool:
    """True for a str that is a UUID in canonical form; anything else (None, int) is not."""
    if not isinstance(text, str):
        return False
    try:
        return str(uuid.UUID(text)) == text
    except (ValueError, AttributeError, TypeError):
        return False
