"""Keeping the letter in the window safe: drafts, letter files, crash recovery, storage trouble.

:class:`LetterKeeper` is attached to the main window once. It

* saves the letter as a draft by itself (see :mod:`composer.gui.autosave`)
  and when the window closes, and marks it closed properly;
* at start-up offers back, without blocking anything, every letter a crash or
  a ``kill -9`` left open (:mod:`composer.gui.letter_recovery`);
* tells the user, in a bar above the letter, about storage trouble found at
  start-up or met while saving, and offers to save the letter elsewhere
  (:mod:`composer.gui.letter_notices`);
* adds File ▸ Open Letter…, Save, Save As… (their work is in
  :mod:`composer.gui.letter_files`), Drafts… and Export As ▸;
* restores a draft or a letter file into the window's letter session;
* saves the letter first when the crash handler reports an error.

Nothing here decides what a letter is; the letter session does
(:mod:`composer.gui.session`).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMenu,
    QMessageBox,
)

from composer.core.drafts import DraftError, DraftInfo, DraftStore
from composer.core.letterfile import (
    LetterDocument,
)
from composer.core.models import Letter, Recipient
from composer.core.storage import StorageReport
from composer.gui.autosave import Autosaver
from composer.gui.letter_files import CANCEL, DISCARD, SAVE_AS, LetterFiles
from composer.gui.letter_notices import LetterNotices
from composer.gui.letter_recovery import RecoveryOffer
from composer.gui.notice_bar import NoticeBar
from composer.i18n import _

if TYPE_CHECKING:
    from composer.gui.drafts_dialog import DraftsDialog
    from composer.gui.letter_export import LetterExporter
    from composer.gui.mainwindow import MainWindow

log = logging.getLogger(__name__)


def unsaved_question(doing: str) -> str:
    """The question asked when the letter cannot be saved, before `doing` ("open another
    letter", "close the window")."""
    if doing == "open another letter":
        return _(
            "Your letter could not be saved (see the message above it). Save it in a file "
            "somewhere else before you open another letter?"
        )
    if doing == "close the window":
        return _(
            "Your letter could not be saved (see the message above it). Save it in a file "
            "somewhere else before you close the window?"
        )
    return _(
        "Your letter could not be saved (see the message above it). Save it in a file "
        "somewhere else first?"
    )


class LetterKeeper(QObject):
    """Keeps the window's letter saved and offers back what a crash left behind.

    Args:
        window: the main window (``current_letter()``, ``paper``, ``editor``…).
        store: the drafts store (nothing touches the disk until the first save).

    The file dialogs and the question asked when a letter cannot be saved on
    closing are attributes (``choose_save_path``, ``choose_open_path``,
    ``ask_unsaved``), so tests can answer them.

    Signals:
        letter_restored(str): a draft or a file was put into the window (its title).
    """

    letter_restored = Signal(str)

    def __init__(self, window: MainWindow, store: DraftStore | None) -> None:
        super().__init__(window)
        self.window = window
        self.store = store
        self._replacing = 0
        self._exporter: LetterExporter | None = None
        self.files = LetterFiles(self)  # Open Letter…, Save, Save As…
        self.ask_unsaved: Callable[[str], str] = self._ask_unsaved
        self.autosaver = Autosaver(store, self.snapshot, self._interval, self)
        self.notices = LetterNotices(self)  # the bars above the letter, the save state
        self.recovery = RecoveryOffer(self)  # what a crash left open; File ▸ Drafts…
        self._build_actions()
        self._last_fields = self._fields()
        self._connect()
        self._begin(None)

    @property
    def exporter(self) -> LetterExporter:
        """File ▸ Export As (made on first use: the window's start does not need it)."""
        if self._exporter is None:
            from composer.gui.letter_export import LetterExporter

            self._exporter = LetterExporter(self.window)
        return self._exporter

    def _export(self, kind: str) -> None:
        self.exporter.export(kind)

    # -- wiring -------------------------------------------------------------------------

    def _interval(self) -> float:
        return float(self.window.settings.autosave_seconds)

    def _fields(self) -> tuple[object, ...]:
        """What, besides the text, makes up the letter (to tell a real change from a refresh)."""
        session = self.window.session
        return (tuple(session.recipients), session.subject, session.paper, tuple(session.chosen))

    def _fields_changed(self) -> None:
        # The recipient bar and the paper choice also signal when they are merely filled
        # again (the officials list arrives after the first paint): only a difference counts.
        fields = self._fields()
        if fields != self._last_fields:
            self._last_fields = fields
            self.autosaver.changed()

    def _connect(self) -> None:
        w = self.window
        w.editor.changed.connect(self.autosaver.changed)
        w.session.changed.connect(self._fields_changed)
        w.editor.text.paste_finished.connect(self._paste_finished)
        w.editor.text.paste_started.connect(
            lambda _size: w.statusBar().showMessage(_("Pasting… the window stays usable."))
        )

    def _paste_finished(self, text: str) -> None:
        if text:
            self.window.statusBar().showMessage(text, 10_000)

    def _build_actions(self) -> None:
        w = self.window
        key = QKeySequence.StandardKey

        def action(
            text: str,
            slot: Callable[[], object],
            shortcut: QKeySequence.StandardKey | str | None,
            tip: str,
        ) -> QAction:
            made = QAction(text, w)
            if shortcut is not None:
                made.setShortcut(QKeySequence(shortcut))
            made.setStatusTip(tip)
            made.triggered.connect(lambda _checked=False: slot())
            return made

        self.open_action = action(
            _("Open &Letter…"),
            self.files.open_letter_file,
            "Ctrl+Shift+O",
            _("Open a letter saved with Save As (a .letter file)"),
        )
        self.save_action = action(
            _("&Save"),
            self.files.save,
            key.Save,
            _("Save the letter now (to its file, if it has one)"),
        )
        self.save_as_action = action(
            _("Save &As…"),
            self.files.save_as,
            key.SaveAs,
            _("Save the letter to a file you can keep, copy or send to someone"),
        )
        self.drafts_action = action(
            _("&Drafts…"), self.show_drafts, None, _("Every saved letter: reopen, rename or delete")
        )
        self.export_actions: dict[str, QAction] = {}
        for key_name, label in (
            ("odt", _("&OpenDocument (ODT)…")),
            ("html", _("&Web Page (HTML)…")),
            ("txt", _("Plain &Text…")),
        ):
            self.export_actions[key_name] = action(
                label,
                functools.partial(self._export, key_name),
                None,
                _("Export the letter as it prints, for another program"),
            )
        self.export_menu = QMenu(_("E&xport As"), w)
        self.export_menu.addActions(list(self.export_actions.values()))
        menu = w.menus.file_menu
        # File ▸ New Letter, Open Letter…, Save, Save As…, Drafts…; Export As ▸ after Export PDF.
        menu.insertActions(
            self._after(menu, w.menus.new_action),
            [self.open_action, self.save_action, self.save_as_action, self.drafts_action],
        )
        menu.insertMenu(self._after(menu, w.menus.export_action), self.export_menu)

    @staticmethod
    def _after(menu: QMenu, action: QAction) -> QAction:
        """The action that follows `action` in the menu (a separator, added if it is last)."""
        actions = menu.actions()
        index = actions.index(action) + 1
        return actions[index] if index < len(actions) else menu.addSeparator()

    def _begin(self, draft_id: str | None) -> None:
        """Start keeping the letter now in the window (a draft, or none yet)."""
        self._last_fields = self._fields()
        self.autosaver.begin(draft_id)

    # -- the letter as a document --------------------------------------------------------

    def snapshot(self) -> LetterDocument:
        """The letter in the window, with its paper, as saved in drafts and files."""
        letter: Letter = self.window.current_letter()
        return LetterDocument(letter=letter, paper=self.window.paper)

    @property
    def draft_id(self) -> str | None:
        """The draft the window's letter is saved in (None until its first save)."""
        return self.autosaver.draft_id

    def apply_document(self, document: LetterDocument) -> list[str]:
        """Put a letter into the window; returns what could not be shown as it was."""
        from composer.core.campaigns import CampaignError, find_campaign

        w = self.window
        letter = document.letter
        notes: list[str] = []
        self._replacing += 1
        self.autosaver.pause()
        try:
            if letter.campaign_id and letter.campaign_id != w.campaign.id:
                try:
                    w._load_campaign(find_campaign(letter.campaign_id, w.locations.campaigns_dir))
                except (CampaignError, LookupError) as error:
                    log.info("campaign %s of a restored letter: %s", letter.campaign_id, error)
                    notes.append(
                        _(
                            "its campaign “{campaign}” is not installed, so its "
                            "arguments are not ticked in the list"
                        ).format(campaign=letter.campaign_id)
                    )
            known = {argument.id for argument in w.campaign.arguments}
            chosen = [a for a in letter.argument_ids if a in known]
            w.picker.set_campaign(w.campaign, [])
            w.session.start(w.campaign, chosen, letter.body_html)
            if letter.recipients:
                self._show_recipients(letter.recipients)
            w.recipient_bar.subject.setText(letter.subject)
            if document.paper:
                w.set_paper(document.paper)
        finally:
            self.autosaver.resume()
            self._replacing -= 1
        return notes

    def _show_recipients(self, recipients: list[Recipient]) -> None:
        from composer.gui.recipient_bar import CUSTOM

        w = self.window
        bar = w.recipient_bar
        first = recipients[0]
        if len(recipients) == 1 and (first.id == CUSTOM or first.kind == "custom"):
            bar.choice.setCurrentIndex(bar.choice.findData(CUSTOM))
            lines = list(first.address_lines)
            if lines and lines[0] == first.name:
                lines = lines[1:]
            bar.custom_name.setText(first.name)
            bar.custom_address.setPlainText("\n".join(lines))
            bar.custom_salutation.setText(
                "" if first.salutation == f"Dear {first.name}:" else first.salutation
            )
        else:
            # Officials (one, or several with a copy each) are offered again as they were saved.
            w.addressing.use_recipients(list(recipients))

    # -- switching letters ---------------------------------------------------------------

    def letter_replacing(self) -> None:
        """The window is about to replace the letter (New Letter, another campaign)."""
        if self._replacing:
            return
        self._close_current(open_here=False)
        self.autosaver.pause()

    def letter_replaced(self) -> None:
        """The window has put a fresh letter in: it is not a draft until it changes."""
        if self._replacing:
            return
        self.autosaver.resume()
        self.files.file_path = None
        self._begin(None)
        self._update_state()

    def _close_current(self, open_here: bool) -> bool:
        """Save the current letter and mark it closed; returns whether it is safe."""
        if self.autosaver.store is None:
            return not self.autosaver.dirty
        try:
            self.autosaver.save_now(open_here=open_here)
        except DraftError as error:
            log.warning("the letter could not be saved before closing: %s", error)
            return False
        return True

    def open_draft(self, draft_id: str) -> bool:
        """Put a draft into the window (the current letter is saved first)."""
        if self.store is None:
            return False
        try:
            draft = self.store.load(draft_id)
        except DraftError as error:
            QMessageBox.warning(self.window, _("The draft cannot be opened"), str(error))
            return False
        if not self._close_current(open_here=False) and self.autosaver.unsaved:
            answer = self.ask_unsaved("open another letter")
            if answer == CANCEL or (answer == SAVE_AS and not self.files.save_as_now()):
                return False
        notes = self.apply_document(draft.document)
        try:
            self.store.claim(draft_id)
        except DraftError as error:
            log.warning("could not mark the draft as open: %s", error)
        self._begin(draft_id)
        self.files.file_path = None
        self._update_state()
        title = draft.info.title
        message = _("Opened “{title}”.").format(title=title)
        if notes:
            message = _("Opened “{title}”. Not shown as saved: {problems}.").format(
                title=title, problems="; ".join(notes)
            )
        self.window.statusBar().showMessage(message, 10_000)
        self.letter_restored.emit(title)
        return True

    # -- crash recovery -------------------------------------------------------------------

    # -- crash recovery (composer.gui.letter_recovery) ------------------------------------

    def offer_recovery(self) -> list[DraftInfo]:
        """Offer back the letters a crash left open (a bar; nothing blocks); returns them.

        After a normal quit there are none: the last letter is opened again instead.
        """
        return self.recovery.offer_recovery()

    def reopen_last(self) -> bool:
        """Open the most recently saved draft again, as the program was left at its last quit."""
        return self.recovery.reopen_last()

    def restore_latest(self) -> bool:
        """Restore the most recently saved of the letters a crash left open."""
        return self.recovery.restore_latest()

    def show_drafts(self, highlight: bool = False) -> None:
        """File ▸ Drafts…: the list of saved letters."""
        self.recovery.show_drafts(highlight)

    @property
    def drafts_dialog(self) -> DraftsDialog | None:
        """The last Drafts dialog opened (None before the first)."""
        return self.recovery.dialog

    # -- storage trouble and the save state (composer.gui.letter_notices) -------------------

    def show_storage_report(self, report: StorageReport) -> None:
        """Tell the user what the start-up check found; stop autosaving if it cannot work."""
        self.notices.show_storage_report(report)

    def notice(self, key: str) -> NoticeBar | None:
        """The bar shown for "recovery", "storage" or "autosave", if any."""
        return self.notices.notice(key)

    def _hide_bar(self, key: str) -> None:
        self.notices.hide_bar(key)

    def _update_state(self) -> None:
        self.notices.update_state()

    @property
    def state_label(self) -> QLabel:
        """The status bar's "Saved in Drafts" label."""
        return self.notices.state_label

    # -- closing and crashing -------------------------------------------------------------

    def _ask_unsaved(self, doing: str) -> str:
        """Ask what to do with a letter that cannot be saved, before `doing` (see
        :func:`unsaved_question`); returns SAVE_AS, DISCARD or CANCEL."""
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            _("The letter is not saved"),
            unsaved_question(doing),
            parent=self.window,
        )
        save = box.addButton(_("Save &As…"), QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton(_("&Discard the Letter"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(save)
        box.exec()
        clicked = box.clickedButton()
        if clicked is save:
            return SAVE_AS
        if clicked is discard:
            return DISCARD
        return CANCEL

    def close_letter(self) -> bool:
        """The window is closing: save, mark closed properly; returns whether it may close.

        When the letter cannot be saved (full disk, no permission…), the user is
        asked to save it somewhere else first; nothing is dropped without asking.
        """
        if self._close_current(open_here=False):
            self.autosaver.wait()
            if self.store is not None:
                self.store.close()
            return True
        if not self.autosaver.unsaved and self.autosaver.draft_id is None:
            return True  # nothing was typed
        answer = self.ask_unsaved("close the window")
        if answer == CANCEL:
            return False
        if answer == SAVE_AS:
            return self.files.save_as_now()
        return True

    def save_for_crash(self) -> None:
        """Called by the crash handler before it reports: save the letter now."""
        if self.autosaver.store is None:
            return
        self.autosaver.save_now(open_here=True)
