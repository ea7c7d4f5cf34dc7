"""Spell checking as you type: red wavy underlines, suggestions and "Add to Dictionary".

The words are checked by Enchant (through pyenchant) with the system's
Hunspell dictionaries. Words the user adds go to a personal word list in the
config folder, written by this module (atomically), so it works the same with
any Enchant provider. Where pyenchant, the Enchant library or the dictionary is
missing, the editor works as before and :attr:`SpellingSupport.status` says
why spelling is off.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QLocale, QObject, QPoint, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QKeyEvent,
    QPalette,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QLabel, QMenu, QTextEdit, QWidget

from composer.core.fileio import StorageError, atomic_write_text
from composer.gui.theme import is_dark

log = logging.getLogger(__name__)

MAX_SUGGESTIONS = 7
UNDERLINE_COLOR = QColor(220, 30, 30)
# On a dark page the same red is too dim to notice; a lighter one reads as well.
UNDERLINE_COLOR_DARK = QColor(255, 105, 105)
WORD_LIST_NAME = "personal-dictionary.txt"

# A word: letters, with inner apostrophes ("don't", "Russia’s"). Digits and "_" end a word.
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
# Spans never checked: template placeholders, e-mail addresses, web addresses.
_SKIP = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\S+@\S+|\b(?:https?://|www\.)\S+")


def words_in(text: str) -> Iterator[tuple[int, int, str]]:
    """The (start, length, word) of each word worth checking in one paragraph."""
    skipped = [(m.start(), m.end()) for m in _SKIP.finditer(text)]
    for match in _WORD.finditer(text):
        start, end = match.span()
        if any(s <= start < e for s, e in skipped):
            continue
        word = match.group()
        if len(word) < 2 or (word.isupper() and len(word) <= 6):
            continue  # single letters and acronyms (DHS, TPS, USCIS)
        yield start, end - start, word


def language_label(code: str) -> str:
    """A readable name for a dictionary code, e.g. ``en_US`` → "English (United States)"."""
    locale = QLocale(code)
    if locale.language() == QLocale.Language.C:
        return code
    language = QLocale.languageToString(locale.language())
    if "_" in code or "-" in code:
        return f"{language} ({QLocale.territoryToString(locale.territory())})"
    return language


def _load_enchant() -> tuple[Any, str]:
    """The enchant module, or None and the reason it cannot be used."""
    try:
        import enchant
    except ImportError as error:
        if "C library" in str(error):
            return None, (
                "the Enchant spelling library is not installed (on Debian or Ubuntu: "
                "apt install libenchant-2-2 hunspell-en-us)"
            )
        return None, "the pyenchant package is not installed (pip install pyenchant)"
    except Exception as error:  # a broken library path raises other errors too
        log.warning("enchant could not be loaded: %r", error)
        return None, f"the Enchant spelling library could not be loaded ({error})"
    return enchant, ""


def available_languages() -> list[str]:
    """Codes of the installed dictionaries (empty when Enchant is missing)."""
    enchant, _reason = _load_enchant()
    if enchant is None:
        return []
    try:
        return sorted(set(enchant.list_languages()))
    except Exception as error:
        log.warning("enchant could not list its dictionaries: %r", error)
        return []


class PersonalDictionary:
    """Words the user added, one per line in a UTF-8 file in the config folder.

    Args:
        path: the word list file (created on the first :meth:`add`).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._words: set[str] = set()
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return
        except (OSError, UnicodeDecodeError) as error:
            log.warning("personal dictionary %s not readable: %s", path, error)
            return
        self._words = {line.strip() for line in text.splitlines() if line.strip()}

    def __contains__(self, word: object) -> bool:
        return word in self._words

    def words(self) -> list[str]:
        """The added words, sorted."""
        return sorted(self._words)

    def add(self, word: str) -> None:
        """Add a word and save the list.

        Raises:
            StorageError: the list could not be written (the word is kept for this session).
        """
        self._words.add(word)
        atomic_write_text(self.path, "".join(f"{w}\n" for w in self.words()))


