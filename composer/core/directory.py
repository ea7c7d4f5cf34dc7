"""The recipient directory: the officials a letter can go to, found offline.

Built in are the President and the Secretary of Homeland Security. Members of
Congress come from the public-domain ``congress-legislators`` files
(``legislators-current.yaml`` and ``legislators-district-offices.yaml``) and a
ZIP-to-district table (``state_fips,state_abbr,zcta,cd``). An import turns
them into one small SQLite file in the user's data folder, written in a single
atomic step, so finding officials works offline, quickly, and never sees a
half-updated directory.

Forms of address follow the customary US usage: "The Honorable" and the full
name on the first line of the inside address, the chamber (or the office held)
on the next, and a salutation built from the office and the surname, which
needs no guess at the official's sex ("Dear Senator Cantwell:").
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import re
import sqlite3
import threading
import unicodedata
import urllib.parse
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from composer import __version__, i18n
from composer.core import congress
from composer.core.congress import (
    BUNDLED_FOLDER,
    BUNDLED_NAME,
    BUNDLED_PACKAGE,
    DATABASE_NAME,
    changeover_warning,
    crc32_hex,
    long_date,
    new_congress_warning,
    ordinal,
    parse_date,
    update_due,
)
from composer.core.fileio import StorageError, atomic_write_bytes
from composer.core.locations import Locations
from composer.core.models import PRESIDENT_ID, Recipient, white_house
from composer.core.postal import abbreviate
from composer.i18n import N_, _, ngettext

SECRETARY_ID = "dhs-secretary"
BUILTIN_IDS = (PRESIDENT_ID, SECRETARY_ID)

KINDS = ("senator", "representative", "delegate", "resident-commissioner", "president", "secretary")

# The three files the directory is built from, by role.
LEGISLATORS = "legislators"
OFFICES = "offices"
ZIPCODES = "zipcodes"
FILE_NAMES = {
    LEGISLATORS: "legislators-current.yaml",
    OFFICES: "legislators-district-offices.yaml",
    ZIPCODES: "zccd.csv",
}

# Their public addresses (raw files on each repository's default branch).
DEFAULT_URLS: Mapping[str, str] = {
    LEGISLATORS: "https://raw.githubusercontent.com/unitedstates/congress-legislators/"
    "main/legislators-current.yaml",
    OFFICES: "https://raw.githubusercontent.com/unitedstates/congress-legislators/"
    "main/legislators-district-offices.yaml",
    ZIPCODES: "https://raw.githubusercontent.com/OpenSourceActivismTech/"
    "us-zipcodes-congress/master/zccd.csv",
}

SCHEMA_VERSION = 1

# Notes shown in the window: marked here, translated with _() where shown.
BUNDLED_CREDIT = N_(
    "Members of Congress and their offices: the congress-legislators project "
    "(github.com/unitedstates/congress-legislators), dedicated to the public domain. "
    "ZIP code areas by district: US Census Bureau data via the us-zipcodes-congress "
    "project (github.com/OpenSourceActivismTech/us-zipcodes-congress)."
)

# Each file is about 1 MB today; 32 MB leaves room to grow and stops a runaway download.
MAX_DOWNLOAD_BYTES = 32 * 1024 * 1024
DOWNLOAD_TIMEOUT = 30.0
# A download is only trusted to replace the local copy if it looks like a whole Congress.
MIN_MEMBERS = 400
MIN_ZIP_ROWS = 10_000

IRRADIATION_NOTE = N_(
    "Letters to Washington, DC offices are sent away for security screening and "
    "irradiation first, which delays them by days or weeks and can leave the paper "
    "brittle. A letter posted to a home-state office arrives sooner and in better shape."
)

WEB_FORM_NOTE = N_(
    "The official's web contact form opens in your browser; the letter is copied to "
    "the clipboard so you can paste it in. Most forms only accept messages from "
    "constituents and ask for your address."
)

ZCTA_NOTE = N_(
    "The ZIP table follows the Census Bureau's ZIP Code Tabulation Areas, which match "
    "most but not all postal ZIP codes."
)

WASHINGTON_ONLY_NOTE = N_(
    "Letters to federal offices in Washington, DC are screened and irradiated before "
    "delivery, which adds days; post early, or use the web form for anything urgent."
)

STATE_NAMES: Mapping[str, str] = {
    "AL": "Alabama",
    "AK": "Alaska",
    "AZ": "Arizona",
    "AR": "Arkansas",
    "CA": "California",
    "CO": "Colorado",
    "CT": "Connecticut",
    "DE": "Delaware",
    "FL": "Florida",
    "GA": "Georgia",
    "HI": "Hawaii",
    "ID": "Idaho",
    "IL": "Illinois",
    "IN": "Indiana",
    "IA": "Iowa",
    "KS": "Kansas",
    "KY": "Kentucky",
    "LA": "Louisiana",
    "ME": "Maine",
    "MD": "Maryland",
    "MA": "Massachusetts",
    "MI": "Michigan",
    "MN": "Minnesota",
    "MS": "Mississippi",
    "MO": "Missouri",
    "MT": "Montana",
    "NE": "Nebraska",
    "NV": "Nevada",
    "NH": "New Hampshire",
    "NJ": "New Jersey",
    "NM": "New Mexico",
    "NY": "New York",
    "NC": "North Carolina",
    "ND": "North Dakota",
    "OH": "Ohio",
    "OK": "Oklahoma",
    "OR": "Oregon",
    "PA": "Pennsylvania",
    "RI": "Rhode Island",
    "SC": "South Carolina",
    "SD": "South Dakota",
    "TN": "Tennessee",
    "TX": "Texas",
    "UT": "Utah",
    "VT": "Vermont",
    "VA": "Virginia",
    "WA": "Washington",
    "WV": "West Virginia",
    "WI": "Wisconsin",
    "WY": "Wyoming",
    "DC": "the District of Columbia",
    "PR": "Puerto Rico",
    "GU": "Guam",
    "VI": "the U.S. Virgin Islands",
    "AS": "American Samoa",
    "MP": "the Northern Mariana Islands",
}

# Places represented in the House by a Delegate (or, for Puerto Rico, the
# Resident Commissioner) and with no senators.
DELEGATE_AREAS = frozenset({"DC", "GU", "VI", "AS", "MP"})
COMMISSIONER_AREAS = frozenset({"PR"})

# The Census table has no rows for these territories; their USPS ZIP ranges
# are fixed and few, so a ZIP there still finds its Delegate.
TERRITORY_ZIP_RANGES: tuple[tuple[str, int, int], ...] = (
    ("VI", 801, 851),
    ("AS", 96799, 96799),
    ("GU", 96910, 96932),
    ("MP", 96950, 96952),
)

_BIOGUIDE = re.compile(r"^[A-Z][0-9]{6}$")
_DC_ZIP = re.compile(r"\b(2\d{4}(?:-\d{4})?)\s*$")

ProgressCallback = Callable[[str, float], None]
CancelCheck = Callable[[], bool]


class DirectoryError(Exception):
    """The directory could not do what was asked; the message says why and what to do."""


class DirectoryCancelled(DirectoryError):
    """The user stopped an import or download; the local copy is unchanged."""


# ---------------------------------------------------------------------------
# Officials, their offices and the ways to reach them


@dataclass(frozen=True)
class Office:
    """A postal address of an official: the Washington office or one at home.

    `lines` is the address below the official's name and title: street lines,
    then "City, ST ZIP".
    """

    id: str
    label: str
    lines: tuple[str, ...]
    zip: str = ""
    phone: str = ""
    in_washington: bool = False

    def as_json_dict(self) -> dict[str, object]:
        """The office as plain data for JSON output."""
        return {
            "id": self.id,
            "label": self.label,
            "lines": list(self.lines),
            "zip": self.zip,
            "phone": self.phone,
            "washington": self.in_washington,
        }


@dataclass(frozen=True)
class Channel:
    """One way to reach an official: by post to one office, a web form, or e-mail.

    `id` is what :meth:`Official.recipient` and the user interface pass
    around: ``post:<office id>``, ``web`` or ``email``.
    """

    id: str
    kind: str
    label: str
    detail: str
    note: str = ""


@dataclass(frozen=True)
class Official:
    """An official in the directory, with every office and channel known for them.

    A letter is addressed to one of the offices: :meth:`recipient` builds the
    :class:`~composer.core.models.Recipient` for it.
    """

    id: str
    kind: str
    name: str
    surname: str
    title: str
    salutation: str
    addressee: str
    washington_heading: tuple[str, ...]
    home_heading: tuple[str, ...] = ()
    washington: Office | None = None
    district_offices: tuple[Office, ...] = ()
    state: str = ""
    district: int | None = None
    party: str = ""
    contact_form: str = ""
    website: str = ""
    email: str = ""
    phone: str = ""
    term_start: dt.date | None = None
    term_end: dt.date | None = None

    @property
    def offices(self) -> tuple[Office, ...]:
        """Every postal address, home offices first (the better choice for paper)."""
        return self.district_offices + ((self.washington,) if self.washington else ())

    @property
    def builtin(self) -> bool:
        """True for the President and the Secretary, which need no imported data."""
        return self.id in BUILTIN_IDS

    def preferred_office(self, near_zip: str = "") -> Office | None:
        """The office a paper letter should go to by default.

        A home-state office is preferred (see :data:`IRRADIATION_NOTE`); of
        several, the one whose ZIP shares the most leading digits with
        `near_zip` (ZIP codes are assigned by region, so this picks a nearby
        office without needing any map data). Ties keep the data's order.
        """
        if not self.district_offices:
            return self.washington
        digits = normalize_zip(near_zip, strict=False)
        if not digits:
            return self.district_offices[0]
        return max(self.district_offices, key=lambda office: _common_prefix(office.zip, digits))

    def office(self, office_id: str) -> Office:
        """The office with this id ("washington" or one from the district-office data)."""
        for candidate in self.offices:
            if candidate.id == office_id:
                return candidate
        known = ", ".join(office.id for office in self.offices) or _("none")
        raise DirectoryError(
            _("{name} has no office '{office}' in the directory (known: {known}).").format(
                name=self.name, office=office_id, known=known
            )
        )

    def inside_address(self, office: Office | None) -> tuple[str, ...]:
        """The complete inside address for a letter posted to `office`."""
        if office is None:
            return (self.addressee, *self.washington_heading)
        heading = self.washington_heading if office.in_washington else self.home_heading
        return (self.addressee, *heading, *office.lines)

    def recipient(self, office_id: str | None = None, near_zip: str = "") -> Recipient:
        """The recipient of a letter to this official, addressed to one office.

        Args:
            office_id: "washington", a district office id, or None for the
                default (see :meth:`preferred_office`).
            near_zip: the writer's ZIP code, used to pick the nearest home office.
        """
        if self.id == PRESIDENT_ID:
            return white_house()
        office = self.office(office_id) if office_id else self.preferred_office(near_zip)
        return Recipient(
            id=self.id,
            name=self.name,
            title=self.title,
            salutation=self.salutation,
            address_lines=self.inside_address(office),
            kind=self.kind,
            email=self.email,
            state=self.state,
            district=self.district,
            contact_form=self.contact_form,
            phone=(office.phone if office and office.phone else self.phone),
        )

    def channels(self, near_zip: str = "") -> list[Channel]:
        """Every way to reach this official, the default for paper first."""
        result: list[Channel] = []
        preferred = self.preferred_office(near_zip)
        ordered = [preferred] if preferred else []
        ordered += [office for office in self.offices if office is not preferred]
        for office in ordered:
            one_line = ", ".join(office.lines)
            if office.in_washington:
                note = i18n._(IRRADIATION_NOTE if self.district_offices else WASHINGTON_ONLY_NOTE)
                label = (
                    _("Post: Washington, DC office (slower)")
                    if self.district_offices
                    else _("Post: Washington, DC office")
                )
            else:
                # Why a home office is the default for paper.
                note = i18n._(IRRADIATION_NOTE)
                label = (
                    _("Post: {office} (recommended)")
                    if office is preferred
                    else _("Post: {office}")
                ).format(office=office.label)
            result.append(Channel(f"post:{office.id}", "post", label, one_line, note))
        if self.contact_form:
            result.append(
                Channel(
                    "web", "web", _("Web contact form"), self.contact_form, i18n._(WEB_FORM_NOTE)
                )
            )
        elif self.website:
            result.append(
                Channel(
                    "web",
                    "web",
                    _("Website (find its Contact page)"),
                    self.website,
                    i18n._(WEB_FORM_NOTE),
                )
            )
        if self.email:
            result.append(Channel("email", "email", _("E-mail"), self.email))
        return result

    def term_warning(self, today: dt.date) -> str:
        """A plain-words warning if this official's term in the data has ended, else ""."""
        if self.term_end is None or today < self.term_end:
            return ""
        return _(
            "The term of {official} ended on {date} according to this directory; {name} may "
            "no longer hold this office. Update the directory (Directory ▸ Update from the "
            "internet) before sending."
        ).format(official=self.title_and_name, date=long_date(self.term_end), name=self.name)

    @property
    def title_and_name(self) -> str:
        """How the official is named in a sentence ("Senator Maria Cantwell")."""
        short = {
            "senator": _("Senator"),
            "representative": _("Representative"),
            "delegate": _("Delegate"),
            "resident-commissioner": _("Resident Commissioner"),
        }.get(self.kind)
        return f"{short} {self.name}" if short else self.name

    def as_json_dict(self, near_zip: str = "") -> dict[str, object]:
        """The official as plain data for ``composer directory find --json``."""
        preferred = self.preferred_office(near_zip)
        return {
            "id": self.id,
            "kind": self.kind,
            "name": self.name,
            "title": self.title,
            "salutation": self.salutation,
            "state": self.state,
            "district": self.district,
            "party": self.party,
            "inside_address": list(self.inside_address(preferred)),
            "addresses": {
                "washington": self.washington.as_json_dict() if self.washington else None,
                "district_offices": [office.as_json_dict() for office in self.district_offices],
            },
            "contact_form": self.contact_form,
            "website": self.website,
            "email": self.email,
            "phone": self.phone,
            "term_start": self.term_start.isoformat() if self.term_start else None,
            "term_end": self.term_end.isoformat() if self.term_end else None,
        }


