"""Spell checking as you type: red wavy underlines, suggestions and "Add to Dictionary".

The words are checked by Enchant (through pyenchant) with the system's
Hunspell dictionaries: the chosen one, and a Russian, Ukrainian or English one
when installed for words in their script (each opened when the first such word
is checked: they are large). A word in a script no installed dictionary covers (Cyrillic with only an English dictionary) is left alone, as
are the names the campaign pack lists in ``spelling_words``. The misspellings
are told to screen readers too: the status indicator names their count and the
editor's accessible description the misspelt word at the cursor; F7 ("Next
Misspelling") selects the next one. Words the user adds go to a personal word list in the
config folder, written by this module (atomically), so it works the same with
any Enchant provider. Where pyenchant, the Enchant library or the dictionary is
missing, the editor works as before and :attr:`SpellingSupport.status` says
why spelling is off.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QLocale, QObject, QPoint, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAccessible,
    QAccessibleEvent,
    QAction,
    QColor,
    QContextMenuEvent,
    QKeyEvent,
    QKeySequence,
    QPalette,
    QSyntaxHighlighter,
    QTextBlock,
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
# Dictionaries used beside the chosen one, when installed, for words in their own script.
SECOND_LANGUAGES = ("ru_RU", "uk_UA", "en_US")
# Stands for a second dictionary that failed to open (it is not tried again).
_UNUSABLE = object()
# Scripts of the dictionaries whose words are not written in Latin letters.
_SCRIPTS = {"ru": "CYRILLIC", "uk": "CYRILLIC", "be": "CYRILLIC", "bg": "CYRILLIC"}
_SCRIPTS |= {"sr": "CYRILLIC", "mk": "CYRILLIC", "el": "GREEK", "he": "HEBREW", "ar": "ARABIC"}
# The misspelling count follows the text this long after the last change.
REPORT_DELAY_MS = 250
# Beyond this many characters (a letter is a few thousand) misspellings are not counted
# after each change: reading the whole text would make typing wait.
REPORT_MAX_CHARS = 100_000

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


def script_of(word: str) -> str:
    """The Unicode script of a word's first letter, e.g. "LATIN" or "CYRILLIC"."""
    for character in word:
        if character.isalpha():
            try:
                return unicodedata.name(character).split()[0]
            except ValueError:
                return ""
    return ""


