"""How the program looks: its icon, and help for following the system's light or dark palette."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication, QIcon, QPalette, QPixmap

APP_ICON_NAME = "io.github.letter_composer.LetterComposer"
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def app_icon() -> QIcon:
    """The application icon from the bundled PNGs (every size, so it stays sharp at any scale).

    Read through importlib.resources, so it works from a checkout, a wheel or a
    frozen bundle alike. Returns an empty icon if the files are missing.
    """
    icon = QIcon()
    root = files("composer.resources").joinpath("icons", "hicolor")
    for size in ICON_SIZES:
        resource = root.joinpath(f"{size}x{size}", "apps", f"{APP_ICON_NAME}.png")
        if isinstance(resource, Path):
            if resource.is_file():  # a real file: Qt reads it only when a size is drawn
                icon.addFile(str(resource), QSize(size, size))
            continue
        if not resource.is_file():
            continue
        pixmap = QPixmap()
        if pixmap.loadFromData(resource.read_bytes(), "PNG"):
            icon.addPixmap(pixmap)
    return icon


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether the palette (the application's by default) draws light text on a dark window."""
    if palette is None:
        palette = QGuiApplication.palette()
    window = palette.color(QPalette.ColorRole.Window)
    text = palette.color(QPalette.ColorRole.WindowText)
    return window.lightness() < text.lightness()
