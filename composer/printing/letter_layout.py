"""A rendered letter laid out on pages: the same drawing for the preview, the PDF and the printer.

Everything is laid out once on a fixed 720-dpi "layout device", so that the
line breaks and page breaks do not depend on where the pages are drawn; each
output then scales the drawing to its own resolution. That is what makes the
preview show the letter exactly as it prints.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QPainter,
    QPen,
    QTextBlockFormat,
    QTextCursor,
    QTextDocument,
    QTextOption,
)

from composer.core.render import RenderedLetter
from composer.printing.paper import PaperSpec

LAYOUT_DPI = 720
UNITS_PER_MM = LAYOUT_DPI / 25.4
UNITS_PER_POINT = LAYOUT_DPI / 72


def mm(value: float) -> float:
    """Layout units in `value` millimetres."""
    return value * UNITS_PER_MM


@dataclass(frozen=True)
class LetterStyle:
    """Type and spacing of a business letter."""

    font_family: str = "DejaVu Serif"
    body_points: float = 11.0
    header_points: float = 10.0
    address_points: float = 11.0
    min_address_points: float = 8.5
    small_points: float = 7.5
    line_height_percent: int = 118
    paragraph_gap_lines: float = 0.75


_PER_THREAD = threading.local()


def layout_device() -> QImage:
    """The paint device letters are laid out on (720 dpi, never drawn to); one per thread."""
    image: QImage | None = getattr(_PER_THREAD, "device", None)
    if image is None:
        image = QImage(4, 4, QImage.Format.Format_ARGB32)
        dots_per_metre = round(LAYOUT_DPI / 0.0254)
        image.setDotsPerMeterX(dots_per_metre)
        image.setDotsPerMeterY(dots_per_metre)
        _PER_THREAD.device = image
    return image


def _font(style: LetterStyle, points: float, bold: bool = False) -> QFont:
    font = QFont(style.font_family)
    font.setPointSizeF(points)
    font.setBold(bold)
    font.setStyleHint(QFont.StyleHint.Serif)
    return font


def _document(html: str, width: float, font: QFont, *, plain: bool = False) -> QTextDocument:
    document = QTextDocument()
    document.documentLayout().setPaintDevice(layout_device())
    document.setDocumentMargin(0)
    document.setDefaultFont(font)
    document.setUndoRedoEnabled(False)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    document.setDefaultTextOption(option)
    if plain:
        document.setPlainText(html)
    else:
        document.setHtml(html)
    document.setTextWidth(width)
    return document


def _lines_document(
    lines: tuple[str, ...] | list[str],
    width: float,
    font: QFont,
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
) -> QTextDocument:
    document = _document("\n".join(lines), width, font, plain=True)
    cursor = QTextCursor(document)
    cursor.select(QTextCursor.SelectionType.Document)
    block = QTextBlockFormat()
    block.setAlignment(align)
    block.setLineHeight(100, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
    cursor.mergeBlockFormat(block)
    return document


class LetterPages:
    """One letter for one recipient, laid out on pages of one paper size.

    Args:
        rendered: the letter as rendered for its recipient.
        spec: the paper and its window envelope.
        fold_marks: draw fold (and punch) marks at the left edge.
        style: fonts and spacing.
    """

    def __init__(
        self,
        rendered: RenderedLetter,
        spec: PaperSpec,
        *,
        fold_marks: bool = True,
        style: LetterStyle | None = None,
    ) -> None:
        self.rendered = rendered
        self.spec = spec
        self.fold_marks = fold_marks
        self.style = style or LetterStyle()
        self._flow = self._flow_document()
        self._breaks = self._paginate()

    # --- layout ---------------------------------------------------------------------------

    def _flow_document(self) -> QTextDocument:
        style = self.style
        document = _document(
            self.rendered.flow_html, mm(self.spec.text_width), _font(style, style.body_points)
        )
        # Block margins are in 96-dpi pixels, which Qt scales to the layout device.
        line_px = style.body_points * 96 / 72 * style.line_height_percent / 100
        gap = line_px * style.paragraph_gap_lines
        cursor = QTextCursor(document)
        block = document.begin()
        while block.isValid():
            cursor.setPosition(block.position())
            fmt = block.blockFormat()
            fmt.setTopMargin(0)
            in_list = block.textList() is not None
            last_in_list = in_list and block.next().textList() is not block.textList()
            fmt.setBottomMargin(gap if (not in_list or last_in_list) else gap / 4)
            fmt.setLineHeight(
                style.line_height_percent,
                QTextBlockFormat.LineHeightTypes.ProportionalHeight.value,
            )
            cursor.setBlockFormat(fmt)
            block = block.next()
        return document

    def _line_spans(self) -> list[tuple[float, float, int]]:
        """(top, bottom, block number) of every laid-out line of the flowing text."""
        spans: list[tuple[float, float, int]] = []
        layout = self._flow.documentLayout()
        block = self._flow.begin()
        while block.isValid():
            rect = layout.blockBoundingRect(block)
            text_layout = block.layout()
            for index in range(text_layout.lineCount()):
                line = text_layout.lineAt(index)
                top = rect.top() + line.y()
                spans.append((top, top + line.height(), block.blockNumber()))
            block = block.next()
        return spans

    def _first_page_height(self) -> float:
        return mm(self.spec.height - self.spec.margin_bottom - self.spec.body_top)

    def _next_page_top(self) -> float:
        return mm(self.spec.margin_top) + self._header_height()

    def _header_height(self) -> float:
        return self.style.header_points * UNITS_PER_POINT * 3.2

    def _next_page_height(self) -> float:
        return mm(self.spec.height - self.spec.margin_bottom) - self._next_page_top()

    def _paginate(self) -> list[float]:
        """Where each page's slice of the flowing text starts (document y)."""
        spans = self._line_spans()
        if not spans:
            return [0.0]
        # The closing, the room to sign and the name stay together on one page.
        last_blocks = self._flow.blockCount()
        keep_from = next(
            (top for top, _bottom, number in spans if number >= last_blocks - 3), spans[-1][0]
        )
        starts = [0.0]
        available = self._first_page_height()
        for top, bottom, _number in spans:
            if bottom - starts[-1] <= available or top <= starts[-1]:
                continue
            start = top
            if top > keep_from and keep_from > starts[-1]:
                start = keep_from
            starts.append(start)
            available = self._next_page_height()
        return starts

    @property
    def page_count(self) -> int:
        """How many pages the letter takes."""
        return len(self._breaks)

    def page_size_points(self) -> tuple[float, float]:
        """Width and height of a page in points."""
        return self.spec.width * 72 / 25.4, self.spec.height * 72 / 25.4

    # --- drawing --------------------------------------------------------------------------

    def paint(self, painter: QPainter, page: int, device_dpi: float) -> None:
        """Draw page `page` (0-based) with the painter at the sheet's top-left corner.

        Args:
            painter: an active painter whose origin is the top-left corner of the sheet.
            page: which page.
            device_dpi: dots per inch of the painter's device (or of the scaled target).
        """
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        painter.scale(device_dpi / LAYOUT_DPI, device_dpi / LAYOUT_DPI)
        if page == 0:
            self._paint_first_page_head(painter)
            top = mm(self.spec.body_top)
        else:
            self._paint_continuation_head(painter, page)
            top = self._next_page_top()
        start = self._breaks[page]
        end = self._breaks[page + 1] if page + 1 < len(self._breaks) else self._flow.size().height()
        painter.save()
        painter.translate(mm(self.spec.margin_left), top - start)
        self._flow.drawContents(painter, QRectF(0, start, mm(self.spec.text_width), end - start))
        painter.restore()
        if self.fold_marks:
            self._paint_marks(painter)
        painter.restore()

    def _paint_document(
        self, painter: QPainter, document: QTextDocument, x: float, y: float
    ) -> None:
        painter.save()
        painter.translate(x, y)
        document.drawContents(painter)
        painter.restore()

    def _paint_first_page_head(self, painter: QPainter) -> None:
        spec, style, rendered = self.spec, self.style, self.rendered
        sender = spec.sender_area
        align = (
            Qt.AlignmentFlag.AlignRight
            if spec.sender_area.x > spec.width / 2
            else Qt.AlignmentFlag.AlignLeft
        )
        lines = list(rendered.sender_lines)
        if lines:
            document = _lines_document(
                lines, mm(sender.width), _font(style, style.header_points), align
            )
            self._first_line_bold(document, style)
            self._paint_document(painter, document, mm(sender.x), mm(sender.y))
        if spec.return_line is not None and rendered.sender_lines:
            compact = " \u00b7 ".join(rendered.sender_lines[:3])
            document = _lines_document(
                [compact], mm(spec.return_line.width), _font(style, style.small_points)
            )
            self._paint_document(painter, document, mm(spec.return_line.x), mm(spec.return_line.y))
        date_align = (
            Qt.AlignmentFlag.AlignRight if spec.name == "a4" else Qt.AlignmentFlag.AlignLeft
        )
        date = _lines_document(
            [rendered.date_text], mm(spec.text_width), _font(style, style.body_points), date_align
        )
        self._paint_document(painter, date, mm(spec.margin_left), mm(spec.date_top))
        self._paint_document(
            painter, self.address_document(), mm(spec.address_area.x), mm(spec.address_area.y)
        )

    @staticmethod
    def _first_line_bold(document: QTextDocument, style: LetterStyle) -> None:
        cursor = QTextCursor(document.begin())
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
        fmt = cursor.charFormat()
        fmt.setFontWeight(QFont.Weight.Bold)
        cursor.mergeCharFormat(fmt)

    def address_document(self) -> QTextDocument:
        """The inside address, in the largest size (down to a floor) that fits the window."""
        area, style = self.spec.address_area, self.style
        points = style.address_points
        while True:
            document = _lines_document(
                list(self.rendered.address_lines), mm(area.width), _font(style, points)
            )
            fits = document.size().height() <= mm(area.height)
            if fits or points <= style.min_address_points:
                return document
            points -= 0.5

    def _paint_continuation_head(self, painter: QPainter, page: int) -> None:
        spec, style, rendered = self.spec, self.style, self.rendered
        dot = "  \u00b7  "
        text = f"{rendered.recipient.short_name}{dot}{rendered.date_text}{dot}Page {page + 1}"
        head = _lines_document([text], mm(spec.text_width), _font(style, style.header_points))
        self._paint_document(painter, head, mm(spec.margin_left), mm(spec.margin_top))
        y = mm(spec.margin_top) + head.size().height() + style.header_points * UNITS_PER_POINT * 0.6
        painter.setPen(QPen(QColor(120, 120, 120), UNITS_PER_POINT * 0.5))
        painter.drawLine(
            QPointF(mm(spec.margin_left), y), QPointF(mm(spec.width - spec.margin_right), y)
        )

    def _paint_marks(self, painter: QPainter) -> None:
        painter.setPen(QPen(QColor(110, 110, 110), UNITS_PER_POINT * 0.5))
        for y in self.spec.fold_marks:
            painter.drawLine(QPointF(mm(4), mm(y)), QPointF(mm(9), mm(y)))
        if self.spec.punch_mark is not None:
            y = self.spec.punch_mark
            painter.drawLine(QPointF(mm(4), mm(y)), QPointF(mm(11), mm(y)))

    # --- convenience ----------------------------------------------------------------------

    def page_image(self, page: int, dpi: float = 96) -> QImage:
        """Page `page` drawn on a white image at `dpi` (for the preview and for checks)."""
        width = round(self.spec.width / 25.4 * dpi)
        height = round(self.spec.height / 25.4 * dpi)
        image = QImage(width, height, QImage.Format.Format_RGB32)
        image.setDotsPerMeterX(round(dpi / 0.0254))
        image.setDotsPerMeterY(round(dpi / 0.0254))
        image.fill(QColor("white"))
        painter = QPainter(image)
        try:
            self.paint(painter, page, dpi)
        finally:
            painter.end()
        return image
