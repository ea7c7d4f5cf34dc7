"""Who the letter goes to and its subject: a compact bar above the editor."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QWidget,
)

from composer.core.campaigns import Campaign
from composer.core.models import Recipient, custom_recipient
from composer.i18n import _, ngettext

CUSTOM = "custom"
MERGE = "merge"


class RecipientBar(QWidget):
    """Chooses the recipient (the campaign's own, found officials, or one typed) and the subject.

    The To: list holds exactly the campaign's recipients, the officials found
    with Find My Officials (offered only when the campaign writes to
    Congress) and "Someone else…". With several officials chosen, the first
    entry writes one copy to each of them (mail merge), each copy with its
    own address, greeting and paragraphs. When the user picks a recipient,
    the paragraphs and subject the campaign routes to that office are
    offered in a line under the list; nothing changes until they are taken.

    Signals:
        changed(): the recipient or the subject changed.
        find_requested(): the user asked to find their officials.
        suggestion_accepted(list, str): use these argument ids and this subject.
    """

    changed = Signal()
    find_requested = Signal()
    suggestion_accepted = Signal(list, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._known: dict[str, Recipient] = {}
        self._merge: list[Recipient] = []
        self._campaign: Campaign | None = None
        self._offered: list[Recipient] = []
        self._suggested: tuple[list[str], str] | None = None
        self.choice = QComboBox()
        self.choice.setAccessibleName(_("Recipient"))
        self.choice.setAccessibleDescription(
            _("Who the letter is addressed to; choose Someone else to type a name and address")
        )
        self.custom_name = QLineEdit()
        # Translators: the example stays in English, as the letter does.
        self.custom_name.setPlaceholderText(_("Name, e.g. Mayor Jane Doe"))
        self.custom_name.setAccessibleName(_("Recipient name"))
        self.custom_name.setAccessibleDescription(_("The full name and title of the recipient"))
        self.custom_address = QPlainTextEdit()
        # Translators: a US address is written in English, in this order.
        self.custom_address.setPlaceholderText(_("Street\nCity, State ZIP"))
        self.custom_address.setAccessibleName(_("Recipient postal address"))
        self.custom_address.setAccessibleDescription(
            _("The recipient's postal address, one line per line of the envelope")
        )
        self.custom_address.setTabChangesFocus(True)
        self.custom_address.setFixedHeight(self.fontMetrics().lineSpacing() * 4)
        self.custom_salutation = QLineEdit()
        # Translators: an example greeting; it stays in English, as the letter does.
        self.custom_salutation.setPlaceholderText(_("Dear Mayor Doe:"))
        self.custom_salutation.setAccessibleName(_("Greeting"))
        self.custom_salutation.setAccessibleDescription(
            _("How the letter greets the recipient, for example Dear Mayor Doe:")
        )
        self.subject = QLineEdit()
        self.subject.setAccessibleName(_("Subject"))
        self.subject.setAccessibleDescription(_("The subject line of the letter and of the e-mail"))

        self.form = QFormLayout(self)
        self.form.setContentsMargins(6, 6, 6, 0)
        self.find_button = QPushButton(_("Find &My Officials…"))
        self.find_button.setAccessibleName(_("Find my officials"))
        self.find_button.setAccessibleDescription(
            _("Look up your senators and representative by ZIP code, state or name")
        )
        self.find_button.clicked.connect(self.find_requested)
        to_row = QHBoxLayout()
        to_row.addWidget(self.choice, 1)
        to_row.addWidget(self.find_button)
        self.form.addRow(_("&To:"), to_row)
        label = self.form.labelForField(to_row)
        if isinstance(label, QLabel):
            label.setBuddy(self.choice)
        self.form.addRow(_("&Name:"), self.custom_name)
        self.form.addRow(_("&Address:"), self.custom_address)
        self.form.addRow(_("&Greeting:"), self.custom_salutation)
        self.form.addRow(self._build_suggestion())
        self.form.addRow(_("&Subject:"), self.subject)
        self.set_recipients([])

        self.choice.currentIndexChanged.connect(self._choice_changed)
        # Only a choice the user makes brings a suggestion (not a restored draft).
        self.choice.activated.connect(lambda _index: self.offer_suggestion())
        for field in (self.custom_name, self.custom_salutation, self.subject):
            field.textChanged.connect(self.changed)
        self.custom_address.textChanged.connect(self.changed)
        self._choice_changed()

    def _build_suggestion(self) -> QFrame:
        self.suggestion = QFrame()
        self.suggestion.setFrameShape(QFrame.Shape.StyledPanel)
        self.suggestion.setAccessibleName(_("Suggestion for this recipient"))
        self.suggestion_label = QLabel()
        self.suggestion_label.setWordWrap(True)
        self.suggestion_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.suggestion_label.setAccessibleDescription(_("Suggestion"))  # its text is its name
        self.use_suggestion = QPushButton(_("&Use them"))
        self.use_suggestion.setAccessibleDescription(
            _(
                "Tick the suggested paragraphs and use the suggested subject; paragraphs you "
                "wrote or edited stay in the letter"
            )
        )
        self.use_suggestion.clicked.connect(self._accept_suggestion)
        self.dismiss_suggestion = QToolButton()
        self.dismiss_suggestion.setText("×")
        self.dismiss_suggestion.setAccessibleName(_("Dismiss the suggestion"))
        self.dismiss_suggestion.setToolTip(_("Keep the letter as it is"))
        self.dismiss_suggestion.clicked.connect(self.hide_suggestion)
        row = QHBoxLayout(self.suggestion)
        row.setContentsMargins(6, 2, 2, 2)
        row.addWidget(self.suggestion_label, 1)
        row.addWidget(self.use_suggestion)
        row.addWidget(self.dismiss_suggestion)
        self.suggestion.hide()
        return self.suggestion

    def set_campaign(self, campaign: Campaign) -> None:
        """Offer this campaign's recipients, and choose its default recipient (or the first).

        Find My Officials is offered only when the campaign writes to Congress.
        """
        self._campaign = campaign
        self._merge = []
        self.hide_suggestion()
        self.find_button.setVisible(campaign.targets_congress)
        offered = campaign.addressees()
        first = campaign.default_recipient or (offered[0].id if offered else CUSTOM)
        self.set_recipients(offered, merge=[], select=first)

    def offered(self) -> list[Recipient]:
        """The campaign's own recipients as the To: list offers them."""
        return list(self._offered)

    def offer_suggestion(self) -> None:
        """Show what the campaign routes to the chosen recipient(s); the user takes it or not."""
        campaign = self._campaign
        self._suggested = None
        if campaign is None or self.choice.currentData() == CUSTOM:
            self.hide_suggestion()
            return
        if self.is_merge():
            copies = len(self._merge)
            self.suggestion_label.setText(
                ngettext(
                    "Each of the {n} copies carries the paragraphs this campaign meant for "
                    "its office; what you write yourself goes into every copy.",
                    "Each of the {n} copies carries the paragraphs this campaign meant for "
                    "its office; what you write yourself goes into every copy.",
                    copies,
                ).format(n=copies)
            )
            self.use_suggestion.hide()
            self.suggestion.show()
            return
        recipient = self.recipient()
        entry = campaign.entry_for(recipient)
        if entry is None:
            self.hide_suggestion()
            return
        chosen = list(campaign.arguments_for(recipient))
        subject = campaign.subject_for(recipient)
        self._suggested = (chosen, subject)
        if subject:
            text = ngettext(
                "Suggested for {office}: {n} paragraph meant for this office and the "
                "subject “{subject}”.",
                "Suggested for {office}: {n} paragraphs meant for this office and the "
                "subject “{subject}”.",
                len(chosen),
            )
        else:
            text = ngettext(
                "Suggested for {office}: {n} paragraph meant for this office.",
                "Suggested for {office}: {n} paragraphs meant for this office.",
                len(chosen),
            )
        self.suggestion_label.setText(
            text.format(office=entry.label, n=len(chosen), subject=subject)
        )
        self.suggestion_label.setToolTip(entry.why)
        self.use_suggestion.show()
        self.suggestion.show()

    def hide_suggestion(self) -> None:
        """Put the suggestion away; the letter stays as it is."""
        self._suggested = None
        self.suggestion.hide()

    def _accept_suggestion(self) -> None:
        suggested = self._suggested
        self.hide_suggestion()
        if suggested is not None:
            self.suggestion_accepted.emit(*suggested)

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
        self._offered = list(recipients)
        self._known = {r.id: r for r in [*recipients, *self._merge]}
        self.choice.blockSignals(True)
        self.choice.clear()
        if len(self._merge) > 1:
            chosen = len(self._merge)
            self.choice.addItem(
                ngettext(
                    "Each of the {n} chosen officials (one letter each)",
                    "Each of the {n} chosen officials (one letter each)",
                    chosen,
                ).format(n=chosen),
                MERGE,
            )
        for recipient in [*self._merge, *(r for r in recipients if r not in self._merge)]:
            label = recipient.name if recipient.name else recipient.id
            if recipient.title and recipient.title not in label:
                label = f"{label} ({recipient.title})"
            self.choice.addItem(label, recipient.id)
            entry = self._campaign.entry_for(recipient) if self._campaign else None
            if entry is not None and entry.why:
                self.choice.setItemData(
                    self.choice.count() - 1, entry.why, Qt.ItemDataRole.ToolTipRole
                )
        self.choice.addItem(_("Someone else…"), CUSTOM)
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
