"""Shortening a postal address the way the Postal Service itself does (USPS Publication 28).

An address that does not fit the envelope window is first written with the
standard abbreviations of Publication 28 (:func:`composer.core.postal.abbreviate`:
AVENUE → AVE, SUITE 1200 → STE 1200, NORTH → N), then also without
punctuation. These are the forms the sorting machines read. When even that
does not fit, the caller must refuse and say so: an address is never printed
over the letter.

The addressee's own line (the first) is left alone: "Supreme Court" in a
name is not a street suffix.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from composer.core.postal import abbreviate


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
    abbreviated = head + [abbreviate(line) for line in rest]
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
