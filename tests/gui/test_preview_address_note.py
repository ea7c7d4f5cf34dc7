"""The preview says in words when the typed address had to be shortened for the envelope
window, or does not fit it at all (the pages alone only show it cut off at the window)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from composer.gui.recipient_bar import CUSTOM

TIMEOUT = 20_000
LONG_STREET = "12345 Martin Luther King Junior Boulevard Northwest, Suite 1200"


def _type_address(qtbot: QtBot, window, lines: list[str]) -> None:
    """Type the address into the Address field, a line at a time, and wait for the preview."""
    field = window.recipient_bar.custom_address
    field.clear()
    field.setFocus()
    with qtbot.waitSignal(window.preview.updated, timeout=TIMEOUT):
        for number, line in enumerate(lines):
            if number:
                QTest.keyClick(field, Qt.Key.Key_Return)
            QTest.keyClicks(field, line)
    qtbot.waitUntil(lambda: not window.preview._jobs and not window._preview_timer.isActive())


def test_the_preview_says_when_the_address_is_shortened_or_does_not_fit(
    main_window, qtbot: QtBot
) -> None:
    window = main_window
    qtbot.waitUntil(lambda: window.is_complete, timeout=TIMEOUT)
    bar = window.recipient_bar
    bar.choice.setCurrentIndex(bar.choice.findData(CUSTOM))
    QTest.keyClicks(bar.custom_name, "The Honorable Pat Adams")
    note = window.preview.address_note

    # Fits as written: nothing is said.
    _type_address(qtbot, window, ["1 Main Street", "Seattle, WA 98174"])
    assert note.isHidden()

    # Fits only shortened by the Postal Service's rules: said, with the lines as printed.
    _type_address(qtbot, window, ["Senate Office Building", LONG_STREET, "Seattle, WA 98174"])
    qtbot.waitUntil(note.isVisible, timeout=TIMEOUT)
    assert "too long for the envelope window" in note.text()
    assert "Postal Service's abbreviations" in note.text()
    assert "Ste 1200 / 12345 Martin Luther King Junior Blvd NW / Seattle" in note.text()
    assert note.accessibleName() == ""  # a screen reader reads its text

    # Does not fit at all: said, with what to do.
    lines = [f"Line {n} of an address far too long for any window at all" for n in range(8)]
    _type_address(qtbot, window, lines)
    qtbot.waitUntil(lambda: "does not fit" in note.text(), timeout=TIMEOUT)
    assert note.isVisible()
    assert "Shorten the address" in note.text()

    # Shortened again by the user: the note goes away.
    _type_address(qtbot, window, ["1 Main Street", "Seattle, WA 98174"])
    qtbot.waitUntil(note.isHidden, timeout=TIMEOUT)
    assert note.text() == ""
