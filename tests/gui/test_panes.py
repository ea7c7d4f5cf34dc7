"""F6 and Shift+F6 between panes, and a visible frame round the pane with the focus."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

SHIFT = Qt.KeyboardModifier.ShiftModifier


def _press_f6(modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> QWidget:
    focus = QApplication.focusWidget()
    assert focus is not None
    QTest.keyClick(focus, Qt.Key.Key_F6, modifier)
    now = QApplication.focusWidget()
    assert now is not None
    return now


def _highlight_pixels(widget: QWidget) -> int:
    """Pixels of the selection colour along the widget's left edge."""
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    highlight = widget.palette().color(QPalette.ColorRole.Highlight)
    return sum(
        1 for y in range(image.height()) for x in range(3) if QColor(image.pixel(x, y)) == highlight
    )


def test_f6_and_shift_f6_go_round_the_panes(main_window, qtbot) -> None:
    window = main_window
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.recipient_bar.subject.setFocus()  # in no pane: F6 starts with the first
    order = [
        window.picker.tree,
        window.picker.details,
        window.editor.text,
        window.preview.scroll_area,
    ]
    for expected in [*order, order[0]]:
        assert _press_f6() is expected
    for expected in [order[-1], order[-2], order[-3]]:
        assert _press_f6(SHIFT) is expected
    assert window.pane_keys.next_action in window.menus.view_menu.actions()


def test_the_argument_text_and_preview_show_when_they_have_the_focus(main_window, qtbot) -> None:
    window = main_window
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    for pane in (window.picker.details, window.preview.scroll_area):
        window.editor.text.setFocus()
        qtbot.waitUntil(lambda: QApplication.focusWidget() is window.editor.text)
        unfocused = _highlight_pixels(pane)
        pane.setFocus()
        qtbot.waitUntil(lambda p=pane: QApplication.focusWidget() is p)
        focused = _highlight_pixels(pane)
        assert unfocused == 0
        assert focused >= pane.height()  # a line of the selection colour down the side
