"""The dialogs speak Ukrainian or Russian when the interface does: no English is left in them.

Each dialog is built as the rest of the widget tests build it, in a window made after the
language was chosen, with Qt's own translations loaded as the program loads them (standard
buttons, the file dialog). Every text the dialog shows or gives a screen reader is read:
its title, labels, buttons, placeholders, headers, tooltips, accessible names. A run of
three or more Latin letters is English left behind, unless it is one of the names below.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QTextDocumentFragment
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QTextEdit,
    QTreeWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from composer.core.campaigns import default_campaign
from composer.core.locations import Locations
from composer.core.models import Sender
from composer.core.profile import save_sender
from composer.core.settings import Settings
from composer.gui.profile_dialog import ProfileDialog
from composer.gui.shortcuts_dialog import ShortcutsDialog
from composer.gui.welcome import WelcomeDialog
from tests.helpers.languages import use_language

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "docs" / "example-pack"

# Names and keys that are the same in every language.
SAME_IN_EVERY_LANGUAGE = ("Letter Composer", "ZIP", "Ctrl", "Alt", "Shift", "Tab", "Down")
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
FILE_PATTERNS = re.compile(r"\(\*[^)]*\)")  # "(*.zip campaign.toml)" in a file type
# Labels of Qt's file dialog that the translations shipped with Qt lack (they hold them only
# without the "&"): Qt's to translate, not the program's.
QT_LACKS = {"&Look in:", "Files of &type:"}

# A few texts each language must show exactly.
EXPECTED = {
    "uk": {
        "profile": "Профіль відправника",
        "name": "&Ім'я:",
        "note": "Посадові особи насамперед відповідають своїм виборцям",
        "welcome": "Ласкаво просимо до Letter Composer",
        "start": "Почати п&исати",
        "later": "&Згодом",
        "shortcuts": "Комбінації клавіш",
        "headers": ["Дія", "Комбінація клавіш"],
        "other": "Інше",
        "move up": "Перемістити вибраний аргумент вище",
        "open": "Відкрити кампанію",
        "packs": "Пакети кампаній (*.zip campaign.toml)",
        "replace": "Замінити кампанію?",
        "in the letter": "У листі:",
        "add": "Додати особисте речення",
    },
    "ru": {
        "profile": "Профиль отправителя",
        "name": "&Имя:",
        "note": "Должностные лица в первую очередь отвечают своим избирателям",
        "welcome": "Добро пожаловать в Letter Composer",
        "start": "&Начать писать",
        "later": "По&зже",
        "shortcuts": "Сочетания клавиш",
        "headers": ["Действие", "Сочетание клавиш"],
        "other": "Другое",
        "move up": "Переместить выбранный аргумент выше",
        "open": "Открыть кампанию",
        "packs": "Пакеты кампаний (*.zip campaign.toml)",
        "replace": "Заменить кампанию?",
        "in the letter": "В письме:",
        "add": "Добавить личное предложение",
    },
}


@pytest.fixture(params=["uk", "ru"])
def language(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    """The interface and Qt's own words in one language for a test; English afterwards."""
    code = request.param
    use_language(code)
    yield code
    use_language("en")


@pytest.fixture
def window(language: str, qtbot: QtBot, locations: Locations, sender: Sender) -> Iterator[object]:
    """The real main window, made after the language was chosen (as the program does)."""
    from composer.gui.mainwindow import MainWindow

    save_sender(locations.profile_file, sender)
    made = MainWindow(locations, Settings(paper="letter"), default_campaign())
    qtbot.addWidget(made)
    made.show()
    qtbot.waitExposed(made)
    yield made
    made.pool.waitForDone(5000)


def _plain(text: str) -> str:
    if "<" in text and ">" in text:
        return QTextDocumentFragment.fromHtml(text).toPlainText()
    return text


def shown_texts(top: QWidget) -> list[str]:
    """Every text `top` shows or gives a screen reader, from its visible widgets."""
    texts = [top.windowTitle(), top.accessibleName(), top.accessibleDescription()]
    for widget in top.findChildren(QWidget):
        if not widget.isVisibleTo(top):
            continue
        texts += [widget.accessibleName(), widget.accessibleDescription(), widget.toolTip()]
        if isinstance(widget, QLabel):
            texts.append(_plain(widget.text()))
        elif isinstance(widget, (QAbstractButton, QProgressBar)):
            texts.append(widget.text())
        elif isinstance(widget, (QLineEdit, QPlainTextEdit, QTextEdit)):
            texts.append(widget.placeholderText())
        elif isinstance(widget, QComboBox) and widget.objectName() != "lookInCombo":
            texts += [widget.itemText(row) for row in range(widget.count())]  # not folders
        elif isinstance(widget, QTreeWidget):
            header = widget.headerItem()
            texts += [header.text(column) for column in range(widget.columnCount())]
    return [text for text in texts if text]


def english_in(texts: list[str]) -> list[str]:
    """The texts that still hold English words."""
    found = []
    for text in texts:
        rest = FILE_PATTERNS.sub("", text)
        for name in SAME_IN_EVERY_LANGUAGE:
            rest = rest.replace(name, "")
        if LATIN_WORD.search(rest):
            found.append(text)
    return found


