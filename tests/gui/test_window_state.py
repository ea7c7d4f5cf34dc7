"""The window as the user left it: size, panes and last folder come back; it fits the screen.

The real window, offscreen. The checks that depend on the screen's size (a
1024×700 laptop; a screen large enough for a window of 1180×760 to come back
as it was) start the window in a process of their own, whose only screen the
offscreen platform reads from a file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

from composer.core.campaigns import default_campaign
from composer.core.locations import Locations
from composer.core.models import Recipient, Sender
from composer.core.profile import save_sender
from composer.core.settings import Settings, load_settings
from composer.gui.mainwindow import MainWindow

ROOT = Path(__file__).resolve().parents[2]


def open_window(qtbot: QtBot, locations: Locations, settings: Settings) -> MainWindow:
    window = MainWindow(locations, settings, default_campaign())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def close_window(qtbot: QtBot, window: MainWindow) -> None:
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible())
    window.pool.waitForDone(5000)


def test_long_addresses_and_arguments_leave_the_panes_as_they_are(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    window = main_window
    before = (window.splitter.sizes(), window.size())
    long_name = "Office of the Honourable Representative for the " + "Northwestern" * 8
    offices = [
        Recipient(
            id=f"office-{n}",
            name=f"{long_name} {n}",
            title="Member of the House of Representatives",
            salutation="Dear Representative,",
            address_lines=(long_name, "1 " + "Independence" * 10 + " Avenue SE", "DC 20515"),
        )
        for n in (1, 2)
    ]
    window.addressing.use_recipients(offices)  # two copies: the preview names the one shown
    qtbot.waitUntil(window.copy_label.isVisible)
    window.show_copy(1)
    tree = window.picker.tree
    for index in range(tree.topLevelItemCount()):
        theme = tree.topLevelItem(index)
        for child in range(theme.childCount()):
            tree.setCurrentItem(theme.child(child))  # its full text and sources are shown
    window.picker.details.setHtml("<h3>" + "Transit" * 80 + "</h3>")
    QApplication.processEvents()  # the layouts take the new contents in
    QApplication.processEvents()
    assert (window.splitter.sizes(), window.size()) == before


@contextmanager
def file_dialogs(answer: Path | None = None) -> Iterator[list[tuple[str, Path]]]:
    """Note each file dialog's title and starting folder; type `answer` into the first one
    and accept, cancel the others; reject any other dialog, go on past the coach."""
    seen: list[tuple[str, Path]] = []

    def poll() -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, QFileDialog):
            if widget.property("noted") is None:
                widget.setProperty("noted", True)
                seen.append((widget.windowTitle(), Path(widget.directory().absolutePath())))
                if answer is not None and len(seen) == 1:
                    name = widget.findChild(QLineEdit, "fileNameEdit")
                    name.setText(str(answer))
                    QTimer.singleShot(0, widget.accept)
                else:
                    QTimer.singleShot(0, widget.reject)
        elif isinstance(widget, QMessageBox):
            go_on = [b for b in widget.buttons() if b.text().endswith(" anyway")]
            if go_on:
                go_on[0].click()
            else:
                widget.reject()
        elif isinstance(widget, QDialog):
            widget.reject()

    timer = QTimer(interval=20)
    timer.timeout.connect(poll)
    timer.start()
    try:
        yield seen
    finally:
        timer.stop()


def test_open_save_as_and_export_start_in_the_folder_last_used(
    qtbot: QtBot, locations: Locations, sender: Sender, tmp_path: Path
) -> None:
    save_sender(locations.profile_file, sender)
    letters = tmp_path / "My Letters"
    letters.mkdir()
    window = open_window(qtbot, locations, Settings(paper="letter"))
    editor = window.editor.text
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    editor.insertPlainText(" I ride the 44 to work every day.")
    with file_dialogs(letters / "to-my-office.letter") as seen:
        window.keeper.save_as_action.trigger()
        qtbot.waitUntil(lambda: (letters / "to-my-office.letter").exists())
        window.menus.export_action.trigger()
        qtbot.waitUntil(lambda: len(seen) == 2)
    assert seen[1] == ("Export PDF", letters)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None)
    close_window(qtbot, window)

    reopened = open_window(qtbot, locations, load_settings(locations.settings_file))
    with file_dialogs() as seen:
        reopened.keeper.open_action.trigger()
        qtbot.waitUntil(lambda: len(seen) == 1)
    assert seen == [("Open Letter", letters)]
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None)
    close_window(qtbot, reopened)


def run_on_screen(
    tmp_path: Path, width: int, height: int, script: str, scale: int = 1, language: str = "en"
) -> dict[str, Any]:
    """Run `script` (which prints one JSON line last) where the only screen is width×height
    pixels, shown at `scale` (QT_SCALE_FACTOR), with the interface in `language`."""
    screens = tmp_path / "screens.json"
    screen = {"name": "only", "x": 0, "y": 0, "width": width, "height": height}
    screen.update({"logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1})
    screens.write_text(json.dumps({"screens": [screen]}), encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={screens}"}
    env["QT_SCALE_FACTOR"] = str(scale)
    done = subprocess.run(
        [sys.executable, "-c", PRELUDE + script, str(tmp_path / "app"), language],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    shown: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    free = shown["free"]
    assert free == [0, 0, width // scale, height // scale], free  # the screen file was read
    return shown


PRELUDE = """
import json, sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
from composer.i18n import install
install(sys.argv[2])
app = QApplication([])
from composer.core.campaigns import default_campaign
from composer.core.locations import Locations
from composer.core.settings import Settings, load_settings
from composer.gui.mainwindow import MainWindow
locations = Locations.under(Path(sys.argv[1]))

