"""``POST /v1/enroll`` and ``POST /v1/sync`` (docs/PROTOCOL.md)."""
from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool

from petition_core.protocol import (
    ACK_APPLIED,
    ACK_DUPLICATE,
    H_COUNTER,
    H_SIGNATURE,
    ProtocolError,
    SyncRequest,
    Ack,
    SyncResponse,
)

from ..services import enrollment, merge, pull, register, voids
from .deps import Ctx, ServerContext, Signed, SignedRequest
from .wire import ZstdJSONResponse, check_protocol, decode_json, read_raw

log = logging.getLogger(__name__)

router = APIRouter(prefix="/v1", dependencies=[Depends(check_protocol)])

_ZSTD_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {"type": "object"}}},
        "description": "canonical JSON compressed with zstd (Content-Encoding: zstd)",
    }
}


@router.post("/enroll", response_class=ZstdJSONResponse, openapi_extra=_ZSTD_BODY,
             summary="Bind a station key to a division with a one-time code")
async def enroll(request: Request, ctx: Ctx) -> ZstdJSONResponse:
    """Body ``{code, public_key, division, name}`` (+ ``station_id``, ``server_id``,
    ``epoch``, ``old_signature`` to re-enroll; + ``server`` for a lower server), signed with
    the new key, counter 0.  Returns ``{station_id, station_no, division, level, epoch,
    next_seq, server_id, server_key, register, register_cursor, protocol}``."""
    client = request.client.host if request.client else "?"
    ctx.enroll_limiter.check(client)          # 429 while too many codes were wrong
    raw = await read_raw(request, ctx.settings.max_body)
    body = decode_json(request, raw, ctx.settings.max_decompressed)
    try:
        res = await run_in_threadpool(
            enrollment.enroll, ctx.engine, ctx.ident, body=body, raw_body=raw,
            path=request.url.path,
            signature=request.headers.get(H_SIGNATURE),
            counter_text=request.headers.get(H_COUNTER))
    except ProtocolError as exc:
        if exc.code == "enroll_code_invalid":
            ctx.enroll_limiter.failed(client)
        raise
    return ZstdJSONResponse(res.to_wire(ctx.ident))


def _sync(ctx: ServerContext, signed: SignedRequest, req: SyncRequest) -> SyncResponse:
    """Merge (committed) first, then pull: the answer already includes what was pushed."""
    acks = []
    nxt = None
    upstream = signed.station.relay_of == "upstream"
    reg_refused = register.accept_from_relay(ctx.engine, signed.station, req.register) \
        if upstream and req.register else {}
    origins: list[str] = []
    if req.events or req.bundles:
        acks = merge.merge_push(ctx.engine, pusher=signed.station, items=req.events,
                                bundles=req.bundles, origins=origins)
    if req.events and signed.station.relay_of != "upstream":
        nxt = voids.next_seq(ctx.engine, signed.station.station_id)
    runs: list[tuple[int, int, str]] = []
    if req.compact_acks and req.events and signed.station.relay_of != "upstream":
        runs, acks = compact_own_acks(req.events, acks)
    out = SyncResponse(acks, [], 0, False, nxt, runs, register_refused=reg_refused)
    if origins:   # a relay: the county's word on each village, for its return bundle
        out.receipts = register.receipts(ctx.engine, ctx.ident, origins)
    if req.cursor is None:
        return out
    res = pull.pull(ctx.engine, division=signed.station.division, cursor=req.cursor,
                    limit=req.limit, own=(signed.station.station_id, req.own_through))
    out.events, out.cursor, out.more = res.events, res.cursor, res.more
    if req.register_cursor is not None and not upstream:
        with ctx.engine.connect() as conn:
            records, cursor = register.records_for(
                conn, ctx.ident.server_id, signed.station.division, req.register_cursor)
        if records:   # nothing for this station: no field (bytes on a 64 kbit/s line)
            out.register, out.register_cursor = records, cursor
    return out


def compact_own_acks(items: list[Any], acks: list[Ack]) -> tuple[list[tuple[int, int, str]],
                                                                    list[Ack]]:
    """The pusher's own acks (the first ``len(items)``, in request order) as station_seq
    runs of applied/duplicate; every other ack stays as it is."""
    runs: list[tuple[int, int, str]] = []
    rest: list[Ack] = []
    for item, ack in zip(items, acks[:len(items)]):
        seq = item.get("station_seq") if isinstance(item, dict) else None
        if ack.status not in (ACK_APPLIED, ACK_DUPLICATE) or isinstance(seq, bool) or \
                not isinstance(seq, int) or seq < 1:
            rest.append(ack)
        elif runs and runs[-1][1] + 1 == seq and runs[-1][2] == ack.status:
            runs[-1] = (runs[-1][0], seq, ack.status)
        else:
            runs.append((seq, seq, ack.status))
    return runs, rest + acks[len(items):]


@router.post("/sync", response_class=ZstdJSONResponse, openapi_extra=_ZSTD_BODY,
             summary="Push events and pull the jurisdiction's changes in one round trip")
async def sync(request: Request, ctx: Ctx, signed: Signed) -> ZstdJSONResponse:
    """Body ``{push: {events, bundles}, pull: {cursor, limit}}`` → ``{acks, pull: {events,
    cursor, more}}``.  Pushed events are committed before the answer is sent."""
    body = decode_json(request, signed.raw, ctx.settings.max_decompressed)
    req = SyncRequest.from_wire(body)
    resp = await run_in_threadpool(_sync, ctx, signed, req)
    return ZstdJSONResponse(resp.to_wire())