class SpellChecker:
    """Checks words in one language; when it cannot, :attr:`reason` says why.

    Args:
        language: a dictionary code such as ``en_US``; empty turns spelling off.
        personal: the user's own words, always accepted.
        load: open the dictionary now; otherwise call :meth:`set_language` later.
    """

    def __init__(self, language: str, personal: PersonalDictionary, load: bool = True) -> None:
        self.personal = personal
        self.language = language
        self.reason = "the dictionary is still loading"
        self._dictionary: Any = None
        self._cache: dict[str, bool] = {}
        if load:
            self.set_language(language)

    @property
    def available(self) -> bool:
        """Whether words are being checked."""
        return self._dictionary is not None

    def set_language(self, language: str) -> None:
        """Switch dictionaries; on failure spelling is off and :attr:`reason` says why."""
        self.language = language
        self._dictionary = None
        self._cache.clear()
        if not language:
            self.reason = "spell checking is turned off in Settings"
            return
        enchant, self.reason = _load_enchant()
        if enchant is None:
            return
        try:
            self._dictionary = enchant.Dict(language)
        except enchant.errors.DictNotFoundError:
            installed = ", ".join(available_languages()) or "none"
            self.reason = (
                f"no {language_label(language)} dictionary ({language}) is installed "
                f"(installed: {installed}); install the hunspell dictionary for it, "
                "or pick another language in Settings"
            )
        except Exception as error:
            log.warning("dictionary %s could not be opened: %r", language, error)
            self.reason = f"the {language} dictionary could not be opened ({error})"
        else:
            self.reason = ""

    def check(self, word: str) -> bool:
        """True when the word is spelt right, is the user's, or nothing can be checked."""
        if self._dictionary is None or word in self.personal:
            return True
        known = self._cache.get(word)
        if known is None:
            plain = word.replace("’", "'")
            try:
                known = bool(self._dictionary.check(plain))
            except Exception as error:  # a provider may refuse odd input; never block typing
                log.debug("could not check %r: %r", word, error)
                known = True
            self._cache[word] = known
        return known

    def suggest(self, word: str) -> list[str]:
        """Up to :data:`MAX_SUGGESTIONS` replacements, best first."""
        if self._dictionary is None:
            return []
        try:
            found = self._dictionary.suggest(word.replace("’", "'"))
        except Exception as error:
            log.debug("no suggestions for %r: %r", word, error)
            return []
        return [s for s in found if s != word][:MAX_SUGGESTIONS]

    def forget_cache(self) -> None:
        """Check every word afresh (after a word was added)."""
        self._cache.clear()


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

    Signals:
        status_changed(str): the spelling status line changed (see :attr:`status`).
        message(str): a one-off message for the status bar (e.g. a word could not be saved).
    """

    status_changed = Signal(str)
    message = Signal(str)

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
        self.highlighter = SpellHighlighter(self.checker, self)
        self.indicator = QLabel()
        self.indicator.setAccessibleName("Spell checking")
        self._menu: QMenu | None = None
        self._started = False
        self.highlighter.follow_palette(text_edit.palette())
        self._attach(text_edit.document())
        text_edit.installEventFilter(self)
        text_edit.viewport().installEventFilter(self)
        if start_after_ms is None:
            self.start()
        else:
            self._show_status()
            QTimer.singleShot(start_after_ms, self, self.start)

    def start(self) -> None:
        """Open the dictionary and underline the text (does nothing the second time)."""
        if self._started:
            return
        self._started = True
        self.checker.set_language(self.checker.language)
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
            return f"Spelling is checked in {language_label(self.checker.language)}."
        return f"Spelling is off: {self.checker.reason}."

    def set_language(self, language: str) -> None:
        """Check in another language (from the settings dialog)."""
        if self._started and language == self.checker.language:
            return
        self._started = True
        self.checker.set_language(language)
        self._rehighlight()
        self._show_status()

    def _show_status(self) -> None:
        if self.checker.available:
            self.indicator.setText(f"Spelling: {self.checker.language}")
        elif not self._started:
            self.indicator.setText("Spelling: starting…")
        else:
            self.indicator.setText("Spelling: off")
        self.indicator.setToolTip(self.status)
        self.indicator.setAccessibleDescription(self.status)
        self.status_changed.emit(self.status)

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
            self.message.emit(f"“{word}” is accepted for now but was not saved: {error}")
        else:
            self.message.emit(f"Added “{word}” to your dictionary.")
        self.checker.forget_cache()
        self._rehighlight()

    # --- the right-click menu ---------------------------------------------------------------

    def build_context_menu(self, cursor: QTextCursor, position: QPoint) -> QMenu:
        """The editor's usual menu, led by suggestions when `cursor` is on a misspelt word."""
        menu = self.text_edit.createStandardContextMenu(position)
        menu.setAccessibleName("Editing and spelling")
        selection = self.misspelt_word_at(cursor)
        if selection is None:
            return menu
        word = selection.selectedText()
        first = menu.actions()[0] if menu.actions() else None
        leading: list[QAction] = []
        suggestions = self.checker.suggest(word)
        for suggestion in suggestions:
            action = QAction(suggestion, menu)
            font = action.font()
            font.setBold(True)
            action.setFont(font)
            action.triggered.connect(self._replacer(selection, suggestion))
            leading.append(action)
        if not suggestions:
            none = QAction("No suggestions", menu)
            none.setEnabled(False)
            leading.append(none)
        add = QAction(f"Add “{word}” to Dictionary", menu)
        add.triggered.connect(lambda _=False, w=word: self.add_word(w))
        leading.append(add)
        if first is None:
            menu.addActions(leading)
        else:
            menu.insertActions(first, leading)
            menu.insertSeparator(first)
        return menu

    def _replacer(self, selection: QTextCursor, replacement: str) -> Callable[..., None]:
        return lambda _=False: self.replace_word(selection, replacement)

    def _open_menu(self, cursor: QTextCursor, position: QPoint, global_position: QPoint) -> None:
        if self._menu is not None:
            self._menu.close()
        menu = self.build_context_menu(cursor, position)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.destroyed.connect(self._menu_gone)
        self._menu = menu
        menu.popup(global_position)

    def _menu_gone(self) -> None:
        self._menu = None

    @property
    def open_menu(self) -> QMenu | None:
        """The context menu on screen, if any."""
        return self._menu

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Show our menu for right-clicks, the Menu key and Shift+F10."""
        # Look at nothing else: this also sees the events of the editor's own teardown.
        kind = event.type()
        if kind == QEvent.Type.PaletteChange and watched is self.text_edit:
            if self.highlighter.follow_palette(self.text_edit.palette()):
                self._rehighlight()
            return False
        if kind == QEvent.Type.ContextMenu and isinstance(event, QContextMenuEvent):
            viewport = self.text_edit.viewport()
            if watched not in (self.text_edit, viewport):
                return False
            if event.reason() == QContextMenuEvent.Reason.Mouse:
                position = event.pos()
                if watched is self.text_edit:
                    position = viewport.mapFrom(self.text_edit, position)
                cursor = self.text_edit.cursorForPosition(position)
                self._open_menu(cursor, position, viewport.mapToGlobal(position))
            else:
                self._menu_at_text_cursor()
            return True
        if (
            kind == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_F10
            and event.modifiers() == Qt.KeyboardModifier.ShiftModifier
            and watched is self.text_edit
        ):
            self._menu_at_text_cursor()
            return True
        return False

    def _menu_at_text_cursor(self) -> None:
        position = self.text_edit.cursorRect().bottomLeft()
        viewport: QWidget = self.text_edit.viewport()
        self._open_menu(self.text_edit.textCursor(), position, viewport.mapToGlobal(position))
