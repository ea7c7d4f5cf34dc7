"""Export PDF, Print and Print Preview for the window: dialogs here, the drawing in printing/."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QStandardPaths, QThreadPool
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from composer.core.fileio import StorageError
from composer.core.models import Recipient, Sender
from composer.core.print_history import PrintHistory, PrintHistoryError
from composer.gui.background import run_task
from composer.i18n import N_, _
from composer.printing.envelope import EnvelopePages, envelope_for_paper, return_address_lines
from composer.printing.letter_layout import LetterPages
from composer.printing.output import (
    Paintable,
    PrinterError,
    page_layout,
    print_items,
    selected_pages,
)

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter

log = logging.getLogger(__name__)


def ask_pdf_path(
    parent: QWidget, title: str, suggested_name: str, folder: Path | None = None
) -> Path | None:
    """Ask where to save a PDF, starting in `folder` (else the Documents folder); None
    when cancelled."""
    if folder is None:
        folder = Path(
            QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
            or Path.home()
        )
    path, _filter = QFileDialog.getSaveFileName(
        parent, title, str(Path(folder) / suggested_name), _("PDF documents (*.pdf)")
    )
    if not path:
        return None
    return Path(path if path.lower().endswith(".pdf") else f"{path}.pdf")


@dataclass(frozen=True)
class _Printed:
    """What the history keeps of one printed letter (plain data, safe in any thread)."""

    recipient_id: str
    recipient_name: str
    subject: str
    paper: str
    pages: int


def record_printed(
    history: PrintHistory, letters: Sequence[LetterPages], printer: str, pool: QThreadPool
) -> None:
    """Note printed letters in the print history, in the background.

    Only plain data goes to the worker, never the laid-out pages: their text
    documents belong to the GUI thread. Nothing is reported back; a failure is
    logged (the letters did print).
    """
    printed = [
        _Printed(
            letter.rendered.recipient.id,
            letter.rendered.recipient.short_name,
            letter.rendered.subject,
            letter.spec.name,
            letter.page_count,
        )
        for letter in letters
    ]

    def record() -> None:
        for one in printed:
            history.record(
                recipient_id=one.recipient_id,
                recipient_name=one.recipient_name,
                subject=one.subject,
                paper=one.paper,
                pages=one.pages,
                printer=printer,
            )

    run_task(
        record,
        lambda _none: None,
        lambda message: log.warning("print history not written: %s", message),
        pool=pool,
        expected=(PrintHistoryError, StorageError),
        what=N_("noting the printed letters"),
    )


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
    dialog_title: str | None = None,
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
    dialog.setWindowTitle(dialog_title or _("Print Letter"))
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
        QMessageBox.warning(parent, _("Nothing was printed"), str(error))
        return False
    letters = printed_letters(items, pages)
    if history is not None and letters:
        record_printed(
            history, letters, printer.printerName(), pool or QThreadPool.globalInstance()
        )
    return True


def print_preview(parent: QWidget, items: Sequence[Paintable], title: str) -> None:
    """Qt's print preview, drawn by the same code as the printed pages and the PDF."""
    from PySide6.QtPrintSupport import QPrintPreviewDialog

    printer = _new_printer(items, title)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle(_("Print Preview"))
    dialog.paintRequested.connect(lambda p: print_items(p, items, title=title))
    dialog.resize(900, 1000)
    dialog.exec()
    _let_go(dialog)
