"""The letter being written: one model behind the window.

:class:`LetterSession` owns the campaign, the chosen arguments in letter
order, the recipients, the subject, the paper and the body (the editor's
``QTextDocument``), and builds the :class:`~composer.core.models.Letter` from
them. Widgets show it and send it intentions (tick, untick, move, a new
recipient list); they never hold a second copy of the letter.

Undo covers the text and the chosen arguments together. Every step of the
document's own undo stack (typing, a paste, a format change) and every
argument change (which edits the text in one block) is one command on
:attr:`LetterSession.undo_stack`; undoing an argument change undoes its text
and restores the list it had, so ticks, list and text always agree.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import (
    QTextBlock,
    QTextBlockFormat,
    QTextCursor,
    QTextDocument,
    QUndoCommand,
    QUndoStack,
)

from composer.core.campaigns import Campaign
from composer.core.compose import is_letter_order, moved, order_arguments, with_argument
from composer.core.markup import paragraphs
from composer.core.models import Letter, Recipient, Sender
from composer.i18n import _

# The size the letter prints at; on screen it is at least the system font's size, times the zoom.
LETTER_POINTS = 11.0
# The font size on the <body> tag of the editor's HTML: only the screen's, never the letter's.
_BODY_FONT_SIZE = re.compile(r"(<body\b[^>]*?)font-size:\s*[\d.]+\s*pt;?", re.IGNORECASE)


def saved_html(document: QTextDocument) -> str:
    """The body as HTML (what is saved, printed and sent), whatever the zoom on screen."""
    return _BODY_FONT_SIZE.sub(rf"\g<1>font-size:{LETTER_POINTS:g}pt;", document.toHtml(), 1)


def shown_html(body: str) -> str:
    """Saved HTML as the editor takes it: a size on <body> would be given to every
    character and so stop the zoom."""
    return _BODY_FONT_SIZE.sub(r"\g<1>", body, 1)


def _normalise(text: str) -> str:
    return " ".join(text.replace("\u2029", " ").replace("\u2028", " ").split())


class BodyText:
    """Finds, inserts and removes argument paragraphs in a letter's document."""

    def __init__(self, document: QTextDocument) -> None:
        self.document = document

    def blocks(self) -> list[QTextBlock]:
        """Every paragraph of the document, in order."""
        found = []
        block = self.document.begin()
        while block.isValid():
            found.append(block)
            block = block.next()
        return found

    def find(self, text: str) -> tuple[int, int] | None:
        """The (first, last) block numbers holding `text`'s paragraphs unchanged, if present."""
        wanted = [_normalise(p) for p in paragraphs(text)]
        if not wanted:
            return None
        contents = [_normalise(b.text()) for b in self.blocks()]
        for start in range(len(contents) - len(wanted) + 1):
            if contents[start : start + len(wanted)] == wanted:
                return start, start + len(wanted) - 1
        return None

    def is_empty(self) -> bool:
        """Whether the document holds no text at all."""
        return not self.document.toPlainText().strip()

    def insert_before(self, html_text: str, block_number: int) -> None:
        """Insert paragraphs before a block."""
        cursor = QTextCursor(self.document)
        cursor.setPosition(self.document.findBlockByNumber(block_number).position())
        cursor.insertBlock()
        cursor.movePosition(QTextCursor.MoveOperation.PreviousBlock)
        cursor.insertHtml(html_text)

    def insert_after(self, html_text: str, block_number: int) -> None:
        """Insert paragraphs after a block."""
        block = self.document.findBlockByNumber(block_number)
        cursor = QTextCursor(self.document)
        cursor.setPosition(block.position() + block.length() - 1)
        cursor.insertBlock()
        cursor.insertHtml(html_text)

    def replace_all(self, html_text: str) -> None:
        """Make the (empty) document hold just these paragraphs."""
        cursor = QTextCursor(self.document)
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.removeSelectedText()
        cursor.insertHtml(html_text)

    def remove(self, text: str) -> bool:
        """Remove `text`'s paragraphs if they are still unchanged; returns whether it did."""
        span = self.find(text)
        if span is None:
            return False
        first = self.document.findBlockByNumber(span[0])
        last = self.document.findBlockByNumber(span[1])
        cursor = QTextCursor(self.document)
        cursor.setPosition(first.position())
        end = last.position() + last.length() - 1
        if last.next().isValid():
            end += 1  # take the paragraph break too
        elif first.previous().isValid():
            cursor.setPosition(first.position() - 1)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()
        return True

    def end_step(self) -> None:
        """Close an edit with a change of its own kind, so later typing never merges into
        it (and an edit that changed no text is still one step of the document)."""
        QTextCursor(self.document).mergeBlockFormat(QTextBlockFormat())


