"""Work done off the GUI thread reports an unexpected error the same way everywhere.

Autosave, Find My Officials, the preview and the directory notice run their
work through :func:`composer.gui.background.run_task`: a fault nobody planned
for is shown as "Unexpected error while …" (never a silent stop or a worker
that dies), and its traceback goes to the log.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QThreadPool
from pytestqt.qtbot import QtBot

from composer.core.directory import Directory
from composer.core.drafts import DraftStore
from composer.core.letterfile import LetterDocument
from composer.core.locations import Locations
from composer.core.models import Letter, Sender
from composer.gui.autosave import Autosaver
from composer.gui.preview import PagePreview
from composer.gui.recipients_panel import RecipientsPanel
from composer.gui.term_check import show_directory_notice
from composer.printing.paper import paper

TIMEOUT = 10_000

TRY_AGAIN = " The details are in the log file; please try again."


@pytest.fixture
def pool() -> Iterator[QThreadPool]:
    made = QThreadPool()
    yield made
    made.waitForDone(TIMEOUT)


def broken(*_args: object, **_kwargs: object) -> None:
    raise KeyError("no such column")


def test_an_unexpected_autosave_error_is_reported_and_logged(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    store = DraftStore(tmp_path / "drafts.sqlite3")
    monkeypatch.setattr(store, "save", broken)
    letter = Letter(sender=Sender(name="Ana Ruiz"), body_html="<p>Please vote yes.</p>")
    owner = QObject()
    saver = Autosaver(store, lambda: LetterDocument(letter=letter), lambda: 0.01, owner)
    with caplog.at_level(logging.ERROR), qtbot.waitSignal(saver.failed, timeout=TIMEOUT) as failed:
        saver.changed()
    assert failed.args == [
        "Unexpected error while saving the letter: 'no such column'." + TRY_AGAIN,
        False,
    ]
    assert "saving the letter failed" in caplog.text and "KeyError" in caplog.text
    assert saver.failing and saver.unsaved  # tried again later; the text is not dropped
    saver.wait()


def test_an_unexpected_search_error_is_shown_in_the_panel_and_logged(
    qtbot: QtBot,
    tmp_path: Path,
    pool: QThreadPool,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    directory = Directory(tmp_path / "directory", today=lambda: dt.date(2026, 7, 1))
    monkeypatch.setattr(directory, "find_by_name", broken)
    panel = RecipientsPanel(directory, pool)
    qtbot.addWidget(panel)
    panel.show()
    with caplog.at_level(logging.ERROR), qtbot.waitSignal(panel.failed, timeout=TIMEOUT) as failed:
        panel.search("name", "Murray")
    message = "Unexpected error while searching the directory: 'no such column'." + TRY_AGAIN
    assert failed.args == [message]
    assert panel.error_label.text() == message and panel.error_label.isVisible()
    assert "searching the directory failed" in caplog.text and "KeyError" in caplog.text
    assert not panel.busy and panel.use_button.isEnabled()


def test_an_unexpected_preview_error_is_said_in_the_preview_and_logged(
    qtbot: QtBot, pool: QThreadPool, caplog: pytest.LogCaptureFixture
) -> None:
    preview = PagePreview(pool)
    qtbot.addWidget(preview)
    preview.show()
    with caplog.at_level(logging.ERROR):
        preview.show_rendering(broken, paper("letter"), False, immediately=True)  # type: ignore[arg-type]
        qtbot.waitUntil(preview.message.isVisible, timeout=TIMEOUT)
    assert preview.message.text() == (
        "Unexpected error while drawing the preview: 'no such column'." + TRY_AGAIN
    )
    assert "drawing the preview failed" in caplog.text and "KeyError" in caplog.text
    assert not preview._jobs


def test_the_directory_notice_answers_even_when_the_check_breaks(
    qtbot: QtBot,
    pool: QThreadPool,
    locations: Locations,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from PySide6.QtWidgets import QMainWindow

    window = QMainWindow()
    qtbot.addWidget(window)
    from composer.core import congress

    monkeypatch.setattr(congress, "directory_date", broken)
    seen: list[tuple[str, str]] = []
    with caplog.at_level(logging.WARNING):
        show_directory_notice(window, locations, pool, lambda *answer: seen.append(answer))
        qtbot.waitUntil(lambda: bool(seen), timeout=TIMEOUT)
    assert seen == [("", "")]
    assert "checking the directory's date failed" in caplog.text
    assert "directory's date could not be checked" in caplog.text
