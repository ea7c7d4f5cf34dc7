"""Who the letter goes to and its subject: a compact bar above the editor."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from composer.core.models import Recipient, custom_recipient, white_house

CUSTOM = "custom"


class RecipientBar(QWidget):
    """Chooses the recipient (built-in officials or one typed by hand) and the subject.

    Signals:
        changed(): the recipient or the subject changed.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._known: dict[str, Recipient] = {}
        self.choice = QComboBox()
        self.choice.setAccessibleName("Recipient")
        self.choice.setAccessibleDescription(
            "Who the letter is addressed to; choose Someone else to type a name and address"
        )
        self.custom_name = QLineEdit()
        self.custom_name.setPlaceholderText("Name, e.g. Mayor Jane Doe")
        self.custom_name.setAccessibleName("Recipient name")
        self.custom_name.setAccessibleDescription("The full name and title of the recipient")
        self.custom_address = QPlainTextEdit()
        self.custom_address.setPlaceholderText("Street\nCity, State ZIP")
        self.custom_address.setAccessibleName("Recipient postal address")
        self.custom_address.setAccessibleDescription(
            "The recipient's postal address, one line per line of the envelope"
        )
        self.custom_address.setTabChangesFocus(True)
        self.custom_address.setFixedHeight(self.fontMetrics().lineSpacing() * 4)
        self.custom_salutation = QLineEdit()
        self.custom_salutation.setPlaceholderText("Dear Mayor Doe:")
        self.custom_salutation.setAccessibleName("Greeting")
        self.custom_salutation.setAccessibleDescription(
            "How the letter greets the recipient, for example Dear Mayor Doe:"
        )
        self.subject = QLineEdit()
        self.subject.setAccessibleName("Subject")
        self.subject.setAccessibleDescription("The subject line of the letter and of the e-mail")

        self.form = QFormLayout(self)
        self.form.setContentsMargins(6, 6, 6, 0)
        self.form.addRow("&To:", self.choice)
        self.form.addRow("&Name:", self.custom_name)
        self.form.addRow("&Address:", self.custom_address)
        self.form.addRow("&Greeting:", self.custom_salutation)
        self.form.addRow("&Subject:", self.subject)
        self.set_recipients([white_house()])

        self.choice.currentIndexChanged.connect(self._choice_changed)
        for field in (self.custom_name, self.custom_salutation, self.subject):
            field.textChanged.connect(self.changed)
        self.custom_address.textChanged.connect(self.changed)
        self._choice_changed()

    def set_recipients(self, recipients: list[Recipient]) -> None:
        """Offer these recipients (plus "Someone else…"), keeping the choice when possible."""
        current = self.choice.currentData()
        self._known = {r.id: r for r in recipients}
        self.choice.blockSignals(True)
        self.choice.clear()
        for recipient in recipients:
            label = recipient.name if recipient.name else recipient.id
            if recipient.title and recipient.title not in label:
                label = f"{label} ({recipient.title})"
            self.choice.addItem(label, recipient.id)
        self.choice.addItem("Someone else…", CUSTOM)
        index = self.choice.findData(current)
        self.choice.setCurrentIndex(max(0, index))
        self.choice.blockSignals(False)
        self._choice_changed()

    def _choice_changed(self) -> None:
        custom = self.choice.currentData() == CUSTOM
        for field in (self.custom_name, self.custom_address, self.custom_salutation):
            field.setVisible(custom)
            label = self.form.labelForField(field)
            if label is not None:
                label.setVisible(custom)
        self.changed.emit()

    def recipient(self) -> Recipient:
        """The recipient as chosen or typed."""
        key = self.choice.currentData()
        if key != CUSTOM and key in self._known:
            return self._known[key]
        return custom_recipient(
            self.custom_name.text(),
            self.custom_address.toPlainText(),
            self.custom_salutation.text(),
        )

    def select(self, recipient_id: str) -> None:
        """Choose a recipient by id."""
        index = self.choice.findData(recipient_id)
        if index >= 0:
            self.choice.setCurrentIndex(index)
