"""Who the letter goes to: Find My Officials, the contact forms, and sending by e-mail."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox

from composer.i18n import _, ngettext

if TYPE_CHECKING:
    from PySide6.QtCore import QUrl

    from composer.core.models import Recipient
    from composer.gui.mainwindow import MainWindow
    from composer.gui.recipients_dialog import RecipientsDialog


class Addressing(QObject):
    """The window's Directory menu and Send by E-mail: choosing officials for the
    letter, opening their web forms, and queueing the e-mails.

    Args:
        window: the main window (its session is the letter).
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._directory_dialog: RecipientsDialog | None = None

    def send_by_email(self) -> None:
        """Queue the letter (one e-mail per recipient) and send it through the user's account."""
        if not self.window.confirm_personal("Send"):
            return
        letters = self.window.output.rendered_letters(template=self.window.campaign.email_template)
        if letters:
            self.window.mail_center().send_letters(letters, self.window.campaign.id)

    def directory_dialog(self) -> RecipientsDialog:
        """The Find My Officials dialog (made on first use)."""
        if self._directory_dialog is None:
            from composer.core.directory import Directory
            from composer.gui.recipients_dialog import RecipientsDialog

            self._directory_dialog = RecipientsDialog(
                Directory.for_locations(self.window.locations),
                self.window.pool,
                near_zip=self.window.sender_profile.postal_code,
                parent=self.window,
            )
            self._directory_dialog.recipients_chosen.connect(self._officials_chosen)
        return self._directory_dialog

    def find_officials(self) -> None:
        """Look up officials by ZIP code, state or name; the chosen ones get the letter."""
        dialog = self.directory_dialog()
        dialog.show()
        dialog.raise_()

    def open_contact_form(self, open_url: Callable[[QUrl], bool] | None = None) -> bool:
        """Copy the letter (as an e-mail's text) and open the shown copy's web contact form."""
        from composer.core.render import RenderError
        from composer.gui.recipients_panel import open_contact_form

        recipients = self.window.recipient_bar.recipients()
        recipient = recipients[min(self.window._copy_index, len(recipients) - 1)]
        if not recipient.contact_form:
            QMessageBox.information(
                self.window,
                _("No contact form"),
                _(
                    "No web contact form is known for {name}. Find the official with "
                    "Directory ▸ Find My Officials, or print the letter."
                ).format(name=recipient.short_name),
            )
            return False
        try:
            rendered = self.window.output.renderer().render(
                self.window.current_letter(), recipient, self.window.campaign.email_template
            )
        except RenderError as error:
            QMessageBox.warning(self.window, _("The letter is not ready"), str(error))
            return False
        opened = (
            open_contact_form(recipient.contact_form, rendered.text)
            if open_url is None
            else open_contact_form(recipient.contact_form, rendered.text, open_url)
        )
        self.window.statusBar().showMessage(
            _("The letter is on the clipboard: paste it into the form of {name}.").format(
                name=recipient.short_name
            )
            if opened
            else _("The browser could not be opened; the form is at {address}").format(
                address=recipient.contact_form
            ),
            12000,
        )
        return opened

    def _officials_chosen(self, recipients: list[Recipient]) -> None:
        self.use_recipients(recipients)
        self.window.recipient_bar.offer_suggestion()

    def use_recipients(self, recipients: list[Recipient]) -> None:
        """Address the letter to these officials: one copy each when there are several."""
        offered = self.window.recipient_bar.offered()
        select = "merge" if len(recipients) > 1 else (recipients[0].id if recipients else None)
        self.window.recipient_bar.set_recipients(offered, merge=recipients, select=select)
        self.window._copy_index = 0
        self.window._update_copy_controls()
        names = ", ".join(r.short_name for r in recipients[:3])
        if len(recipients) > 3:
            more = len(recipients) - 3
            message = ngettext(
                "The letter goes to {names} and {n} more.",
                "The letter goes to {names} and {n} more.",
                more,
            ).format(names=names, n=more)
        else:
            message = _("The letter goes to {names}.").format(names=names)
        self.window.statusBar().showMessage(message, 6000)
