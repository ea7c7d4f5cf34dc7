"""Export PDF, Print and Print Preview for the window: dialogs here, the drawing in printing/."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QStandardPaths, QThreadPool, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

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


def ask_pdf_path(parent: QWidget, title: str, suggested_name: str) -> Path | None:
    """Ask where to save a PDF, starting in the Documents folder; None when cancelled."""
    folder = QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation
    ) or str(Path.home())
    path, _filter = QFileDialog.getSaveFileName(
        parent, title, str(Path(folder) / suggested_name), "PDF (*.pdf)"
    )
    if not path:
        return None
    return Path(path if path.lower().endswith(".pdf") else f"{path}.pdf")


def start_pdf_export(pool: QThreadPool, job: PdfExportJob) -> None:
    """Start an export job on the pool (kept alive until it reports)."""
    pool.start(job)


@dataclass(frozen=True)
class _Printed:
    """What the history keeps of one printed letter (plain data, safe in any thread)."""

    recipient_id: str
    recipient_name: str
    subject: str
    paper: str
    pages: int


class RecordPrintedJob(QRunnable):
    """Notes printed letters in the print history, in a worker thread.

    It takes plain data, never the laid-out pages: their text documents belong to
    the GUI thread and must not be deleted by the worker. It reports nothing back
    (a failure is logged): the pool owns and deletes it when done.
    """

    def __init__(self, history: PrintHistory, letters: Sequence[LetterPages], printer: str) -> None:
        super().__init__()
        self.history = history
        self.printed = [
            _Printed(
                letter.rendered.recipient.id,
                letter.rendered.recipient.short_name,
                letter.rendered.subject,
                letter.spec.name,
                letter.page_count,
            )
            for letter in letters
        ]
        self.printer = printer

    def run(self) -> None:
        try:
            for printed in self.printed:
                self.history.record(
                    recipient_id=printed.recipient_id,
                    recipient_name=printed.recipient_name,
                    subject=printed.subject,
                    paper=printed.paper,
                    pages=printed.pages,
                    printer=self.printer,
                )
        except PrintHistoryError as error:
            log.warning("print history not written: %s", error)


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
    accepted = dialog.exec() == QPrintDialog.DialogCode.Accepted
    _let_go(dialog)
    if not accepted:
        return False
    return print_now(parent, printer, items, title, history=history, pool=pool)


def _let_go(dialog: QWidget) -> None:
    """Delete a print dialog now: as the window's child it would outlive its printer."""
    dialog.setParent(None)
    shiboken6.delete(dialog)


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
    _let_go(dialog)
