"""Automatic paper follows the sender's country, never the interface's language."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox

from composer.core.campaigns import default_campaign
from composer.core.locations import Locations
from composer.core.models import Sender
from composer.core.profile import save_sender
from composer.core.settings import Settings
from composer.gui.settings_dialog import SettingsDialog
from composer.printing.envelope import ENVELOPE_10_SPEC, ENVELOPE_DL_SPEC, envelope_for_paper

US_SENDER = Sender(
    name="Ana Ruiz",
    street="12 Elm Street",
    city="Columbus",
    state="OH",
    postal_code="43215",
    country="USA",
)


@pytest.fixture
def russian_desktop(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    monkeypatch.setenv("LC_ALL", "ru_RU.UTF-8")
    monkeypatch.delenv("LC_PAPER", raising=False)


def _window(qtbot, locations: Locations, sender: Sender):
    from composer.gui.mainwindow import MainWindow

    save_sender(locations.profile_file, sender)
    window = MainWindow(locations, Settings(paper="auto"), default_campaign())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_a_us_profile_on_a_russian_desktop_prints_on_us_letter(
    russian_desktop: None, qtbot, locations: Locations
) -> None:
    window = _window(qtbot, locations, US_SENDER)
    try:
        assert window.paper == "letter"
        assert window.paper_choice.currentData() == "letter"
        assert envelope_for_paper(window.paper) is ENVELOPE_10_SPEC
        assert window.settings.paper == "auto"  # still automatic, not pinned to Letter

        # The settings dialog says where the size comes from.
        window.preferences.edit_settings()
        dialog = window.findChild(SettingsDialog)
        qtbot.waitExposed(dialog)
        auto = dialog.paper.itemText(dialog.paper.findData("auto"))
        assert auto == "Automatic: US Letter, from the country in your sender profile (USA)"
        with qtbot.waitSignal(dialog.finished):
            QTest.keyClick(dialog, Qt.Key.Key_Escape)

        # A profile that moves to Germany takes A4 and the DL window with it.
        window.sender_profile = Sender(
            name="Anna Schmidt",
            street="Invalidenstraße 12",
            city="Berlin",
            postal_code="10115",
            country="Germany",
        )
        window.preferences.follow_country()
        assert window.paper == "a4"
        assert envelope_for_paper(window.paper) is ENVELOPE_DL_SPEC
        assert window.settings.paper == "auto"
    finally:
        window.pool.waitForDone(5000)


def test_a_profile_without_country_uses_the_system_paper_setting(
    russian_desktop: None, monkeypatch: pytest.MonkeyPatch, qtbot, locations: Locations
) -> None:
    monkeypatch.setenv("LC_PAPER", "de_DE.UTF-8")
    sender = Sender(name="Ana Ruiz", street="12 Elm Street", city="Seattle", state="WA")
    window = _window(qtbot, locations, sender)
    try:
        assert window.paper == "a4"
        dialog = SettingsDialog(window.settings, ["en_US"], country="")
        qtbot.addWidget(dialog)
        assert dialog.paper.currentText() == "Automatic: A4, from your system's paper setting"
        assert dialog.findChild(QDialogButtonBox) is not None
    finally:
        window.pool.waitForDone(5000)
