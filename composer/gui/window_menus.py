"""The window's actions and menus, declared together in one place.

Each action calls its slot without arguments: Qt's ``triggered(bool)`` never
lands in a parameter that means something else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QActionGroup, QKeySequence

from composer.i18n import _

if TYPE_CHECKING:
    from composer.gui.mainwindow import MainWindow

PAPERS = ("letter", "a4")


def paper_labels() -> dict[str, str]:
    """The paper sizes offered, by key, named in the interface's language."""
    return {"letter": _("US Letter (#10 envelope)"), "a4": _("A4 (DL envelope)")}


class WindowMenus:
    """The main window's actions (``new_action``, ``export_action``…) and menus
    (``file_menu``, ``edit_menu``…).

    Args:
        window: the main window the actions belong to and act on.

    The frame's actions are made before the panes exist; their shortcuts are
    set by :meth:`set_shortcuts` once the window is complete (the first
    shortcut loads every key name Qt has).
    """

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self._shortcuts: list[tuple[QAction, QKeySequence]] = []
        self._build_actions()
        self._build_menus()

    def set_shortcuts(self) -> None:
        """Give the frame's actions the shortcuts they were declared with."""
        for action, shortcut in self._shortcuts:
            action.setShortcut(shortcut)
        self._shortcuts.clear()

    def action(
        self,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        tip: str = "",
    ) -> QAction:
        """An action of the window; `slot` is called without arguments (never with
        triggered's `checked`, which a slot with an optional parameter would take)."""
        action = QAction(text, self.window)
        if shortcut is not None:
            if self.window.is_complete:
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
        self.new_action = self.action(
            _("&New Letter"),
            self.window.new_letter,
            key.New,
            _("Start again from the campaign's suggested arguments"),
        )
        self.export_action = self.action(
            _("&Export PDF…"),
            lambda: self.window.output.export_pdf(),
            "Ctrl+Shift+E",
            _("Save the letter as a PDF, exactly as it prints"),
        )
        self.preview_action = self.action(
            _("Print Previe&w"), lambda: self.window.output.print_preview(), "Ctrl+Shift+P"
        )
        self.print_action = self.action(
            _("&Print…"),
            lambda: self.window.output.print_letter(),
            key.Print,
            _("Print the letter through the system's print dialog"),
        )
        self.envelope_print_action = self.action(
            _("Print En&velope…"),
            lambda: self.window.output.print_envelope(),
            None,
            _("Print an envelope for each recipient, with your return address"),
        )
        self.envelope_export_action = self.action(
            _("Expo&rt Envelope PDF…"),
            lambda: self.window.output.export_envelope_pdf(),
            None,
            _("Save the envelopes (one per recipient) as a PDF"),
        )
        self.history_action = self.action(
            _("Prin&ted Letters…"),
            lambda: self.window.output.show_print_history(),
            None,
            _("The letters you printed, and which of them you have mailed"),
        )
        self.open_campaign_action = self.action(
            _("&Open Campaign…"),
            lambda: self.window.campaign_opener.choose_pack(),
            key.Open,
            _("Open a campaign pack (.zip, or the campaign.toml in its folder)"),
        )
        self.open_campaign_folder_action = self.action(
            _("Open Campaign &Folder…"),
            lambda: self.window.campaign_opener.choose_folder(),
            None,
            _("Open a campaign pack that is a folder"),
        )
        self.profile_action = self.action(
            _("Sender Prof&ile…"),
            lambda: self.window.preferences.edit_profile(),
            None,
            _("Your name and address, printed on every letter"),
        )
        self.send_action = self.action(
            _("Send by E-&mail…"),
            lambda: self.window.addressing.send_by_email(),
            "Ctrl+Return",
            _("Queue the letter in the outbox and send it through your account"),
        )
        self.outbox_action = self.action(
            _("Out&box and Sent"), lambda: self.window.mail_center().show_outbox(), "Ctrl+Shift+U"
        )
        self.account_action = self.action(
            _("E-mail Acco&unt…"), lambda: self.window.mail_center().edit_account()
        )
        self.find_officials_action = self.action(
            _("&Find My Officials…"),
            lambda: self.window.addressing.find_officials(),
            "Ctrl+Shift+F",
            _("Your senators and representative by ZIP code, or anyone by state or name"),
        )
        self.import_directory_action = self.action(
            _("&Import Directory Files…"),
            lambda: self.window.addressing.directory_dialog().panel.import_action.trigger(),
        )
        self.update_directory_action = self.action(
            _("&Update from the Internet"),
            lambda: self.window.addressing.directory_dialog().panel.update_action.trigger(),
        )
        self.contact_form_action = self.action(
            _("Open &Contact Form"),
            lambda: self.window.addressing.open_contact_form(),
            None,
            _("Copy the letter and open the official's web form, for those who take no e-mail"),
        )
        self.quit_action = self.action(_("&Quit"), self.window.close, key.Quit)
        self.search_action = self.action(_("Find Argument"), self.window._focus_search, key.Find)
        self.about_action = self.action(
            _("&About Letter Composer"), lambda: self.window.preferences.about()
        )
        self.settings_action = self.action(
            _("S&ettings…"),
            lambda: self.window.preferences.edit_settings(),
            "Ctrl+,",
            _("Paper, sending, autosave and spelling"),
        )
        self.shortcuts_action = self.action(
            _("&Keyboard Shortcuts"),
            lambda: self.window.preferences.show_shortcuts(),
            "Ctrl+/",
            _("Every shortcut of this window"),
        )
        self.paper_group = QActionGroup(self.window)
        self.paper_actions: dict[str, QAction] = {}
        for paper, label in paper_labels().items():
            action = QAction(label, self.window, checkable=True)
            action.triggered.connect(lambda _=False, p=paper: self.window.set_paper(p))
            self.paper_group.addAction(action)
            self.paper_actions[paper] = action

    def _build_menus(self) -> None:
        bar = self.window.menuBar()
        file_menu = bar.addMenu(_("&File"))
        file_menu.addActions([self.new_action])
        file_menu.addSeparator()
        file_menu.addActions([self.open_campaign_action, self.open_campaign_folder_action])
        self.campaign_menu = file_menu.addMenu(_("Switch &Campaign"))
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
        edit_menu = bar.addMenu(_("&Edit"))
        edit_menu.addAction(self.search_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.settings_action)
        self.edit_menu = edit_menu
        self.format_menu = bar.addMenu(_("F&ormat"))
        directory_menu = bar.addMenu(_("&Directory"))
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
        view_menu = bar.addMenu(_("&View"))
        view_menu.addActions(list(self.paper_actions.values()))
        self.view_menu = view_menu
        help_menu = bar.addMenu(_("&Help"))
        help_menu.addAction(self.shortcuts_action)
        help_menu.addAction(self.about_action)
        self.help_menu = help_menu

    def _list_campaigns(self) -> None:
        if self.window.is_complete:
            self.window.campaign_opener.refresh_list()

    def add_editing_actions(self) -> None:
        """Undo, clipboard and formatting in the Edit and Format menus (they act on the editor)."""
        from PySide6.QtCore import Qt

        first = self.edit_menu.actions()[0]  # Find Argument, built with the frame
        self.edit_menu.insertActions(
            first, [self.window.editor.undo_action, self.window.editor.redo_action]
        )
        self.edit_menu.insertSeparator(first)
        for text, slot, shortcut in (
            (_("Cu&t"), self.window.editor.text.cut, QKeySequence.StandardKey.Cut),
            (_("&Copy"), self.window.editor.text.copy, QKeySequence.StandardKey.Copy),
            (_("&Paste"), self.window.editor.text.paste, QKeySequence.StandardKey.Paste),
            (
                _("Select &All"),
                self.window.editor.text.selectAll,
                QKeySequence.StandardKey.SelectAll,
            ),
        ):
            action = self.action(text, slot, shortcut)
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            self.edit_menu.insertAction(first, action)
        self.edit_menu.insertAction(first, self.window.spelling.next_action)
        self.edit_menu.insertSeparator(first)
        self.format_menu.addActions(self.window.editor.format_actions())

    def fill_campaign_menu(self, found: list[tuple[str, str]]) -> None:
        self.campaign_menu.clear()
        for campaign_id, title in found:
            action = self.campaign_menu.addAction(title)
            action.setCheckable(True)
            action.setChecked(campaign_id == self.window.campaign.id)
            action.triggered.connect(
                lambda _=False, key=campaign_id: self.window.campaign_opener.open_known(key)
            )
