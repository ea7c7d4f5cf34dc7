"""The letter order of chosen arguments: openings first, closings last, one of each."""

from __future__ import annotations

import pytest

from composer.core.campaigns import Campaign, default_campaign
from composer.core.compose import is_letter_order, moved, new_letter, with_argument

OPENING = "opening-ask-president"
OTHER_OPENING = "opening-citizen-concern"
CLOSING = "reply-president"
OTHER_CLOSING = "reply-congress"
BODY = ["unprepared-conscripts", "lives-on-both-sides", "screening-and-bars"]


@pytest.fixture(scope="module")
def campaign() -> Campaign:
    return default_campaign()


def test_a_ticked_body_argument_goes_before_the_closing(campaign: Campaign) -> None:
    chosen = [OPENING, BODY[0], CLOSING]
    assert with_argument(campaign, chosen, BODY[1]) == [OPENING, BODY[0], BODY[1], CLOSING]


def test_a_ticked_opening_goes_first_and_replaces_the_other(campaign: Campaign) -> None:
    assert with_argument(campaign, [BODY[0], CLOSING], OPENING) == [OPENING, BODY[0], CLOSING]
    assert with_argument(campaign, [OPENING, BODY[0]], OTHER_OPENING) == [OTHER_OPENING, BODY[0]]


def test_a_ticked_closing_goes_last_and_replaces_the_other(campaign: Campaign) -> None:
    assert with_argument(campaign, [OPENING, CLOSING], OTHER_CLOSING) == [OPENING, OTHER_CLOSING]
    assert with_argument(campaign, [BODY[0]], CLOSING) == [BODY[0], CLOSING]


def test_moves_stay_inside_the_letter_order(campaign: Campaign) -> None:
    chosen = [OPENING, BODY[0], BODY[1], CLOSING]
    assert moved(campaign, chosen, BODY[1], -1) == [OPENING, BODY[1], BODY[0], CLOSING]
    assert moved(campaign, chosen, BODY[0], -1) == chosen  # not above the opening
    assert moved(campaign, chosen, BODY[1], 1) == chosen  # not below the closing
    assert moved(campaign, chosen, OPENING, -1) == chosen
    assert moved(campaign, chosen, "not-chosen", 1) == chosen


def test_letter_order(campaign: Campaign) -> None:
    assert is_letter_order(campaign, [OPENING, *BODY, CLOSING])
    assert not is_letter_order(campaign, [CLOSING, OPENING])
    assert not is_letter_order(campaign, [OPENING, OTHER_OPENING])
    assert not is_letter_order(campaign, [BODY[0], BODY[0]])


def test_new_letter_puts_openings_first_and_closings_last(campaign: Campaign) -> None:
    letter = new_letter(campaign, [CLOSING, BODY[1], OPENING, BODY[0]])
    assert letter.argument_ids == [OPENING, BODY[1], BODY[0], CLOSING]
    text = letter.body_html
    assert text.index(campaign.argument(OPENING).html) < text.index(campaign.argument(BODY[1]).html)
    assert text.endswith(campaign.argument(CLOSING).html)
    with pytest.raises(KeyError):
        new_letter(campaign, ["no-such-argument"])
