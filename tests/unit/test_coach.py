"""The personalization coach: own words against stock paragraphs."""

from __future__ import annotations

import time

import pytest

from composer.core.campaigns import Campaign, find_campaign
from composer.core.coach import Coach, CoachReport, words


@pytest.fixture(scope="module")
def campaign() -> Campaign:
    return find_campaign("protect-russian-defectors")


@pytest.fixture(scope="module")
def coach(campaign: Campaign) -> Coach:
    return Coach.for_campaign(campaign)


def stock_letter(campaign: Campaign) -> str:
    return "\n".join(campaign.argument(a).plain_text for a in campaign.default_arguments)


def test_words_fold_case_and_apostrophes() -> None:
    assert words("Don\u2019t STOP, don't-stop: the U.S. took 1,000 men!") == [
        "don't",
        "stop",
        "don't-stop",
        "the",
        "u.s",
        "took",
        "1,000",
        "men",
    ]


def test_words_are_counted_as_the_editor_counts_them(campaign: Campaign) -> None:
    text = stock_letter(campaign)
    assert len(words(text)) == len(text.split())


def test_a_letter_of_stock_paragraphs_has_no_own_words(coach: Coach, campaign: Campaign) -> None:
    report = coach.assess(stock_letter(campaign))
    assert report.total_words > 200
    assert report.own_words == 0
    assert report.own_percent == 0
    assert not report.has_personal_sentence
    assert report.is_stock_only
    assert report.stock_arguments == campaign.default_arguments


def test_a_personal_paragraph_counts_as_own(coach: Coach, campaign: Campaign) -> None:
    mine = (
        "My grandfather left the Soviet army in 1979 and built a new life in Ohio, "
        "so I know what such a choice costs a family."
    )
    report = coach.assess(stock_letter(campaign) + "\n" + mine)
    assert report.own_words == len(words(mine))
    assert report.has_personal_sentence
    assert report.personal_sentences == (mine,)
    assert not report.is_stock_only
    assert 0 < report.own_percent < 20
    assert report.paragraphs[-1].argument_id is None


def test_small_edits_count_only_where_they_are_made(coach: Coach, campaign: Campaign) -> None:
    text = campaign.argument("drain-manpower").plain_text
    tokens = text.split()
    tokens[len(tokens) // 2] = "zebra"  # one word changed in the middle
    edited = " ".join(tokens)
    report = coach.assess(edited)
    assert report.own_words == 1
    assert report.paragraphs[0].argument_id == "drain-manpower"
    # Reflowed or retyped quotes and case do not make stock text one's own.
    report = coach.assess(text.upper().replace("'", "\u2019"))
    assert report.own_words == 0


def test_a_short_remark_is_not_yet_a_personal_sentence(coach: Coach, campaign: Campaign) -> None:
    report = coach.assess(stock_letter(campaign) + "\nThank you so much.")
    assert report.own_words == 4
    assert not report.has_personal_sentence
    assert report.is_stock_only


def test_a_personal_sentence_inside_a_stock_paragraph_is_found(
    coach: Coach, campaign: Campaign
) -> None:
    stock = campaign.argument("drain-manpower").plain_text
    mine = "As a nurse in Tucson I see what war does to families."
    report = coach.assess(f"{stock} {mine}")
    assert report.personal_sentences == (mine,)
    assert report.paragraphs[0].argument_id == "drain-manpower"


def test_empty_letter_and_empty_campaign() -> None:
    assert CoachReport().own_share == 0.0
    assert not CoachReport().is_stock_only
    report = Coach.for_campaign(None).assess("Anything at all that I wrote myself today.")
    assert report.own_share == 1.0
    assert report.has_personal_sentence


def test_own_percent_never_claims_100_while_stock_remains(coach: Coach, campaign: Campaign) -> None:
    stock = campaign.argument("drain-manpower").plain_text.split()[:4]
    mine = " ".join(["word"] * 1000)
    report = coach.assess(" ".join(stock) + " " + mine)
    assert report.stock_words == 4
    assert report.own_percent == 99


def test_assessing_is_fast_enough_to_run_while_typing(coach: Coach, campaign: Campaign) -> None:
    # A long letter: twelve stock paragraphs, about 1,000 words.
    letter = "\n".join(a.plain_text for a in campaign.arguments[:12])
    assert len(words(letter)) > 900
    started = time.perf_counter()
    for _ in range(20):
        coach.assess(letter)
    per_run = (time.perf_counter() - started) / 20
    # Measured at about 5 ms here; the window runs it at most every 250 ms while typing.
    assert per_run < 0.025, f"{per_run * 1000:.1f} ms per assessment"
