"""The main window: picker, editor and preview side by side, wired together in one place.

The window is built in two steps so that it appears at once. The frame —
title, menus, status bar — needs little more than Qt itself; the panes
(argument picker, editor, preview, coach) and the campaign come in
:meth:`MainWindow.complete`, which the application calls right after the
frame's first paint. That is why most imports here sit inside the methods
that need them: importing them is most of the cost of starting.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QStandardPaths, QThreadPool, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
)

from composer import __version__

if TYPE_CHECKING:
    from composer.core.campaigns import Campaign
    from composer.core.locations import Locations
    from composer.core.models import Letter
    from composer.core.settings import Settings

log = logging.getLogger(__name__)

MANY_COPIES = 10  # above this, preparing the copies shows progress and can be cancelled
PAPER_LABELS = {"letter": "US Letter (#10 envelope)", "a4": "A4 (DL envelope)"}


class MainWindow(QMainWindow):
    """The letter composer's window.

    Args:
        locations: where settings, profile and data live.
        settings: the user's settings (saved again on close).
        campaign: the campaign whose arguments are offered; without one, only
            the frame is built and :meth:`complete` must follow.
        pool: the thread pool for background work.

    Signals:
        first_painted(): the window has painted for the first time.
        completed(): the panes are built and the campaign is open.
    """

    first_painted = Signal()
    completed = Signal()

    def __init__(
        self,
        locations: Locations,
        settings: Settings,
        campaign: Campaign | None = None,
        pool: QThreadPool | None = None,
    ) -> None:
        super().__init__()
        self.locations = locations
        self.settings = settings
        self.pool = pool or QThreadPool.globalInstance()
        self._renderer = None
        self._jobs: list[object] = []
        self._last_problem = ""
        self._copy_index = 0  # which copy the preview shows when writing to several officials
        self._mail = None
        self._directory_dialog = None
        self.is_complete = False
        self._painted = False
        self._shortcuts: list[tuple[QAction, QKeySequence]] = []

        self.setWindowTitle("Letter Composer")
        self._build_actions()
        self._build_menus()
        self._frame_actions = self.findChildren(QAction)
        for action in self._frame_actions:  # nothing to act on until the panes exist
            action.setEnabled(False)
        self.statusBar().showMessage("Opening the campaign…")
        self.installEventFilter(self)
        self.resize(1360, 860)
        if campaign is not None:
            self.complete(campaign)

    def complete(self, campaign: Campaign) -> None:
        """Build the panes, open the campaign and the drafts: the window becomes usable."""
        from composer.core.drafts import DraftStore
        from composer.core.models import Sender
        from composer.core.profile import load_saved_sender
        from composer.core.settings import effective_paper
        from composer.gui.recovery import LetterKeeper

        self.campaign = campaign
        self.sender = load_saved_sender(self.locations.profile_file) or Sender()
        self.paper = effective_paper(self.settings)
        self._build_widgets()
        self._add_editing_actions()
        self._connect_signals()
        from composer.gui.zoom import install_zoom

        self.zoom = install_zoom(self, self.view_menu)
        from composer.gui.panes import install_pane_keys

        self.pane_keys = install_pane_keys(self, self.view_menu)
        self._load_campaign(campaign)
        # Drafts, letter files, crash recovery and exports (composer.gui.recovery).
        self.keeper = LetterKeeper(self, DraftStore(self.locations.database_file))
        for action in self._frame_actions:
            action.setEnabled(True)
        for action, shortcut in self._shortcuts:
            action.setShortcut(shortcut)
        self._shortcuts.clear()
        self.statusBar().clearMessage()
        self.is_complete = True
        # E-mail and the built-in officials load once the finished window has painted.
        self.centralWidget().installEventFilter(self)
        self.completed.emit()

    # --- construction ---------------------------------------------------------------------

    def _build_widgets(self) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import (
            QComboBox,
            QHBoxLayout,
            QSplitter,
            QToolButton,
            QVBoxLayout,
            QWidget,
        )

        from composer.gui.argument_picker import ArgumentPicker
        from composer.gui.coach_panel import CoachPanel
        from composer.gui.editor import LetterEditor
        from composer.gui.open_campaign import CampaignOpener
        from composer.gui.preview import PagePreview
        from composer.gui.recipient_bar import RecipientBar
        from composer.gui.spelling import WORD_LIST_NAME, SpellingSupport

        self.picker = ArgumentPicker()
        self.recipient_bar = RecipientBar()
        self.editor = LetterEditor()
        self.profile_banner = QLabel()
        self.profile_banner.setWordWrap(True)
        self.profile_banner.setTextFormat(Qt.TextFormat.RichText)
        self.profile_banner.setStyleSheet(
            "QLabel { background: palette(alternate-base); border: 1px solid palette(mid);"
            " padding: 6px; }"
        )
        self.profile_banner.setText(
            'Your name and address are not set yet. <a href="#profile">Add them</a> so the '
            "letter is signed and shows that you are a constituent."
        )
        self.profile_banner.setAccessibleDescription("Sender profile missing")
        centre = QWidget()
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        centre_layout.addWidget(self.recipient_bar)
        centre_layout.addWidget(self.profile_banner)
        centre_layout.addWidget(self.editor, 1)
        self.coach_panel = CoachPanel(self.editor)
        centre_layout.addWidget(self.coach_panel)
        self.campaign_opener = CampaignOpener(self, self.locations.campaigns_dir, self.pool)

        self.preview = PagePreview(self.pool)
        self.paper_choice = QComboBox()
        self.paper_choice.setAccessibleName("Paper size")
        self.paper_choice.setAccessibleDescription("The paper the preview and the print use")
        for key, label in PAPER_LABELS.items():
            self.paper_choice.addItem(label, key)
        self.page_label = QLabel()
        self.previous_copy = QToolButton(text="◀")
        self.previous_copy.setAccessibleName("Previous recipient's copy")
        self.next_copy = QToolButton(text="▶")
        self.next_copy.setAccessibleName("Next recipient's copy")
        self.copy_label = QLabel()
        self.copy_label.setAccessibleDescription("Which copy the preview shows")
        preview_head = QHBoxLayout()
        preview_head.setContentsMargins(6, 6, 6, 0)
        preview_head.addWidget(QLabel("Preview:"))
        preview_head.addWidget(self.paper_choice)
        preview_head.addStretch(1)
        preview_head.addWidget(self.previous_copy)
        preview_head.addWidget(self.copy_label)
        preview_head.addWidget(self.next_copy)
        preview_head.addWidget(self.page_label)
        for widget in (self.previous_copy, self.copy_label, self.next_copy):
            widget.hide()
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(preview_head)
        right_layout.addWidget(self.preview, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.picker)
        self.splitter.addWidget(centre)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 4)
        self.splitter.setStretchFactor(2, 4)
        self.splitter.setSizes([380, 520, 460])
        self.setCentralWidget(self.splitter)

        self.word_label = QLabel()
        self.word_label.setAccessibleDescription("Word count")  # its text is its name
        self.statusBar().addPermanentWidget(self.word_label)
        # The dictionary opens a moment after start-up so loading it never delays the first paint.
        self.spelling = SpellingSupport(
            self.editor.text,
            self.settings.spell_language,
            self.locations.config_dir / WORD_LIST_NAME,
            self,
            start_after_ms=300,
        )
        self.statusBar().addPermanentWidget(self.spelling.indicator)
        self._preview_timer = QTimer(self, singleShot=True, interval=200)

    def _action(self, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            if self.is_complete:
                action.setShortcut(QKeySequence(shortcut))
            else:
                # The first shortcut set loads every key name Qt has (tens of milliseconds):
                # the frame's actions get theirs with the panes, when they can be used.
                self._shortcuts.append((action, QKeySequence(shortcut)))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        key = QKeySequence.StandardKey
        self.new_action = self._action(
            "&New Letter",
            self.new_letter,
            key.New,
            "Start again from the campaign's suggested arguments",
        )
        self.export_action = self._action(
            "&Export PDF…",
            lambda: self.export_pdf(),  # not the slot itself: triggered(bool) would be the path
            "Ctrl+Shift+E",
            "Save the letter as a PDF, exactly as it prints",
        )
        self.preview_action = self._action("Print Pre&view", self.print_preview, "Ctrl+Shift+P")
        self.print_action = self._action(
            "&Print…",
            self.print_letter,
            key.Print,
            "Print the letter through the system's print dialog",
        )
        self.envelope_print_action = self._action(
            "Print &Envelope…",
            self.print_envelope,
            None,
            "Print an envelope for each recipient, with your return address",
        )
        self.envelope_export_action = self._action(
            "Export Envelope PD&F…",
            lambda: self.export_envelope_pdf(),
            None,
            "Save the envelopes (one per recipient) as a PDF",
        )
        self.history_action = self._action(
            "Printed &Letters…",
            self.show_print_history,
            None,
            "The letters you printed, and which of them you have mailed",
        )
        self.open_campaign_action = self._action(
            "&Open Campaign…",
            lambda: self.campaign_opener.choose_pack(),
            key.Open,
            "Open a campaign pack (.zip, or the campaign.toml in its folder)",
        )
        self.open_campaign_folder_action = self._action(
            "Open Campaign &Folder…",
            lambda: self.campaign_opener.choose_folder(),
            None,
            "Open a campaign pack that is a folder",
        )
        self.profile_action = self._action(
            "Sender &Profile…",
            self.edit_profile,
            None,
            "Your name and address, printed on every letter",
        )
        self.send_action = self._action(
            "Send by &E-mail…",
            self.send_by_email,
            "Ctrl+Return",
            "Queue the letter in the outbox and send it through your account",
        )
        self.outbox_action = self._action(
            "&Outbox and Sent", lambda: self.mail_center().show_outbox(), "Ctrl+Shift+U"
        )
        self.account_action = self._action(
            "E-mail &Account…", lambda: self.mail_center().edit_account()
        )
        self.find_officials_action = self._action(
            "&Find My Officials…",
            self.find_officials,
            "Ctrl+Shift+F",
            "Your senators and representative by ZIP code, or anyone by state or name",
        )
        self.import_directory_action = self._action(
            "&Import Directory Files…",
            lambda: self.directory_dialog().panel.import_action.trigger(),
        )
        self.update_directory_action = self._action(
            "&Update from the Internet",
            lambda: self.directory_dialog().panel.update_action.trigger(),
        )
        self.contact_form_action = self._action(
            "Open &Contact Form",
            self.open_contact_form,
            None,
            "Copy the letter and open the official's web form, for those who take no e-mail",
        )
        self.quit_action = self._action("&Quit", self.close, key.Quit)
        self.search_action = self._action("Find Argument", self._focus_search, key.Find)
        self.about_action = self._action("&About Letter Composer", self.about)
        self.settings_action = self._action(
            "Se&ttings…", self.edit_settings, "Ctrl+,", "Paper, sending, autosave and spelling"
        )
        self.shortcuts_action = self._action(
            "&Keyboard Shortcuts", self.show_shortcuts, "Ctrl+/", "Every shortcut of this window"
        )
        self.paper_group = QActionGroup(self)
        self.paper_actions: dict[str, QAction] = {}
        for paper, label in PAPER_LABELS.items():
            action = QAction(label, self, checkable=True)
            action.triggered.connect(lambda _=False, p=paper: self.set_paper(p))
            self.paper_group.addAction(action)
            self.paper_actions[paper] = action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addActions([self.new_action])
        file_menu.addSeparator()
        file_menu.addActions([self.open_campaign_action, self.open_campaign_folder_action])
        self.campaign_menu = file_menu.addMenu("Switch &Campaign")
        self.campaign_menu.aboutToShow.connect(
            lambda: self.is_complete and self.campaign_opener.refresh_list()
        )
        file_menu.addSeparator()
        file_menu.addActions([self.export_action, self.preview_action, self.print_action])
        file_menu.addActions(
            [self.envelope_print_action, self.envelope_export_action, self.history_action]
        )
        file_menu.addSeparator()
        file_menu.addActions([self.send_action, self.outbox_action])
        file_menu.addSeparator()
        file_menu.addActions([self.profile_action, self.account_action])
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        self.file_menu = file_menu
        edit_menu = bar.addMenu("&Edit")
        edit_menu.addAction(self.search_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.settings_action)
        self.edit_menu = edit_menu
        self.format_menu = bar.addMenu("F&ormat")
        directory_menu = bar.addMenu("&Directory")
        directory_menu.addActions(
            [
                self.find_officials_action,
                self.import_directory_action,
                self.update_directory_action,
            ]
        )
        directory_menu.addSeparator()
        directory_menu.addAction(self.contact_form_action)
        self.directory_menu = directory_menu
        view_menu = bar.addMenu("&View")
        view_menu.addActions(list(self.paper_actions.values()))
        self.view_menu = view_menu
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.shortcuts_action)
        help_menu.addAction(self.about_action)
        self.help_menu = help_menu

    def _add_editing_actions(self) -> None:
        """Undo, clipboard and formatting in the Edit and Format menus (they act on the editor)."""
        from PySide6.QtCore import Qt

        first = self.edit_menu.actions()[0] if self.edit_menu.actions() else None
        self.edit_menu.insertActions(first, [self.editor.undo_action, self.editor.redo_action])
        self.edit_menu.insertSeparator(first)
        for text, slot, shortcut in (
            ("Cu&t", self.editor.text.cut, QKeySequence.StandardKey.Cut),
            ("&Copy", self.editor.text.copy, QKeySequence.StandardKey.Copy),
            ("&Paste", self.editor.text.paste, QKeySequence.StandardKey.Paste),
            ("Select &All", self.editor.text.selectAll, QKeySequence.StandardKey.SelectAll),
        ):
            action = self._action(text, slot, shortcut)
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            self.edit_menu.insertAction(first, action)
        self.edit_menu.insertAction(first, self.spelling.next_action)
        self.edit_menu.insertSeparator(first)
        self.format_menu.addActions(self.editor.format_actions())

    def _connect_signals(self) -> None:
        self.picker.toggled.connect(self._argument_toggled)
        self.picker.order_changed.connect(self._order_changed)
        self.editor.changed.connect(self.schedule_preview)
        self.editor.word_count_changed.connect(self._show_word_count)
        self.recipient_bar.changed.connect(self.schedule_preview)
        self.paper_choice.currentIndexChanged.connect(
            lambda: self.set_paper(self.paper_choice.currentData())
        )
        self.preview.pages_changed.connect(self._show_page_count)
        self.recipient_bar.find_requested.connect(self.find_officials)
        self.recipient_bar.changed.connect(self._recipients_changed)
        self.recipient_bar.suggestion_accepted.connect(self._use_suggestion)
        self.previous_copy.clicked.connect(lambda: self.show_copy(self._copy_index - 1))
        self.next_copy.clicked.connect(lambda: self.show_copy(self._copy_index + 1))
        self.profile_banner.linkActivated.connect(lambda _link: self.edit_profile())
        self._preview_timer.timeout.connect(self.refresh_preview)
        self.campaign_opener.opened.connect(self._campaign_opened)
        self.campaign_opener.campaigns_listed.connect(self._fill_campaign_menu)
        self.spelling.message.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.spelling.status_changed.connect(self._spelling_status)

    # --- letter ---------------------------------------------------------------------------

    def _load_campaign(self, campaign: Campaign) -> None:
        keeper = getattr(self, "keeper", None)  # the letter being replaced is kept as a draft
        if keeper is not None:
            keeper.letter_replacing()
        self.campaign = campaign
        # The new letter holds what the campaign routes to its default recipient.
        self.recipient_bar.set_campaign(campaign)
        first = self.recipient_bar.recipient()
        chosen = list(campaign.arguments_for(first))
        self.picker.set_campaign(campaign, chosen)
        self.recipient_bar.subject.setText(campaign.subject_for(first))
        self.spelling.set_campaign_words(campaign.spelling_words)
        self.editor.set_html("".join(campaign.argument(a).html for a in chosen))
        self._renderer = None  # a campaign may bring its own templates
        self.coach_panel.set_campaign(campaign)
        self.setWindowTitle(f"{campaign.title} — Letter Composer")
        self.set_paper(self.paper)
        self._update_profile_banner()
        self._show_word_count(self.editor.word_count())
        if keeper is not None:
            keeper.letter_replaced()

    def _campaign_opened(self, campaign: Campaign) -> None:
        """Use a campaign the opener loaded: a new letter from its suggested arguments."""
        if self.coach_panel.refresh().own_words:
            answer = QMessageBox.question(
                self,
                "Start a new letter?",
                f"Open “{campaign.title}”? The letter you are writing will be replaced by "
                "a new one from this campaign's suggested arguments.",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self._load_campaign(campaign)
        self.settings.campaign = campaign.id
        self.statusBar().showMessage(f"Opened the campaign “{campaign.title}”.", 6000)

    def _fill_campaign_menu(self, found: list[tuple[str, str]]) -> None:
        self.campaign_menu.clear()
        for campaign_id, title in found:
            action = self.campaign_menu.addAction(title)
            action.setCheckable(True)
            action.setChecked(campaign_id == self.campaign.id)
            action.triggered.connect(
                lambda _=False, key=campaign_id: self.campaign_opener.open_known(key)
            )

    def _confirm_personal(self, verb: str) -> bool:
        """Before a letter leaves: let the coach warn about a letter with nothing personal."""
        return self.coach_panel.confirm_output(verb)

    def new_letter(self) -> None:
        """Start a fresh letter from the campaign's suggested arguments."""
        self._load_campaign(self.campaign)
        self.statusBar().showMessage("New letter from the campaign's suggested arguments.", 4000)

    def current_letter(self) -> Letter:
        """The letter as it stands in the window."""
        from composer.core.models import Letter
        from composer.gui.copies import copy_bodies

        recipients = self.recipient_bar.recipients()
        return Letter(
            sender=self.sender,
            recipients=recipients,
            subject=self.recipient_bar.subject.text().strip(),
            body_html=self.editor.html(),
            campaign_id=self.campaign.id,
            argument_ids=self.picker.chosen_ids(),
            complimentary_close=self.campaign.complimentary_close,
            language=self.campaign.language,
            copy_bodies=copy_bodies(
                self.editor.text.document(), self.campaign, self.coach_panel.coach, recipients
            ),
        )

    def _use_suggestion(self, argument_ids: list, subject: str) -> None:
        """Take the recipient's suggestion: tick its paragraphs, untick the others.

        Paragraphs the user wrote or edited stay (unticking removes only an
        unchanged paragraph); a subject the user typed is kept.
        """
        for argument_id in [a for a in self.picker.chosen_ids() if a not in argument_ids]:
            self.picker.set_checked(argument_id, False)
            self._argument_toggled(argument_id, False)
        for argument_id in [a for a in argument_ids if a not in self.picker.chosen_ids()]:
            self.picker.set_checked(argument_id, True)
            self._argument_toggled(argument_id, True)
        self.picker.set_chosen_order(list(argument_ids))
        self._order_changed(list(argument_ids))
        offered = {self.campaign.default_subject, *(r.subject for r in self.campaign.recipients)}
        if subject and self.recipient_bar.subject.text().strip() in offered | {""}:
            self.recipient_bar.subject.setText(subject)
        self.statusBar().showMessage("The letter now holds the suggested paragraphs.", 4000)

    def _argument_toggled(self, argument_id: str, checked: bool) -> None:
        argument = self.campaign.argument(argument_id)
        if checked:
            closing = next(
                (
                    self.campaign.argument(a).text
                    for a in self.picker.chosen_ids()
                    if self.campaign.argument(a).position == "closing" and a != argument_id
                ),
                None,
            )
            self.editor.insert_paragraphs(argument.html, argument.position, closing)
            self.statusBar().showMessage(f"Added “{argument.title}”.", 3000)
        elif self.editor.remove_paragraphs(argument.text):
            self.statusBar().showMessage(f"Removed “{argument.title}”.", 3000)
        else:
            self.statusBar().showMessage(
                f"“{argument.title}” was edited, so it stays in the letter; delete it by hand "
                "if you no longer want it.",
                8000,
            )

    def _order_changed(self, ids: list[str]) -> None:
        moved = 0
        for index in range(len(ids) - 2, -1, -1):
            here = self.campaign.argument(ids[index])
            after = self.campaign.argument(ids[index + 1])
            span_here = self.editor.find_paragraphs(here.text)
            span_after = self.editor.find_paragraphs(after.text)
            if span_here and span_after and span_here[0] > span_after[0]:
                moved += self.editor.move_paragraphs(here.text, after.text)
        if moved:
            self.statusBar().showMessage("Paragraphs moved to the new order.", 3000)

    def _show_word_count(self, words: int) -> None:
        self.word_label.setText(f"{words} words")

    def _show_page_count(self, pages: int) -> None:
        self.page_label.setText(f"{pages} page" + ("s" if pages != 1 else ""))

    def _update_profile_banner(self) -> None:
        self.profile_banner.setVisible(not self.sender.name.strip())

    def _focus_search(self) -> None:
        from PySide6.QtCore import Qt

        self.picker.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.picker.search.selectAll()

    # --- preview and output ---------------------------------------------------------------

    def schedule_preview(self) -> None:
        """Refresh the preview a moment after the last change."""
        self._preview_timer.start()

    def renderer(self):
        """The template renderer for this campaign (built on first use).

        The preview's worker threads render with it too. That is safe: the
        Jinja environment is never changed once built, its template cache takes
        a lock, and each render keeps its state to itself (placeholders are
        filled in an environment of their own per call).
        """
        if self._renderer is None:
            from composer.core.render import Renderer

            self._renderer = Renderer(self.campaign.templates)
        return self._renderer

    def rendered_letters(self, quiet: bool = False, template: str | None = None):
        """The letter rendered for each recipient, or None after telling the user why not.

        With many recipients this shows a progress dialog that can cancel (None then).
        """
        from composer.core.merge import MailMerge, MergeError
        from composer.core.render import RenderError

        letter = self.current_letter()
        merge = MailMerge(
            letter, letter.recipients, self.renderer(), template or self.campaign.template
        )
        try:
            if len(merge) <= MANY_COPIES:
                return list(merge.copies())
            merge.check()
            progress = QProgressDialog("Preparing the letters…", "Cancel", 0, len(merge), self)
            progress.setWindowTitle("Letters")
            progress.setMinimumDuration(300)
            copies = []
            for index, copy in enumerate(merge.copies()):
                progress.setValue(index)
                if progress.wasCanceled():
                    return None
                copies.append(copy)
            progress.setValue(len(merge))
            return copies
        except (MergeError, RenderError) as error:
            if quiet:
                self.preview.show_problem(str(error))
            else:
                QMessageBox.warning(self, "The letter is not ready", str(error))
            return None

    def refresh_preview(self) -> None:
        """Have the preview render and draw the copy being looked at, in the background.

        Only reading the window happens here, on the GUI thread; a problem with
        the letter (a placeholder without a value) appears in the preview when
        the render reports it, unless a newer request has replaced this one.
        """
        from dataclasses import replace

        from composer.printing.paper import paper

        letter = self.current_letter()
        self._copy_index = max(0, min(self._copy_index, len(letter.recipients) - 1))
        # The worker's letter must not change under it: the sender is the only part shared
        # with the window (a profile edit replaces it, but it is mutable), so it gets a copy.
        letter = replace(letter, sender=replace(letter.sender))
        recipient = letter.recipients[self._copy_index]
        renderer = self.renderer()
        template = self.campaign.template
        self.preview.show_rendering(
            lambda: renderer.render(letter, recipient, template),
            paper(self.paper),
            self.settings.fold_marks,
            immediately=True,
        )

    def show_copy(self, index: int) -> None:
        """Preview the copy for recipient number `index` (mail merge)."""
        total = len(self.recipient_bar.recipients())
        self._copy_index = max(0, min(index, total - 1))
        self._update_copy_controls()
        self.refresh_preview()

    def _recipients_changed(self) -> None:
        total = len(self.recipient_bar.recipients())
        if self._copy_index >= total:
            self._copy_index = 0
        self._update_copy_controls()

    def _update_copy_controls(self) -> None:
        recipients = self.recipient_bar.recipients()
        several = len(recipients) > 1
        for widget in (self.previous_copy, self.copy_label, self.next_copy):
            widget.setVisible(several)
        if several:
            name = recipients[self._copy_index].short_name
            self.copy_label.setText(f"Copy {self._copy_index + 1} of {len(recipients)}: {name}")
            self.previous_copy.setEnabled(self._copy_index > 0)
            self.next_copy.setEnabled(self._copy_index < len(recipients) - 1)

    # --- recipients and e-mail -------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Note the frame's first paint; start what the panes do not need once they painted."""
        if event.type() != QEvent.Type.Paint:
            return False
        if watched is self and not self._painted:
            self._painted = True
            self.removeEventFilter(self)
            self.first_painted.emit()
        elif self.is_complete and watched is self.centralWidget():
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._after_first_paint)
        return False

    def _after_first_paint(self) -> None:
        if not self.isVisible():
            return  # closed before this ran: starting the sending thread now would outlive it
        self.mail_center().start()

    def mail_center(self):
        """The outbox, the sending thread and the account (made on first use)."""
        if self._mail is None:
            from composer.gui.mail_center import MailCenter

            self._mail = MailCenter(self, self.locations, self.pool)
            app = QApplication.instance()
            if app is not None:  # quitting without closing the window stops the thread too
                app.aboutToQuit.connect(self.shutdown_background)
            self.statusBar().addPermanentWidget(self._mail.status_label)
        return self._mail

    def known_secrets(self) -> list[str]:
        """Passwords this window holds in memory (typed for this session), for masking in reports."""
        return [] if self._mail is None else self._mail.passwords.session.kept()

    def send_by_email(self) -> None:
        """Queue the letter (one e-mail per recipient) and send it through the user's account."""
        if not self._confirm_personal("Send"):
            return
        letters = self.rendered_letters(template=self.campaign.email_template)
        if letters:
            self.mail_center().send_letters(letters, self.campaign.id)

    def directory_dialog(self):
        """The Find My Officials dialog (made on first use)."""
        if self._directory_dialog is None:
            from composer.core.directory import Directory
            from composer.gui.recipients_panel import RecipientsDialog

            self._directory_dialog = RecipientsDialog(
                Directory.for_locations(self.locations),
                self.pool,
                near_zip=self.sender.postal_code,
                parent=self,
            )
            self._directory_dialog.recipients_chosen.connect(self._officials_chosen)
        return self._directory_dialog

    def find_officials(self) -> None:
        """Look up officials by ZIP code, state or name; the chosen ones get the letter."""
        dialog = self.directory_dialog()
        dialog.show()
        dialog.raise_()

    def open_contact_form(self, open_url=None) -> bool:
        """Copy the letter (as an e-mail's text) and open the shown copy's web contact form."""
        from composer.core.render import RenderError
        from composer.gui.recipients_panel import open_contact_form

        recipients = self.recipient_bar.recipients()
        recipient = recipients[min(self._copy_index, len(recipients) - 1)]
        if not recipient.contact_form:
            QMessageBox.information(
                self,
                "No contact form",
                f"No web contact form is known for {recipient.short_name}. "
                "Find the official with Directory ▸ Find My Officials, or print the letter.",
            )
            return False
        try:
            rendered = self.renderer().render(
                self.current_letter(), recipient, self.campaign.email_template
            )
        except RenderError as error:
            QMessageBox.warning(self, "The letter is not ready", str(error))
            return False
        opened = (
            open_contact_form(recipient.contact_form, rendered.text)
            if open_url is None
            else open_contact_form(recipient.contact_form, rendered.text, open_url)
        )
        self.statusBar().showMessage(
            f"The letter is on the clipboard: paste it into {recipient.short_name}'s form."
            if opened
            else f"The browser could not be opened; the form is at {recipient.contact_form}",
            12000,
        )
        return opened

    def _officials_chosen(self, recipients: list) -> None:
        self.use_recipients(recipients)
        self.recipient_bar.offer_suggestion()

    def use_recipients(self, recipients: list) -> None:
        """Address the letter to these officials: one copy each when there are several."""
        offered = self.recipient_bar.offered()
        select = "merge" if len(recipients) > 1 else (recipients[0].id if recipients else None)
        self.recipient_bar.set_recipients(offered, merge=recipients, select=select)
        self._copy_index = 0
        self._update_copy_controls()
        names = ", ".join(r.short_name for r in recipients[:3])
        more = f" and {len(recipients) - 3} more" if len(recipients) > 3 else ""
        self.statusBar().showMessage(f"The letter goes to {names}{more}.", 6000)

    def page_items(self):
        """The laid-out pages of every copy of the letter, or None if it cannot be rendered."""
        from composer.printing.letter_layout import LetterPages
        from composer.printing.paper import paper

        rendered = self.rendered_letters()
        if rendered is None:
            return None
        spec = paper(self.paper)
        return [LetterPages(r, spec, fold_marks=self.settings.fold_marks) for r in rendered]

    def set_paper(self, paper: str) -> None:
        """Lay the letter out on "letter" or "a4" paper."""
        from composer.core.settings import effective_paper

        if paper not in PAPER_LABELS:
            return
        self.paper = paper
        self.paper_actions[paper].setChecked(True)
        index = self.paper_choice.findData(paper)
        if self.paper_choice.currentIndex() != index:
            self.paper_choice.setCurrentIndex(index)
        if self.settings.paper != "auto" or paper != effective_paper(self.settings):
            self.settings.paper = paper
        self.schedule_preview()

    def _suggested_file_name(self) -> str:
        recipient = self.recipient_bar.recipient().short_name or "letter"
        slug = re.sub(r"[^a-z0-9]+", "-", recipient.lower()).strip("-") or "letter"
        return f"letter-to-{slug}.pdf"

    def export_pdf(self, path: str | None = None) -> None:
        """Ask where to save, then write the PDF in the background."""
        if not self._confirm_personal("Export"):
            return
        if len(self.recipient_bar.recipients()) > 1:
            self.export_merge(path)
            return
        items = self.page_items()
        if items is None:
            return
        if path is None:
            folder = QStandardPaths.writableLocation(
                QStandardPaths.StandardLocation.DocumentsLocation
            ) or str(Path.home())
            path, _filter = QFileDialog.getSaveFileName(
                self, "Export PDF", str(Path(folder) / self._suggested_file_name()), "PDF (*.pdf)"
            )
            if not path:
                return
            if not path.lower().endswith(".pdf"):
                path += ".pdf"
        from composer.gui.print_actions import PdfExportJob

        job = PdfExportJob(Path(path), items, self.recipient_bar.subject.text() or "Letter")
        job.setAutoDelete(False)
        self._jobs.append(job)
        job.signals.finished.connect(self._export_finished)
        job.signals.failed.connect(self._export_failed)
        self.statusBar().showMessage(f"Writing {path}…")
        self.pool.start(job)

    def export_merge(self, path: str | None = None, combined: bool | None = None) -> None:
        """Write a copy for each recipient: one combined PDF, or one PDF each in a folder."""
        from composer.gui.merge_export import MergeExportJob

        recipients = self.recipient_bar.recipients()
        if combined is None:
            box = QMessageBox(
                QMessageBox.Icon.Question,
                "Export PDF",
                f"The letter goes to {len(recipients)} officials. Write one PDF with every "
                "letter, or one PDF per official into a folder?",
                QMessageBox.StandardButton.Cancel,
                self,
            )
            one = box.addButton("One PDF", QMessageBox.ButtonRole.AcceptRole)
            each = box.addButton("One PDF Each", QMessageBox.ButtonRole.AcceptRole)
            box.exec()
            if box.clickedButton() not in (one, each):
                return
            combined = box.clickedButton() is one
        if path is None:
            if combined:
                folder = QStandardPaths.writableLocation(
                    QStandardPaths.StandardLocation.DocumentsLocation
                ) or str(Path.home())
                path, _filter = QFileDialog.getSaveFileName(
                    self, "Export PDF", str(Path(folder) / "letters.pdf"), "PDF (*.pdf)"
                )
            else:
                path = QFileDialog.getExistingDirectory(self, "Folder for the letters")
            if not path:
                return
        job = MergeExportJob(
            self.current_letter(),
            recipients,
            self.campaign.templates,
            self.campaign.template,
            self.paper,
            Path(path),
            combined=combined,
            fold_marks=self.settings.fold_marks,
        )
        job.setAutoDelete(False)
        self._jobs.append(job)
        progress = QProgressDialog("Writing the letters…", "Cancel", 0, len(recipients), self)
        progress.setWindowTitle("Export PDF")
        progress.setMinimumDuration(400)
        progress.canceled.connect(job.cancel)
        job.signals.progress.connect(
            lambda done, total, name: (
                progress.setValue(done),
                progress.setLabelText(f"Wrote the letter to {name} ({done} of {total})."),
            )
        )

        def finished(where: str, letters: int, pages: int, cancelled: bool) -> None:
            progress.reset()
            self._jobs = [j for j in self._jobs if j is not job]
            state = "Stopped after" if cancelled else "Saved"
            self.statusBar().showMessage(
                f"{state} {letters} letter(s), {pages} page(s), in {where}.", 10000
            )

        def failed(message: str) -> None:
            progress.reset()
            self._jobs = [j for j in self._jobs if j is not job]
            self._export_failed(message)

        job.signals.finished.connect(finished)
        job.signals.failed.connect(failed)
        self.statusBar().showMessage("Writing the letters…")
        self.pool.start(job)

    def _export_finished(self, path: str, pages: int) -> None:
        self._jobs = [j for j in self._jobs if getattr(j, "path", None) != Path(path)]
        self.statusBar().showMessage(
            f"Saved {path} ({pages} page{'s' if pages != 1 else ''}).", 8000
        )

    def _export_failed(self, message: str) -> None:
        self.statusBar().showMessage("The PDF was not saved.", 8000)
        QMessageBox.warning(self, "The PDF was not saved", message)

    def print_letter(self) -> None:
        """Print through the system's print dialog."""
        from composer.core.print_history import PrintHistory
        from composer.gui.print_actions import print_with_dialog

        if not self._confirm_personal("Print"):
            return
        items = self.page_items()
        if items and print_with_dialog(
            self,
            items,
            self.recipient_bar.subject.text() or "Letter",
            history=PrintHistory(self.locations.database_file),
            pool=self.pool,
        ):
            self.statusBar().showMessage("Sent to the printer.", 6000)

    def print_preview(self) -> None:
        """Show Qt's print preview of exactly what will print."""
        from composer.gui.print_actions import print_preview

        if not self._confirm_personal("Preview"):
            return
        items = self.page_items()
        if items:
            print_preview(self, items, self.recipient_bar.subject.text() or "Letter")

    def envelope_items(self):
        """Envelopes for the letter's recipients (in order), sized for the chosen paper."""
        from composer.gui.print_actions import envelope_items

        return envelope_items(self.sender, self.current_letter().recipients, self.paper)

    def print_envelope(self) -> None:
        """Print an envelope for each recipient through the system's print dialog."""
        from composer.gui.print_actions import print_with_dialog

        if print_with_dialog(
            self, self.envelope_items(), "Envelope", dialog_title="Print Envelope"
        ):
            self.statusBar().showMessage("Envelopes sent to the printer.", 6000)

    def export_envelope_pdf(self, path: str | None = None) -> None:
        """Ask where to save, then write the envelopes to a PDF in the background."""
        from composer.gui.print_actions import PdfExportJob, ask_pdf_path

        name = self._suggested_file_name().replace("letter-to-", "envelope-to-", 1)
        target = Path(path) if path else ask_pdf_path(self, "Export Envelope PDF", name)
        if target is None:
            return
        job = PdfExportJob(target, self.envelope_items(), "Envelope")
        job.setAutoDelete(False)
        self._jobs.append(job)
        job.signals.finished.connect(self._export_finished)
        job.signals.failed.connect(self._export_failed)
        self.statusBar().showMessage(f"Writing {target}…")
        self.pool.start(job)

    def show_print_history(self) -> None:
        """Show the printed letters, where the user marks them mailed."""
        from composer.core.print_history import PrintHistory
        from composer.gui.print_history_dialog import PrintHistoryDialog

        self.history_dialog = PrintHistoryDialog(
            PrintHistory(self.locations.database_file), self.pool, self
        )
        self.history_dialog.open()

    # --- profile, about, closing ------------------------------------------------------------

    def edit_profile(self) -> None:
        """Edit and save the sender profile."""
        from composer.core.fileio import StorageError
        from composer.core.profile import save_sender
        from composer.gui.profile_dialog import ProfileDialog

        dialog = ProfileDialog(self.sender, self)
        if dialog.exec() != ProfileDialog.DialogCode.Accepted:
            return
        sender = dialog.sender()
        try:
            save_sender(self.locations.profile_file, sender)
        except StorageError as error:
            QMessageBox.warning(
                self,
                "The profile was not saved",
                f"{error}\n\nThe profile is used for this session only.",
            )
        self.sender = sender
        self._update_profile_banner()
        self.schedule_preview()

    def _spelling_status(self, status: str) -> None:
        if not self.spelling.available and self.settings.spell_language:
            self.statusBar().showMessage(status, 15000)

    def edit_settings(self) -> None:
        """Open the settings dialog (without blocking); changes apply when it is accepted."""
        from PySide6.QtCore import Qt

        from composer.gui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.settings, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.apply_settings(dialog.settings()))
        dialog.open()

    def apply_settings(self, new: Settings) -> None:
        """Use and save new settings (the same Settings object is updated for everyone)."""
        import dataclasses

        from composer.core.fileio import StorageError
        from composer.core.settings import effective_paper, save_settings

        for spec in dataclasses.fields(new):
            setattr(self.settings, spec.name, getattr(new, spec.name))
        self.spelling.set_language(self.settings.spell_language)
        self.set_paper(effective_paper(self.settings))
        self.schedule_preview()
        try:
            save_settings(self.locations.settings_file, self.settings)
        except StorageError as error:
            QMessageBox.warning(
                self, "The settings were not saved", f"{error}\n\nThey apply until you quit."
            )

    def show_shortcuts(self) -> None:
        """Help ▸ Keyboard Shortcuts, listed from the window's own actions."""
        from PySide6.QtCore import Qt

        from composer.gui.shortcuts_dialog import ShortcutsDialog

        dialog = ShortcutsDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def about(self) -> None:
        """The About box."""
        QMessageBox.about(
            self,
            "About Letter Composer",
            f"<h3>Letter Composer {__version__}</h3>"
            "<p>Write advocacy letters that officials read: choose arguments, make them "
            "your own, preview the page, then print or e-mail.</p>",
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        """Save the letter and the settings on the way out."""
        from composer.core.fileio import StorageError
        from composer.core.settings import save_settings

        if not self.is_complete:  # closed while starting: there is no letter yet
            event.accept()
            return
        if not self.keeper.close_letter():  # the letter could not be saved: the user stays
            event.ignore()
            return
        try:
            save_settings(self.locations.settings_file, self.settings)
        except StorageError as error:
            log.warning("settings not saved: %s", error)
        self.shutdown_background()
        event.accept()

    def shutdown_background(self) -> None:
        """Stop the preview's drawing and the sending thread, and close the outbox (on
        close, and when the app quits)."""
        preview = getattr(self, "preview", None)  # a frame closed while starting has none
        if preview is not None and not preview.stop():
            log.warning("a preview job was still drawing when the window closed")
        if self._mail is not None:
            mail, self._mail = self._mail, None
            mail.shutdown()
