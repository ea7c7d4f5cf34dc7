"""Screen-reader use: every control the keyboard can reach has a name (and, where useful, a description)."""

from __future__ import annotations

import re

import pytest
from PySide6 import QtGui
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtGui import (
    QAccessible,
    QAccessibleAnnouncementEvent,
    QAccessibleInterface,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from composer.core.models import Sender
from composer.core.settings import Settings
from composer.gui.profile_dialog import ProfileDialog
from composer.gui.settings_dialog import SettingsDialog
from composer.gui.shortcuts_dialog import ShortcutsDialog
from composer.gui.welcome import WelcomeDialog


@pytest.fixture
def keyring_in_memory(monkeypatch: pytest.MonkeyPatch):
    from tests.helpers.memory_keyring import install_memory_keyring

    return install_memory_keyring(monkeypatch)


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
        if isinstance(widget, QLabel) and not widget.isVisibleTo(top):
            continue  # a hidden label (an empty suggestion) is read by nobody
        if isinstance(widget, QAbstractButton | QLabel):  # their text is their name
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
    label = main_window.word_label
    assert label.text().endswith("words")
    assert QAccessible.queryAccessibleInterface(label).text(QAccessible.Text.Name) == label.text()
    assert label.accessibleDescription() == "Word count"


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


# --- the accessible tree, as a screen reader reads it -------------------------------------

# Roles a user can press even when Tab does not reach them (line-edit clear buttons, "»").
PRESSABLE = {
    QAccessible.Role.PushButton,
    QAccessible.Role.ButtonMenu,
    QAccessible.Role.ButtonDropDown,
    QAccessible.Role.CheckBox,
    QAccessible.Role.RadioButton,
}


# "&" before a letter, as in "Pass&word:": a mnemonic, drawn literally by a label without a buddy.
MNEMONIC = re.compile(r"(?<!&)&(?=\w)")


def shown_text(label: QLabel) -> str:
    """The text a label shows, as plain text, without mnemonic ampersands."""
    text = label.text()
    if label.textFormat() == Qt.TextFormat.RichText or (
        label.textFormat() == Qt.TextFormat.AutoText and QtGui.Qt.mightBeRichText(text)
    ):
        document = QTextDocument()
        document.setHtml(text)
        text = document.toPlainText()
    if label.buddy() is not None:
        text = text.replace("&&", "\0").replace("&", "").replace("\0", "&")
    return text


def _describe(interface: QAccessibleInterface) -> str:
    widget = interface.object()
    where = widget.parent() if widget is not None else None
    return (
        f"{interface.role().name} {type(widget).__name__}"
        f" in {type(where).__name__ if where is not None else '?'}"
    )


def tree_problems(top: QWidget) -> list[str]:
    """Unnamed focusable or pressable nodes, and labels whose name is not what they show."""
    problems: list[str] = []
    seen = 0

    def walk(interface: QAccessibleInterface | None) -> None:
        nonlocal seen
        if interface is None or not interface.isValid():
            return
        state = interface.state()
        if state.invisible:
            return
        seen += 1
        name = interface.text(QAccessible.Text.Name)
        widget = interface.object()
        if (state.focusable or interface.role() in PRESSABLE) and not name.strip():
            problems.append(f"unnamed {_describe(interface)}")
        if "&" in name and not (isinstance(widget, QLabel) and "&" in shown_text(widget)):
            problems.append(f"ampersand in the name {name!r} of {_describe(interface)}")
        is_text_label = isinstance(widget, QLabel) and widget.pixmap().isNull()
        if is_text_label and widget.buddy() is None and MNEMONIC.search(widget.text()):
            problems.append(f"label {widget.text()!r} shows its & (it has no buddy)")
        if is_text_label and widget.text().strip() and name != shown_text(widget):
            problems.append(f"label named {name!r} shows {shown_text(widget)[:50]!r}")
        for index in range(interface.childCount()):
            walk(interface.child(index))

    walk(QAccessible.queryAccessibleInterface(top))
    assert seen >= 10, "the walk saw almost nothing"
    return problems


def test_the_tree_check_finds_what_a_screen_reader_would_miss(qtbot) -> None:
    top = QWidget()
    qtbot.addWidget(top)
    layout = QVBoxLayout(top)
    for _ in range(8):
        layout.addWidget(QLabel("fine"))
    layout.addWidget(QLineEdit())
    fixed = QLabel("3 words")
    fixed.setAccessibleName("Word count")
    layout.addWidget(fixed)
    search = QLineEdit()
    search.setAccessibleName("Search")
    search.setClearButtonEnabled(True)
    search.setText("x")
    layout.addWidget(search)
    top.show()
    qtbot.waitExposed(top)
    assert tree_problems(top) == [
        "unnamed EditableText QLineEdit in QWidget",
        "label named 'Word count' shows '3 words'",
        "unnamed Button QToolButton in QLineEdit",
    ]


def test_main_window_tree_is_named(main_window, qtbot) -> None:
    main_window.recipient_bar.subject.setFocus()
    main_window.picker.search.setText(" ")  # shows the clear button, hides no argument
    clear = main_window.picker.search.findChild(QToolButton)
    qtbot.waitUntil(clear.isVisible)
    problems = tree_problems(main_window)
    assert problems == [], "\n".join(problems)


def test_copy_controls_of_several_recipients_are_named(main_window, qtbot) -> None:
    from tests.gui.test_window_merge_and_mail import official

    main_window.addressing.use_recipients([official(0), official(1)])
    qtbot.waitUntil(main_window.copy_label.isVisible)
    assert main_window.copy_label.text().startswith("Copy 1 of 2")
    problems = tree_problems(main_window)
    assert problems == [], "\n".join(problems)
    main_window.pool.waitForDone(5000)


def test_narrow_main_window_overflow_button_is_named(main_window, qtbot) -> None:
    main_window.resize(700, 700)
    toolbar = main_window.editor.toolbar
    button = toolbar.findChild(QToolButton, "qt_toolbar_ext_button")
    qtbot.waitUntil(lambda: button is not None and button.isVisible())
    problems = tree_problems(main_window)
    assert problems == [], "\n".join(problems)
    assert button.accessibleName() == "More formatting"


def _account_dialog(window, pool):
    from composer.core.accounts import account_file
    from composer.core.credentials import KeyringCredentials, PasswordSource, SessionPasswords
    from composer.gui.account_dialog import AccountDialog

    passwords = PasswordSource(KeyringCredentials(), SessionPasswords())
    return AccountDialog(account_file(window.locations.config_dir), passwords, pool=pool)


def _drafts_dialog(window, pool):
    from composer.gui.drafts_dialog import DraftsDialog

    return DraftsDialog(window.keeper.store, parent=window)


def _history_dialog(window, pool):
    from composer.core.print_history import PrintHistory
    from composer.gui.print_history_dialog import PrintHistoryDialog

    return PrintHistoryDialog(PrintHistory(window.locations.database_file), pool, window)


DIALOGS = {
    "settings": lambda window, pool: SettingsDialog(Settings(), ["en_US"], window),
    "shortcuts": lambda window, pool: ShortcutsDialog(window),
    "welcome": lambda window, pool: WelcomeDialog(Sender(), window),
    "account": _account_dialog,
    "drafts": _drafts_dialog,
    "print history": _history_dialog,
}


@pytest.mark.parametrize("which", list(DIALOGS))
def test_dialog_trees_are_named(main_window, qtbot, which: str, keyring_in_memory) -> None:
    pool = QThreadPool()
    dialog = DIALOGS[which](main_window, pool)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    pool.waitForDone(5000)
    qtbot.wait(0)  # results posted back from the pool
    problems = tree_problems(dialog)
    dialog.close()
    assert problems == [], "\n".join(problems)


class _AnnouncementSpy:
    """Stands in for QAccessible where composer.gui.a11y loads it: records announcements,
    then sends every event on (anything else is the real QAccessible's)."""

    def __init__(self) -> None:
        self.said: list[tuple[str, str]] = []

    def __getattr__(self, name: str):
        return getattr(QAccessible, name)

    def updateAccessibility(self, event) -> None:
        if isinstance(event, QAccessibleAnnouncementEvent):
            self.said.append((event.message(), event.politeness().name))
        QAccessible.updateAccessibility(event)


class _NameChangeSpy(_AnnouncementSpy):
    """Also records the widgets whose accessible name was said to change."""

    def __init__(self) -> None:
        super().__init__()
        self.renamed: list[object] = []

    def updateAccessibility(self, event) -> None:
        if event.type() == QAccessible.Event.NameChanged:
            self.renamed.append(event.object())
        super().updateAccessibility(event)


def test_the_spelling_indicator_tells_changes_but_not_its_first_text(
    qtbot, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QTextEdit

    from composer.gui.spelling import SpellingSupport

    spy = _NameChangeSpy()
    monkeypatch.setattr(QtGui, "QAccessible", spy)
    edit = QTextEdit()
    qtbot.addWidget(edit)
    edit.setPlainText("A short letter.")
    spelling = SpellingSupport(edit, "en_US", tmp_path / "words.txt", start_after_ms=20)
    assert spelling.indicator.text() == "Spelling: starting…"
    assert spy.renamed == []  # the indicator appears with it: nothing changed yet
    with qtbot.waitSignal(spelling.status_changed, timeout=5000):
        pass
    assert spelling.indicator.text().startswith("Spelling: en_US")
    assert spy.renamed == [spelling.indicator]


def test_the_real_windows_spelling_indicator_tells_only_its_changes(
    qtbot, locations, monkeypatch: pytest.MonkeyPatch
) -> None:
    from composer.core.campaigns import default_campaign
    from composer.gui.mainwindow import MainWindow

    spy = _NameChangeSpy()
    monkeypatch.setattr(QtGui, "QAccessible", spy)
    window = MainWindow(locations, Settings(paper="letter"), default_campaign())
    qtbot.addWidget(window)
    indicator = window.spelling.indicator
    assert indicator.text() == "Spelling: starting…"
    assert indicator not in spy.renamed  # built with its first text: nothing changed yet
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: indicator.text() != "Spelling: starting…", timeout=5000)
    assert indicator.text().startswith("Spelling:")
    assert spy.renamed.count(indicator) == 1
    window.pool.waitForDone(5000)


def test_connection_test_result_is_named_by_its_text_and_announced(
    qtbot, locations, keyring_in_memory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from composer.core.accounts import Account
    from tests.helpers.smtp_server import free_port

    spy = _AnnouncementSpy()
    monkeypatch.setattr(QtGui, "QAccessible", spy)
    pool = QThreadPool()
    dialog = _account_dialog(type("W", (), {"locations": locations})(), pool)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.loaded, timeout=5000):
        dialog.show()
    dialog.set_account(
        Account(
            display_name="Ada",
            email="ada@example.org",
            host="127.0.0.1",
            port=free_port(),  # nothing listens: a real refusal on loopback
            security="starttls",
        )
    )
    dialog.password.setText("secret")
    with qtbot.waitSignal(dialog.checked, timeout=10_000):
        qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    shown = dialog.result_label.text()
    assert shown.startswith("✗ ") and "refused" in shown
    spoken = QAccessible.queryAccessibleInterface(dialog.result_label)
    assert spoken.text(QAccessible.Text.Name) == shown
    assert spoken.text(QAccessible.Text.Description) == "Connection test result"
    assert spy.said[-1] == (shown, "Assertive")
    pool.waitForDone(5000)


def test_main_window_without_a_profile_reads_its_banner(qtbot, locations) -> None:
    from composer.core.campaigns import default_campaign
    from composer.gui.mainwindow import MainWindow

    window = MainWindow(locations, Settings(paper="letter"), default_campaign())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.profile_banner.isVisible()
    problems = tree_problems(window)
    assert problems == [], "\n".join(problems)
    window.pool.waitForDone(5000)


def test_a_warning_bar_is_announced_once_and_read_from_its_text(
    qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from composer.gui.notice_bar import NoticeBar

    spy = _AnnouncementSpy()
    monkeypatch.setattr(QtGui, "QAccessible", spy)
    top = QWidget()
    qtbot.addWidget(top)
    layout = QVBoxLayout(top)
    for _ in range(8):
        layout.addWidget(QLabel("filler"))
    bar = NoticeBar("The data folder cannot be written: the letter stays here.", warning=True)
    layout.addWidget(bar)
    top.show()
    qtbot.waitExposed(top)
    assert spy.said == [("The data folder cannot be written: the letter stays here.", "Assertive")]
    bar.hide()
    bar.show()
    assert len(spy.said) == 1
    problems = tree_problems(top)
    assert problems == [], "\n".join(problems)


def test_the_save_state_reads_its_text(main_window, qtbot) -> None:
    keeper = main_window.keeper
    main_window.editor.text.insertPlainText("A sentence of mine. ")
    qtbot.waitUntil(lambda: keeper.state_label.text() != "", timeout=10_000)
    label = keeper.state_label
    spoken = QAccessible.queryAccessibleInterface(label)
    assert spoken.text(QAccessible.Text.Name) == label.text()
    assert spoken.text(QAccessible.Text.Description) == "Save state"
