"""The first-run welcome: three sentences on how it works, and the sender profile to fill in."""

from __future__ import annotations

import html
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QWidget

from composer.core.fileio import StorageError
from composer.core.locations import Locations
from composer.core.models import Sender
from composer.core.settings import Settings, save_settings
from composer.gui.profile_dialog import ProfileDialog
from composer.i18n import _

if TYPE_CHECKING:
    from composer.gui.mainwindow import MainWindow

log = logging.getLogger(__name__)


def welcome_html() -> str:
    """The welcome's three sentences, as rich text in the interface's language."""
    paragraphs = (
        _(
            "Tick the arguments you agree with on the left, make the letter your own in the "
            "middle, and see the page exactly as it will print on the right. Then print it "
            "and post it, or send it by e-mail."
        ),
        _(
            "First, who is writing? Your name and address go at the top of every letter. "
            "You can change them later under File ▸ Sender Profile."
        ),
    )
    heading = html.escape(_("Welcome to Letter Composer"))
    return f"<h3>{heading}</h3>" + "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)


def field_descriptions() -> dict[str, str]:
    """Why each field is asked for, read out by screen readers."""
    return {
        "name": _("Printed under the letter as your signature"),
        "street": _("Your street address; officials answer constituents first"),
        "city": _("Your city, printed in your address at the top of the letter"),
        "state": _("Your state; it shows which senators represent you"),
        "postal_code": _("Your ZIP code; it shows which representative serves you"),
        "country": _("Leave empty inside the United States"),
        "email": _("Where replies can reach you; also the sender of e-mailed letters"),
        "phone": _("Optional; printed with your address"),
    }


class WelcomeDialog(ProfileDialog):
    """The profile dialog with a short welcome on top and "Start Writing" / "Later" buttons."""

    def __init__(self, sender: Sender, parent: QWidget | None = None) -> None:
        super().__init__(sender, parent)
        self.setWindowTitle(_("Welcome to Letter Composer"))
        self.setAccessibleName(_("Welcome"))
        self.welcome = QLabel(welcome_html())
        self.welcome.setTextFormat(Qt.TextFormat.RichText)
        self.welcome.setWordWrap(True)
        self.welcome.setAccessibleDescription(_("Welcome"))  # its text is read as its name
        layout = self.layout()
        if layout is not None:
            layout.insertWidget(0, self.welcome)  # type: ignore[attr-defined]
        buttons = self.findChild(QDialogButtonBox)
        if buttons is not None:
            buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Start &Writing"))
            buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("&Later"))
        for field, description in field_descriptions().items():
            getattr(self, field).setAccessibleDescription(description)
        self.name.setFocus(Qt.FocusReason.OtherFocusReason)
        self.resize(500, self.sizeHint().height())


def should_welcome(settings: Settings) -> bool:
    """Whether this start is the first (the welcome has not been shown yet)."""
    return settings.show_welcome


def show_welcome(window: MainWindow, locations: Locations, settings: Settings) -> WelcomeDialog:
    """Open the welcome over `window` without blocking it; it is not shown again.

    When the user saves, the profile is written and handed to the window
    (``window.sender_profile``); "Later" leaves the profile as it was.
    """
    dialog = WelcomeDialog(window.sender_profile, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def finished(result: int) -> None:
        settings.show_welcome = False
        try:
            save_settings(locations.settings_file, settings)
        except StorageError as error:
            log.warning("settings not saved after the welcome: %s", error)
        if result != WelcomeDialog.DialogCode.Accepted:
            return
        window.preferences.use_profile(dialog.chosen_sender())

    dialog.finished.connect(finished)
    dialog.open()
    return dialog
