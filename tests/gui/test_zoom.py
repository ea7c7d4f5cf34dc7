"""Zoom: Ctrl+plus, Ctrl+minus and Ctrl+0 on the letter and the preview, kept in the settings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from composer.core.campaigns import default_campaign
from composer.core.settings import Settings, load_settings, save_settings
from composer.gui.editor import LETTER_POINTS, LetterEditor
from composer.gui.zoom import next_step

CTRL = Qt.KeyboardModifier.ControlModifier


def _press(key: Qt.Key, modifier: Qt.KeyboardModifier = CTRL) -> None:
    focus = QApplication.focusWidget()
    assert focus is not None
    QTest.keyClick(focus, key, modifier)


def _letter_points(window) -> float:
    return window.editor.text.document().defaultFont().pointSizeF()


@pytest.fixture
def active(main_window, qtbot):
    main_window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is main_window)
    return main_window


@pytest.fixture
def system_font_16(qapp: QApplication) -> Iterator[QFont]:
    """The desktop set to a 16 pt interface font for the duration of one test."""
    before = QFont(qapp.font())
    large = QFont(before)
    large.setPointSizeF(16)
    qapp.setFont(large)
    yield large
    qapp.setFont(before)


def test_zoom_steps() -> None:
    assert next_step(100, 1) == 110
    assert next_step(100, -1) == 90
    assert next_step(105, 1) == 110  # a size between steps goes to the next one
    assert next_step(300, 1) == 300 and next_step(50, -1) == 50


def test_keys_zoom_the_letter_and_the_settings_keep_it(active, qtbot) -> None:
    window = active
    base = _letter_points(window)
    assert base == max(LETTER_POINTS, QApplication.font().pointSizeF())
    window.editor.text.setFocus()
    _press(Qt.Key.Key_Plus)
    assert window.editor.zoom == 110
    assert _letter_points(window) == pytest.approx(base * 1.1, abs=0.05)
    _press(Qt.Key.Key_Equal)  # Ctrl+= too, the same key without Shift
    assert window.editor.zoom == 125
    assert window.settings.editor_zoom == 125
    assert window.statusBar().currentMessage() == "Letter text at 125%."
    _press(Qt.Key.Key_0)
    assert window.editor.zoom == 100 and _letter_points(window) == base
    _press(Qt.Key.Key_Minus)
    assert window.settings.editor_zoom == 90
    assert window.zoom.zoom_out_action in window.menus.view_menu.actions()


def test_zoom_leaves_the_saved_and_printed_letter_unchanged(active) -> None:
    window = active
    before = window.current_letter().body_html
    window.editor.text.setFocus()
    for _ in range(3):
        _press(Qt.Key.Key_Plus)
    assert window.editor.zoom == 150
    assert window.current_letter().body_html == before
    assert f"font-size:{LETTER_POINTS:g}pt" in before.split("<body")[1].split(">")[0]
    # A letter saved at another size opens at this one: no character keeps the old size.
    window.editor.set_html(before.replace("font-size:11pt", "font-size:20pt"))
    inside = window.editor.text.toHtml().split("<body")[1].split(">", 1)[1]
    assert "font-size" not in inside
    assert window.current_letter().body_html == before


def test_the_letter_follows_a_large_system_font(qtbot, system_font_16: QFont) -> None:
    editor = LetterEditor()
    qtbot.addWidget(editor)
    assert editor.text.document().defaultFont().pointSizeF() == 16
    assert editor.text.document().defaultFont().family() == "DejaVu Serif"
    editor.set_zoom(150)
    assert editor.text.document().defaultFont().pointSizeF() == 24


def test_keys_zoom_the_preview_when_it_has_the_focus(active, qtbot) -> None:
    window = active
    qtbot.waitUntil(lambda: bool(window.preview.page_labels()), timeout=10000)
    width = window.preview.page_labels()[0].pixmap().width()
    scroll = window.preview._scroll
    scroll.setFocus()
    assert QApplication.focusWidget() is scroll
    with qtbot.waitSignal(window.preview.updated, timeout=10000):
        _press(Qt.Key.Key_Plus)
    assert window.preview.zoom == 110 and window.editor.zoom == 100
    assert window.settings.preview_zoom == 110
    wider = window.preview.page_labels()[0].pixmap().width()
    assert wider == pytest.approx(width * 1.1, rel=0.03)
    with qtbot.waitSignal(window.preview.updated, timeout=10000):
        _press(Qt.Key.Key_0)
    assert window.preview.page_labels()[0].pixmap().width() == pytest.approx(width, abs=2)


def test_a_new_window_opens_at_the_saved_sizes(qtbot, locations, tmp_path: Path) -> None:
    from composer.gui.mainwindow import MainWindow

    path = tmp_path / "settings.json"
    save_settings(path, Settings(editor_zoom=150, preview_zoom=80))
    settings = load_settings(path)
    assert (settings.editor_zoom, settings.preview_zoom) == (150, 80)
    assert load_settings(path).validated() == settings
    window = MainWindow(locations, settings, default_campaign())
    qtbot.addWidget(window)
    assert window.editor.zoom == 150 and window.preview.zoom == 80
    base = window.editor.base_points()
    assert window.editor.text.document().defaultFont().pointSizeF() == pytest.approx(base * 1.5)
    window.pool.waitForDone(5000)


def test_a_size_out_of_range_in_the_settings_falls_back() -> None:
    assert Settings(editor_zoom=5000, preview_zoom=1).validated() == Settings()


def test_zoom_of_a_widget_without_a_pane_is_the_letter(active) -> None:
    other = QWidget(active)
    other.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    other.setFocus()
    assert active.zoom.focused_pane() == "editor"
