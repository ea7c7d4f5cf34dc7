"""Shortening an address by USPS Publication 28's rules."""

from __future__ import annotations

from composer.core.address import abbreviate_line, fitted_address, shortened_forms


def test_street_suffixes_directionals_and_units_are_abbreviated() -> None:
    line = "12345 Martin Luther King Junior Boulevard Northwest, Suite 1200"
    assert abbreviate_line(line, street=True) == "12345 Martin Luther King Junior Blvd NW, Ste 1200"
    assert abbreviate_line("1600 PENNSYLVANIA AVENUE", street=True) == "1600 PENNSYLVANIA AVE"
    assert (
        abbreviate_line("Room 2138, Rayburn Building", street=False) == "Rm 2138, Rayburn Building"
    )


def test_names_are_left_alone() -> None:
    # "Office" and "Building" are names here, not units; "Court" is not a street.
    assert abbreviate_line("Hart Senate Office Building", street=False) == (
        "Hart Senate Office Building"
    )
    forms = shortened_forms(["Supreme Court of the United States", "1 First Street NE"])
    assert all(form[0] == "Supreme Court of the United States" for form in forms)
    assert forms[0][1] == "1 First St NE"


def test_punctuation_goes_last_and_only_what_fits_is_used() -> None:
    lines = ["The Honorable Pat Adams", "1 First Street, Suite 200", "Washington, DC 20543"]
    assert shortened_forms(lines)[-1] == [
        "The Honorable Pat Adams",
        "1 First St Ste 200",
        "Washington DC 20543",
    ]
    assert fitted_address(lines, lambda _lines: True) == (lines, False)
    shortest = max(len(line) for line in shortened_forms(lines)[0])
    chosen = fitted_address(lines, lambda candidate: max(map(len, candidate)) <= shortest)
    assert chosen == (shortened_forms(lines)[0], True)
    assert fitted_address(lines, lambda _lines: False) is None
