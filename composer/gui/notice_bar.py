"""A bar above the letter that tells something and offers what to do about it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from composer.gui.a11y import announce
from composer.i18n import _


class NoticeBar(QFrame):
    """A message above the letter with a few buttons; it never blocks the window.

    Signals:
        dismissed(): the user closed the bar.
    """

    dismissed = Signal()

    def __init__(self, text: str, warning: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("NoticeBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(_("Warning") if warning else _("Notice"))
        self._warning = warning
        self._announced = False
        if warning:
            # A fixed pale yellow with black text reads in light and dark themes alike.
            style = "#NoticeBar { background: #fff4ce; border: 1px solid #c8a600; }"
            style += " #NoticeBar QLabel { color: black; }"
        else:
            style = "#NoticeBar { background: palette(alternate-base); border: 1px solid palette(mid); }"
        self.setStyleSheet(style)
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons: dict[str, QPushButton] = {}
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(8, 4, 4, 4)
        self._layout.addWidget(self.label, 1)
        close = QToolButton()
        close.setText("×")
        close.setAccessibleName(_("Dismiss"))
        close.setToolTip(_("Dismiss"))
        close.clicked.connect(self.dismiss)
        self.close_button = close
        self._layout.addWidget(close)

    def showEvent(self, event: QShowEvent) -> None:
        """Announce the message the first time the bar appears (a warning interrupts)."""
        super().showEvent(event)
        if not self._announced:
            self._announced = True
            announce(self.label, self.label.text(), assertive=self._warning)

    def add_button(self, text: str, slot: Callable[[], object]) -> QPushButton:
        """Add a button before the close button."""
        button = QPushButton(text)
        button.clicked.connect(lambda: slot())
        self._layout.insertWidget(self._layout.count() - 1, button)
        self.buttons[text.replace("&", "")] = button
        return button

    def text(self) -> str:
        """The message shown."""
        return self.label.text()

    def dismiss(self) -> None:
        """Close the bar."""
        self.hide()
        self.dismissed.emit()
        self.deleteLater()
