"""Server settings: one frozen dataclass built from CLI flags and environment variables.

Built only by the composition roots (``cli.main`` / tests), never at import time.
Environment: ``SUQIU_SERVER_DB`` (SQLAlchemy URL or a SQLite file path),
``SUQIU_SERVER_BLOBS`` (attachment directory), ``SUQIU_SERVER_KEYS`` (the keys folder:
the server's signing key and its upstream client key, never in the database),
``SUQIU_SERVER_HOST``, ``SUQIU_SERVER_PORT``,
``SUQIU_SERVER_MAX_BODY`` (bytes; lowers the 4 MiB cap on a compressed request body, e.g.
to match a reverse proxy in front: stations make their requests smaller on a 413).
``SUQIU_SERVER_API_DOCS`` (``1`` serves ``/docs``, ``/redoc`` and ``/openapi.json``; off by
default, so a production server does not describe its API to whoever asks).
``SUQIU_SERVER_METRICS_TOKEN`` (serves ``/metrics`` to requests bearing this token; unset:
no ``/metrics``).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from petition_core.protocol import MAX_COMPRESSED_BYTES, MAX_DECOMPRESSED_BYTES

from .store.db import normalize_url


def _default_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("suqiu-server"))


@dataclass(frozen=True)
class Settings:
    db_url: str
    blob_dir: Path
    host: str = "127.0.0.1"
    port: int = 8470
    max_body: int = MAX_COMPRESSED_BYTES
    max_decompressed: int = MAX_DECOMPRESSED_BYTES
    keys_dir: Path | None = None
    api_docs: bool = False      # serve /docs, /redoc, /openapi.json (development only)
    metrics_token: str = ""     # serve /metrics to a request bearing it (empty: no /metrics)

    @property
    def keys_path(self) -> Path:
        """The keys folder: as given, else ``keys/`` beside the blob folder."""
        return self.keys_dir if self.keys_dir is not None else self.blob_dir.parent / "keys"

    @classmethod
    def from_env(
        cls,
        *,
        db: str | None = None,
        blob_dir: str | None = None,
        keys_dir: str | None = None,
        host: str | None = None,
        port: int | None = None,
        api_docs: bool | None = None,
        env: dict[str, str] | None = None,
    ) -> Settings:
        """CLI flags win over the environment, which wins over platformdirs defaults."""
        env = dict(os.environ if env is None else env)
        db_url = db or env.get("SUQIU_SERVER_DB") or str(_default_data_dir() / "server.db")
        db_url = normalize_url(db_url)
        if db_url.startswith("sqlite:///"):
            Path(db_url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
        if blob_dir or env.get("SUQIU_SERVER_BLOBS"):
            blobs = Path(blob_dir or env["SUQIU_SERVER_BLOBS"])
        elif db_url.startswith("sqlite:///"):
            blobs = Path(db_url[len("sqlite:///"):]).parent / "blobs"
        else:
            blobs = _default_data_dir() / "blobs"
        if keys_dir or env.get("SUQIU_SERVER_KEYS"):
            keys = Path(keys_dir or env["SUQIU_SERVER_KEYS"])
        elif db_url.startswith("sqlite:///"):
            keys = Path(db_url[len("sqlite:///"):]).parent / "keys"
        else:
            keys = _default_data_dir() / "keys"
        max_body = env.get("SUQIU_SERVER_MAX_BODY", "")
        return cls(
            db_url=db_url,
            blob_dir=blobs,
            keys_dir=keys,
            host=host or env.get("SUQIU_SERVER_HOST", "127.0.0.1"),
            port=port or int(env.get("SUQIU_SERVER_PORT", "8470")),
            # lower only (e.g. to match a reverse proxy's limit); stations adapt to a 413
            max_body=min(int(max_body), MAX_COMPRESSED_BYTES) if max_body.isdigit()
            else MAX_COMPRESSED_BYTES,
            api_docs=bool(api_docs) or _truthy(env.get("SUQIU_SERVER_API_DOCS", "")),
            metrics_token=env.get("SUQIU_SERVER_METRICS_TOKEN", "").strip(),
        )


    def to_env(self) -> dict[str, str]:
        """The environment that :meth:`from_env` turns back into these settings (for the
        worker processes of ``serve --workers``)."""
        env = {"SUQIU_SERVER_DB": self.db_url, "SUQIU_SERVER_BLOBS": str(self.blob_dir),
               "SUQIU_SERVER_KEYS": str(self.keys_path), "SUQIU_SERVER_HOST": self.host,
               "SUQIU_SERVER_PORT": str(self.port), "SUQIU_SERVER_MAX_BODY": str(self.max_body),
               "SUQIU_SERVER_API_DOCS": "1" if self.api_docs else "0"}
        if self.metrics_token:
            env["SUQIU_SERVER_METRICS_TOKEN"] = self.metrics_token
        return env


def _truthy(value: str) -> bool:
    return value.strip().lower() in ("1", "true", "yes", "on")
