"""Alt-letters: no two items of one menu, nor two controls of one dialog, share one.

The menus are walked in the real window (submenus opened as a user would, to
fill them); the dialogs are opened through the window's own actions, and each
one is read while it is up: its buttons, the labels that lead to a field, its
group boxes and its tabs, page by page. The window's own controls are read with
the menu bar's letters, also in the states that show more of them. All of it in
English, Russian and Ukrainian (the window made after the language is chosen, with
Qt's own buttons in that language too).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from email.message import EmailMessage

import pytest
from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QGroupBox,
    QLabel,
    QMenu,
    QMessageBox,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from composer.core.locations import Locations
from composer.core.models import Sender
from composer.gui.crash import CrashDialog
from composer.gui.mail_center import SendDialog
from composer.gui.mainwindow import MainWindow
from composer.gui.merge_export import MergeExportDialog
from composer.gui.outbox_view import MessageViewer
from composer.gui.welcome import WelcomeDialog
from tests.helpers.languages import use_language


def mnemonic(text: str) -> str | None:
    """The Alt-letter of a Qt text (``&File`` gives ``f``; ``&&`` is a plain ampersand)."""
    i = 0
    while i < len(text) - 1:
        if text[i] == "&":
            if text[i + 1] == "&":
                i += 2
                continue
            return text[i + 1].lower()
        i += 1
    return None


def clashes(texts: Iterable[str]) -> dict[str, list[str]]:
    """The Alt-letters that more than one of `texts` uses, with those texts."""
    users: dict[str, list[str]] = defaultdict(list)
    for text in texts:
        letter = mnemonic(text)
        if letter is not None:
            users[letter].append(text)
    return {letter: names for letter, names in users.items() if len(names) > 1}


def test_mnemonic_reading() -> None:
    assert mnemonic("&File") == "f" and mnemonic("S&ettings…") == "e"
    assert mnemonic("Salt && &Pepper") == "p" and mnemonic("Find") is None
    assert clashes(["&Open", "Save &As", "&Outbox"]) == {"o": ["&Open", "&Outbox"]}


def menus_of(menu: QMenu, path: str) -> Iterator[tuple[str, QMenu]]:
    """`menu` and its submenus, each filled first (aboutToShow) as a user would see it."""
    menu.aboutToShow.emit()
    yield path, menu
    for action in menu.actions():
        submenu = action.menu()
        if isinstance(submenu, QMenu):
            yield from menus_of(submenu, f"{path} ▸ {action.text().replace('&', '')}")


def menu_clashes(window: MainWindow) -> tuple[int, dict[str, dict[str, list[str]]]]:
    """How many menus the window has (submenus included), and the Alt-letters used twice
    in the menu bar or in any one menu."""
    tops = [action for action in window.menuBar().actions() if action.isVisible()]
    found = {}
    top_clashes = clashes(action.text() for action in tops)
    if top_clashes:
        found["menu bar"] = top_clashes
    walked = 0
    for top in tops:
        menu = top.menu()
        assert isinstance(menu, QMenu)
        for path, each in menus_of(menu, top.text().replace("&", "")):
            walked += 1
            texts = [a.text() for a in each.actions() if not a.isSeparator() and a.isVisible()]
            menu_clashes = clashes(texts)
            if menu_clashes:
                found[path] = menu_clashes
    return walked, found


def test_every_menu_of_the_window_has_unique_alt_letters(main_window: MainWindow) -> None:
    tops = [action for action in main_window.menuBar().actions() if action.isVisible()]
    file_menu = [action for action in tops if mnemonic(action.text()) == "f"]
    assert [action.text().replace("&", "") for action in file_menu] == ["File"]
    walked, found = menu_clashes(main_window)
    assert walked >= 7
    assert not found, f"Alt-letters used twice: {found}"


@pytest.mark.parametrize(
    ("language", "bar"),
    [
        ("ru", ["&Файл", "&Правка", "Фо&рмат", "&Справочник", "&Вид", "Спр&авка"]),
        ("uk", ["&Файл", "&Редагування", "Фор&мат", "Д&овідник", "&Вигляд", "&Довідка"]),
    ],
)
def test_the_menus_have_unique_alt_letters_in_russian_and_ukrainian(
    qtbot: QtBot, locations: Locations, language: str, bar: list[str]
) -> None:
    from composer.core.campaigns import default_campaign
    from composer.core.settings import Settings
    from composer.i18n import install

    install(language)
    try:
        window = MainWindow(locations, Settings(paper="letter"), default_campaign())
        qtbot.addWidget(window)
        walked, found = menu_clashes(window)  # submenus are filled while still in `language`
        window.show()
        qtbot.waitExposed(window)
        in_window = window_clashes(window)
    finally:
        install("en")
    assert not in_window, f"Alt-letters used twice in the {language} window: {in_window}"
    assert [action.text() for action in window.menuBar().actions()] == bar
    file_menu = window.menus.file_menu.actions()
    assert file_menu[0].text() in ("&Новое письмо", "&Новий лист")
    assert walked >= 7
    assert not found, f"Alt-letters used twice in {language}: {found}"
    window.close()
    window.pool.waitForDone(5000)


# A menu that opens offscreen cannot raise itself nor grab the keyboard: not ours.
@pytest.mark.qt_log_ignore("This plugin does not support")
def test_alt_f_opens_the_file_menu_and_no_control_of_the_window_takes_a_menu_letter(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    window = main_window
    found = window_clashes(window)
    assert not found, f"Alt-letters used twice in the window: {found}"
    window.editor.text.setFocus()
    qtbot.waitUntil(window.editor.text.hasFocus)
    QTest.keyClick(window.editor.text, Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(window.menus.file_menu.isVisible)
    window.menus.file_menu.close()


def dialog_texts(top: QWidget) -> list[str]:
    """The texts that give `top`'s visible controls an Alt-letter."""
    texts: list[str] = []
    for widget in top.findChildren(QWidget):
        if not widget.isVisibleTo(top):
            continue
        leads = isinstance(widget, QLabel) and widget.buddy() is not None  # a label's letter
        if isinstance(widget, QAbstractButton) or leads:
            texts.append(widget.text())  # type: ignore[union-attr]
        elif isinstance(widget, QGroupBox):
            texts.append(widget.title())
        elif isinstance(widget, QTabWidget):
            texts.extend(widget.tabText(i) for i in range(widget.count()))
    return texts


