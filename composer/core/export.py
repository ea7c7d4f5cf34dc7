"""Exporting a finished letter to files other programs open: HTML and plain text.

The letter is rendered first (:mod:`composer.core.render`), so a missing
placeholder value is named before any file is written. One file holds every
copy of a mail-merged letter, each starting on a new page. The OpenDocument
(ODT) export builds on the same HTML and lives in ``composer.printing.odt``,
because it needs Qt's document writer.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from composer import i18n
from composer.core.fileio import atomic_write_text
from composer.core.rendered import RenderedLetter, body_fragment
from composer.i18n import N_, _

_HEAD = re.compile(r"^(.*?<body[^>]*>)", re.DOTALL | re.IGNORECASE)


@dataclass(frozen=True)
class ExportFormat:
    """A kind of file the letter can be exported to.

    Attributes:
        key: "odt", "html", "txt" or "pdf".
        label: the name shown in menus and file dialogs, in English (marked for
            translation; `shown_label` gives it in the interface's language).
        suffix: the file name ending, with its dot.
    """

    key: str
    label: str
    suffix: str

    @property
    def shown_label(self) -> str:
        """The label in the interface's language."""
        return i18n._(self.label)

    @property
    def file_filter(self) -> str:
        """The filter for a file dialog, e.g. ``Web page (*.html)``."""
        return f"{self.shown_label} (*{self.suffix})"


FORMATS = {
    "odt": ExportFormat("odt", N_("OpenDocument text, for LibreOffice or Word"), ".odt"),
    "html": ExportFormat("html", N_("Web page"), ".html"),
    "txt": ExportFormat("txt", N_("Plain text"), ".txt"),
    "pdf": ExportFormat("pdf", "PDF", ".pdf"),
}


def suggested_file_name(recipient_name: str, suffix: str) -> str:
    """A file name such as ``letter-to-the-president.odt``."""
    slug = re.sub(r"[^a-z0-9]+", "-", recipient_name.lower()).strip("-") or "letter"
    return f"letter-to-{slug}{suffix}"


def with_suffix(path: Path, suffix: str) -> Path:
    """The path with the format's ending added when the user left it out."""
    return path if path.name.lower().endswith(suffix) else path.with_name(path.name + suffix)


def html_document(letters: Sequence[RenderedLetter]) -> str:
    """One HTML document holding every copy, each after a page break.

    Raises:
        ValueError: there is no letter to export.
    """
    if not letters:
        raise ValueError(_("no letter to export"))
    first = letters[0].document_html
    match = _HEAD.match(first)
    if len(letters) == 1 or match is None:
        return first
    bodies = [body_fragment(letter.document_html) for letter in letters]
    joined = '\n<div style="page-break-before: always"></div>\n'.join(bodies)
    return f"{match.group(1)}\n{joined}\n</body>\n</html>\n"


def text_document(letters: Sequence[RenderedLetter]) -> str:
    """The plain text of every copy, separated by a form feed (a new page when printed)."""
    if not letters:
        raise ValueError(_("no letter to export"))
    return "\f\n".join(letter.text for letter in letters)


def write_html(path: Path, letters: Sequence[RenderedLetter]) -> None:
    """Write the letter as a web page, atomically.

    Raises:
        StorageError: the file could not be written.
    """
    atomic_write_text(Path(path), html_document(letters))


def write_text(path: Path, letters: Sequence[RenderedLetter]) -> None:
    """Write the letter as plain UTF-8 text, atomically.

    Raises:
        StorageError: the file could not be written.
    """
    atomic_write_text(Path(path), text_document(letters))


def title_of(letters: Sequence[RenderedLetter]) -> str:
    """A document title: the subject, or "Letter"."""
    return html.unescape(letters[0].subject) if letters and letters[0].subject else "Letter"
