"""Fixtures for widget tests: a main window on temporary folders."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from composer.core.campaigns import default_campaign
from composer.core.locations import Locations
from composer.core.models import Sender
from composer.core.profile import save_sender
from composer.core.settings import Settings


@pytest.fixture
def sender() -> Sender:
    return Sender(
        name="Ana Ruiz",
        street="12 Elm Street",
        city="Seattle",
        state="WA",
        postal_code="98105",
        email="ana@example.org",
    )


@pytest.fixture
def main_window(qtbot: QtBot, locations: Locations, sender: Sender) -> Iterator[object]:
    """The real main window with a saved sender profile, shown offscreen."""
    from composer.gui.mainwindow import MainWindow

    save_sender(locations.profile_file, sender)
    window = MainWindow(locations, Settings(paper="letter"), default_campaign())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.pool.waitForDone(5000)
