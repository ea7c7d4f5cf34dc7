"""The letter's text box: pasted and dropped content is cleaned, and huge pastes never freeze it.

Everything that enters the editor from the clipboard or a drop goes through
:class:`CleanPasteTextEdit.insertFromMimeData`: HTML is cleaned by
:func:`composer.core.paste.clean_html` (no scripts, images, hidden text or
link tracking), plain text loses its invisible characters. A large paste is
inserted a piece at a time from the event loop, so the window keeps
repainting and answering while it goes in; it is one step for Undo.
"""

from __future__ import annotations

import time
from collections import Counter
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QEvent,
    QMimeData,
    QPoint,
    QThreadPool,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QTextCursor
from PySide6.QtWidgets import QMenu, QTextEdit, QWidget

# composer.core.paste (the cleaning) is loaded at the first paste, not at start-up.
from composer.gui.background import run_task
from composer.i18n import N_, _

if TYPE_CHECKING:
    pass

# Below these sizes a paste goes in at once (a few milliseconds).
DIRECT_TEXT_CHARS = 64 * 1024
DIRECT_HTML_CHARS = 256 * 1024
# Each step of a large paste inserts about this much, then lets the window breathe.
CHUNK_CHARS = 24 * 1024
# A paste larger than this is refused: it is not a letter, and the editor would
# need minutes and gigabytes to hold it.
MAX_PASTE_CHARS = 32 * 1024 * 1024


