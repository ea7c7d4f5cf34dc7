"""The "Printed letters" dialog: the list of printed letters and "Mark as mailed"."""

from __future__ import annotations

import datetime as dt
import sqlite3

from PySide6.QtCore import QItemSelectionModel, QThreadPool
from pytestqt.qtbot import QtBot

from composer.core.locations import Locations
from composer.core.print_history import PrintHistory
from composer.gui.print_history_dialog import PrintHistoryDialog


def _history(locations: Locations) -> PrintHistory:
    moments = iter(dt.datetime(2026, 3, day, 9, 0, tzinfo=dt.UTC) for day in range(9, 20))
    history = PrintHistory(locations.database_file, clock=lambda: next(moments))
    for name in ("The President", "Sen. Jane Roe"):
        history.record(
            recipient_id=name.lower().replace(" ", "-"),
            recipient_name=name,
            subject="Please protect those who refuse to fight",
            paper="letter",
            pages=2,
            printer="Office",
        )
    return history


def _open(qtbot: QtBot, history: PrintHistory) -> PrintHistoryDialog:
    pool = QThreadPool()
    dialog = PrintHistoryDialog(history, pool)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.loaded, timeout=10_000) as blocker:
        dialog.show()
    assert blocker.args == [2]
    return dialog


def test_lists_printed_letters_newest_first(qtbot: QtBot, locations: Locations) -> None:
    history = _history(locations)
    dialog = _open(qtbot, history)
    table = dialog.table
    assert table.rowCount() == 2
    rows = [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(2)]
    assert rows[0][:2] == ["March 10, 2026", "Sen. Jane Roe"]
    assert rows[1][:2] == ["March 9, 2026", "The President"]
    assert [row[5] for row in rows] == ["not yet", "not yet"]
    assert dialog.status.text() == "2 printed letters; 2 not marked as mailed yet."
    assert not dialog.mark_button.isEnabled()


def test_mark_as_mailed_records_the_day_and_shows_it(qtbot: QtBot, locations: Locations) -> None:
    history = _history(locations)
    dialog = _open(qtbot, history)
    dialog.table.selectionModel().select(
        dialog.table.model().index(1, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    assert dialog.mark_button.isEnabled()
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        dialog.mark_button.click()
    president = next(r for r in history.records() if r.recipient_name == "The President")
    assert president.mailed
    assert president.status == "printed on March 9, 2026, mailed on March 11, 2026"
    assert dialog.table.item(1, 5).text() == "March 11, 2026"
    assert dialog.table.item(0, 5).text() == "not yet"
    assert dialog.status.text().endswith("1 not marked as mailed yet.")
    # A mailed letter cannot be marked twice.
    dialog.table.selectRow(1)
    assert not dialog.mark_button.isEnabled()


def test_an_unreadable_history_is_said_in_the_dialog(qtbot: QtBot, locations: Locations) -> None:
    locations.database_file.parent.mkdir(parents=True)
    locations.database_file.write_bytes(b"not a database at all, " * 200)
    dialog = PrintHistoryDialog(PrintHistory(locations.database_file), QThreadPool())
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.failed, timeout=10_000) as blocker:
        dialog.show()
    assert "damaged" in blocker.args[0]
    assert "damaged" in dialog.status.text()
    assert dialog.table.rowCount() == 0


class _BrokenHistory(PrintHistory):
    """A history whose reading fails in a way the store does not translate."""

    def records(self) -> list:  # type: ignore[override]
        raise sqlite3.InterfaceError("bad parameter or other API misuse")


def test_an_unexpected_error_is_reported_not_waited_for(
    qtbot: QtBot, locations: Locations, caplog
) -> None:
    """Any error of the background call ends the wait with a message (and a log entry)."""
    dialog = PrintHistoryDialog(_BrokenHistory(locations.database_file), QThreadPool())
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.failed, timeout=10_000) as blocker:
        dialog.show()
    assert "Unexpected error" in blocker.args[0] and "API misuse" in blocker.args[0]
    assert dialog.status.text() == blocker.args[0]
    assert "printed letters failed" in caplog.text
