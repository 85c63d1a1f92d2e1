"""Wire handling shared by the routers: capped body reading, zstd JSON in and out,
the protocol-version gate and the error body.

Why the order matters: the compressed size is capped while *reading* (a lying or absent
Content-Length cannot make us buffer more), the signature is checked on those raw bytes
before anything is decompressed, and decompression itself is streamed with a cap.
Decompressing and parsing run in a worker thread, never on the event loop: a body that
takes a second to parse must not stall every other station's request meanwhile.
"""
from __future__ import annotations

import logging
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from petition_core.protocol import (
    CONTENT_ENCODING,
    CONTENT_TYPE,
    H_PROTOCOL,
    MAX_PROTOCOL,
    MIN_PROTOCOL,
    ProtocolError,
    decode_body,
    encode_body,
)

log = logging.getLogger(__name__)


class ZstdJSONResponse(Response):
    """canonical JSON compressed with zstd (clients such as requests/urllib3 2 and httpx
    decode ``Content-Encoding: zstd`` transparently when ``zstandard`` is installed)."""

    media_type = CONTENT_TYPE

    def __init__(self, content: Any, status_code: int = 200, headers: dict[str, str] | None = None):
        headers = {**(headers or {}), "Content-Encoding": CONTENT_ENCODING}
        super().__init__(content=content, status_code=status_code, headers=headers)

    def render(self, content: Any) -> bytes:
        return encode_body(content)


def error_response(exc: ProtocolError) -> ZstdJSONResponse:
    resp = ZstdJSONResponse(exc.body(), status_code=exc.status)
    if isinstance(exc.detail, dict) and "retry_after" in exc.detail:
        resp.headers["Retry-After"] = str(exc.detail["retry_after"])
    return resp


def check_protocol(request: Request) -> None:
    value = request.headers.get(H_PROTOCOL, "")
    if not (value.isascii() and value.isdigit()) or not MIN_PROTOCOL <= int(value) <= MAX_PROTOCOL:
        raise ProtocolError("protocol_unsupported", 426, {"got": value[:16]})


class ClientGone(Exception):
    """The client closed the connection before its request body was complete.  Handled
    in app.py with one log line: a village line dropping mid-upload is routine."""


async def read_raw(request: Request, limit: int) -> bytes:
    """The request body as sent, refusing (413) as soon as it passes ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise ProtocolError("body_too_large", 413, {"limit": limit})
    buf = bytearray()
    try:
        async for chunk in request.stream():
            buf += chunk
            if len(buf) > limit:
                raise ProtocolError("body_too_large", 413, {"limit": limit})
    except ClientDisconnect:
        raise ClientGone(len(buf)) from None
    return bytes(buf)


def check_zstd(request: Request) -> None:
    """Bodies must be zstd: checked from the headers, before a byte of the body is read."""
    if request.headers.get("content-encoding", "").lower() != CONTENT_ENCODING:
        raise ProtocolError("body_bad_encoding", 400, "Content-Encoding: zstd required")


async def decode_json(request: Request, raw: bytes, limit: int) -> Any:
    """Decompress (capped at ``limit``) and parse in a worker thread."""
    check_zstd(request)
    return await run_in_threadpool(decode_body, raw, limit)
