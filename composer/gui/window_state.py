"""The window as the user left it: its place and size, its panes' widths, the last folder.

What is kept lives in the settings (``window_geometry``, ``window_state``,
``splitter_sizes``, ``last_folder``); it is written there when the window
closes and read back when it opens. A first window takes its default size,
cut down to the screen's free area, so that all of it shows even on a small
laptop screen.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSize, QStandardPaths
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMainWindow, QSplitter, QWidget

if TYPE_CHECKING:
    from composer.core.settings import Settings

DEFAULT_SIZE = QSize(1360, 860)
# Room for the title bar and borders the window manager adds round the window.
FRAME_ALLOWANCE = QSize(16, 48)


def available_size(widget: QWidget) -> QSize | None:
    """The free area of the screen `widget` is on (without panels and docks), if known."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return None if screen is None else screen.availableGeometry().size()


def fitting_size(wanted: QSize, available: QSize | None) -> QSize:
    """`wanted`, cut down so that it and the window's frame fit in `available`."""
    if available is None:
        return wanted
    return wanted.boundedTo(available - FRAME_ALLOWANCE).expandedTo(QSize(1, 1))


def place_window(window: QMainWindow, settings: Settings) -> None:
    """Put the window where it was left; a first window gets the default size, centred."""
    if settings.window_geometry and window.restoreGeometry(_bytes(settings.window_geometry)):
        return
    screen = window.screen() or QGuiApplication.primaryScreen()
    size = fitting_size(DEFAULT_SIZE, available_size(window))
    window.resize(size)
    if screen is not None:
        free = screen.availableGeometry()
        left = free.x() + max(0, (free.width() - size.width() - FRAME_ALLOWANCE.width()) // 2)
        top = free.y() + max(0, (free.height() - size.height() - FRAME_ALLOWANCE.height()) // 2)
        window.move(left, top)


def restore_panes(window: QMainWindow, splitter: QSplitter, settings: Settings) -> None:
    """Give the panes the widths they had (when there are as many panes as then)."""
    if settings.window_state:
        window.restoreState(_bytes(settings.window_state))
    if len(settings.splitter_sizes) == splitter.count():
        splitter.setSizes(settings.splitter_sizes)


def hold_pane_widths(splitter: QSplitter) -> None:
    """Fix each pane's least width at what its controls need, before any content is shown.

    A long line shown later (an official's address, an argument's title) is then
    wrapped or cut off inside its pane instead of widening the pane and the window.
    """
    for index in range(splitter.count()):
        pane = splitter.widget(index)
        if pane is not None:
            pane.setMinimumWidth(max(1, pane.minimumSizeHint().width()))


def save_window(window: QMainWindow, splitter: QSplitter | None, settings: Settings) -> None:
    """Note the window's place, size and panes in the settings (saved with them)."""
    settings.window_geometry = _text(window.saveGeometry())
    settings.window_state = _text(window.saveState())
    if splitter is not None and sum(splitter.sizes()) > 0:
        settings.splitter_sizes = list(splitter.sizes())


def start_folder(settings: Settings) -> Path:
    """Where a file dialog opens: the folder last used while it is still there, else
    the Documents folder."""
    if settings.last_folder and Path(settings.last_folder).is_dir():
        return Path(settings.last_folder)
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents else Path.home()


def remember_folder(settings: Settings, chosen: Path) -> None:
    """Note the folder of a file (or the folder) the user just chose in a file dialog."""
    folder = chosen if chosen.is_dir() else chosen.parent
    settings.last_folder = str(folder)


def _bytes(text: str) -> QByteArray:
    return QByteArray.fromBase64(QByteArray(text.encode("ascii", "replace")))


def _text(data: QByteArray) -> str:
    return bytes(data.toBase64().data()).decode("ascii")
