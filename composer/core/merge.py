"""Mail merge: one letter, many recipients, each copy with its own address and greeting.

Every copy is rendered for its recipient (inside address, salutation and any
``{{ recipient.… }}`` placeholder), so a letter to three officials gives
three complete letters. All copies are checked before anything is written: a
missing value is named with the recipient it is missing for. Copies are then
rendered one at a time and handed to a writer (PDF, printer, outbox), so
memory stays flat however long the batch; progress is reported and the
batch can be cancelled between letters.

The writers are passed in, which keeps this module free of Qt.
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from pathlib import Path

from composer import i18n
from composer.core.models import Letter, Recipient
from composer.core.render import RenderedLetter, Renderer, RenderError
from composer.i18n import N_, _, ngettext

# progress(done, total, recipient just finished); should_cancel() → stop before the next letter
MergeProgress = Callable[[int, int, Recipient], None]
CancelCheck = Callable[[], bool]


class MergeError(RenderError):
    """Some copies cannot be rendered; `problems` names each recipient and what is wrong.

    The message names each problem once, with the recipients it concerns (or
    "every copy"), so a value missing from all the copies is not listed once a copy.
    """

    def __init__(
        self, problems: Sequence[tuple[Recipient, str]], copies: int | None = None
    ) -> None:
        self.problems = list(problems)
        grouped: dict[str, list[str]] = {}
        for recipient, message in self.problems:
            grouped.setdefault(message, []).append(recipient.short_name)
        count = len(self.problems)
        shown: list[str] = []
        for message, names in list(grouped.items())[:5]:
            listed = (
                ", ".join(names)
                if len(names) <= 3
                else ngettext("{n} letter", "{n} letters", len(names)).format(n=len(names))
            )
            if len(names) > 1 and len(names) == (copies or 0):
                shown.append(
                    _("Every copy ({listed}): {message}").format(listed=listed, message=message)
                )
            elif len(names) > 3:
                shown.append(
                    ngettext(
                        "{names} and {n} more: {message}",
                        "{names} and {n} more: {message}",
                        len(names) - 3,
                    ).format(names=", ".join(names[:3]), n=len(names) - 3, message=message)
                )
            else:
                shown.append(f"{listed}: {message}")
        more = len(grouped) - len(shown)
        parts = [
            ngettext(
                "{n} letter cannot be made, nothing was written.",
                "{n} letters cannot be made, nothing was written.",
                count,
            ).format(n=count),
            *shown,
        ]
        if more > 0:
            parts.append(
                ngettext("(and {n} more problem)", "(and {n} more problems)", more).format(n=more)
            )
        super().__init__(" ".join(parts))


# Shown through _() where it is raised.
EMPTY_LETTER = N_(
    "The letter has no text yet, so nothing was made. Tick some arguments on the left "
    "or write the letter in your own words, then try again."
)


def is_empty(letter: Letter) -> bool:
    """Whether the letter's body holds no words at all (only a greeting would print)."""
    from composer.core.markup import html_to_text

    body = letter.body_html
    start = body.find("<body")
    return not html_to_text(body[max(0, start) :]).strip()


@dataclass
class MergeReport:
    """What a merge did."""

    letters: int = 0
    pages: int = 0
    files: list[Path] = field(default_factory=list)
    cancelled: bool = False
    seconds: float = 0.0

    @property
    def letters_per_second(self) -> float:
        """The batch's speed."""
        return self.letters / self.seconds if self.seconds > 0 else 0.0


def _slug(text: str, limit: int = 40) -> str:
    ascii_text = (
        unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    )
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:limit].strip("-")