def president() -> Official:
    """The President at the White House, as a directory entry (built in)."""
    base = white_house()
    street_and_city = base.address_lines[2:]
    office = Office(
        id="washington",
        label="White House",
        lines=tuple(street_and_city),
        zip="20500",
        in_washington=True,
    )
    return Official(
        id=base.id,
        kind=base.kind,
        name=base.name,
        surname="",
        title=base.title,
        salutation=base.salutation,
        addressee=base.address_lines[0],
        washington_heading=(base.address_lines[1],),
        washington=office,
        website="https://www.whitehouse.gov/",
        contact_form=base.contact_form,
    )


def secretary_of_homeland_security(name: str = "", honorific: str = "") -> Official:
    """The Secretary of Homeland Security, who designates countries for TPS (built in).

    The holder changes with administrations, so the entry addresses the office.
    Given `name` (and optionally `honorific`: "Mr." or "Madam"), the letter is
    addressed to the person instead.
    """
    # 20528 is the Department's own ZIP code: the Postal Service delivers to it
    # without a street line, so no street address is given (it has moved before).
    office = Office(
        id="washington",
        label="Department headquarters",
        lines=("Washington, DC 20528",),
        zip="20528",
        in_washington=True,
    )
    name = name.strip()
    if name:
        surname = name.split()[-1]
        if honorific.strip().rstrip(".").lower() == "mr":
            salutation = "Dear Mr. Secretary:"
        elif honorific.strip().lower() == "madam":
            salutation = "Dear Madam Secretary:"
        else:
            salutation = f"Dear Secretary {surname}:"
        addressee = f"The Honorable {name}"
        heading: tuple[str, ...] = (
            "Secretary of Homeland Security",
            "U.S. Department of Homeland Security",
        )
    else:
        surname = ""
        # Protocol greets a Cabinet secretary as "Mr. Secretary" or "Madam
        # Secretary", which needs the holder's sex; without a name we cannot
        # know it. For the highest offices protocol also addresses the office
        # itself ("The Secretary of …") rather than the person, and the greeting
        # that matches such an address is the office's full title, as
        # government correspondence does with "Dear Secretary of State". A bare
        # "Dear Secretary:" could be read as greeting a clerk.
        salutation = "Dear Secretary of Homeland Security:"
        addressee = "The Secretary of Homeland Security"
        heading = ("U.S. Department of Homeland Security",)
    return Official(
        id=SECRETARY_ID,
        kind="secretary",
        name=name or "Secretary of Homeland Security",
        surname=surname,
        title="Secretary of Homeland Security",
        salutation=salutation,
        addressee=addressee,
        washington_heading=heading,
        washington=office,
        website="https://www.dhs.gov/",
    )


def builtin_officials() -> list[Official]:
    """The officials that need no imported data."""
    return [president(), secretary_of_homeland_security()]


@dataclass(frozen=True)
class FindResult:
    """What a search found.

    `officials` are certain matches. `candidates` are possibilities of which
    the user should choose one (a ZIP that spans districts); `reason` says
    why in plain words. `warnings` say when the data may be out of date.
    """

    officials: tuple[Official, ...] = ()
    candidates: tuple[Official, ...] = ()
    reason: str = ""
    warnings: tuple[str, ...] = ()

    @property
    def everyone(self) -> tuple[Official, ...]:
        """Certain matches followed by the candidates."""
        return self.officials + self.candidates

    def as_json_dict(self, near_zip: str = "") -> dict[str, object]:
        """The result as plain data for JSON output."""
        return {
            "recipients": [official.as_json_dict(near_zip) for official in self.officials],
            "candidates": [official.as_json_dict(near_zip) for official in self.candidates],
            "reason": self.reason,
            "warnings": list(self.warnings),
        }


@dataclass(frozen=True)
class SourceInfo:
    """Where one imported file came from."""

    role: str
    name: str
    size: int
    sha256: str
    modified: str = ""
    origin: str = ""

    def as_json_dict(self) -> dict[str, object]:
        """The source as plain data."""
        return {
            "role": self.role,
            "name": self.name,
            "size": self.size,
            "sha256": self.sha256,
            "modified": self.modified,
            "origin": self.origin,
        }


