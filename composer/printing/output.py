"""Putting laid-out pages on a PDF file or a printer (the same drawing for both)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QMarginsF, QSizeF
from PySide6.QtGui import (
    QGuiApplication,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
)

from composer.core.fileio import StorageError, describe_os_error
from composer.i18n import _

if TYPE_CHECKING:
    # Printing support is loaded only when something is printed: writing PDFs and the
    # preview need QtGui alone.
    from PySide6.QtPrintSupport import QPrinter

PDF_DPI = 600


class Paintable(Protocol):
    """Anything laid out on pages of one size: a letter, a batch of envelopes."""

    @property
    def page_count(self) -> int: ...

    def page_size_points(self) -> tuple[float, float]: ...

    def paint(self, painter: QPainter, page: int, device_dpi: float) -> None: ...


def ensure_gui_application() -> QGuiApplication:
    """The running Qt application, or a new headless one (fonts and painting need one)."""
    app = QGuiApplication.instance()
    if app is None:
        app = QGuiApplication(["composer", "-platform", "offscreen"])
    assert isinstance(app, QGuiApplication)
    return app


def page_size(item: Paintable) -> QPageSize:
    """The QPageSize of an item, using the standard size id where there is one.

    Page sizes are defined upright (an envelope is taller than wide in Qt's
    list), so the size is given upright here and :func:`page_layout` turns it.
    """
    width, height = item.page_size_points()
    return QPageSize(
        QSizeF(min(width, height), max(width, height)),
        QPageSize.Unit.Point,
        "",
        QPageSize.SizeMatchPolicy.FuzzyMatch,
    )


def page_layout(item: Paintable) -> QPageLayout:
    """The page layout of an item: its size, landscape when wider than tall, no margins."""
    width, height = item.page_size_points()
    orientation = (
        QPageLayout.Orientation.Landscape if width > height else QPageLayout.Orientation.Portrait
    )
    layout = QPageLayout(
        page_size(item), orientation, QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Point
    )
    # The drawing places everything itself, from the sheet's edge; a printer's own
    # minimum margins must not push it inwards.
    layout.setMode(QPageLayout.Mode.FullPageMode)
    return layout


def selected_pages(device: QPagedPaintDevice, total: int) -> list[int]:
    """The 1-based page numbers to draw: the device's page ranges, or all of them.

    A printer carries the ranges chosen in the print dialog (``fromPage()`` to
    ``toPage()``, or a list such as "1-2,4"); a PDF writer has none.
    """
    ranges = device.pageRanges()
    if ranges.isEmpty():
        return list(range(1, total + 1))
    return [number for number in range(1, total + 1) if ranges.contains(number)]


class AddressDoesNotFit(StorageError):
    """An address cannot be printed where it belongs (it would run over the letter, or
    off the envelope), so nothing was written. A kind of :class:`StorageError` so that
    everything that reports a failed output reports this too, in the same place."""


def address_problems(items: Iterable[Paintable]) -> list[str]:
    """Why some of these letters or envelopes cannot be printed: their addresses do not
    fit, even shortened by the Postal Service's rules (one sentence each)."""
    found: list[str] = []
    for item in items:
        letter_problem = getattr(item, "address_problem", None)
        if callable(letter_problem):
            problem = letter_problem()
            if problem:
                rendered = getattr(item, "rendered", None)
                name = rendered.recipient.short_name if rendered is not None else ""
                found.append(
                    _("{name}: {problem}").format(name=name, problem=problem) if name else problem
                )
        envelope_problems = getattr(item, "address_problems", None)
        if callable(envelope_problems):
            found.extend(envelope_problems())
    return found


def refuse_unfit_addresses(items: Iterable[Paintable]) -> None:
    """Raise :class:`AddressDoesNotFit` when an address of these items does not fit.

    Raises:
        AddressDoesNotFit: naming each address that does not fit.
    """
    problems = address_problems(items)
    if problems:
        raise AddressDoesNotFit(" ".join(problems))


def paint_items(
    device: QPagedPaintDevice,
    items: Sequence[Paintable],
    dpi: float,
    progress: Callable[[int], bool] | None = None,
) -> int:
    """Draw the pages of every item on a paged device; returns the number of pages drawn.

    Pages are numbered through all items (letter 1 is pages 1-2, letter 2 pages
    3-4…); when the device has page ranges (a print dialog's "Pages from … to"),
    only those pages are drawn. `progress` is called after each item with its
    index; returning False stops early.
    """
    total = sum(item.page_count for item in items)
    wanted = set(selected_pages(device, total))
    painter = QPainter()
    drawn = 0
    number = 0
    try:
        for index, item in enumerate(items):
            for page in range(item.page_count):
                number += 1
                if number not in wanted:
                    continue
                layout = page_layout(item)
                # A printer that is printing refuses (with a warning) even the layout it has.
                if not device.pageLayout().isEquivalentTo(layout):
                    device.setPageLayout(layout)
                if not painter.isActive():
                    if not painter.begin(device):
                        raise StorageError(_("The output could not be opened for drawing."))
                else:
                    if not device.newPage():
                        raise StorageError(_("The next page could not be started."))
                item.paint(painter, page, dpi)
                drawn += 1
            if progress is not None and not progress(index):
                break
    finally:
        if painter.isActive():
            painter.end()
    return drawn


