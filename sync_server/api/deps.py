"""Dependencies: the server context (settings + engine) and the authenticated station."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from petition_core.protocol import H_COUNTER, H_SIGNATURE, H_STATION, ProtocolError

from ..services import auth
from ..services.identity import ServerIdentity
from ..services.public import PublicLimits
from ..services.ratelimit import FailureLimiter
from ..settings import Settings
from .wire import read_raw


@dataclass(frozen=True)
class ServerContext:
    settings: Settings
    engine: Engine
    enroll_limiter: FailureLimiter = field(default_factory=FailureLimiter)
    public_limits: PublicLimits = field(default_factory=PublicLimits)
    identity: ServerIdentity | None = None   # always set by create_app

    @property
    def ident(self) -> ServerIdentity:
        assert self.identity is not None, "create_app sets the server identity"
        return self.identity


def get_ctx(request: Request) -> ServerContext:
    return request.app.state.ctx


Ctx = Annotated[ServerContext, Depends(get_ctx)]


@dataclass(frozen=True)
class SignedRequest:
    station: auth.StationInfo
    raw: bytes


async def signed_request(request: Request, ctx: Ctx) -> SignedRequest:
    """Read the (capped) raw body and verify the station's signature over it.  Headers
    that cannot be a signed request are refused before the body is read."""
    if not request.headers.get(H_STATION) or not request.headers.get(H_SIGNATURE):
        raise ProtocolError("auth_missing", 401)
    auth.parse_counter(request.headers.get(H_COUNTER))
    raw = await read_raw(request, ctx.settings.max_body)
    station = await run_in_threadpool(
        auth.authenticate, ctx.engine,
        station_id=request.headers.get(H_STATION),
        counter_text=request.headers.get(H_COUNTER),
        signature=request.headers.get(H_SIGNATURE),
        method=request.method, path=request.url.path, body=raw,
        server_id=ctx.ident.server_id,
    )
    return SignedRequest(station, raw)


Signed = Annotated[SignedRequest, Depends(signed_request)]