@contextmanager
def reading_modal_dialogs() -> Iterator[list[list[str]]]:
    """Read the texts of each modal dialog that opens, then close it (as Escape would)."""
    seen: list[list[str]] = []

    def poll() -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, QDialog) and widget.property("read") is None:
            widget.setProperty("read", True)
            seen.append(shown_texts(widget))
            QTimer.singleShot(0, widget.reject)

    timer = QTimer(interval=20)
    timer.timeout.connect(poll)
    timer.start()
    try:
        yield seen
    finally:
        timer.stop()


def test_the_sender_profile_dialog_speaks_the_language(
    language: str, window: QWidget, qtbot: QtBot
) -> None:
    dialog = ProfileDialog(Sender(), window)
    qtbot.addWidget(dialog)
    dialog.show()
    texts = shown_texts(dialog)
    assert english_in(texts) == []
    expected = EXPECTED[language]
    assert dialog.windowTitle() == expected["profile"]
    assert expected["name"] in texts
    assert any(text.startswith(expected["note"]) for text in texts)


def test_the_welcome_window_speaks_the_language(
    language: str, window: QWidget, qtbot: QtBot
) -> None:
    dialog = WelcomeDialog(Sender(), window)
    qtbot.addWidget(dialog)
    dialog.show()
    texts = shown_texts(dialog)
    assert english_in(texts) == []
    expected = EXPECTED[language]
    assert dialog.windowTitle() == expected["welcome"]
    assert _plain(dialog.welcome.text()).startswith(expected["welcome"])
    assert expected["start"] in texts and expected["later"] in texts


def test_the_keyboard_shortcuts_dialog_speaks_the_language(
    language: str, window: QWidget, qtbot: QtBot
) -> None:
    dialog = ShortcutsDialog(window)
    qtbot.addWidget(dialog)
    dialog.show()
    # The rows are the window's menus and actions, named where they are made; the dialog's
    # own words are its title, filter, headers, note and buttons, and the group it adds.
    texts = shown_texts(dialog)
    assert english_in(texts) == []
    expected = EXPECTED[language]
    assert dialog.windowTitle() == expected["shortcuts"]
    assert texts.count(expected["headers"][0]) and texts.count(expected["headers"][1])
    groups = [
        dialog.tree.topLevelItem(row).text(0) for row in range(dialog.tree.topLevelItemCount())
    ]
    assert expected["other"] in groups
    assert expected["move up"] in [name for name, _keys in dialog.visible_rows()]


def test_the_open_campaign_dialogs_speak_the_language(
    language: str, window: QWidget, qtbot: QtBot, tmp_path: Path
) -> None:
    opener = window.campaign_opener  # type: ignore[attr-defined]
    with reading_modal_dialogs() as seen:
        opener.choose_pack()
        qtbot.waitUntil(lambda: len(seen) == 1)
    expected = EXPECTED[language]
    (chooser,) = seen
    assert chooser[0] == expected["open"]
    assert expected["packs"] in chooser
    assert english_in([text for text in chooser if text not in QT_LACKS]) == []

    # The same pack once more: the dialog that asks before replacing it.
    with qtbot.waitSignal(opener.opened, timeout=10_000):
        opener.open_path(EXAMPLE)
    again = tmp_path / "again"
    shutil.copytree(EXAMPLE, again)
    with reading_modal_dialogs() as seen, qtbot.waitSignal(opener.opened, timeout=10_000):
        opener.open_path(again)
    (question,) = seen
    assert question[0] == expected["replace"]
    title = window.campaign.title  # type: ignore[attr-defined]
    # The campaign's title comes from its pack and stays as the organizer wrote it.
    assert english_in([text.replace(title, "") for text in question]) == []
    assert any(f"«{title}»" in text for text in question)


def test_the_argument_picker_and_the_coach_speak_the_language(
    language: str, window: QWidget, qtbot: QtBot
) -> None:
    picker = window.picker  # type: ignore[attr-defined]
    coach = window.coach_panel  # type: ignore[attr-defined]
    coach.refresh()
    # The campaign's title, summary and review note are the pack's words, not the program's.
    pack_words = {_plain(picker.title.text()), picker.review.text()}
    texts = [text for text in shown_texts(picker) if text not in pack_words]
    # So is the research line the coach quotes from the pack.
    texts += [text.replace(coach.research, "") for text in shown_texts(coach)]
    assert english_in(texts) == []
    expected = EXPECTED[language]
    assert expected["in the letter"] in texts
    assert coach.add_button.text() == expected["add"]
    groups = [
        picker.tree.topLevelItem(row).text(0) for row in range(picker.tree.topLevelItemCount())
    ]
    argument = window.campaign.arguments[0]  # type: ignore[attr-defined]
    details = _plain(picker.details_html(argument))
    pack_words = {
        argument.title,
        argument.plain_text,
        window.campaign.theme_title(argument.theme),  # type: ignore[attr-defined]
        *(source.citation() for source in argument.sources),
    }
    for words in pack_words:
        details = details.replace(words, "")
    assert english_in([details]) == []
    assert groups[0] != "Openings" and english_in([groups[0], groups[-1]]) == []
