"""Export PDF, Print and Print Preview for the window: dialogs here, the drawing in printing/."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from composer.core.fileio import StorageError
from composer.core.models import Recipient, Sender
from composer.core.print_history import PrintHistory, PrintHistoryError
from composer.printing.envelope import EnvelopePages, envelope_for_paper, return_address_lines
from composer.printing.letter_layout import LetterPages
from composer.printing.output import (
    Paintable,
    PrinterError,
    page_layout,
    print_items,
    selected_pages,
    write_pdf,
)

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter

log = logging.getLogger(__name__)


class _ExportSignals(QObject):
    """Signals of a PDF export.

    Signals:
        finished(str, int): the path written and its page count.
        failed(str): what went wrong, in plain words.
    """

    finished = Signal(str, int)
    failed = Signal(str)


class PdfExportJob(QRunnable):
    """Writes pages to a PDF in a worker thread (disk work never blocks the window)."""

    def __init__(self, path: Path, items: Sequence[Paintable], title: str) -> None:
        super().__init__()
        self.path = path
        self.items = list(items)
        self.title = title
        self.signals = _ExportSignals()

    def run(self) -> None:
        try:
            pages = write_pdf(self.path, self.items, title=self.title)
        except StorageError as error:
            self.signals.failed.emit(str(error))
        except Exception as error:  # shown to the user, never a silent death of the worker
            log.exception("PDF export failed")
            self.signals.failed.emit(f"The PDF could not be written: {error}")
        else:
            self.signals.finished.emit(str(self.path), pages)


def start_pdf_export(pool: QThreadPool, job: PdfExportJob) -> None:
    """Start an export job on the pool (kept alive until it reports)."""
    pool.start(job)


class _HistorySignals(QObject):
    """Signals of a print-history write.

    Signals:
        recorded(int): how many letters were noted.
        failed(str): why they could not be noted.
    """

    recorded = Signal(int)
    failed = Signal(str)


class RecordPrintedJob(QRunnable):
    """Notes printed letters in the print history, in a worker thread."""

    def __init__(self, history: PrintHistory, letters: Sequence[LetterPages], printer: str) -> None:
        super().__init__()
        self.history = history
        self.letters = list(letters)
        self.printer = printer
        self.signals = _HistorySignals()

    def run(self) -> None:
        try:
            for letter in self.letters:
                rendered = letter.rendered
                self.history.record(
                    recipient_id=rendered.recipient.id,
                    recipient_name=rendered.recipient.short_name,
                    subject=rendered.subject,
                    paper=letter.spec.name,
                    pages=letter.page_count,
                    printer=self.printer,
                )
        except PrintHistoryError as error:
            log.warning("print history not written: %s", error)
            self.signals.failed.emit(str(error))
        else:
            self.signals.recorded.emit(len(self.letters))


def printed_letters(items: Sequence[Paintable], pages: Sequence[int]) -> list[LetterPages]:
    """The letters among `items` that had at least one of the (1-based) `pages` printed."""
    wanted = set(pages)
    letters: list[LetterPages] = []
    number = 0
    for item in items:
        numbers = range(number + 1, number + item.page_count + 1)
        number += item.page_count
        if isinstance(item, LetterPages) and wanted.intersection(numbers):
            letters.append(item)
    return letters


def envelope_items(sender: Sender, recipients: Sequence[Recipient], paper: str) -> list[Paintable]:
    """Envelopes for the recipients (one each, in order), sized for the letter's paper."""
    return [
        EnvelopePages(
            envelope_for_paper(paper),
            return_address_lines(sender),
            [recipient.address_lines for recipient in recipients],
        )
    ]


def _new_printer(items: Sequence[Paintable], title: str) -> QPrinter:
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    printer.setFullPage(True)
    if items:
        printer.setPageLayout(page_layout(items[0]))
    return printer


def print_with_dialog(
    parent: QWidget,
    items: Sequence[Paintable],
    title: str,
    *,
    history: PrintHistory | None = None,
    pool: QThreadPool | None = None,
    dialog_title: str = "Print Letter",
) -> bool:
    """Show the system print dialog (printer, copies, duplex, pages) and print.

    Letters that printed are noted in `history` (in a worker thread). Returns
    whether anything was sent to the printer; a printer that fails is explained
    in a message box.
    """
    from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog

    printer = _new_printer(items, title)
    total = sum(item.page_count for item in items)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(dialog_title)
    dialog.setMinMax(1, max(1, total))
    options = QAbstractPrintDialog.PrintDialogOption
    dialog.setOption(options.PrintPageRange, True)
    dialog.setOption(options.PrintSelection, False)
    dialog.setOption(options.PrintCurrentPage, False)
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return False
    return print_now(parent, printer, items, title, history=history, pool=pool)


def print_now(
    parent: QWidget | None,
    printer: QPrinter,
    items: Sequence[Paintable],
    title: str,
    *,
    history: PrintHistory | None = None,
    pool: QThreadPool | None = None,
) -> bool:
    """Print on a printer already set up (by the dialog, or by name); returns success.

    The letters that had pages printed are noted in `history`, in a worker thread.
    """
    total = sum(item.page_count for item in items)
    pages = selected_pages(printer, total)
    try:
        print_items(printer, items, title=title)
    except PrinterError as error:
        QMessageBox.warning(parent, "Nothing was printed", str(error))
        return False
    letters = printed_letters(items, pages)
    if history is not None and letters:
        job = RecordPrintedJob(history, letters, printer.printerName())
        (pool or QThreadPool.globalInstance()).start(job)
    return True


def print_preview(parent: QWidget, items: Sequence[Paintable], title: str) -> None:
    """Qt's print preview, drawn by the same code as the printed pages and the PDF."""
    from PySide6.QtPrintSupport import QPrintPreviewDialog

    printer = _new_printer(items, title)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle("Print Preview")
    dialog.paintRequested.connect(lambda p: print_items(p, items, title=title))
    dialog.resize(900, 1000)
    dialog.exec()
