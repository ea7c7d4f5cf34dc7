"""The portable letter file (``.letter``): one letter with everything it needs, as JSON.

A letter file keeps the campaign id, the chosen arguments, the recipients, the
subject, the body (the editor's HTML), the sender as it was when the letter was
written, the date, the paper size and an optional name. The same dictionary
form is what the drafts store keeps, so a draft and a file hold the very same
thing.

The file carries a format name and a version. A file from a newer version is
refused with a message that says so, rather than read half-way; keys this
version does not know are ignored, so later versions can add fields.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from composer.core.fileio import StorageError, atomic_write_text
from composer.core.models import Letter, Recipient, Sender
from composer.i18n import _

FORMAT_NAME = "letter-composer-letter"
FORMAT_VERSION = 1
SUFFIX = ".letter"
PAPERS = ("", "letter", "a4")
# Far above any real letter (a 10 MB paste is about 27 MB of editor HTML), far below
# what would exhaust memory when a stranger's file is opened.
MAX_FILE_BYTES = 128 * 1024 * 1024


class LetterFileError(Exception):
    """A letter file or stored letter could not be read; the message names the field."""


@dataclass(frozen=True)
class LetterDocument:
    """A letter together with what the window needs to show it again.

    Attributes:
        letter: the letter itself.
        paper: "letter", "a4", or "" when not chosen.
        name: the name the user gave it ("" when none).
    """

    letter: Letter
    paper: str = ""
    name: str = ""


# --- to and from plain data ----------------------------------------------------------------


def recipient_to_dict(recipient: Recipient) -> dict[str, Any]:
    """A recipient as plain data (JSON-ready)."""
    return {
        "id": recipient.id,
        "name": recipient.name,
        "title": recipient.title,
        "salutation": recipient.salutation,
        "address_lines": list(recipient.address_lines),
        "kind": recipient.kind,
        "email": recipient.email,
        "state": recipient.state,
        "district": recipient.district,
        "contact_form": recipient.contact_form,
        "phone": recipient.phone,
    }


def letter_to_dict(letter: Letter) -> dict[str, Any]:
    """A letter as plain data (JSON-ready); :func:`letter_from_dict` reads it back."""
    return {
        "campaign_id": letter.campaign_id,
        "argument_ids": list(letter.argument_ids),
        "subject": letter.subject,
        "body_html": letter.body_html,
        "date": letter.date.isoformat(),
        "complimentary_close": letter.complimentary_close,
        "language": letter.language,
        "sender": letter.sender.as_dict(),
        "recipients": [recipient_to_dict(r) for r in letter.recipients],
    }


def _text(table: dict[str, Any], key: str, where: str, default: str = "") -> str:
    value = table.get(key, default)
    if not isinstance(value, str):
        raise LetterFileError(_("{field} must be text").format(field=f"{where}{key}"))
    return value


def _texts(table: dict[str, Any], key: str, where: str) -> list[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise LetterFileError(_("{field} must be a list of texts").format(field=f"{where}{key}"))
    return list(value)


def _table(value: object, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise LetterFileError(_("{field} must be a table of fields").format(field=where))
    return value


def recipient_from_dict(data: object, where: str = "recipient") -> Recipient:
    """Read a recipient written by :func:`recipient_to_dict`.

    Raises:
        LetterFileError: a field is missing or of the wrong kind (the message names it).
    """
    table = _table(data, where)
    prefix = f"{where}."
    district = table.get("district")
    if district is not None and (type(district) is not int):
        raise LetterFileError(
            _("{field} must be a whole number or empty").format(field=f"{prefix}district")
        )
    return Recipient(
        id=_text(table, "id", prefix, "custom"),
        name=_text(table, "name", prefix),
        title=_text(table, "title", prefix),
        salutation=_text(table, "salutation", prefix),
        address_lines=tuple(_texts(table, "address_lines", prefix)),
        kind=_text(table, "kind", prefix, "custom"),
        email=_text(table, "email", prefix),
        state=_text(table, "state", prefix),
        district=district,
        contact_form=_text(table, "contact_form", prefix),
        phone=_text(table, "phone", prefix),
    )


def letter_from_dict(data: object) -> Letter:
    """Read a letter written by :func:`letter_to_dict`.

    Raises:
        LetterFileError: a field is missing or of the wrong kind (the message names it).
    """
    table = _table(data, "letter")
    where = "letter."
    date_text = _text(table, "date", where, dt.date.today().isoformat())
    try:
        date = dt.date.fromisoformat(date_text)
    except ValueError as error:
        raise LetterFileError(
            _("letter.date '{date}' is not a date (YYYY-MM-DD)").format(date=date_text[:40])
        ) from error
    sender_table = _table(table.get("sender", {}), "letter.sender")
    for key, value in sender_table.items():
        if not isinstance(value, str):
            raise LetterFileError(_("{field} must be text").format(field=f"letter.sender.{key}"))
    recipients = table.get("recipients", [])
    if not isinstance(recipients, list):
        raise LetterFileError(_("{field} must be a list").format(field="letter.recipients"))
    return Letter(
        sender=Sender.from_dict(sender_table),
        recipients=[
            recipient_from_dict(item, f"letter.recipients[{index}]")
            for index, item in enumerate(recipients)
        ],
        subject=_text(table, "subject", where),
        body_html=_text(table, "body_html", where),
        date=date,
        campaign_id=_text(table, "campaign_id", where),
        argument_ids=_texts(table, "argument_ids", where),
        complimentary_close=_text(table, "complimentary_close", where, "Respectfully,"),
        language=_text(table, "language", where, "en-US"),
    )


def document_to_json(document: LetterDocument) -> str:
    """The text of a letter file.

    Non-ASCII characters are written as JSON escapes: the file stays valid
    whatever the editor held (even a lone surrogate), and any tool can read it.
    """
    if document.paper not in PAPERS:
        raise ValueError(_("unknown paper {paper!r}").format(paper=document.paper))
    payload = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "name": document.name,
        "paper": document.paper,
        "letter": letter_to_dict(document.letter),
    }
    return json.dumps(payload, ensure_ascii=True, indent=1) + "\n"


def document_from_json(text: str | bytes) -> LetterDocument:
    """Read the text of a letter file.

    Raises:
        LetterFileError: not a letter file, from a newer version, or a field is wrong.
    """
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise LetterFileError(
            _("this is not a letter file (it is not valid JSON); was it damaged?")
        ) from error
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise LetterFileError(_("this is not a Letter Composer letter file"))
    version = data.get("version")
    if type(version) is not int or version < 1:
        raise LetterFileError(_("the file's format version is missing or not a number"))
    if version > FORMAT_VERSION:
        raise LetterFileError(
            _(
                "the file was written by a newer version of Letter Composer (format {version}; "
                "this version reads format {supported}). Update the program to open it."
            ).format(version=version, supported=FORMAT_VERSION)
        )
    name = data.get("name", "")
    paper = data.get("paper", "")
    if not isinstance(name, str):
        raise LetterFileError(_("{field} must be text").format(field="name"))
    if paper not in PAPERS:
        raise LetterFileError(_('paper must be "letter" or "a4"'))
    return LetterDocument(letter=letter_from_dict(data.get("letter")), paper=paper, name=name)


# --- files -----------------------------------------------------------------------------------


def write_letter_file(path: Path, document: LetterDocument) -> None:
    """Write a letter file atomically (a crash or a full disk never leaves half a file).

    Raises:
        StorageError: the file could not be written; the message says why.
    """
    atomic_write_text(Path(path), document_to_json(document))


def read_letter_file(path: Path) -> LetterDocument:
    """Read a letter file.

    Raises:
        LetterFileError: the file cannot be read or is not a usable letter file; the
            message starts with the file's name.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise LetterFileError(
                _("{name}: the file is {size} MB, too large to be a letter").format(
                    name=path.name, size=size // (1024 * 1024)
                )
            )
        data = path.read_bytes()
    except FileNotFoundError as error:
        raise LetterFileError(_("{name}: there is no such file").format(name=path.name)) from error
    except IsADirectoryError as error:
        raise LetterFileError(
            _("{name}: this is a folder, not a letter file").format(name=path.name)
        ) from error
    except OSError as error:
        raise LetterFileError(
            _("{name}: the file could not be read ({reason})").format(
                name=path.name, reason=error.strerror or error
            )
        ) from error
    try:
        return document_from_json(data)
    except LetterFileError as error:
        raise LetterFileError(f"{path.name}: {error}") from error


__all__ = [
    "FORMAT_VERSION",
    "SUFFIX",
    "LetterDocument",
    "LetterFileError",
    "StorageError",
    "document_from_json",
    "document_to_json",
    "letter_from_dict",
    "letter_to_dict",
    "read_letter_file",
    "write_letter_file",
]
