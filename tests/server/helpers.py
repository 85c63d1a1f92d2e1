"""Test helpers: a minimal honest station client (real keys, real signatures, real zstd)
that works with both FastAPI's TestClient and an httpx.Client on a real uvicorn."""
from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, func, select

from petition_core.events import Event, EventType, make_payload
from petition_core.ids import uuid7
from petition_core.protocol import (
    encode_body,
    enroll_body,
    new_private_key,
    sign_request,
)
from sync_server.services.enrollment import create_code
from sync_server.store import models

VILLAGE_A = "530921108203"   # 洛党镇 鹿鸣村
VILLAGE_B = "530921108204"   # another village of 洛党镇
TOWNSHIP = "530921108000"    # 洛党镇
OTHER_TOWNSHIP = "530921109000"
COUNTY = "530921000000"      # 凤庆县


def registration(division: str, n: int = 1, **extra: Any) -> dict[str, Any]:
    """A 登记 payload the intake form accepts (received the same minute the helpers'
    events occur: 2026-11-28 09:00 +08:00)."""
    return {"division": division, "channel": "visit", "category": "land",
            "statute_type": "appeal", "received_at": "2026-11-28T09:00:00+08:00",
            "summary": f"诉求 {n}", "account": "经过。",
            "petitioner": {"name": "张三", "anonymous": False},
            **extra}


@dataclass
class Station:
    """A station as the server sees it.  ``station_id``, ``server_id``, ``epoch`` and
    ``station_no`` come from the enrollment answer (the server assigns them); before
    enrollment ``station_id`` is a placeholder that no server knows."""

    division: str
    name: str = "测试站"
    station_id: str = field(default_factory=uuid7)
    key: Any = field(default_factory=new_private_key)
    counter: int = 0
    seq: int = 0
    server_id: str = ""
    epoch: int = 0
    station_no: int | None = None
    enrolled: dict = field(default_factory=dict)
    unit: str | None = None          # the unit it was set up as (None: its division's centre)

    def headers(self, method: str, path: str, body: bytes, counter: int | None = None) -> dict:
        if counter is None:
            self.counter += 1
            counter = self.counter
        return sign_request(self.key, self.station_id, counter, method, path, body,
                            server_id=self.server_id, epoch=self.epoch)

    def enroll(self, client, code: str, *, old_key: Any = None,  # type: ignore[no-untyped-def]
               division: str | None = ""):
        """POST /v1/enroll; on success adopt what the server assigned.  ``old_key``:
        re-enroll this (already enrolled) station id, proven by that key's signature."""
        reenroll = None
        if old_key is not None:
            reenroll = (old_key, self.server_id, self.station_id, self.epoch)
        body = encode_body(enroll_body(code=code, key=self.key, name=self.name,
                                       division=self.division if division == "" else division,
                                       reenroll=reenroll, unit=self.unit))
        r = client.post("/v1/enroll", content=body, headers=sign_request(
            self.key, "", 0, "POST", "/v1/enroll", body, server_id="", epoch=0))
        if r.status_code == 200:
            self.adopt(r.json())
        return r

    def adopt(self, data: dict) -> None:
        self.enrolled = dict(data)
        self.station_id, self.server_id = data["station_id"], data["server_id"]
        self.epoch, self.station_no = data["epoch"], data["station_no"]
        self.counter = 0

    def post(self, client, path: str, obj: Any, **kw):  # type: ignore[no-untyped-def]
        body = encode_body(obj)
        return client.post(path, content=body, headers=self.headers("POST", path, body), **kw)

    def sync(self, client, events: list[Event] | list[dict] = (), *, cursor: int | None = 0,
             limit: int = 500, bundles: list[bytes] = (),
             own_through: int | None = None,
             compact: bool = False, relayed: list[tuple[bytes, bytes]] = (),
             held: dict[str, int] | None = None,
             register_cursor: int | None = None):  # type: ignore[no-untyped-def]
        wire = [e.to_wire() if isinstance(e, Event) else e for e in events]
        pull = None if cursor is None else {"cursor": cursor, "limit": limit}
        if pull is not None and own_through is not None:
            pull["own_through"] = own_through
        if pull is not None and register_cursor is not None:
            pull["register_cursor"] = register_cursor
        if pull is not None and held is not None:
            pull["held"] = held
        push = {"events": wire, "bundles": [base64.b64encode(b).decode() for b in bundles]}
        if relayed:
            push["relayed"] = [{"sig": base64.b64encode(sig).decode(), "body": body.decode()}
                               for sig, body in relayed]
        if compact:
            push["compact_acks"] = True
        return self.post(client, "/v1/sync", {"push": push, "pull": pull})

    def event(self, *, case_id: str | None = None, type: EventType = EventType.REGISTERED,
              route: str | None = None, data: dict | None = None,
              sealed: bytes | None = None) -> Event:
        """A valid event of ``type`` (what the station's services write): a registration
        routed to this station's division unless ``route`` says otherwise, with the
        intake form's required fields (``data`` adds to or replaces them); other types
        carry ``data`` (default: a note) and no route unless given."""
        self.seq += 1
        if route is None:
            route = self.division if type == EventType.REGISTERED else ""
        if type == EventType.REGISTERED:
            data = {**registration(route, self.seq), **(data or {})}
        elif data is None:
            data = {"note": f"办理情况 {self.seq}"}
        payload = sealed if sealed is not None else make_payload(data)
        return Event(
            event_id=uuid7(), case_id=case_id or uuid7(), station_id=self.station_id,
            station_seq=self.seq, type=type.value, lamport=self.seq, actor="duty",
            occurred_at="2026-11-28T09:00:00+08:00", payload=payload,
            payload_enc="sealed:x25519" if sealed is not None else "json",
            route=route,
        )

    def events(self, n: int, **kw: Any) -> list[Event]:
        return [self.event(**kw) for _ in range(n)]


def enrolled(client, engine: Engine, division: str, name: str = "测试站") -> Station:  # type: ignore[no-untyped-def]
    st = Station(division=division, name=name)
    r = st.enroll(client, create_code(engine, division=division))
    assert r.status_code == 200, r.text
    return st


def ident(client):  # type: ignore[no-untyped-def]
    """The server identity of the app behind a TestClient (its signing key)."""
    return client.app.state.ctx.ident


def count(engine: Engine, table_name: str) -> int:
    table = models.metadata.tables[table_name]
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar())


def counts(engine: Engine) -> dict[str, int]:
    return {t: count(engine, t) for t in models.metadata.tables}