@dataclass(frozen=True)
class DirectoryInfo:
    """What the local directory holds and how old it is."""

    data_date: dt.date | None = None
    imported_at: str = ""
    counts: Mapping[str, int] = field(default_factory=dict)
    office_count: int = 0
    zip_count: int = 0
    ended_terms: tuple[dt.date, ...] = ()
    sources: tuple[SourceInfo, ...] = ()
    bundled: bool = False

    @property
    def member_count(self) -> int:
        """How many members of Congress are in the directory."""
        return sum(self.counts.values())

    @property
    def is_empty(self) -> bool:
        """True when no members of Congress have been imported."""
        return self.member_count == 0

    def date_text(self) -> str:
        """The data's date in words, for the window and ``directory info``."""
        if self.data_date is None:
            return _("No Congress data imported yet")
        if self.bundled:
            return _(
                "Congress data as of {date} (newest term start), the copy bundled with the program"
            ).format(date=long_date(self.data_date))
        return _("Congress data as of {date} (newest term start)").format(
            date=long_date(self.data_date)
        )

    def date_words(self) -> str:
        """The data's date for a sentence: "of June 10, 2026 (bundled with the program)"."""
        if self.data_date is None:
            return _("(none yet)")
        if self.bundled:
            return _("of {date} (bundled with the program)").format(date=long_date(self.data_date))
        return _("of {date}").format(date=long_date(self.data_date))

    def warnings(self, today: dt.date) -> list[str]:
        """Plain-words warnings that the data may be out of date (or missing)."""
        if self.is_empty:
            return [
                _(
                    "No members of Congress are in the directory yet: use Directory ▸ Update "
                    "from the internet, or import the files (composer directory import)."
                )
            ]
        result: list[str] = []
        congress = new_congress_warning(self.data_date, today)
        if congress:
            result.append(congress)
        changeover = changeover_warning(self.data_date, today)
        if changeover:
            result.append(changeover)
        ended = sorted(date for date in self.ended_terms if date <= today)
        if ended:
            count = len(ended)
            result.append(
                ngettext(
                    "The terms of {n} member in this data have ended (the latest on {date}); "
                    "they may have been replaced. Update the directory.",
                    "The terms of {n} members in this data have ended (the latest on {date}); "
                    "they may have been replaced. Update the directory.",
                    count,
                ).format(n=count, date=long_date(ended[-1]))
            )
        if self.zip_count == 0:
            result.append(
                _(
                    "No ZIP code table is in the directory, so officials cannot be found by "
                    "ZIP code: import zccd.csv or update from the internet."
                )
            )
        return result

    def as_json_dict(self, today: dt.date) -> dict[str, object]:
        """The information as plain data for ``composer directory info --json``."""
        return {
            "data_date": self.data_date.isoformat() if self.data_date else None,
            "imported_at": self.imported_at,
            "counts": dict(self.counts),
            "members": self.member_count,
            "district_offices": self.office_count,
            "zip_rows": self.zip_count,
            "sources": [source.as_json_dict() for source in self.sources],
            "bundled": self.bundled,
            "update_due": update_due(self.data_date, today),
            "warnings": self.warnings(today),
        }


# ---------------------------------------------------------------------------
# Small helpers


