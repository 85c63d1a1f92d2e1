"""``GET /metrics`` (the figures: services/metrics.py).  Served only when
``SUQIU_SERVER_METRICS_TOKEN`` is set, and then only to a request that carries it
(``Authorization: Bearer <token>``, compared in constant time); without the setting the path
answers 404 like any unknown path."""
from __future__ import annotations

import hmac

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

from ..services.metrics import DatabaseCollector

router = APIRouter()


@router.get("/metrics", include_in_schema=False)
def metrics(request: Request) -> Response:
    ctx = request.app.state.ctx
    token = ctx.settings.metrics_token
    given = request.headers.get("authorization", "")
    if not token:
        return Response(status_code=404)
    if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return Response(status_code=401, headers={"WWW-Authenticate": "Bearer"})
    registry = CollectorRegistry(auto_describe=False)
    registry.register(DatabaseCollector(ctx.engine))
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
