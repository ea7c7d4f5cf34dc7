"""Contrast: every text colour the program shows or sets has at least 4.5:1 (WCAG 2 AA)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel

from composer.gui.theme import (
    MIN_CONTRAST,
    TEXT_PAIRS,
    contrast_ratio,
    keep_palette_readable,
    readable_palette,
)
from tests.gui.test_theme import _dark_palette

ROLES = QPalette.ColorRole
ACTIVE = QPalette.ColorGroup.Active


def _light_palette(app: QApplication) -> QPalette:
    """The style's own light palette (Fusion: grey placeholders, a mid-blue selection)."""
    return app.style().standardPalette()


def _dim_dark_palette() -> QPalette:
    """A dark desktop palette with dim placeholders and links, as some themes ship."""
    palette = _dark_palette()
    palette.setColor(ROLES.PlaceholderText, QColor("#5a5a5a"))
    palette.setColor(ROLES.Link, QColor("#2a5db0"))
    palette.setColor(ROLES.Highlight, QColor("#5294e2"))
    return palette


def _shortfalls(palette: QPalette) -> list[str]:
    found = []
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        for text, background, _change in TEXT_PAIRS:
            ratio = contrast_ratio(palette.color(group, text), palette.color(group, background))
            if ratio < MIN_CONTRAST:
                found.append(f"{group.name} {text.name} on {background.name}: {ratio:.2f}")
    return found


@pytest.fixture
def restore_palette(qapp: QApplication) -> Iterator[QApplication]:
    before = QPalette(qapp.palette())
    yield qapp
    qapp.setPalette(before)


def test_contrast_ratio_matches_wcag() -> None:
    assert contrast_ratio(QColor("black"), QColor("white")) == pytest.approx(21)
    assert contrast_ratio(QColor("white"), QColor("white")) == pytest.approx(1)
    assert contrast_ratio(QColor("#767676"), QColor("white")) == pytest.approx(4.54, abs=0.01)
    # Half-transparent black on white shows as mid grey.
    assert contrast_ratio(QColor(0, 0, 0, 128), QColor("white")) == pytest.approx(4.0, abs=0.05)


def test_the_light_palette_falls_short_and_is_fixed(qapp: QApplication) -> None:
    light = _light_palette(qapp)
    assert _shortfalls(light)  # Fusion's placeholders and selection are below 4.5:1
    fixed = readable_palette(light)
    assert _shortfalls(fixed) == []
    # Roles that were fine keep the system's colours.
    for role in (ROLES.WindowText, ROLES.Window, ROLES.Text, ROLES.Base, ROLES.HighlightedText):
        assert fixed.color(ACTIVE, role) == light.color(ACTIVE, role)


@pytest.mark.parametrize("make", [_dark_palette, _dim_dark_palette], ids=["dark", "dim-dark"])
def test_dark_palettes_are_fixed_and_stay_dark(make) -> None:
    fixed = readable_palette(make())
    assert _shortfalls(fixed) == []
    assert fixed.color(ROLES.Window).lightness() < 80
    assert fixed.color(ROLES.PlaceholderText).lightness() > fixed.color(ROLES.Base).lightness()


def test_the_application_keeps_its_palette_readable(restore_palette: QApplication) -> None:
    app = restore_palette
    app.setPalette(_light_palette(app))
    watcher = keep_palette_readable(app)
    try:
        assert _shortfalls(app.palette()) == []
        app.setPalette(_dim_dark_palette())  # the desktop switches to a dark theme
        assert _shortfalls(app.palette()) == []
        assert app.palette().color(ROLES.Window) == QColor("#2d2d2d")
    finally:
        app.removeEventFilter(watcher)
        watcher.deleteLater()


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_text_the_window_colours_itself_is_readable(
    main_window, restore_palette: QApplication, dark: bool
) -> None:
    # The system's own palette, not fixed: colours the program picks must be readable on it.
    app = restore_palette
    app.setPalette(_dark_palette() if dark else _light_palette(app))
    coach = main_window.coach_panel
    assert coach.why_label.text().startswith("Why it matters")
    labels = [coach.why_label, coach.summary, main_window.profile_banner, main_window.word_label]
    for label in labels:
        label.ensurePolished()
        palette = label.palette()
        text = palette.color(label.foregroundRole())
        background = palette.color(label.backgroundRole())
        if label is main_window.profile_banner:
            background = palette.color(ROLES.AlternateBase)
        ratio = contrast_ratio(text, background)
        assert ratio >= MIN_CONTRAST, f"{label.accessibleName()}: {ratio:.2f}"
    assert isinstance(coach.why_label, QLabel) and coach.why_label.font().italic()