def fold(text: str) -> str:
    """Text for case- and accent-insensitive matching ("Hernández" → "hernandez")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def normalize_zip(text: str, *, strict: bool = True) -> str:
    """The 5-digit ZIP code in `text` ("98105", "98105-1234", "981051234").

    Raises:
        DirectoryError: `strict` and the text is not a ZIP code.
    """
    # Any dash: a ZIP+4 typed or pasted with an en dash ("98105–1234") is still a ZIP code.
    compact = re.sub(r"[\s\-‐‑‒–—―−]", "", text or "")
    if re.fullmatch(r"\d{5}(\d{4})?", compact):
        return compact[:5]
    if strict:
        raise DirectoryError(
            _(
                "'{text}' is not a ZIP code: type the 5 digits of your ZIP code (ZIP+4 "
                "is fine too), for example 98105."
            ).format(text=text.strip())
        )
    return ""


def normalize_state(text: str) -> str:
    """The two-letter code for a state or territory given by code or name.

    Raises:
        DirectoryError: the text names no state or territory.
    """
    cleaned = text.strip()
    if cleaned.upper() in STATE_NAMES:
        return cleaned.upper()
    wanted = fold(re.sub(r"^the\s+", "", cleaned, flags=re.IGNORECASE))
    for code, name in STATE_NAMES.items():
        if fold(re.sub(r"^the\s+", "", name)) == wanted:
            return code
    raise DirectoryError(
        _(
            "'{text}' is not a US state or territory: use its two-letter code (WA) or its name."
        ).format(text=cleaned)
    )


# Days to allow for a letter to arrive: first-class mail within the country, and
# mail to federal offices in Washington, DC, which is screened and irradiated first.
POST_DAYS = 7
WASHINGTON_POST_DAYS = 21


def delivery_days(recipient: Recipient) -> int:
    """Days to allow for a letter posted today to reach `recipient`."""
    last = recipient.address_lines[-1] if recipient.address_lines else ""
    if re.match(r"Washington,? DC\s+20", last):
        return WASHINGTON_POST_DAYS
    return POST_DAYS


def _name_list(names: Sequence[str], shown: int = 5) -> str:
    if len(names) > shown + 1:
        others = len(names) - shown
        return ngettext(
            "{names} and {n} other member", "{names} and {n} other members", others
        ).format(names=", ".join(names[:shown]), n=others)
    if len(names) == 1:
        return names[0]
    return _("{names} and {last}").format(names=", ".join(names[:-1]), last=names[-1])


def _common_prefix(left: str, right: str) -> int:
    count = 0
    for a, b in zip(left, right, strict=False):
        if a != b:
            break
        count += 1
    return count


def _text(value: object) -> str:
    if value is None:
        return ""
    return str(value).strip()


def _territory_for_zip(zip5: str) -> str:
    number = int(zip5)
    for state, low, high in TERRITORY_ZIP_RANGES:
        if low <= number <= high:
            return state
    return ""


# ---------------------------------------------------------------------------
# Reading the source files


@dataclass
class ParsedFiles:
    """The contents of the source files, checked and reduced to what the directory keeps."""

    members: list[dict[str, Any]] | None = None
    offices: dict[str, list[dict[str, Any]]] | None = None
    zip_rows: list[tuple[str, str, int]] | None = None
    sources: dict[str, SourceInfo] = field(default_factory=dict)


def _yaml_load(data: bytes, name: str) -> Any:
    import yaml  # imported here: only an import needs it, and it is not small

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(data, Loader=loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        if mark is None:
            message = _(
                "{name} is not valid YAML: {problem}. Download the file again or "
                "choose another one."
            ).format(name=name, problem=error.problem)
        else:
            message = _(
                "{name} is not valid YAML at line {line}: {problem}. Download the file again "
                "or choose another one."
            ).format(name=name, line=mark.line + 1, problem=error.problem)
        raise DirectoryError(message) from error
    except yaml.YAMLError as error:
        raise DirectoryError(
            _("{name} is not valid YAML: {error}.").format(name=name, error=error)
        ) from error


def detect_role(data: bytes, name: str = "the file") -> tuple[str, Any]:
    """Work out which of the three source files `data` is, and parse it.

    Returns:
        The role (:data:`LEGISLATORS`, :data:`OFFICES` or :data:`ZIPCODES`)
        and the parsed content (YAML data, or the CSV text).

    Raises:
        DirectoryError: the file is none of the three.
    """
    head = data[:200].lstrip(b"\xef\xbb\xbf").lstrip()
    if head.lower().startswith(b"state_fips"):
        try:
            return ZIPCODES, data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise DirectoryError(_("{name} is not UTF-8 text.").format(name=name)) from error
    parsed = _yaml_load(data, name) if head else None
    if isinstance(parsed, list) and parsed and isinstance(parsed[0], dict):
        if "terms" in parsed[0]:
            return LEGISLATORS, parsed
        if "offices" in parsed[0]:
            return OFFICES, parsed
    raise DirectoryError(
        _(
            "{name} is not a file the directory can import. Expected "
            "legislators-current.yaml, legislators-district-offices.yaml (from the "
            "congress-legislators project) or a ZIP-to-district CSV with the columns "
            "state_fips,state_abbr,zcta,cd."
        ).format(name=name)
    )


def parse_legislators(data: Any, name: str = FILE_NAMES[LEGISLATORS]) -> list[dict[str, Any]]:
    """Check the legislators YAML and keep, per member, what the directory needs.

    Raises:
        DirectoryError: an entry lacks what every member must have; the message
            names the file, the entry and the field.
    """
    if not isinstance(data, list):
        raise DirectoryError(
            _("{name}: expected a list of legislators at the top level.").format(name=name)
        )
    members: list[dict[str, Any]] = []
    seen: set[str] = set()
    for index, entry in enumerate(data, start=1):

        def fail(problem: str, index: int = index, entry: Any = entry) -> DirectoryError:
            ident = ""
            if isinstance(entry, dict) and isinstance(entry.get("id"), dict):
                ident = f" ({_text(entry['id'].get('bioguide'))})"
            return DirectoryError(
                _(
                    "{name}: legislator {index}{ident}: {problem}. The file may be damaged "
                    "or in another format; download it again."
                ).format(name=name, index=index, ident=ident, problem=problem)
            )

        if not isinstance(entry, dict):
            raise fail(_("is not a mapping"))
        ids = entry.get("id")
        bioguide = _text(ids.get("bioguide")) if isinstance(ids, dict) else ""
        if not _BIOGUIDE.match(bioguide):
            raise fail(_("has no valid 'id: bioguide'"))
        if bioguide in seen:
            raise fail(_("appears twice"))
        seen.add(bioguide)
        names = entry.get("name")
        if not isinstance(names, dict) or not _text(names.get("last")):
            raise fail(_("has no 'name: last'"))
        terms = entry.get("terms")
        if not isinstance(terms, list) or not terms or not isinstance(terms[-1], dict):
            raise fail(_("has no 'terms'"))
        term = terms[-1]
        kind_code = _text(term.get("type"))
        state = _text(term.get("state")).upper()
        if kind_code not in ("sen", "rep"):
            raise fail(_("the last term's 'type' is neither sen nor rep"))
        if state not in STATE_NAMES:
            raise fail(_("the last term's 'state' '{state}' is unknown").format(state=state))
        start, end = parse_date(term.get("start")), parse_date(term.get("end"))
        if start is None or end is None:
            raise fail(_("the last term has no valid 'start' or 'end' date"))
        district: int | None = None
        if kind_code == "rep":
            raw = term.get("district")
            if not isinstance(raw, int) or isinstance(raw, bool) or raw < 0:
                raise fail(_("the last term of a representative has no valid 'district'"))
            district = raw
        if kind_code == "sen":
            kind = "senator"
        elif state in COMMISSIONER_AREAS:
            kind = "resident-commissioner"
        elif state in DELEGATE_AREAS:
            kind = "delegate"
        else:
            kind = "representative"
        members.append(
            {
                "id": bioguide,
                "kind": kind,
                "first": _text(names.get("first")),
                "middle": _text(names.get("middle")),
                "last": _text(names.get("last")),
                "suffix": _text(names.get("suffix")),
                "nickname": _text(names.get("nickname")),
                "official_full": _text(names.get("official_full")),
                "state": state,
                "district": district,
                "party": _text(term.get("party")),
                "start": start.isoformat(),
                "end": end.isoformat(),
                "url": _text(term.get("url")),
                "contact_form": _text(term.get("contact_form")),
                "phone": _text(term.get("phone")),
                "office": _text(term.get("office")),
                "address": _text(term.get("address")),
                "email": _text(term.get("email")),
                "state_rank": _text(term.get("state_rank")),
            }
        )
    if not members:
        raise DirectoryError(_("{name} lists no legislators.").format(name=name))
    return members


def parse_offices(data: Any, name: str = FILE_NAMES[OFFICES]) -> dict[str, list[dict[str, Any]]]:
    """Check the district-offices YAML; offices without a street or ZIP are left out.

    Raises:
        DirectoryError: the file is not a list of members with offices.
    """
    if not isinstance(data, list):
        raise DirectoryError(
            _("{name}: expected a list of members at the top level.").format(name=name)
        )
    result: dict[str, list[dict[str, Any]]] = {}
    for index, entry in enumerate(data, start=1):
        ids = entry.get("id") if isinstance(entry, dict) else None
        bioguide = _text(ids.get("bioguide")) if isinstance(ids, dict) else ""
        offices = entry.get("offices") if isinstance(entry, dict) else None
        if not _BIOGUIDE.match(bioguide) or not isinstance(offices, list):
            raise DirectoryError(
                _(
                    "{name}: entry {index} has no valid 'id: bioguide' or 'offices'. The "
                    "file may be damaged; download it again."
                ).format(name=name, index=index)
            )
        kept: list[dict[str, Any]] = []
        for office in offices:
            if not isinstance(office, dict):
                continue
            record = {
                key: _text(office.get(key))
                for key in ("id", "building", "address", "suite", "city", "state", "zip", "phone")
            }
            # Without a street and a ZIP code a letter cannot be posted there.
            if not (record["address"] and record["city"] and record["state"]):
                continue
            if not re.fullmatch(r"\d{5}(-\d{4})?", record["zip"]):
                continue
            record["id"] = record["id"] or f"{bioguide}-{len(kept) + 1}"
            kept.append(record)
        result[bioguide] = kept
    return result


def parse_zip_table(text: str, name: str = FILE_NAMES[ZIPCODES]) -> list[tuple[str, str, int]]:
    """Check the ZIP-to-district CSV and return (zcta, state, district) rows.

    Raises:
        DirectoryError: a column is missing or a row is malformed (with its line).
    """
    reader = csv.reader(io.StringIO(text))
    try:
        header = [column.strip().lower() for column in next(reader)]
    except StopIteration:
        raise DirectoryError(_("{name} is empty.").format(name=name)) from None
    try:
        state_col, zcta_col, cd_col = (header.index(c) for c in ("state_abbr", "zcta", "cd"))
    except ValueError:
        raise DirectoryError(
            _("{name}: the first line must name the columns state_fips,state_abbr,zcta,cd.").format(
                name=name
            )
        ) from None
    rows: list[tuple[str, str, int]] = []
    seen: set[tuple[str, str, int]] = set()
    width = max(state_col, zcta_col, cd_col) + 1
    for line_number, row in enumerate(reader, start=2):
        if not row or not any(cell.strip() for cell in row):
            continue
        if len(row) < width:
            raise DirectoryError(
                _("{name}, line {line}: too few columns.").format(name=name, line=line_number)
            )
        zcta, state, cd = row[zcta_col].strip(), row[state_col].strip().upper(), row[cd_col].strip()
        if not re.fullmatch(r"\d{5}", zcta) or state not in STATE_NAMES or not cd.isdigit():
            raise DirectoryError(
                _(
                    "{name}, line {line}: expected a 5-digit ZCTA, a state code and a "
                    "district number, found {found!r}."
                ).format(name=name, line=line_number, found=",".join(row))
            )
        key = (zcta, state, int(cd))
        if key not in seen:
            seen.add(key)
            rows.append(key)
    if not rows:
        raise DirectoryError(_("{name} has no rows.").format(name=name))
    return rows


def parse_files(
    files: Mapping[str, tuple[bytes, str]] | Iterable[tuple[bytes, str]],
    progress: ProgressCallback | None = None,
) -> ParsedFiles:
    """Detect, parse and check source files given as (content, name) pairs.

    Raises:
        DirectoryError: a file is unknown, malformed, or given twice.
    """
    items = list(files.values()) if isinstance(files, Mapping) else list(files)
    parsed = ParsedFiles()
    for position, (data, name) in enumerate(items):
        if progress:
            progress(_("Reading {name}").format(name=name), position / max(len(items), 1))
        role, content = detect_role(data, name)
        if role in parsed.sources:
            raise DirectoryError(
                _(
                    "{name} and {other} are the same kind of file; give each of the three "
                    "files at most once."
                ).format(name=name, other=parsed.sources[role].name)
            )
        if role == LEGISLATORS:
            parsed.members = parse_legislators(content, name)
        elif role == OFFICES:
            parsed.offices = parse_offices(content, name)
        else:
            parsed.zip_rows = parse_zip_table(content, name)
        parsed.sources[role] = SourceInfo(
            role=role, name=name, size=len(data), sha256=_sha256(data)
        )
    return parsed


# ---------------------------------------------------------------------------
# Turning stored records into officials


def _display_name(record: Mapping[str, Any]) -> str:
    if record.get("official_full"):
        return str(record["official_full"])
    # "James (Jim)": the nickname in brackets is not part of the formal name.
    first = re.sub(r"\s*\(.*?\)", "", str(record.get("first", ""))).strip()
    parts = [first, str(record.get("last", "")), str(record.get("suffix", ""))]
    return " ".join(part for part in parts if part)


_QUOTED_NICKNAME = re.compile(r"\s+[\"“”'‘’][^\"“”'‘’]+[\"“”'‘’](?=\s)")


def formal_name(name: str) -> str:
    """The name for a formal address: a nickname in quotes is left out.

    'Eric A. "Rick" Crawford' → 'Eric A. Crawford'; etiquette and the Postal
    Service both want the legal name on the envelope.
    """
    return _QUOTED_NICKNAME.sub("", name)


def _surname(record: Mapping[str, Any], display: str) -> str:
    """The surname as the official uses it.

    The data's `last` can be fuller than the name the official goes by (a
    second family name, "Hernández Rivera" for "Pablo José Hernández"): use
    the longest leading part of it that appears in the official name.
    """
    last = str(record.get("last", ""))
    words = last.split()
    for size in range(len(words), 0, -1):
        candidate = " ".join(words[:size])
        if candidate and candidate in display:
            return candidate
    return last


def _washington_office(record: Mapping[str, Any], house: bool) -> Office:
    default_zip = "20515" if house else "20510"
    street = str(record.get("office") or "")
    address = str(record.get("address") or "")
    match = _DC_ZIP.search(address)
    zip_code = match.group(1) if match else default_zip
    if not street and address:
        street = re.split(r"\s+Washington\b", address, maxsplit=1)[0].strip(" ,")
    lines = ((street,) if street else ()) + (f"Washington, DC {zip_code}",)
    return Office(
        id="washington",
        label="Washington, DC office",
        lines=lines,
        zip=zip_code,
        phone=str(record.get("phone") or ""),
        in_washington=True,
    )


# Characters an inside address line may have before it is shortened by Publication 28:
# about what fits the window of a folded A4 sheet at 10 pt. A street and its suite
# share one line up to a little more, since a line fewer also helps the window.
ADDRESS_LINE_BUDGET = 30


def _fit_line(line: str) -> str:
    """A line longer than the window allows, shortened by Publication 28."""
    return abbreviate(line, compress=True) if len(line) > ADDRESS_LINE_BUDGET else line


def _home_office(record: Mapping[str, Any]) -> Office:
    street = str(record["address"])
    suite = str(record.get("suite", ""))
    # A bare number or letter ("247", "B-128") is a suite; worded ones stay as given.
    if suite and " " not in suite and not suite.startswith("#"):
        suite = f"Suite {suite}"
    lines: list[str] = []
    if record.get("building"):
        lines.append(_fit_line(str(record["building"])))
    head, comma, tail = street.partition(", ")
    if len(street) > ADDRESS_LINE_BUDGET and comma and not any(c.isdigit() for c in head):
        # "Federal Building, 200 North High Street": the building gets a line of its own.
        lines.append(_fit_line(head))
        street = tail
    street = _fit_line(street)
    if suite and len(street) + len(suite) + 2 > ADDRESS_LINE_BUDGET:
        street, suite = abbreviate(street, compress=True), abbreviate(suite, compress=True)
    if not suite:
        lines.append(street)
    elif len(street) + len(suite) + 2 <= ADDRESS_LINE_BUDGET + 6:
        lines.append(f"{street}, {suite}")
    else:
        # The Postal Service wants the unit on the line above when both do not fit.
        lines += [suite, street]
    lines.append(f"{record['city']}, {record['state']} {record['zip']}")
    return Office(
        id=record["id"],
        label=f"{record['city']} office",
        lines=tuple(lines),
        zip=record["zip"][:5],
        phone=record.get("phone", ""),
    )


def official_from_record(
    record: Mapping[str, Any], offices: Sequence[Mapping[str, Any]] = ()
) -> Official:
    """Build an :class:`Official` from a stored member record and its offices."""
    kind = str(record["kind"])
    state = str(record["state"])
    district = record.get("district")
    name = _display_name(record)
    surname = _surname(record, name)
    place = STATE_NAMES.get(state, state)
    possessive = f"{place}'" if place.endswith("s") else f"{place}'s"
    if kind == "senator":
        title = f"United States Senator from {place}"
        salutation = f"Dear Senator {surname}:"
        washington_heading: tuple[str, ...] = ("United States Senate",)
        home_heading: tuple[str, ...] = ("United States Senator",)
    elif kind == "representative":
        if district:
            title = f"United States Representative for {possessive} {ordinal(district)} District"
        else:
            title = f"United States Representative for {place} (at large)"
        salutation = f"Dear Representative {surname}:"
        washington_heading = ("United States House of Representatives",)
        home_heading = ("United States Representative",)
    elif kind == "delegate":
        title = f"Delegate from {place}"
        salutation = f"Dear Delegate {surname}:"
        washington_heading = ("United States House of Representatives",)
        home_heading = (f"Delegate from {place}",)
    else:
        title = f"Resident Commissioner from {place}"
        salutation = f"Dear Resident Commissioner {surname}:"
        washington_heading = ("United States House of Representatives",)
        home_heading = (f"Resident Commissioner from {place}",)
    return Official(
        id=str(record["id"]),
        kind=kind,
        name=name,
        surname=surname,
        title=title,
        salutation=salutation,
        addressee=f"The Honorable {formal_name(name)}",
        washington_heading=washington_heading,
        home_heading=home_heading,
        washington=_washington_office(record, house=kind != "senator"),
        district_offices=tuple(_home_office(office) for office in offices),
        state=state,
        district=district if isinstance(district, int) else None,
        party=str(record.get("party", "")),
        contact_form=str(record.get("contact_form", "")),
        website=str(record.get("url", "")),
        email=str(record.get("email", "")),
        phone=str(record.get("phone", "")),
        term_start=parse_date(record.get("start")),
        term_end=parse_date(record.get("end")),
    )


def _sort_key(official: Official) -> tuple[int, str, int, str]:
    order = {"senator": 0, "representative": 1, "delegate": 1, "resident-commissioner": 1}
    return (
        order.get(official.kind, 2),
        official.state,
        official.district or 0,
        official.name,
    )


# ---------------------------------------------------------------------------
# The local directory


_bundled_lock = threading.Lock()
_bundled_cache: dict[str, bytes | None] = {}


def bundled_image() -> bytes | None:
    """The directory that ships with the program, as an SQLite image (None if absent).

    Read and decompressed on first use only (about 20 ms), then kept for the
    life of the process; nothing reads it at start-up.
    """
    with _bundled_lock:
        if BUNDLED_NAME not in _bundled_cache:
            import lzma
            from importlib.resources import files

            resource = files(BUNDLED_PACKAGE).joinpath(BUNDLED_FOLDER, BUNDLED_NAME)
            try:
                image: bytes | None = lzma.decompress(resource.read_bytes())
            except (OSError, lzma.LZMAError):
                image = None
            _bundled_cache[BUNDLED_NAME] = image
        return _bundled_cache[BUNDLED_NAME]


def bundled_meta_for(compressed: bytes, image: bytes) -> dict[str, object]:
    """The small description written beside the bundled copy (see :data:`BUNDLED_META_NAME`).

    Args:
        compressed: the .xz file's bytes, named by their size and checksums.
        image: the SQLite image inside it, whose ``meta`` table is copied.
    """
    db = sqlite3.connect(":memory:")
    try:
        db.deserialize(image)
        meta = {key: json.loads(value) for key, value in db.execute("SELECT key, value FROM meta")}
    finally:
        db.close()
    return {
        "xz_sha256": _sha256(compressed),
        "xz_size": len(compressed),
        "xz_crc32": crc32_hex(compressed),
        "data_date": meta.get("data_date"),
        "imported_at": meta.get("imported_at", ""),
        "snapshot": meta.get("snapshot", ""),
        "bundled": bool(meta.get("bundled", False)),
    }


def _sha256(data: bytes) -> str:
    import hashlib  # loads OpenSSL (about 3.5 MB): only for imports and the bundle's tools

    return hashlib.sha256(data).hexdigest()


def bundled_resource_name() -> str:
    """Where the bundled copy lives inside the program, for messages."""
    return f"{BUNDLED_PACKAGE}/{BUNDLED_FOLDER}/{BUNDLED_NAME}"


class Directory:
    """The local copy of the directory, kept in one SQLite file under `folder`.

    Every call opens its own short read-only connection, so one Directory can
    be used from worker threads; imports build a complete new file and swap it
    in with one rename, so readers never see half an update. Until the user
    imports or downloads data of their own, a directory made with `bundled`
    reads the copy that ships with the program (see :func:`bundled_image`).

    Args:
        folder: where the directory lives (``Locations.directory_dir``).
        today: gives today's date (tests pass a fixed one).
        bundled: fall back on the program's own copy when `folder` has none.
    """

    def __init__(
        self,
        folder: Path,
        today: Callable[[], dt.date] | None = None,
        *,
        bundled: bool = False,
    ) -> None:
        self.folder = Path(folder)
        self._today = today
        self._bundled = bundled

    @classmethod
    def for_locations(
        cls,
        locations: Locations,
        today: Callable[[], dt.date] | None = None,
        *,
        bundled: bool = True,
    ) -> Directory:
        """The directory in the user's data folder (the bundled copy until they have one)."""
        return cls(locations.directory_dir, today, bundled=bundled)

    @property
    def path(self) -> Path:
        """The SQLite file."""
        return self.folder / DATABASE_NAME

    @property
    def uses_bundled(self) -> bool:
        """True when the data read is the copy bundled with the program."""
        return self._bundled and not self.path.exists() and bundled_image() is not None

    def location_text(self) -> str:
        """Where the data in use is kept, in words."""
        if self.uses_bundled:
            return f"bundled with the program ({bundled_resource_name()})"
        return str(self.path)

    def today(self) -> dt.date:
        """Today's date as this directory sees it (`today` if given, else
        :func:`composer.core.congress.current_date`)."""
        return self._today() if self._today is not None else congress.current_date()

    def term_warnings(self, recipients: Sequence[Recipient], *, by_post: bool) -> list[str]:
        """Warnings for recipients whose term has ended, or ends before the letter arrives.

        A letter by post is allowed :data:`POST_DAYS` to arrive (more for
        Washington, DC, where mail is screened first); an e-mail arrives the
        same day. Recipients not in the directory (typed by hand, built in)
        are not checked.

        Returns:
            Plain-words warnings, empty when every term outlasts the letter;
            with many recipients the names are summed up.
        """
        wanted = sorted({r.id.upper() for r in recipients if r.id and r.id not in BUILTIN_IDS})
        if not wanted:
            return []
        found: dict[str, Official] = {}
        with self._connect() as db:
            if db is None:
                return []
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                marks = ",".join("?" * len(chunk))
                for member in self._members(db, f"id IN ({marks})", chunk):
                    found[member.id] = member
        today = self.today()
        ended: list[Official] = []
        ending: list[tuple[Official, int]] = []
        seen: set[str] = set()
        for recipient in recipients:
            official = found.get(recipient.id.upper())
            if official is None or official.id in seen or official.term_end is None:
                continue
            seen.add(official.id)
            days = delivery_days(recipient) if by_post else 0
            if official.term_end <= today:
                ended.append(official)
            elif official.term_end <= today + dt.timedelta(days=days):
                ending.append((official, days))
        if not ended and not ending:
            return []
        data = self.info().date_words()
        result: list[str] = []
        if ended:
            dates = sorted({official.term_end for official in ended if official.term_end})
            names = _name_list([o.title_and_name for o in ended])
            if len(dates) == 1:
                sentence = ngettext(
                    "According to the directory's data {data}, the term of {names} ended on "
                    "{date}; this member may no longer hold the seat, and the letter may "
                    "reach a successor or come back.",
                    "According to the directory's data {data}, the terms of {names} ended on "
                    "{date}; they may no longer hold the seat, and the letter may reach a "
                    "successor or come back.",
                    len(ended),
                ).format(data=data, names=names, date=long_date(dates[-1]))
            else:
                sentence = _(
                    "According to the directory's data {data}, the terms of {names} ended "
                    "before today; they may no longer hold the seat, and the letter may reach "
                    "a successor or come back."
                ).format(data=data, names=names)
            result.append(sentence)
        if ending:
            ends = min(official.term_end for official, _days in ending if official.term_end)
            longest = max(days for _official, days in ending)
            result.append(
                ngettext(
                    "The term of {names} ends on {date}, before a letter posted today can be "
                    "expected to arrive (allow about {days} days); it may reach a successor "
                    "instead.",
                    "The terms of {names} end on {date}, before a letter posted today can be "
                    "expected to arrive (allow about {days} days); it may reach a successor "
                    "instead.",
                    len(ending),
                ).format(
                    names=_name_list([o.title_and_name for o, _days in ending]),
                    date=long_date(ends),
                    days=longest,
                )
            )
        result.append(
            _(
                "Update the directory after the new members take their seats (Directory ▸ "
                "Update from the internet, or 'composer directory update') and choose the "
                "recipients again."
            )
        )
        return result

    # -- reading -----------------------------------------------------------

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection | None]:
        if not self.path.exists():
            image = bundled_image() if self._bundled else None
            if image is None:
                yield None
                return
            memory = sqlite3.connect(":memory:", check_same_thread=False)
            try:
                memory.deserialize(image)
                yield memory
            finally:
                memory.close()
            return
        try:
            connection = sqlite3.connect(f"{self.path.as_uri()}?mode=ro", uri=True)
        except sqlite3.Error as error:
            raise DirectoryError(
                _(
                    "The directory file {path} could not be opened ({error}). Import or "
                    "update the directory again."
                ).format(path=self.path, error=error)
            ) from error
        try:
            yield connection
        except sqlite3.DatabaseError as error:
            raise DirectoryError(
                _(
                    "The directory file {path} is damaged ({error}). Import or update the "
                    "directory again."
                ).format(path=self.path, error=error)
            ) from error
        finally:
            connection.close()

    def info(self) -> DirectoryInfo:
        """What the directory holds: counts, the data's date and where it came from."""
        with self._connect() as db:
            if db is None:
                return DirectoryInfo()
            meta = {key: json.loads(value) for key, value in db.execute("SELECT * FROM meta")}
            counts = dict(db.execute("SELECT kind, count(*) FROM members GROUP BY kind"))
            office_count = db.execute("SELECT count(*) FROM offices").fetchone()[0]
            zip_count = db.execute("SELECT count(DISTINCT zcta) FROM zcta").fetchone()[0]
            ends = [row[0] for row in db.execute("SELECT end_date FROM members")]
        sources = tuple(
            SourceInfo(**source) for source in meta.get("sources", []) if isinstance(source, dict)
        )
        ended = tuple(date for date in (parse_date(value) for value in ends) if date)
        return DirectoryInfo(
            data_date=parse_date(meta.get("data_date")),
            imported_at=str(meta.get("imported_at", "")),
            counts=counts,
            office_count=int(office_count),
            zip_count=int(zip_count),
            ended_terms=ended,
            sources=sources,
            bundled=bool(meta.get("bundled", False)),
        )

    def data_date(self) -> dt.date | None:
        """The data's date (newest term start), None when there is no data.

        Reads one row of the user's file, or the description beside the
        bundled copy, so the window can check it at start without
        decompressing the bundled copy (:meth:`info` reads everything).

        Raises:
            DirectoryError: the user's file is damaged.
        """
        try:  # the light reading the window's start-up check also uses
            return congress.directory_date(self.folder, bundled=self._bundled)
        except congress.DateUnknown:
            pass  # a damaged file (reported below) or a bundled copy without its description
        with self._connect() as db:
            return None if db is None else congress.read_data_date(db)

    def warnings(self) -> list[str]:
        """The directory's staleness warnings as of today."""
        return self.info().warnings(self.today())

    def _members(
        self, db: sqlite3.Connection, where: str, params: Sequence[object]
    ) -> list[Official]:
        rows = db.execute(f"SELECT id, record FROM members WHERE {where}", params).fetchall()
        if not rows:
            return []
        ids = [row[0] for row in rows]
        offices: dict[str, list[dict[str, Any]]] = {}
        marks = ",".join("?" * len(ids))
        for member_id, record in db.execute(
            f"SELECT member_id, record FROM offices WHERE member_id IN ({marks}) "
            "ORDER BY member_id, position",
            ids,
        ):
            offices.setdefault(member_id, []).append(json.loads(record))
        officials = [
            official_from_record(json.loads(record), offices.get(member_id, []))
            for member_id, record in rows
        ]
        return sorted(officials, key=_sort_key)

    def all_officials(self) -> list[Official]:
        """Every member of Congress in the directory (not the built-in officials)."""
        with self._connect() as db:
            return [] if db is None else self._members(db, "1", ())

    def official(self, official_id: str) -> Official:
        """The official with this id (a bioguide id, ``white-house`` or ``dhs-secretary``).

        Raises:
            DirectoryError: no such official.
        """
        wanted = official_id.strip()
        for builtin in builtin_officials():
            if builtin.id == wanted.lower():
                return builtin
        with self._connect() as db:
            found = [] if db is None else self._members(db, "id = ?", (wanted.upper(),))
        if not found:
            missing = _("No official with the id '{id}' is in the directory.").format(id=wanted)
            hint = (
                _("The directory is empty: update it from the internet or import the files first.")
                if self.info().is_empty
                else _("Find ids with 'composer directory find --name NAME'.")
            )
            raise DirectoryError(f"{missing} {hint}")
        return found[0]

    def resolve(self, recipient_id: str, near_zip: str = "") -> Recipient:
        """The recipient for an id, addressed to the default office for paper.

        `recipient_id` may name an office after an ``@``: ``C000127@washington``
        or ``C000127@C000127-seattle``; without one, a home-state office near
        `near_zip` is chosen (see :meth:`Official.preferred_office`).

        Raises:
            DirectoryError: unknown id or office.
        """
        official_id, _at, office_id = recipient_id.partition("@")
        return self.official(official_id).recipient(office_id or None, near_zip)

    def resolve_many(self, recipient_ids: Sequence[str], near_zip: str = "") -> list[Recipient]:
        """:meth:`resolve` for many ids at once (one query; a batch of 538 takes milliseconds).

        Raises:
            DirectoryError: the first unknown id or office, as :meth:`resolve` would.
        """
        builtins = {official.id: official for official in builtin_officials()}
        wanted = [rid.strip().partition("@") for rid in recipient_ids]
        members = sorted({ident.upper() for ident, _, _ in wanted if ident.lower() not in builtins})
        found: dict[str, Official] = {}
        with self._connect() as db:
            for start in range(0, len(members), 500):
                chunk = members[start : start + 500]
                if db is not None:
                    marks = ",".join("?" * len(chunk))
                    for member in self._members(db, f"id IN ({marks})", chunk):
                        found[member.id] = member
        result: list[Recipient] = []
        for ident, _at, office_id in wanted:
            match = builtins.get(ident.lower()) or found.get(ident.upper())
            if match is None:
                self.official(ident)  # raises the same explanation as a single look-up
                raise DirectoryError(
                    _("No official with the id '{id}' is in the directory.").format(id=ident)
                )
            result.append(match.recipient(office_id or None, near_zip))
        return result

    def _result(
        self,
        db: sqlite3.Connection | None,
        officials: Sequence[Official],
        candidates: Sequence[Official] = (),
        reason: str = "",
    ) -> FindResult:
        today = self.today()
        data_date = None
        if db is not None:
            data_date = congress.read_data_date(db)
        info_warnings = [
            text
            for text in (
                new_congress_warning(data_date, today),
                changeover_warning(data_date, today),
            )
            if text
        ]
        term_warnings = [
            text
            for text in (official.term_warning(today) for official in (*officials, *candidates))
            if text
        ]
        return FindResult(
            officials=tuple(officials),
            candidates=tuple(candidates),
            reason=reason,
            warnings=tuple(info_warnings + term_warnings),
        )

    def find_by_state(self, state: str) -> FindResult:
        """The senators and House members of a state or territory (code or name)."""
        code = normalize_state(state)
        with self._connect() as db:
            found = [] if db is None else self._members(db, "state = ?", (code,))
            reason = (
                ""
                if found
                else self._empty_reason(
                    db,
                    _("No official for {place} is in the directory.").format(
                        place=STATE_NAMES[code]
                    ),
                )
            )
            return self._result(db, found, reason=reason)

    def find_by_name(self, text: str) -> FindResult:
        """Officials whose name contains `text` (ignoring case and accents)."""
        wanted = fold(" ".join(text.split()))
        if len(wanted) < 2:
            raise DirectoryError(_("Type at least two letters of the name to search for."))
        builtins = [
            official
            for official in builtin_officials()
            if wanted in fold(f"{official.name} {official.title} {official.addressee}")
        ]
        with self._connect() as db:
            found = [] if db is None else self._members(db, "instr(fold, ?) > 0", (wanted,))
            if builtins or found:
                return self._result(db, builtins + found)
            nobody = _("No official named '{name}' is in the directory.").format(name=text.strip())
            return self._result(db, [], reason=self._empty_reason(db, nobody))

    def _empty_reason(self, db: sqlite3.Connection | None, nobody: str) -> str:
        """Why nothing was found: an empty directory, else `nobody` (the sentence to show)."""
        if db is None or db.execute("SELECT 1 FROM members LIMIT 1").fetchone() is None:
            return _(
                "The directory has no members of Congress yet: update it from the internet "
                "or import the files first."
            )
        return nobody

    def find_by_zip(self, zip_code: str) -> FindResult:
        """The senators and representative for a ZIP code.

        When the ZIP code's area spans several districts (or states), the
        senators that are certain come as `officials` and the rest as
        `candidates`, with a `reason` that says how to choose.

        Raises:
            DirectoryError: not a ZIP code, or no ZIP table has been imported.
        """
        zip5 = normalize_zip(zip_code)
        with self._connect() as db:
            if db is None or db.execute("SELECT 1 FROM zcta LIMIT 1").fetchone() is None:
                raise DirectoryError(
                    _(
                        "The directory has no ZIP code table yet: update it from the internet "
                        "or import zccd.csv, or search by state instead."
                    )
                )
            rows = db.execute(
                "SELECT state, cd FROM zcta WHERE zcta = ? ORDER BY state, cd", (zip5,)
            ).fetchall()
            if rows:
                return self._zip_found(db, zip5, [(str(s), int(cd)) for s, cd in rows])
            territory = _territory_for_zip(zip5)
            if territory:
                members = self._members(db, "state = ?", (territory,))
                place = STATE_NAMES[territory]
                reason = (
                    _(
                        "ZIP {zip} is in {place}, which is represented in Congress by a "
                        "Delegate and has no senators."
                    )
                    if territory in DELEGATE_AREAS
                    else _(
                        "ZIP {zip} is in {place}, which is represented in Congress by a "
                        "Resident Commissioner and has no senators."
                    )
                ).format(zip=zip5, place=place)
                if not members:
                    reason = " ".join([reason, _("That seat is vacant in this directory.")])
                return self._result(db, members, reason=reason)
            return self._zip_by_prefix(db, zip5)

    def _zip_found(
        self, db: sqlite3.Connection, zip5: str, rows: list[tuple[str, int]]
    ) -> FindResult:
        states = sorted({state for state, _ in rows})
        senators = [
            official
            for official in self._members(
                db, f"kind = 'senator' AND state IN ({','.join('?' * len(states))})", states
            )
        ]
        house: list[Official] = []
        vacant: list[str] = []
        for state, cd in rows:
            members = self._members(
                db, "kind != 'senator' AND state = ? AND district = ?", (state, cd)
            )
            house += members
            if not members:
                vacant.append(_district_name(state, cd))
        notes: list[str] = []
        if vacant:
            notes.append(
                _(
                    "The seat for {seats} is vacant in this directory (or the data is out of "
                    "date); write to the senators, and update the directory to check."
                ).format(seats=_name_list(vacant))
            )
        if len(states) > 1:
            names = _name_list([STATE_NAMES[state] for state in states])
            reason = _(
                "ZIP {zip} crosses a state line ({names}); choose the senators and "
                "representative of the state you live and vote in."
            ).format(zip=zip5, names=names)
            return self._result(
                db, [], senators + house, " ".join([reason, i18n._(ZCTA_NOTE), *notes])
            )
        if len(rows) > 1:
            listed = _name_list([str(cd) for _state, cd in rows])
            reason = _(
                "ZIP {zip} is split between districts {listed}; choose the one on your "
                "voter card or look up your street address."
            ).format(zip=zip5, listed=listed)
            return self._result(db, senators, house, " ".join([reason, i18n._(ZCTA_NOTE), *notes]))
        if states[0] in DELEGATE_AREAS | COMMISSIONER_AREAS:
            place = STATE_NAMES[states[0]][0].upper() + STATE_NAMES[states[0]][1:]
            notes.insert(
                0,
                (
                    _(
                        "{place} is represented in Congress by a Resident Commissioner and "
                        "has no senators."
                    )
                    if states[0] in COMMISSIONER_AREAS
                    else _("{place} is represented in Congress by a Delegate and has no senators.")
                ).format(place=place),
            )
        return self._result(db, senators + house, reason=" ".join(notes))

    def _zip_by_prefix(self, db: sqlite3.Connection, zip5: str) -> FindResult:
        # A ZIP with no Census area (P.O. boxes, large businesses) still tells
        # its region by its first three digits.
        prefix = zip5[:3]
        upper = f"{int(prefix) + 1:03d}"
        rows = db.execute(
            "SELECT DISTINCT state, cd FROM zcta WHERE zcta >= ? AND zcta < ? ORDER BY state, cd",
            (prefix, upper),
        ).fetchall()
        states = sorted({str(state) for state, _ in rows})
        unknown = " ".join(
            [
                _("ZIP {zip} is not in the directory's ZIP table.").format(zip=zip5),
                i18n._(ZCTA_NOTE),
            ]
        )
        if len(states) != 1:
            return self._result(
                db,
                [],
                reason=" ".join(
                    [
                        unknown,
                        _(
                            "It may be a P.O. box or a business ZIP code: try the ZIP code of "
                            "your home address, or search by state."
                        ),
                    ]
                ),
            )
        state = states[0]
        senators = self._members(db, "kind = 'senator' AND state = ?", (state,))
        house: list[Official] = []
        for _state, cd in rows:
            house += self._members(
                db, "kind != 'senator' AND state = ? AND district = ?", (state, int(cd))
            )
        if len(rows) == 1:
            found = _(
                "It may be a P.O. box or a business ZIP code. ZIP codes starting with {prefix} "
                "are in {place}."
            )
        else:
            found = _(
                "It may be a P.O. box or a business ZIP code. ZIP codes starting with {prefix} "
                "are in {place}, so these are your senators; choose your representative from "
                "the districts below by your voter card or your street address."
            )
        reason = " ".join([unknown, found.format(prefix=prefix, place=STATE_NAMES[state])])
        return (
            self._result(db, senators, house, reason)
            if len(rows) > 1
            else self._result(db, senators + house, reason=reason)
        )

    # -- writing -----------------------------------------------------------

    def import_files(
        self, paths: Sequence[Path], progress: ProgressCallback | None = None
    ) -> DirectoryInfo:
        """Import source files (any of the three, in any order) into the directory.

        Files not given keep their previously imported contents.

        Raises:
            DirectoryError: a file cannot be read or is not valid; nothing changed.
        """
        loaded: list[tuple[bytes, str]] = []
        modified: dict[str, tuple[str, str]] = {}
        for path in paths:
            path = Path(path)
            try:
                loaded.append((path.read_bytes(), path.name))
                stamp = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
                modified[path.name] = (stamp.isoformat(timespec="seconds"), str(path.resolve()))
            except OSError as error:
                raise DirectoryError(
                    _("Could not read {path}: {strerror}. Check the file name.").format(
                        path=path, strerror=error.strerror or error
                    )
                ) from error
        if not loaded:
            raise DirectoryError(_("Name at least one file to import."))
        parsed = parse_files(loaded, progress)
        for role, source in list(parsed.sources.items()):
            when, origin = modified.get(source.name, ("", ""))
            parsed.sources[role] = SourceInfo(
                role=role,
                name=source.name,
                size=source.size,
                sha256=source.sha256,
                modified=when,
                origin=origin,
            )
        return self.store(parsed, progress)

    def store(self, parsed: ParsedFiles, progress: ProgressCallback | None = None) -> DirectoryInfo:
        """Write a new directory file from parsed sources, keeping stored parts not given.

        Raises:
            DirectoryError: nothing to store, or the file could not be written.
        """
        if progress:
            progress(_("Building the directory"), 0.8)
        image = self.build_image(parsed, keep_old=True)
        try:
            atomic_write_bytes(self.path, image)
        except StorageError as error:
            raise DirectoryError(str(error)) from error
        if progress:
            progress(_("Done"), 1.0)
        return self.info()

    def build_image(
        self,
        parsed: ParsedFiles,
        *,
        keep_old: bool = False,
        imported_at: str = "",
        extra_meta: Mapping[str, object] | None = None,
    ) -> bytes:
        """A complete directory file (an SQLite image) from parsed sources.

        Args:
            parsed: the checked source files.
            keep_old: carry over the parts of the current file that `parsed` lacks.
            imported_at: the time recorded as the import's (default: now).
            extra_meta: more keys for the meta table (the bundled copy marks itself).

        Raises:
            DirectoryError: there are no members of Congress to store.
        """
        memory = sqlite3.connect(":memory:")
        try:
            _create_schema(memory)
            old_sources: dict[str, dict[str, Any]] = {}
            if keep_old and (self.path.exists() or self.uses_bundled):
                old_sources = self._carry_over(memory, parsed)
            if parsed.members is not None:
                _insert_members(memory, parsed.members)
            if parsed.offices is not None:
                _insert_offices(memory, parsed.offices)
            if parsed.zip_rows is not None:
                memory.executemany("INSERT INTO zcta VALUES (?, ?, ?)", parsed.zip_rows)
            if memory.execute("SELECT count(*) FROM members").fetchone()[0] == 0:
                raise DirectoryError(
                    _("No members of Congress to store: import legislators-current.yaml as well.")
                )
            newest = memory.execute("SELECT max(start_date) FROM members").fetchone()[0]
            sources = {**old_sources}
            for role, source in parsed.sources.items():
                sources[role] = source.as_json_dict()
            meta: dict[str, object] = {
                "schema": SCHEMA_VERSION,
                "data_date": newest,
                "imported_at": imported_at or dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "sources": [sources[role] for role in FILE_NAMES if role in sources],
                **(extra_meta or {}),
            }
            memory.executemany(
                "INSERT INTO meta VALUES (?, ?)", [(k, json.dumps(v)) for k, v in meta.items()]
            )
            memory.commit()
            # VACUUM packs the pages tightly, so the same data gives the same bytes.
            memory.execute("VACUUM")
            return memory.serialize()
        finally:
            memory.close()

    def _carry_over(
        self, memory: sqlite3.Connection, parsed: ParsedFiles
    ) -> dict[str, dict[str, Any]]:
        """Copy the parts of the current data that this import does not replace.

        Until the user has a file of their own, the current data is the bundled
        copy: importing only a newer ZIP table keeps its members and offices.
        """
        try:
            if self.path.exists():
                old = sqlite3.connect(f"{self.path.as_uri()}?mode=ro", uri=True)
            else:
                image = bundled_image()
                if image is None:
                    return {}
                old = sqlite3.connect(":memory:")
                old.deserialize(image)
            try:
                keep = {
                    "members": parsed.members is None,
                    "offices": parsed.offices is None,
                    "zcta": parsed.zip_rows is None,
                }
                for table, wanted in keep.items():
                    if wanted:
                        rows = old.execute(f"SELECT * FROM {table}").fetchall()
                        if rows:
                            marks = ",".join("?" * len(rows[0]))
                            memory.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
                meta = dict(old.execute("SELECT key, value FROM meta").fetchall())
            finally:
                old.close()
        except sqlite3.Error:
            # A damaged old file is simply replaced.
            return {}
        sources = json.loads(meta.get("sources", "[]"))
        return {
            source["role"]: source
            for source in sources
            if isinstance(source, dict) and source.get("role") not in parsed.sources
        }


