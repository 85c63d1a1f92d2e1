"""The station's PySide6 user interface.

Screens talk only to ``station_app.services`` (plain dataclasses), always through the one
background runner (:mod:`station_app.ui.runner`).  The composition root is
``station_app.app``; nothing here builds services or reads settings at import time.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the UI only needs these for type hints
    from station_app.services import Operator, StationInfo, StationServices

    from .i18n import UiPrefs
    from .runner import Runner


@dataclass
class UiContext:
    """What every screen gets: the services handle, the one runner, who is logged in,
    which station this is, and the per-PC preferences.  Built by the composition root."""

    services: StationServices
    runner: Runner
    operator: Operator
    station: StationInfo
    prefs: UiPrefs