class CleanPasteTextEdit(QTextEdit):
    """A QTextEdit whose pastes and drops are cleaned and, when large, inserted in steps.

    Signals:
        paste_started(int): a large paste began; the number of characters to insert.
        paste_progress(int): percent of a large paste inserted so far.
        paste_finished(str): a paste ended; what was left out of it ("" if nothing).
    """

    paste_started = Signal(int)
    paste_progress = Signal(int)
    paste_finished = Signal(str)

    def __init__(self, parent: QWidget | None = None, pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self._pool = pool or QThreadPool.globalInstance()
        self._pending: list[tuple[str, str]] = []  # (kind, piece) still to insert
        self._total = 0
        self._done = 0
        self._cursor: QTextCursor | None = None
        self._removed: Counter[str] = Counter()
        self._cleaning = 0  # large pastes being cleaned in the background
        self._was_read_only = False
        self._first_piece = True
        self._history: tuple[QAction, QAction] | None = None
        self.joining = False  # a piece of a large paste is joining the paste's undo step
        self._step = QTimer(self)
        self._step.setInterval(0)
        self._step.timeout.connect(self._insert_next)

    # -- undo goes to the letter's history --

    def use_history(self, undo: QAction, redo: QAction) -> None:
        """Undo and Redo keys and menu entries trigger these actions instead of the
        document's own undo (which knows nothing of the chosen arguments)."""
        self._history = (undo, redo)

    def _is_history_key(self, event: QKeyEvent) -> bool:
        return self._history is not None and (
            event.matches(QKeySequence.StandardKey.Undo)
            or event.matches(QKeySequence.StandardKey.Redo)
        )

    def event(self, event: QEvent) -> bool:
        """Leave the Undo and Redo keys to the window's actions."""
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and self._is_history_key(event)
        ):
            event.ignore()
            return False
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Undo and Redo are never the document's own (see :meth:`use_history`)."""
        if self._is_history_key(event):
            event.ignore()
            return
        super().keyPressEvent(event)

    def createStandardContextMenu(self, position: QPoint | None = None) -> QMenu:
        """Qt's editing menu, with Undo and Redo from the letter's history."""
        menu = (
            super().createStandardContextMenu()
            if position is None
            else super().createStandardContextMenu(position)
        )
        if self._history is not None:
            ours = dict(zip(("edit-undo", "edit-redo"), self._history, strict=True))
            for action in menu.actions():
                replacement = ours.get(action.objectName())
                if replacement is not None:
                    menu.insertAction(action, replacement)
                    menu.removeAction(action)
        return menu

    # -- what may be pasted --

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        """Text and HTML only: images and files are not part of a letter."""
        return source.hasText() or source.hasHtml()

    def is_pasting(self) -> bool:
        """Whether a large paste is still going in."""
        return bool(self._pending) or bool(self._cleaning)

    def insertFromMimeData(self, source: QMimeData) -> None:
        """Insert cleaned content at the cursor (the one entry for paste, drop and middle-click)."""
        if self.is_pasting():
            return  # one large paste at a time; the editor is read-only meanwhile anyway
        if source.hasHtml() and self.acceptRichText():
            self._paste_html(source.html(), source.text())
        elif source.hasText():
            self._paste_text(source.text())

    def _too_large(self, size: int) -> bool:
        if size <= MAX_PASTE_CHARS:
            return False
        megabytes = size / (1024 * 1024)
        self.paste_finished.emit(
            _(
                "Nothing was pasted: that is {megabytes} MB of text, far more than a letter "
                "can hold. Copy a smaller part."
            ).format(megabytes=f"{megabytes:.0f}")
        )
        return True

    def _paste_text(self, text: str) -> None:
        from composer.core.paste import clean_text, describe_removed, split_long_lines, text_chunks

        if self._too_large(len(text)):
            return
        removed: Counter[str] = Counter()
        if len(text) <= DIRECT_TEXT_CHARS:
            cleaned, invisible = clean_text(text)
            if invisible:
                removed["invisible characters"] = invisible
            self.textCursor().insertText(cleaned)
            self.ensureCursorVisible()
            self.paste_finished.emit(describe_removed(removed))
            return
        # Only quick whole-text passes here; each piece is cleaned as it goes in.
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        text, split = split_long_lines(text)
        if split:
            removed["long lines split"] = split
        self._start([("text", piece) for piece in text_chunks(text, CHUNK_CHARS)], removed)

    def _paste_html(self, source_html: str, fallback_text: str) -> None:
        from composer.core.paste import clean_html

        if self._too_large(len(source_html)):
            return
        if len(source_html) <= DIRECT_HTML_CHARS:
            result = clean_html(source_html)
            self.textCursor().insertHtml(result.html)
            self.ensureCursorVisible()
            self.paste_finished.emit(result.summary())
            return
        self._cleaning += 1
        self._lock()
        self.paste_started.emit(len(source_html))
        run_task(
            lambda: clean_html(source_html),
            self._cleaned,
            self._clean_failed,
            pool=self._pool,
            what=N_("cleaning the pasted text"),
        )

    def _cleaned(self, result: object) -> None:
        from composer.core.paste import CleanResult

        self._cleaning -= 1
        assert isinstance(result, CleanResult)
        self._start([("html", piece) for piece in result.chunks(CHUNK_CHARS)], result.removed)

    def _clean_failed(self, message: str) -> None:
        self._cleaning -= 1
        self._unlock()  # nothing went in: the letter is as it was, and can be typed in again
        self.paste_finished.emit(_("Nothing was pasted. {reason}").format(reason=message))

    # -- inserting a large paste in steps --

    def _lock(self) -> None:
        if not self._was_read_only and not self.isReadOnly():
            self._was_read_only = True
            # Typing while a paste goes in would land in the middle of it.
            self.setReadOnly(True)

    def _unlock(self) -> None:
        if self._was_read_only:
            self._was_read_only = False
            self.setReadOnly(False)

    def _start(self, pieces: list[tuple[str, str]], removed: Counter[str]) -> None:
        self._pending = list(reversed(pieces))
        self._total = sum(len(piece) for _kind, piece in pieces) or 1
        self._done = 0
        self._removed = removed
        self._cursor = self.textCursor()
        self._first_piece = True
        self._lock()
        self.paste_started.emit(self._total)
        self._step.start()

    def _insert_next(self) -> None:
        from composer.core.paste import clean_text

        cursor = self._cursor
        if cursor is None or not self._pending:
            self._finish()
            return
        deadline = time.monotonic() + 0.025
        # The rest of the program hears of the change once, at the end: counting the
        # words of a growing document after every piece would make the paste quadratic.
        blocked = self.blockSignals(True)
        try:
            while self._pending and time.monotonic() < deadline:
                kind, piece = self._pending.pop()
                if self._first_piece:
                    cursor.beginEditBlock()
                    cursor.removeSelectedText()  # the selection the paste replaces
                    self._first_piece = False
                else:
                    self.joining = True  # the same undo step as the first piece
                    cursor.joinPreviousEditBlock()
                if kind == "html":
                    cursor.insertHtml(piece)
                else:
                    cleaned, invisible = clean_text(piece)
                    self._removed["invisible characters"] += invisible
                    cursor.insertText(cleaned)
                cursor.endEditBlock()
                self.joining = False
                self._done += len(piece)
        finally:
            self.blockSignals(blocked)
        self.paste_progress.emit(min(99, self._done * 100 // self._total))
        if not self._pending:
            self._finish()

    def _finish(self) -> None:
        from composer.core.paste import describe_removed

        self._step.stop()
        if self._cursor is not None:
            self.setTextCursor(self._cursor)
        self._cursor = None
        self._unlock()
        self.ensureCursorVisible()
        self.paste_progress.emit(100)
        # The one change notice for the whole paste; what listens to it (word count,
        # spelling, preview) runs now, once.
        self.textChanged.emit()
        self.paste_finished.emit(describe_removed(self._removed))
