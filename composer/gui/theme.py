"""How the program looks: its icon, the system's light or dark palette, and readable contrast."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSize
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPalette, QPixmap

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


# WCAG 2 asks at least 4.5:1 between normal text and its background.
MIN_CONTRAST = 4.5
_ROLE = QPalette.ColorRole
# (text, background, which one to change) for every pair of roles that show text.
TEXT_PAIRS: tuple[tuple[QPalette.ColorRole, QPalette.ColorRole, str], ...] = (
    (_ROLE.WindowText, _ROLE.Window, "text"),
    (_ROLE.WindowText, _ROLE.AlternateBase, "text"),  # notices drawn on alternate-base
    (_ROLE.Text, _ROLE.Base, "text"),
    (_ROLE.Text, _ROLE.AlternateBase, "text"),
    (_ROLE.ButtonText, _ROLE.Button, "text"),
    (_ROLE.PlaceholderText, _ROLE.Base, "text"),
    (_ROLE.PlaceholderText, _ROLE.Window, "text"),
    (_ROLE.ToolTipText, _ROLE.ToolTipBase, "text"),
    (_ROLE.Link, _ROLE.Base, "text"),
    (_ROLE.LinkVisited, _ROLE.Base, "text"),
    (_ROLE.HighlightedText, _ROLE.Highlight, "background"),
)
# Disabled controls are exempt from the contrast rule (and must look disabled).
_GROUPS = (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive)


def _luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def over(colour: QColor, background: QColor) -> QColor:
    """The opaque colour a translucent `colour` shows on `background`."""
    alpha = colour.alphaF()
    return QColor.fromRgbF(
        colour.redF() * alpha + background.redF() * (1 - alpha),
        colour.greenF() * alpha + background.greenF() * (1 - alpha),
        colour.blueF() * alpha + background.blueF() * (1 - alpha),
    )


def contrast_ratio(text: QColor, background: QColor) -> float:
    """The WCAG contrast ratio of `text` (blended if translucent) on `background`, 1 to 21."""
    lighter, darker = sorted(
        (_luminance(over(text, background)), _luminance(background)), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


def readable(colour: QColor, against: QColor, minimum: float = MIN_CONTRAST) -> QColor:
    """`colour`, made darker or lighter (away from `against`) until it has `minimum` contrast."""
    colour = over(colour, against)
    if contrast_ratio(colour, against) >= minimum:
        return colour
    toward = QColor("black") if _luminance(against) > 0.18 else QColor("white")
    for step in range(1, 21):
        share = step / 20
        mixed = QColor.fromRgbF(
            colour.redF() * (1 - share) + toward.redF() * share,
            colour.greenF() * (1 - share) + toward.greenF() * share,
            colour.blueF() * (1 - share) + toward.blueF() * share,
        )
        if contrast_ratio(mixed, against) >= minimum:
            return mixed
    return toward


def readable_palette(palette: QPalette) -> QPalette:
    """A copy of `palette` where every text role has at least 4.5:1 on its background.

    Text colours that fall short are darkened (on light backgrounds) or lightened
    (on dark ones) just enough; a selection's background is changed instead of
    its text, so selected text keeps the system's colour.
    """
    fixed = QPalette(palette)
    for group in _GROUPS:
        for text_role, background_role, change in TEXT_PAIRS:
            text = fixed.color(group, text_role)
            background = fixed.color(group, background_role)
            if contrast_ratio(text, background) >= MIN_CONTRAST:
                continue
            if change == "background":
                fixed.setColor(group, background_role, readable(background, text))
            else:
                fixed.setColor(group, text_role, readable(text, background))
    return fixed


class _ReadablePalette(QObject):
    """Keeps the application's palette readable, also after the system's changes."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ApplicationPaletteChange and watched is self.parent():
            keep_readable_now()
        return False


def keep_readable_now() -> None:
    """Fix the application palette's contrast now (does nothing when it already is readable)."""
    palette = QGuiApplication.palette()
    fixed = readable_palette(palette)
    if fixed != palette:
        QGuiApplication.setPalette(fixed)


def keep_palette_readable(app: QGuiApplication) -> QObject:
    """Make the application's text readable now and whenever the system palette changes.

    Returns:
        The event filter that watches for changes (remove it from `app` to stop).
    """
    keep_readable_now()
    watcher = _ReadablePalette(app)
    app.installEventFilter(watcher)
    return watcher
