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
    MAX_ENROLL_BYTES,
    MAX_ENROLL_DECOMPRESSED,
    PROTOCOL_VERSION,
    Ack,
    ProtocolError,
    RelayResult,
    SyncRequest,
    SyncResponse,
)

from ..services import enrollment, merge, pull, voids
from ..services.ratelimit import client_key
from .deps import Ctx, ServerContext, Signed, SignedRequest
from .wire import ZstdJSONResponse, check_protocol, check_zstd, decode_json, read_raw

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
    """Body ``{code, public_key, station_id, station_code, name}``, signed with the new key,
    counter 0.  Returns ``{station_id, division, level, protocol}``.

    The one endpoint anybody can call, so everything that can be judged from the headers
    is judged before a byte of the body is read: the client's wrong-code allowance (429),
    the encoding, counter 0, a signature header of a signature's length.  The body is then
    read under ``MAX_ENROLL_BYTES`` and decompressed under ``MAX_ENROLL_DECOMPRESSED`` (a
    few KiB: the fields are short strings) in a worker thread.  The signature itself is
    checked after parsing, with the key the body carries: it proves the station holds that
    key, which an attacker's own key does as well, so it could not gate anything earlier."""
    limiter = ctx.enroll_limiter
    token = limiter.begin(client_key(request.client.host if request.client else None))
    wrong_code = False
    try:
        check_zstd(request)
        signature = request.headers.get(H_SIGNATURE) or ""
        if request.headers.get(H_COUNTER) != "0" or len(signature) != 88:  # base64, 64 bytes
            raise ProtocolError("auth_bad_signature", 401)
        raw = await read_raw(request, MAX_ENROLL_BYTES)
        body = await decode_json(request, raw, MAX_ENROLL_DECOMPRESSED)
        res = await run_in_threadpool(
            enrollment.enroll, ctx.engine, body=body, raw_body=raw, path=request.url.path,
            signature=signature, counter_text=request.headers.get(H_COUNTER))
    except ProtocolError as exc:
        wrong_code = exc.code == "enroll_code_invalid"
        raise
    finally:
        limiter.settle(token, failed=wrong_code)
    return ZstdJSONResponse({"station_id": res.station_id, "division": res.division,
                             "level": res.level, "protocol": PROTOCOL_VERSION})


def _sync(ctx: ServerContext, signed: SignedRequest, req: SyncRequest) -> SyncResponse:
    """Merge (committed) first, then pull: the answer already includes what was pushed."""
    acks: list[Ack] = []
    relayed: list[RelayResult] = []
    nxt = None
    if req.events or req.bundles or req.relayed:
        out = merge.merge_request(ctx.engine, pusher=signed.station, items=req.events,
                                  bundles=req.bundles, relayed=req.relayed)
        acks = out.acks
        relayed = [relay_result(g) for g in out.relayed]
    if req.events and signed.station.relay_of != "upstream":
        nxt = voids.next_seq(ctx.engine, signed.station.station_id)
    runs: list[tuple[int, int, str]] = []
    if req.compact_acks and req.events and signed.station.relay_of != "upstream":
        runs, acks = compact_own_acks(req.events, acks)
    if req.cursor is None:
        return SyncResponse(acks, [], 0, False, nxt, runs, relayed)
    res = pull.pull(ctx.engine, division=signed.station.division, cursor=req.cursor,
                    limit=req.limit, own=(signed.station.station_id, req.own_through),
                    held=req.held)
    return SyncResponse(acks, res.events, res.cursor, res.more, nxt, runs, relayed)


def relay_result(group: merge.Group) -> RelayResult:
    """One forwarded bundle's answer: its refusal, or its acks as station_seq runs."""
    if group.refused:
        return RelayResult(refused=group.refused)
    if len(group.acks) != len(group.items):   # not one ack per event: send them all
        return RelayResult(acks=list(group.acks))
    runs, rest = compact_own_acks(group.items, group.acks)
    return RelayResult(runs=runs, acks=rest)


def compact_own_acks(items: list[Any], acks: list[Ack]) -> tuple[list[tuple[int, int, str]],
                                                                    list[Ack]]:
    """The pusher's own acks (the first ``len(items)``, in request order) as station_seq
    runs of applied/duplicate; every other ack stays as it is."""
    runs: list[tuple[int, int, str]] = []
    rest: list[Ack] = []
    for item, ack in zip(items, acks[:len(items)], strict=False):
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
    body = await decode_json(request, signed.raw, ctx.settings.max_decompressed)
    req = await run_in_threadpool(SyncRequest.from_wire, body)   # base64 of the bundles
    resp = await run_in_threadpool(_sync, ctx, signed, req)
    return ZstdJSONResponse(resp.to_wire())
