"""Bodies on the wire: canonical JSON compressed with zstd, decompressed under a cap."""
from __future__ import annotations

import json
from typing import Any

import zstandard

from ..events import canonical_json
from .constants import MAX_DECOMPRESSED_BYTES, MAX_JSON_DEPTH
from .errors import ProtocolError


def compress(data: bytes, level: int = 3) -> bytes:
    return zstandard.ZstdCompressor(level=level).compress(data)


def decompress_capped(data: bytes, limit: int = MAX_DECOMPRESSED_BYTES) -> bytes:
    """Stream-decompress a zstd body, refusing more than ``limit`` output bytes.

    Never trusts the frame's declared size (a zip bomb can lie or omit it); reads in
    chunks and stops as soon as the cap is passed.  Truncated or garbage input →
    ``body_bad_encoding``; too much output → ``body_too_large``.
    """
    # 1. Measure the output with bounded reads: one decompress() call on a 64 KiB piece of
    #    a bomb can yield hundreds of MiB before any check runs, so never make that call
    #    until the total is known to fit.
    try:
        reader = zstandard.ZstdDecompressor().stream_reader(data, read_across_frames=True)
        total = 0
        while chunk := reader.read(1 << 16):
            total += len(chunk)
            if total > limit:
                raise ProtocolError("body_too_large", 413, {"limit": limit})
    except zstandard.ZstdError:
        raise ProtocolError("body_bad_encoding", 400, "zstd") from None
    # 2. Now bounded: decompress for real, checking the frame ends exactly at the end.
    dobj = zstandard.ZstdDecompressor().decompressobj()
    out = bytearray()
    try:
        out += dobj.decompress(data)
    except zstandard.ZstdError:
        raise ProtocolError("body_bad_encoding", 400, "zstd") from None
    if len(out) > limit:
        raise ProtocolError("body_too_large", 413, {"limit": limit})
    if not dobj.eof:
        raise ProtocolError("body_bad_encoding", 400, "truncated")
    if dobj.unused_data:
        raise ProtocolError("body_bad_encoding", 400, "trailing data")
    return bytes(out)


def encode_body(obj: Any) -> bytes:
    """JSON → zstd: what goes on the wire in both directions."""
    return compress(canonical_json(obj))


def _deeper_than(obj: Any, limit: int) -> bool:
    """True when ``obj`` nests containers more than ``limit`` levels deep (iterative, level
    by level: no recursion, so the check itself cannot overflow the stack)."""
    level = [obj]
    for _ in range(limit):
        nxt: list[Any] = []
        for o in level:
            if type(o) is dict:
                nxt.extend(v for v in o.values() if type(v) is dict or type(v) is list)
            elif type(o) is list:
                nxt.extend(v for v in o if type(v) is dict or type(v) is list)
        if not nxt:
            return False
        level = nxt
    return True


def parse_json(raw: bytes, *, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """UTF-8 JSON from the wire, a bundle or a file → Python, or ``body_malformed`` (400).

    Nesting is capped (``detail`` ``json_too_deep``): Python's parser recurses, so a
    100,000-deep array would raise RecursionError, and anything that later walks or
    re-serialises a structure nested near the interpreter's limit (canonical_json) would
    raise it there.  Nothing we send nests more than ten levels."""
    try:
        obj = json.loads(raw.decode("utf-8") if isinstance(raw, (bytes, bytearray)) else raw)
    except RecursionError:
        raise ProtocolError("body_malformed", 400, "json_too_deep") from None
    except (UnicodeDecodeError, ValueError):
        raise ProtocolError("body_malformed", 400, "json") from None
    if _deeper_than(obj, max_depth):
        raise ProtocolError("body_malformed", 400, "json_too_deep")
    return obj


def decode_body(data: bytes, limit: int = MAX_DECOMPRESSED_BYTES) -> Any:
    return parse_json(decompress_capped(data, limit))


ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


def decode_response(content: bytes, limit: int = MAX_DECOMPRESSED_BYTES) -> Any:
    """A response body from the server, whichever HTTP client read it.

    httpx decodes ``Content-Encoding: zstd`` itself; requests/urllib3 2.8 does not (it
    needs ``backports.zstd``), so ``response.content`` may be either JSON or a zstd frame.
    """
    if content.startswith(ZSTD_MAGIC):
        return decode_body(content, limit)
    if len(content) > limit:
        raise ProtocolError("body_too_large", 413, {"limit": limit})
    return parse_json(content)
