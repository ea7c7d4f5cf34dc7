"""E-mail from the window: the send dialog, the outbox, the account, and what the user is told.

The window owns one :class:`MailCenter`; it holds the outbox and the send
controller (which sends in its own thread), offers the window its actions and
a status-bar label, and turns the controller's reports into messages a person
can act on.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QThreadPool, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from composer.core.accounts import Account, AccountError, account_file, load_account
from composer.core.credentials import KeyringCredentials, PasswordSource, SessionPasswords
from composer.core.locations import Locations
from composer.core.mail import (
    MailAddress,
    MailError,
    OutgoingMessage,
    build_letter_messages,
    copies_sender,
    edited_message,
    parse_address_field,
    read_message,
)
from composer.core.outbox import Outbox
from composer.core.rendered import RenderedLetter
from composer.i18n import _, ngettext

if TYPE_CHECKING:
    from composer.gui.mainwindow import MainWindow
    from composer.gui.outbox_status import OutboxStatus
    from composer.gui.outbox_view import OutboxView

log = logging.getLogger(__name__)


class SendDialog(QDialog):
    """Who each copy goes to by e-mail, an optional Cc, and a copy to the sender.

    Args:
        letters: the rendered copies (one per recipient).
        parent: the window.
    """

    def __init__(self, letters: Sequence[RenderedLetter], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Send by E-mail"))
        self.letters = list(letters)
        self.to_fields: list[QLineEdit] = []
        form = QFormLayout()
        for letter in self.letters:
            field = QLineEdit(letter.recipient.email)
            name = letter.recipient.short_name
            field.setPlaceholderText(_("name@example.org"))
            field.setAccessibleName(_("E-mail address of {name}").format(name=name))
            form.addRow(_("To {name}:").format(name=name), field)
            self.to_fields.append(field)
        self.cc = QLineEdit()
        self.cc.setAccessibleName(_("Copy to (Cc)"))
        self.cc.setPlaceholderText(_("optional; separate several with commas"))
        form.addRow(_("&Cc:"), self.cc)
        self.copy_to_me = QCheckBox(_("Send me a copy"))
        self.copy_to_me.setChecked(True)
        form.addRow("", self.copy_to_me)
        note = QLabel(
            _(
                "Many officials take messages only through the contact form on their "
                "website; where no address is known, print the letter or use the form."
            )
        )
        note.setWordWrap(True)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Cancel | QDialogButtonBox.StandardButton.Ok
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("&Send"))
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.addresses: list[list[MailAddress]] = []
        self.cc_addresses: list[MailAddress] = []

    def _check(self) -> None:
        try:
            addresses = [
                parse_address_field(
                    field.text(),
                    _("To {name}").format(name=letter.recipient.short_name),
                    display_name=letter.recipient.name or letter.recipient.short_name,
                    missing=_(
                        "give an e-mail address for {name}, or print the letter or use the "
                        "official's contact form instead."
                    ).format(name=letter.recipient.short_name),
                )
                for letter, field in zip(self.letters, self.to_fields, strict=True)
            ]
            self.cc_addresses = parse_address_field(self.cc.text(), _("Cc"))
        except MailError as error:
            self.error.setText(str(error))
            self.error.show()
            return
        self.addresses = addresses
        self.accept()


class MessageEditDialog(QDialog):
    """Correct a stored letter before it is sent again: recipients, copies, subject, text.

    Args:
        raw: the stored message.
        title: the window title.
        action: the text of the button that sends it.
        copy_to_sender: whether the sender gets a copy, as before.
        note: what happened to the letter so far (the server's refusal…), shown on top.
        parent: the parent widget.

    Attributes:
        message: the corrected message, once the dialog was accepted.
    """

    def __init__(
        self,
        raw: bytes,
        *,
        title: str,
        action: str,
        copy_to_sender: bool,
        note: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._raw = raw
        self._copy_to_sender = copy_to_sender
        content = read_message(raw)
        self.to = QLineEdit(", ".join(content.to))
        self.to.setAccessibleName(_("To"))
        self.cc = QLineEdit(", ".join(content.cc))
        self.cc.setAccessibleName(_("Copy to (Cc)"))
        self.subject = QLineEdit(content.subject)
        self.subject.setAccessibleName(_("Subject"))
        self.text = QPlainTextEdit(content.text)
        self.text.setAccessibleName(_("Text of the letter"))
        form = QFormLayout()
        form.addRow(_("&To:"), self.to)
        form.addRow(_("&Cc:"), self.cc)
        form.addRow(_("S&ubject:"), self.subject)
        form.addRow(_("Te&xt:"), self.text)
        self.note = QLabel(note)
        self.note.setWordWrap(True)
        self.note.setAccessibleName(_("What happened to this letter"))
        self.note.setVisible(bool(note))
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Cancel | QDialogButtonBox.StandardButton.Ok
        )
        self.send_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.send_button.setText(action)
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addLayout(form, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(640, 520)
        self.message: OutgoingMessage | None = None

    def _check(self) -> None:
        try:
            self.message = edited_message(
                self._raw,
                to=self.to.text(),
                cc=self.cc.text(),
                subject=self.subject.text(),
                text=self.text.toPlainText(),
                copy_to_sender=self._copy_to_sender,
            )
        except MailError as error:
            self.error.setText(str(error))
            self.error.show()
            return
        self.accept()


class MailCenter(QObject):
    """The window's e-mail: outbox, sending thread, account and announcements.

    Args:
        window: the main window (dialogs are centred on it, its status bar shows news).
        locations: where the account file and the database are.
        pool: the thread pool for short background jobs.
        status: the status bar's outbox label, which shows the counts.
    """

    def __init__(
        self, window: MainWindow, locations: Locations, pool: QThreadPool, status: OutboxStatus
    ) -> None:
        super().__init__(window)
        self.window = window
        self.locations = locations
        self.pool = pool
        self.passwords = PasswordSource(KeyringCredentials(), SessionPasswords())
        self.outbox = Outbox(locations.database_file)
        from composer.gui.send_worker import SendController

        self.controller = SendController(
            self.outbox, self._load_account, self.passwords, pool=pool, parent=self
        )
        self.status_label = status
        self.outbox_window: OutboxView | None = None
        self.controller.announcement.connect(self._announce)
        self.controller.counts_changed.connect(status.show_counts)
        self.controller.password_needed.connect(self._ask_password)
        self.controller.account_needed.connect(self._account_needed)
        self.controller.interrupted.connect(self._interrupted)
        self.controller.failed.connect(self._failed)

    def start(self) -> None:
        """Recover letters a crash left behind, count the outbox and send what is due."""
        QTimer.singleShot(0, self.controller.start)

    def shutdown(self) -> None:
        """Close the Outbox window, stop the sending thread and close the outbox once no
        job uses it any more."""
        if self.outbox_window is not None:
            self.outbox_window.close()
        self.controller.shutdown()
        # Short outbox jobs (recovery, lists) run on the shared pool: closing the
        # connections under them would pull the database away mid-statement.
        if not self.pool.waitForDone(10_000):
            log.warning("background jobs still running; the outbox stays open")
            return
        self.outbox.close()

    def _load_account(self) -> Account | None:  # runs on worker threads
        try:
            return load_account(account_file(self.locations.config_dir))
        except AccountError:
            return None

    def send_letters(self, letters: Sequence[RenderedLetter], campaign_id: str) -> bool:
        """Ask for the addresses, build the e-mails and queue them; returns whether it did."""
        account = self._load_account()
        if account is None:
            self._account_needed(_("Set up your e-mail account first: its server and address."))
            return False
        dialog = SendDialog(letters, self.window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        try:
            messages = build_letter_messages(
                letters,
                account.sender_address(),
                dialog.addresses,
                dialog.cc_addresses,
                dialog.copy_to_me.isChecked(),
            )
        except (MailError, AccountError) as error:
            QMessageBox.warning(self.window, _("The e-mail was not queued"), str(error))
            return False
        self.controller.queue(messages, campaign_id=campaign_id, source="window")
        count = len(messages)
        self.window.statusBar().showMessage(
            ngettext(
                "{count} e-mail in the outbox; sending…",
                "{count} e-mails in the outbox; sending…",
                count,
            ).format(count=count),
            6000,
        )
        return True

    def show_outbox(self) -> None:
        """Show the outbox and the sent history."""
        from composer.gui.outbox_view import OutboxView

        if self.outbox_window is None:
            self.outbox_window = OutboxView(self.controller)
            self.outbox_window.setWindowTitle(_("Outbox and Sent — Letter Composer"))
            self.outbox_window.quit_requested.connect(self.window.close)
            self.outbox_window.edit_requested.connect(self.edit_waiting)
            self.outbox_window.reopen_requested.connect(self.reopen_sent)
            self.outbox_window.place_over(self.window)
            first = True
        else:
            first = False
        self.controller.refresh()
        self.outbox_window.show()
        if first:
            # Once shown, the window manager's frame is known: all of it goes on screen.
            self.outbox_window.place_over(self.window)
        self.outbox_window.raise_()
        self.outbox_window.activateWindow()

    def edit_waiting(self, entry_id: int) -> None:
        """Open a waiting or refused letter for correction; it then goes out again."""
        from composer.gui.outbox_view import letter_story

        view = self.outbox_window
        entry = view.entry(entry_id) if view is not None else None
        envelope = entry.envelope_to if entry is not None else ()

        def opened(raw: bytes) -> None:
            dialog = self.edit_dialog(
                raw, _("Correct the letter"), _("&Send Again"), copies_sender(raw, envelope)
            )
            if entry is not None:
                dialog.note.setText(letter_story(entry))
                dialog.note.show()
            if dialog.exec() == QDialog.DialogCode.Accepted and dialog.message is not None:
                self.controller.replace(entry_id, dialog.message)

        self.controller.load_raw(opened, entry_id=entry_id)

    def reopen_sent(self, sent_id: int) -> None:
        """Open a copy of a sent letter; once corrected, it is queued as a new letter."""
        view = self.outbox_window
        record = view.sent_entry(sent_id) if view is not None else None
        envelope = record.envelope_to if record is not None else ()
        campaign_id = record.campaign_id if record is not None else ""

        def opened(raw: bytes) -> None:
            dialog = self.edit_dialog(
                raw, _("Send the letter again"), _("&Send"), copies_sender(raw, envelope)
            )
            if dialog.exec() == QDialog.DialogCode.Accepted and dialog.message is not None:
                self.controller.queue([dialog.message], campaign_id=campaign_id, source="sent")

        self.controller.load_raw(opened, sent_id=sent_id)

    def edit_dialog(
        self, raw: bytes, title: str, action: str, copy_to_sender: bool
    ) -> MessageEditDialog:
        """The correction dialog (a method, so tests can fill it in)."""
        parent = self.outbox_window if self.outbox_window is not None else self.window
        return MessageEditDialog(
            raw, title=title, action=action, copy_to_sender=copy_to_sender, parent=parent
        )

    def edit_account(self) -> None:
        """The account dialog; a saved account wakes the sender."""
        from composer.gui.account_dialog import AccountDialog

        sender = self.window.sender_profile
        dialog = AccountDialog(
            account_file(self.locations.config_dir),
            self.passwords,
            pool=self.pool,
            sender_name=sender.name,
            sender_email=sender.email,
            parent=self.window,
        )
        dialog.saved.connect(lambda _account: self.controller.account_changed())
        dialog.exec()

    def _announce(self, text: str, good: bool) -> None:
        self.window.statusBar().showMessage(text, 15000 if good else 0)
        if not good:
            log.info("send report: %s", text)

    def _ask_password(self, key: str, reason: str) -> None:
        from composer.gui.account_dialog import ask_password

        account = self._load_account()
        login = account.login_name if account is not None else key
        password = ask_password(self.window, login, reason)
        if password:
            self.controller.provide_password(key, password)

    def _account_needed(self, reason: str) -> None:
        answer = QMessageBox.question(
            self.window,
            _("E-mail account needed"),
            "{reason}\n\n{question}".format(reason=reason, question=_("Set up the account now?")),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.edit_account()

    def _interrupted(self, count: int) -> None:
        QMessageBox.information(
            self.window,
            _("Sending was interrupted"),
            ngettext(
                "{count} letter was being sent when the program stopped. It is back in the "
                "outbox and will be sent again; if the server had already taken it, the "
                "official may receive it twice.",
                "{count} letters were being sent when the program stopped. They are back in "
                "the outbox and will be sent again; if the server had already taken one, the "
                "official may receive it twice.",
                count,
            ).format(count=count),
        )

    def _failed(self, text: str) -> None:
        # Not modal: a report from the sending thread must never stop the user's work.
        log.warning("e-mail: %s", text)
        self.window.statusBar().showMessage(text, 0)
        box = QMessageBox(QMessageBox.Icon.Warning, _("E-mail"), text, parent=self.window)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
