"""The page geometry against the envelope standards it is derived from (no Qt needed)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from composer.printing.paper import (
    A4,
    A4_FOLD,
    ENVELOPE_10,
    ENVELOPE_10_WINDOW,
    ENVELOPE_DL,
    ENVELOPE_DL_WINDOW,
    LETTER,
    LETTER_THIRD,
    USPS_WINDOW_CLEARANCE,
    PaperSpec,
    Rect,
    inches,
    paper,
)

ENVELOPES = {"letter": (ENVELOPE_10, ENVELOPE_10_WINDOW), "a4": (ENVELOPE_DL, ENVELOPE_DL_WINDOW)}
PANELS = {"letter": LETTER_THIRD, "a4": A4_FOLD}


def test_envelope_sizes_and_windows_are_the_standard_ones() -> None:
    # #10: 9 1/2 x 4 1/8 in, window 4 1/2 x 1 1/8 in at 7/8 in from the left, 1/2 in from the bottom.
    assert pytest.approx((241.3, 104.775)) == ENVELOPE_10
    assert ENVELOPE_10_WINDOW.x == pytest.approx(inches(7 / 8))
    assert ENVELOPE_10[1] - ENVELOPE_10_WINDOW.bottom == pytest.approx(inches(1 / 2))
    assert (ENVELOPE_10_WINDOW.width, ENVELOPE_10_WINDOW.height) == pytest.approx(
        (inches(4.5), inches(1.125))
    )
    # DL: 220 x 110 mm, DIN 680 window 90 x 45 mm at 20 mm from the left, 15 mm from the bottom.
    assert ENVELOPE_DL == (220.0, 110.0)
    assert Rect(20.0, 50.0, 90.0, 45.0) == ENVELOPE_DL_WINDOW


def test_window_on_the_folded_letter_sheet() -> None:
    assert LETTER.window.x == pytest.approx(inches(0.875))
    assert LETTER.window.right == pytest.approx(inches(4.375))
    assert LETTER.window.y == pytest.approx(inches(2.5 - (4.125 - 11 / 3)))
    assert LETTER.window.bottom == pytest.approx(inches(3 + 1 / 6))


def test_window_on_the_folded_a4_sheet_is_the_din_5008_form_b_field() -> None:
    # The DL window falls exactly on the form-B address field (45 mm down, 20 mm in),
    # less the 10 mm the sheet can slide sideways.
    assert A4.window == Rect(20.0, 45.0, 80.0, 45.0)
    assert A4.address_area.y == pytest.approx(45.0 + 17.7)
    assert A4.address_area.bottom == pytest.approx(90.0)
    assert A4.address_area.x == pytest.approx(25.0)


@pytest.mark.parametrize("spec", [LETTER, A4], ids=["letter", "a4"])
def test_folded_sheet_fits_its_envelope(spec: PaperSpec) -> None:
    (width, height), _window = ENVELOPES[spec.name]
    assert spec.width <= width
    assert PANELS[spec.name] <= height
    assert spec.fold_marks[0] == pytest.approx(PANELS[spec.name])


@pytest.mark.parametrize("spec", [LETTER, A4], ids=["letter", "a4"])
@given(slide=st.floats(min_value=0.0, max_value=1.0))
def test_window_area_shows_wherever_the_sheet_slides_sideways(
    spec: PaperSpec, slide: float
) -> None:
    (width, height), window = ENVELOPES[spec.name]
    play = width - spec.width
    drop = height - PANELS[spec.name]
    offset = slide * play
    # The sheet's window area, seen on the envelope with the sheet `offset` from the left
    # and resting on its bottom fold, lies within the envelope's window.
    seen = Rect(spec.window.x + offset, spec.window.y + drop, spec.window.width, spec.window.height)
    assert window.contains(seen, tolerance=1e-9)


def test_letter_address_keeps_the_usps_clearance_inside_the_window() -> None:
    area, window = LETTER.address_area, LETTER.window
    assert pytest.approx(inches(1 / 8)) == USPS_WINDOW_CLEARANCE
    for gap in (
        area.x - window.x,
        area.y - window.y,
        window.right - area.right,
        window.bottom - area.bottom,
    ):
        assert gap >= USPS_WINDOW_CLEARANCE - 1e-9
    # Four lines of 11 pt type must fit.
    assert area.height >= 4 * 11 * 1.17 * 25.4 / 72


@pytest.mark.parametrize("spec", [LETTER, A4], ids=["letter", "a4"])
def test_only_the_address_shows_through_the_window(spec: PaperSpec) -> None:
    assert spec.window.contains(spec.address_area)
    if spec.return_line is not None:
        assert spec.window.contains(spec.return_line)
    assert spec.sender_area.bottom <= spec.window.y
    # The date and the text begin below the window (A4) or the date ends above it (Letter).
    assert spec.body_top >= spec.window.bottom
    if spec.date_top < spec.window.y:
        assert spec.date_top + 6 <= spec.window.y
    else:
        assert spec.date_top >= spec.window.bottom


def test_fold_and_punch_marks() -> None:
    assert LETTER.fold_marks == pytest.approx((inches(11 / 3), inches(22 / 3)))
    assert A4.fold_marks == (105.0, 210.0)
    assert A4.punch_mark == pytest.approx(148.5)
    assert LETTER.punch_mark is None


def test_margins_of_a_business_letter() -> None:
    assert (LETTER.margin_left, LETTER.margin_right) == pytest.approx((inches(1), inches(1)))
    assert LETTER.text_width == pytest.approx(inches(6.5))
    assert (A4.margin_left, A4.margin_right) == (25.0, 20.0)
    assert A4.sender_area.right == pytest.approx(A4.width - A4.margin_right)


def test_paper_by_name() -> None:
    assert paper("A4") is A4
    assert paper("letter") is LETTER
    with pytest.raises(ValueError, match="letter or a4"):
        paper("legal")
