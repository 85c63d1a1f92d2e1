"""Attachment blobs: ``HEAD``/``PUT``/``GET /v1/blobs/{sha256}`` (resumable, ranged).

Blob bodies are raw bytes (photos and PDFs are already compressed); each PUT chunk is
limited like any request body and signed like any request.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response, StreamingResponse
from starlette.concurrency import run_in_threadpool

from petition_core.protocol import ProtocolError

from ..services import blobs
from ..services.stations import station_unit
from .deps import Ctx, Signed
from .wire import ZstdJSONResponse, check_protocol

router = APIRouter(prefix="/v1/blobs", dependencies=[Depends(check_protocol)])

_RANGE = re.compile(r"^bytes=(\d+)-(\d*)$")


@router.head("/{sha256}", summary="How many bytes of a blob are stored")
async def head_blob(sha256: str, ctx: Ctx, signed: Signed) -> Response:
    # only what this station may know: somebody else's file answers as absent
    st = await run_in_threadpool(blobs.state_for, ctx.engine, sha=blobs.check_sha(sha256),
                                 station_id=signed.station.station_id,
                                 division=signed.station.division, root=ctx.settings.blob_dir)
    if st is None:
        return Response(status_code=404, headers={"X-Suqiu-Error": "blob_not_found"})
    return Response(status_code=200, headers={
        "X-Suqiu-Blob-Size": str(st.size), "X-Suqiu-Blob-Complete": "1" if st.complete else "0"})


@router.put("/{sha256}", response_class=ZstdJSONResponse, summary="Upload (part of) a blob")
async def put_blob(sha256: str, request: Request, ctx: Ctx, signed: Signed) -> ZstdJSONResponse:
    st = await run_in_threadpool(
        blobs.put_chunk, ctx.engine, ctx.settings.blob_dir, sha=sha256,
        station_id=signed.station.station_id, division=signed.station.division,
        content_range=request.headers.get("content-range"), body=signed.raw)
    return ZstdJSONResponse({"sha256": st.sha256, "size": st.size, "complete": st.complete})


@router.get("/{sha256}", summary="Download a blob (Range supported)")
async def get_blob(sha256: str, request: Request, ctx: Ctx, signed: Signed) -> Response:
    blobs.check_sha(sha256)
    allowed = await run_in_threadpool(
        blobs.may_read, ctx.engine, sha=sha256, station_id=signed.station.station_id,
        division=signed.station.division, unit=station_unit(signed.station))
    if not allowed:
        raise ProtocolError("forbidden_jurisdiction", 403)
    path, size = await run_in_threadpool(blobs.open_complete, ctx.engine, ctx.settings.blob_dir,
                                         sha256)
    start, end = 0, size - 1
    m = _RANGE.match(request.headers.get("range", ""))
    if request.headers.get("range") and not m:
        raise ProtocolError("blob_range_invalid", 416)
    if m:
        start = int(m.group(1))
        end = min(int(m.group(2)), size - 1) if m.group(2) else size - 1
        if start > end:
            raise ProtocolError("blob_range_invalid", 416, {"size": size})

    def _chunks() -> Iterator[bytes]:
        left = end - start + 1
        with open(path, "rb") as f:
            f.seek(start)
            while left > 0:
                chunk = f.read(min(left, 1 << 20))
                if not chunk:
                    return
                left -= len(chunk)
                yield chunk

    headers = {"Accept-Ranges": "bytes", "Content-Length": str(end - start + 1)}
    if m:
        headers["Content-Range"] = f"bytes {start}-{end}/{size}"
    return StreamingResponse(_chunks(), status_code=206 if m else 200, headers=headers,
                             media_type="application/octet-stream")
