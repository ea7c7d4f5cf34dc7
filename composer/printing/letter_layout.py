"""A rendered letter laid out on pages: the same drawing for the preview, the PDF and the printer.

Everything is laid out once on a fixed 720-dpi "layout device", so that the
line breaks and page breaks do not depend on where the pages are drawn; each
output then scales the drawing to its own resolution. That is what makes the
preview show the letter exactly as it prints.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QImage,
    QPainter,
    QPalette,
    QPen,
    QTextBlockFormat,
    QTextCursor,
    QTextDocument,
    QTextOption,
)

from composer.core.rendered import RenderedLetter
from composer.i18n import _
from composer.printing.paper import PaperSpec, Rect
from composer.printing.window_address import window_forms

LAYOUT_DPI = 720
UNITS_PER_MM = LAYOUT_DPI / 25.4
UNITS_PER_POINT = LAYOUT_DPI / 72


def mm(value: float) -> float:
    """Layout units in `value` millimetres."""
    return value * UNITS_PER_MM


@dataclass(frozen=True)
class LetterStyle:
    """Type and spacing of a business letter.

    The inside address shows through the envelope's window, where the post's machines
    read it: as on the envelope (USPS DMM 202.1, Publication 28), it is set in a plain
    sans-serif face and never below 10 pt.
    """

    font_family: str = "DejaVu Serif"
    body_points: float = 11.0
    header_points: float = 10.0
    address_family: str = "DejaVu Sans"
    address_points: float = 11.0
    min_address_points: float = 10.0
    small_points: float = 7.5
    line_height_percent: int = 118
    paragraph_gap_lines: float = 0.75


@dataclass(frozen=True)
class WindowAddress:
    """The inside address as it is printed in the envelope window.

    Attributes:
        lines: the lines printed (each on one line, none wrapped).
        rule: how they differ from the address as written: "" (not at all),
            "abbreviated", "joined", "unit above", "broken" or "dropped" (see
            :mod:`composer.printing.window_address`).
        area: the part of the window it sits in.
        anchor: "top" or "bottom": the edge of `area` it sits against.
        document: the lines laid out, at 10 pt or more.
    """

    lines: list[str]
    rule: str
    area: Rect
    anchor: str
    document: QTextDocument


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
    return text_font(style.font_family, points, bold)


def text_font(family: str, points: float, bold: bool = False) -> QFont:
    """A font of `family` at `points`, falling back to any serif or sans face like it."""
    font = QFont(family)
    font.setPointSizeF(points)
    font.setBold(bold)
    font.setStyleHint(
        QFont.StyleHint.SansSerif if "sans" in family.lower() else QFont.StyleHint.Serif
    )
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


def lines_document(
    lines: tuple[str, ...] | list[str],
    width: float,
    font: QFont,
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
) -> QTextDocument:
    """Plain lines, single-spaced, laid out `width` wide in `font`."""
    document = _document("\n".join(lines), width, font, plain=True)
    cursor = QTextCursor(document)
    cursor.select(QTextCursor.SelectionType.Document)
    block = QTextBlockFormat()
    block.setAlignment(align)
    block.setLineHeight(100, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
    cursor.mergeBlockFormat(block)
    return document


def fitted_lines_document(
    lines: list[str],
    area: Rect,
    family: str,
    points: float,
    floor: float,
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
    *,
    wrap: bool = True,
) -> QTextDocument:
    """Lines in the largest size from `points` down to `floor` that fits `area`.

    With `wrap` false a line may not wrap either: a wrapped address line would read
    as two lines to a sorting machine, so the size shrinks until each line fits.
    """
    while True:
        document = lines_document(lines, mm(area.width), text_font(family, points), align)
        fits = document.size().height() <= mm(area.height) + 0.5
        if fits and not wrap:
            fits = laid_out_lines(document) <= len(lines)
        if fits or points <= floor:
            return document
        points = max(floor, points - 0.5)


def address_lines_document(lines: list[str], area: Rect, style: LetterStyle) -> QTextDocument:
    """Address lines in the largest size, down to the style's 10 pt floor, that fits `area`
    without wrapping a line."""
    return fitted_lines_document(
        lines,
        area,
        style.address_family,
        style.address_points,
        style.min_address_points,
        wrap=False,
    )


def fit_window_address(
    address_lines: tuple[str, ...] | list[str], spec: PaperSpec, style: LetterStyle
) -> tuple[WindowAddress | None, bool]:
    """The inside address as it fits the envelope window of `spec`, at 10 pt or more.

    The forms of :func:`composer.printing.window_address.window_forms` are tried in
    order, each first in the usual place and then in the window's whole usable area.

    Returns:
        The address as printed, or None when no form fits; and whether the last form
        tried was too tall (rather than too wide), for the message that says why.
    """
    areas = spec.address_areas
    widest = max(area.width for area in areas)
    floor_font = text_font(style.address_family, style.min_address_points)

    def fits_width(line: str) -> bool:
        return laid_out_lines(lines_document([line], mm(widest), floor_font)) <= 1

    too_tall = False
    for rule, lines in window_forms(address_lines, fits_width):
        for area in areas:
            document = address_lines_document(lines, area, style)
            too_tall = document.size().height() > mm(area.height) + 0.5
            if not too_tall and laid_out_lines(document) <= len(lines):
                anchor = spec.address_anchor if area is areas[0] else "bottom"
                return WindowAddress(lines, rule, area, anchor, document), False
    return None, too_tall


def laid_out_lines(document: QTextDocument) -> int:
    """How many lines the document takes once laid out (wrapped lines count twice)."""
    document.size()  # makes sure the layout is done
    count = 0
    block = document.begin()
    while block.isValid():
        count += block.layout().lineCount()
        block = block.next()
    return count


_CONTACT_LINE = re.compile(r"@|^[\d\s()+./-]{6,}$|^(?:tel|phone|fax)\b", re.IGNORECASE)


def postal_lines(sender_lines: tuple[str, ...] | list[str]) -> list[str]:
    """The name and postal address from a sender block, without its e-mail and phone lines."""
    return [line for line in sender_lines if line.strip() and not _CONTACT_LINE.search(line)]


def draw_document(painter: QPainter, document: QTextDocument, clip: QRectF | None = None) -> None:
    """Draw a document in black ink whatever the desktop's colours.

    ``QTextDocument.drawContents`` takes its text colour from the application palette,
    which is white under a dark desktop theme: paper is always white, so the pages
    get a palette of their own.
    """
    context = QAbstractTextDocumentLayout.PaintContext()
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Text, QColor("black"))
    palette.setColor(QPalette.ColorRole.WindowText, QColor("black"))
    context.palette = palette
    if clip is not None:
        painter.save()
        painter.setClipRect(clip)
        context.clip = clip
    document.documentLayout().draw(painter, context)
    if clip is not None:
        painter.restore()


def sheet_image(
    width_mm: float,
    height_mm: float,
    dpi: float,
    paint: Callable[[QPainter, int, float], None],
    page: int,
) -> QImage:
    """A sheet of the given size drawn by `paint` on a white image at `dpi`."""
    image = QImage(
        round(width_mm / 25.4 * dpi), round(height_mm / 25.4 * dpi), QImage.Format.Format_RGB32
    )
    image.setDotsPerMeterX(round(dpi / 0.0254))
    image.setDotsPerMeterY(round(dpi / 0.0254))
    image.fill(QColor("white"))
    painter = QPainter(image)
    try:
        paint(painter, page, dpi)
    finally:
        painter.end()
    return image


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
        self._address: WindowAddress | None = None
        self._address_chosen = False
        self._address_too_tall = False
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
        cursor.beginEditBlock()  # one relayout for all blocks, not one per block
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
        cursor.endEditBlock()
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

    def _closing_block(self) -> int:
        """The block number of the complimentary close (the start of the signature group)."""
        closing = self.rendered.closing.strip()
        block = self._flow.lastBlock()
        while closing and block.isValid():
            if block.text().strip() == closing:
                return block.blockNumber()
            block = block.previous()
        # A template that does not end with the closing: keep its last three blocks together.
        return max(0, self._flow.blockCount() - 3)

    def _paginate(self) -> list[float]:
        """Where each page's slice of the flowing text starts (document y)."""
        spans = self._line_spans()
        if not spans:
            return [0.0]
        blocks = [number for _top, _bottom, number in spans]
        first_line: dict[int, int] = {}
        last_line: dict[int, int] = {}
        for index, number in enumerate(blocks):
            first_line.setdefault(number, index)
            last_line[number] = index
        closing_block = self._closing_block()
        closing_start = next(
            (index for index, number in enumerate(blocks) if number >= closing_block), len(spans)
        )

        def keep_rules(line: int) -> int:
            # The closing, the room to sign and the name stay together, with at least
            # the last two lines of the text before them (a closing alone looks lost).
            if line >= closing_start and closing_start > 0:
                line = max(first_line[blocks[closing_start - 1]], closing_start - 2)
            # No widows or orphans: at least two lines of a paragraph on each side.
            first, last = first_line[blocks[line]], last_line[blocks[line]]
            if line > first:
                if last - line + 1 < 2:
                    line = last - 1
                if line - first < 2:
                    line = first
            # A one-line block just before the break (the subject, the salutation)
            # goes over with the text it introduces.
            if line == first_line[blocks[line]] and line > 0:
                previous = blocks[line - 1]
                if first_line[previous] == last_line[previous] and previous < closing_block:
                    line -= 1
            return line

        starts = [0.0]
        start_line, origin = 0, 0.0
        available = self._first_page_height()
        while True:
            overflow = next(
                (k for k in range(start_line, len(spans)) if spans[k][1] - origin > available),
                None,
            )
            if overflow is None:
                break
            line = keep_rules(overflow)
            if line <= start_line:  # the rules cannot be kept on this page: break where full
                line = max(overflow, start_line + 1)
            if line >= len(spans):
                break
            start_line, origin = line, spans[line][0]
            starts.append(origin)
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
        self._paint_flow_slice(painter, start, end)
        painter.restore()
        if self.fold_marks:
            self._paint_marks(painter, fold=page == 0)
        painter.restore()

    def _paint_flow_slice(self, painter: QPainter, start: float, end: float) -> None:
        """Draw the flowing text from document y `start` up to `end`, and nothing else.

        A page must not carry clipped copies of its neighbours' lines: a PDF keeps
        clipped text, which search, copy and screen readers then find twice. Qt
        draws the line just above a clip when a paragraph is cut by it, so the lines
        of a paragraph cut by the page's top are drawn one by one here, and the
        rest of the slice, from the next paragraph on, by the document.
        """
        layout = self._flow.documentLayout()
        width = mm(self.spec.text_width)
        resume = start
        block = self._flow.begin()
        while block.isValid():
            rect = layout.blockBoundingRect(block)
            if rect.top() >= start - 0.5:
                break
            if rect.bottom() > start + 0.5:  # this paragraph is cut by the page's top
                text_layout = block.layout()
                origin = text_layout.position()
                painter.setPen(QColor("black"))
                for index in range(text_layout.lineCount()):
                    line = text_layout.lineAt(index)
                    line_top = rect.top() + line.y()
                    if start - 0.5 <= line_top and line_top + line.height() <= end + 0.5:
                        line.draw(painter, origin)
                resume = rect.bottom()
                break
            block = block.next()
        if end - resume > 2:
            # Lines touching the clip's edges are drawn (and kept in a PDF): stay clear.
            inset = 1.0
            draw_document(
                painter, self._flow, QRectF(0, resume + inset, width, end - resume - 2 * inset)
            )

    def _paint_document(
        self, painter: QPainter, document: QTextDocument, x: float, y: float
    ) -> None:
        painter.save()
        painter.translate(x, y)
        draw_document(painter, document)
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
            document = fitted_lines_document(
                lines, sender, style.font_family, style.header_points, style.small_points, align
            )
            self._first_line_bold(document, style)
            self._paint_document(painter, document, mm(sender.x), mm(sender.y))
        postal = postal_lines(rendered.sender_lines)
        if spec.return_line is not None and postal:
            compact = " \u00b7 ".join(postal)
            document = fitted_lines_document(
                [compact], spec.return_line, style.font_family, style.small_points, 6.0, wrap=False
            )
            self._paint_document(painter, document, mm(spec.return_line.x), mm(spec.return_line.y))
        date_align = (
            Qt.AlignmentFlag.AlignRight if spec.name == "a4" else Qt.AlignmentFlag.AlignLeft
        )
        date = lines_document(
            [rendered.date_text], mm(spec.text_width), _font(style, style.body_points), date_align
        )
        self._paint_document(painter, date, mm(spec.margin_left), mm(spec.date_top))
        address = self.address_document()
        # Never outside the window: an address that does not fit is refused before
        # output (address_problem), and the preview must not draw it over the letter.
        chosen = self._chosen_address()
        area = spec.address_area if chosen is None else chosen.area
        top = self.address_top(address)
        painter.save()
        painter.translate(mm(area.x), top)
        draw_document(
            painter, address, QRectF(0, mm(area.y) - top, mm(area.width), mm(area.height))
        )
        painter.restore()

    def address_top(self, address: QTextDocument | None = None) -> float:
        """The top of the inside address in layout units (it may sit at the area's bottom)."""
        chosen = self._chosen_address()
        area = self.spec.address_area if chosen is None else chosen.area
        anchor = self.spec.address_anchor if chosen is None else chosen.anchor
        if anchor != "bottom":
            return mm(area.y)
        height = (address or self.address_document()).size().height()
        return mm(area.bottom) - min(height, mm(area.height))

    @staticmethod
    def _first_line_bold(document: QTextDocument, style: LetterStyle) -> None:
        cursor = QTextCursor(document.begin())
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
        fmt = cursor.charFormat()
        fmt.setFontWeight(QFont.Weight.Bold)
        cursor.mergeCharFormat(fmt)

    def _chosen_address(self) -> WindowAddress | None:
        """The address as it fits the window at 10 pt or more; None when no form fits."""
        if not self._address_chosen:
            self._address, self._address_too_tall = fit_window_address(
                self.rendered.address_lines, self.spec, self.style
            )
            self._address_chosen = True
        return self._address

    @property
    def address_lines(self) -> list[str]:
        """The inside address as printed (rewritten when that makes it fit)."""
        chosen = self._chosen_address()
        if chosen is not None:
            return chosen.lines
        return [line for line in self.rendered.address_lines if line.strip()]

    @property
    def address_shortened(self) -> bool:
        """Whether the address is printed otherwise than as written (abbreviated by the
        Postal Service's rules, a line broken in two or the second name line left out)."""
        chosen = self._chosen_address()
        return chosen is not None and chosen.rule != ""

    @property
    def address_rule(self) -> str:
        """How the printed address differs from the written one ("" when it does not,
        or when it does not fit at all); see :class:`WindowAddress`."""
        chosen = self._chosen_address()
        return "" if chosen is None else chosen.rule

    def address_document(self) -> QTextDocument:
        """The inside address laid out at 10 pt or more (clipped to the window when it
        does not fit, which :meth:`address_problem` then reports)."""
        chosen = self._chosen_address()
        if chosen is not None:
            return chosen.document
        return address_lines_document(self.address_lines, self.spec.address_area, self.style)

    def address_problem(self) -> str | None:
        """Why the inside address cannot be printed in the window, or None when it fits
        (as written, or rewritten by the rules of :mod:`composer.printing.window_address`)."""
        lines = [line for line in self.rendered.address_lines if line.strip()]
        if not lines:
            return _("The letter has no address for the envelope window.")
        if self._chosen_address() is not None:
            return None
        if self._address_too_tall:
            return _(
                "The address has too many lines for the envelope window, even at 10 pt "
                "(the smallest type the post reads) and with the Postal Service's "
                "abbreviations, so nothing was printed. Shorten it to at most five lines, "
                "or choose another office."
            )
        return _(
            "The address has a line too long for the envelope window, even at 10 pt "
            "(the smallest type the post reads) and with the Postal Service's "
            "abbreviations, so nothing was printed. Shorten the street line to about "
            "35 characters, or choose another office."
        )

    def _paint_continuation_head(self, painter: QPainter, page: int) -> None:
        spec, style, rendered = self.spec, self.style, self.rendered
        dot = "  \u00b7  "
        text = f"{rendered.recipient.short_name}{dot}{rendered.date_text}{dot}Page {page + 1}"
        head = lines_document([text], mm(spec.text_width), _font(style, style.header_points))
        self._paint_document(painter, head, mm(spec.margin_left), mm(spec.margin_top))
        y = mm(spec.margin_top) + head.size().height() + style.header_points * UNITS_PER_POINT * 0.6
        painter.setPen(QPen(QColor(120, 120, 120), UNITS_PER_POINT * 0.5))
        painter.drawLine(
            QPointF(mm(spec.margin_left), y), QPointF(mm(spec.width - spec.margin_right), y)
        )

    def _paint_marks(self, painter: QPainter, *, fold: bool) -> None:
        # The pages are folded together along the first page's marks; the punch mark
        # helps on every page of a filed letter.
        painter.setPen(QPen(QColor(110, 110, 110), UNITS_PER_POINT * 0.5))
        for y in self.spec.fold_marks if fold else ():
            painter.drawLine(QPointF(mm(4), mm(y)), QPointF(mm(9), mm(y)))
        if self.spec.punch_mark is not None:
            y = self.spec.punch_mark
            painter.drawLine(QPointF(mm(4), mm(y)), QPointF(mm(11), mm(y)))

    # --- convenience ----------------------------------------------------------------------

    def page_image(self, page: int, dpi: float = 96) -> QImage:
        """Page `page` drawn on a white image at `dpi` (for the preview and for checks)."""
        return sheet_image(self.spec.width, self.spec.height, dpi, self.paint, page)