def _write_pdf_file(
    path: Path, title: str, draw: Callable[[QPdfWriter], int], *, require_pages: bool
) -> int:
    """Let `draw` fill a PDF writer, then put the file in place in one step.

    The pages go to a temporary file beside `path`, which replaces `path` only
    when it is not empty (and, with `require_pages`, holds a page); an error
    leaves nothing behind.

    Raises:
        StorageError: the file could not be written, or there was nothing to write.
    """
    ensure_gui_application()
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".pdf", dir=path.parent)
        os.close(fd)
    except OSError as error:
        raise StorageError(describe_os_error(error, path)) from error
    try:
        writer = QPdfWriter(tmp_name)
        writer.setResolution(PDF_DPI)
        writer.setTitle(title)
        writer.setCreator("Letter Composer")
        pages = draw(writer)
        del writer  # closes the file
        if (require_pages and pages == 0) or os.path.getsize(tmp_name) == 0:
            raise StorageError(
                _("Nothing could be written to {path}. Is the disk full?").format(path=path)
            )
        os.chmod(tmp_name, 0o644)  # as every other export (fileio.atomic_write_bytes)
        os.replace(tmp_name, path)
        return pages
    except OSError as error:
        raise StorageError(describe_os_error(error, path)) from error
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)


def write_pdf(
    path: Path,
    items: Sequence[Paintable],
    *,
    title: str = "Letter",
    progress: Callable[[int], bool] | None = None,
) -> int:
    """Write the items' pages to a PDF, atomically (a temporary file, then rename).

    Returns:
        The number of pages written.

    Raises:
        StorageError: the file could not be written (full disk, no permission…).
        AddressDoesNotFit: an address does not fit; nothing was written.
    """
    refuse_unfit_addresses(items)
    return _write_pdf_file(
        path,
        title,
        lambda writer: paint_items(writer, items, PDF_DPI, progress),
        require_pages=False,
    )


def write_pdf_stream(
    path: Path,
    items: Iterable[Paintable],
    *,
    title: str = "Letter",
) -> int:
    """Write items into one PDF, each laid out only when its turn comes (memory stays flat).

    For long batches: unlike :func:`write_pdf`, page ranges are not supported and
    the items are not counted first. The file appears in one step; an error leaves
    nothing behind. If `items` ends early (a cancelled batch), what came so far is
    written.

    Returns:
        The number of pages written.

    Raises:
        StorageError: the file could not be written, or there was nothing to write.
    """

    def draw(writer: QPdfWriter) -> int:
        painter = QPainter()
        pages = 0
        try:
            for item in items:
                refuse_unfit_addresses([item])
                for page in range(item.page_count):
                    writer.setPageLayout(page_layout(item))
                    if not painter.isActive():
                        if not painter.begin(writer):
                            raise StorageError(
                                _("{path} could not be opened for drawing.").format(path=path)
                            )
                    elif not writer.newPage():
                        raise StorageError(
                            _("A new page could not be started in {path}.").format(path=path)
                        )
                    item.paint(painter, page, PDF_DPI)
                    pages += 1
        finally:
            if painter.isActive():
                painter.end()
        return pages

    return _write_pdf_file(path, title, draw, require_pages=True)


class PrinterError(Exception):
    """A printer could not be used; the message says what happened and what to do."""


def available_printers() -> tuple[list[str], str]:
    """The printers the system's print service offers, and the default one ("" if none)."""
    from PySide6.QtPrintSupport import QPrinterInfo

    ensure_gui_application()
    default = QPrinterInfo.defaultPrinterName()
    return list(QPrinterInfo.availablePrinterNames()), default


def _listed(names: list[str], default: str) -> str:
    if not names:
        return _("none")
    return ", ".join(
        _("{name} (default)").format(name=name) if name == default else name for name in names
    )


def open_printer(name: str | None = None) -> QPrinter:
    """A printer by queue name, or the system's default printer, ready for :func:`print_items`.

    Raises:
        PrinterError: no printer is set up, there is no default, or no printer has that name
            (the message lists the ones there are).
    """
    from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

    names, default = available_printers()
    if not names:
        raise PrinterError(
            _(
                "No printer is set up on this computer (or its print service is not running). "
                "Add a printer in the system's printer settings, or write a PDF and print that."
            )
        )
    if name is None:
        if not default:
            raise PrinterError(
                _("No default printer is set. Choose one by name; available: {names}.").format(
                    names=_listed(names, "")
                )
            )
        name = default
    if name not in names:
        raise PrinterError(
            _("There is no printer named '{name}'. Available: {names}.").format(
                name=name, names=_listed(names, default)
            )
        )
    return QPrinter(QPrinterInfo.printerInfo(name), QPrinter.PrinterMode.HighResolution)


def print_items(
    printer: QPrinter, items: Sequence[Paintable], *, title: str = "Letter", copies: int = 1
) -> int:
    """Print the items' pages on a printer, honouring its page ranges; returns pages printed.

    Raises:
        PrinterError: the print service refused the job or the printer is in error.
    """
    from PySide6.QtPrintSupport import QPrinter

    ensure_gui_application()
    problems = address_problems(items)
    if problems:
        raise PrinterError(" ".join(problems))
    printer.setDocName(title)
    printer.setCreator("Letter Composer")
    printer.setFullPage(True)
    if copies > 1:
        printer.setCopyCount(copies)
    name = printer.printerName()
    try:
        pages = paint_items(printer, items, printer.resolution())
    except StorageError as error:
        message = (
            _(
                "The printer '{name}' could not be used: {error} Check that it is switched on "
                "and that the print service is running."
            )
            if name
            else _(
                "The printer could not be used: {error} Check that it is switched on and that "
                "the print service is running."
            )
        )
        raise PrinterError(message.format(name=name, error=error)) from error
    if printer.printerState() == QPrinter.PrinterState.Error:
        message = (
            _(
                "The printer '{name}' reported an error and may not have printed. Check the "
                "printer and its queue in the system's printer settings."
            )
            if name
            else _(
                "The printer reported an error and may not have printed. Check the printer "
                "and its queue in the system's printer settings."
            )
        )
        raise PrinterError(message.format(name=name))
    return pages
