"""Double-sided printing of many letters in one file: each letter starts on a front side."""

from __future__ import annotations

from PySide6.QtGui import QPainter

from composer.printing.output import Paintable


class BlankBackPage:
    """A letter (or any Paintable) with a blank page after it when its page count is odd.

    Printed double-sided, a combined PDF of three one-page letters would put the
    second letter on the back of the first; with this, every letter begins on a
    new sheet, and each can be folded and posted on its own.
    """

    def __init__(self, item: Paintable) -> None:
        self.item = item

    @property
    def page_count(self) -> int:
        """The item's pages, rounded up to an even number."""
        pages = self.item.page_count
        return pages + pages % 2

    def page_size_points(self) -> tuple[float, float]:
        """The item's page size."""
        return self.item.page_size_points()

    def paint(self, painter: QPainter, page: int, device_dpi: float) -> None:
        """Draw the item's page, or nothing on the added blank back."""
        if page < self.item.page_count:
            self.item.paint(painter, page, device_dpi)
