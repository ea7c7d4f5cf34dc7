"""The Congress calendar and the directory's date, without loading the directory.

The window checks at start-up whether the directory is due for an update (a new
Congress, or an election awaiting its Congress). That needs only the data's
date and the calendar, both here; :mod:`composer.core.directory`, which reads
and imports the data itself, is loaded when the user first looks someone up.
Every date check asks :func:`current_date` (tests set the clock there).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from composer import i18n
from composer.core.models import format_date
from composer.i18n import _

if TYPE_CHECKING:
    import sqlite3

DATABASE_NAME = "directory.sqlite3"

# The copy that ships with the program: the same SQLite file an import writes,
# compressed with xz, read from ``composer.resources`` only when the user has
# no directory of their own (see :class:`composer.core.directory.Directory`). Made by
# ``tools/make_directory_data.py`` from the public-domain source files.
BUNDLED_PACKAGE = "composer.resources"
BUNDLED_FOLDER = "directory"
BUNDLED_NAME = "congress.sqlite3.xz"
# Beside it, what the window needs before any real use of the data (its date), so
# that start-up never decompresses it: a small JSON file written with it, naming
# the exact copy it describes by its checksum (see :func:`bundled_meta`).
BUNDLED_META_NAME = "congress.meta.json"


def ordinal(number: int) -> str:
    """1 → "1st", 2 → "2nd", 11 → "11th", 23 → "23rd"."""
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def next_congress_start(date: dt.date) -> dt.date:
    """The first day of the first Congress that begins after `date`.

    Each Congress begins on January 3 of an odd-numbered year (20th Amendment).
    """
    year = date.year if date.year % 2 == 1 else date.year + 1
    start = dt.date(year, 1, 3)
    if start <= date:
        start = dt.date(year + 2, 1, 3)
    return start


def new_congress_warning(data_date: dt.date | None, today: dt.date) -> str:
    """A warning when a new Congress has begun since the data's date, else ""."""
    if data_date is None:
        return ""
    begun = next_congress_start(data_date)
    if today < begun:
        return ""
    return _(
        "The {ordinal} Congress began on {date}, after this data was published (its newest "
        "entry is from {published}). Senators and representatives may have changed: update "
        "the directory."
    ).format(
        ordinal=ordinal(congress_number(begun)),
        date=long_date(begun),
        published=long_date(data_date),
    )


def current_date() -> dt.date:
    """Today's date: the clock every directory uses unless it was given one."""
    return dt.date.today()


def election_day(year: int) -> dt.date:
    """The federal general election of `year`: the Tuesday after the first Monday in November."""
    first = dt.date(year, 11, 1)
    monday = first + dt.timedelta(days=(0 - first.weekday()) % 7)
    return monday + dt.timedelta(days=1)


def changeover_warning(data_date: dt.date | None, today: dt.date) -> str:
    """Between an election and the Congress it chose, say when the data must be updated.

    From the general election of an even year until January 3 of the next year
    (20th Amendment), the data still lists the outgoing Congress; members who
    lost or retired leave on January 3. Returns "" outside that time, or when
    the data already covers the new Congress.
    """
    begins = next_congress_start(today)
    election = election_day(begins.year - 1)
    if data_date is None or not election <= today < begins or data_date >= begins:
        return ""
    number = congress_number(begins)
    return _(
        "The election of {election} has chosen the {ordinal} Congress, which begins on "
        "{date}. Until then the members listed here keep their seats; from that day those "
        "who lost or retired are gone, so update the directory after {date} (Directory ▸ "
        "Update from the internet, or 'composer directory update')."
    ).format(election=long_date(election), ordinal=ordinal(number), date=long_date(begins))


def update_due(data_date: dt.date | None, today: dt.date) -> str | None:
    """The date from which the data should be updated (ISO text), or None if it is current.

    A new Congress that began after the data's date makes an update due at
    once; an election awaiting its Congress makes it due on that Congress's
    first day.
    """
    if data_date is None:
        return today.isoformat()
    begun = next_congress_start(data_date)
    if today >= begun:
        return begun.isoformat()
    if changeover_warning(data_date, today):
        return next_congress_start(today).isoformat()
    return None


def congress_number(start: dt.date) -> int:
    """The number of the Congress that begins in the year of `start` (2025 → 119)."""
    return (start.year - 1789) // 2 + 1


def long_date(date: dt.date) -> str:
    """A date as the directory's messages write it: "January 3, 2027" in English,
    "03.01.2027" when the interface speaks Russian or Ukrainian (messages, never letters).
    """
    if i18n.current_language() != "en":
        return date.strftime("%d.%m.%Y")
    return format_date(date, "en-US")


def parse_date(value: object) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def bundled_meta() -> dict[str, Any] | None:
    """The bundled copy's description, read without decompressing the copy.

    None when there is no bundled copy, no description beside it, or one that
    describes other bytes (the copy was replaced without it): then only the
    copy itself can answer.
    """
    from importlib.resources import files

    folder = files(BUNDLED_PACKAGE).joinpath(BUNDLED_FOLDER)
    try:
        compressed = folder.joinpath(BUNDLED_NAME).read_bytes()
        meta = json.loads(folder.joinpath(BUNDLED_META_NAME).read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict):
        return None
    # Size and CRC-32 tell a replaced copy at start-up without loading OpenSSL for SHA-256.
    if meta.get("xz_size") != len(compressed) or meta.get("xz_crc32") != crc32_hex(compressed):
        return None
    return meta


def crc32_hex(data: bytes) -> str:
    """The CRC-32 of `data` as eight hex digits (how the description names the copy)."""
    import zlib

    return f"{zlib.crc32(data):08x}"


def read_data_date(db: sqlite3.Connection) -> dt.date | None:
    """The data's date from the ``meta`` table of an open directory file (None if absent)."""
    row = db.execute("SELECT value FROM meta WHERE key = 'data_date'").fetchone()
    return parse_date(json.loads(row[0])) if row else None


class DateUnknown(Exception):
    """The directory's date could not be read here (a damaged file): ask the directory."""


def directory_date(folder: Path, *, bundled: bool = True) -> dt.date | None:
    """The date of the directory data in `folder` (its newest term start), None if none.

    Reads one row of the user's own file, or the description beside the bundled
    copy, which stays compressed.

    Raises:
        DateUnknown: the user's file cannot be read, or the bundled copy has no
            description: :meth:`composer.core.directory.Directory.data_date` answers then.
    """
    import sqlite3

    path = Path(folder) / DATABASE_NAME
    if not path.exists():
        if not bundled:
            return None
        meta = bundled_meta()
        if meta is None:
            raise DateUnknown("the bundled copy has no description beside it")
        return parse_date(meta.get("data_date"))
    try:
        db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            return read_data_date(db)
        finally:
            db.close()
    except (sqlite3.Error, ValueError, TypeError) as error:
        raise DateUnknown(str(error)) from error
