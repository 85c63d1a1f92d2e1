"""Look and feel: one stylesheet, a large-font mode, and the urgency colours and words.

Why a template: Qt stylesheets fix font sizes in points, so scaling the application font
alone would not reach styled widgets.  The QSS in petition_core/resources/styles/ carries
size tokens that are filled here; large-font mode (大字模式) multiplies every size by 1.35
and re-applies.

Urgency is never colour alone (colour-blind clerks, faded screens): every place that colours
a deadline also shows words such as "逾期3天" or "剩2天" from :func:`urgency_text`.
"""
from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QApplication

from petition_core.resources import resource_path

from .i18n import QT_TRANSLATE_NOOP

log = logging.getLogger(__name__)

FONT_FAMILY = "Noto Sans CJK SC"
MONO_FAMILY = "Noto Sans Mono CJK SC"   # codes on printed documents: 5/S, 8/B apart
FONT_FALLBACKS = ["Noto Sans CJK SC", "Microsoft YaHei", "SimHei", "WenQuanYi Micro Hei",
                  "PingFang SC", "Source Han Sans SC", "sans-serif"]
BASE_PT = 10.5
LARGE_SCALE = 1.35

# urgency -> (text colour, background colour)
URGENCY_COLORS: dict[str, tuple[str, str]] = {
    "overdue": ("#b71c1c", "#fde8e8"),
    "near": ("#8a5300", "#fff3dc"),
    "ok": ("#1f2933", "#ffffff"),
    "done": ("#52606d", "#ffffff"),
}

_CTX = "Theme"
_OVERDUE = QT_TRANSLATE_NOOP("Theme", "逾期{n}天")
_DUE_TODAY = QT_TRANSLATE_NOOP("Theme", "今天到期")
_LEFT = QT_TRANSLATE_NOOP("Theme", "剩{n}天")
_DONE = QT_TRANSLATE_NOOP("Theme", "已办结")
_DONE_LATE = QT_TRANSLATE_NOOP("Theme", "超期办结")
_NO_DUE = QT_TRANSLATE_NOOP("Theme", "—")


def base_point_size(large: bool) -> float:
    return round(BASE_PT * (LARGE_SCALE if large else 1.0), 1)


def indicator_px(large: bool) -> int:
    """Check box / radio button size: as tall as a capital letter and a bit (a point is 4/3
    of a pixel at 96 dpi), so large-font mode does not leave tiny boxes next to big text."""
    return round(base_point_size(large) * 4 / 3)


def make_font(large: bool = False) -> QFont:
    """The application font: Noto Sans CJK SC set explicitly, with Windows fallbacks."""
    font = QFont(FONT_FAMILY)
    font.setFamilies(FONT_FALLBACKS)
    font.setPointSizeF(base_point_size(large))
    font.setStyleStrategy(QFont.StyleStrategy.PreferAntialias)
    return font


def stylesheet(large: bool = False) -> str:
    """The station QSS with its size tokens filled for normal or large-font mode."""
    path = resource_path("styles", "station.qss")
    try:
        template = path.read_text(encoding="utf-8")
    except OSError:
        log.warning("stylesheet missing at %s; using Qt defaults", path)
        return ""
    base = base_point_size(large)
    sizes = {"@BASE@": base, "@SMALL@": round(base * 0.9, 1), "@TITLE@": round(base * 1.5, 1),
             "@HUGE@": round(base * 2.4, 1), "@INDICATOR@": indicator_px(large)}
    for token, value in sizes.items():
        template = template.replace(token, f"{value:g}")
    return template


def apply_theme(app: QApplication, large: bool = False) -> None:
    """Set font and stylesheet on the whole application (call again to switch modes).

    Re-applying an unchanged stylesheet re-polishes every widget (slow on an old PC), so an
    unchanged mode is a no-op."""
    qss = stylesheet(large)
    font = make_font(large)
    if app.styleSheet() == qss and app.font() == font:
        return
    app.setFont(font)
    app.setStyleSheet(qss)
    app.setProperty("suqiu_large_font", large)


def is_large(app: QCoreApplication | None = None) -> bool:
    app = app or QApplication.instance()
    return bool(app and app.property("suqiu_large_font"))


def urgency_text(urgency: str, days_left: int | None) -> str:
    """Words that go with the colour: 逾期3天 / 今天到期 / 剩2天 / 已办结."""
    tr = QCoreApplication.translate
    if urgency == "done":
        return tr(_CTX, _DONE)
    if urgency == "done_late":
        return tr(_CTX, _DONE_LATE)
    if days_left is None:
        return tr(_CTX, _NO_DUE)
    if days_left < 0:
        return tr(_CTX, _OVERDUE).format(n=-days_left)
    if days_left == 0:
        return tr(_CTX, _DUE_TODAY)
    return tr(_CTX, _LEFT).format(n=days_left)


def urgency_colors(urgency: str) -> tuple[QColor, QColor]:
    fg, bg = URGENCY_COLORS.get(urgency, URGENCY_COLORS["ok"])
    return QColor(fg), QColor(bg)


def clock_urgency(state: str) -> str:
    """petition_core clock states (done/done_late/ok/near/overdue) → row urgency."""
    return {"done": "done", "done_late": "done_late", "near": "near",
            "overdue": "overdue"}.get(state, "ok")
