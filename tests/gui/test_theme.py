"""Light and dark palettes: the window follows the system's, the printed page never does."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from composer.gui.theme import is_dark

ROLES = QPalette.ColorRole


def _dark_palette() -> QPalette:
    """A dark palette such as a desktop in dark mode hands to Qt."""
    palette = QPalette()
    for role, colour in (
        (ROLES.Window, "#2d2d2d"),
        (ROLES.WindowText, "#f0f0f0"),
        (ROLES.Base, "#1f1f1f"),
        (ROLES.AlternateBase, "#2a2a2a"),
        (ROLES.Text, "#f0f0f0"),
        (ROLES.Button, "#353535"),
        (ROLES.ButtonText, "#f0f0f0"),
        (ROLES.Highlight, "#3d7ad6"),
        (ROLES.HighlightedText, "#ffffff"),
        (ROLES.PlaceholderText, "#9a9a9a"),
        (ROLES.Mid, "#555555"),
        (ROLES.Dark, "#1a1a1a"),
    ):
        palette.setColor(role, QColor(colour))
    return palette


@pytest.fixture
def dark_system(qapp: QApplication) -> Iterator[QPalette]:
    """The system switched to dark mode for the duration of one test."""
    before = QPalette(qapp.palette())
    qapp.setPalette(_dark_palette())
    yield qapp.palette()
    qapp.setPalette(before)


def _mean_lightness(widget: QWidget) -> float:
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    step = 4
    values = [
        image.pixelColor(x, y).lightness()
        for y in range(0, image.height(), step)
        for x in range(0, image.width(), step)
    ]
    return sum(values) / len(values)


def test_is_dark_reads_the_palette(dark_system: QPalette) -> None:
    assert is_dark(dark_system)
    assert is_dark()
    light = QPalette(QColor("#efefef"))
    assert not is_dark(light)


def test_the_window_follows_a_dark_system_palette(main_window, dark_system, qtbot) -> None:
    main_window.spelling.start()
    for part in (
        main_window.picker.tree,
        main_window.picker.search,
        main_window.editor.text.viewport(),
        main_window.recipient_bar,
        main_window.statusBar(),
    ):
        assert _mean_lightness(part) < 110, part.accessibleName() or type(part).__name__


def test_the_window_is_light_in_a_light_palette(main_window) -> None:
    assert not is_dark()
    assert _mean_lightness(main_window.editor.text.viewport()) > 180


def test_pages_print_black_text_under_a_dark_palette(main_window, dark_system) -> None:
    from composer.printing.letter_layout import LetterPages

    pages = main_window.output.page_items()
    assert pages and isinstance(pages[0], LetterPages)
    image = pages[0].page_image(0, dpi=48)
    darkest = min(
        image.pixelColor(x, y).lightness()
        for y in range(0, image.height(), 2)
        for x in range(0, image.width(), 2)
    )
    assert darkest < 60


def test_spelling_underline_brightens_on_a_dark_palette(qapp, qtbot, tmp_path) -> None:
    from PySide6.QtWidgets import QTextEdit

    from composer.gui.spelling import UNDERLINE_COLOR, UNDERLINE_COLOR_DARK, SpellingSupport

    editor = QTextEdit()
    qtbot.addWidget(editor)
    editor.setPlainText("A sentense.")
    spelling = SpellingSupport(editor, "en_US", tmp_path / "words.txt")
    editor.show()
    qtbot.waitExposed(editor)
    assert spelling.highlighter.misspelt_format.underlineColor() == UNDERLINE_COLOR
    before = QPalette(qapp.palette())
    try:
        qapp.setPalette(_dark_palette())  # reaches the widgets as posted events
        qtbot.waitUntil(
            lambda: spelling.highlighter.misspelt_format.underlineColor() == UNDERLINE_COLOR_DARK
        )
        block = editor.document().firstBlock()
        colours = {span.format.underlineColor().name() for span in block.layout().formats()}
        assert colours == {UNDERLINE_COLOR_DARK.name()}  # words drawn before follow too
    finally:
        qapp.setPalette(before)
    qtbot.waitUntil(
        lambda: spelling.highlighter.misspelt_format.underlineColor() == UNDERLINE_COLOR
    )