class _TextStep(QUndoCommand):
    """One step of the document's own undo stack (typing, a paste, formatting)."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(_("Typing"))
        self.document = document
        self.done = True  # it happened before it was pushed

    def undo(self) -> None:
        self.document.undo()

    def redo(self) -> None:
        if self.done:
            self.done = False
            return
        self.document.redo()


class _ArgumentStep(QUndoCommand):
    """A tick, untick or move: its text edit (one document step) and the list change."""

    def __init__(
        self, session: LetterSession, before: list[str], after: list[str], label: str
    ) -> None:
        super().__init__(label)
        self.session = session
        self.before = before
        self.after = after
        self.done = True

    def undo(self) -> None:
        self.session._undoing(self.before)
        self.session.notice.emit(_("Undone: {step}.").format(step=self.text()))

    def redo(self) -> None:
        if self.done:
            self.done = False
            return
        self.session._redoing(self.after)
        self.session.notice.emit(_("Redone: {step}.").format(step=self.text()))


class LetterSession(QObject):
    """The letter being written: its campaign, chosen arguments, recipients, subject,
    paper and body, with one undo history for text and arguments.

    Args:
        document: the editor's document: the body of the letter.
        joining: whether a document step being added only joins the previous one
            (a large paste that goes in piece by piece is one step).
        parent: the owner (the window).

    Signals:
        changed(): anything about the letter changed (arguments, recipients, subject,
            paper, sender or the text).
        notice(str): something the user should be told in the status bar.
        started(): a new letter replaced the old one (views go back to its top).
    """

    changed = Signal()
    notice = Signal(str)
    started = Signal()

    def __init__(
        self,
        document: QTextDocument,
        joining: Callable[[], bool] = lambda: False,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._joining = joining
        self.document = document
        self.body = BodyText(document)
        self.undo_stack = QUndoStack(self)
        self.campaign: Campaign | None = None
        self.sender_profile = Sender()
        self.recipients: list[Recipient] = []
        self.subject = ""
        self.paper = "letter"
        self._chosen: list[str] = []
        # Each copy's own body when the letter goes to several offices (set by the window).
        self.copies: Callable[[Sequence[Recipient]], dict[str, str]] | None = None
        self._editing = 0  # an argument change is editing the text: not a typing step
        document.undoCommandAdded.connect(self._text_step_added)
        document.contentsChanged.connect(self.changed)

    # --- reading -------------------------------------------------------------------------

    @property
    def chosen(self) -> list[str]:
        """The chosen argument ids, in letter order."""
        return list(self._chosen)

    def letter(self) -> Letter:
        """The letter as it stands."""
        campaign = self._campaign()
        return Letter(
            sender=self.sender_profile,
            recipients=list(self.recipients),
            subject=self.subject.strip(),
            body_html=saved_html(self.document),
            campaign_id=campaign.id,
            argument_ids=self.chosen,
            complimentary_close=campaign.complimentary_close,
            language=campaign.language,
            copy_bodies=self.copies(self.recipients) if self.copies is not None else {},
        )

    def snapshot_letter(self) -> Letter:
        """The letter with a sender of its own, for a worker thread to read while the
        window goes on (a profile edit replaces the sender, which is mutable)."""
        letter = self.letter()
        return replace(letter, sender=replace(letter.sender))

    def _campaign(self) -> Campaign:
        if self.campaign is None:
            raise RuntimeError("the session has no campaign yet")
        return self.campaign

    # --- whole letters -------------------------------------------------------------------

    def start(
        self, campaign: Campaign, chosen: Sequence[str] | None = None, body_html: str | None = None
    ) -> None:
        """A new letter: the campaign, its chosen arguments and body (the campaign's
        suggested arguments when not given); the undo history starts again."""
        self.campaign = campaign
        ids = list(campaign.default_arguments if chosen is None else chosen)
        self._chosen = order_arguments(campaign, ids)
        if body_html is None:
            body_html = "".join(campaign.argument(a).html for a in self._chosen)
        self._editing += 1
        try:
            self.document.setHtml(shown_html(body_html))
        finally:
            self._editing -= 1
        self.document.clearUndoRedoStacks()
        self.undo_stack.clear()
        self.started.emit()
        self.changed.emit()

    def set_recipients(self, recipients: Sequence[Recipient]) -> None:
        """Who the letter goes to (one copy each)."""
        if list(recipients) != self.recipients:
            self.recipients = list(recipients)
            self.changed.emit()

    def set_subject(self, subject: str) -> None:
        """The letter's subject line."""
        if subject != self.subject:
            self.subject = subject
            self.changed.emit()

    def set_paper(self, paper: str) -> None:
        """The paper the letter is laid out on ("letter" or "a4")."""
        if paper != self.paper:
            self.paper = paper
            self.changed.emit()

    def set_sender(self, sender: Sender) -> None:
        """The sender's profile, printed on the letter."""
        self.sender_profile = sender
        self.changed.emit()

    # --- intentions on the arguments -----------------------------------------------------

    def tick(self, argument_id: str, checked: bool) -> None:
        """Put an argument into the letter (at its place) or take it out; one undo step."""
        campaign = self._campaign()
        argument = campaign.argument(argument_id)
        before = self.chosen
        if checked == (argument_id in before):
            self.changed.emit()  # nothing to do; views show the session again
            return
        if checked:
            after = with_argument(campaign, before, argument_id)
            replaced = [a for a in before if a not in after]
            with self._edit():
                for old in replaced:
                    self.body.remove(campaign.argument(old).text)
                self._insert(argument_id, after)
            message = _("Added “{title}”.").format(title=argument.title)
            if replaced:
                titles = ", ".join(
                    # Translators: an argument's title in quotation marks.
                    _("“{title}”").format(title=campaign.argument(a).title)
                    for a in replaced
                )
                message = _(
                    "Added “{title}”. It takes the place of {titles}: a letter has one of each."
                ).format(title=argument.title, titles=titles)
        else:
            after = [a for a in before if a != argument_id]
            with self._edit():
                removed = self.body.remove(argument.text)
            message = (
                _("Removed “{title}”.")
                if removed
                else _(
                    "“{title}” was edited, so its text stays in the letter; delete it by hand "
                    "if you no longer want it."
                )
            ).format(title=argument.title)
        step = _("Add {title}") if checked else _("Remove {title}")
        self._record(before, after, step.format(title=argument.title))
        self.notice.emit(message)

    def use_arguments(self, ids: Sequence[str]) -> None:
        """Make the letter hold these arguments (a recipient's suggestion): one undo step.

        Arguments not wanted leave the text when unchanged; the wanted ones come in at
        their places.
        """
        campaign = self._campaign()
        before = self.chosen
        after = order_arguments(campaign, list(ids))
        if after == before:
            self.changed.emit()
            return
        with self._edit():
            for old in [a for a in before if a not in after]:
                self.body.remove(campaign.argument(old).text)
            for new in [a for a in after if a not in before]:
                self._insert(new, after)
        self._record(before, after, _("Use the suggested paragraphs"))

    def move(self, argument_id: str, step: int) -> bool:
        """Move a chosen argument one place up (-1) or down (1), text and list together;
        returns whether it moved (an opening stays first, a closing last)."""
        campaign = self._campaign()
        before = self.chosen
        after = moved(campaign, before, argument_id, step)
        if after == before:
            self.changed.emit()
            return False
        return self._move_to(argument_id, before, after)

    def reorder(self, ids: Sequence[str]) -> bool:
        """Take a new order of the chosen arguments (a drag in the list): one argument
        moved to another place. Returns whether the letter follows it."""
        campaign = self._campaign()
        before = self.chosen
        after = list(ids)
        mover = next(
            (
                a
                for a in before
                if [x for x in before if x != a] == [x for x in after if x != a] and a in after
            ),
            None,
        )
        if (
            mover is None
            or sorted(after) != sorted(before)
            or after == before
            or not is_letter_order(campaign, after)
        ):
            if after != before:
                self.notice.emit(_("An opening stays first and a closing last."))
            self.changed.emit()
            return False
        return self._move_to(mover, before, after)

    def _move_to(self, argument_id: str, before: list[str], after: list[str]) -> bool:
        campaign = self._campaign()
        argument = campaign.argument(argument_id)
        start, end = sorted((before.index(argument_id), after.index(argument_id)))
        passed = [a for a in before[start : end + 1] if a != argument_id]
        edited = [
            a for a in [argument_id, *passed] if self.body.find(campaign.argument(a).text) is None
        ]
        if edited:
            title = campaign.argument(edited[0]).title
            self.notice.emit(
                _(
                    "“{title}” was edited, so the list cannot move it: cut and paste it in the "
                    "letter instead."
                ).format(title=title)
            )
            self.changed.emit()
            return False
        with self._edit():
            self.body.remove(argument.text)
            self._insert(argument_id, after)
        self._record(before, after, _("Move {title}").format(title=argument.title))
        self.notice.emit(_("Paragraphs moved to the new order."))
        return True

    # --- the text and the undo history ---------------------------------------------------

    def _insert(self, argument_id: str, order: list[str]) -> None:
        """Insert an argument's paragraphs where `order` puts them among those in the text."""
        campaign = self._campaign()
        argument = campaign.argument(argument_id)
        if self.body.is_empty():
            self.body.replace_all(argument.html)
            return
        index = order.index(argument_id)
        for later in order[index + 1 :]:
            span = self.body.find(campaign.argument(later).text)
            if span is not None:
                self.body.insert_before(argument.html, span[0])
                return
        for earlier in reversed(order[:index]):
            span = self.body.find(campaign.argument(earlier).text)
            if span is not None:
                self.body.insert_after(argument.html, span[1])
                return
        if argument.position == "opening":
            self.body.insert_before(argument.html, 0)
        else:
            self.body.insert_after(argument.html, self.document.blockCount() - 1)

    def _edit(self) -> _EditBlock:
        return _EditBlock(self)

    def _record(self, before: list[str], after: list[str], label: str) -> None:
        self._chosen = after
        self.undo_stack.push(_ArgumentStep(self, before, after, label))
        self.changed.emit()

    def _text_step_added(self) -> None:
        if self._editing or self._joining():
            return  # an argument change, or a large paste adding to its first step
        self.undo_stack.push(_TextStep(self.document))

    def _undoing(self, chosen: list[str]) -> None:
        self._editing += 1
        try:
            self.document.undo()
        finally:
            self._editing -= 1
        self._chosen = list(chosen)
        self.changed.emit()

    def _redoing(self, chosen: list[str]) -> None:
        self._editing += 1
        try:
            self.document.redo()
        finally:
            self._editing -= 1
        self._chosen = list(chosen)
        self.changed.emit()


class _EditBlock:
    """One document step for an argument change (not announced as typing)."""

    def __init__(self, session: LetterSession) -> None:
        self.session = session
        self.cursor = QTextCursor(session.document)

    def __enter__(self) -> None:
        self.session._editing += 1
        self.cursor.beginEditBlock()

    def __exit__(self, *_exc: object) -> None:
        try:
            self.session.body.end_step()
            self.cursor.endEditBlock()
        finally:
            self.session._editing -= 1
