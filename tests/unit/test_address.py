"""Shortening an address by USPS Publication 28's rules."""

from __future__ import annotations

from composer.core.address import fitted_address, shortened_forms
from composer.core.postal import abbreviate


def test_street_suffixes_directionals_and_units_are_abbreviated() -> None:
    line = "12345 Martin Luther King Junior Boulevard Northwest, Suite 1200"
    assert abbreviate(line) == "12345 Martin Luther King Junior Blvd NW, Ste 1200"
    assert abbreviate("1600 PENNSYLVANIA AVENUE") == "1600 PENNSYLVANIA AVE"
    assert abbreviate("Room 2138, Rayburn Building") == "Rm 2138, Rayburn Building"


def test_names_are_left_alone() -> None:
    # "Office" and "Building" are names here, not units; "Court" is not a street.
    assert abbreviate("Hart Senate Office Building") == "Hart Senate Office Building"
    forms = shortened_forms(["Supreme Court of the United States", "1 First Street NE"])
    assert all(form[0] == "Supreme Court of the United States" for form in forms)
    # A numbered street is written in figures ("1ST ST NE").
    assert forms[0][1] == "1 1st St NE"


def test_punctuation_goes_last_and_only_what_fits_is_used() -> None:
    lines = ["The Honorable Pat Adams", "1 First Street, Suite 200", "Washington, DC 20543"]
    assert shortened_forms(lines)[-1] == [
        "The Honorable Pat Adams",
        "1 1st St Ste 200",
        "Washington DC 20543",
    ]
    assert fitted_address(lines, lambda _lines: True) == (lines, False)
    shortest = max(len(line) for line in shortened_forms(lines)[0])
    chosen = fitted_address(lines, lambda candidate: max(map(len, candidate)) <= shortest)
    assert chosen == (shortened_forms(lines)[0], True)
    assert fitted_address(lines, lambda _lines: False) is None


def test_a_word_just_before_the_street_suffix_is_the_street_name() -> None:
    # Publication 28 shortens the suffix, not a name that happens to be one of its words.
    assert abbreviate("200 North Street") == "200 North St"
    assert abbreviate("2300 County Center Drive, Suite A100") == "2300 County Center Dr, Ste A100"
    assert abbreviate("109 E. Front Street, Suite 215B", compress=True) == (
        "109 E. Front St, Ste 215B"
    )
    assert abbreviate("200 North High Street") == "200 N High St"
