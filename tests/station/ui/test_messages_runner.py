"""Error texts cover every code the domain and the services can produce; the runner runs
work off the GUI thread and delivers results (or errors) on it."""
from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QObject

from petition_core.validation import ERROR_CODES, FieldError, ValidationErrors
from station_app.services import ServiceError
from station_app.ui.messages import (
    describe_exception,
    error_text,
    field_error_text,
    field_label,
    known_codes,
)
from station_app.ui.theme import urgency_text

ROOT = Path(__file__).resolve().parents[3]
_RAISE = re.compile(r"""(?:ServiceError|SyncError)\(\s*["']([a-z0-9_]+)["']""")


def _raised_codes() -> set[str]:
    codes: set[str] = set()
    for pkg in ("station_app/services", "station_app/sync"):
        for path in (ROOT / pkg).rglob("*.py"):
            codes |= set(_RAISE.findall(path.read_text(encoding="utf-8")))
    return codes


def test_every_validation_code_has_chinese_text():
    missing = sorted(set(ERROR_CODES) - known_codes())
    assert missing == []


def test_every_service_and_sync_code_has_chinese_text():
    codes = _raised_codes()
    assert "action_not_allowed" in codes          # the scan itself finds codes
    assert sorted(codes - known_codes()) == []


@pytest.mark.parametrize("code", sorted(ERROR_CODES))
def test_texts_are_chinese_sentences_without_raw_placeholders(ui_app, code):
    text = error_text(code, {"max": 5, "min": 1, "level": "村", "allowed": [],
                             "reply_date": "2026-04-01"})
    assert re.search(r"[\u4e00-\u9fff]", text)
    assert "{" not in text and code not in text


def test_params_and_fallbacks(ui_app):
    assert error_text("too_long", {"max": 100}) == "内容太长，最多 100 个字。"
    assert error_text("out_of_range", {"max": 5}) == "数值太大，最大 5。"
    assert error_text("out_of_range", {"min": 1, "max": 30}) == "数值超出范围（1–30）。"
    assert error_text("attachment_too_large",
                      {"max_bytes": 20 * 1024 * 1024}) == "文件太大，最多 20 MB。"
    unknown = error_text("made_up_code")
    assert "made_up_code" in unknown and "请重试" in unknown
    # a missing parameter stays visible, no crash
    assert error_text("too_long") == "内容太长，最多 {max} 个字。"


def test_field_labels_and_exception_descriptions(ui_app):
    assert field_label("group.representatives.2.name") == "代表姓名"
    assert field_label("petitioner.id_number") == "身份证号码"
    assert field_label("no.such") == "no.such"
    assert field_error_text("summary", "required") == "诉求摘要：此项必须填写。"
    exc = ValidationErrors([FieldError("petitioner.phone", "phone_invalid", {}),
                            FieldError("summary", "too_long", {"max": 100})])
    text = describe_exception(exc)
    assert text.splitlines() == [
        "联系电话：电话号码不对：手机为11位，座机请带区号（如 0883-1234567）。",
        "诉求摘要：内容太长，最多 100 个字。"]
    assert describe_exception(ServiceError("auth_failed")).startswith("用户名或密码不对")
    assert "软件内部出错" in describe_exception(KeyError("secret petitioner name"))
    assert "secret" not in describe_exception(KeyError("secret petitioner name"))


def test_urgency_words(ui_app):
    assert urgency_text("overdue", -3) == "逾期3天"
    assert urgency_text("near", 2) == "剩2天"
    assert urgency_text("near", 0) == "今天到期"
    assert urgency_text("done", None) == "已办结"
    assert urgency_text("ok", None) == "—"


def test_runner_runs_off_the_gui_thread_in_order(ui_runner, settle):
    gui = threading.get_ident()
    seen: list[tuple[int, int, int]] = []
    for i in range(5):
        ui_runner.submit(lambda i=i: (i, threading.get_ident()),
                         lambda r: seen.append((r[0], r[1], threading.get_ident())))
    assert ui_runner.is_busy()
    settle(ui_runner)
    assert [s[0] for s in seen] == [0, 1, 2, 3, 4]           # submission order kept
    assert all(worker != gui and cb == gui for _, worker, cb in seen)
    assert not ui_runner.is_busy()


def test_runner_delivers_errors_and_unhandled_errors(ui_runner, settle, qtbot):
    errors: list[BaseException] = []
    ui_runner.submit(lambda: 1 / 0, lambda r: errors.append(None), errors.append)
    settle(ui_runner)
    assert len(errors) == 1 and isinstance(errors[0], ZeroDivisionError)
    with qtbot.waitSignal(ui_runner.error, timeout=5000) as blocker:
        ui_runner.submit(lambda: (_ for _ in ()).throw(ServiceError("case_unknown")))
    assert blocker.args[0].code == "case_unknown"


def test_runner_skips_callbacks_of_deleted_owner(ui_runner, settle, qtbot):
    owner = QObject()
    got = []
    gate = threading.Event()
    ui_runner.submit(lambda: gate.wait(5) and "late", got.append, owner=owner)
    owner.deleteLater()
    qtbot.wait(10)                   # deletion happens; the task is still running
    gate.set()
    settle(ui_runner)
    assert got == []


def test_busy_signal(ui_runner, settle, qtbot):
    states: list[bool] = []
    ui_runner.busy_changed.connect(states.append)
    ui_runner.submit(lambda: None)
    ui_runner.submit(lambda: None)
    settle(ui_runner)
    assert states == [True, False]
