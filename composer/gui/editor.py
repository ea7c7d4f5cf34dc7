"""The letter editor: rich text with the usual formatting, and paragraphs that follow the picker."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QFont,
    QKeySequence,
    QTextCharFormat,
    QTextCursor,
    QTextListFormat,
    QUndoStack,
)
from PySide6.QtWidgets import QApplication, QToolBar, QVBoxLayout, QWidget

from composer.gui.a11y import name_overflow_button
from composer.gui.paste import CleanPasteTextEdit
from composer.gui.session import LETTER_POINTS, BodyText, saved_html, shown_html
from composer.i18n import _

# The word count follows the text this long after the last change, so a burst of typing
# is counted once. Shorter than the main window's preview delay (200 ms): the count is
# on screen by the time the preview it describes is.
WORD_COUNT_DELAY_MS = 150

LETTER_FAMILY = "DejaVu Serif"

# Characters beyond ASCII that str.isspace() accepts, so count_words() splits where
# str.split() does.
_WIDE_SPACES = (
    "\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)
# Byte to mark: ASCII whitespace becomes b" ", every other byte (UTF-8 sequences too) b"x".
_MARKS = bytes(0x20 if chr(byte).isspace() and byte < 0x80 else 0x78 for byte in range(256))


def count_words(text: str) -> int:
    """How many words `text` has: runs of non-space characters, as ``len(text.split())``.

    It builds no list of words: each character is marked as space or not in C, and the
    starts of words are counted, several times faster than ``str.split()`` on a long text.
    """
    if not text.isascii():
        for space in _WIDE_SPACES:
            if space in text:
                text = text.replace(space, " ")
    marks = text.encode("utf-8", "surrogatepass").translate(_MARKS)
    return marks.count(b" x") + marks.startswith(b"x")


class LetterEditor(QWidget):
    """A rich-text pane for the body of the letter, with its own formatting toolbar.

    The letter session (composer.gui.session) puts argument paragraphs in and
    takes them out; once it hands the editor its history, Undo and Redo here
    are the letter's.

    Signals:
        changed(): the text changed.
        word_count_changed(int): the number of words in the body, a moment after the
            text last changed (once for a burst of typing).
    """

    changed = Signal()
    word_count_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = CleanPasteTextEdit()  # pastes are cleaned (composer.gui.paste)
        self.text.setAcceptRichText(True)
        self.text.setAccessibleName(_("Letter text"))
        self.text.setAccessibleDescription(
            _("The body of your letter. Make it your own: add why this matters to you.")
        )
        self.text.setTabChangesFocus(True)
        self.text.setPlaceholderText(
            _(
                "Tick arguments on the left, then make the letter your own here: "
                "say who you are and why this matters to you."
            )
        )
        self._zoom = 100
        self._apply_zoom()
        self.toolbar = QToolBar(_("Format"))
        self.toolbar.setAccessibleName(_("Formatting"))
        self._build_actions()
        name_overflow_button(self.toolbar, _("More formatting"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.text, 1)
        self._words: int | None = None  # the count of the text as it is now, once known
        self._count_timer = QTimer(self, singleShot=True, interval=WORD_COUNT_DELAY_MS)
        self._count_timer.timeout.connect(self._emit_word_count)
        # A large paste keeps the text box quiet while it goes in, not the document: the
        # count known from before it must go all the same.
        self.text.document().contentsChanged.connect(self._forget_word_count)
        self.text.textChanged.connect(self._text_changed)
        self.text.currentCharFormatChanged.connect(self._sync_format_actions)
        self.text.cursorPositionChanged.connect(self._sync_alignment)

    # --- size on screen ------------------------------------------------------------------------

    @property
    def zoom(self) -> int:
        """The letter's on-screen size in percent of its base size."""
        return self._zoom

    def base_points(self) -> float:
        """The letter's size on screen at 100%: the printed size, or the system font if larger."""
        system = QApplication.font().pointSizeF()
        return max(LETTER_POINTS, system if system > 0 else LETTER_POINTS)

    def set_zoom(self, percent: int) -> None:
        """Show the letter at `percent` of its base size (the printed letter is unchanged)."""
        self._zoom = percent
        self._apply_zoom()

    def _apply_zoom(self) -> None:
        # The text box's font becomes its document's default font: text without a size of
        # its own (all a letter needs) follows it; the saved HTML keeps the printed size.
        font = QFont(LETTER_FAMILY)
        font.setPointSizeF(round(self.base_points() * self._zoom / 100, 1))
        self.text.setFont(font)

    def changeEvent(self, event: QEvent) -> None:
        """Follow the system font when it changes."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and hasattr(self, "_zoom"):
            self._apply_zoom()

    # --- actions ------------------------------------------------------------------------------

    def _action(
        self,
        text: str,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None,
        slot: Callable[..., object],
        checkable: bool = False,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setCheckable(checkable)
        action.triggered.connect(slot)
        self.toolbar.addAction(action)
        return action

    def _build_actions(self) -> None:
        key = QKeySequence.StandardKey
        self._history: QUndoStack | None = None
        self.undo_action = self._action(_("Undo"), key.Undo, self.undo)
        self.redo_action = self._action(_("Redo"), key.Redo, self.redo)
        self.undo_action.setEnabled(False)
        self.redo_action.setEnabled(False)
        self.text.undoAvailable.connect(self._text_undo_available)
        self.text.redoAvailable.connect(self._text_redo_available)
        self.toolbar.addSeparator()
        self.bold_action = self._action(_("Bold"), key.Bold, self._toggle_bold, True)
        self.italic_action = self._action(_("Italic"), key.Italic, self._toggle_italic, True)
        self.underline_action = self._action(
            _("Underline"), key.Underline, self._toggle_underline, True
        )
        self.toolbar.addSeparator()
        self.bullets_action = self._action(
            _("Bullets"),
            "Ctrl+Shift+8",
            lambda: self._toggle_list(QTextListFormat.Style.ListDisc),
            True,
        )
        self.numbers_action = self._action(
            _("Numbering"),
            "Ctrl+Shift+7",
            lambda: self._toggle_list(QTextListFormat.Style.ListDecimal),
            True,
        )
        self.toolbar.addSeparator()
        group = QActionGroup(self)
        self.align_actions: dict[Qt.AlignmentFlag, QAction] = {}
        for label, shortcut, flag in (
            (_("Align Left"), "Ctrl+L", Qt.AlignmentFlag.AlignLeft),
            (_("Center"), "Ctrl+E", Qt.AlignmentFlag.AlignHCenter),
            (_("Align Right"), "Ctrl+R", Qt.AlignmentFlag.AlignRight),
            (_("Justify"), "Ctrl+J", Qt.AlignmentFlag.AlignJustify),
        ):
            action = self._action(
                label, shortcut, lambda _=False, f=flag: self.text.setAlignment(f), True
            )
            group.addAction(action)
            self.align_actions[flag] = action
        self.align_actions[Qt.AlignmentFlag.AlignLeft].setChecked(True)

    def use_history(self, history: QUndoStack) -> None:
        """Send Undo and Redo (actions, keys, the right-click menu) to `history`, the
        letter's one history of text and chosen arguments, instead of the document's."""
        self._history = history
        history.canUndoChanged.connect(self.undo_action.setEnabled)
        history.canRedoChanged.connect(self.redo_action.setEnabled)
        self.undo_action.setEnabled(history.canUndo())
        self.redo_action.setEnabled(history.canRedo())
        self.text.use_history(self.undo_action, self.redo_action)

    def undo(self) -> None:
        """Undo the last step (of the letter's history, once there is one)."""
        if self._history is not None:
            self._history.undo()
        else:
            self.text.undo()

    def redo(self) -> None:
        """Redo the step undone last."""
        if self._history is not None:
            self._history.redo()
        else:
            self.text.redo()

    def _text_undo_available(self, available: bool) -> None:
        if self._history is None:
            self.undo_action.setEnabled(available)

    def _text_redo_available(self, available: bool) -> None:
        if self._history is None:
            self.redo_action.setEnabled(available)

    def format_actions(self) -> list[QAction]:
        """The formatting actions, for the Format menu."""
        return [
            self.bold_action,
            self.italic_action,
            self.underline_action,
            self.bullets_action,
            self.numbers_action,
            *self.align_actions.values(),
        ]

    def _merge(self, fmt: QTextCharFormat) -> None:
        cursor = self.text.textCursor()
        if not cursor.hasSelection():
            cursor.select(QTextCursor.SelectionType.WordUnderCursor)
        cursor.mergeCharFormat(fmt)
        self.text.mergeCurrentCharFormat(fmt)

    def _toggle_bold(self) -> None:
        fmt = QTextCharFormat()
        fmt.setFontWeight(
            QFont.Weight.Bold if self.bold_action.isChecked() else QFont.Weight.Normal
        )
        self._merge(fmt)

    def _toggle_italic(self) -> None:
        fmt = QTextCharFormat()
        fmt.setFontItalic(self.italic_action.isChecked())
        self._merge(fmt)

    def _toggle_underline(self) -> None:
        fmt = QTextCharFormat()
        fmt.setFontUnderline(self.underline_action.isChecked())
        self._merge(fmt)

    def _toggle_list(self, style: QTextListFormat.Style) -> None:
        cursor = self.text.textCursor()
        cursor.beginEditBlock()
        current = cursor.currentList()
        if current is not None and current.format().style() == style:
            block_format = cursor.blockFormat()
            for index in range(current.count() - 1, -1, -1):
                current.remove(current.item(index))
            block_format.setIndent(0)
            cursor.setBlockFormat(block_format)
        else:
            list_format = QTextListFormat()
            list_format.setStyle(style)
            cursor.createList(list_format)
        cursor.endEditBlock()
        self._sync_format_actions(self.text.currentCharFormat())

    def _sync_format_actions(self, fmt: QTextCharFormat) -> None:
        self.bold_action.setChecked(fmt.fontWeight() >= QFont.Weight.Bold)
        self.italic_action.setChecked(fmt.fontItalic())
        self.underline_action.setChecked(fmt.fontUnderline())
        current = self.text.textCursor().currentList()
        style = current.format().style() if current is not None else None
        self.bullets_action.setChecked(style == QTextListFormat.Style.ListDisc)
        self.numbers_action.setChecked(style == QTextListFormat.Style.ListDecimal)

    def _sync_alignment(self) -> None:
        alignment = self.text.alignment()
        for flag, action in self.align_actions.items():
            if alignment & flag:
                action.setChecked(True)
                break
        self._sync_format_actions(self.text.currentCharFormat())

    # --- content ------------------------------------------------------------------------------

    def _text_changed(self) -> None:
        # The text box hears of a change before this editor's own document listener does.
        self._words = None
        self.changed.emit()
        # Counting reads the whole text: a long letter would make every keystroke wait.
        self._count_timer.start()

    def _forget_word_count(self) -> None:
        self._words = None

    def _emit_word_count(self) -> None:
        self.word_count_changed.emit(self.word_count())

    def word_count(self) -> int:
        """Words in the body as it is now (exact even while a count is still to be announced)."""
        if self._words is None:
            self._words = count_words(self.text.toPlainText())
        return self._words

    def html(self) -> str:
        """The body as HTML (what is saved, printed and sent), whatever the zoom."""
        return saved_html(self.text.document())

    def set_html(self, body: str) -> None:
        """Replace the whole body (clears undo history: a new letter)."""
        self.text.setHtml(shown_html(body))
        self.text.document().clearUndoRedoStacks()
        if self._history is not None:
            self._history.clear()

    def find_paragraphs(self, text: str) -> tuple[int, int] | None:
        """The (first, last) block numbers holding `text`'s paragraphs unchanged, if present."""
        return BodyText(self.text.document()).find(text)
