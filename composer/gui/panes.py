"""F6 and Shift+F6 between the window's panes, and a visible frame round the pane with the focus.

Tab walks every control in turn; F6 jumps from pane to pane, as in most
desktop programs: the argument list, the argument's full text, the letter and
the preview. Panes that draw no focus of their own (the argument's text, the
preview) get a frame in the selection colour while they have the focus.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QMainWindow, QMenu, QWidget

# The frame is as wide focused or not, so nothing moves when the focus comes and goes.
FOCUS_FRAME_STYLE = (
    "QAbstractScrollArea { border: 1px solid palette(mid); padding: 1px; }"
    " QAbstractScrollArea:focus { border: 2px solid palette(highlight); padding: 0px; }"
)


def show_focus_frame(area: QAbstractScrollArea) -> None:
    """Draw a frame in the selection colour round `area` while it has the keyboard focus."""
    area.setStyleSheet(FOCUS_FRAME_STYLE)
    if area.focusPolicy() == Qt.FocusPolicy.NoFocus:
        area.setFocusPolicy(Qt.FocusPolicy.StrongFocus)


class PaneKeys(QObject):
    """Moves the keyboard focus from pane to pane.

    Args:
        panes: the widget that takes the focus in each pane, in order, with its name.
        parent: the window (the actions are added to it).

    Attributes:
        next_action, previous_action: "Next Pane" (F6) and "Previous Pane" (Shift+F6).
    """

    def __init__(self, panes: list[tuple[str, QWidget]], parent: QWidget) -> None:
        super().__init__(parent)
        self.panes = panes
        self.next_action = self._action("Next &Pane", Qt.Key.Key_F6, 1)
        self.previous_action = self._action(
            "Pre&vious Pane", QKeySequence(Qt.Modifier.SHIFT | Qt.Key.Key_F6), -1
        )
        parent.addActions([self.next_action, self.previous_action])

    def _action(self, text: str, key: QKeySequence | Qt.Key, step: int) -> QAction:
        action = QAction(text, self.parent())
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda: self.move(step))
        return action

    def current(self) -> int:
        """The number of the pane holding the focus, or -1."""
        focus = QApplication.focusWidget()
        for index, (_name, widget) in enumerate(self.panes):
            if focus is not None and (focus is widget or widget.isAncestorOf(focus)):
                return index
        return -1

    def move(self, step: int) -> str:
        """Focus the next (1) or previous (-1) pane that is on screen; returns its name."""
        start = self.current()
        if start < 0 and step < 0:
            start = 0  # from outside every pane, Shift+F6 goes to the last one
        count = len(self.panes)
        for offset in range(1, count + 1):
            name, widget = self.panes[(start + step * offset) % count]
            if widget.isVisible() and widget.width() > 0 and widget.height() > 0:
                widget.setFocus(Qt.FocusReason.ShortcutFocusReason)
                return name
        return ""


def install_pane_keys(window: QMainWindow, view_menu: QMenu) -> PaneKeys:
    """Give the main window F6 and Shift+F6, and focus frames on the argument text and preview."""
    picker = window.picker  # type: ignore[attr-defined]
    editor = window.editor  # type: ignore[attr-defined]
    preview = window.preview  # type: ignore[attr-defined]
    show_focus_frame(picker.details)
    show_focus_frame(preview.scroll_area)
    keys = PaneKeys(
        [
            ("Arguments", picker.tree),
            ("Argument text", picker.details),
            ("Letter", editor.text),
            ("Preview", preview.scroll_area),
        ],
        window,
    )
    view_menu.addSeparator()
    view_menu.addActions([keys.next_action, keys.previous_action])
    return keys
