"""Writing one letter to many recipients from the window: in a worker, with progress and cancel."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, Signal

from composer.core.fileio import StorageError
from composer.core.models import Letter, Recipient
from composer.core.render import RenderedLetter, RenderError


class _MergeSignals(QObject):
    """Signals of a merge export.

    Signals:
        progress(int, int, str): letters written, letters in all, the last recipient's name.
        finished(str, int, int, bool): where, letters written, pages, whether it was cancelled.
        failed(str): what went wrong, in plain words (nothing was written).
    """

    progress = Signal(int, int, str)
    finished = Signal(str, int, int, bool)
    failed = Signal(str)


class MergeExportJob(QRunnable):
    """Renders a copy of the letter for each recipient and writes the PDFs.

    Every copy is checked before the first is written; a missing value is named
    with the recipient it is missing for.

    Args:
        letter: the letter (its recipients are ignored in favour of `recipients`).
        recipients: who gets a copy, in order.
        templates: the campaign's own templates.
        template: the template name.
        paper: "letter" or "a4".
        target: one PDF (combined) or a folder (one PDF per recipient); a folder
            holding letters from an earlier batch is left alone and a fresh one
            beside it is used (the finished signal names it).
        combined: which of the two.
        duplex: in one PDF, a blank page after each letter with an odd page count,
            so each starts on a new sheet printed double-sided.
    """

    def __init__(
        self,
        letter: Letter,
        recipients: Sequence[Recipient],
        templates: Mapping[str, str],
        template: str,
        paper: str,
        target: Path,
        *,
        combined: bool,
        fold_marks: bool = True,
        duplex: bool = True,
    ) -> None:
        super().__init__()
        self.letter = letter
        self.recipients = list(recipients)
        self.templates = dict(templates)
        self.template = template
        self.paper = paper
        self.target = target
        self.combined = combined
        self.fold_marks = fold_marks
        self.duplex = duplex
        self.signals = _MergeSignals()
        self._cancel = threading.Event()

    def cancel(self) -> None:
        """Stop before the next letter (the letters written so far are kept)."""
        self._cancel.set()

    def run(self) -> None:
        from composer.core.merge import MailMerge, fresh_folder
        from composer.core.render import Renderer
        from composer.printing.duplex import BlankBackPage
        from composer.printing.letter_layout import LetterPages
        from composer.printing.output import write_pdf, write_pdf_stream
        from composer.printing.paper import paper as paper_spec

        spec = paper_spec(self.paper)
        merge = MailMerge(self.letter, self.recipients, Renderer(self.templates), self.template)

        def progress(done: int, total: int, recipient: Recipient) -> None:
            self.signals.progress.emit(done, total, recipient.short_name)

        try:
            if self.combined:

                def pages(copy: RenderedLetter) -> LetterPages | BlankBackPage:
                    item = LetterPages(copy, spec, fold_marks=self.fold_marks)
                    return BlankBackPage(item) if self.duplex else item

                report = merge.to_one(
                    lambda copies: write_pdf_stream(
                        self.target,
                        (pages(c) for c in copies),
                        title=self.letter.subject or "Letters",
                    ),
                    progress=progress,
                    should_cancel=self._cancel.is_set,
                )
            else:
                self.target = fresh_folder(self.target)  # never mixed with an earlier batch
                report = merge.to_files(
                    self.target,
                    lambda path, copy: write_pdf(
                        path,
                        [LetterPages(copy, spec, fold_marks=self.fold_marks)],
                        title=copy.subject or "Letter",
                    ),
                    progress=progress,
                    should_cancel=self._cancel.is_set,
                )
        except (RenderError, StorageError) as error:
            self.signals.failed.emit(str(error))
        except Exception as error:  # shown to the user; never a silent death of the worker
            self.signals.failed.emit(f"The letters could not be written: {error}")
        else:
            self.signals.finished.emit(
                str(self.target), report.letters, report.pages, report.cancelled
            )
