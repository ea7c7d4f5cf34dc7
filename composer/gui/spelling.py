"""Spell checking as you type: red wavy underlines, the spelling status, next misspelling.

:class:`SpellingSupport` attaches spelling to one editor: the words the engine
(:mod:`composer.gui.spell_checker`) rejects get a red wavy underline, the status
indicator says which language is checked or why spelling is off, and the
misspellings are told to screen readers too: the indicator names their count
and the editor's accessible description the misspelt word at the cursor; F7
("Next Misspelling") selects the next one. The right-click menu with
suggestions and "Add to Dictionary" is :mod:`composer.gui.spelling_menu`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, QObject, QPoint, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QKeySequence,
    QPalette,
    QSyntaxHighlighter,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QLabel, QMenu, QTextEdit

from composer.core.fileio import StorageError
from composer.gui.a11y import tell_changed
from composer.gui.spell_checker import (
    MAX_SUGGESTIONS,
    SECOND_LANGUAGES,
    WORD_LIST_NAME,
    Opened,
    PersonalDictionary,
    SpellChecker,
    available_languages,
    dictionary_script,
    language_label,
    open_dictionaries,
    script_of,
    words_in,
)
from composer.gui.spelling_menu import SpellingMenu
from composer.gui.theme import is_dark
from composer.i18n import _, ngettext

if TYPE_CHECKING:
    from composer.core.campaigns import Campaign

log = logging.getLogger(__name__)

# Names of the engine's that the window, the settings dialog and the tests import from here.
__all__ = [
    "MAX_SUGGESTIONS",
    "REPORT_DELAY_MS",
    "REPORT_MAX_CHARS",
    "SECOND_LANGUAGES",
    "UNDERLINE_COLOR",
    "UNDERLINE_COLOR_DARK",
    "WORD_LIST_NAME",
    "PersonalDictionary",
    "SpellChecker",
    "SpellHighlighter",
    "SpellingSupport",
    "available_languages",
    "dictionary_script",
    "language_label",
    "script_of",
    "stock_words",
    "words_in",
]

UNDERLINE_COLOR = QColor(220, 30, 30)
# On a dark page the same red is too dim to notice; a lighter one reads as well.
UNDERLINE_COLOR_DARK = QColor(255, 105, 105)
# The misspelling count follows the text this long after the last change.
REPORT_DELAY_MS = 250
# Beyond this many characters (a letter is a few thousand) misspellings are not counted
# after each change: reading the whole text would make typing wait.
REPORT_MAX_CHARS = 100_000


def stock_words(campaign: Campaign) -> frozenset[str]:
    """The words of a bundled campaign's paragraphs and their titles (empty for other packs).

    The test suite checks that the :data:`~composer.gui.spell_checker.STOCK_LANGUAGE`
    dictionary accepts every one of them, so a letter made of them needs no dictionary
    open; a pack from elsewhere has had no such check.
    """
    from composer.core.campaigns import bundled_campaign_roots

    if campaign.origin not in {str(root) for root in bundled_campaign_roots()}:
        return frozenset()
    words: set[str] = set()
    for argument in campaign.arguments:
        for line in (argument.title, *argument.plain_text.splitlines()):
            words.update(word for _start, _length, word in words_in(line))
    return frozenset(words)


class SpellHighlighter(QSyntaxHighlighter):
    """Underlines misspelt words with a red wave; the letter's own formatting is untouched."""

    def __init__(self, checker: SpellChecker, parent: QObject) -> None:
        super().__init__(parent)
        self.checker = checker
        # Not `format`: that would hide QSyntaxHighlighter.format(position).
        self.misspelt_format = QTextCharFormat()
        self.misspelt_format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline)
        self.misspelt_format.setUnderlineColor(UNDERLINE_COLOR)

    def follow_palette(self, palette: QPalette) -> bool:
        """Pick the underline colour for the editor's palette; True if it changed."""
        colour = UNDERLINE_COLOR_DARK if is_dark(palette) else UNDERLINE_COLOR
        if self.misspelt_format.underlineColor() == colour:
            return False
        self.misspelt_format.setUnderlineColor(colour)
        return True

    def highlightBlock(self, text: str) -> None:
        """Mark the misspelt words of one paragraph."""
        if not self.checker.available:
            return
        for start, length, word in words_in(text):
            if not self.checker.check(word):
                self.setFormat(start, length, self.misspelt_format)