def file_names(recipients: Sequence[Recipient], suffix: str = ".pdf") -> list[str]:
    """One safe, distinct file name per recipient, numbered in order.

    ``001-C000127-maria-cantwell.pdf``: the number keeps the batch's order
    when the files are printed or listed; the id and name say whose it is.
    """
    width = max(3, len(str(len(recipients))))
    names: list[str] = []
    for position, recipient in enumerate(recipients, start=1):
        ident = re.sub(r"[^A-Za-z0-9-]+", "-", recipient.id).strip("-") or "recipient"
        parts = [f"{position:0{width}d}", ident]
        name_slug = _slug(recipient.short_name)
        if name_slug and name_slug != ident.lower():
            parts.append(name_slug)
        names.append("-".join(parts) + suffix)
    return names


_LETTER_FILE = re.compile(r"^\d{3,}-.+\.(?:pdf|html|txt)$", re.IGNORECASE)


def earlier_letters(folder: Path) -> list[Path]:
    """Letter files a previous batch left in `folder` (named as :func:`file_names` names them)."""
    try:
        return sorted(p for p in Path(folder).iterdir() if _LETTER_FILE.match(p.name))
    except OSError:  # no such folder yet (or not readable): nothing to mix with
        return []


def fresh_folder(folder: Path) -> Path:
    """`folder`, or a new one beside it when it holds letters from an earlier batch.

    Mixing two batches in one folder would print old letters with the new, or
    leave an old "004-…" after a new "003-…": ``letters`` becomes ``letters-2``
    (or the next number free).
    """
    folder = Path(folder)
    if not earlier_letters(folder):
        return folder
    number = 2
    while True:
        candidate = folder.with_name(f"{folder.name}-{number}")
        if not candidate.exists() or not any(candidate.iterdir()):
            return candidate
        number += 1


