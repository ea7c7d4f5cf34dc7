"""Find My Officials on a fresh profile with no network: the bundled directory answers."""

from __future__ import annotations

import datetime as dt
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThreadPool
from pytestqt.qtbot import QtBot

from composer.core.directory import Directory, urls_under
from composer.core.locations import Locations
from composer.gui.recipients_panel import RecipientsPanel

SEATTLE = ["C000127", "M001111", "J000298"]
TIMEOUT = 15_000


@pytest.fixture
def pool() -> Iterator[QThreadPool]:
    """A private thread pool, drained after each test so no worker outlives it."""
    pool = QThreadPool()
    yield pool
    pool.waitForDone(30_000)


def checked_ids(panel: RecipientsPanel) -> list[str]:
    return [
        official.id
        for item, official, _ in panel.rows()
        if item.checkState(0) == Qt.CheckState.Checked
    ]


def test_the_window_finds_the_officials_of_a_fresh_profile(
    qtbot: QtBot, main_window: object, locations: Locations
) -> None:
    window = main_window
    qtbot.waitUntil(lambda: window.is_complete, timeout=TIMEOUT)  # type: ignore[attr-defined]
    dialog = window.addressing.directory_dialog()  # type: ignore[attr-defined]
    qtbot.addWidget(dialog)
    dialog.show()
    panel = dialog.panel

    assert "bundled with the program" in panel.date_label.text()
    assert "June 10, 2026" in panel.date_label.text()
    assert panel.query.text() == "98105"  # from the sender profile
    with qtbot.waitSignal(panel.results_shown, timeout=TIMEOUT):
        panel.run_search()

    assert checked_ids(panel) == SEATTLE
    assert not Directory.for_locations(locations).path.exists()


def test_after_the_election_the_panel_says_when_to_update(
    qtbot: QtBot, tmp_path: Path, pool: QThreadPool
) -> None:
    directory = Directory(tmp_path / "none", lambda: dt.date(2026, 12, 3), bundled=True)
    panel = RecipientsPanel(directory, pool)
    qtbot.addWidget(panel)
    panel.show()

    assert panel.stale_box.isVisible()
    assert "update the directory after January 3, 2027" in panel.stale_label.text()
    assert panel.update_action.isEnabled()


def test_a_failed_update_names_the_data_that_stays_in_use(
    qtbot: QtBot, tmp_path: Path, pool: QThreadPool
) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        base = f"http://127.0.0.1:{probe.getsockname()[1]}"  # nothing listens here
    directory = Directory(tmp_path / "none", lambda: dt.date(2026, 12, 3), bundled=True)
    panel = RecipientsPanel(directory, pool, urls=urls_under(base))
    qtbot.addWidget(panel)
    panel.show()

    panel.update_action.trigger()

    qtbot.waitUntil(panel.error_label.isVisible, timeout=TIMEOUT)
    message = panel.error_label.text()
    assert "refused the connection" in message
    assert "the data of June 10, 2026 (bundled with the program) stays in use" in message
    assert "Errno" not in message
    assert directory.uses_bundled


def test_the_about_box_credits_the_directory_data(qtbot: QtBot, main_window: object) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    seen: list[str] = []

    def close_box() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            box.accept()

    timer = QTimer(interval=20)
    timer.timeout.connect(close_box)
    timer.start()
    try:
        main_window.preferences.about()  # type: ignore[attr-defined]
    finally:
        timer.stop()
    assert "congress-legislators" in seen[0]
    assert "public domain" in seen[0]


@pytest.fixture
def december(monkeypatch: pytest.MonkeyPatch) -> None:
    """The clock a month after the 2026 election, before the window is made."""
    from composer.core import congress as congress_module

    monkeypatch.setattr(congress_module, "current_date", lambda: dt.date(2026, 12, 3))


@pytest.fixture
def summer(monkeypatch: pytest.MonkeyPatch) -> None:
    """The clock in the summer before the election, before the window is made."""
    from composer.core import congress as congress_module

    monkeypatch.setattr(congress_module, "current_date", lambda: dt.date(2026, 8, 1))


def notice_buttons(window: object) -> list[object]:
    from PySide6.QtWidgets import QPushButton

    return window.statusBar().findChildren(QPushButton, "directory-notice")  # type: ignore[attr-defined]


# Opening Find My Officials raises it, which the offscreen platform cannot do.
@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_after_the_election_the_window_offers_the_update(
    qtbot: QtBot, december: None, main_window: object
) -> None:
    qtbot.waitUntil(lambda: bool(notice_buttons(main_window)), timeout=TIMEOUT)
    (button,) = notice_buttons(main_window)
    assert button.text() == "Directory: update after January 3, 2027"  # type: ignore[attr-defined]
    assert "120th Congress" in button.toolTip()  # type: ignore[attr-defined]

    button.click()  # type: ignore[attr-defined]

    dialog = main_window.addressing.directory_dialog()  # type: ignore[attr-defined]
    qtbot.waitUntil(dialog.isVisible, timeout=TIMEOUT)
    assert "after January 3, 2027" in dialog.panel.stale_label.text()
    dialog.close()


@pytest.fixture
def compressed_copy(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """The bundled copy not yet decompressed in this process, before the window is made."""
    from composer.core import directory as directory_module

    cache: dict[str, object] = {}
    monkeypatch.setattr(directory_module, "_bundled_cache", cache)
    return cache


def test_the_windows_date_check_leaves_the_bundled_copy_compressed(
    qtbot: QtBot, december: None, compressed_copy: dict[str, object], main_window: object
) -> None:
    """The date comes from the description beside the copy; the copy opens on first real use."""
    qtbot.waitUntil(lambda: bool(notice_buttons(main_window)), timeout=TIMEOUT)

    assert compressed_copy == {}
    (button,) = notice_buttons(main_window)
    assert button.text() == "Directory: update after January 3, 2027"  # type: ignore[attr-defined]


def test_before_the_election_the_window_says_nothing(
    qtbot: QtBot, summer: None, main_window: object, locations: Locations
) -> None:
    from PySide6.QtCore import QCoreApplication

    from composer.gui.term_check import show_directory_notice

    qtbot.waitUntil(lambda: main_window.is_complete, timeout=TIMEOUT)  # type: ignore[attr-defined]
    seen: list[tuple[str, str]] = []
    show_directory_notice(
        main_window,  # type: ignore[arg-type]
        locations,
        main_window.pool,  # type: ignore[attr-defined]
        lambda label, text: seen.append((label, text)),
    )
    # The check runs on the pool; its answer (and the window's own) arrives as a queued signal.
    main_window.pool.waitForDone(TIMEOUT)  # type: ignore[attr-defined]
    QCoreApplication.processEvents()

    assert seen == [("", "")]
    assert notice_buttons(main_window) == []
