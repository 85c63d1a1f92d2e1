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
    Ack,
    ProtocolError,
    RelayResult,
    SyncRequest,
    SyncResponse,
)

from ..services import enrollment, merge, pull, reference, register, voids
from ..services.bundle_groups import Group
from ..services.ratelimit import client_key
from ..services.stations import station_unit
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
    """Body ``{code, public_key, division, name}`` (+ ``station_id``, ``server_id``,
    ``epoch``, ``old_signature`` to re-enroll; + ``server`` for a lower server), signed with
    the new key, counter 0.  Returns ``{station_id, station_no, division, level, epoch,
    next_seq, server_id, server_key, register, register_cursor, protocol}``.

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
            enrollment.enroll, ctx.engine, ctx.ident, body=body, raw_body=raw,
            path=request.url.path, signature=signature,
            counter_text=request.headers.get(H_COUNTER))
    except ProtocolError as exc:
        wrong_code = exc.code == "enroll_code_invalid"
        raise
    finally:
        limiter.settle(token, failed=wrong_code)
    return ZstdJSONResponse(res.to_wire(ctx.ident))


def _sync(ctx: ServerContext, signed: SignedRequest, req: SyncRequest) -> SyncResponse:
    """Merge (committed) first, then pull: the answer already includes what was pushed."""
    acks: list[Ack] = []
    relayed: list[RelayResult] = []
    forwarded: list[Group] = []
    origins: list[str] = []
    nxt = None
    upstream = signed.station.relay_of == "upstream"
    reg_refused = register.accept_from_relay(ctx.engine, signed.station, req.register) \
        if upstream and req.register else {}
    if req.events or req.bundles or req.relayed:
        out = merge.merge_request(ctx.engine, pusher=signed.station, items=req.events,
                                  bundles=req.bundles, relayed=req.relayed,
                                 repeat_key=ctx.ident.repeat_key)
        acks = out.acks
        relayed = [relay_result(g) for g in out.relayed]
        forwarded, origins = out.forwarded, out.origins
    if req.events and not upstream:
        nxt = voids.next_seq(ctx.engine, signed.station.station_id)
    runs: list[tuple[int, int, str]] = []
    if req.compact_acks and req.events and not upstream:
        runs, acks = compact_own_acks(req.events, acks)
    resp = SyncResponse(acks, [], 0, False, nxt, runs, relayed, register_refused=reg_refused)
    if origins:   # a relay: the county's word on each village, for its return bundle
        resp.receipts = register.receipts(ctx.engine, ctx.ident, origins)
    if req.cursor is None:
        return resp
    res = pull.pull(ctx.engine, unit=station_unit(signed.station), cursor=req.cursor,
                    limit=req.limit, own=(signed.station.station_id, req.own_through),
                    held=held_after_merge(req.held, forwarded))
    resp.events, resp.cursor, resp.more = res.events, res.cursor, res.more
    resp.repeats = res.repeats
    if req.register_cursor is not None and not upstream:
        with ctx.engine.connect() as conn:
            records, cursor = register.records_for(
                conn, ctx.ident.server_id, signed.station.division, req.register_cursor)
        if records:   # nothing for this station: no field (bytes on a 64 kbit/s line)
            resp.register, resp.register_cursor = records, cursor
    if req.reference_cursor is not None and not upstream:
        with ctx.engine.connect() as conn:
            refs, ref_cursor = reference.records_after(conn, req.reference_cursor)
        if refs:
            resp.reference, resp.reference_cursor = refs, ref_cursor
    return resp


# the county holds another event in that place than the one the relay forwarded
_CONTRADICTED = frozenset({"seq_conflict", "event_id_conflict"})


def held_after_merge(held: dict[str, int], forwarded: list[Group]) -> dict[str, int]:
    """``pull.held`` as far as this request did not contradict it.  A township names the
    villages whose events it holds because it stored them at import (after checking the
    signer against the county-signed register); the county leaves those out of its pull.
    Where the county just refused what the township holds — a bundle refused as a whole
    (revoked, foreign, bad signature), or an event because the county holds another one in
    its place — the claim is dropped (capped below the first such seq), so the county's own
    records come down and the township meets the conflict instead of never seeing it."""
    out = dict(held)
    for g in forwarded:
        if g.origin not in out:
            continue
        if g.refused:
            del out[g.origin]
            continue
        seqs = {d.get("event_id"): d.get("station_seq") for d in g.items if isinstance(d, dict)}
        claimed = [seqs.get(a.event_id) for a in g.acks if a.code in _CONTRADICTED]
        bad = [q for q in claimed if isinstance(q, int) and not isinstance(q, bool)]
        if bad:
            out[g.origin] = max(0, min(out[g.origin], min(bad) - 1))
    return out


def relay_result(group: Group) -> RelayResult:
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
