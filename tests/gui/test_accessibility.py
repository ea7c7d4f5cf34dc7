"""Screen-reader use: every control the keyboard can reach has a name (and, where useful, a description)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from composer.core.models import Sender
from composer.core.settings import Settings
from composer.gui.profile_dialog import ProfileDialog
from composer.gui.settings_dialog import SettingsDialog
from composer.gui.shortcuts_dialog import ShortcutsDialog
from composer.gui.welcome import WelcomeDialog

# Controls that hold text or choices: a name alone does not say what goes in them.
INPUTS = (QLineEdit, QTextEdit, QPlainTextEdit, QComboBox, QAbstractSpinBox, QAbstractItemView)
# A picture of the pages; each page inside is named "Page n of m".
NO_DESCRIPTION_NEEDED: set[str] = set()


def _is_part_of_composite(widget: QWidget, top: QWidget) -> bool:
    """The line edit inside a spin box or the list inside a combo box's popup."""
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        if isinstance(parent, QAbstractSpinBox | QComboBox):
            return True
        parent = parent.parentWidget()
    return False


def _controls(top: QWidget) -> list[QWidget]:
    return [
        w
        for w in top.findChildren(QWidget)
        if w.focusPolicy() != Qt.FocusPolicy.NoFocus and not _is_part_of_composite(w, top)
    ]


def _problems(top: QWidget, need_descriptions: bool = True) -> list[str]:
    problems = []
    for widget in _controls(top):
        kind = type(widget).__name__
        interface = QAccessible.queryAccessibleInterface(widget)
        assert interface is not None and interface.isValid(), kind
        spoken = interface.text(QAccessible.Text.Name)
        if isinstance(widget, QAbstractButton):
            if not spoken.strip():
                problems.append(f"{kind} with no text or accessible name")
            continue
        name = widget.accessibleName()
        if not name.strip():
            problems.append(f"{kind} (reads as {spoken!r}) has no accessibleName")
            continue
        if (
            need_descriptions
            and isinstance(widget, INPUTS)
            and name not in NO_DESCRIPTION_NEEDED
            and not widget.accessibleDescription().strip()
        ):
            problems.append(f"{kind} {name!r} has no accessibleDescription")
    return problems


def test_main_window_controls_have_names_and_descriptions(main_window) -> None:
    assert len(_controls(main_window)) >= 8  # the check really looked at something
    assert _problems(main_window) == []


def test_custom_recipient_fields_are_named_too(main_window, qtbot) -> None:
    bar = main_window.recipient_bar
    bar.choice.setCurrentIndex(bar.choice.findData("custom"))
    qtbot.waitUntil(bar.custom_name.isVisible)
    assert _problems(main_window) == []


def test_status_bar_indicators_are_named(main_window) -> None:
    main_window.spelling.start()
    assert main_window.spelling.indicator.accessibleName() == main_window.spelling.indicator.text()
    assert main_window.spelling.indicator.accessibleDescription() == main_window.spelling.status
    assert main_window.word_label.accessibleName()


@pytest.mark.parametrize("which", ["settings", "shortcuts", "welcome"])
def test_dialogs_have_names_and_descriptions(main_window, qtbot, which: str) -> None:
    dialogs = {
        "settings": lambda: SettingsDialog(Settings(), ["en_US"], main_window),
        "shortcuts": lambda: ShortcutsDialog(main_window),
        "welcome": lambda: WelcomeDialog(Sender(), main_window),
    }
    dialog = dialogs[which]()
    qtbot.addWidget(dialog)
    assert dialog.accessibleName()
    assert len(_controls(dialog)) >= 2
    assert _problems(dialog) == []


def test_profile_dialog_fields_are_named(main_window, qtbot) -> None:
    dialog = ProfileDialog(Sender(), main_window)
    qtbot.addWidget(dialog)
    assert _problems(dialog, need_descriptions=False) == []


def test_an_unnamed_control_is_reported(qtbot) -> None:
    # The check itself must be able to fail.
    top = QWidget()
    qtbot.addWidget(top)
    QLineEdit(top)
    named = QLineEdit(top)
    named.setAccessibleName("Named")
    assert _problems(top) == [
        "QLineEdit (reads as '') has no accessibleName",
        "QLineEdit 'Named' has no accessibleDescription",
    ]
