"""First-run welcome, the settings dialog, Help ▸ Keyboard Shortcuts and the window icon."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMenu

from composer.core.locations import Locations
from composer.core.models import Sender
from composer.core.profile import load_saved_sender
from composer.core.settings import Settings, load_settings
from composer.gui.settings_dialog import SettingsDialog
from composer.gui.shortcuts_dialog import ShortcutsDialog, collect_shortcuts, plain_text
from composer.gui.welcome import WelcomeDialog, show_welcome


def _button(dialog, text: str):
    box = dialog.findChild(QDialogButtonBox)
    return next(b for b in box.buttons() if b.text().replace("&", "") == text)


# --- welcome ------------------------------------------------------------------------------


def test_welcome_saves_the_profile_and_is_not_shown_again(
    main_window, locations: Locations, qtbot
) -> None:
    locations.profile_file.unlink()
    main_window.sender_profile = Sender()
    main_window.profile_banner.setVisible(True)
    settings = main_window.settings
    dialog = show_welcome(main_window, locations, settings)  # returns at once: not modal-blocking
    qtbot.waitExposed(dialog)
    assert dialog.isVisible() and "Welcome" in dialog.welcome.text()
    assert _button(dialog, "Start Writing") and _button(dialog, "Later")
    assert dialog.focusWidget() is dialog.name  # typing starts with the name

    QTest.keyClicks(dialog.name, "Ana Ruiz")
    QTest.keyClicks(dialog.postal_code, "98105")
    with qtbot.waitSignal(dialog.finished):
        QTest.mouseClick(_button(dialog, "Start Writing"), Qt.MouseButton.LeftButton)

    saved = load_saved_sender(locations.profile_file)
    assert saved is not None and saved.name == "Ana Ruiz" and saved.postal_code == "98105"
    assert main_window.sender_profile.name == "Ana Ruiz"
    assert not main_window.profile_banner.isVisible()
    assert settings.show_welcome is False
    assert load_settings(locations.settings_file).show_welcome is False


def test_a_profile_from_abroad_given_in_the_welcome_sets_automatic_paper(
    main_window, locations: Locations, qtbot
) -> None:
    """Automatic paper follows the country typed in the welcome, as in the profile dialog."""
    locations.profile_file.unlink()
    main_window.sender_profile = Sender()
    main_window.settings.paper = "auto"
    main_window.set_paper("letter")
    dialog = show_welcome(main_window, locations, main_window.settings)
    qtbot.waitExposed(dialog)
    QTest.keyClicks(dialog.name, "Anna Weber")
    QTest.keyClicks(dialog.street, "Invalidenstraße 10")
    QTest.keyClicks(dialog.city, "Berlin")
    QTest.keyClicks(dialog.postal_code, "10115")
    QTest.keyClicks(dialog.country, "Germany")
    with qtbot.waitSignal(dialog.finished):
        QTest.mouseClick(_button(dialog, "Start Writing"), Qt.MouseButton.LeftButton)
    assert main_window.sender_profile.country == "Germany"
    assert main_window.paper == "a4"


def test_later_keeps_the_profile_and_still_stops_the_welcome(
    main_window, locations: Locations, sender: Sender, qtbot
) -> None:
    dialog = show_welcome(main_window, locations, main_window.settings)
    qtbot.waitExposed(dialog)
    assert dialog.name.text() == sender.name  # a saved profile is offered for editing
    dialog.name.setText("Somebody Else")
    with qtbot.waitSignal(dialog.finished):
        QTest.keyClick(dialog, Qt.Key.Key_Escape)
    assert load_saved_sender(locations.profile_file) == sender
    assert main_window.sender_profile == sender
    assert load_settings(locations.settings_file).show_welcome is False


def _run_app_and_close_dialogs(locations: Locations) -> list[str]:
    """Run the real start-up path; note and close any welcome it opens, then quit."""
    from composer.gui.app import run_app
    from composer.gui.mainwindow import MainWindow

    app = QApplication.instance()
    seen: list[str] = []

    def look() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        if not any(w.isVisible() and w.is_complete for w in windows):
            QTimer.singleShot(10, look)  # the panes come right after the frame's first paint
            return
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, WelcomeDialog) and widget.isVisible():
                seen.append(widget.windowTitle())
                widget.reject()
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow) and widget.isVisible():
                widget.pool.waitForDone(5000)
                widget.close()
        QApplication.quit()

    # One quit only: a second one (from the last window closing) would stay queued and
    # end the event loops of later tests at once.
    app.setQuitOnLastWindowClosed(False)
    QTimer.singleShot(0, look)
    try:
        assert run_app(locations=locations) == 0
    finally:
        app.setQuitOnLastWindowClosed(True)
    return seen


def test_first_start_welcomes_and_second_does_not(locations: Locations, qtbot) -> None:
    assert _run_app_and_close_dialogs(locations) == ["Welcome to Letter Composer"]
    assert load_settings(locations.settings_file).show_welcome is False
    assert _run_app_and_close_dialogs(locations) == []


# --- settings -----------------------------------------------------------------------------


def test_settings_dialog_shows_and_returns_every_setting(qtbot) -> None:
    original = Settings(
        paper="a4",
        fold_marks=False,
        default_channel="email",
        autosave_seconds=45,
        spell_language="en_US",
        show_welcome=False,
        campaign="some-campaign",
    )
    dialog = SettingsDialog(original, ["en_US"])
    qtbot.addWidget(dialog)
    assert dialog.paper.currentData() == "a4"
    assert not dialog.fold_marks.isChecked()
    assert dialog.channel.currentData() == "email"
    assert dialog.autosave.value() == 45
    assert dialog.spelling.currentText() == "English (United States) (en_US)"
    assert dialog.settings() == original

    dialog.paper.setCurrentIndex(dialog.paper.findData("auto"))
    dialog.fold_marks.setChecked(True)
    dialog.channel.setCurrentIndex(dialog.channel.findData("print"))
    dialog.autosave.setValue(600)
    dialog.spelling.setCurrentIndex(dialog.spelling.findData(""))
    chosen = dialog.settings()
    assert (chosen.paper, chosen.fold_marks, chosen.default_channel) == ("auto", True, "print")
    assert (chosen.autosave_seconds, chosen.spell_language) == (600, "")
    assert (chosen.show_welcome, chosen.campaign) == (False, "some-campaign")
    assert original.paper == "a4"  # the dialog works on a copy


def test_settings_dialog_keeps_a_language_without_dictionary(qtbot) -> None:
    dialog = SettingsDialog(Settings(spell_language="de_DE"), [])
    qtbot.addWidget(dialog)
    assert dialog.spelling.currentText() == "de_DE (no dictionary installed)"
    assert not dialog.spelling_note.isHidden()
    assert dialog.settings().spell_language == "de_DE"


def test_ctrl_comma_opens_settings_and_ok_applies_them(
    main_window, locations: Locations, qtbot
) -> None:
    main_window.spelling.start()
    assert main_window.spelling.available and main_window.paper == "letter"
    QTest.keyClick(main_window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    dialog = main_window.findChild(SettingsDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    dialog.paper.setCurrentIndex(dialog.paper.findData("a4"))
    dialog.spelling.setCurrentIndex(dialog.spelling.findData(""))
    dialog.autosave.setValue(30)
    dialog.fold_marks.setChecked(False)
    with qtbot.waitSignal(main_window.preview.updated, timeout=10000):
        QTest.mouseClick(_button(dialog, "OK"), Qt.MouseButton.LeftButton)
    assert main_window.paper == "a4"
    assert main_window.paper_choice.currentData() == "a4"
    assert main_window.spelling.indicator.text() == "Spelling: off"
    stored = json.loads(locations.settings_file.read_text(encoding="utf-8"))["settings"]
    assert stored["paper"] == "a4"
    assert stored["spell_language"] == ""
    assert stored["autosave_seconds"] == 30
    assert stored["fold_marks"] is False


def test_cancel_changes_nothing(main_window, locations: Locations, qtbot) -> None:
    main_window.preferences.edit_settings()
    dialog = main_window.findChild(SettingsDialog)
    dialog.paper.setCurrentIndex(dialog.paper.findData("a4"))
    with qtbot.waitSignal(dialog.finished):
        QTest.keyClick(dialog, Qt.Key.Key_Escape)
    assert main_window.paper == "letter"
    assert main_window.settings.paper == "letter"
    assert not locations.settings_file.exists()


# --- keyboard shortcuts -------------------------------------------------------------------


def _menu_actions_with_shortcuts(window) -> dict[str, str]:
    found = {}
    stack = [a.menu() for a in window.menuBar().actions() if isinstance(a.menu(), QMenu)]
    while stack:
        menu = stack.pop()
        for action in menu.actions():
            if isinstance(action.menu(), QMenu):
                stack.append(action.menu())
            elif not action.shortcut().isEmpty():
                found[plain_text(action.text())] = action.shortcut().toString(
                    QKeySequence.SequenceFormat.NativeText
                )
    return found


def test_shortcuts_dialog_lists_every_menu_shortcut(main_window, qtbot) -> None:
    QTest.keyClick(main_window, Qt.Key.Key_Slash, Qt.KeyboardModifier.ControlModifier)
    dialog = main_window.findChild(ShortcutsDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    rows = dict(dialog.visible_rows())
    expected = _menu_actions_with_shortcuts(main_window)
    assert len(expected) >= 15
    for name, keys in expected.items():
        assert rows.get(name, "").startswith(keys), name
    assert rows["Export PDF…"] == "Ctrl+Shift+E"
    assert rows["Settings…"] == "Ctrl+,"
    assert rows["Keyboard Shortcuts"] == "Ctrl+/"
    assert rows["Move the chosen argument up"] == "Alt+Up"

    QTest.keyClicks(dialog.filter, "pdf")
    assert dialog.visible_rows() == [("Export PDF…", "Ctrl+Shift+E")]


def test_a_new_action_appears_without_editing_the_dialog(main_window) -> None:
    extra = QAction("&Frobnicate", main_window)
    extra.setShortcut(QKeySequence("Ctrl+Alt+F"))
    main_window.menus.help_menu.addAction(extra)
    assert ("Frobnicate", "Ctrl+Alt+F") in [
        (s.name, s.keys) for s in collect_shortcuts(main_window)
    ]


def test_help_menu_has_shortcuts_and_about(main_window) -> None:
    texts = [plain_text(a.text()) for a in main_window.menus.help_menu.actions()]
    assert "Keyboard Shortcuts" in texts and "About Letter Composer" in texts


# --- icon ---------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [16, 32, 48, 256])
def test_the_window_icon_comes_from_the_resources(size: int, qtbot) -> None:
    from composer.gui.app import create_application
    from composer.gui.theme import app_icon

    icon = app_icon()
    assert not icon.isNull()
    assert size in [s.width() for s in icon.availableSizes()]
    image = icon.pixmap(size, size).toImage()
    assert image.width() == size
    assert image.pixelColor(size // 2, size - size // 5).alpha() == 255  # the envelope
    assert not create_application().windowIcon().isNull()


def test_the_interface_language_is_chosen_in_settings_and_saved(
    main_window, locations: Locations, qtbot
) -> None:
    main_window.preferences.edit_settings()
    dialog = main_window.findChild(SettingsDialog)
    qtbot.waitExposed(dialog)
    names = [dialog.language.itemText(i) for i in range(dialog.language.count())]
    assert names == ["System default", "English", "Русский", "Українська"]
    assert dialog.language.currentData() == "auto"
    assert "next time the program starts" in dialog.language_note.text()
    dialog.language.setFocus()
    QTest.keyClick(dialog.language, Qt.Key.Key_End)  # the last one: Українська
    assert dialog.language.currentText() == "Українська"
    with qtbot.waitSignal(dialog.finished):
        QTest.mouseClick(_button(dialog, "OK"), Qt.MouseButton.LeftButton)
    stored = json.loads(locations.settings_file.read_text(encoding="utf-8"))["settings"]
    assert stored["language"] == "uk"
    assert load_settings(locations.settings_file).language == "uk"
    assert main_window.settings.language == "uk"

    # Shown again as saved; "System default" goes back to following the system.
    main_window.preferences.edit_settings()
    dialog = main_window.findChild(SettingsDialog)
    qtbot.waitExposed(dialog)
    assert dialog.language.currentText() == "Українська"
    dialog.language.setCurrentIndex(dialog.language.findText("System default"))
    with qtbot.waitSignal(dialog.finished):
        QTest.mouseClick(_button(dialog, "OK"), Qt.MouseButton.LeftButton)
    assert load_settings(locations.settings_file).language == "auto"
