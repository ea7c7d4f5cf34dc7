"""The "Find My Officials" window: the search panel with a Close button."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QThreadPool, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from composer.core.directory import DEFAULT_URLS, Directory
from composer.gui.recipients_panel import RecipientsPanel
from composer.i18n import _


class RecipientsDialog(QDialog):
    """The "Find my officials" window: the panel with Use Selected and Close.

    Signals:
        recipients_chosen(list): forwarded from the panel (list of Recipient).
    """

    recipients_chosen = Signal(list)

    def __init__(
        self,
        directory: Directory,
        pool: QThreadPool | None = None,
        near_zip: str = "",
        urls: Mapping[str, str] = DEFAULT_URLS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Find My Officials"))
        self.panel = RecipientsPanel(directory, pool, near_zip, urls, self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel)
        layout.addWidget(buttons)
        self.panel.recipients_chosen.connect(self.recipients_chosen)
        self.panel.recipients_chosen.connect(self.accept)
        # Started from the menu, an import or update shows its progress and its result here.
        self.panel.update_action.triggered.connect(self._show_panel)
        self.panel.import_action.triggered.connect(self._show_panel)
        self.resize(720, 560)

    def showEvent(self, event: QShowEvent) -> None:
        """Open with the keyboard in the search field, its text selected to type over."""
        super().showEvent(event)
        if not event.spontaneous():
            self.panel.query.setFocus()
            self.panel.query.selectAll()

    def _show_panel(self) -> None:
        self.show()
        self.raise_()
        self.activateWindow()

    def reject(self) -> None:
        """Close; a running job is cancelled (its result is ignored)."""
        self.panel.cancel()
        super().reject()
