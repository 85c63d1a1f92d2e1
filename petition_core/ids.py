"""Identifiers made offline: UUIDv7 event/case ids."""
from __future__ import annotations

import os
import re
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


# the canonical form ``str(uuid.UUID(x))`` gives: lower-case hex, hyphens at 8-4-4-4-12
_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def is_uuid(text: object) -> bool:
    """True for a str that is a UUID in canonical form (what ``str(uuid.UUID(text)) ==
    text`` says, without building a UUID: the server checks two per pushed event);
    anything else (None, int) is not."""
    return isinstance(text, str) and _CANONICAL_UUID.fullmatch(text) is not None
