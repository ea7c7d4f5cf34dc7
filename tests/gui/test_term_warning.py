"""The window warns before printing, exporting or sending to members whose term is over."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from composer.core import congress as congress_module
from composer.core.directory import Directory
from composer.core.locations import Locations

TIMEOUT = 15_000


@contextmanager
def answering(button: str) -> Iterator[list[str]]:
    """Click `button` on every message box that comes up (others are closed); yields their texts."""
    seen: list[str] = []

    def poll() -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, QMessageBox):
            seen.append(f"{widget.objectName()}: {widget.text()}")
            for candidate in widget.buttons():
                if candidate.text() == button:
                    candidate.click()
                    return
            widget.reject()
        elif isinstance(widget, QDialog):
            seen.append(f"unexpected dialog: {type(widget).__name__}")
            widget.reject()

    timer = QTimer(interval=20)
    timer.timeout.connect(poll)
    timer.start()
    try:
        yield seen
    finally:
        timer.stop()


@pytest.fixture
def to_jayapal(qtbot: QtBot, main_window: object, locations: Locations) -> object:
    """The window with the letter addressed to Representative Jayapal's Seattle office."""
    window = main_window
    qtbot.waitUntil(lambda: window.is_complete, timeout=TIMEOUT)  # type: ignore[attr-defined]
    jayapal = Directory.for_locations(locations).resolve("J000298", "98105")
    window.addressing.use_recipients([jayapal])  # type: ignore[attr-defined]
    return window


# Opening Find My Officials raises it, which the offscreen platform cannot do.
@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_export_to_a_departed_member_warns_and_offers_to_find_officials_again(
    qtbot: QtBot, to_jayapal: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(congress_module, "current_date", lambda: dt.date(2027, 1, 10))
    out = tmp_path / "letter.pdf"

    with answering("Find Officials Again") as seen:
        to_jayapal.output.export_pdf(str(out))  # type: ignore[attr-defined]

    assert len(seen) == 1
    assert seen[0].startswith("term-warning: ")
    assert "Representative Pramila Jayapal ended on January 3, 2027" in seen[0]
    assert to_jayapal.output._jobs == []  # type: ignore[attr-defined]
    assert not out.exists()
    qtbot.waitUntil(to_jayapal.addressing.directory_dialog().isVisible, timeout=TIMEOUT)  # type: ignore[attr-defined]
    to_jayapal.addressing.directory_dialog().close()  # type: ignore[attr-defined]


# Opening Find My Officials raises it, which the offscreen platform cannot do.
@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_an_envelope_to_a_departed_member_warns_too(
    to_jayapal: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(congress_module, "current_date", lambda: dt.date(2027, 1, 10))
    with answering("Find Officials Again") as seen:
        to_jayapal.output.export_envelope_pdf(str(tmp_path / "envelope.pdf"))  # type: ignore[attr-defined]
    assert [text.split(":")[0] for text in seen] == ["term-warning"]
    to_jayapal.addressing.directory_dialog().close()  # type: ignore[attr-defined]


def test_no_term_warning_while_the_term_lasts(
    to_jayapal: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(congress_module, "current_date", lambda: dt.date(2026, 8, 1))
    with answering("Add a personal sentence") as seen:
        to_jayapal.output.export_pdf(str(tmp_path / "letter.pdf"))  # type: ignore[attr-defined]
    assert [text.split(":")[0] for text in seen] == ["coach-warning"]