class MailMerge:
    """One letter to many recipients, through one renderer and template.

    Args:
        letter: the letter; its own ``recipients`` are ignored in favour of `recipients`.
        recipients: who gets a copy, in order.
        renderer: renders each copy (the campaign's templates).
        template: the template name (``formal``…).
    """

    def __init__(
        self,
        letter: Letter,
        recipients: Sequence[Recipient],
        renderer: Renderer,
        template: str = "formal",
    ) -> None:
        if not recipients:
            raise RenderError(_("Choose at least one recipient for the letter."))
        self.letter = letter
        self.recipients = list(recipients)
        self.renderer = renderer
        self.template = template

    def __len__(self) -> int:
        return len(self.recipients)

    def render(self, index: int) -> RenderedLetter:
        """The copy for recipient number `index` (the preview steps through these).

        Raises:
            RenderError: this copy cannot be rendered (a missing value…).
        """
        return self.renderer.render(self.letter, self.recipients[index], self.template)

    def problems(self) -> list[tuple[Recipient, str]]:
        """Render every copy once and collect what is wrong, per recipient."""
        found: list[tuple[Recipient, str]] = []
        for index, recipient in enumerate(self.recipients):
            try:
                self.render(index)
            except RenderError as error:
                found.append((recipient, str(error)))
        return found

    def check(self) -> None:
        """Raise :class:`RenderError` for an empty letter, or :class:`MergeError` naming
        every copy that cannot be rendered (each problem once)."""
        if is_empty(self.letter):
            raise RenderError(i18n._(EMPTY_LETTER))
        found = self.problems()
        if found:
            raise MergeError(found, len(self.recipients))

    def copies(self) -> Iterator[RenderedLetter]:
        """Each copy in order, rendered when asked for (memory stays flat)."""
        for index in range(len(self.recipients)):
            yield self.render(index)

    def to_files(
        self,
        folder: Path,
        write: Callable[[Path, RenderedLetter], int],
        *,
        suffix: str = ".pdf",
        progress: MergeProgress | None = None,
        should_cancel: CancelCheck | None = None,
        check_first: bool = True,
        executor: Executor | None = None,
        max_pending: int = 8,
    ) -> MergeReport:
        """Write one file per recipient into `folder` with `write(path, copy) -> pages`.

        Everything is checked before the first file is written. A cancelled
        batch keeps the files already written (listed in the report).

        With an `executor` (worker processes, say), the copies are rendered
        here and written there, at most `max_pending` at a time so memory
        stays flat; progress is still reported in order. `write` must then
        be something the executor can send (a module-level function or a
        ``functools.partial`` of one, for processes).

        Raises:
            MergeError: some copies cannot be rendered; nothing was written.
            Exception: whatever `write` raised (the remaining letters are dropped).
        """
        if check_first:
            self.check()
        started = time.perf_counter()
        report = MergeReport()
        names = file_names(self.recipients, suffix)
        total = len(self.recipients)
        pending: deque[tuple[int, Path, Future[int]]] = deque()

        def finish_oldest() -> None:
            index, path, future = pending.popleft()
            report.pages += future.result()
            report.files.append(path)
            report.letters += 1
            if progress is not None:
                progress(index + 1, total, self.recipients[index])

        try:
            for index, copy in enumerate(self.copies()):
                if should_cancel is not None and should_cancel():
                    report.cancelled = True
                    break
                path = Path(folder) / names[index]
                if executor is None:
                    report.pages += write(path, copy)
                    report.files.append(path)
                    report.letters += 1
                    if progress is not None:
                        progress(index + 1, total, self.recipients[index])
                    continue
                pending.append((index, path, executor.submit(write, path, copy)))
                if len(pending) >= max(1, max_pending):
                    finish_oldest()
            while pending:
                finish_oldest()
        finally:
            for _index, _path, future in pending:
                future.cancel()
        report.seconds = time.perf_counter() - started
        return report

    def to_one(
        self,
        write_all: Callable[[Iterator[RenderedLetter]], int],
        *,
        progress: MergeProgress | None = None,
        should_cancel: CancelCheck | None = None,
        check_first: bool = True,
    ) -> MergeReport:
        """Hand every copy, lazily and in order, to `write_all(copies) -> pages` (one file).

        If the batch is cancelled the iterator simply ends early; the writer
        decides whether a partial file is kept (a PDF writer should not).

        Raises:
            MergeError: some copies cannot be rendered; nothing was written.
        """
        if check_first:
            self.check()
        started = time.perf_counter()
        report = MergeReport()
        total = len(self.recipients)

        def counted() -> Iterator[RenderedLetter]:
            for index, copy in enumerate(self.copies()):
                if should_cancel is not None and should_cancel():
                    report.cancelled = True
                    return
                # Counted when handed over: the writer may not ask for the next one.
                report.letters += 1
                if progress is not None:
                    progress(index + 1, total, self.recipients[index])
                yield copy

        report.pages = write_all(counted())
        report.seconds = time.perf_counter() - started
        return report


_BODY_OPEN = re.compile(r"<body\b[^>]*>", re.IGNORECASE)
_BODY_CLOSE = re.compile(r"</body\s*>", re.IGNORECASE)


def combined_html(copies: Sequence[RenderedLetter]) -> str:
    """Several letters as one valid HTML document, one ``<section>`` each.

    The head (title, styles) is the first letter's; each letter's body becomes
    a section that starts a new page when printed. A template without a
    ``<body>`` gives its whole text as the section.
    """
    if not copies:
        return ""
    first = copies[0].document_html
    opened = _BODY_OPEN.search(first)
    if opened is None:
        head = '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n<title>Letters</title>\n</head>\n<body>'
    else:
        head = first[: opened.end()]
    sections: list[str] = []
    for number, copy in enumerate(copies, start=1):
        document = copy.document_html
        start = _BODY_OPEN.search(document)
        end = _BODY_CLOSE.search(document, start.end() if start else 0)
        inner = document[start.end() if start else 0 : end.start() if end else len(document)]
        brk = ' style="break-before: page; page-break-before: always;"' if number > 1 else ""
        sections.append(f'<section class="letter" id="letter-{number}"{brk}>{inner}</section>')
    return head + "\n" + "\n".join(sections) + "\n</body>\n</html>\n"
