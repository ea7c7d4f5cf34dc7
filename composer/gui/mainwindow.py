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
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSize, QThreadPool, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProxyStyle,
    QStyle,
    QStyleHintReturn,
    QStyleOption,
    QWidget,
)

from composer.gui.window_menus import PAPERS, paper_labels
from composer.i18n import _, ngettext

if TYPE_CHECKING:
    from collections.abc import Sequence

    from composer.core.campaigns import Campaign
    from composer.core.locations import Locations
    from composer.core.models import Letter, Recipient, Sender
    from composer.core.outbox_counts import WaitingLetters
    from composer.core.render_memo import RenderMemo
    from composer.core.rendered import RenderedLetter
    from composer.core.settings import Settings
    from composer.gui.mail_center import MailCenter
    from composer.gui.outbox_status import OutboxStatus

log = logging.getLogger(__name__)


class _StillPanes(QProxyStyle):
    """The application's style, with no animation when the main window moves a widget.

    Args:
        owner: the widget that uses it (and keeps it).
    """

    def __init__(self, owner: QObject) -> None:
        app_style = QApplication.style()
        super().__init__(app_style.name() if app_style is not None else "fusion")
        self.setParent(owner)

    def styleHint(
        self,
        hint: QStyle.StyleHint,
        option: QStyleOption | None = None,
        widget: QWidget | None = None,
        returnData: QStyleHintReturn | None = None,
    ) -> int:
        """No animation time; everything else as the application's style says."""
        if hint == QStyle.StyleHint.SH_Widget_Animation_Duration:
            return 0
        return super().styleHint(hint, option, widget, returnData)


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
        self._memo: RenderMemo | None = None  # the last render, kept between runs
        self.outbox_status: OutboxStatus | None = None
        self.is_complete = False
        self._painted = False

        self.setWindowTitle("Letter Composer")
        from composer.gui.window_menus import WindowMenus

        self.menus = WindowMenus(self)  # every action and menu, declared together
        self._frame_actions = self.findChildren(QAction)
        for action in self._frame_actions:  # nothing to act on until the panes exist
            action.setEnabled(False)
        self.statusBar().showMessage(_("Opening the campaign…"))
        self.installEventFilter(self)
        from composer.gui.window_state import place_window

        place_window(self, settings)  # where it was left; a first window fits the screen
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
        saved_sender = load_saved_sender(self.locations.profile_file) or Sender()
        self.paper = effective_paper(self.settings, saved_sender.home_country())
        self._build_widgets()
        from composer.gui.window_state import hold_pane_widths

        hold_pane_widths(self.splitter)  # content never widens a pane
        self.sender_profile = load_saved_sender(self.locations.profile_file) or Sender()
        self.menus.add_editing_actions()
        self._connect_signals()
        from composer.gui.panes import install_pane_keys
        from composer.gui.zoom import install_zoom

        self.zoom = install_zoom(self, self.menus.view_menu)
        self.pane_keys = install_pane_keys(self, self.menus.view_menu)
        self._load_campaign(campaign)
        # Drafts, letter files, crash recovery and exports (composer.gui.letter_keeper).
        self.keeper = LetterKeeper(self, DraftStore(self.locations.database_file))
        for action in self._frame_actions:
            action.setEnabled(True)
        self.menus.set_shortcuts()
        from composer.gui.window_state import restore_panes

        restore_panes(self, self.splitter, self.settings)
        self.statusBar().clearMessage()
        self.is_complete = True
        # E-mail and the built-in officials load once the finished window has painted.
        self.splitter.installEventFilter(self)
        self.completed.emit()

    # --- construction ---------------------------------------------------------------------

    def _build_widgets(self) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

        from composer.gui.argument_picker import ArgumentPicker
        from composer.gui.coach_panel import CoachPanel
        from composer.gui.editor import LetterEditor
        from composer.gui.open_campaign import CampaignOpener
        from composer.gui.recipient_bar import RecipientBar
        from composer.gui.session import LetterSession
        from composer.gui.spelling import WORD_LIST_NAME, SpellingSupport

        self.picker = ArgumentPicker()
        self.recipient_bar = RecipientBar()
        self.editor = LetterEditor()
        text = self.editor.text
        self.session = LetterSession(text.document(), lambda: text.joining, self)
        self.session.copies = self._copy_bodies
        self.session.set_paper(self.paper)
        self.editor.use_history(self.session.undo_stack)
        from composer.gui.panes import PreviewPane, profile_banner

        self.profile_banner = profile_banner()
        centre = QWidget()
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        centre_layout.addWidget(self.recipient_bar)
        centre_layout.addWidget(self.profile_banner)
        centre_layout.addWidget(self.editor, 1)
        self.coach_panel = CoachPanel(self.editor)
        centre_layout.addWidget(self.coach_panel)
        self.campaign_opener = CampaignOpener(self, self.locations.campaigns_dir, self.pool)

        self.preview_pane = right = PreviewPane(self.pool, paper_labels())
        self.preview, self.paper_choice = right.preview, right.paper_choice
        self.page_label, self.copy_label = right.page_label, right.copy_label
        self.previous_copy, self.next_copy = right.previous_copy, right.next_copy

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.picker)
        self.splitter.addWidget(centre)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 4)
        self.splitter.setStretchFactor(2, 4)
        self.splitter.setSizes([380, 520, 460])
        self.setCentralWidget(self.splitter)
        # The window moves its panes at once: with the style's animation time, Qt makes a
        # zero-length animation of them at every relayout, and deleting one asks for
        # Python's lock inside Qt's connection lock (a worker drawing pages in the
        # background takes the two the other way round, and both threads stopped).
        still = _StillPanes(self.splitter)
        self.splitter.setStyle(still)

        self.word_label = QLabel()
        self.word_label.setAccessibleDescription(_("Word count"))  # its text is its name
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

    def _connect_signals(self) -> None:
        self.picker.toggled.connect(self.session.tick)
        self.picker.move_requested.connect(self.session.move)
        self.picker.order_requested.connect(self.session.reorder)
        self.session.changed.connect(self._session_changed)
        self.session.started.connect(self._letter_started)
        self.session.notice.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.editor.changed.connect(self.schedule_preview)
        self.editor.word_count_changed.connect(self._show_word_count)
        self.recipient_bar.changed.connect(self.schedule_preview)
        self.paper_choice.currentIndexChanged.connect(
            lambda: self.set_paper(self.paper_choice.currentData())
        )
        self.preview.pages_changed.connect(self.preview_pane.show_page_count)
        self.recipient_bar.find_requested.connect(self.addressing.find_officials)
        self.recipient_bar.changed.connect(self._recipients_changed)
        self.recipient_bar.changed.connect(self._bar_changed)
        self.recipient_bar.suggestion_accepted.connect(self._use_suggestion)
        self.previous_copy.clicked.connect(lambda: self.show_copy(self._copy_index - 1))
        self.next_copy.clicked.connect(lambda: self.show_copy(self._copy_index + 1))
        self.profile_banner.linkActivated.connect(lambda _link: self.preferences.edit_profile())
        self._preview_timer.timeout.connect(self.refresh_preview)
        self.campaign_opener.opened.connect(self._campaign_opened)
        self.campaign_opener.campaigns_listed.connect(self.menus.fill_campaign_menu)
        self.spelling.message.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.spelling.status_changed.connect(self._spelling_status)
        self._bar_changed()  # the session starts with what the bar offers

    # --- letter ---------------------------------------------------------------------------

    def _load_campaign(self, campaign: Campaign) -> None:
        keeper = getattr(self, "keeper", None)  # the letter being replaced is kept as a draft
        if keeper is not None:
            keeper.letter_replacing()
        self.campaign = campaign
        # The new letter holds what the campaign routes to its default recipient. The bar
        # goes first: its change reaches the session, whose list still belongs to the
        # campaign the picker shows until both are replaced below.
        self.recipient_bar.set_campaign(campaign)
        first = self.recipient_bar.recipient()
        self.picker.set_campaign(campaign, [])  # the session's changed signal ticks them
        self.spelling.set_campaign(campaign)
        self.session.start(campaign, list(campaign.arguments_for(first)))
        self.recipient_bar.subject.setText(campaign.subject_for(first))
        self.output.campaign_changed()
        self.coach_panel.set_campaign(campaign)
        self.setWindowTitle(_("{title} — Letter Composer").format(title=campaign.title))
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
                _("Start a new letter?"),
                _(
                    "Open “{title}”? The letter you are writing will be replaced by a new "
                    "one from this campaign's suggested arguments."
                ).format(title=campaign.title),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self._load_campaign(campaign)
        self.settings.campaign = campaign.id
        self.statusBar().showMessage(
            _("Opened the campaign “{title}”.").format(title=campaign.title), 6000
        )

    def confirm_personal(self, verb: str) -> bool:
        """Before a letter leaves: first check that it can be made at all (an empty
        letter, a value missing — each problem named once), then warn about ended terms,
        then let the coach warn about a letter with nothing personal."""
        from composer.core.merge import MailMerge
        from composer.core.render import RenderError
        from composer.gui.term_check import confirm_terms

        letter = self.current_letter()
        try:
            merge = MailMerge(
                letter, letter.recipients, self.output.renderer(), self.campaign.template
            )
            merge.check()
        except RenderError as error:
            QMessageBox.warning(self, _("The letter is not ready"), str(error))
            return False
        recipients = self.recipient_bar.recipients()
        find = self.addressing.find_officials
        if not confirm_terms(self, self.locations, recipients, verb, find):
            return False
        return self.coach_panel.confirm_output(verb)

    def _use_suggestion(self, argument_ids: list[str], subject: str) -> None:
        """Take the recipient's suggestion: its paragraphs, in one undo step.

        Paragraphs the user wrote or edited stay (unticking removes only an
        unchanged paragraph); a subject the user typed is kept.
        """
        self.session.use_arguments(argument_ids)
        offered = {self.campaign.default_subject, *(r.subject for r in self.campaign.recipients)}
        if subject and self.recipient_bar.subject.text().strip() in offered | {""}:
            self.recipient_bar.subject.setText(subject)
        self.statusBar().showMessage(_("The letter now holds the suggested paragraphs."), 4000)

    def new_letter(self) -> None:
        """Start a fresh letter from the campaign's suggested arguments."""
        self._load_campaign(self.campaign)
        self.statusBar().showMessage(_("New letter from the campaign's suggested arguments."), 4000)

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

    def _copy_bodies(self, recipients: Sequence[Recipient]) -> dict[str, str]:
        """Each copy's own body, when the letter goes to several offices."""
        from composer.gui.copies import copy_bodies

        return copy_bodies(
            self.editor.text.document(), self.campaign, self.coach_panel.coach, recipients
        )

    def _session_changed(self) -> None:
        self.picker.show_chosen(self.session.chosen)
        self.schedule_preview()

    def _letter_started(self) -> None:
        from PySide6.QtGui import QTextCursor

        self.editor.text.moveCursor(QTextCursor.MoveOperation.Start)  # a new letter: its top

    def _bar_changed(self) -> None:
        self.session.set_recipients(self.recipient_bar.recipients())
        self.session.set_subject(self.recipient_bar.subject.text())

    def _show_word_count(self, words: int) -> None:
        self.word_label.setText(ngettext("{n} word", "{n} words", words).format(n=words))

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
        template, templates = self.campaign.template, dict(self.campaign.templates)
        memo = self._render_memo()
        if not self.output.has_renderer():
            # Opening on the letter it closed with: its pages come from the record of the
            # last render, and the template engine loads with the first change.
            remembered = memo.recall(memo.key(letter, recipient, templates, template), recipient)
            if remembered is not None:
                self.preview.show_letter(
                    remembered, paper(self.paper), self.settings.fold_marks, immediately=True
                )
                return
        renderer = self.output.renderer()

        def render() -> RenderedLetter:  # in the worker, the record's key too
            rendered = renderer.render(letter, recipient, template)
            memo.keep(memo.key(letter, recipient, templates, template), rendered)
            return rendered

        self.preview.show_rendering(
            render, paper(self.paper), self.settings.fold_marks, immediately=True
        )

    def _render_memo(self) -> RenderMemo:
        if self._memo is None:
            from composer.core.render_memo import MEMO_FILE, RenderMemo

            self._memo = RenderMemo(self.locations.cache_dir / MEMO_FILE)
        return self._memo

    def show_copy(self, index: int) -> None:
        """Preview the copy for recipient number `index` (mail merge)."""
        total = len(self.recipient_bar.recipients())
        self._copy_index = max(0, min(index, total - 1))
        self._update_copy_controls()
        self.refresh_preview()

    def _recipients_changed(self) -> None:
        if self._copy_index >= len(self.recipient_bar.recipients()):
            self._copy_index = 0
        self._update_copy_controls()

    def _update_copy_controls(self) -> None:
        self.preview_pane.show_copy_controls(self.recipient_bar.recipients(), self._copy_index)

    # --- recipients and e-mail -------------------------------------------------------------

    def sizeHint(self) -> QSize:
        """What the panes would like, never more than the screen's free area."""
        from composer.gui.window_state import available_size, fitting_size

        return fitting_size(super().sizeHint(), available_size(self))

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
        from composer.gui.outbox_status import look_in_outbox
        from composer.gui.term_check import show_directory_notice

        if self._mail is None:  # e-mail (outbox, sending thread, SMTP) starts if letters wait
            look_in_outbox(
                self.locations.database_file, self._outbox_counted, pool=self.pool, owner=self
            )

        # A new Congress: offer an update.
        show_directory_notice(
            self, self.locations, self.pool, find_officials=self.addressing.find_officials
        )

    def mail_center(self) -> MailCenter:
        """The outbox, the sending thread and the account: started on first use, or after
        the first paint when letters wait."""
        if self._mail is None:
            from composer.gui.mail_center import MailCenter

            self._mail = MailCenter(self, self.locations, self.pool, self._outbox_label())
            app = QApplication.instance()
            if app is not None:  # quitting without closing the window stops the thread too
                app.aboutToQuit.connect(self.shutdown_background)
            self._mail.start()
        return self._mail

    def _outbox_counted(self, letters: WaitingLetters | None) -> None:
        if self._mail is not None or not self.isVisible():
            return  # e-mail was started meanwhile, or the window closed
        if letters is None or letters.pending:  # to send or recover (or to report a problem)
            self.mail_center()
        else:
            self._outbox_label().show_counts(0, letters.failed)

    def _outbox_label(self) -> OutboxStatus:
        if self.outbox_status is None:
            from composer.gui.outbox_status import OutboxStatus

            self.outbox_status = OutboxStatus(self)
            self.statusBar().addPermanentWidget(self.outbox_status)
        return self.outbox_status

    def known_secrets(self) -> list[str]:
        """Passwords this window holds in memory (typed for this session), for masking in reports."""
        return [] if self._mail is None else self._mail.passwords.session.kept()

    def set_paper(self, paper: str) -> None:
        """Lay the letter out on "letter" or "a4" paper."""
        from composer.core.settings import effective_paper

        if paper not in PAPERS:
            return
        self.paper = paper
        self.session.set_paper(paper)
        self.menus.paper_actions[paper].setChecked(True)
        index = self.paper_choice.findData(paper)
        if self.paper_choice.currentIndex() != index:
            self.paper_choice.setCurrentIndex(index)
        if self.settings.paper != "auto" or paper != effective_paper(
            self.settings, self.sender_profile.home_country()
        ):
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
        from composer.gui.window_state import save_window

        save_window(self, self.splitter, self.settings)
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
