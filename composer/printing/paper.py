"""Paper sizes, margins and where the envelope window falls on a folded page.

All lengths are in millimetres, measured from the top-left corner of the
sheet. Each window position is derived from the envelope standard named
beside it, so that the inside address shows through the window when the
page is folded in thirds (US Letter) or in the DIN way (A4).
"""

from __future__ import annotations

from dataclasses import dataclass

from composer.i18n import _

MM_PER_INCH = 25.4
POINTS_PER_MM = 72 / MM_PER_INCH


def inches(value: float) -> float:
    """Millimetres in `value` inches."""
    return value * MM_PER_INCH


@dataclass(frozen=True)
class Rect:
    """A rectangle on the sheet, in millimetres."""

    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        """The x of the right edge."""
        return self.x + self.width

    @property
    def bottom(self) -> float:
        """The y of the bottom edge."""
        return self.y + self.height

    def inset(self, left: float, top: float, right: float, bottom: float) -> Rect:
        """The rectangle shrunk by the given distances on each side."""
        return Rect(
            self.x + left, self.y + top, self.width - left - right, self.height - top - bottom
        )

    def contains(self, other: Rect, tolerance: float = 0.0) -> bool:
        """Whether `other` lies wholly inside this rectangle (give or take `tolerance`)."""
        return (
            other.x >= self.x - tolerance
            and other.y >= self.y - tolerance
            and other.right <= self.right + tolerance
            and other.bottom <= self.bottom + tolerance
        )


@dataclass(frozen=True)
class PaperSpec:
    """One paper size with its window envelope and business-letter geometry.

    Attributes:
        name: "letter" or "a4".
        width, height: the sheet, in mm.
        margin_left, margin_right, margin_top, margin_bottom: the body text area.
        sender_area: where the sender's name and address are printed.
        return_line: an optional one-line return address inside the window
            (DIN 5008), or None.
        window: the part of the sheet that shows through the envelope window
            of the folded sheet, whichever way it slides sideways.
        address_area: where the inside address is printed (inside `window`,
            keeping the clearance the postal rules ask for).
        address_anchor: "top" or "bottom": which edge of `address_area` the
            address block sits against.
        date_top: the top of the date line.
        body_top: where the text of page one starts.
        fold_marks: y positions of the fold marks.
        punch_mark: y position of the hole-punch mark, or None.
        envelope: the window envelope this layout is made for ("10" or "dl").
        wide_address_area: all of the window an address may take when it does not
            fit `address_area` at 10 pt (its bottom edge is that of `address_area`,
            against which it sits); None when that is `address_area` itself.
    """

    name: str
    width: float
    height: float
    margin_left: float
    margin_right: float
    margin_top: float
    margin_bottom: float
    sender_area: Rect
    return_line: Rect | None
    window: Rect
    address_area: Rect
    address_anchor: str
    date_top: float
    body_top: float
    fold_marks: tuple[float, ...]
    punch_mark: float | None
    envelope: str
    wide_address_area: Rect | None = None

    @property
    def text_width(self) -> float:
        """Width of the body text column."""
        return self.width - self.margin_left - self.margin_right

    @property
    def address_areas(self) -> tuple[Rect, ...]:
        """Where an inside address may go, the preferred place first."""
        if self.wide_address_area is None:
            return (self.address_area,)
        return (self.address_area, self.wide_address_area)


def folded_window(
    envelope: tuple[float, float],
    window: Rect,
    sheet_width: float,
    panel_height: float,
) -> Rect:
    """The part of a folded sheet that a window envelope shows, on the unfolded sheet.

    The folded sheet (`sheet_width` wide, its top panel `panel_height` tall) rests
    on its bottom fold at the bottom of the envelope, so it sits lower than the
    envelope's top edge by the difference in height. Sideways it can slide from
    one side of the envelope to the other; the window counted here is only the
    part that shows in every sideways position.

    Args:
        envelope: width and height of the envelope.
        window: the window, measured on the envelope from its top-left corner.
        sheet_width: width of the folded sheet.
        panel_height: height of the folded sheet (its top panel).
    """
    drop = envelope[1] - panel_height
    play = envelope[0] - sheet_width
    return Rect(window.x, window.y - drop, window.width - play, window.height)


# --- US Letter in a #10 window envelope -------------------------------------------------
# #10 commercial envelope: 9 1/2 x 4 1/8 in. Its standard window is 4 1/2 x 1 1/8 in,
# 7/8 in from the left edge and 1/2 in from the bottom edge (the position USPS
# Publication 25 and envelope makers call standard; window specifications are given
# from the left first, from the bottom second).
ENVELOPE_10 = (inches(9.5), inches(4.125))
ENVELOPE_10_WINDOW = Rect(inches(0.875), inches(4.125 - 0.5 - 1.125), inches(4.5), inches(1.125))
# A Letter sheet folded in thirds (a Z-fold, address panel outwards) is 8 1/2 x 3 2/3 in.
LETTER_THIRD = inches(11 / 3)
# USPS DMM 601.6.3: the address must show in the window with at least 1/8 in of
# clearance on every side, even when the insert moves inside the envelope.
USPS_WINDOW_CLEARANCE = inches(0.125)
# The folded letter rests on its bottom fold, 11/24 in below the envelope's top edge,
# and may slide 1 in sideways: the window shows x 7/8 in..4 3/8 in and y 2 1/24 in..
# 3 1/6 in of the sheet. If the sheet slides up instead, the window moves down the
# sheet; the address therefore sits against the bottom of its area so that the lines
# sorting machines read (city, state, ZIP) are the ones that stay visible.
LETTER_WINDOW = folded_window(ENVELOPE_10, ENVELOPE_10_WINDOW, inches(8.5), LETTER_THIRD)

