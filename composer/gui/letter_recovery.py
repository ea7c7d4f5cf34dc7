"""Offering back the letters a crash left open, and the list of drafts.

At start-up :class:`RecoveryOffer` looks for letters that were not closed
properly (a crash, a ``kill -9``) and offers them back in a bar above the
letter, without blocking anything ("2 letters were not closed properly:
Restore / Show Drafts…"); after a normal quit it opens the last letter again.
It belongs to the window's :class:`~composer.gui.letter_keeper.LetterKeeper`.
"""

from __future__ import annotations

import contextlib
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QMessageBox

from composer.core.drafts import DraftError, DraftInfo
from composer.i18n import _, ngettext

if TYPE_CHECKING:
    from composer.gui.drafts_dialog import DraftsDialog
    from composer.gui.letter_keeper import LetterKeeper

log = logging.getLogger(__name__)


class RecoveryOffer(QObject):
    """Offers back what a crash left open, and shows File ▸ Drafts….

    Args:
        keeper: the window's letter keeper (its store, autosaver and bars).

    Attributes:
        dialog: the last Drafts dialog opened (None before the first).
    """

    def __init__(self, keeper: LetterKeeper) -> None:
        super().__init__(keeper)
        self.keeper = keeper
        self.offered: list[DraftInfo] = []
        self.dialog: DraftsDialog | None = None

    def offer_recovery(self) -> list[DraftInfo]:
        """Offer back the letters a crash left open (a bar; nothing blocks); returns them.

        After a normal quit there are none: the last letter is opened again instead.
        """
        if self.keeper.store is None or self.keeper.autosaver.store is None:
            return []
        try:
            left = self.keeper.store.abandoned()
        except DraftError as error:
            log.warning("could not look for unsaved letters: %s", error)
            return []
        if not left:
            self.reopen_last()
            return []
        self.offered = left
        if len(left) == 1:
            text = _(
                "The letter “{title}” was not closed properly when the program last "
                "stopped. It was saved; you can go on with it."
            ).format(title=left[0].title)
        else:
            text = ngettext(
                "{count} letter was not closed properly when the program last stopped. "
                "It was saved; you can go on with it.",
                "{count} letters were not closed properly when the program last stopped. "
                "They were saved; you can go on with them.",
                len(left),
            ).format(count=len(left))
        bar = self.keeper.notices.show_bar("recovery", text, warning=False)
        bar.add_button(_("&Restore"), self.restore_latest)
        bar.add_button(_("Show &Drafts…"), lambda: self.show_drafts(highlight=True))
        bar.dismissed.connect(self.release_offered)
        return left

    def reopen_last(self) -> bool:
        """Open the most recently saved draft again, as the program was left at its last
        quit (only while the window still holds the untouched letter it started with)."""
        if (
            self.keeper.store is None
            or self.keeper.draft_id is not None
            or self.keeper.autosaver.unsaved
        ):
            return False
        try:
            drafts = self.keeper.store.entries()
        except DraftError as error:
            log.warning("could not list the drafts: %s", error)
            return False
        if not drafts:
            return False
        return self.keeper.open_draft(max(drafts, key=lambda info: info.updated_at).id)

    def release_offered(self) -> None:
        """The user has seen the offer: the letters stay in Drafts, no longer offered."""
        if self.keeper.store is None:
            return
        for info in self.offered:
            if info.id != self.keeper.draft_id:
                try:
                    self.keeper.store.release(info.id)
                except DraftError as error:
                    log.warning("could not release draft %s: %s", info.id, error)
        self.offered = []

    def restore_latest(self) -> bool:
        """Restore the most recently saved of the letters a crash left open."""
        if not self.offered:
            return False
        newest = max(self.offered, key=lambda info: info.updated_at)
        others = len(self.offered) - 1
        if not self.keeper.open_draft(newest.id):
            return False
        self.release_offered()
        self.keeper.notices.hide_bar("recovery")
        if others:
            self.keeper.window.statusBar().showMessage(
                ngettext(
                    "Restored “{title}”. The other {count} letter is in File ▸ Drafts….",
                    "Restored “{title}”. The other {count} letters are in File ▸ Drafts….",
                    others,
                ).format(title=newest.title, count=others),
                15_000,
            )
        return True

    def show_drafts(self, highlight: bool = False) -> None:
        """File ▸ Drafts…: the list of saved letters."""
        from composer.gui.drafts_dialog import DraftsDialog

        if self.keeper.store is None or self.keeper.autosaver.store is None:
            QMessageBox.information(
                self.keeper.window,
                _("Drafts"),
                _(
                    "Drafts cannot be used this session (see the message above the letter). "
                    "Use File ▸ Save As… to keep your letter."
                ),
            )
            return
        if self.keeper.autosaver.unsaved:
            with contextlib.suppress(DraftError):  # the bar above the letter says so
                self.keeper.autosaver.save_now()
        marked = frozenset(info.id for info in self.offered) if highlight else frozenset()
        dialog = DraftsDialog(self.keeper.store, self.keeper.draft_id, marked, self.keeper.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open_requested.connect(self.keeper.open_draft)
        if highlight:
            self.release_offered()
            self.keeper.notices.hide_bar("recovery")
        self.dialog = dialog
        dialog.open()