class SpellingSupport(QObject):
    """Spell checking for one QTextEdit: underlines, right-click menu, and a status indicator.

    Args:
        text_edit: the editor to check.
        language: the dictionary code from the settings (empty: off).
        word_list: the personal word list file.
        parent: the owning object (the editor when not given, so the support lives as
            long as the editor does).
        start_after_ms: open the dictionary this long after construction rather than at
            once, so that loading it does not delay the window's first paint.

    Attributes:
        next_action: "Next Misspelling" (F7): selects the next misspelt word.

    Signals:
        status_changed(str): the spelling status line changed (see :attr:`status`).
        message(str): a one-off message for the status bar (e.g. a word could not be saved).
        misspellings_changed(int): how many misspelt words the text has, after it changed.
    """

    status_changed = Signal(str)
    message = Signal(str)
    misspellings_changed = Signal(int)

    def __init__(
        self,
        text_edit: QTextEdit,
        language: str,
        word_list: Path,
        parent: QObject | None = None,
        start_after_ms: int | None = None,
    ) -> None:
        super().__init__(parent if parent is not None else text_edit)
        self.text_edit = text_edit
        self.personal = PersonalDictionary(word_list)
        self.checker = SpellChecker(language, self.personal, load=False)
        self.checker.on_unknown_word = self._open_in_background
        self._opening = False
        self._campaign: Campaign | None = None
        self.highlighter = SpellHighlighter(self.checker, self)
        self.indicator = QLabel()
        self._started = False
        self._count: int | None = 0
        self._base_description = text_edit.accessibleDescription()
        self._report_timer = QTimer(self, singleShot=True, interval=REPORT_DELAY_MS)
        self._report_timer.timeout.connect(self.update_report)
        self.next_action = QAction(_("Next &Misspelling"), text_edit)
        self.next_action.setShortcut(QKeySequence(Qt.Key.Key_F7))
        self.next_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.next_action.setStatusTip(_("Select the next misspelt word in the letter"))
        self.next_action.triggered.connect(self.next_misspelling)
        text_edit.addAction(self.next_action)
        self.highlighter.follow_palette(text_edit.palette())
        self._attach(text_edit.document())
        text_edit.document().contentsChanged.connect(self._report_timer.start)
        text_edit.cursorPositionChanged.connect(self._describe_cursor)
        text_edit.installEventFilter(self)  # the underline follows the palette
        self.menu = SpellingMenu(self)
        if start_after_ms is None:
            self.start()
        else:
            self._show_status()
            QTimer.singleShot(start_after_ms, self, self.start)

    def start(self) -> None:
        """Open the dictionary and underline the text (does nothing the second time).

        While the text holds only a bundled campaign's own words (:meth:`set_campaign`),
        the dictionary waits: it opens in the background with the first other word.
        """
        if self._started:
            return
        self._started = True
        self.menu.watch_viewport()
        if self._campaign is not None:
            self.checker.set_known_words(stock_words(self._campaign))
        self.checker.set_language(self.checker.language, lazy=True)
        self._rehighlight()
        self._show_status()

    def set_campaign_words(self, words: Iterable[str]) -> None:
        """Accept the open campaign's own words (its ``spelling_words``)."""
        self.checker.set_campaign_words(words)
        self._rehighlight()
        self._show_status()

    def set_campaign(self, campaign: Campaign) -> None:
        """Accept the campaign's own words; a bundled one's paragraphs need no dictionary.

        Before spelling starts, its paragraphs' words are gathered when it starts
        (a few milliseconds the window's start need not wait for).
        """
        self._campaign = campaign
        if self._started:
            self.checker.set_known_words(stock_words(campaign))
        self.set_campaign_words(campaign.spelling_words)

    def _open_in_background(self) -> None:
        """Open the dictionary the checker waits for in a worker; underline when it is open."""
        if self._opening:
            return
        self._opening = True
        from functools import partial

        from composer.gui.background import run_task

        language = self.checker.language
        run_task(
            partial(open_dictionaries, language),
            self._opened,
            lambda message: self._opened(Opened(language, None, message)),
            what="opening the spelling dictionary",
        )

    def _opened(self, opened: Opened) -> None:
        self._opening = False
        if not shiboken6.isValid(self) or not self.checker.waiting:
            return  # gone, or another language was chosen meanwhile
        self.checker.install(opened)
        self._rehighlight()
        self._show_status()

    # --- state --------------------------------------------------------------------------------

    @property
    def available(self) -> bool:
        """Whether words are being checked."""
        return self.checker.available

    @property
    def status(self) -> str:
        """One sentence: which language is checked, or why spelling is off."""
        if self.checker.available:
            language = language_label(self.checker.language)
            others = [language_label(code) for code in self.checker.languages[1:]]
            if not others:
                return _("Spelling is checked in {language}.").format(language=language)
            names = others[0]
            for other in others[1:]:
                names = _("{first} and {second}").format(first=names, second=other)
            return _(
                "Spelling is checked in {language}, and in {others} for words in their alphabet."
            ).format(language=language, others=names)
        return self.off_text()

    def off_text(self) -> str:
        """Why spelling is off, as a sentence."""
        return _("Spelling is off: {reason}.").format(reason=self.checker.reason)

    def set_language(self, language: str) -> None:
        """Check in another language (from the settings dialog)."""
        if self._started and language == self.checker.language:
            return
        self._started = True
        self.menu.watch_viewport()
        if self._campaign is not None:
            self.checker.set_known_words(stock_words(self._campaign))
        self.checker.set_language(language)
        self._rehighlight()
        self._show_status()

    @property
    def misspelt_count(self) -> int | None:
        """How many misspelt words the text had when last counted (None: too long to count)."""
        return self._count

    def _show_status(self) -> None:
        too_long = self.text_edit.document().characterCount() > REPORT_MAX_CHARS
        self._count = None if too_long else len(self.misspellings())
        if self.checker.available:
            language = self.checker.language
            text = _("Spelling: {language}").format(language=language)
            if self._count:
                text = ngettext(
                    "Spelling: {language}, {count} misspelt",
                    "Spelling: {language}, {count} misspelt",
                    self._count,
                ).format(language=language, count=self._count)
        elif not self._started:
            text = _("Spelling: starting…")
        else:
            text = _("Spelling: off")
        # A change is told; the first text, given as the indicator appears, is not news.
        shown = self.indicator.text()
        announce = bool(shown) and text != shown
        self.indicator.setText(text)
        self.indicator.setAccessibleName(text)  # a screen reader reads what is shown
        self.indicator.setToolTip(self.status)
        self.indicator.setAccessibleDescription(self.status)
        if announce:
            tell_changed(self.indicator, "name")
        self._describe_cursor()
        self.status_changed.emit(self.status)

    def update_report(self) -> None:
        """Count the misspelt words again and tell the indicator and the editor's description."""
        self._report_timer.stop()
        before = self._count
        self._show_status()
        if self._count != before and self._count is not None:
            self.misspellings_changed.emit(self._count)

    def misspellings(self) -> list[tuple[int, int, str]]:
        """The (position in the document, length, word) of every misspelt word, in order."""
        if not self.checker.available:
            return []
        found = []
        block = self.text_edit.document().begin()
        while block.isValid():
            found += self._misspelt_in(block)
            block = block.next()
        return found

    def _misspelt_in(self, block: QTextBlock) -> list[tuple[int, int, str]]:
        return [
            (block.position() + start, length, word)
            for start, length, word in words_in(block.text())
            if not self.checker.check(word)
        ]

    def _next_after(self, position: int) -> tuple[int, int, str] | None:
        """The first misspelt word starting at or after `position`, else the first of all."""
        document = self.text_edit.document()
        block = document.findBlock(position)
        while block.isValid():
            for found in self._misspelt_in(block):
                if found[0] >= position:
                    return found
            block = block.next()
        block = document.begin()
        while block.isValid() and block.position() <= position:
            misspelt = self._misspelt_in(block)
            if misspelt:
                return misspelt[0]
            block = block.next()
        return None

    def spoken_report(self) -> str:
        """What the editor's accessible description adds about spelling, e.g. at the cursor."""
        if not self.checker.available or self._count == 0:
            return ""
        if self._count is None:
            report = _("F7 selects the next misspelt word.")
        else:
            report = ngettext(
                "{count} misspelt word; F7 selects the next.",
                "{count} misspelt words; F7 selects the next.",
                self._count,
            ).format(count=self._count)
        selection = self.misspelt_word_at(self.text_edit.textCursor())
        if selection is not None:
            at_cursor = _("Misspelt word at the cursor: “{word}”.")
            report = f"{at_cursor.format(word=selection.selectedText())} {report}"
        return report

    def _describe_cursor(self) -> None:
        report = self.spoken_report()
        description = f"{self._base_description} {report}".strip()
        if description != self.text_edit.accessibleDescription():
            self.text_edit.setAccessibleDescription(description)
            tell_changed(self.text_edit, "description")

    def next_misspelling(self) -> bool:
        """Select the next misspelt word after the cursor (from the top after the last one).

        Returns:
            Whether a misspelt word was found; either way a message says what happened.
        """
        self._open_now()
        cursor = self.text_edit.textCursor()
        after = cursor.selectionEnd() if cursor.hasSelection() else cursor.position()
        found = self._next_after(after) if self.checker.available else None
        if found is None:
            self.message.emit(
                _("No misspelt words in the letter.") if self.checker.available else self.off_text()
            )
            return False
        start, length, word = found
        selection = QTextCursor(self.text_edit.document())
        selection.setPosition(start)
        selection.setPosition(start + length, QTextCursor.MoveMode.KeepAnchor)
        self.text_edit.setTextCursor(selection)
        self.text_edit.ensureCursorVisible()
        self.text_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        suggestions = self.checker.suggest(word)[:3]
        if self._count is None:
            text = _("Misspelt word: “{word}”.").format(word=word)
        else:
            every = self.misspellings()  # a letter: cheap, and the count is exact
            self._count = len(every)
            number = sum(1 for other in every if other[0] <= start)
            text = _("Misspelt word {number} of {count}: “{word}”.").format(
                number=number, count=self._count, word=word
            )
        if suggestions:
            hint = _("Suggestions: {words}.").format(words=", ".join(suggestions))
            text = f"{text} {hint}"
        self.message.emit(text)
        self._describe_cursor()
        return True

    def _attach(self, document: QTextDocument) -> None:
        # Underlines are layout formats, not edits: keep them from looking like a change
        # to the letter (which would re-render the preview or mark a draft unsaved).
        with QSignalBlocker(document):
            self.highlighter.setDocument(document)
            self.highlighter.rehighlight()

    def _rehighlight(self) -> None:
        document = self.highlighter.document()
        if document is not None:
            with QSignalBlocker(document):
                self.highlighter.rehighlight()

    # --- words under the cursor ---------------------------------------------------------------

    def misspelt_word_at(self, cursor: QTextCursor) -> QTextCursor | None:
        """A cursor selecting the misspelt word at `cursor`'s position, if there is one."""
        self._open_now()
        if not self.checker.available:
            return None
        block = cursor.block()
        offset = cursor.positionInBlock()
        for start, length, word in words_in(block.text()):
            if start <= offset <= start + length:
                if self.checker.check(word):
                    return None
                selection = QTextCursor(block)
                selection.setPosition(block.position() + start)
                selection.setPosition(
                    block.position() + start + length, QTextCursor.MoveMode.KeepAnchor
                )
                return selection
        return None

    def _open_now(self) -> None:
        """Open a waiting dictionary at once: the user asked about a word (F7, right-click)."""
        if self.checker.waiting:
            self.checker.open_now()
            self._rehighlight()
            self._show_status()

    def replace_word(self, selection: QTextCursor, replacement: str) -> None:
        """Replace the selected word (one undo step)."""
        selection.beginEditBlock()
        selection.insertText(replacement)
        selection.endEditBlock()

    def add_word(self, word: str) -> None:
        """Accept a word from now on, in every letter."""
        try:
            self.personal.add(word)
        except StorageError as error:
            self.message.emit(
                _("“{word}” is accepted for now but was not saved: {error}").format(
                    word=word, error=error
                )
            )
        else:
            self.message.emit(_("Added “{word}” to your dictionary.").format(word=word))
        self.checker.forget_cache()
        self._rehighlight()
        self.update_report()

    # --- the right-click menu (composer.gui.spelling_menu) ------------------------------------

    def build_context_menu(self, cursor: QTextCursor, position: QPoint) -> QMenu:
        """The editor's usual menu, led by suggestions when `cursor` is on a misspelt word."""
        return self.menu.build_context_menu(cursor, position)

    @property
    def open_menu(self) -> QMenu | None:
        """The context menu on screen, if any."""
        return self.menu.open_menu

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Pick the underline colour again when the editor's palette changes."""
        # Look at nothing else: this also sees the events of the editor's own teardown.
        if (
            event.type() == QEvent.Type.PaletteChange
            and watched is self.text_edit
            and self.highlighter.follow_palette(self.text_edit.palette())
        ):
            self._rehighlight()
        return False
