"""A window opening on the letter it closed with shows its pages from the record of the
last render; the first change renders as always, and the preview follows it."""

from __future__ import annotations

import json
from pathlib import Path

from pytestqt.qtbot import QtBot

from composer.core.campaigns import default_campaign
from composer.core.locations import Locations
from composer.core.render_memo import MEMO_FILE
from composer.core.settings import Settings
from composer.gui.mainwindow import MainWindow
from tests.helpers.pdf import squash


def _window(qtbot: QtBot, locations: Locations) -> MainWindow:
    window = MainWindow(locations, Settings(paper="letter"), default_campaign())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.preview.shown_letter is not None, timeout=15000)
    return window


def _rendered_once(qtbot: QtBot, window: MainWindow, locations: Locations) -> Path:
    """Wait until `window` has shown its letter and kept the record; returns the record."""
    path = locations.cache_dir / MEMO_FILE
    qtbot.waitUntil(lambda: window.preview.shown_letter is not None, timeout=15000)
    qtbot.waitUntil(path.exists, timeout=5000)
    window.pool.waitForDone(5000)
    return path


def test_the_same_letter_opens_from_the_record_and_the_first_change_renders(
    qtbot: QtBot, main_window: MainWindow, locations: Locations
) -> None:
    first = main_window
    _rendered_once(qtbot, first, locations)
    shown = first.preview.shown_letter
    first.close()

    again = _window(qtbot, locations)

    assert again.preview.shown_letter == shown
    assert again.preview.page_count >= 1
    assert not again.output.has_renderer()  # the pages came from the record

    cursor = again.editor.text.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    cursor.insertText(" I can vouch for a family who fled in 2022.")
    qtbot.waitUntil(
        lambda: (
            "I can vouch for a family who fled in 2022." in squash(again.preview.shown_letter.text)
        ),
        timeout=15000,
    )
    assert again.output.has_renderer()
    again.pool.waitForDone(5000)


def test_a_record_of_another_letter_is_not_shown(
    qtbot: QtBot, main_window: MainWindow, locations: Locations
) -> None:
    first = main_window
    path = _rendered_once(qtbot, first, locations)
    record = json.loads(path.read_text(encoding="utf-8"))
    # A record made for another letter (here, another subject) with other text in it.
    assert "subject='" in record["key"]
    record["key"] = record["key"].replace("subject='", "subject='Another ", 1)
    record["text"] = record["text"].replace("Dear", "NOT THIS")
    path.write_text(json.dumps(record), encoding="utf-8")
    first.close()

    again = _window(qtbot, locations)

    assert "NOT THIS" not in again.preview.shown_letter.text
    assert "Dear" in again.preview.shown_letter.text
    assert again.output.has_renderer()  # rendered afresh
    again.pool.waitForDone(5000)
