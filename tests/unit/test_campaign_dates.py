"""A pack's review date, each argument's `facts_as_of`, and which positions are exclusive."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from composer.core.campaigns import find_campaign, load_campaign, read_campaign
from tests.unit.test_campaign_loader import ARGUMENT, CAMPAIGN, make_pack

DATED_ARGUMENT = ARGUMENT.replace(
    'sources = ["gazette"]\n', 'sources = ["gazette"]\nfacts_as_of = 2025-06-30\n'
)


def test_review_and_facts_dates_are_read_as_dates(tmp_path: Path) -> None:
    pack = make_pack(tmp_path, "reviewed = 2025-07-01\n" + CAMPAIGN, hello=DATED_ARGUMENT)
    campaign = load_campaign(pack)
    assert campaign.reviewed == dt.date(2025, 7, 1)
    assert campaign.argument("hello").facts_as_of == dt.date(2025, 6, 30)


def test_a_date_in_quotes_is_accepted(tmp_path: Path) -> None:
    pack = make_pack(tmp_path, 'reviewed = "2025-07-01"\n' + CAMPAIGN)
    assert load_campaign(pack).reviewed == dt.date(2025, 7, 1)


def test_dates_are_optional(tmp_path: Path) -> None:
    campaign = load_campaign(make_pack(tmp_path))
    assert campaign.reviewed is None
    assert campaign.argument("hello").facts_as_of is None


def test_a_bad_date_is_named_with_its_file_line_and_field(tmp_path: Path) -> None:
    bad_argument = DATED_ARGUMENT.replace("2025-06-30", '"last spring"')
    pack = make_pack(tmp_path, 'reviewed = "1 July 2025"\n' + CAMPAIGN, hello=bad_argument)
    _campaign, problems = read_campaign(pack)
    found = {(p.file, p.line, p.field) for p in problems}
    assert ("campaign.toml", 1, "reviewed") in found
    assert ("arguments/hello.md", 7, "facts_as_of") in found
    assert all("YYYY-MM-DD" in p.message for p in problems)


def test_a_date_with_a_time_is_refused(tmp_path: Path) -> None:
    pack = make_pack(tmp_path, "reviewed = 2025-07-01T10:00:00\n" + CAMPAIGN)
    _campaign, problems = read_campaign(pack)
    assert [p.field for p in problems] == ["reviewed"]


def test_the_review_warning_comes_after_a_year(tmp_path: Path) -> None:
    campaign = load_campaign(make_pack(tmp_path, "reviewed = 2025-07-01\n" + CAMPAIGN))
    assert campaign.review_warning(dt.date(2026, 7, 1)) == ""
    warning = campaign.review_warning(dt.date(2026, 7, 2))
    assert "2025-07-01" in warning
    assert "more than a year" in warning


def test_a_pack_without_a_review_date_says_so(tmp_path: Path) -> None:
    campaign = load_campaign(make_pack(tmp_path))
    assert "does not say when" in campaign.review_warning(dt.date(2026, 1, 1))


def test_openings_and_closings_are_exclusive_unless_the_pack_says_otherwise(
    tmp_path: Path,
) -> None:
    assert load_campaign(make_pack(tmp_path / "a")).exclusive_positions == ("opening", "closing")
    pack = make_pack(tmp_path / "b", 'exclusive_positions = ["opening"]\n' + CAMPAIGN)
    assert load_campaign(pack).exclusive_positions == ("opening",)
    pack = make_pack(tmp_path / "c", "exclusive_positions = []\n" + CAMPAIGN)
    assert load_campaign(pack).exclusive_positions == ()


def test_an_unknown_exclusive_position_is_refused(tmp_path: Path) -> None:
    pack = make_pack(tmp_path, 'exclusive_positions = ["opening", "ending"]\n' + CAMPAIGN)
    _campaign, problems = read_campaign(pack)
    assert [(p.line, p.field) for p in problems] == [(1, "exclusive_positions")]
    assert "'ending'" in problems[0].message


def test_the_bundled_campaign_is_dated_and_current_on_its_review_day() -> None:
    campaign = find_campaign("protect-russian-defectors")
    assert campaign.reviewed == dt.date(2026, 12, 3)
    assert campaign.review_warning(dt.date(2026, 12, 3)) == ""
    assert campaign.review_warning(dt.date(2027, 12, 4)) != ""
    undated = [a.id for a in campaign.arguments if a.facts_as_of is None]
    assert undated == []
    assert all(a.facts_as_of <= campaign.reviewed for a in campaign.arguments if a.facts_as_of)


def test_the_pack_lists_its_own_words_for_the_spell_checker(tmp_path: Path) -> None:
    assert load_campaign(make_pack(tmp_path / "a")).spelling_words == ()
    pack = make_pack(tmp_path / "b", 'spelling_words = ["Stanskikh", " Kyiv "]\n' + CAMPAIGN)
    assert load_campaign(pack).spelling_words == ("Stanskikh", "Kyiv")


def test_spelling_words_must_be_single_words(tmp_path: Path) -> None:
    pack = make_pack(tmp_path, 'spelling_words = ["Ilya Somin", "Kyiv"]\n' + CAMPAIGN)
    _campaign, problems = read_campaign(pack)
    assert [(p.field, p.line) for p in problems] == [("spelling_words", 1)]
    assert "'Ilya Somin' must be a single word" in problems[0].message
