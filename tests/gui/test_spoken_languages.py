"""Find My Officials, spelling and the preview speak the interface's language.

The texts are compared with the catalogs' own translations, so a message that
is not marked (or not translated) shows up here as English.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QTextEdit
from pytestqt.qtbot import QtBot

from composer import i18n
from composer.core.directory import Directory
from composer.gui.recipients_dialog import RecipientsDialog
from composer.gui.spelling import SpellingSupport

EXPECTED = {
    "ru": {
        "title": "Найти моих представителей",
        "find": "&Найти",
        "use": "&Использовать отмеченных",
        "placeholder": "Ваш почтовый индекс (ZIP), например 98105",
        "modes": ["Почтовый индекс", "Штат", "Имя"],
        "header": ["Должностное лицо", "Способ отправки"],
        "nothing": "Отметьте хотя бы одно должностное лицо, которому хотите написать.",
        "spelling": "Проверка орфографии выключена: проверка орфографии выключена в «Параметрах».",
        "next": "Следующая &ошибка",
    },
    "uk": {
        "title": "Знайти моїх представників",
        "find": "&Знайти",
        "use": "&Використати позначених",
        "placeholder": "Ваш поштовий індекс (ZIP), наприклад 98105",
        "modes": ["Поштовий індекс", "Штат", "Ім’я"],
        "header": ["Посадова особа", "Спосіб надсилання"],
        "nothing": "Позначте принаймні одну посадову особу, якій хочете написати.",
        "spelling": "Перевірку правопису вимкнено: перевірку правопису вимкнено в «Параметрах».",
        "next": "Наступна по&милка",
    },
}


@pytest.fixture(params=["ru", "uk"])
def language(request: pytest.FixtureRequest) -> Iterator[str]:
    i18n.install(request.param)
    yield request.param
    i18n.install("en")


def test_find_my_officials_speaks_the_language(qtbot: QtBot, tmp_path: Path, language: str) -> None:
    expected = EXPECTED[language]
    pool = QThreadPool()
    dialog = RecipientsDialog(Directory(tmp_path / "directory"), pool, near_zip="98105")
    qtbot.addWidget(dialog)
    panel = dialog.panel
    assert dialog.windowTitle() == expected["title"]
    assert panel.find_button.text() == expected["find"]
    assert panel.use_button.text() == expected["use"]
    assert panel.query.placeholderText() == expected["placeholder"]
    assert [panel.mode.itemText(i) for i in range(panel.mode.count())] == expected["modes"]
    header = panel.results.headerItem()
    assert [header.text(0), header.text(1)] == expected["header"]
    for _item, official, _channel in panel.rows():
        panel.set_checked(official.id, False)
    panel.use_selected()
    assert panel.error_label.text() == expected["nothing"]
    pool.waitForDone(10_000)


def test_spelling_speaks_the_language(qtbot: QtBot, tmp_path: Path, language: str) -> None:
    edit = QTextEdit()
    qtbot.addWidget(edit)
    spelling = SpellingSupport(edit, "", tmp_path / "words.txt")
    assert spelling.status == EXPECTED[language]["spelling"]
    assert spelling.next_action.text() == EXPECTED[language]["next"]
