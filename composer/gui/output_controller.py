"""Print, preview, PDF, merge and envelopes for the window: the output of the letter.

The window's File menu asks :class:`OutputController` for these; it renders
the session's letter, asks the user what is needed (where to save, which
printer) and runs the writing in the background.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog

from composer.gui.window_state import remember_folder, start_folder
from composer.i18n import _, ngettext

if TYPE_CHECKING:
    from composer.core.render import Renderer
    from composer.core.rendered import RenderedLetter
    from composer.gui.mainwindow import MainWindow
    from composer.gui.merge_export import MergeExport
    from composer.gui.print_history_dialog import PrintHistoryDialog
    from composer.printing.output import Paintable

log = logging.getLogger(__name__)

MANY_COPIES = 10  # above this, preparing the copies shows progress and can be cancelled


class OutputController(QObject):
    """Renders the window's letter and prints, previews or exports it.

    Args:
        window: the main window (its session is the letter; dialogs are centred on it,
            its status bar tells what happened).
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._renderer: Renderer | None = None
        self._jobs: list[object] = []
        self._merge: MergeExport | None = None
        self.history_dialog: PrintHistoryDialog | None = None

    def campaign_changed(self) -> None:
        """A campaign may bring its own templates: the renderer is built again on next use."""
        self._renderer = None

    def has_renderer(self) -> bool:
        """Whether the renderer (and the template engine) is loaded."""
        return self._renderer is not None

    def renderer(self) -> Renderer:
        """The template renderer for this campaign (built on first use).

        The preview's worker threads render with it too. That is safe: the
        Jinja environment is never changed once built, its template cache takes
        a lock, and each render keeps its state to itself (placeholders are
        filled in an environment of their own per call).
        """
        if self._renderer is None:
            from composer.core.render import Renderer

            self._renderer = Renderer(self.window.campaign.templates)
        return self._renderer

    def rendered_letters(
        self, quiet: bool = False, template: str | None = None
    ) -> list[RenderedLetter] | None:
        """The letter rendered for each recipient, or None after telling the user why not.

        With many recipients this shows a progress dialog that can cancel (None then).
        """
        from composer.core.merge import MailMerge, MergeError
        from composer.core.render import RenderError

        letter = self.window.current_letter()
        merge = MailMerge(
            letter, letter.recipients, self.renderer(), template or self.window.campaign.template
        )
        try:
            if len(merge) <= MANY_COPIES:
                return list(merge.copies())
            merge.check()
            progress = QProgressDialog(
                _("Preparing the letters…"), _("Cancel"), 0, len(merge), self.window
            )
            progress.setWindowTitle(_("Letters"))
            progress.setMinimumDuration(300)
            copies: list[RenderedLetter] = []
            for index, copy in enumerate(merge.copies()):
                progress.setValue(index)
                if progress.wasCanceled():
                    return None
                copies.append(copy)
            progress.setValue(len(merge))
            return copies
        except (MergeError, RenderError) as error:
            if quiet:
                self.window.preview.show_problem(str(error))
            else:
                QMessageBox.warning(self.window, _("The letter is not ready"), str(error))
            return None

    def page_items(self) -> list[Paintable] | None:
        """The laid-out pages of every copy of the letter, or None if it cannot be rendered."""
        from composer.printing.letter_layout import LetterPages
        from composer.printing.paper import paper

        rendered = self.rendered_letters()
        if rendered is None:
            return None
        spec = paper(self.window.paper)
        return [LetterPages(r, spec, fold_marks=self.window.settings.fold_marks) for r in rendered]

    def _suggested_file_name(self) -> str:
        recipient = self.window.recipient_bar.recipient().short_name or "letter"
        slug = re.sub(r"[^a-z0-9]+", "-", recipient.lower()).strip("-") or "letter"
        return f"letter-to-{slug}.pdf"

    def export_pdf(self, path: str | None = None) -> None:
        """Ask where to save, then write the PDF in the background."""
        if not self.window.confirm_personal("Export"):
            return
        if len(self.window.session.recipients) > 1:
            self.export_merge(path)
            return
        items = self.page_items()
        if items is None:
            return
        if path is None:
            path, _filter = QFileDialog.getSaveFileName(
                self.window,
                _("Export PDF"),
                str(start_folder(self.window.settings) / self._suggested_file_name()),
                _("PDF documents (*.pdf)"),
            )
            if not path:
                return
            remember_folder(self.window.settings, Path(path))
            if not path.lower().endswith(".pdf"):
                path += ".pdf"
        self._write_pdf(Path(path), items, self.window.session.subject or "Letter")

    def export_merge(self, path: str | None = None, combined: bool | None = None) -> None:
        """Write a copy for each recipient: one combined PDF, or one PDF each in a folder."""
        from composer.gui.merge_export import MergeExport

        if self._merge is None:
            self._merge = MergeExport(self.window)
        self._merge.start(path, combined)

    def _export_finished(self, path: str, pages: int) -> None:
        self.window.statusBar().showMessage(
            ngettext("Saved {path} ({n} page).", "Saved {path} ({n} pages).", pages).format(
                path=path, n=pages
            ),
            8000,
        )

    def _export_failed(self, message: str) -> None:
        self.window.statusBar().showMessage(_("The PDF was not saved."), 8000)
        QMessageBox.warning(self.window, _("The PDF was not saved"), message)

    def print_letter(self) -> None:
        """Print through the system's print dialog."""
        from composer.core.print_history import PrintHistory
        from composer.gui.print_actions import print_with_dialog

        if not self.window.confirm_personal("Print"):
            return
        items = self.page_items()
        if items and print_with_dialog(
            self.window,
            items,
            self.window.session.subject or "Letter",
            history=PrintHistory(self.window.locations.database_file),
            pool=self.window.pool,
        ):
            self.window.statusBar().showMessage(_("Sent to the printer."), 6000)

    def print_preview(self) -> None:
        """Show Qt's print preview of exactly what will print."""
        from composer.gui.print_actions import print_preview

        if not self.window.confirm_personal("Preview"):
            return
        items = self.page_items()
        if items:
            print_preview(self.window, items, self.window.session.subject or "Letter")

    def envelope_items(self) -> list[Paintable]:
        """Envelopes for the letter's recipients (in order), sized for the chosen paper."""
        from composer.gui.print_actions import envelope_items

        return envelope_items(
            self.window.sender_profile, self.window.current_letter().recipients, self.window.paper
        )

    def print_envelope(self) -> None:
        """Print an envelope for each recipient through the system's print dialog."""
        from composer.gui.print_actions import print_with_dialog
        from composer.gui.term_check import confirm_terms

        recipients = self.window.recipient_bar.recipients()
        find = self.window.addressing.find_officials
        if not confirm_terms(self.window, self.window.locations, recipients, "Print", find):
            return
        if print_with_dialog(
            self.window, self.envelope_items(), "Envelope", dialog_title=_("Print Envelope")
        ):
            self.window.statusBar().showMessage(_("Envelopes sent to the printer."), 6000)

    def export_envelope_pdf(self, path: str | None = None) -> None:
        """Ask where to save, then write the envelopes to a PDF in the background."""
        from composer.gui.print_actions import ask_pdf_path
        from composer.gui.term_check import confirm_terms

        recipients = self.window.recipient_bar.recipients()
        find = self.window.addressing.find_officials
        if not confirm_terms(self.window, self.window.locations, recipients, "Export", find):
            return
        name = self._suggested_file_name().replace("letter-to-", "envelope-to-", 1)
        settings = self.window.settings
        target = (
            Path(path)
            if path
            else ask_pdf_path(self.window, _("Export Envelope PDF"), name, start_folder(settings))
        )
        if target is None:
            return
        if not path:
            remember_folder(settings, target)
        self._write_pdf(target, self.envelope_items(), "Envelope")

    def _write_pdf(self, target: Path, items: list[Paintable], title: str) -> None:
        """Write pages to a PDF in the background; the status bar and a message tell how
        it went."""
        from composer.gui.background import run_task
        from composer.printing.output import write_pdf

        self._jobs.append(target)

        def written(pages: int) -> None:
            self._jobs.remove(target)
            self._export_finished(str(target), pages)

        def failed(message: str) -> None:
            self._jobs.remove(target)
            self._export_failed(message)

        self.window.statusBar().showMessage(_("Writing {path}…").format(path=target))
        run_task(
            lambda: write_pdf(target, items, title=title),
            written,
            failed,
            pool=self.window.pool,
            what=_("writing the PDF {target}").format(target=target),
        )

    def show_print_history(self) -> None:
        """Show the printed letters, where the user marks them mailed."""
        from composer.core.print_history import PrintHistory
        from composer.gui.print_history_dialog import PrintHistoryDialog

        self.history_dialog = PrintHistoryDialog(
            PrintHistory(self.window.locations.database_file), self.window.pool, self.window
        )
        self.history_dialog.open()
