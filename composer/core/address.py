"""Shortening a postal address the way the Postal Service itself does (USPS Publication 28).

An address that does not fit the envelope window, or the envelope, is first
written with the standard abbreviations of Publication 28: street suffixes
(Appendix C1: AVENUE → AVE), secondary unit designators (Appendix C2: SUITE
→ STE, BUILDING → BLDG), directionals (NORTH → N) and no punctuation. These
are the forms the sorting machines read. When even that does not fit, the
caller must refuse and say so: an address is never printed over the letter.

The addressee's own line (the first) is left alone: "Supreme Court" in a
name is not a street suffix.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

# Publication 28, Appendix C1: street suffixes (the common ones in addresses of offices).
STREET_SUFFIXES = {
    "ALLEY": "ALY",
    "AVENUE": "AVE",
    "BOULEVARD": "BLVD",
    "CENTER": "CTR",
    "CIRCLE": "CIR",
    "COURT": "CT",
    "CROSSING": "XING",
    "DRIVE": "DR",
    "EXPRESSWAY": "EXPY",
    "FREEWAY": "FWY",
    "HEIGHTS": "HTS",
    "HIGHWAY": "HWY",
    "JUNCTION": "JCT",
    "LANE": "LN",
    "MOUNT": "MT",
    "MOUNTAIN": "MTN",
    "PARKWAY": "PKWY",
    "PLACE": "PL",
    "PLAZA": "PLZ",
    "POINT": "PT",
    "ROAD": "RD",
    "SQUARE": "SQ",
    "STREET": "ST",
    "TERRACE": "TER",
    "TRAIL": "TRL",
    "TURNPIKE": "TPKE",
}

# Publication 28, Appendix C2: secondary unit designators.
UNIT_DESIGNATORS = {
    "APARTMENT": "APT",
    "BASEMENT": "BSMT",
    "BUILDING": "BLDG",
    "DEPARTMENT": "DEPT",
    "FLOOR": "FL",
    "FRONT": "FRNT",
    "HANGAR": "HNGR",
    "LOBBY": "LBBY",
    "LOWER": "LOWR",
    "OFFICE": "OFC",
    "PENTHOUSE": "PH",
    "ROOM": "RM",
    "SPACE": "SPC",
    "SUITE": "STE",
    "TRAILER": "TRLR",
    "UPPER": "UPPR",
}

# Publication 28, section 233: directionals.
DIRECTIONALS = {
    "NORTH": "N",
    "SOUTH": "S",
    "EAST": "E",
    "WEST": "W",
    "NORTHEAST": "NE",
    "NORTHWEST": "NW",
    "SOUTHEAST": "SE",
    "SOUTHWEST": "SW",
}

_WORD = re.compile(r"[A-Za-z]+\.?")


def _in_case_of(word: str, abbreviation: str, always_upper: bool = False) -> str:
    """`abbreviation` written in the style of `word` (all capitals stay capitals)."""
    if always_upper or word.isupper():
        return abbreviation
    return abbreviation.capitalize()


def abbreviate_line(line: str, *, street: bool) -> str:
    """One address line with the standard abbreviations.

    A unit designator is shortened only before the unit's number or letter
    ("Suite 1200" → "Ste 1200"): in a name ("Senate Office Building") it is a word
    like any other.

    Args:
        line: the line as written.
        street: the line is a delivery line (it begins with a number): street
            suffixes and directionals are shortened too.
    """
    tokens = line.split(" ")
    result: list[str] = []
    for index, token in enumerate(tokens):
        match = _WORD.fullmatch(token.rstrip(","))
        if match is None:
            result.append(token)
            continue
        comma = token[len(token.rstrip(",")) :]
        word = match.group(0).rstrip(".")
        key = word.upper()
        following = tokens[index + 1].rstrip(",") if index + 1 < len(tokens) else ""
        identifier = bool(following) and (
            any(char.isdigit() for char in following) or len(following) == 1
        )
        if key in UNIT_DESIGNATORS and identifier:
            result.append(_in_case_of(word, UNIT_DESIGNATORS[key]) + comma)
        elif street and key in STREET_SUFFIXES:
            result.append(_in_case_of(word, STREET_SUFFIXES[key]) + comma)
        elif street and key in DIRECTIONALS:
            result.append(_in_case_of(word, DIRECTIONALS[key], always_upper=True) + comma)
        else:
            result.append(token)
    return " ".join(result)


def _without_punctuation(line: str) -> str:
    """Publication 28 leaves out punctuation, except the hyphen of ZIP+4 and house numbers."""
    return " ".join(re.sub(r"[.,#]", " ", line).split())


def shortened_forms(lines: Sequence[str]) -> list[list[str]]:
    """Ever shorter ways of writing the same address, by Publication 28's rules.

    The first line (the addressee) is never changed. Returns only forms that
    differ from the one before.
    """
    original = [line for line in lines if line.strip()]
    if not original:
        return []
    head, rest = original[:1], original[1:]
    abbreviated = head + [
        abbreviate_line(line, street=line.lstrip()[:1].isdigit()) for line in rest
    ]
    bare = head + [_without_punctuation(line) for line in abbreviated[1:]]
    forms: list[list[str]] = []
    previous = original
    for form in (abbreviated, bare):
        if form != previous:
            forms.append(form)
            previous = form
    return forms


def fitted_address(
    lines: Sequence[str], fits: Callable[[list[str]], bool]
) -> tuple[list[str], bool] | None:
    """The address as written when it fits, else its first shortened form that fits.

    Args:
        lines: the address lines.
        fits: whether these lines fit where the address is printed.

    Returns:
        The lines to print and whether they were shortened; None when no form fits
        (the caller refuses to print it, and says so).
    """
    original = [line for line in lines if line.strip()]
    if fits(original):
        return original, False
    for form in shortened_forms(original):
        if fits(form):
            return form, True
    return None
