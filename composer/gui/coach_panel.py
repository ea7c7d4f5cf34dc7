"""The coach under the editor: how much of the letter is the writer's own, and a nudge to add some."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from composer.core.campaigns import Campaign
from composer.core.coach import Coach, CoachReport
from composer.gui.editor import LetterEditor
from composer.gui.questions import go_on_anyway
from composer.i18n import _, ngettext

DELAY_MS = 250
# Far beyond any letter; a pasted book is judged by its beginning so typing never stalls.
MAX_CHARS = 20_000


class CoachPanel(QFrame):
    """Shows the share of the writer's own words and invites a personal sentence.

    It re-reads the letter a moment after the last keystroke (the comparison
    takes a few milliseconds even for a long letter), so typing never stalls.

    Args:
        editor: the letter editor it watches.
        delay_ms: how long after the last change it looks again.

    Signals:
        report_changed(object): a new :class:`CoachReport` after the letter changed.
    """

    report_changed = Signal(object)

    def __init__(
        self, editor: LetterEditor, parent: QWidget | None = None, delay_ms: int = DELAY_MS
    ) -> None:
        super().__init__(parent)
        self.editor = editor
        self.coach = Coach.for_campaign(None)
        self.research = ""  # the campaign's research line; none without a campaign
        self.last_report = CoachReport()
        self.truncated = False
        # Others may turn the warning off (e.g. a batch run); the panel stays.
        self.warn_before_output = True
        self._accepted_text: str | None = None  # the letter the user chose to send as it is
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(_("Personal touch"))

        self.meter = QProgressBar()
        self.meter.setRange(0, 100)
        self.meter.setTextVisible(True)
        self.meter.setFormat(_("%p% your own words"))
        self.meter.setAccessibleName(_("Share of your own words"))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleDescription(_("Own words summary"))

        self.invitation = QWidget()
        self.invitation.setAccessibleName(_("Invitation to add a personal sentence"))
        self.invitation_label = QLabel(
            _(
                "Add a sentence in your own words: why this matters to you, where you live, "
                "or what you do for a living."
            )
        )
        self.invitation_label.setWordWrap(True)
        self.invitation_label.setAccessibleDescription(_("Invitation"))
        self.add_button = QPushButton(_("Add a personal sentence"))
        self.add_button.setToolTip(
            _("Opens a new paragraph after the first one for your own words")
        )
        self.why_label = QLabel()
        self.why_label.hide()
        self.why_label.setWordWrap(True)
        self.why_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.why_label.setAccessibleDescription(_("Why it matters"))
        # Set apart by italics, not by a paler colour: grey text would fall below 4.5:1.
        italic = self.why_label.font()
        italic.setItalic(True)
        self.why_label.setFont(italic)
        invitation_row = QHBoxLayout()
        invitation_row.setContentsMargins(0, 0, 0, 0)
        invitation_row.addWidget(self.invitation_label, 1)
        invitation_row.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignTop)
        invitation_layout = QVBoxLayout(self.invitation)
        invitation_layout.setContentsMargins(0, 0, 0, 0)
        invitation_layout.addLayout(invitation_row)
        invitation_layout.addWidget(self.why_label)

        head = QHBoxLayout()
        head.addWidget(self.meter, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addLayout(head)
        layout.addWidget(self.summary)
        layout.addWidget(self.invitation)

        self._timer = QTimer(self, singleShot=True, interval=delay_ms)
        self._timer.timeout.connect(self.refresh)
        self.editor.changed.connect(self._timer.start)
        self.add_button.clicked.connect(self.add_personal_sentence)
        self.refresh()

    def set_campaign(self, campaign: Campaign | None) -> None:
        """Compare letters with this campaign's arguments, and show its research line."""
        self.coach = Coach.for_campaign(campaign)
        self._set_research(campaign.coach_research if campaign is not None else "")
        self.refresh()

    def _set_research(self, research: str) -> None:
        # Research belongs to a pack: a survey of congressional staff says
        # nothing about a city council, so a pack without a line shows none.
        self.research = research
        self.why_label.setText(
            _("Why it matters: {research}").format(research=research) if research else ""
        )
        self.why_label.setVisible(bool(research))
        for widget in (self.meter, self.summary):
            widget.setToolTip(research)

    def refresh(self) -> CoachReport:
        """Look at the letter now and show the result."""
        self._timer.stop()
        report = self.coach.assess(self._letter_text())
        self.last_report = report
        self._show(report)
        self.report_changed.emit(report)
        return report

    def _letter_text(self) -> str:
        document = self.editor.text.document()
        self.truncated = document.characterCount() > MAX_CHARS
        if not self.truncated:
            return self.editor.text.toPlainText()
        cursor = QTextCursor(document)
        cursor.setPosition(MAX_CHARS, QTextCursor.MoveMode.KeepAnchor)
        return cursor.selectedText()

    def _show(self, report: CoachReport) -> None:
        self.meter.setValue(report.own_percent)
        if not report.total_words:
            self.summary.setText(
                _("Your letter is empty. Tick arguments, then add your own words.")
            )
        else:
            stock = len(report.stock_arguments)
            own = ngettext(
                "Your own words: {percent}% ({own} of {total} word)",
                "Your own words: {percent}% ({own} of {total} words)",
                report.total_words,
            ).format(percent=report.own_percent, own=report.own_words, total=report.total_words)
            paragraphs = ngettext(
                "{count} stock paragraph", "{count} stock paragraphs", stock
            ).format(count=stock)
            # Translators: the share of own words, then the count of stock paragraphs.
            summary = _("{own_words}; {paragraphs}.").format(own_words=own, paragraphs=paragraphs)
            if self.truncated:
                summary += " " + _("(Only the beginning of this very long text was read.)")
            self.summary.setText(summary)
        self.invitation.setVisible(not report.has_personal_sentence)

    def add_personal_sentence(self) -> None:
        """Open an empty paragraph after the first one and put the cursor there."""
        text = self.editor.text
        document = text.document()
        cursor = QTextCursor(document)
        if text.toPlainText().strip():
            first = document.firstBlock()
            cursor.setPosition(first.position() + first.length() - 1)
            cursor.insertBlock()
        else:
            cursor.movePosition(QTextCursor.MoveOperation.End)
        text.setTextCursor(cursor)
        text.ensureCursorVisible()
        text.setFocus(Qt.FocusReason.OtherFocusReason)

    def confirm_output(self, verb: str) -> bool:
        """Before a letter leaves: warn if it is only stock paragraphs; True to go on.

        Args:
            verb: what is about to happen, capitalised ("Print", "Export", "Send").
        """
        report = self.refresh()
        text = self.editor.text.toPlainText()
        if not self.warn_before_output or not report.is_stock_only or text == self._accepted_text:
            return True
        if go_on_anyway(
            self.window(),
            name="coach-warning",
            icon=QMessageBox.Icon.Information,
            title=_("Make the letter your own?"),
            text=_(
                "This letter is made only of the campaign's ready-made paragraphs. Offices "
                "recognise identical letters and often count them as one form message."
            ),
            details=_(
                "One or two sentences of your own make it count: why this matters to you, "
                "where you live, or what you do."
            )
            + (f"\n\n{self.research}" if self.research else ""),
            back=_("Add a personal sentence"),
            verb=verb,
        ):
            self._accepted_text = text  # do not ask again for this very letter
            return True
        self.add_personal_sentence()
        return False
