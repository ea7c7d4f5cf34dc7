"""Writing one letter to many recipients from the window: in the background, with progress
and cancel.

:class:`MergeExportDialog` asks whether to write one PDF with every letter or one PDF
per recipient, and, for one PDF, whether it will be printed on both sides (then a
blank page follows each letter with an odd page count, so that every letter starts on
a sheet of its own); the answer is remembered in the settings. :func:`start_merge_export`
runs :func:`write_merge` through :func:`composer.gui.background.run_task`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from composer.core.fileio import StorageError
from composer.core.models import Letter, Recipient
from composer.core.render import RenderedLetter, RenderError
from composer.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from composer.gui.mainwindow import MainWindow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MergeResult:
    """What a merge export wrote.

    Attributes:
        target: the PDF, or the folder of PDFs (a fresh one when the chosen folder
            held an earlier batch).
        letters: letters written.
        pages: pages written (blank backs included).
        cancelled: whether it was stopped before the end.
    """

    target: Path
    letters: int
    pages: int
    cancelled: bool


def write_merge(
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
    progress: Callable[[int, int, str], None] | None = None,
    should_cancel: Callable[[], bool] = lambda: False,
) -> MergeResult:
    """Render a copy of the letter for each recipient and write the PDFs (off the GUI thread).

    Every copy is checked before the first is written; a missing value is named with
    the recipient it is missing for.

    Args:
        letter: the letter (its recipients are ignored in favour of `recipients`).
        recipients: who gets a copy, in order.
        templates: the campaign's own templates.
        template: the template name.
        paper: "letter" or "a4".
        target: one PDF (combined) or a folder (one PDF per recipient); a folder
            holding letters from an earlier batch is left alone and a fresh one
            beside it is used (the result names it).
        combined: which of the two.
        fold_marks: draw fold marks.
        duplex: in one PDF, a blank page after each letter with an odd page count,
            so each starts on a new sheet printed double-sided.
        progress: called with letters written, letters in all and the last one's name.
        should_cancel: asked before each letter; True stops (what was written is kept).

    Raises:
        RenderError: a copy cannot be rendered (nothing was written).
        StorageError: the files could not be written.
    """
    from composer.core.merge import MailMerge, fresh_folder
    from composer.core.render import Renderer
    from composer.printing.duplex import BlankBackPage
    from composer.printing.letter_layout import LetterPages
    from composer.printing.output import write_pdf, write_pdf_stream
    from composer.printing.paper import paper as paper_spec

    spec = paper_spec(paper)
    merge = MailMerge(letter, list(recipients), Renderer(dict(templates)), template)

    def advanced(done: int, total: int, recipient: Recipient) -> None:
        if progress is not None:
            progress(done, total, recipient.short_name)

    if combined:

        def pages(copy: RenderedLetter) -> LetterPages | BlankBackPage:
            item = LetterPages(copy, spec, fold_marks=fold_marks)
            return BlankBackPage(item) if duplex else item

        report = merge.to_one(
            lambda copies: write_pdf_stream(
                target, (pages(c) for c in copies), title=letter.subject or "Letters"
            ),
            progress=advanced,
            should_cancel=should_cancel,
        )
    else:
        target = fresh_folder(target)  # never mixed with an earlier batch
        report = merge.to_files(
            target,
            lambda path, copy: write_pdf(
                path,
                [LetterPages(copy, spec, fold_marks=fold_marks)],
                title=copy.subject or "Letter",
            ),
            progress=advanced,
            should_cancel=should_cancel,
        )
    return MergeResult(target, report.letters, report.pages, report.cancelled)


class MergeExportDialog(QDialog):
    """Asks how to export a letter to several officials.

    Args:
        count: how many officials get a copy.
        duplex: whether "printed on both sides" starts ticked (the remembered answer).
        parent: the window.
    """

    def __init__(self, count: int, duplex: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Export PDF"))
        self.setAccessibleName(_("Export PDF"))
        question = QLabel(
            ngettext(
                "The letter goes to {n} official. How should it be written?",
                "The letter goes to {n} officials. How should they be written?",
                count,
            ).format(n=count)
        )
        question.setWordWrap(True)
        self.one = QRadioButton(_("&One PDF with every letter"))
        self.each = QRadioButton(_("One PDF &each, into a folder"))
        self.one.setChecked(True)
        self.both_sides = QCheckBox(
            _("&Printed on both sides (a blank page after each letter with an odd page count)")
        )
        self.both_sides.setAccessibleName(_("Printed on both sides"))
        self.both_sides.setAccessibleDescription(
            _(
                "Adds a blank page after each letter with an odd number of pages, so that "
                "every letter starts on a sheet of its own when printed double-sided; "
                "untick it for a printer that prints on one side only"
            )
        )
        self.both_sides.setChecked(duplex)
        self.one.toggled.connect(self.both_sides.setEnabled)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        layout.addWidget(self.one)
        under_one = QHBoxLayout()  # the switch belongs to "One PDF": set in under it
        under_one.addSpacing(24)
        under_one.addWidget(self.both_sides)
        layout.addLayout(under_one)
        layout.addWidget(self.each)
        layout.addWidget(self.buttons)

    @property
    def combined(self) -> bool:
        """One PDF with every letter (rather than one PDF each)."""
        return self.one.isChecked()

    @property
    def duplex(self) -> bool:
        """Whether the one PDF gets blank backs for double-sided printing."""
        return self.both_sides.isChecked()


class _Progress(QObject):
    """Carries a merge's progress from the worker to the progress dialog, on the GUI thread.

    Signals:
        advanced(int, int, str): letters written, letters in all, the last one's name.
    """

    advanced = Signal(int, int, str)

    def __init__(self, dialog: QProgressDialog, parent: QObject) -> None:
        super().__init__(parent)
        self.dialog = dialog
        self.advanced.connect(self.show)

    @Slot(int, int, str)
    def show(self, done: int, total: int, name: str) -> None:
        """Say how far the merge is."""
        self.dialog.setValue(done)
        self.dialog.setLabelText(
            _("Wrote the letter to {name} ({done} of {total}).").format(
                name=name, done=done, total=total
            )
        )


class MergeExport(QObject):
    """File ▸ Export PDF for a letter to several officials: asks, writes in the
    background with a progress dialog, and says in the status bar what was written.

    Args:
        window: the main window (its letter, recipients, settings and thread pool).
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._cancel = threading.Event()
        self.dialog: MergeExportDialog | None = None

    def start(self, path: str | None = None, combined: bool | None = None) -> None:
        """Ask how (unless `combined` is given), then where (unless `path` is), then write."""
        if combined is not None:
            self._where(path, combined, self.window.settings.merge_duplex)
            return
        dialog = MergeExportDialog(
            len(self.window.session.recipients), self.window.settings.merge_duplex, self.window
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog

        def chosen() -> None:
            combined, duplex = dialog.combined, dialog.duplex
            if combined:
                self._remember(duplex)
            # Go on once the closed dialog is gone: its destruction then never meets
            # the writing thread (Qt's object locks and Python's lock, taken in the
            # opposite order by the two threads, could stop both for good).
            QTimer.singleShot(0, lambda: self._where(path, combined, duplex))

        dialog.accepted.connect(chosen)
        dialog.open()

    def _remember(self, duplex: bool) -> None:
        from composer.core.settings import save_settings

        settings = self.window.settings
        if settings.merge_duplex == duplex:
            return
        settings.merge_duplex = duplex
        try:
            save_settings(self.window.locations.settings_file, settings)
        except StorageError as error:  # kept for this session; saved again on closing
            log.warning("The export choice was not saved: %s", error)

    def _where(self, path: str | None, combined: bool, duplex: bool) -> None:
        from composer.gui.window_state import remember_folder, start_folder

        if path is None:
            folder = start_folder(self.window.settings)
            if combined:
                path, _filter = QFileDialog.getSaveFileName(
                    self.window,
                    _("Export PDF"),
                    str(folder / "letters.pdf"),
                    _("PDF documents (*.pdf)"),
                )
            else:
                path = QFileDialog.getExistingDirectory(
                    self.window, _("Folder for the letters"), str(folder)
                )
            if not path:
                return
            remember_folder(self.window.settings, Path(path))
        self._write(Path(path), combined, duplex)

    def _write(self, target: Path, combined: bool, duplex: bool) -> None:
        from composer.gui.background import delete_now, run_task

        window = self.window
        recipients = list(window.session.recipients)
        cancel = threading.Event()
        self._cancel = cancel
        progress = QProgressDialog(
            _("Writing the letters…"), _("Cancel"), 0, len(recipients), window
        )
        progress.setWindowTitle(_("Export PDF"))
        progress.setMinimumDuration(400)
        progress.canceled.connect(cancel.set)
        relay = _Progress(progress, self)
        letter = window.current_letter()
        templates = dict(window.campaign.templates)
        template = window.campaign.template
        paper = window.paper
        fold_marks = window.settings.fold_marks

        def work() -> MergeResult:
            return write_merge(
                letter,
                recipients,
                templates,
                template,
                paper,
                target,
                combined=combined,
                fold_marks=fold_marks,
                duplex=duplex,
                progress=relay.advanced.emit,
                should_cancel=cancel.is_set,
            )

        def done(result: MergeResult) -> None:
            progress.reset()
            delete_now(progress)
            delete_now(relay)
            letters = ngettext("{n} letter", "{n} letters", result.letters).format(n=result.letters)
            pages = ngettext("{n} page", "{n} pages", result.pages).format(n=result.pages)
            if result.cancelled:
                text = _("Stopped after {letters}, {pages}, in {where}.")
            else:
                text = _("Saved {letters}, {pages}, in {where}.")
            window.statusBar().showMessage(
                text.format(letters=letters, pages=pages, where=result.target), 10000
            )

        def failed(message: str) -> None:
            progress.reset()
            delete_now(progress)
            delete_now(relay)
            window.statusBar().showMessage(_("The PDF was not saved."), 8000)
            QMessageBox.warning(window, _("The PDF was not saved"), message)

        window.statusBar().showMessage(_("Writing the letters…"))
        run_task(
            work,
            done,
            failed,
            pool=window.pool,
            expected=(RenderError, StorageError),
            what=N_("writing the letters"),
        )
