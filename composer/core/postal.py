"""Postal conventions shared by the directory and the envelopes (no Qt).

USPS Publication 28 (Postal Addressing Standards) abbreviations, applied to an
address line only when it is too long to print whole.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

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
            # Already short ("Ave."): only the full stop goes (not after an initial, "John W.").
            return bare if len(bare) > 1 and bare.lower() in _SHORT_FORMS else word
        return replacement.upper() if word.rstrip(".").isupper() and len(word) > 1 else replacement

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
