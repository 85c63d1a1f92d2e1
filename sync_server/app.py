"""Composition root of the county server: ``create_app(settings)`` builds everything.

Nothing happens at import time; the engine, migrations and routers are wired here so
tests can build as many independent apps (SQLite or PostgreSQL) as they like.
"""
from __future__ import annotations

import logging

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from sqlalchemy import Engine
from starlette.exceptions import HTTPException as StarletteHTTPException

from petition_core.protocol import PROTOCOL_VERSION, ProtocolError

from .api import blobs as blobs_api
from .api import metrics as metrics_api
from .api import sync as sync_api
from .api.deps import ServerContext
from .api.wire import ClientGone, ZstdJSONResponse, error_response
from .services.identity import load_or_create
from .settings import Settings
from .store.db import make_engine, migrate_to_head

log = logging.getLogger(__name__)


def create_app(settings: Settings, *, engine: Engine | None = None,
               migrate: bool = True) -> FastAPI:
    """Build the FastAPI app on ``settings.db_url`` (or a given engine), migrated to head."""
    engine = engine or make_engine(settings.db_url)
    if migrate:
        migrate_to_head(engine)
    settings.blob_dir.mkdir(parents=True, exist_ok=True)
    identity = load_or_create(settings.keys_path, engine)
    app = FastAPI(
        title="诉求通 county sync server",
        version=f"protocol {PROTOCOL_VERSION}",
        description="Merges stations' event logs; see docs/PROTOCOL.md.",
        # the API's self-description only when asked for (Settings.api_docs): a county
        # server on a government network should not hand a map of itself to every scanner
        docs_url="/docs" if settings.api_docs else None,
        redoc_url="/redoc" if settings.api_docs else None,
        openapi_url="/openapi.json" if settings.api_docs else None,
    )
    app.state.ctx = ServerContext(settings=settings, engine=engine, identity=identity)
    app.include_router(sync_api.router)
    app.include_router(blobs_api.router)
    app.include_router(metrics_api.router)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, object]:
        return {"ok": True, "protocol": PROTOCOL_VERSION}

    @app.exception_handler(ProtocolError)
    async def _protocol_error(_request: Request, exc: ProtocolError) -> ZstdJSONResponse:
        return error_response(exc)

    @app.exception_handler(ClientGone)
    async def _client_gone(request: Request, exc: ClientGone) -> Response:
        # one line, no traceback: a line dropping mid-upload is routine; the client resends
        log.info("client went away mid-request: %s %s after %s bytes", request.method,
                 request.url.path, exc.args[0] if exc.args else "?")
        return Response(status_code=400)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_request: Request, exc: StarletteHTTPException) -> ZstdJSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "body_malformed")
        return error_response(ProtocolError(code, exc.status_code))

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_request: Request,
                                _exc: RequestValidationError) -> ZstdJSONResponse:
        return error_response(ProtocolError("body_malformed", 400))

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> ZstdJSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(ProtocolError("internal_error", 500))

    return app


def app_from_env() -> FastAPI:
    """The app of one worker process of ``suqiu-server serve --workers N``: settings from the
    environment the parent set; the parent already migrated the database and made the
    server's identity, so a worker only loads them."""
    return create_app(Settings.from_env(), migrate=False)
