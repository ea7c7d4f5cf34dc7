"""The sender profile, the settings, the shortcuts list and the About box."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox

from composer import __version__
from composer.i18n import _

if TYPE_CHECKING:
    from composer.core.models import Sender
    from composer.core.settings import Settings
    from composer.gui.mainwindow import MainWindow


class Preferences(QObject):
    """The window's profile, settings and help dialogs.

    Args:
        window: the main window (the settings and the session it changes).
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    def edit_profile(self) -> None:
        """Edit and save the sender profile."""
        from composer.gui.profile_dialog import ProfileDialog

        dialog = ProfileDialog(self.window.sender_profile, self.window)
        if dialog.exec() != ProfileDialog.DialogCode.Accepted:
            return
        self.use_profile(dialog.chosen_sender())

    def use_profile(self, sender: Sender) -> None:
        """Save `sender` as the profile and write with it from now on (from the profile
        dialog and the welcome); a profile that cannot be saved is used for this session."""
        from composer.core.fileio import StorageError
        from composer.core.profile import save_sender

        try:
            save_sender(self.window.locations.profile_file, sender)
        except StorageError as error:
            QMessageBox.warning(
                self.window,
                _("The profile was not saved"),
                _("{error}\n\nThe profile is used for this session only.").format(error=error),
            )
        self.window.sender_profile = sender
        self.window._update_profile_banner()
        self.follow_country()
        self.window.schedule_preview()

    def follow_country(self) -> None:
        """With automatic paper, lay the letter out on the paper of the profile's country."""
        from composer.core.settings import effective_paper

        if self.window.settings.paper == "auto":
            self.window.set_paper(
                effective_paper(self.window.settings, self.window.sender_profile.home_country())
            )

    def edit_settings(self) -> None:
        """Open the settings dialog (without blocking); changes apply when it is accepted."""
        from PySide6.QtCore import Qt

        from composer.gui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(
            self.window.settings,
            parent=self.window,
            country=self.window.sender_profile.home_country(),
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.apply_settings(dialog.settings()))
        dialog.open()

    def apply_settings(self, new: Settings) -> None:
        """Use and save new settings (the same Settings object is updated for everyone)."""
        import dataclasses

        from composer.core.fileio import StorageError
        from composer.core.settings import effective_paper, save_settings

        for spec in dataclasses.fields(new):
            setattr(self.window.settings, spec.name, getattr(new, spec.name))
        self.window.spelling.set_language(self.window.settings.spell_language)
        self.window.set_paper(
            effective_paper(self.window.settings, self.window.sender_profile.home_country())
        )
        self.window.schedule_preview()
        try:
            save_settings(self.window.locations.settings_file, self.window.settings)
        except StorageError as error:
            QMessageBox.warning(
                self.window,
                _("The settings were not saved"),
                _("{error}\n\nThey apply until you quit.").format(error=error),
            )

    def show_shortcuts(self) -> None:
        """Help ▸ Keyboard Shortcuts, listed from the window's own actions."""
        from PySide6.QtCore import Qt

        from composer.gui.shortcuts_dialog import ShortcutsDialog

        dialog = ShortcutsDialog(self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def about(self) -> None:
        """The About box."""
        from composer.core.directory import BUNDLED_CREDIT

        QMessageBox.about(
            self.window,
            _("About Letter Composer"),
            f"<h3>Letter Composer {__version__}</h3><p>"
            + _(
                "Write advocacy letters that officials read: choose arguments, make them "
                "your own, preview the page, then print or e-mail."
            )
            + f"</p><p><small>{BUNDLED_CREDIT}</small></p>",
        )
