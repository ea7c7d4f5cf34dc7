"""The Outbox window, the Drafts dialog and the Printed Letters dialog speak Russian and
Ukrainian: every text they show is translated, Qt's own buttons included."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import (
    QAbstractButton,
    QLabel,
    QTabBar,
    QTableWidget,
    QTreeWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from composer import i18n
from composer.core.accounts import account_file, load_account
from composer.core.credentials import KeyringCredentials, PasswordSource, SessionPasswords
from composer.core.drafts import DraftStore
from composer.core.letterfile import LetterDocument
from composer.core.locations import Locations
from composer.core.models import Letter
from composer.core.outbox import Outbox
from composer.core.print_history import PrintHistory
from composer.gui.drafts_dialog import DraftsDialog
from composer.gui.outbox_view import OutboxView
from composer.gui.print_history_dialog import PrintHistoryDialog
from composer.gui.send_worker import SendController
from tests.helpers.languages import use_language
from tests.helpers.memory_keyring import install_memory_keyring

# Names and file types that stay as they are in every language.
SAME_IN_EVERY_LANGUAGE = ("Letter Composer", "PDF", "SMTP", "ZIP", ".eml")
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


@pytest.fixture
def speak(qtbot: QtBot) -> Iterator[Callable[[str], None]]:
    """Switch the interface and Qt's own words to a language; English again afterwards."""
    yield use_language
    use_language("en")


@pytest.fixture
def windows(
    qtbot: QtBot, locations: Locations, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[], dict[str, QWidget]]]:
    """Builds the three windows (in the language installed at the time) with one
    draft, one printed letter and an empty outbox."""
    install_memory_keyring(monkeypatch)
    pool = QThreadPool()
    outbox = Outbox(locations.database_file)
    passwords = PasswordSource(KeyringCredentials(), SessionPasswords())
    path = account_file(locations.config_dir)
    controllers: list[SendController] = []
    store = DraftStore(locations.database_file, owner="")
    store.save(None, LetterDocument(Letter(subject="", body_html="<p></p>")), open_here=False)
    moments = iter([dt.datetime(2026, 3, 9, 12, 0, tzinfo=dt.UTC)])
    history = PrintHistory(locations.database_file, clock=lambda: next(moments))
    history.record(
        recipient_id="the-president",
        recipient_name="The President",
        subject="Please protect those who refuse to fight",
        paper="letter",
        pages=2,
        printer="Office",
    )

    def build() -> dict[str, QWidget]:
        controller = SendController(
            outbox, lambda: load_account(path), passwords, watch_network=False, pool=pool
        )
        controllers.append(controller)
        view = OutboxView(controller)
        drafts = DraftsDialog(store)
        printed = PrintHistoryDialog(PrintHistory(locations.database_file), pool)
        for widget in (view, drafts, printed):
            qtbot.addWidget(widget)
        with qtbot.waitSignal(printed.loaded, timeout=10_000):
            printed.show()
        with qtbot.waitSignal(controller.lists_changed, timeout=10_000):
            controller.refresh()
        view.show()
        drafts.show()
        return {"outbox": view, "drafts": drafts, "printed": printed}

    yield build
    for controller in controllers:
        controller.shutdown()
    pool.waitForDone(10_000)
    store.close()
    outbox.close()


def shown_texts(window: QWidget) -> list[str]:
    """The window's title and the words of its labels, buttons, tabs and column headers."""
    texts = [window.windowTitle()]
    for label in window.findChildren(QLabel):
        texts.append(label.text())
    for button in window.findChildren(QAbstractButton):
        texts += [button.text(), button.toolTip(), button.accessibleName()]
    for bar in window.findChildren(QTabBar):
        texts += [bar.tabText(index) for index in range(bar.count())]
    for tree in window.findChildren(QTreeWidget):
        header = tree.headerItem()
        texts += [header.text(column) for column in range(header.columnCount())]
        texts.append(tree.accessibleName())
    for table in window.findChildren(QTableWidget):
        texts += [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
        texts.append(table.accessibleName())
    return [text for text in texts if text.strip()]


def english_left(window: QWidget) -> list[str]:
    """Texts that still hold an English word (three Latin letters or more in a row)."""
    found = []
    for text in shown_texts(window):
        bare = text.replace("&", "")
        for name in SAME_IN_EVERY_LANGUAGE:
            bare = bare.replace(name, "")
        if LATIN_WORD.search(bare):
            found.append(text)
    return found


@pytest.mark.parametrize("language", ["ru", "uk"])
def test_the_windows_show_no_english(language: str, speak, windows) -> None:  # type: ignore[no-untyped-def]
    speak(language)
    built = windows()
    for name, window in built.items():
        assert len(shown_texts(window)) > 5, name
        assert english_left(window) == [], name
    drafts = built["drafts"]
    assert isinstance(drafts, DraftsDialog)
    # The names the interface makes for a draft: no English day or "Untitled letter".
    for text in (drafts.column(0)[0], drafts.column(2)[0]):
        assert not LATIN_WORD.search(text), text


def test_russian_words(speak, windows) -> None:  # type: ignore[no-untyped-def]
    speak("ru")
    built = windows()
    outbox = built["outbox"]
    assert isinstance(outbox, OutboxView)
    assert outbox.windowTitle() == "Исходящие"
    assert [outbox.tabs.tabText(n) for n in range(2)] == ["Исходящие", "Отправленные"]
    assert outbox.send_button.text() == "&Отправить сейчас"
    drafts = built["drafts"]
    assert isinstance(drafts, DraftsDialog)
    assert drafts.column(0)[0].startswith("Письмо без названия — ")
    assert drafts.column(2)[0].startswith("сегодня в ")
    printed = built["printed"]
    assert isinstance(printed, PrintHistoryDialog)
    assert printed.windowTitle() == "Напечатанные письма"
    assert printed.table.item(0, 0).text() == "9 марта 2026"
    assert printed.table.item(0, 5).text() == "ещё нет"


def test_ukrainian_words(speak, windows) -> None:  # type: ignore[no-untyped-def]
    speak("uk")
    built = windows()
    outbox = built["outbox"]
    assert isinstance(outbox, OutboxView)
    assert outbox.windowTitle() == "Вихідні"
    assert [outbox.tabs.tabText(n) for n in range(2)] == ["Вихідні", "Надіслані"]
    drafts = built["drafts"]
    assert isinstance(drafts, DraftsDialog)
    assert drafts.windowTitle() == "Чернетки"
    header = drafts.tree.headerItem()
    assert [header.text(n) for n in range(4)] == ["Лист", "Кому", "Збережено", "Початок"]
    printed = built["printed"]
    assert isinstance(printed, PrintHistoryDialog)
    assert printed.windowTitle() == "Надруковані листи"
    assert printed.status.text() == "1 надрукований лист; 1 ще не позначений як надісланий поштою."
    assert printed.table.item(0, 0).text() == "9 березня 2026"

    # Back in English, the same dialog made again speaks English.
    i18n.install("en")
    again = windows()["printed"]
    assert again.windowTitle() == "Printed Letters"
    assert again.status.text() == "1 printed letter; 1 not marked as mailed yet."
