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
from composer.core.profile import FieldProblem, checked_sender
from composer.i18n import _


class ProfileDialog(QDialog):
    """Edits a :class:`Sender`; the caller saves it when the dialog is accepted.

    Save is refused while a field holds something that cannot be right (a
    state that is not a state, a ZIP code that is not one, an e-mail address
    without a domain): the dialog says what to type, and keeps what was typed.
    """

    def __init__(self, sender: Sender, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Sender Profile"))
        self.name = QLineEdit(sender.name)
        self.street = QPlainTextEdit(sender.street)
        self.street.setTabChangesFocus(True)
        self.street.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self.city = QLineEdit(sender.city)
        self.state = QLineEdit(sender.state)
        self.postal_code = QLineEdit(sender.postal_code)
        self.country = QLineEdit(sender.country)
        self.country.setPlaceholderText(_("leave empty inside the United States"))
        self.email = QLineEdit(sender.email)
        self.phone = QLineEdit(sender.phone)
        form = QFormLayout()
        for label, widget, accessible, description in (
            (
                _("&Name:"),
                self.name,
                _("Your name"),
                _("Printed under the signature and on the envelope"),
            ),
            (
                _("&Street:"),
                self.street,
                _("Street address"),
                _("One line per line of the address"),
            ),
            (_("&City:"), self.city, _("City"), _("The city or town you live in")),
            (
                _("S&tate:"),
                self.state,
                _("State"),
                _("Two-letter state code, for example {code}").format(code="WA"),
            ),
            (
                _("&ZIP code:"),
                self.postal_code,
                _("ZIP or postal code"),
                _("Used to find your senators and representative"),
            ),
            (
                _("C&ountry:"),
                self.country,
                _("Country"),
                _("Leave empty inside the United States"),
            ),
            (_("&E-mail:"), self.email, _("E-mail address"), _("Where replies can reach you")),
            (
                _("&Phone:"),
                self.phone,
                _("Phone number"),
                _("Optional; printed in the sender block"),
            ),
        ):
            widget.setAccessibleName(accessible)
            widget.setAccessibleDescription(description)
            form.addRow(label, widget)
        note = QLabel(
            _(
                "Officials answer constituents first: your full postal address shows that you "
                "live where they serve. It is printed on the letter and kept only on this "
                "computer."
            )
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #b00020;")
        self.problems.setAccessibleName(_("What to correct"))
        self.problems.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.problems)
        layout.addWidget(buttons)
        self._checked: Sender | None = None
        self.resize(460, self.sizeHint().height())

    def _check(self) -> None:
        """Accept only a profile without problems; otherwise say what to type."""
        tidy, problems = checked_sender(self._typed())
        if problems:
            self._show_problems(problems)
            return
        self._checked = tidy
        self.accept()

    def _show_problems(self, problems: list[FieldProblem]) -> None:
        self.problems.setText("\n".join(str(problem) for problem in problems))
        self.problems.show()
        first = getattr(self, problems[0].field, None)
        if isinstance(first, QWidget):
            first.setFocus()
            if isinstance(first, QLineEdit):
                first.selectAll()

    def chosen_sender(self) -> Sender:
        """The profile as saved (tidied once Save was pressed; as typed before)."""
        return self._checked if self._checked is not None else self._typed()

    def _typed(self) -> Sender:
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