LETTER = PaperSpec(
    name="letter",
    width=inches(8.5),
    height=inches(11),
    # A business letter: 1 in side margins, a little less at the top where the
    # letterhead sits and for the continuation header.
    margin_left=inches(1),
    margin_right=inches(1),
    margin_top=inches(0.75),
    margin_bottom=inches(0.9),
    sender_area=Rect(inches(1), inches(0.5), inches(6.5), inches(1.05)),
    return_line=None,
    window=LETTER_WINDOW,
    address_area=LETTER_WINDOW.inset(
        USPS_WINDOW_CLEARANCE, USPS_WINDOW_CLEARANCE, USPS_WINDOW_CLEARANCE, USPS_WINDOW_CLEARANCE
    ),
    address_anchor="bottom",
    date_top=inches(1.65),
    body_top=LETTER_WINDOW.bottom + inches(0.3),
    fold_marks=(LETTER_THIRD, 2 * LETTER_THIRD),
    punch_mark=None,
    envelope="10",
)

# --- A4 in a DL window envelope (DIN 5008 form B, DIN 680 window) ----------------------
# DIN 5008 form B: the address field is 85 x 45 mm, 20 mm from the left edge and 45 mm
# from the top. Its first 17.7 mm are the "Zusatz- und Vermerkzone" (return line and
# endorsements), the remaining 27.3 mm the "Anschriftzone" for up to six address lines,
# written from 25 mm (5 mm inside the field). Fold marks at 105 mm and 210 mm, punch
# mark at 148.5 mm (half the height).
A4_ADDRESS_FIELD = Rect(20.0, 45.0, 85.0, 45.0)
DIN5008_ENDORSEMENT_ZONE = 17.7
DIN5008_ADDRESS_INDENT = 5.0
A4_FOLD = 105.0
# DL envelope (ISO 269): 220 x 110 mm. DIN 680 window: 90 x 45 mm, 20 mm from the left
# edge and 15 mm from the bottom. The folded sheet (210 x 105 mm) rests 5 mm below the
# envelope's top edge, which puts the window exactly over the form-B address field;
# sideways it may slide 10 mm, so the part always shown ends at 100 mm.
ENVELOPE_DL = (220.0, 110.0)
ENVELOPE_DL_WINDOW = Rect(20.0, 110.0 - 15.0 - 45.0, 90.0, 45.0)
A4_WINDOW = folded_window(ENVELOPE_DL, ENVELOPE_DL_WINDOW, 210.0, A4_FOLD)
# Keep clear of the window's right edge as on US mail (a slightly skewed sheet).
A4_WINDOW_CLEARANCE = 2.0

A4 = PaperSpec(
    name="a4",
    width=210.0,
    height=297.0,
    # DIN 5008: left margin 25 mm, right margin at least 20 mm.
    margin_left=25.0,
    margin_right=20.0,
    margin_top=20.0,
    margin_bottom=22.0,
    # The sender's block at the top right, its right edge on the text's right margin.
    sender_area=Rect(210.0 - 20.0 - 75.0, 12.0, 75.0, 30.0),
    # The return line sits at the top of the endorsement zone, inside what the window shows.
    return_line=Rect(
        A4_ADDRESS_FIELD.x + DIN5008_ADDRESS_INDENT, A4_ADDRESS_FIELD.y + 5.0, 73.0, 5.0
    ),
    window=A4_WINDOW,
    address_area=Rect(
        A4_ADDRESS_FIELD.x + DIN5008_ADDRESS_INDENT,
        A4_ADDRESS_FIELD.y + DIN5008_ENDORSEMENT_ZONE,
        A4_WINDOW.right - A4_WINDOW_CLEARANCE - (A4_ADDRESS_FIELD.x + DIN5008_ADDRESS_INDENT),
        A4_ADDRESS_FIELD.height - DIN5008_ENDORSEMENT_ZONE,
    ),
    address_anchor="top",
    date_top=97.0,
    body_top=106.0,
    fold_marks=(A4_FOLD, 2 * A4_FOLD),
    punch_mark=297.0 / 2,
    envelope="dl",
    # An address too wide or too tall for the form-B field at 10 pt may use the window's
    # whole width (the same clearance on the left as on the right) and its height below
    # the return line; the sender's return line stays the only other thing it shows.
    wide_address_area=Rect(
        A4_WINDOW.x + A4_WINDOW_CLEARANCE,
        A4_ADDRESS_FIELD.y + 5.0 + 5.0 + 1.0,
        A4_WINDOW.width - 2 * A4_WINDOW_CLEARANCE,
        A4_ADDRESS_FIELD.bottom - (A4_ADDRESS_FIELD.y + 5.0 + 5.0 + 1.0),
    ),
)

PAPERS = {"letter": LETTER, "a4": A4}


def paper(name: str) -> PaperSpec:
    """The paper specification by name ("letter" or "a4").

    Raises:
        ValueError: unknown name.
    """
    try:
        return PAPERS[name.lower()]
    except KeyError:
        raise ValueError(
            _("unknown paper size '{name}': choose letter or a4").format(name=name)
        ) from None