def window_clashes(window: MainWindow) -> dict[str, dict[str, list[str]]]:
    """The Alt-letters that a control of `window` shares with the menu bar or another
    control, in each state that shows more controls: as it opens, while writing to
    someone else (name, address and greeting fields), and with a recipient's suggestion.
    """
    from composer.gui.recipient_bar import CUSTOM

    bar_texts = [action.text() for action in window.menuBar().actions() if action.isVisible()]
    found: dict[str, dict[str, list[str]]] = {}

    def look(state: str) -> None:
        twice = clashes([*bar_texts, *dialog_texts(window)])
        if twice:
            found[state] = twice

    look("as it opens")
    recipients = window.recipient_bar
    recipients.choice.setCurrentIndex(recipients.choice.findData(CUSTOM))
    assert recipients.custom_address.isVisibleTo(window)
    look("writing to someone else")
    recipients.choice.setCurrentIndex(0)
    recipients.choice.activated.emit(0)  # as when the user picks the campaign's first official
    assert recipients.use_suggestion.isVisibleTo(window)
    look("with a suggestion")
    recipients.hide_suggestion()
    return found


def dialog_clashes(top: QWidget) -> dict[str, list[str]]:
    """Clashes of `top` as it is, then on each page of each of its tabs."""
    found = clashes(dialog_texts(top))
    for tabs in top.findChildren(QTabWidget):
        if not tabs.isVisibleTo(top):
            continue
        shown = tabs.currentIndex()
        for index in range(tabs.count()):
            tabs.setCurrentIndex(index)
            found.update(clashes(dialog_texts(top)))
        tabs.setCurrentIndex(shown)
    return found


def go_on_texts() -> set[str]:
    """The buttons that go on past a question ("Print anyway"…), in the current language."""
    from composer.i18n import _

    english = ("Print anyway", "Export anyway", "Send anyway", "Preview anyway", "Go on anyway")
    return {_(text) for text in english}


