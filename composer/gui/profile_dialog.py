"""The sender profile dialog: who signs the letter and where replies go."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from composer.core.models import Sender


class ProfileDialog(QDialog):
    """Edits a :class:`Sender`; the caller saves it when the dialog is accepted."""

    def __init__(self, sender: Sender, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sender Profile")
        self.name = QLineEdit(sender.name)
        self.street = QPlainTextEdit(sender.street)
        self.street.setTabChangesFocus(True)
        self.street.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self.city = QLineEdit(sender.city)
        self.state = QLineEdit(sender.state)
        self.postal_code = QLineEdit(sender.postal_code)
        self.country = QLineEdit(sender.country)
        self.country.setPlaceholderText("leave empty inside the United States")
        self.email = QLineEdit(sender.email)
        self.phone = QLineEdit(sender.phone)
        form = QFormLayout()
        for label, widget, accessible, description in (
            ("&Name:", self.name, "Your name", "Printed under the signature and on the envelope"),
            ("&Street:", self.street, "Street address", "One line per line of the address"),
            ("&City:", self.city, "City", "The city or town you live in"),
            ("S&tate:", self.state, "State", "Two-letter state code, for example WA"),
            (
                "&ZIP code:",
                self.postal_code,
                "ZIP or postal code",
                "Used to find your senators and representative",
            ),
            ("C&ountry:", self.country, "Country", "Leave empty inside the United States"),
            ("&E-mail:", self.email, "E-mail address", "Where replies can reach you"),
            ("&Phone:", self.phone, "Phone number", "Optional; printed in the sender block"),
        ):
            widget.setAccessibleName(accessible)
            widget.setAccessibleDescription(description)
            form.addRow(label, widget)
        note = QLabel(
            "Officials answer constituents first: your full postal address shows that you "
            "live where they serve. It is printed on the letter and kept only on this computer."
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(460, self.sizeHint().height())

    def chosen_sender(self) -> Sender:
        """The profile as typed."""
        return Sender(
            name=self.name.text().strip(),
            street=self.street.toPlainText().strip(),
            city=self.city.text().strip(),
            state=self.state.text().strip(),
            postal_code=self.postal_code.text().strip(),
            country=self.country.text().strip(),
            email=self.email.text().strip(),
            phone=self.phone.text().strip(),
        )
