"""Putting laid-out pages on a PDF file or a printer."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

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
from composer.printing.paper import PaperSpec

PDF_DPI = 600


class Paintable(Protocol):
    """Anything laid out on pages of one paper size: a letter, an envelope."""

    spec: PaperSpec

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
    """The QPageSize of an item, using the standard size id where there is one."""
    width, height = item.page_size_points()
    size = QPageSize(
        QSizeF(width, height), QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch
    )
    return size


def _set_layout(device: QPagedPaintDevice, item: Paintable) -> None:
    size = page_size(item)
    layout = QPageLayout(
        size, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Point
    )
    if size.rectPoints().width() > size.rectPoints().height():
        layout.setOrientation(QPageLayout.Orientation.Landscape)
    device.setPageLayout(layout)


def paint_items(
    device: QPagedPaintDevice,
    items: Sequence[Paintable],
    dpi: float,
    progress: Callable[[int], bool] | None = None,
) -> int:
    """Draw every page of every item on a paged device; returns the number of pages.

    `progress` is called after each item with its index; returning False stops early.
    """
    painter = QPainter()
    pages = 0
    try:
        for index, item in enumerate(items):
            for page in range(item.page_count):
                if pages:
                    _set_layout(device, item)
                    device.newPage()
                elif not painter.isActive():
                    _set_layout(device, item)
                    if not painter.begin(device):
                        raise StorageError("The output could not be opened for drawing.")
                item.paint(painter, page, dpi)
                pages += 1
            if progress is not None and not progress(index):
                break
    finally:
        if painter.isActive():
            painter.end()
    return pages


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
        pages = paint_items(writer, items, PDF_DPI, progress)
        del writer  # closes the file
        if os.path.getsize(tmp_name) == 0:
            raise StorageError(f"Nothing could be written to {path}. Is the disk full?")
        os.replace(tmp_name, path)
        return pages
    except OSError as error:
        raise StorageError(describe_os_error(error, path)) from error
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
