"""The whole window in Russian and Ukrainian: chosen by the setting or the system.

Walks every menu, submenu, toolbar button and pane control of the real window and
fails on a text that is still English; checks that Qt's own buttons follow, and that
the letter itself stays English.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialogButtonBox,
    QLabel,
    QMenu,
    QWidget,
)
from pytestqt.qtbot import QtBot

from composer.core.campaigns import default_campaign
from composer.core.locations import Locations
from composer.core.models import Sender
from composer.core.profile import save_sender
from composer.core.settings import Settings, save_settings
from tests.helpers.languages import use_language

ROOT = Path(__file__).resolve().parents[2]
# Words that are the same in every language of the interface.
NAMES = {
    "Letter", "Composer", "PDF", "SMTP", "ZIP", "OAuth", "STARTTLS", "SSL", "TLS", "ODT",
    "HTML", "Ctrl", "Shift", "Alt", "Del", "Esc", "Tab", "Enter", "Return", "PgUp", "PgDown",
    "Home", "End", "Space", "Backspace", "Up", "Down", "Left", "Right", "Ins", "Gmail",
    "Outlook", "Fastmail", "Yahoo", "iCloud", "Google", "Microsoft", "DL", "Publication",
    "OpenDocument",
}  # fmt: skip
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


def english_words(text: str) -> list[str]:
    """Runs of three or more Latin letters in `text` that are not names."""
    text = text.replace("&", "")
    text = re.sub(r"\S+@\S+|https?://\S+|\*\.\w+|\b\w+\.\w{2,4}\b", "", text)  # mail, links, files
    return [word for word in LATIN_WORD.findall(text) if word not in NAMES]


def _menu_texts(menu: QMenu, path: str) -> Iterator[tuple[str, str]]:
    for action in menu.actions():
        if action.isSeparator():
            continue
        where = f"{path} > {action.text()}"
        yield where, action.text()
        if action.toolTip() and action.toolTip() != action.text().replace("&", ""):
            yield where + " (tooltip)", action.toolTip()
        if action.menu() is not None:
            yield from _menu_texts(action.menu(), where)


def _window_texts(window: QWidget) -> Iterator[tuple[str, str]]:
    for action in window.menuBar().actions():  # type: ignore[attr-defined]
        yield action.text(), action.text()
        if action.menu() is not None:
            yield from _menu_texts(action.menu(), action.text())
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window):
            continue
        name = f"{type(widget).__name__} {widget.objectName()}"
        if isinstance(widget, (QAbstractButton, QLabel)) and widget.text():
            yield name, widget.text()
        for what, text in (
            ("tooltip", widget.toolTip()),
            ("accessible name", widget.accessibleName()),
            ("placeholder", getattr(widget, "placeholderText", lambda: "")()),
        ):
            if text:
                yield f"{name} ({what})", text


@pytest.fixture
def speak():  # type: ignore[no-untyped-def]
    """Install a language for the test; English (and Qt's English) again afterwards."""
    yield use_language
    use_language("en")


@pytest.mark.parametrize(("language", "file_menu", "cancel"), [
    ("ru", "&Файл", "Отмена"), ("uk", "&Файл", "Скасувати"),
])  # fmt: skip
def test_every_menu_and_control_of_the_window_is_translated(
    qtbot: QtBot, locations: Locations, sender: Sender, speak, language, file_menu, cancel
) -> None:  # type: ignore[no-untyped-def]
    speak(language)
    from composer.gui.mainwindow import MainWindow

    save_sender(locations.profile_file, sender)
    window = MainWindow(locations, Settings(paper="letter"), default_campaign())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    campaign = default_campaign()  # the pack's own words are the organizer's, not ours
    campaign_text = {argument.title for argument in campaign.arguments}
    campaign_text |= {campaign.title, campaign.summary, campaign.coach_research}

    def ours(text: str) -> str:
        """`text` without the campaign's words and markup: what the program itself says."""
        for piece in sorted(campaign_text, key=len, reverse=True):
            text = text.replace(piece, "") if piece else text
        return re.sub(r"<[^>]+>|\b\d{4}-\d{2}-\d{2}\b", " ", text)

    left = [
        f"{where}: {text!r}" for where, text in _window_texts(window) if english_words(ours(text))
    ]
    assert left == [], "\n".join(left)
    assert window.menuBar().actions()[0].text() == file_menu
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text().replace("&", "") == cancel
    box.deleteLater()
    window.pool.waitForDone(5000)


START_SCRIPT = """
import json, sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from composer import i18n
from composer.core.locations import Locations
from composer.gui.app import run_app
seen = []

def look():
    from composer.gui.mainwindow import MainWindow
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, MainWindow) and widget.isVisible():
            seen[:] = [action.text() for action in widget.menuBar().actions()]

poller = QTimer(interval=10)
poller.timeout.connect(look)
QTimer.singleShot(0, poller.start)  # once run_app has made the application
status = run_app(smoke=True, locations=Locations.under(Path(sys.argv[1])))
print(json.dumps({"status": status, "language": i18n.current_language(), "menus": seen}))
"""


def test_the_language_setting_chooses_the_interface_at_start(tmp_path: Path) -> None:
    """The program reads the setting (Ukrainian) over the system's language (Russian).

    Run as a process of its own, as a user starts it: ``run_app`` owns its application.
    """
    root = tmp_path / "home"
    save_settings(Locations.under(root).settings_file, Settings(language="uk"))
    env = {**os.environ, "LANGUAGE": "ru", "LANG": "ru_RU.UTF-8", "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", START_SCRIPT, str(root)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout.strip().splitlines()[-1])
    assert shown["status"] == 0 and shown["language"] == "uk"
    assert shown["menus"] and shown["menus"][0] == "&Файл"
    assert any(text.replace("&", "") == "Довідка" for text in shown["menus"])


def test_the_letter_stays_english_in_a_translated_window(
    qtbot: QtBot, locations: Locations, sender: Sender, speak
) -> None:  # type: ignore[no-untyped-def]
    from composer.gui.mainwindow import MainWindow

    def letter_text(language: str) -> str:
        speak(language)
        window = MainWindow(locations, Settings(paper="letter"), default_campaign())
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        letter = window.current_letter()
        text = f"{letter.subject}\n{letter.complimentary_close}\n{letter.body_html}"
        window.pool.waitForDone(5000)
        window.close()
        return text

    save_sender(locations.profile_file, sender)
    english = letter_text("en")
    assert english and letter_text("ru") == english
