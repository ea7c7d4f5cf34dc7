"""The sender profile: read from and written to a small TOML file."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path

import tomli_w
from composer.core.fileio import atomic_write_text
from composer.core.models import Sender
from composer.i18n import _

_ZIP = re.compile(r"^\d{5}(?:-\d{4})?$")
_PHONE = re.compile(r"^[0-9+().\-\s/]*(?:(?:ext\.?|x)\s*\d+)?$", re.IGNORECASE)
# Military post offices (APO/FPO) use these in place of a state.
_MILITARY = {
    "AA": "the Armed Forces Americas",
    "AE": "the Armed Forces Europe",
    "AP": "the Armed Forces Pacific",
}


@dataclass(frozen=True)
class FieldProblem:
    """Something wrong in one field of the profile.

    Attributes:
        field: the :class:`Sender` field ("state", "postal_code", "email"…).
        label: the field as the user knows it ("State", "ZIP code"…).
        message: what is wrong and what to type instead.
    """

    field: str
    label: str
    message: str

    def __str__(self) -> str:
        return f"{self.label}: {self.message}"


def _state_code(text: str) -> tuple[str, str]:
    """The state's two-letter code for `text` and "" — or "" and what to type instead."""
    from composer.core.directory import STATE_NAMES

    codes = {**STATE_NAMES, **_MILITARY}
    value = " ".join(text.split())
    if value.upper() in codes:
        return value.upper(), ""
    for code, name in codes.items():
        if value.lower() in (name.lower(), name.lower().removeprefix("the ")):
            return "", _("type the two-letter code {code} for {name}.").format(
                code=code, name=name.removeprefix("the ")
            )
    return "", _(
        "“{value}” is not a US state. Type its two-letter postal code, for example WA or "
        "NY; for an address outside the United States, fill in Country."
    ).format(value=value)


def checked_sender(sender: Sender) -> tuple[Sender, list[FieldProblem]]:
    """The profile tidied (state codes in capitals, spaces trimmed) and what is still wrong.

    A profile with problems must not be saved: what it holds is printed on the
    letter and the envelope, and its e-mail address becomes the reply address.
    State and ZIP code are checked as US ones unless a country is given.
    """
    from composer.core.mail import MailError, parse_address

    problems: list[FieldProblem] = []
    tidy = dataclasses.replace(
        sender,
        **{name: value.strip() for name, value in dataclasses.asdict(sender).items()},
    )
    if not tidy.country:
        if tidy.state:
            code, problem = _state_code(tidy.state)
            if problem:
                problems.append(FieldProblem(label=_("State"), field="state", message=problem))
            else:
                tidy = dataclasses.replace(tidy, state=code)
        if tidy.postal_code and not _ZIP.match(tidy.postal_code):
            problems.append(
                FieldProblem(
                    label=_("ZIP code"),
                    field="postal_code",
                    message=_(
                        "“{code}” is not a ZIP code. Type the five digits, for "
                        "example 98105 (or ZIP+4, 98105-1234); for an address outside the "
                        "United States, fill in Country."
                    ).format(code=tidy.postal_code),
                )
            )
    if tidy.email:
        try:
            parse_address(tidy.email, _("E-mail"))
        except MailError as error:
            problems.append(
                FieldProblem(
                    label=_("E-mail"),
                    field="email",
                    message=_(
                        "{problem} Type the whole address, for example ana@example.org."
                    ).format(problem=error.message),
                )
            )
    digits = sum(char.isdigit() for char in tidy.phone)
    if tidy.phone and (not _PHONE.match(tidy.phone) or digits < 7):
        problems.append(
            FieldProblem(
                label=_("Phone"),
                field="phone",
                message=_(
                    "“{phone}” is not a phone number. Type digits, for example "
                    "(206) 555-0143, or leave it empty."
                ).format(phone=tidy.phone),
            )
        )
    return tidy, problems


class ProfileError(Exception):
    """A sender file could not be read; the message names the file and the problem."""


def load_sender(path: Path) -> Sender:
    """Read a sender file: flat keys (name, street, city, …) or a ``[sender]`` table.

    Raises:
        ProfileError: the file is missing, not UTF-8, or not valid TOML.
    """
    try:
        text = Path(path).read_bytes().decode("utf-8")
    except FileNotFoundError as error:
        raise ProfileError(_("{path}: no such sender file").format(path=path)) from error
    except UnicodeDecodeError as error:
        raise ProfileError(_("{path}: not UTF-8 text").format(path=path)) from error
    except OSError as error:
        raise ProfileError(
            _("{path}: cannot be read ({reason})").format(path=path, reason=error.strerror)
        ) from error
    import tomllib  # only when there is a profile to read

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ProfileError(
            _("{path}: not valid TOML: {error}").format(path=path, error=error)
        ) from error
    table = data.get("sender", data)
    if not isinstance(table, dict):
        raise ProfileError(_("{path}: [sender] must be a table").format(path=path))
    return Sender.from_dict(table)


def load_saved_sender(path: Path) -> Sender | None:
    """The saved profile, or None when there is none or it cannot be read."""
    try:
        return load_sender(path)
    except ProfileError:
        return None


def save_sender(path: Path, sender: Sender) -> None:
    """Write the profile atomically, readable by :func:`load_sender` and ``--sender``."""
    atomic_write_text(path, tomli_w.dumps({"sender": sender.as_dict()}))