def settle():
    for _ in range(10):
        app.processEvents()

def opened(settings):
    window = MainWindow(locations, settings, default_campaign())
    window.show()
    settle()
    return window

def closed(window):
    window.close()
    settle()
    assert not window.isVisible()
    window.pool.waitForDone(5000)

def free_area(window):
    free = window.screen().availableGeometry()
    return [free.x(), free.y(), free.width(), free.height()]
"""

REOPEN_SCRIPT = """
first = opened(Settings(paper="letter"))
first.resize(1180, 760)
settle()
total = sum(first.splitter.sizes())
first.splitter.setSizes([300, 480, total - 780])
settle()
before = {"size": [first.width(), first.height()], "panes": first.splitter.sizes()}
closed(first)
settings = load_settings(locations.settings_file)
second = opened(settings)
after = {"size": [second.width(), second.height()], "panes": second.splitter.sizes()}
closed(second)
print(json.dumps({"free": free_area(second), "before": before, "after": after,
                  "saved": settings.splitter_sizes}))
"""


def test_close_and_reopen_restores_the_window_and_its_panes(tmp_path: Path) -> None:
    shown = run_on_screen(tmp_path, 1440, 900, REOPEN_SCRIPT)
    before = shown["before"]
    assert before["size"] == [1180, 760] and before["panes"][:2] == [300, 480], before
    assert shown["saved"] == before["panes"]
    assert shown["after"] == before


SMALL_SCREEN_SCRIPT = """
window = opened(Settings(paper="letter"))
frame = window.frameGeometry()
print(json.dumps({
    "free": free_area(window),
    "frame": [frame.x(), frame.y(), frame.width(), frame.height()],
    "hint": [window.sizeHint().width(), window.sizeHint().height()],
    "least": [window.minimumSizeHint().width(), window.minimumSizeHint().height()],
}))
closed(window)
"""


def test_the_first_window_fits_a_1024_by_700_screen(tmp_path: Path) -> None:
    shown = run_on_screen(tmp_path, 1024, 700, SMALL_SCREEN_SCRIPT)
    x, y, width, height = shown["frame"]
    assert x >= 0 and y >= 0 and x + width <= 1024 and y + height <= 700, shown
    assert shown["hint"][0] <= 1024 and shown["hint"][1] <= 700, shown
    assert shown["least"][0] <= 1024 and shown["least"][1] <= 700, shown


@pytest.mark.parametrize("language", ["en", "ru", "uk"])
def test_the_first_window_fits_a_1920_by_1080_screen_at_twice_the_scale(
    tmp_path: Path, language: str
) -> None:
    """960×540 logical pixels: a laptop's full-HD screen at 200 %."""
    shown = run_on_screen(tmp_path, 1920, 1080, SMALL_SCREEN_SCRIPT, scale=2, language=language)
    x, y, width, height = shown["frame"]
    assert x >= 0 and y >= 0 and x + width <= 960 and y + height <= 540, shown
    # Room is left for the title bar and borders a window manager adds.
    assert shown["least"][0] <= 960 - 16 and shown["least"][1] <= 540 - 48, shown
    assert width >= shown["least"][0] and height >= shown["least"][1], shown
