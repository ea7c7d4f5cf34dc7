"""Export PDF, Print and Print Preview for the window: dialogs here, the drawing in printing/."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import QWidget

from composer.core.fileio import StorageError
from composer.printing.output import Paintable, page_size, paint_items, write_pdf


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
            self.signals.failed.emit(f"The PDF could not be written: {error}")
        else:
            self.signals.finished.emit(str(self.path), pages)


def start_pdf_export(pool: QThreadPool, job: PdfExportJob) -> None:
    """Start an export job on the pool (kept alive until it reports)."""
    pool.start(job)


def print_with_dialog(parent: QWidget, items: Sequence[Paintable], title: str) -> bool:
    """Show the system print dialog and print the pages; returns whether it printed."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    printer.setFullPage(True)
    if items:
        printer.setPageSize(page_size(items[0]))
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("Print Letter")
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return False
    paint_items(printer, items, printer.resolution())
    return True


def print_preview(parent: QWidget, items: Sequence[Paintable], title: str) -> None:
    """Qt's print preview, drawn by the same code as the printed pages."""
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    printer.setFullPage(True)
    if items:
        printer.setPageSize(page_size(items[0]))
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle("Print Preview")
    dialog.paintRequested.connect(lambda p: paint_items(p, items, p.resolution()))
    dialog.resize(900, 1000)
    dialog.exec()
