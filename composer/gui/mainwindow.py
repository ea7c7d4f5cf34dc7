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
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QThreadPool, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMessageBox,
)

if TYPE_CHECKING:
    from composer.core.campaigns import Campaign
    from composer.core.locations import Locations
    from composer.core.models import Letter, Sender
    from composer.core.settings import Settings
    from composer.gui.mail_center import MailCenter

log = logging.getLogger(__name__)

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
        from composer.gui.addressing import Addressing
        from composer.gui.output_controller import OutputController
        from composer.gui.preferences import Preferences

        self.output = OutputController(self)  # print, preview, PDF, merge, envelopes
        self.addressing = Addressing(self)  # officials, contact forms, e-mail
        self.preferences = Preferences(self)  # profile, settings, shortcuts, about
        self._last_problem = ""
        self._copy_index = 0  # which copy the preview shows when writing to several officials
        self._mail: MailCenter | None = None
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
        from composer.gui.letter_keeper import LetterKeeper

        self.campaign = campaign
        self.paper = effective_paper(self.settings)
        self._build_widgets()
        self.sender_profile = load_saved_sender(self.locations.profile_file) or Sender()
        self._add_editing_actions()
        self._connect_signals()
        self._load_campaign(campaign)
        # Drafts, letter files, crash recovery and exports (composer.gui.letter_keeper).
        self.keeper = LetterKeeper(self, DraftStore(self.locations.database_file))
        for action in self._frame_actions:
            action.setEnabled(True)
        for action, shortcut in self._shortcuts:
            action.setShortcut(shortcut)
        self._shortcuts.clear()
        self.statusBar().clearMessage()
        self.is_complete = True
        # E-mail and the built-in officials load once the finished window has painted.
        self.splitter.installEventFilter(self)
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
        from composer.gui.session import LetterSession
        from composer.gui.spelling import WORD_LIST_NAME, SpellingSupport

        self.picker = ArgumentPicker()
        self.recipient_bar = RecipientBar()
        self.editor = LetterEditor()
        text = self.editor.text
        self.session = LetterSession(text.document(), lambda: text.joining, self)
        self.session.set_paper(self.paper)
        self.editor.use_history(self.session.undo_stack)
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
        self.profile_banner.setAccessibleName("Sender profile missing")
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
        self.previous_copy = QToolButton()
        self.previous_copy.setText("◀")
        self.previous_copy.setAccessibleName("Previous recipient's copy")
        self.next_copy = QToolButton()
        self.next_copy.setText("▶")
        self.next_copy.setAccessibleName("Next recipient's copy")
        self.copy_label = QLabel()
        self.copy_label.setAccessibleName("Which copy the preview shows")
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
        self.word_label.setAccessibleName("Word count")
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

    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        tip: str = "",
    ) -> QAction:
        """An action of the window; `slot` is called without arguments (never with
        triggered's `checked`, which a slot with an optional parameter would take)."""
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
        action.triggered.connect(lambda _checked=False: slot())
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
            lambda: self.output.export_pdf(),
            "Ctrl+Shift+E",
            "Save the letter as a PDF, exactly as it prints",
        )
        self.preview_action = self._action(
            "Print Pre&view", lambda: self.output.print_preview(), "Ctrl+Shift+P"
        )
        self.print_action = self._action(
            "&Print…",
            lambda: self.output.print_letter(),
            key.Print,
            "Print the letter through the system's print dialog",
        )
        self.envelope_print_action = self._action(
            "Print &Envelope…",
            lambda: self.output.print_envelope(),
            None,
            "Print an envelope for each recipient, with your return address",
        )
        self.envelope_export_action = self._action(
            "Export Envelope PD&F…",
            lambda: self.output.export_envelope_pdf(),
            None,
            "Save the envelopes (one per recipient) as a PDF",
        )
        self.history_action = self._action(
            "Printed &Letters…",
            lambda: self.output.show_print_history(),
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
            lambda: self.preferences.edit_profile(),
            None,
            "Your name and address, printed on every letter",
        )
        self.send_action = self._action(
            "Send by &E-mail…",
            lambda: self.addressing.send_by_email(),
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
            lambda: self.addressing.find_officials(),
            "Ctrl+Shift+F",
            "Your senators and representative by ZIP code, or anyone by state or name",
        )
        self.import_directory_action = self._action(
            "&Import Directory Files…",
            lambda: self.addressing.directory_dialog().panel.import_action.trigger(),
        )
        self.update_directory_action = self._action(
            "&Update from the Internet",
            lambda: self.addressing.directory_dialog().panel.update_action.trigger(),
        )
        self.contact_form_action = self._action(
            "Open &Contact Form",
            lambda: self.addressing.open_contact_form(),
            None,
            "Copy the letter and open the official's web form, for those who take no e-mail",
        )
        self.quit_action = self._action("&Quit", self.close, key.Quit)
        self.search_action = self._action("Find Argument", self._focus_search, key.Find)
        self.about_action = self._action("&About Letter Composer", lambda: self.preferences.about())
        self.settings_action = self._action(
            "Se&ttings…",
            lambda: self.preferences.edit_settings(),
            "Ctrl+,",
            "Paper, sending, autosave and spelling",
        )
        self.shortcuts_action = self._action(
            "&Keyboard Shortcuts",
            lambda: self.preferences.show_shortcuts(),
            "Ctrl+/",
            "Every shortcut of this window",
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
        self.campaign_menu.aboutToShow.connect(self._list_campaigns)
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

    def _list_campaigns(self) -> None:
        if self.is_complete:
            self.campaign_opener.refresh_list()

    def _add_editing_actions(self) -> None:
        """Undo, clipboard and formatting in the Edit and Format menus (they act on the editor)."""
        from PySide6.QtCore import Qt

        first = self.edit_menu.actions()[0]  # Find Argument, built with the frame
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
        self.edit_menu.insertSeparator(first)
        self.format_menu.addActions(self.editor.format_actions())

    def _connect_signals(self) -> None:
        self.picker.toggled.connect(self.session.tick)
        self.picker.move_requested.connect(self.session.move)
        self.picker.order_requested.connect(self.session.reorder)
        self.session.changed.connect(self._session_changed)
        self.session.notice.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.editor.changed.connect(self.schedule_preview)
        self.editor.word_count_changed.connect(self._show_word_count)
        self.recipient_bar.changed.connect(self.schedule_preview)
        self.paper_choice.currentIndexChanged.connect(
            lambda: self.set_paper(self.paper_choice.currentData())
        )
        self.preview.pages_changed.connect(self._show_page_count)
        self.recipient_bar.find_requested.connect(self.addressing.find_officials)
        self.recipient_bar.changed.connect(self._recipients_changed)
        self.recipient_bar.changed.connect(self._bar_changed)
        self.previous_copy.clicked.connect(lambda: self.show_copy(self._copy_index - 1))
        self.next_copy.clicked.connect(lambda: self.show_copy(self._copy_index + 1))
        self.profile_banner.linkActivated.connect(lambda _link: self.preferences.edit_profile())
        self._preview_timer.timeout.connect(self.refresh_preview)
        self.campaign_opener.opened.connect(self._campaign_opened)
        self.campaign_opener.campaigns_listed.connect(self._fill_campaign_menu)
        self.spelling.message.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.spelling.status_changed.connect(self._spelling_status)
        self._bar_changed()  # the session starts with what the bar offers

    # --- letter ---------------------------------------------------------------------------

    def _load_campaign(self, campaign: Campaign) -> None:
        keeper = getattr(self, "keeper", None)  # the letter being replaced is kept as a draft
        if keeper is not None:
            keeper.letter_replacing()
        self.campaign = campaign
        self.picker.set_campaign(campaign, [])  # the session's changed signal ticks them
        self.session.start(campaign)
        self.recipient_bar.subject.setText(campaign.default_subject)
        self.output.campaign_changed()
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

    def confirm_personal(self, verb: str) -> bool:
        """Before a letter leaves: let the coach warn about a letter with nothing personal."""
        return self.coach_panel.confirm_output(verb)

    def new_letter(self) -> None:
        """Start a fresh letter from the campaign's suggested arguments."""
        self._load_campaign(self.campaign)
        self.statusBar().showMessage("New letter from the campaign's suggested arguments.", 4000)

    def current_letter(self) -> Letter:
        """The letter as it stands (the session's; nothing is read back out of widgets)."""
        return self.session.letter()

    @property
    def sender_profile(self) -> Sender:
        """The sender's profile (name and address), printed on every letter."""
        return self.session.sender_profile

    @sender_profile.setter
    def sender_profile(self, sender: Sender) -> None:
        self.session.set_sender(sender)

    def _session_changed(self) -> None:
        self.picker.show_chosen(self.session.chosen)
        self.schedule_preview()

    def _bar_changed(self) -> None:
        self.session.set_recipients(self.recipient_bar.recipients())
        self.session.set_subject(self.recipient_bar.subject.text())

    def _show_word_count(self, words: int) -> None:
        self.word_label.setText(f"{words} words")

    def _show_page_count(self, pages: int) -> None:
        self.page_label.setText(f"{pages} page" + ("s" if pages != 1 else ""))

    def _update_profile_banner(self) -> None:
        self.profile_banner.setVisible(not self.sender_profile.name.strip())

    def _focus_search(self) -> None:
        from PySide6.QtCore import Qt

        self.picker.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.picker.search.selectAll()

    # --- preview and output ---------------------------------------------------------------

    def schedule_preview(self) -> None:
        """Refresh the preview a moment after the last change."""
        self._preview_timer.start()

    def refresh_preview(self) -> None:
        """Have the preview render and draw the copy being looked at, in the background.

        Only reading the window happens here, on the GUI thread; a problem with
        the letter (a placeholder without a value) appears in the preview when
        the render reports it, unless a newer request has replaced this one.
        """

        from composer.printing.paper import paper

        letter = self.session.snapshot_letter()  # the worker's own: it must not change under it
        self._copy_index = max(0, min(self._copy_index, len(letter.recipients) - 1))
        recipient = letter.recipients[self._copy_index]
        renderer = self.output.renderer()
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
        from composer.core.directory import builtin_officials

        self.recipient_bar.set_recipients([o.recipient() for o in builtin_officials()])
        self.mail_center().start()

    def mail_center(self) -> MailCenter:
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

    def set_paper(self, paper: str) -> None:
        """Lay the letter out on "letter" or "a4" paper."""
        from composer.core.settings import effective_paper

        if paper not in PAPER_LABELS:
            return
        self.paper = paper
        self.session.set_paper(paper)
        self.paper_actions[paper].setChecked(True)
        index = self.paper_choice.findData(paper)
        if self.paper_choice.currentIndex() != index:
            self.paper_choice.setCurrentIndex(index)
        if self.settings.paper != "auto" or paper != effective_paper(self.settings):
            self.settings.paper = paper
        self.schedule_preview()

    # --- profile, about, closing ------------------------------------------------------------

    def _spelling_status(self, status: str) -> None:
        if not self.spelling.available and self.settings.spell_language:
            self.statusBar().showMessage(status, 15000)

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
