"""The first-run welcome: three sentences on how it works, and the sender profile to fill in."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QMessageBox, QWidget

from composer.core.fileio import StorageError
from composer.core.locations import Locations
from composer.core.models import Sender
from composer.core.profile import save_sender
from composer.core.settings import Settings, save_settings
from composer.gui.profile_dialog import ProfileDialog

if TYPE_CHECKING:
    from composer.gui.mainwindow import MainWindow

log = logging.getLogger(__name__)

WELCOME_HTML = (
    "<h3>Welcome to Letter Composer</h3>"
    "<p>Tick the arguments you agree with on the left, make the letter your own in the "
    "middle, and see the page exactly as it will print on the right. Then print it and "
    "post it, or send it by e-mail.</p>"
    "<p>First, who is writing? Your name and address go at the top of every letter. "
    "You can change them later under File ▸ Sender Profile.</p>"
)

# Why each field is asked for, read out by screen readers.
FIELD_DESCRIPTIONS = {
    "name": "Printed under the letter as your signature",
    "street": "Your street address; officials answer constituents first",
    "city": "Your city, printed in your address at the top of the letter",
    "state": "Your state; it shows which senators represent you",
    "postal_code": "Your ZIP code; it shows which representative serves you",
    "country": "Leave empty inside the United States",
    "email": "Where replies can reach you; also the sender of e-mailed letters",
    "phone": "Optional; printed with your address",
}


class WelcomeDialog(ProfileDialog):
    """The profile dialog with a short welcome on top and "Start Writing" / "Later" buttons."""

    def __init__(self, sender: Sender, parent: QWidget | None = None) -> None:
        super().__init__(sender, parent)
        self.setWindowTitle("Welcome to Letter Composer")
        self.setAccessibleName("Welcome")
        self.welcome = QLabel(WELCOME_HTML)
        self.welcome.setTextFormat(Qt.TextFormat.RichText)
        self.welcome.setWordWrap(True)
        self.welcome.setAccessibleDescription("Welcome")  # its text is read as its name
        layout = self.layout()
        if layout is not None:
            layout.insertWidget(0, self.welcome)  # type: ignore[attr-defined]
        buttons = self.findChild(QDialogButtonBox)
        if buttons is not None:
            buttons.button(QDialogButtonBox.StandardButton.Save).setText("Start &Writing")
            buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("&Later")
        for field, description in FIELD_DESCRIPTIONS.items():
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
        chosen = dialog.chosen_sender()
        try:
            save_sender(locations.profile_file, chosen)
        except StorageError as error:
            QMessageBox.warning(
                window,
                "The profile was not saved",
                f"{error}\n\nThe profile is used for this session only.",
            )
        window.sender_profile = chosen
        window.profile_banner.setVisible(not chosen.name.strip())
        window.schedule_preview()

    dialog.finished.connect(finished)
    dialog.open()
    return dialog
