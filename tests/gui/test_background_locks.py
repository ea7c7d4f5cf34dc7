"""The window never makes Qt objects whose deletion asks for Python's lock inside
Qt's connection lock while letters are drawn in the background.

With the style's animation time, a main window makes a zero-length animation of
its central widget at every relayout; deleting it calls into the Python widget
with Qt's connection lock held, and a worker laying out a page holds Python's
lock while it waits for that connection lock. Both threads then stop for good
(seen in the merge tests). The panes are moved at once instead.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractAnimation, QEvent
from PySide6.QtWidgets import QApplication, QLabel, QStyle
from pytestqt.qtbot import QtBot

from composer.gui.mainwindow import MainWindow


def test_relayouts_of_the_window_make_no_animations(main_window: MainWindow, qtbot: QtBot) -> None:
    window = main_window
    splitter = window.splitter
    for width in (900, 1000, 1100):
        window.statusBar().addPermanentWidget(QLabel(f"{width} wide"))
        window.resize(width, 700)
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest.value)
        assert splitter.findChildren(QAbstractAnimation) == []
    assert splitter.width() > 0
    # Only the splitter has the still style: the panes keep the application's.
    own = splitter.style().styleHint(QStyle.StyleHint.SH_Widget_Animation_Duration, None, splitter)
    assert own == 0
    assert window.picker.style() is QApplication.style()
