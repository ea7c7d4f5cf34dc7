"""Envelopes: the return address top left, the recipient where the post's machines read.

An envelope is laid out landscape, as it lies on the desk with the flap at the
top. All lengths are in millimetres from the envelope's top-left corner. Each
zone is a named constant with the rule it comes from; :class:`EnvelopePages` is
a Paintable like the letter, so the preview, the PDF and the printer draw it
with the same code.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter, QTextDocument

from composer.core.models import Sender
from composer.core.postal import (
    DESTINATION_COUNTRY,
    abbreviate,
    delivery_lines,
    is_foreign_country_line,
)
from composer.i18n import _
from composer.printing.letter_layout import (
    LAYOUT_DPI,
    draw_document,
    fitted_lines_document,
    laid_out_lines,
    mm,
    sheet_image,
)
from composer.printing.paper import ENVELOPE_10, ENVELOPE_DL, Rect, inches


@dataclass(frozen=True)
class EnvelopeSpec:
    """One envelope size and where its addresses go.

    Attributes:
        name: "10", "dl" or "c5" (what ``--size`` takes).
        label: how the size is shown to people.
        width, height: the envelope lying landscape, in mm.
        return_area: where the sender's return address goes (top left).
        read_area: the zone the whole delivery address must lie in for the
            post's reading machines.
        keep_clear: zones on which nothing may be printed (barcode, coding zone).
        centre_address: centre the address block across the envelope (US practice)
            rather than start it at the envelope's middle (German practice,
            "bottom right").
    """

    name: str
    label: str
    width: float
    height: float
    return_area: Rect
    read_area: Rect
    keep_clear: tuple[Rect, ...]
    centre_address: bool


# --- #10 (USPS) -------------------------------------------------------------------------
# USPS Publication 28, appendix A1 (and DMM 202.2): the whole delivery address lies in
# the OCR read area, from 5/8 in to 2 3/4 in above the bottom edge with 1/2 in margins on
# each side; the barcode clear zone, 5/8 in tall along the bottom and 4 3/4 in from the
# right edge, stays free of any printing.
USPS_OCR_SIDE_MARGIN = inches(0.5)
USPS_OCR_BOTTOM = inches(0.625)
USPS_OCR_TOP = inches(2.75)
USPS_BARCODE_ZONE_WIDTH = inches(4.75)
_W10, _H10 = ENVELOPE_10
# The return address in the upper left corner (Publication 28), kept above the OCR
# read area so the machines cannot mistake it for the delivery address.
ENVELOPE_10_RETURN = Rect(
    inches(0.375), inches(0.3), inches(3.6), _H10 - USPS_OCR_TOP - inches(0.4)
)

ENVELOPE_10_SPEC = EnvelopeSpec(
    name="10",
    label="#10 (9 1/2 x 4 1/8 in)",
    width=_W10,
    height=_H10,
    return_area=ENVELOPE_10_RETURN,
    read_area=Rect(
        USPS_OCR_SIDE_MARGIN,
        _H10 - USPS_OCR_TOP,
        _W10 - 2 * USPS_OCR_SIDE_MARGIN,
        USPS_OCR_TOP - USPS_OCR_BOTTOM,
    ),
    keep_clear=(
        Rect(
            _W10 - USPS_BARCODE_ZONE_WIDTH,
            _H10 - USPS_OCR_BOTTOM,
            USPS_BARCODE_ZONE_WIDTH,
            USPS_OCR_BOTTOM,
        ),
    ),
    centre_address=True,
)

# --- DL and C5 (Deutsche Post, DIN 5008) ----------------------------------------------
# Deutsche Post, "Automationsfähige Briefsendungen": the address ("Aufschrift") lies in the
# reading zone, at least 15 mm from the left, right and bottom edges and at least 40 mm
# below the top edge (the franking zone is the top right corner above it); the bottom
# 15 mm are the coding zone, where the post prints its barcode. Sender top left,
# recipient bottom right, address lines left-aligned without blank lines (DIN 5008).
DP_SIDE_MARGIN = 15.0
DP_CODING_ZONE = 15.0
DP_READ_TOP = 40.0
DP_RETURN_TOP = 10.0
ENVELOPE_C5 = (229.0, 162.0)


def _din_envelope(name: str, label: str, size: tuple[float, float]) -> EnvelopeSpec:
    width, height = size
    return EnvelopeSpec(
        name=name,
        label=label,
        width=width,
        height=height,
        return_area=Rect(DP_SIDE_MARGIN, DP_RETURN_TOP, 95.0, DP_READ_TOP - DP_RETURN_TOP - 4.0),
        read_area=Rect(
            DP_SIDE_MARGIN,
            DP_READ_TOP,
            width - 2 * DP_SIDE_MARGIN,
            height - DP_READ_TOP - DP_CODING_ZONE,
        ),
        keep_clear=(Rect(0.0, height - DP_CODING_ZONE, width, DP_CODING_ZONE),),
        centre_address=False,
    )


ENVELOPE_DL_SPEC = _din_envelope("dl", "DL (220 x 110 mm)", ENVELOPE_DL)
ENVELOPE_C5_SPEC = _din_envelope("c5", "C5 (229 x 162 mm)", ENVELOPE_C5)

ENVELOPES = {spec.name: spec for spec in (ENVELOPE_10_SPEC, ENVELOPE_DL_SPEC, ENVELOPE_C5_SPEC)}


def envelope(name: str) -> EnvelopeSpec:
    """The envelope by name: "10", "dl" or "c5" ("#10" and upper case are accepted).

    Raises:
        ValueError: unknown name.
    """
    key = name.strip().lower().lstrip("#")
    try:
        return ENVELOPES[key]
    except KeyError:
        raise ValueError(
            _("unknown envelope size '{name}': choose 10, dl or c5").format(name=name)
        ) from None


@dataclass(frozen=True)
class EnvelopeStyle:
    """Type of an envelope. USPS (DMM 202.1, Publication 28) and Deutsche Post both ask
    for 10-12 pt, plain, preferably sans-serif type for the address: it is never set
    smaller than 10 pt; a line too long is abbreviated instead (see :func:`abbreviate`)."""

    font_family: str = "DejaVu Sans"
    address_points: float = 12.0
    min_address_points: float = 10.0
    return_points: float = 9.0
    min_return_points: float = 7.0


_UNIT_AT_END = re.compile(
    r"^(?P<street>.*?\S)[,\s]+(?P<unit>(?:Suite|Ste|Room|Rm|Apt|Apartment|Unit|Floor|Fl|#)"
    r"\.?\s*[\w-]+)$",
    re.IGNORECASE,
)


def _unit_above(lines: list[str]) -> list[str]:
    """Publication 28: a unit that does not fit on the delivery line goes on the line above."""
    if len(lines) < 3:
        return lines
    street = lines[-2]
    match = _UNIT_AT_END.match(street)
    if not match:
        return lines
    return [*lines[:-2], match.group("unit"), match.group("street").rstrip(","), lines[-1]]


class EnvelopePages:
    """Envelopes for a batch of letters: one page per recipient, in the letters' order.

    Args:
        spec: the envelope size.
        return_lines: the sender's name and postal address (may be empty).
        addresses: each recipient's address lines.
        style: type sizes and face.
        abroad: the letter is posted outside the United States, so each address
            ends with "UNITED STATES OF AMERICA". None (the default) decides by
            the return address: one that ends with a country other than the
            United States (as :func:`return_address_lines` writes it) is abroad.
    """

    def __init__(
        self,
        spec: EnvelopeSpec,
        return_lines: Sequence[str],
        addresses: Sequence[Sequence[str]],
        *,
        style: EnvelopeStyle | None = None,
        abroad: bool | None = None,
    ) -> None:
        self.spec = spec
        self.style = style or EnvelopeStyle()
        self.return_lines = [line for line in return_lines if line.strip()]
        if abroad is None:
            abroad = bool(self.return_lines) and is_foreign_country_line(self.return_lines[-1])
        self.abroad = abroad
        self.addresses = [delivery_lines(lines, abroad) for lines in addresses]
        self._return = (
            fitted_lines_document(
                self.return_lines,
                spec.return_area,
                self.style.font_family,
                self.style.return_points,
                self.style.min_return_points,
                wrap=False,
            )
            if self.return_lines
            else None
        )
        self._addresses = [self._address_document(lines) for lines in self.addresses]

    def _address_document(self, lines: list[str]) -> QTextDocument:
        """The address at the largest size that fits, never below the minimum.

        In turn: the lines as given; on a DIN envelope, the reading zone's whole
        width instead of only its right half; the street and unit lines
        abbreviated by Publication 28; the unit moved to the line above the
        street, so the street line stays whole directly above the city line.
        Only if none of these fits (a line far longer than any in the
        directory) may a line wrap.
        """
        read = self.spec.read_area
        areas = [read]
        if not self.spec.centre_address:
            # Bottom right: the block starts at the middle of the envelope if it can.
            middle = Rect(
                self.spec.width / 2, read.y, read.right - self.spec.width / 2, read.height
            )
            areas = [middle, read]
        shortened = [
            lines[0],
            *(abbreviate(line, compress=True) for line in lines[1:-1]),
            lines[-1],
        ]
        if len(lines) < 3:
            shortened = lines
        if shortened and shortened[-1] == DESTINATION_COUNTRY:
            unit_split = [*_unit_above(shortened[:-1]), DESTINATION_COUNTRY]
        else:
            unit_split = _unit_above(shortened)
        tries = [(area, lines) for area in areas]
        tries += [(read, shortened), (read, unit_split)]
        document: QTextDocument | None = None
        for area, candidate in tries:
            document = self._fitted(candidate, area)
            if self._fits(document, candidate, area):
                return document
        return self._fitted(unit_split, read, wrap=True)

    def _fitted(self, lines: list[str], area: Rect, wrap: bool = False) -> QTextDocument:
        return fitted_lines_document(
            lines,
            area,
            self.style.font_family,
            self.style.address_points,
            self.style.min_address_points,
            wrap=wrap,
        )

    @staticmethod
    def _fits(document: QTextDocument, lines: list[str], area: Rect) -> bool:
        return (
            laid_out_lines(document) <= len(lines)
            and document.size().height() <= mm(area.height) + 0.5
        )

    def address_problems(self) -> list[str]:
        """Why envelopes cannot be printed, one sentence per envelope that cannot.

        An address is laid out at the minimum size, shortened and split as
        `_address_document` says; one still taller than the reading zone would
        run into the stamp or the bar code, so it is refused instead.
        """
        read = self.spec.read_area
        return [
            _(
                "The address of “{name}” is too long for the envelope, even in small "
                "type and with the Postal Service's abbreviations, so nothing was printed. "
                "Shorten it (at most five lines of about 40 characters)."
            ).format(name=lines[0])
            for lines, document in zip(self.addresses, self._addresses, strict=True)
            if lines and document.size().height() > mm(read.height) + 0.5
        ]

    @property
    def page_count(self) -> int:
        """One envelope per recipient."""
        return len(self._addresses)

    def page_size_points(self) -> tuple[float, float]:
        """Width and height of the envelope in points (landscape)."""
        return self.spec.width * 72 / 25.4, self.spec.height * 72 / 25.4

    def address_rect(self, page: int) -> Rect:
        """Where the delivery address block of envelope `page` is drawn, in mm."""
        spec, document = self.spec, self._addresses[page]
        width = document.idealWidth() / mm(1)
        height = document.size().height() / mm(1)
        read = spec.read_area
        # Centred across a US envelope; from the middle (bottom right) on a DIN one.
        x = (spec.width - width) / 2 if spec.centre_address else spec.width / 2
        x = min(max(x, read.x), max(read.x, read.right - width))
        y = read.y + (read.height - height) / 2
        return Rect(x, max(read.y, y), width, height)

    def return_rect(self) -> Rect | None:
        """Where the return address is drawn, in mm (None without a sender)."""
        if self._return is None:
            return None
        area = self.spec.return_area
        return Rect(
            area.x,
            area.y,
            self._return.idealWidth() / mm(1),
            self._return.size().height() / mm(1),
        )

    def paint(self, painter: QPainter, page: int, device_dpi: float) -> None:
        """Draw envelope `page` (0-based) with the painter at its top-left corner.

        Args:
            painter: an active painter whose origin is the envelope's top-left corner.
            page: which envelope.
            device_dpi: dots per inch of the painter's device.
        """
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        painter.scale(device_dpi / LAYOUT_DPI, device_dpi / LAYOUT_DPI)
        if self._return is not None:
            area = self.spec.return_area
            self._draw(painter, self._return, mm(area.x), mm(area.y))
        rect = self.address_rect(page)
        self._draw(painter, self._addresses[page], mm(rect.x), mm(rect.y))
        painter.restore()

    @staticmethod
    def _draw(painter: QPainter, document: QTextDocument, x: float, y: float) -> None:
        painter.save()
        painter.translate(x, y)
        size = document.size()
        draw_document(painter, document, QRectF(0, 0, size.width(), size.height()))
        painter.restore()

    def page_image(self, page: int, dpi: float = 96) -> QImage:
        """Envelope `page` drawn on a white image at `dpi` (for previews and checks)."""
        return sheet_image(self.spec.width, self.spec.height, dpi, self.paint, page)


def envelope_for_paper(paper_name: str) -> EnvelopeSpec:
    """The envelope that goes with a paper size: #10 for US Letter, DL for A4."""
    return ENVELOPE_10_SPEC if paper_name == "letter" else ENVELOPE_DL_SPEC


def return_address_lines(sender: Sender) -> list[str]:
    """The return address: the sender's name and postal address (no e-mail or phone).

    An address abroad is written in its country's order and ends with the
    country (see :func:`composer.core.postal.postal_address_lines`).
    """
    return [line for line in (sender.name.strip(), *sender.address_lines()) if line]
