"""Postal conventions shared by the directory and the envelopes (no Qt).

USPS Publication 28 (Postal Addressing Standards) abbreviations, applied to an
address line only when it is too long to print whole.
"""

from __future__ import annotations

import re

# USPS Publication 28, appendix C1 (street suffixes), C2 (secondary unit designators) and
# section 233 (directionals), and the numbered street names of section 232; used only for
# a line too long to print whole (the directory, the envelopes).
PUB28_ABBREVIATIONS = {
    "avenue": "Ave",
    "boulevard": "Blvd",
    "center": "Ctr",
    "centre": "Ctr",
    "circle": "Cir",
    "court": "Ct",
    "drive": "Dr",
    "expressway": "Expy",
    "freeway": "Fwy",
    "highway": "Hwy",
    "lane": "Ln",
    "parkway": "Pkwy",
    "place": "Pl",
    "plaza": "Plz",
    "road": "Rd",
    "square": "Sq",
    "street": "St",
    "terrace": "Ter",
    "trail": "Trl",
    "turnpike": "Tpke",
    "apartment": "Apt",
    "building": "Bldg",
    "department": "Dept",
    "floor": "Fl",
    "office": "Ofc",
    "room": "Rm",
    "suite": "Ste",
    "north": "N",
    "south": "S",
    "east": "E",
    "west": "W",
    "northeast": "NE",
    "northwest": "NW",
    "southeast": "SE",
    "southwest": "SW",
    "first": "1st",
    "second": "2nd",
    "third": "3rd",
    "fourth": "4th",
    "fifth": "5th",
    "sixth": "6th",
    "seventh": "7th",
    "eighth": "8th",
    "ninth": "9th",
    "tenth": "10th",
}
_SHORT_FORMS = frozenset(
    value.lower() for value in PUB28_ABBREVIATIONS.values() if not value[0].isdigit()
)
_WORD = re.compile(r"[A-Za-z]+\.?")


def abbreviate(line: str) -> str:
    """A street or unit line shortened by Publication 28's standard abbreviations.

    "200 North High Street, Suite 400" → "200 N High St, Ste 400". Words keep
    the line's case (all capitals stay capitals); a trailing full stop on an
    abbreviation ("Ave.") is dropped, as the Postal Service prints none.
    """

    def short(match: re.Match[str]) -> str:
        word = match.group(0)
        bare = word.rstrip(".")
        replacement = PUB28_ABBREVIATIONS.get(bare.lower())
        if replacement is None:
            # Already short ("Ave."): only the full stop goes.
            return bare if bare.lower() in _SHORT_FORMS else word
        return replacement.upper() if word.rstrip(".").isupper() and len(word) > 1 else replacement

    return _WORD.sub(short, line)