class DialogAuditor(QObject):
    """Reads each of the program's modal dialogs as soon as it is up, then rejects it."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: dict[str, dict[str, list[str]]] = {}
        self.go_on = go_on_texts()
        self.timer = QTimer(self)
        self.timer.setInterval(20)
        self.timer.timeout.connect(self._audit)
        self.timer.start()

    def audit(self, widget: QWidget) -> None:
        name = widget.windowTitle() or type(widget).__name__
        self.seen[name] = dialog_clashes(widget)

    def _audit(self) -> None:
        widget = QApplication.activeModalWidget()
        if widget is None or not widget.isVisible():
            return
        if type(widget).__module__.startswith("composer"):
            self.audit(widget)
        if isinstance(widget, QMessageBox):
            go_on = [b for b in widget.buttons() if b.text() in self.go_on]
            if go_on:
                go_on[0].click()
                return
        if isinstance(widget, QDialog):
            widget.reject()
        else:
            widget.close()


# The window's actions that open a dialog, by their texts (msgids, with their "&").
DIALOG_ACTIONS = (
    "S&ettings…",
    "Sender Prof&ile…",
    "E-mail Acco&unt…",
    "&Keyboard Shortcuts",
    "Prin&ted Letters…",
    "Out&box and Sent",
    "&Find My Officials…",
    "&Drafts…",
)


def audit_every_dialog(qtbot: QtBot, window: MainWindow) -> dict[str, dict[str, list[str]]]:
    """Open every dialog of `window` in the current language, each as a user would;
    the Alt-letters used twice, by dialog (the dialogs without a clash as well)."""
    from composer.i18n import _

    actions = {
        action.text(): action
        for action in window.findChildren(QAction)
        if action.text() and action.isEnabled()
    }
    auditor = DialogAuditor()
    try:
        for text in DIALOG_ACTIONS:
            actions[_(text)].trigger()
            qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None)
            for widget in QApplication.topLevelWidgets():  # the windows that are not modal
                if widget is not window and widget.isVisible():
                    auditor.audit(widget)
                    widget.close()
        message = EmailMessage()
        message["To"] = "office@example.org"
        message["Subject"] = "Bus service"
        message.set_content("Please keep the 44 running.")
        raw = message.as_bytes()
        centre = window.mail_center()
        # The dialogs that are not a menu's: correcting a refused letter, sending one
        # again, reading a sent one, the crash report, the first-start welcome, a PDF for
        # several officials, sending.
        others: list[QDialog] = [
            centre.edit_dialog(raw, _("Correct the letter"), _("&Send Again"), copy_to_sender=True),
            centre.edit_dialog(raw, _("Send the letter again"), _("&Send"), copy_to_sender=False),
            MessageViewer(raw, window),
            CrashDialog(_("Something went wrong."), "Traceback: none", window),
            WelcomeDialog(Sender(), window),
            MergeExportDialog(3, duplex=False, parent=window),
        ]
        letters = window.output.rendered_letters()
        assert letters
        others.append(SendDialog(letters, window))
        for dialog in others:
            qtbot.addWidget(dialog)
            dialog.show()
            auditor.audit(dialog)
            dialog.reject()
    finally:
        auditor.timer.stop()
    assert len(auditor.seen) >= len(DIALOG_ACTIONS) + 7, sorted(auditor.seen)
    return auditor.seen


@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_every_dialog_has_unique_alt_letters(qtbot: QtBot, main_window: MainWindow) -> None:
    seen = audit_every_dialog(qtbot, main_window)
    found = {name: found for name, found in seen.items() if found}
    assert not found, f"Alt-letters used twice: {found}"


@pytest.mark.qt_log_ignore("This plugin does not support raise")
@pytest.mark.parametrize("language", ["ru", "uk"])
def test_every_dialog_has_unique_alt_letters_in_russian_and_ukrainian(
    qtbot: QtBot, qapp: QApplication, locations: Locations, sender: Sender, language: str
) -> None:
    from composer.core.campaigns import default_campaign
    from composer.core.profile import save_sender
    from composer.core.settings import Settings
    from composer.i18n import _

    save_sender(locations.profile_file, sender)
    use_language(language)  # Qt's own buttons too, as the program loads them
    try:
        window = MainWindow(locations, Settings(paper="letter"), default_campaign())
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        settings_title = _("Settings")
        seen = audit_every_dialog(qtbot, window)  # each dialog is made in `language`
    finally:
        use_language("en")
    window.close()
    window.pool.waitForDone(5000)
    assert settings_title != "Settings" and settings_title in seen, sorted(seen)
    found = {name: found for name, found in seen.items() if found}
    assert not found, f"Alt-letters used twice in the {language} dialogs: {found}"
