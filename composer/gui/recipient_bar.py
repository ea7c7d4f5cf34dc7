"""Who the letter goes to and its subject: a compact bar above the editor."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from composer.core.models import Recipient, custom_recipient, white_house

CUSTOM = "custom"
MERGE = "merge"


class RecipientBar(QWidget):
    """Chooses the recipient (built-in officials or one typed by hand) and the subject.

    With several officials chosen, the first entry writes one copy to each of
    them (mail merge), each copy with its own address and greeting.

    Signals:
        changed(): the recipient or the subject changed.
        find_requested(): the user asked to find their officials.
    """

    changed = Signal()
    find_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._known: dict[str, Recipient] = {}
        self._merge: list[Recipient] = []
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
        self.find_button = QPushButton("&Find My Officials…")
        self.find_button.setAccessibleName("Find my officials")
        self.find_button.setAccessibleDescription(
            "Look up your senators and representative by ZIP code, state or name"
        )
        self.find_button.clicked.connect(self.find_requested)
        to_row = QHBoxLayout()
        to_row.addWidget(self.choice, 1)
        to_row.addWidget(self.find_button)
        self.form.addRow("&To:", to_row)
        label = self.form.labelForField(to_row)
        if isinstance(label, QLabel):
            label.setBuddy(self.choice)
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

    def set_recipients(
        self,
        recipients: list[Recipient],
        merge: list[Recipient] | None = None,
        select: str | None = None,
    ) -> None:
        """Offer these recipients (plus "Someone else…"), keeping the choice when possible.

        Args:
            recipients: the officials offered one by one.
            merge: officials who each get a copy; offered first when there are several
                (None keeps the ones chosen before).
            select: the id (or "merge") to choose now.
        """
        current = select or self.choice.currentData()
        if merge is not None:
            self._merge = list(merge)
        self._known = {r.id: r for r in [*recipients, *self._merge]}
        self.choice.blockSignals(True)
        self.choice.clear()
        if len(self._merge) > 1:
            self.choice.addItem(
                f"Each of the {len(self._merge)} chosen officials (one letter each)", MERGE
            )
        for recipient in [*self._merge, *(r for r in recipients if r not in self._merge)]:
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

    def is_merge(self) -> bool:
        """Whether one copy goes to each of several officials."""
        return bool(self.choice.currentData() == MERGE)

    def recipients(self) -> list[Recipient]:
        """Everyone who gets a copy: all chosen officials, or the one recipient."""
        return list(self._merge) if self.is_merge() else [self.recipient()]

    def recipient(self) -> Recipient:
        """The recipient as chosen or typed (the first copy's when merging)."""
        key = self.choice.currentData()
        if key == MERGE:
            return self._merge[0]
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
