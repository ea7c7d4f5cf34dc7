"""View ▸ Zoom In, Zoom Out and Actual Size for the letter and the preview.

The keys act on the pane that has the keyboard focus: the preview when it has
it, the letter otherwise. Each pane keeps its own size, remembered in the
settings (``editor_zoom``, ``preview_zoom``). Zooming changes only what is on
screen: the saved, printed and sent letter stays the same.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu

from composer.core.settings import ZOOM_MAX, ZOOM_MIN
from composer.i18n import _

if TYPE_CHECKING:
    from composer.core.settings import Settings
    from composer.gui.editor import LetterEditor
    from composer.gui.preview import PagePreview

# The sizes Zoom In and Zoom Out step through, in percent.
ZOOM_STEPS = (50, 67, 80, 90, 100, 110, 125, 150, 175, 200, 250, 300)


def next_step(percent: int, direction: int) -> int:
    """The next size up (`direction` 1) or down (-1) from `percent`, within the limits."""
    if direction > 0:
        larger = [step for step in ZOOM_STEPS if step > percent]
        return larger[0] if larger else ZOOM_MAX
    smaller = [step for step in ZOOM_STEPS if step < percent]
    return smaller[-1] if smaller else ZOOM_MIN


class ZoomControl(QObject):
    """The zoom actions and the sizes of the two panes.

    Args:
        editor: the letter editor.
        preview: the page preview.
        settings: returns the settings in use now (they are replaced when the user
            changes them), where the sizes are kept.
        parent: the owner of the actions (the main window).

    Attributes:
        zoom_in_action, zoom_out_action, actual_size_action: for the View menu.

    Signals:
        zoomed(str, int): a pane ("editor" or "preview") is now shown at that percent.
        message(str): what changed, for the status bar.
    """

    zoomed = Signal(str, int)
    message = Signal(str)

    def __init__(
        self,
        editor: LetterEditor,
        preview: PagePreview,
        settings: Callable[[], Settings],
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self.editor = editor
        self.preview = preview
        self._settings = settings
        self.zoom_in_action = self._action(
            _("Zoom &In"), [QKeySequence(QKeySequence.StandardKey.ZoomIn), QKeySequence("Ctrl+=")]
        )
        self.zoom_out_action = self._action(
            _("Zoom &Out"), [QKeySequence(QKeySequence.StandardKey.ZoomOut)]
        )
        self.actual_size_action = self._action(_("&Actual Size"), [QKeySequence("Ctrl+0")])
        self.zoom_in_action.triggered.connect(lambda: self.step(1))
        self.zoom_out_action.triggered.connect(lambda: self.step(-1))
        self.actual_size_action.triggered.connect(lambda: self.set_zoom(self.focused_pane(), 100))
        current = settings()
        editor.set_zoom(current.editor_zoom)
        preview.set_zoom(current.preview_zoom)

    def _action(self, text: str, keys: list[QKeySequence]) -> QAction:
        action = QAction(text, self.parent())
        action.setShortcuts(keys)
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setStatusTip(
            _("Change the size of the letter or, when it has the focus, the preview")
        )
        return action

    def actions(self) -> list[QAction]:
        """The three actions, in menu order."""
        return [self.zoom_in_action, self.zoom_out_action, self.actual_size_action]

    def focused_pane(self) -> str:
        """ "preview" when the keyboard focus is in the preview, else "editor"."""
        focus = QApplication.focusWidget()
        if focus is not None and (focus is self.preview or self.preview.isAncestorOf(focus)):
            return "preview"
        return "editor"

    def zoom_of(self, pane: str) -> int:
        """The size of a pane in percent."""
        return self.preview.zoom if pane == "preview" else self.editor.zoom

    def step(self, direction: int) -> None:
        """Make the focused pane one step larger (1) or smaller (-1)."""
        pane = self.focused_pane()
        self.set_zoom(pane, next_step(self.zoom_of(pane), direction))

    def set_zoom(self, pane: str, percent: int) -> None:
        """Show a pane at `percent` (kept within the limits) and remember it."""
        percent = max(ZOOM_MIN, min(ZOOM_MAX, percent))
        settings = self._settings()
        if pane == "preview":
            self.preview.set_zoom(percent)
            settings.preview_zoom = percent
        else:
            self.editor.set_zoom(percent)
            settings.editor_zoom = percent
        self.zoomed.emit(pane, percent)
        if pane == "preview":
            message = _("Preview at {percent}%.")
        else:
            message = _("Letter text at {percent}%.")
        self.message.emit(message.format(percent=percent))


def install_zoom(window: QMainWindow, view_menu: QMenu) -> ZoomControl:
    """Give the main window its zoom actions (in `view_menu`) and status messages."""
    control = ZoomControl(
        window.editor,  # type: ignore[attr-defined]
        window.preview,  # type: ignore[attr-defined]
        lambda: window.settings,  # type: ignore[attr-defined]
        window,
    )
    view_menu.addSeparator()
    view_menu.addActions(control.actions())
    control.message.connect(lambda text: window.statusBar().showMessage(text, 4000))
    return control
