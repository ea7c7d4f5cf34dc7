"""Postal conventions shared by the letter window, the envelopes and the directory (no Qt).

USPS Publication 28 (Postal Addressing Standards) abbreviations, applied to an
address line only when it is too long to print whole: one table and one
function, so the letter's window, the envelope and the directory shorten an
address the same way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

AbbreviationKind = Literal["suffix", "unit", "directional", "numbered"]

# USPS Publication 28: appendix C1 (street suffixes), appendix C2 (secondary unit
# designators), section 233 (directionals) and the numbered street names of section 235,
# in figures ("1st St"). Each word has its short form, written as it is printed in mixed
# case, and the part of an address it abbreviates.
PUB28_ABBREVIATIONS: dict[str, tuple[str, AbbreviationKind]] = {
    "alley": ("Aly", "suffix"),
    "avenue": ("Ave", "suffix"),
    "boulevard": ("Blvd", "suffix"),
    "center": ("Ctr", "suffix"),
    "centre": ("Ctr", "suffix"),
    "circle": ("Cir", "suffix"),
    "court": ("Ct", "suffix"),
    "crossing": ("Xing", "suffix"),
    "drive": ("Dr", "suffix"),
    "expressway": ("Expy", "suffix"),
    "freeway": ("Fwy", "suffix"),
    "heights": ("Hts", "suffix"),
    "highway": ("Hwy", "suffix"),
    "junction": ("Jct", "suffix"),
    "lane": ("Ln", "suffix"),
    "mount": ("Mt", "suffix"),
    "mountain": ("Mtn", "suffix"),
    "parkway": ("Pkwy", "suffix"),
    "place": ("Pl", "suffix"),
    "plaza": ("Plz", "suffix"),
    "point": ("Pt", "suffix"),
    "road": ("Rd", "suffix"),
    "square": ("Sq", "suffix"),
    "street": ("St", "suffix"),
    "terrace": ("Ter", "suffix"),
    "trail": ("Trl", "suffix"),
    "turnpike": ("Tpke", "suffix"),
    "apartment": ("Apt", "unit"),
    "basement": ("Bsmt", "unit"),
    "building": ("Bldg", "unit"),
    "department": ("Dept", "unit"),
    "floor": ("Fl", "unit"),
    "front": ("Frnt", "unit"),
    "hangar": ("Hngr", "unit"),
    "lobby": ("Lbby", "unit"),
    "lower": ("Lowr", "unit"),
    "office": ("Ofc", "unit"),
    "penthouse": ("Ph", "unit"),
    "room": ("Rm", "unit"),
    "space": ("Spc", "unit"),
    "suite": ("Ste", "unit"),
    "trailer": ("Trlr", "unit"),
    "upper": ("Uppr", "unit"),
    "north": ("N", "directional"),
    "south": ("S", "directional"),
    "east": ("E", "directional"),
    "west": ("W", "directional"),
    "northeast": ("NE", "directional"),
    "northwest": ("NW", "directional"),
    "southeast": ("SE", "directional"),
    "southwest": ("SW", "directional"),
    "first": ("1st", "numbered"),
    "second": ("2nd", "numbered"),
    "third": ("3rd", "numbered"),
    "fourth": ("4th", "numbered"),
    "fifth": ("5th", "numbered"),
    "sixth": ("6th", "numbered"),
    "seventh": ("7th", "numbered"),
    "eighth": ("8th", "numbered"),
    "ninth": ("9th", "numbered"),
    "tenth": ("10th", "numbered"),
}
_SHORT_FORMS: dict[str, AbbreviationKind] = {
    short.lower(): kind for short, kind in PUB28_ABBREVIATIONS.values() if kind != "numbered"
}
_SUFFIX_WORDS = frozenset(
    form.lower()
    for word, (short, kind) in PUB28_ABBREVIATIONS.items()
    if kind == "suffix"
    for form in (word, short)
)
_WORD = re.compile(r"[A-Za-z]+\.?")


def _is_unit_identifier(token: str) -> bool:
    """Whether `token` names a unit ("1200", "B-128", "C"): a designator is one only before it."""
    token = token.rstrip(",;")
    return any(char.isdigit() for char in token) or (len(token) == 1 and token.isalnum())


def abbreviate(line: str, *, compress: bool = False) -> str:
    """An address line shortened by Publication 28's standard abbreviations.

    "200 North High Street, Suite 400" → "200 N High St, Ste 400". Street
    suffixes, directionals and numbered streets are shortened only on a delivery
    line (one that begins with a number); a unit designator only before the
    unit's number or letter ("Suite 1200" → "Ste 1200"). In a name ("Hart Senate
    Office Building", "Front Street") they are words like any other. Words keep the line's case
    (all capitals stay capitals); the full stop after an abbreviation ("Ave.") is
    dropped, as the Postal Service prints none.

    Args:
        line: the line as written.
        compress: the line is too long to print whole: every word of the table is
            shortened wherever it stands, in a name too ("Federal Building" →
            "Federal Bldg"), as Publication 28 compresses a line over its length.
    """
    delivery = compress or line.lstrip()[:1].isdigit()

    def short(match: re.Match[str]) -> str:
        word = match.group(0)
        bare = word.rstrip(".")
        following = line[match.end() :].split(maxsplit=1)
        applies: dict[AbbreviationKind, bool] = {
            "suffix": delivery,
            "directional": delivery,
            "numbered": delivery,
            "unit": compress or bool(following and _is_unit_identifier(following[0])),
        }
        entry = PUB28_ABBREVIATIONS.get(bare.lower())
        if entry is not None and entry[1] != "numbered" and following:
            # Before the suffix it is the street's name: "Front St", "North St", "Court St".
            applies[entry[1]] &= following[0].rstrip(",.").lower() not in _SUFFIX_WORDS
        if entry is not None and applies[entry[1]]:
            replacement = entry[0]
            return replacement.upper() if bare.isupper() else replacement
        kind = _SHORT_FORMS.get(bare.lower())
        if kind is not None and applies[kind] and len(bare) > 1:
            # Already short ("Ave."): only the full stop goes (not after an initial, "John W.").
            return bare
        return word

    return _WORD.sub(short, line)


# Senders abroad
DOMESTIC_COUNTRY_NAMES = frozenset(
    {"", "us", "usa", "u.s.", "u.s.a.", "united states", "united states of america", "america"}
)
DESTINATION_COUNTRY = "UNITED STATES OF AMERICA"
# Countries that write the postcode before the town ("10115 Berlin") ...
POSTCODE_FIRST = frozenset(
    {
        "germany", "deutschland", "austria", "österreich", "switzerland", "schweiz",
        "suisse", "liechtenstein", "france", "italy", "italia", "spain", "españa",
        "portugal", "netherlands", "the netherlands", "nederland", "belgium", "belgique",
        "luxembourg", "denmark", "danmark", "norway", "norge", "sweden", "sverige",
        "finland", "suomi", "iceland", "poland", "polska", "czechia", "czech republic",
        "slovakia", "hungary", "slovenia", "croatia", "estonia", "lithuania", "latvia",
        "romania", "bulgaria", "greece", "serbia", "montenegro", "north macedonia",
        "albania", "moldova", "ukraine", "georgia", "armenia", "israel", "turkey",
        "türkiye", "argentina", "chile",
    }
)  # fmt: skip
# ... and those that give the postcode a line of its own under the town.
POSTCODE_LINE = frozenset(
    {
        "united kingdom", "uk", "great britain", "england", "scotland", "wales",
        "northern ireland", "ireland", "russia", "russian federation",
    }
)  # fmt: skip


def sender_abroad(country: str) -> bool:
    """True when a sender's country is given and is not the United States."""
    return country.strip().lower() not in DOMESTIC_COUNTRY_NAMES


