"""The public progress page and its JSON twin (issue 9 item 10; docs/PROTOCOL.md "Public").

* ``GET /public/progress`` — a plain Chinese form (case number + query code), usable on a
  phone, no JavaScript; ``POST /public/progress`` (the form, urlencoded) answers with the
  same page showing the steps, or a neutral refusal.
* ``POST /public/v1/progress`` — JSON ``{"case_no": ..., "code": ...}`` → ``{"case_no",
  "status", "status_label", "steps": [{"step", "label", "date", "level"}]}``; refusals are
  ``{"error": "progress_not_found"}`` (404) or ``progress_rate_limited`` (429, Retry-After).

Plain JSON (not the sync protocol's zstd), no station signature, no cookies; every answer
carries a strict Content-Security-Policy and ``Cache-Control: no-store``.  Nothing about
the asker is logged.
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.concurrency import run_in_threadpool

from petition_core.protocol import ProtocolError

from ..services import public
from .deps import Ctx
from .wire import read_raw

router = APIRouter()

MAX_BODY = 2048     # a case number and a code: anything bigger is not a person typing

_STYLE = """
body{font-family:"Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;font-size:20px;
line-height:1.6;margin:0;padding:16px;max-width:36em;color:#111;background:#fff}
h1{font-size:26px;margin:0 0 12px}
label{display:block;margin:14px 0 4px;font-weight:bold}
input{font-size:22px;width:100%;box-sizing:border-box;padding:10px;border:2px solid #555;
border-radius:6px}
button{font-size:22px;width:100%;margin-top:18px;padding:12px;border:0;border-radius:6px;
background:#0a58ca;color:#fff}
.hint{color:#444;font-size:17px}
.refusal{border:2px solid #b02a37;padding:10px;border-radius:6px;margin:14px 0}
.result{border:2px solid #198754;padding:10px;border-radius:6px;margin:14px 0}
ol{padding-left:1.4em}li{margin:6px 0}
"""
_STYLE_HASH = base64.b64encode(hashlib.sha256(_STYLE.encode("utf-8")).digest()).decode()
CSP = ("default-src 'none'; style-src 'sha256-" + _STYLE_HASH + "'; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")
HEADERS = {
    "Content-Security-Policy": CSP,
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}

REFUSAL_TEXT = "没有查到。请核对回执上的案件编号和查询码后再试。"


def _limited_text(retry_after: int) -> str:
    minutes = max(1, (retry_after + 59) // 60)
    return f"查询错误次数太多，请 {minutes} 分钟后再试。"


async def _read_body(request: Request) -> bytes:
    return await read_raw(request, MAX_BODY)


def _page(*, case_no: str = "", message: str = "", result: public.Progress | None = None) -> str:
    e = html.escape
    parts = [
        "<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        "<meta name='referrer' content='no-referrer'>",
        "<title>诉求办理进度查询</title><style>", _STYLE, "</style></head><body>",
        "<h1>诉求办理进度查询</h1>",
    ]
    if result is not None:
        parts.append(f"<div class='result' id='result'><p>案件编号：{e(result.case_no)}</p>"
                     f"<p>当前状态：<strong id='status'>{e(result.status_label)}</strong></p>"
                     "<ol id='steps'>")
        for s in result.steps:
            where = f"（至{e(s.level)}级）" if s.level else ""
            parts.append(f"<li><span class='date'>{e(s.date or '日期不详')}</span> "
                         f"<span class='step'>{e(s.label)}</span>{where}</li>")
        parts.append("</ol></div>")
    elif message:
        parts.append(f"<div class='refusal' id='refusal' role='alert'>{e(message)}</div>")
    parts += [
        "<form method='post' action='/public/progress'>",
        "<label for='case_no'>案件编号</label>",
        f"<input id='case_no' name='case_no' value='{e(case_no, quote=True)}' "
        "autocomplete='off' inputmode='text' required maxlength='40' "
        "placeholder='例如 530921108203-2026-0007'>",
        "<label for='code'>查询码（6位）</label>",
        "<input id='code' name='code' autocomplete='off' required maxlength='12' "
        "autocapitalize='characters' placeholder='回执上的查询码'>",
        "<button type='submit'>查询</button></form>",
        "<p class='hint'>案件编号和查询码印在登记时给您的回执上。本页只显示办理步骤和日期，"
        "不显示个人信息和诉求内容。查不到或有疑问，请联系为您登记的村（社区）或乡镇。</p>",
        "</body></html>",
    ]
    return "".join(parts)


def _html(content: str, status: int = 200, extra: dict[str, str] | None = None) -> HTMLResponse:
    return HTMLResponse(content, status_code=status, headers={**HEADERS, **(extra or {})})


def _json(content: Any, status: int = 200, extra: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(content, status_code=status, headers={**HEADERS, **(extra or {})})


async def _lookup(request: Request, ctx: Any, case_no: object, code: object) -> public.Progress:
    host = request.client.host if request.client is not None else None
    return await run_in_threadpool(public.lookup, ctx.engine, ctx.public_limits,
                                   client_host=host, case_no=case_no, code=code)


def _retry_after(exc: ProtocolError) -> int:
    detail = exc.detail if isinstance(exc.detail, dict) else {}
    value = detail.get("retry_after", 60)
    return value if isinstance(value, int) else 60


@router.get("/public/progress", include_in_schema=False)
def progress_form() -> Response:
    return _html(_page())


@router.post("/public/progress", include_in_schema=False)
async def progress_page(request: Request, ctx: Ctx) -> Response:
    try:
        body = await _read_body(request)
    except ProtocolError:
        return _html(_page(message=REFUSAL_TEXT), 413)
    try:
        form = parse_qs(body.decode("utf-8", "replace"), max_num_fields=4)
    except ValueError:          # more fields than the form has: not a person's browser
        form = {}
    case_no = (form.get("case_no") or [""])[0]
    code = (form.get("code") or [""])[0]
    try:
        result = await _lookup(request, ctx, case_no, code)
    except ProtocolError as exc:
        if exc.code == public.RATE_LIMITED:
            wait = _retry_after(exc)
            return _html(_page(case_no=case_no[:40], message=_limited_text(wait)), 429,
                         {"Retry-After": str(wait)})
        return _html(_page(case_no=case_no[:40], message=REFUSAL_TEXT), 404)
    return _html(_page(case_no=result.case_no, result=result))


@router.post("/public/v1/progress", include_in_schema=False)
async def progress_json(request: Request, ctx: Ctx) -> Response:
    try:
        body = await _read_body(request)
        data = json.loads(body.decode("utf-8"))
    except ProtocolError as exc:
        return _json({"error": exc.code}, exc.status)
    except (ValueError, UnicodeDecodeError):
        return _json({"error": "body_malformed"}, 400)
    if not isinstance(data, dict):
        return _json({"error": "body_malformed"}, 400)
    try:
        result = await _lookup(request, ctx, data.get("case_no"), data.get("code"))
    except ProtocolError as exc:
        extra = {"Retry-After": str(_retry_after(exc))} if exc.status == 429 else None
        return _json({"error": exc.code}, exc.status, extra)
    return _json(result.to_json())
