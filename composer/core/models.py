"""The letter and the people on it: plain data, no behaviour beyond formatting."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

from composer.core.postal import postal_address_lines
from composer.i18n import _

PRESIDENT_ID = "white-house"


@dataclass
class Sender:
    """The person who writes and signs the letter (the saved sender profile)."""

    name: str = ""
    street: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    country: str = ""
    email: str = ""
    phone: str = ""

    def address_lines(self) -> list[str]:
        """Return the postal address as printed under the name, without empty lines.

        In the order of the sender's country ("10115 Berlin" in Germany), the
        country last when it is given.
        """
        return postal_address_lines(
            self.street, self.city, self.state, self.postal_code, self.country
        )

    def home_country(self) -> str:
        """The country the sender writes from: as typed, or "US" for an address with a
        state and a ZIP code and no country (the profile asks US senders to leave the
        country empty); "" when the profile says nothing either way."""
        if self.country.strip():
            return self.country.strip()
        return "US" if self.state.strip() and self.postal_code.strip() else ""

    def block_lines(self) -> list[str]:
        """Return the sender block: name, address, then e-mail and phone."""
        lines = [self.name.strip()] if self.name.strip() else []
        lines += self.address_lines()
        lines += [value.strip() for value in (self.email, self.phone) if value.strip()]
        return lines

    def missing_for_post(self) -> list[str]:
        """Name the fields a posted letter needs that are still empty."""
        needed = {"name": self.name, "street": self.street, "city": self.city}
        return [name for name, value in needed.items() if not value.strip()]

    def as_dict(self) -> dict[str, str]:
        """Return the fields as a plain dictionary (for files and templates)."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Sender:
        """Build a sender from a dictionary, ignoring unknown keys and non-text values."""
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: str(v) for k, v in data.items() if k in known and isinstance(v, str)})


@dataclass(frozen=True)
class Recipient:
    """An official a letter is addressed to.

    `address_lines` is the complete inside address, as printed in the window
    of the envelope; `salutation` is the greeting line with its punctuation.
    """

    id: str
    name: str
    title: str
    salutation: str
    address_lines: tuple[str, ...]
    kind: str = "custom"
    email: str = ""
    state: str = ""
    district: int | None = None
    contact_form: str = ""
    phone: str = ""

    @property
    def short_name(self) -> str:
        """The name used in continuation headers and lists."""
        return self.name or (self.address_lines[0] if self.address_lines else self.id)

    def as_template_dict(self) -> dict[str, object]:
        """Fields offered to templates and placeholders as ``recipient.*``."""
        return {
            "id": self.id,
            "name": self.name,
            "title": self.title,
            "salutation": self.salutation,
            "address": "\n".join(self.address_lines),
            "email": self.email,
            "state": self.state,
            "district": "" if self.district is None else str(self.district),
        }


def white_house() -> Recipient:
    """The President, at the White House (built in; needs no directory).

    The address and greeting are data (see composer.core.offices).
    """
    from composer.core.offices import builtin_office

    office = builtin_office(PRESIDENT_ID)
    if office is None:
        raise LookupError(_("the program's list of built-in offices has no White House"))
    return office


def custom_recipient(name: str, address: str, salutation: str = "") -> Recipient:
    """A recipient typed by hand: a name, an address block, an optional greeting."""
    lines = [line.strip() for line in address.splitlines() if line.strip()]
    if name.strip() and (not lines or lines[0] != name.strip()):
        lines.insert(0, name.strip())
    greeting = salutation.strip() or (
        f"Dear {name.strip()}:" if name.strip() else "Dear Sir or Madam:"
    )
    return Recipient(
        id="custom",
        name=name.strip(),
        title="",
        salutation=greeting,
        address_lines=tuple(lines),
    )


@dataclass
class Letter:
    """One letter: who writes it, to whom, what it says, and where its text came from.

    `body_html` is the text the user edits (HTML from the editor); it may hold
    placeholders such as ``{{ recipient.salutation }}``. One letter can go to
    several recipients (mail merge); each gets its own copy when rendered.
    """

    sender: Sender = field(default_factory=Sender)
    recipients: list[Recipient] = field(default_factory=list)
    subject: str = ""
    body_html: str = ""
    date: dt.date = field(default_factory=dt.date.today)
    campaign_id: str = ""
    argument_ids: list[str] = field(default_factory=list)
    complimentary_close: str = "Respectfully,"
    language: str = "en-US"
    copy_bodies: dict[str, str] = field(default_factory=dict)

    def body_for(self, recipient_id: str) -> str:
        """The body of the copy for one recipient: its own paragraphs, or the common body.

        `copy_bodies` holds, by recipient id, the paragraphs routed to that
        office when its copy differs from the others (see
        composer.core.campaigns.Campaign.arguments_for).
        """
        return self.copy_bodies.get(recipient_id, self.body_html)


MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def format_date(date: dt.date, language: str = "en-US") -> str:
    """Write a date the way a letter in that language dates it (no locale needed)."""
    month = MONTHS[date.month - 1]
    if language.lower() in ("en-us", "en_us", "en"):
        return f"{month} {date.day}, {date.year}"
    return f"{date.day} {month} {date.year}"
