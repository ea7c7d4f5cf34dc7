"""The "Printed letters" dialog: what was printed when, and which letters are mailed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, QLocale, Qt, QThreadPool, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from composer import i18n
from composer.core.fileio import StorageError
from composer.core.models import format_date
from composer.core.print_history import PrintHistory, PrintHistoryError, PrintRecord
from composer.gui.background import run_task
from composer.i18n import N_, _, current_language, ngettext

COLUMNS = (N_("Printed"), N_("Recipient"), N_("Subject"), N_("Pages"), N_("Printer"), N_("Mailed"))


def _day(date: dt.date) -> str:
    """A day as the interface's language writes it: "March 3, 2025", "3 марта 2025"."""
    if current_language() == "en":
        return format_date(date)
    return QLocale(current_language()).toString(
        QDate(date.year, date.month, date.day), "d MMMM yyyy"
    )


class PrintHistoryDialog(QDialog):
    """Lists printed letters, newest first, and marks the chosen ones mailed.

    Args:
        history: the print-history store.
        pool: where the database work runs.
        parent: the owning window.

    Signals:
        loaded(int): the list was (re)loaded with this many letters.
        failed(str): the history could not be read or written.
    """

    loaded = Signal(int)
    failed = Signal(str)

    def __init__(
        self, history: PrintHistory, pool: QThreadPool | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.history = history
        self.pool = pool or QThreadPool.globalInstance()
        self.records: list[PrintRecord] = []
        self._tasks = 0  # history calls not answered yet
        self.setWindowTitle(_("Printed Letters"))
        self.resize(820, 420)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([i18n._(column) for column in COLUMNS])
        self.table.setAccessibleName(_("Printed letters"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.status = QLabel(_("Loading…"))
        self.status.setWordWrap(True)
        self.mark_button = QPushButton(_("Mark as &Mailed"))
        self.mark_button.setToolTip(_("Note that the chosen letters are in the post"))
        self.mark_button.setEnabled(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.mark_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)

        self.mark_button.clicked.connect(self.mark_selected_mailed)
        self.table.itemSelectionChanged.connect(self._update_button)
        self.reload()

    def _start(self, call: Callable[[], Any], done: Callable[[Any], None]) -> None:
        self._tasks += 1

        def finish(result: Any) -> None:
            self._tasks -= 1
            done(result)

        def fail(message: str) -> None:
            self._tasks -= 1
            self.status.setText(message)
            self.failed.emit(message)

        run_task(
            call,
            finish,
            fail,
            pool=self.pool,
            expected=(PrintHistoryError, StorageError),
            what=N_("reading or writing the printed letters"),
        )

    def reload(self) -> None:
        """Read the history again (in the background)."""
        self._start(self.history.records, self._show)

    def _show(self, records: list[PrintRecord]) -> None:
        self.records = records
        self.table.setRowCount(len(records))
        for row, record in enumerate(records):
            values = (
                _day(record.printed_at.date()),
                record.recipient_name,
                record.subject,
                str(record.pages),
                record.printer,
                _day(record.mailed_at.date()) if record.mailed_at else _("not yet"),
            )
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if column == 3:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, column, item)
        waiting = sum(1 for record in records if not record.mailed)
        if not records:
            self.status.setText(_("No letters have been printed yet."))
        else:
            printed = ngettext("{n} printed letter;", "{n} printed letters;", len(records)).format(
                n=len(records)
            )
            # Translators: follows "{n} printed letters;" in the same line.
            unmailed = ngettext(
                "{n} not marked as mailed yet.", "{n} not marked as mailed yet.", waiting
            ).format(n=waiting)
            self.status.setText(f"{printed} {unmailed}")
        self._update_button()
        self.loaded.emit(len(records))

    def selected_records(self) -> list[PrintRecord]:
        """The letters whose rows are selected."""
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.records[row] for row in rows if row < len(self.records)]

    def _update_button(self) -> None:
        self.mark_button.setEnabled(any(not r.mailed for r in self.selected_records()))

    def mark_selected_mailed(self) -> None:
        """Mark the selected letters mailed today, then show the list again."""
        ids = [record.id for record in self.selected_records() if not record.mailed]
        if not ids:
            return
        self.mark_button.setEnabled(False)

        def mark() -> int:
            for record_id in ids:
                self.history.mark_mailed(record_id)
            return len(ids)

        self._start(mark, lambda _count: self.reload())
