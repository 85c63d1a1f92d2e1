"""Fixtures for the pure-domain tests: the real data files and an event factory."""
from __future__ import annotations

import pytest
from core_helpers import EventFactory

from petition_core.clocks import WorkCalendar
from petition_core.divisions import DivisionTree


@pytest.fixture(scope="session")
def divisions() -> DivisionTree:
    return DivisionTree.load_default()


@pytest.fixture(scope="session")
def calendar() -> WorkCalendar:
    return WorkCalendar.load_default()


@pytest.fixture
def events() -> EventFactory:
    return EventFactory()