def _district_name(state: str, cd: int) -> str:
    place = STATE_NAMES.get(state, state)
    if cd == 0:
        return f"{place} (at large)"
    possessive = f"{place}'" if place.endswith("s") else f"{place}'s"
    return f"{possessive} {ordinal(cd)} district"


def _create_schema(db: sqlite3.Connection) -> None:
    db.executescript(
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE members (
            id TEXT PRIMARY KEY, kind TEXT NOT NULL, state TEXT NOT NULL,
            district INTEGER, start_date TEXT, end_date TEXT, fold TEXT NOT NULL,
            record TEXT NOT NULL);
        CREATE INDEX members_place ON members (state, district);
        CREATE TABLE offices (member_id TEXT NOT NULL, position INTEGER NOT NULL,
            record TEXT NOT NULL);
        CREATE INDEX offices_member ON offices (member_id, position);
        CREATE TABLE zcta (zcta TEXT NOT NULL, state TEXT NOT NULL, cd INTEGER NOT NULL);
        CREATE INDEX zcta_zcta ON zcta (zcta);
        """
    )


def _insert_members(db: sqlite3.Connection, members: Sequence[Mapping[str, Any]]) -> None:
    rows = []
    for member in members:
        names = " ".join(
            str(member.get(key, "")) for key in ("official_full", "first", "nickname", "last")
        )
        rows.append(
            (
                member["id"],
                member["kind"],
                member["state"],
                member["district"],
                member["start"],
                member["end"],
                fold(" ".join(names.split())),
                json.dumps(member, ensure_ascii=False, separators=(",", ":")),
            )
        )
    db.executemany("INSERT INTO members VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)


def _insert_offices(
    db: sqlite3.Connection, offices: Mapping[str, Sequence[Mapping[str, Any]]]
) -> None:
    db.executemany(
        "INSERT INTO offices VALUES (?, ?, ?)",
        [
            (member_id, position, json.dumps(office, ensure_ascii=False, separators=(",", ":")))
            for member_id, member_offices in offices.items()
            for position, office in enumerate(member_offices)
        ],
    )


# ---------------------------------------------------------------------------
# Downloading


def urls_under(base: str) -> dict[str, str]:
    """The three file addresses below one base URL (a mirror, or a test server)."""
    base = base.rstrip("/")
    return {role: f"{base}/{name}" for role, name in FILE_NAMES.items()}


def _check_url(url: str) -> None:
    import ipaddress

    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "https":
        return
    if parts.scheme == "http" and parts.hostname:
        # Plain HTTP only to this machine (a local mirror or a test server).
        with contextlib.suppress(ValueError):
            if ipaddress.ip_address(parts.hostname).is_loopback:
                return
        if parts.hostname == "localhost":
            return
    raise DirectoryError(
        _(
            "Refusing to download from {url}: only https:// addresses are allowed "
            "(plain http only to this computer)."
        ).format(url=url)
    )


def download(
    url: str,
    *,
    timeout: float = DOWNLOAD_TIMEOUT,
    max_bytes: int = MAX_DOWNLOAD_BYTES,
    progress: Callable[[int, int], None] | None = None,
    should_cancel: CancelCheck | None = None,
) -> tuple[bytes, str]:
    """Fetch one file; returns its bytes and its Last-Modified header ("" if none).

    Raises:
        DirectoryError: not reachable, an HTTP error, too large, or cancelled.
    """
    # The network modules (and OpenSSL with them) load with the first download only.
    import urllib.error
    import urllib.request

    _check_url(url)
    request = urllib.request.Request(url, headers={"User-Agent": f"letter-composer/{__version__}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            total = int(response.headers.get("Content-Length") or 0)
            if total > max_bytes:
                raise DirectoryError(
                    _(
                        "{url} is {total:,} bytes, more than the {limit:,} a directory file "
                        "may be; the address is probably wrong."
                    ).format(url=url, total=total, limit=max_bytes)
                )
            chunks: list[bytes] = []
            received = 0
            while True:
                if should_cancel and should_cancel():
                    raise DirectoryCancelled(_("The download was cancelled; nothing was changed."))
                chunk = response.read(64 * 1024)
                if not chunk:
                    break
                received += len(chunk)
                if received > max_bytes:
                    raise DirectoryError(
                        _(
                            "{url} is larger than the {limit:,} bytes a directory file may "
                            "be; the address is probably wrong."
                        ).format(url=url, limit=max_bytes)
                    )
                chunks.append(chunk)
                if progress:
                    progress(received, total)
            modified = response.headers.get("Last-Modified") or ""
    except urllib.error.HTTPError as error:
        raise DirectoryError(
            _(
                "The server answered {code} ({reason}) for {url}. The file may have "
                "moved; try again later."
            ).format(code=error.code, reason=error.reason, url=url)
        ) from error
    except urllib.error.URLError as error:
        raise DirectoryError(_unreachable(url, error.reason)) from error
    except TimeoutError as error:
        raise DirectoryError(
            _("Downloading {url} took too long. Try again later.").format(url=url)
        ) from error
    except OSError as error:
        raise DirectoryError(_unreachable(url, error)) from error
    return b"".join(chunks), modified


def _unreachable(url: str, reason: object) -> str:
    """Why a server could not be reached, in plain words (no error numbers)."""
    import socket

    host = urllib.parse.urlsplit(url).hostname or url
    if isinstance(reason, socket.gaierror):
        return _(
            "This computer seems to be offline: the name {host} could not be looked up. "
            "Connect to the internet and try again"
        ).format(host=host)
    if isinstance(reason, TimeoutError | socket.timeout):
        return _(
            "{host} took too long to answer; the connection may be down. Try again later"
        ).format(host=host)
    if isinstance(reason, ConnectionRefusedError):
        return _("{host} refused the connection; the server may be down. Try again later").format(
            host=host
        )
    if isinstance(reason, ConnectionError):
        return _("The connection to {host} was lost. Try again later").format(host=host)
    if isinstance(reason, OSError) and getattr(reason, "errno", None) in (101, 113):
        return _(
            "This computer seems to be offline: there is no route to {host}. Connect to "
            "the internet and try again"
        ).format(host=host)
    if isinstance(reason, OSError):
        words = reason.strerror.lower() if reason.strerror else _("a network error")
        return _("The server {host} could not be reached ({reason}). Try again later").format(
            host=host, reason=words
        )
    return _("The server {host} could not be reached ({reason}). Try again later").format(
        host=host, reason=reason
    )


def update_from_internet(
    urls: Mapping[str, str],
    dest: Directory,
    *,
    timeout: float = DOWNLOAD_TIMEOUT,
    max_bytes: int = MAX_DOWNLOAD_BYTES,
    progress: ProgressCallback | None = None,
    should_cancel: CancelCheck | None = None,
) -> DirectoryInfo:
    """Download the three source files and replace the local directory with them.

    All three are downloaded and checked before anything is written; on any
    failure the local copy stays as it was.

    Args:
        urls: the address of each file by role (:data:`DEFAULT_URLS`, or
            :func:`urls_under` a mirror).
        dest: the directory to replace.

    Raises:
        DirectoryError: a download or a check failed (the message says which).
    """
    missing = [role for role in FILE_NAMES if role not in urls]
    if missing:
        raise DirectoryError(_("No address given for: {names}.").format(names=", ".join(missing)))
    for url in urls.values():
        _check_url(url)
    files: list[tuple[bytes, str]] = []
    modified: dict[str, tuple[str, str]] = {}
    roles = list(FILE_NAMES)
    for position, role in enumerate(roles):
        url = urls[role]
        name = urllib.parse.unquote(urllib.parse.urlsplit(url).path.rsplit("/", 1)[-1])
        name = name or FILE_NAMES[role]

        def step(received: int, total: int, position: int = position, name: str = name) -> None:
            if progress:
                share = received / total if total else 0.0
                progress(
                    _("Downloading {name}").format(name=name),
                    (position + min(share, 1.0)) / len(roles) * 0.7,
                )

        if progress:
            progress(_("Downloading {name}").format(name=name), position / len(roles) * 0.7)
        try:
            data, last_modified = download(
                url,
                timeout=timeout,
                max_bytes=max_bytes,
                progress=step,
                should_cancel=should_cancel,
            )
        except DirectoryCancelled:
            raise
        except DirectoryError as error:
            raise DirectoryError(f"{str(error).rstrip('.')}. {_still_in_use(dest)}") from error
        files.append((data, name))
        modified[name] = (last_modified, url)
    parsed = parse_files(files)
    if set(parsed.sources) != set(FILE_NAMES):
        got = ", ".join(sorted(source.name for source in parsed.sources.values()))
        raise DirectoryError(
            _(
                "The downloaded files ({got}) are not the three the directory needs; "
                "check the addresses. The directory was not changed."
            ).format(got=got)
        )
    members = parsed.members or []
    if len(members) < MIN_MEMBERS or len(parsed.zip_rows or []) < MIN_ZIP_ROWS:
        raise DirectoryError(
            _(
                "The downloaded data looks incomplete ({count} members of Congress, "
                "{count2} ZIP rows); the directory was not changed. Try again later."
            ).format(count=len(members), count2=len(parsed.zip_rows or []))
        )
    if should_cancel and should_cancel():
        raise DirectoryCancelled(_("The update was cancelled; nothing was changed."))
    for role, source in list(parsed.sources.items()):
        last_modified, url = modified.get(source.name, ("", ""))
        parsed.sources[role] = SourceInfo(
            role=role,
            name=source.name,
            size=source.size,
            sha256=source.sha256,
            modified=last_modified,
            origin=url,
        )
    return dest.store(parsed, progress)


def _still_in_use(directory: Directory) -> str:
    """The sentence that says which data stays in use after a failed update."""
    try:
        info = directory.info()
    except DirectoryError:
        return _("The directory was not changed.")
    if info.is_empty:
        return _("The directory was not changed; it is still empty.")
    return _("The directory was not changed: the data {date} stays in use.").format(
        date=info.date_words()
    )


def resolve(recipient_id: str, locations: Locations, near_zip: str = "") -> Recipient:
    """The recipient for an id: ``white-house``, ``dhs-secretary`` or a bioguide id.

    A shortcut for ``Directory.for_locations(locations).resolve(...)``; see
    :meth:`Directory.resolve` for office selection with ``ID@office``.

    Raises:
        DirectoryError: unknown id or office.
    """
    return Directory.for_locations(locations).resolve(recipient_id, near_zip)