def is_foreign_country_line(line: str) -> bool:
    """Whether an address's line names a country other than the United States (a line
    in capitals with no digit or comma, as the Postal Service asks for a country)."""
    text = line.strip()
    return (
        bool(text)
        and text.isupper()
        and not any(ch.isdigit() or ch == "," for ch in text)
        and text.lower() not in DOMESTIC_COUNTRY_NAMES
    )


def postal_address_lines(
    street: str, city: str, state: str, postal_code: str, country: str
) -> list[str]:
    """The sender's postal address in the order their own country's post reads it.

    A US address is "City, ST 12345"; a German one "10115 Berlin"; a British one
    has the town and then the postcode on a line of its own. The country,
    in capitals, ends an address abroad (Universal Postal Union practice).
    """
    lines = [line.strip() for line in street.splitlines() if line.strip()]
    city, region, code = city.strip(), state.strip(), postal_code.strip()
    if not sender_abroad(country):
        locality = ", ".join(part for part in (city, region) if part)
        if code:
            locality = f"{locality} {code}".strip()
        if locality:
            lines.append(locality)
        if country.strip():
            lines.append(country.strip().upper())
        return lines
    name = country.strip().lower()
    if name in POSTCODE_FIRST:
        lines.append(" ".join(part for part in (code, city) if part))
        if region:
            lines.append(region)
    elif name in POSTCODE_LINE:
        lines += [part for part in (city, region, code) if part]
    else:
        locality = " ".join(part for part in (city, region) if part)
        lines.append(" ".join(part for part in (locality, code) if part))
    lines.append(country.strip().upper())
    return [line for line in lines if line]


def delivery_lines(lines: Sequence[str], abroad: bool) -> list[str]:
    """The recipient's address, with the destination country last when posted abroad."""
    result = [line for line in lines if line.strip()]
    if abroad and result and result[-1].strip().lower() not in DOMESTIC_COUNTRY_NAMES:
        result.append(DESTINATION_COUNTRY)
    return result
