"""Starting the program (``run_app``) with broken storage: it starts, says what happened, loses nothing.

Each case runs the real start-up path in this process, then — from the event
loop — reads the message above the letter, types a sentence, closes the window
and checks where the sentence went: to the drafts when they work, otherwise to
a file the user was offered to save it in.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from composer.core.letterfile import read_letter_file
from composer.core.locations import Locations
from composer.gui.letter_files import SAVE_AS
from tests.helpers.faults import damage_pages, fill_disk, immutable, tiny_tmpfs
from tests.helpers.letters import fill_drafts

SENTENCE = "A sentence that must not be lost."


@pytest.fixture(autouse=True)
def _guard_and_clean_logging(qapp) -> Iterator[None]:
    before = list(logging.getLogger().handlers)
    yield
    # run_app sets up the log file; do not let its handler outlive the test.
    for handler in logging.getLogger().handlers:
        if handler not in before:
            logging.getLogger().removeHandler(handler)
            with contextlib.suppress(OSError):  # a full disk cannot take the last lines
                handler.close()


@dataclass
class Seen:
    notices: dict[str, str] = field(default_factory=dict)
    state: str = ""
    asked: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


def quiet_settings(locations: Locations) -> None:
    try:
        locations.settings_file.parent.mkdir(parents=True, exist_ok=True)
        locations.settings_file.write_text(
            json.dumps({"version": 1, "settings": {"show_welcome": False, "autosave_seconds": 1}})
        )
    except OSError:
        pass  # an unwritable config folder is one of the cases


def start_type_and_close(locations: Locations, rescue: Path) -> tuple[int, Seen]:
    """Run the program; from its event loop, note the notices, type, and close the window."""
    from composer.gui.app import run_app
    from composer.gui.mainwindow import MainWindow

    seen = Seen()

    def act() -> None:
        window = next(
            (
                w
                for w in QApplication.topLevelWidgets()
                if isinstance(w, MainWindow) and w.isVisible()
            ),
            None,
        )
        if window is None or not window.is_complete:
            QTimer.singleShot(10, act)  # the panes come right after the frame's first paint
            return
        window.coach_panel.warn_before_output = False
        for key in ("storage", "recovery", "autosave"):
            bar = window.keeper.notice(key)
            if bar is not None:
                seen.notices[key] = bar.text()
        seen.state = window.keeper.state_label.text()
        window.editor.text.moveCursor(window.editor.text.textCursor().MoveOperation.End)
        QTest.keyClicks(window.editor.text, " " + SENTENCE)
        window.keeper.ask_unsaved = lambda doing: seen.asked.append(doing) or SAVE_AS
        window.keeper.files.choose_save_path = lambda suggested: rescue
        window.close()

    def answer_dialogs() -> None:
        # Other parts of the program (the outbox) may tell of the same trouble in a dialog.
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QMessageBox):
            seen.dialogs.append(dialog.text())
            dialog.reject()

    poller = QTimer(interval=50)
    poller.timeout.connect(answer_dialogs)
    poller.start()
    QTimer.singleShot(0, act)
    try:
        status = run_app(locations=locations)
    finally:
        poller.stop()
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow):
                widget.deleteLater()  # run_app leaves its window to the caller
    return status, seen


def drafts_hold_the_sentence(locations: Locations) -> bool:
    db = sqlite3.connect(locations.database_file)
    try:
        return any(SENTENCE in data for (data,) in db.execute("SELECT data FROM drafts_letters"))
    finally:
        db.close()


def test_a_damaged_database(tmp_path: Path) -> None:
    locations = Locations.under(tmp_path / "app")
    fill_drafts(locations.database_file, count=30)
    pages = locations.database_file.stat().st_size // 4096
    damage_pages(locations.database_file, first_page=pages // 2)
    quiet_settings(locations)
    status, seen = start_type_and_close(locations, tmp_path / "rescue.letter")
    assert status == 0
    [moved] = locations.data_dir.glob("letters.sqlite3.corrupt-*")
    assert str(moved) in seen.notices["storage"]
    assert "drafts could still be read" in seen.notices["storage"]
    assert drafts_hold_the_sentence(locations)
    assert seen.asked == []


def test_a_truncated_database(tmp_path: Path) -> None:
    locations = Locations.under(tmp_path / "app")
    fill_drafts(locations.database_file, count=10)
    data = locations.database_file.read_bytes()
    locations.database_file.write_bytes(data[: len(data) // 3])
    quiet_settings(locations)
    status, seen = start_type_and_close(locations, tmp_path / "rescue.letter")
    assert status == 0
    assert "was damaged" in seen.notices["storage"]
    assert drafts_hold_the_sentence(locations)


def test_a_file_in_place_of_the_data_folder(tmp_path: Path) -> None:
    root = tmp_path / "app"
    locations = Locations.under(root)
    quiet_settings(locations)
    root.joinpath("data").write_text("a file where the data folder should be")
    rescue = tmp_path / "rescue.letter"
    status, seen = start_type_and_close(locations, rescue)
    assert status == 0
    assert "a file is in the way" in seen.notices["storage"]
    assert seen.state == "Not saved automatically"
    assert seen.asked == ["close the window"]  # offered to save it elsewhere
    assert SENTENCE in read_letter_file(rescue).letter.body_html


def test_an_immutable_data_folder(tmp_path: Path) -> None:
    locations = Locations.under(tmp_path / "app")
    quiet_settings(locations)
    rescue = tmp_path / "rescue.letter"
    with immutable(locations.data_dir):
        status, seen = start_type_and_close(locations, rescue)
    assert status == 0
    assert "no permission" in seen.notices["storage"]
    assert SENTENCE in read_letter_file(rescue).letter.body_html


def test_an_unwritable_config_folder(tmp_path: Path) -> None:
    locations = Locations.under(tmp_path / "app")
    quiet_settings(locations)
    with immutable(locations.config_dir):
        status, seen = start_type_and_close(locations, tmp_path / "rescue.letter")
    assert status == 0
    assert "settings folder" in seen.notices["storage"]
    assert drafts_hold_the_sentence(locations)  # drafts are not affected


def test_a_full_disk(tmp_path: Path) -> None:
    rescue = tmp_path / "rescue.letter"
    with tiny_tmpfs(tmp_path / "disk", size="2m") as disk:
        locations = Locations(disk / "config", disk / "data", disk / "state", disk / "cache")
        quiet_settings(locations)
        fill_drafts(locations.database_file, count=2)
        fill_disk(disk)
        status, seen = start_type_and_close(locations, rescue)
    assert status == 0
    assert "the disk is full" in seen.notices["storage"]
    assert seen.asked == ["close the window"]
    assert SENTENCE in read_letter_file(rescue).letter.body_html