def dictionary_script(code: str) -> str:
    """The script a dictionary's words are written in, from its code (``ru_RU`` → CYRILLIC)."""
    return _SCRIPTS.get(code.replace("-", "_").split("_")[0].lower(), "LATIN")


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
        # Every dictionary in use, the chosen one first: (code, script, dictionary). A second
        # dictionary is None until a word in its script needs it: the Russian and Ukrainian
        # ones hold about 50 MB of memory, and most letters never use them.
        self._dictionaries: list[tuple[str, str, Any]] = []
        self._campaign_words: frozenset[str] = frozenset()
        self._cache: dict[str, bool] = {}
        if load:
            self.set_language(language)

    @property
    def available(self) -> bool:
        """Whether words are being checked."""
        return self._dictionary is not None

    @property
    def languages(self) -> list[str]:
        """Codes of the dictionaries in use, the chosen one first."""
        return [code for code, _script, _dictionary in self._dictionaries]

    @property
    def opened(self) -> list[str]:
        """Codes of the dictionaries opened so far (a second one opens on its first word)."""
        return [
            code
            for code, _script, dictionary in self._dictionaries
            if dictionary is not None and dictionary is not _UNUSABLE
        ]

    def set_campaign_words(self, words: Iterable[str]) -> None:
        """Accept the campaign pack's own words (its cited names) from now on."""
        self._campaign_words = frozenset(words)
        self._cache.clear()

    def set_language(self, language: str) -> None:
        """Switch dictionaries; on failure spelling is off and :attr:`reason` says why."""
        self.language = language
        self._dictionary = None
        self._dictionaries = []
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
            self._dictionaries = [(language, dictionary_script(language), self._dictionary)]
            self._list_second_dictionaries()

    def _list_second_dictionaries(self) -> None:
        own = self.language.replace("-", "_").split("_")[0].lower()
        installed = available_languages()
        for code in SECOND_LANGUAGES:
            if code.split("_")[0] == own or code not in installed:
                continue
            self._dictionaries.append((code, dictionary_script(code), None))

    def _in_script(self, script: str) -> list[Any]:
        """The dictionaries for words in `script`, opening the second ones not yet open."""
        found = []
        for index, (code, dictionary_script_name, dictionary) in enumerate(self._dictionaries):
            if dictionary_script_name != script:
                continue
            if dictionary is None:
                enchant, _reason = _load_enchant()
                try:
                    dictionary = enchant.Dict(code)
                except Exception as error:  # the chosen dictionary still works without it
                    log.warning("second dictionary %s could not be opened: %r", code, error)
                    dictionary = _UNUSABLE
                self._dictionaries[index] = (code, dictionary_script_name, dictionary)
            if dictionary is not _UNUSABLE:
                found.append(dictionary)
        return found

    def _is_own_word(self, word: str) -> bool:
        if word in self.personal or word in self._campaign_words:
            return True
        for ending in ("’s", "'s"):
            stem = word.removesuffix(ending)
            if stem != word and (stem in self.personal or stem in self._campaign_words):
                return True
        return False

    def check(self, word: str) -> bool:
        """True when the word is spelt right, is the user's or the campaign's, or cannot be checked.

        A word is looked up in the dictionaries of its own script; with none (a Cyrillic
        word and only an English dictionary) it is not checked at all.
        """
        if self._dictionary is None or self._is_own_word(word):
            return True
        known = self._cache.get(word)
        if known is None:
            plain = word.replace("’", "'")
            script = script_of(word)
            known = True
            for dictionary in self._in_script(script):
                try:
                    known = bool(dictionary.check(plain))
                except Exception as error:  # a provider may refuse odd input; never block typing
                    log.debug("could not check %r: %r", word, error)
                    known = True
                if known:
                    break
            self._cache[word] = known
        return known

    def suggest(self, word: str) -> list[str]:
        """Up to :data:`MAX_SUGGESTIONS` replacements, best first."""
        script = script_of(word)
        found: list[str] = []
        for dictionary in self._in_script(script):
            try:
                found += [s for s in dictionary.suggest(word.replace("’", "'")) if s not in found]
            except Exception as error:
                log.debug("no suggestions for %r: %r", word, error)
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
        self.highlighter = SpellHighlighter(self.checker, self)
        self.indicator = QLabel()
        self._menu: QMenu | None = None
        self._started = False
        self._count: int | None = 0
        self._base_description = text_edit.accessibleDescription()
        self._report_timer = QTimer(self, singleShot=True, interval=REPORT_DELAY_MS)
        self._report_timer.timeout.connect(self.update_report)
        self.next_action = QAction("Next &Misspelling", text_edit)
        self.next_action.setShortcut(QKeySequence(Qt.Key.Key_F7))
        self.next_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.next_action.setStatusTip("Select the next misspelt word in the letter")
        self.next_action.triggered.connect(self.next_misspelling)
        text_edit.addAction(self.next_action)
        self.highlighter.follow_palette(text_edit.palette())
        self._attach(text_edit.document())
        text_edit.document().contentsChanged.connect(self._report_timer.start)
        text_edit.cursorPositionChanged.connect(self._describe_cursor)
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

    def set_campaign_words(self, words: Iterable[str]) -> None:
        """Accept the open campaign's own words (its ``spelling_words``)."""
        self.checker.set_campaign_words(words)
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
            main = f"Spelling is checked in {language_label(self.checker.language)}"
            others = [language_label(code) for code in self.checker.languages[1:]]
            if others:
                main += f", and in {' and '.join(others)} for words in their alphabet"
            return main + "."
        return f"Spelling is off: {self.checker.reason}."

    def set_language(self, language: str) -> None:
        """Check in another language (from the settings dialog)."""
        if self._started and language == self.checker.language:
            return
        self._started = True
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
            text = f"Spelling: {self.checker.language}"
            if self._count:
                text += f", {self._count} misspelt"
        elif not self._started:
            text = "Spelling: starting…"
        else:
            text = "Spelling: off"
        announce = text != self.indicator.text()
        self.indicator.setText(text)
        self.indicator.setAccessibleName(text)  # a screen reader reads what is shown
        self.indicator.setToolTip(self.status)
        self.indicator.setAccessibleDescription(self.status)
        if announce:
            QAccessible.updateAccessibility(
                QAccessibleEvent(self.indicator, QAccessible.Event.NameChanged)
            )
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
            report = "F7 selects the next misspelt word."
        else:
            words = "word" if self._count == 1 else "words"
            report = f"{self._count} misspelt {words}; F7 selects the next."
        selection = self.misspelt_word_at(self.text_edit.textCursor())
        if selection is not None:
            report = f"Misspelt word at the cursor: “{selection.selectedText()}”. " + report
        return report

    def _describe_cursor(self) -> None:
        report = self.spoken_report()
        description = f"{self._base_description} {report}".strip()
        if description != self.text_edit.accessibleDescription():
            self.text_edit.setAccessibleDescription(description)
            QAccessible.updateAccessibility(
                QAccessibleEvent(self.text_edit, QAccessible.Event.DescriptionChanged)
            )

    def next_misspelling(self) -> bool:
        """Select the next misspelt word after the cursor (from the top after the last one).

        Returns:
            Whether a misspelt word was found; either way a message says what happened.
        """
        cursor = self.text_edit.textCursor()
        after = cursor.selectionEnd() if cursor.hasSelection() else cursor.position()
        found = self._next_after(after) if self.checker.available else None
        if found is None:
            self.message.emit(
                "No misspelt words in the letter."
                if self.checker.available
                else f"Spelling is off: {self.checker.reason}."
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
        hint = f" Suggestions: {', '.join(suggestions)}." if suggestions else ""
        if self._count is None:
            self.message.emit(f"Misspelt word: “{word}”.{hint}")
        else:
            every = self.misspellings()  # a letter: cheap, and the count is exact
            self._count = len(every)
            number = sum(1 for other in every if other[0] <= start)
            self.message.emit(f"Misspelt word {number} of {self._count}: “{word}”.{hint}")
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
        self.update_report()

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
