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
from tests.helpers.smtp_server import Pki, SmtpTestServer, make_test_pki


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


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    """A test certificate authority and the server's certificates, for one test module."""
    return make_test_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def server(
    pki: Pki, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Iterator[SmtpTestServer]:
    """A STARTTLS + AUTH server on 127.0.0.1, trusted through SSL_CERT_FILE, that lets
    the test module's USER sign in with its PASSWORD; stopped after the test."""
    monkeypatch.setenv("SSL_CERT_FILE", str(pki.ca_file))
    users = {request.module.USER: request.module.PASSWORD}
    with SmtpTestServer(pki, users=users) as running:
        yield running
