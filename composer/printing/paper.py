"""Paper sizes, margins and where the envelope window falls on a folded page.

All lengths are in millimetres, measured from the top-left corner of the
sheet. Each window position is derived from the envelope standard named
beside it, so that the inside address shows through the window when the
page is folded in thirds (US Letter) or in the DIN way (A4).
"""

from __future__ import annotations

from dataclasses import dataclass

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
            however the folded sheet shifts in the envelope.
        address_area: where the inside address is printed (inside `window`).
        date_top: the top of the date line.
        body_top: where the text of page one starts.
        fold_marks: y positions of the fold marks.
        punch_mark: y position of the hole-punch mark, or None.
        envelope: the envelope this layout is made for.
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
    date_top: float
    body_top: float
    fold_marks: tuple[float, ...]
    punch_mark: float | None
    envelope: str

    @property
    def text_width(self) -> float:
        """Width of the body text column."""
        return self.width - self.margin_left - self.margin_right


# --- US Letter in a #10 window envelope -------------------------------------------------
# A #10 envelope is 9 1/2 x 4 1/8 in; its standard window is 4 1/2 x 1 1/8 in, set
# 7/8 in from the left edge and 1/2 in from the bottom edge. A Letter sheet folded in
# thirds is 8 1/2 x 3 2/3 in: it rests on its bottom fold, 11/24 in below the top edge of
# the envelope, and can slide up to 1 in sideways. The window below is the part of the
# top third that shows whatever the sideways position: x from 7/8 in (sheet against the
# left side) to 4 3/8 in (sheet against the right side); y is the window's own span
# moved up by the 11/24 in the sheet sits lower than the envelope's top edge.
ENVELOPE_10 = (inches(9.5), inches(4.125))
ENVELOPE_10_WINDOW = Rect(inches(0.875), inches(4.125 - 0.5 - 1.125), inches(4.5), inches(1.125))
LETTER_THIRD = inches(11 / 3)
_LETTER_DROP = ENVELOPE_10[1] - LETTER_THIRD
LETTER_WINDOW = Rect(
    x=inches(0.875),
    y=ENVELOPE_10_WINDOW.y - _LETTER_DROP,
    width=inches(4.375 - 0.875),
    height=ENVELOPE_10_WINDOW.height,
)

LETTER = PaperSpec(
    name="letter",
    width=inches(8.5),
    height=inches(11),
    margin_left=inches(1),
    margin_right=inches(1),
    margin_top=inches(0.75),
    margin_bottom=inches(0.9),
    sender_area=Rect(inches(1), inches(0.5), inches(6.5), inches(1.05)),
    return_line=None,
    window=LETTER_WINDOW,
    # A little inside the window so that a slight skew does not hide a letter.
    address_area=Rect(
        LETTER_WINDOW.x + inches(0.125),
        LETTER_WINDOW.y + inches(0.1),
        LETTER_WINDOW.width - inches(0.225),
        LETTER_WINDOW.height - inches(0.2),
    ),
    date_top=inches(1.65),
    body_top=LETTER_WINDOW.bottom + inches(0.3),
    fold_marks=(LETTER_THIRD, 2 * LETTER_THIRD),
    punch_mark=None,
    envelope="10",
)

# --- A4 in a DL window envelope (DIN 5008 form B, DIN 680 window) ----------------------
# DIN 5008 form B: the address field is 85 x 45 mm, 20 mm from the left edge and 45 mm
# from the top; its first 17.7 mm hold the return line and endorsements, the address
# itself the remaining 27.3 mm. Fold marks at 105 mm and 210 mm, punch mark at 148.5 mm.
# A DL envelope (220 x 110 mm) has its window of 90 x 45 mm 20 mm from the left and
# 15 mm from the bottom, which is where the folded form-B sheet puts the address field.
A4_ADDRESS_FIELD = Rect(20.0, 45.0, 85.0, 45.0)

A4 = PaperSpec(
    name="a4",
    width=210.0,
    height=297.0,
    margin_left=25.0,
    margin_right=20.0,
    margin_top=20.0,
    margin_bottom=22.0,
    sender_area=Rect(125.0, 12.0, 75.0, 30.0),
    return_line=Rect(25.0, A4_ADDRESS_FIELD.y + 5.0, 80.0, 5.0),
    window=A4_ADDRESS_FIELD,
    address_area=Rect(25.0, A4_ADDRESS_FIELD.y + 17.7, 80.0, 27.3),
    date_top=97.0,
    body_top=106.0,
    fold_marks=(105.0, 210.0),
    punch_mark=148.5,
    envelope="dl",
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
        raise ValueError(f"unknown paper size '{name}': choose letter or a4") from None
