"""The spelling engine: dictionaries, the words worth checking, and the user's own words.

Words are checked by Enchant (through pyenchant) with the system's Hunspell
dictionaries: the chosen one, and a Russian, Ukrainian or English one when
installed for words in their script (each opened when the first such word is
checked: they are large). A word in a script no installed dictionary covers
(Cyrillic with only an English dictionary) is left alone, as are the names the
campaign pack lists in ``spelling_words``. Words the user adds go to a personal
word list in the config folder, written by this module (atomically), so it
works the same with any Enchant provider. Where pyenchant, the Enchant library
or the dictionary is missing, :attr:`SpellChecker.reason` says why spelling is off.
The editor's side is :mod:`composer.gui.spelling`.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLocale

from composer.core.fileio import atomic_write_text
from composer.i18n import _

log = logging.getLogger(__name__)

MAX_SUGGESTIONS = 7
WORD_LIST_NAME = "personal-dictionary.txt"
# Dictionaries used beside the chosen one, when installed, for words in their own script.
SECOND_LANGUAGES = ("ru_RU", "uk_UA", "en_US")
# The dictionary the bundled campaigns' own paragraphs are checked against (by the test
# suite, tests/gui/test_spelling.py): their words are known to be spelt right in it, so a
# letter made of them needs no dictionary open (see SpellChecker.set_known_words).
STOCK_LANGUAGE = "en_US"
# Enchant's broker is shared and not safe to use from two threads at once: the window
# opens its dictionary in a worker while F7 or the settings may ask on the GUI thread.
_ENCHANT_LOCK = threading.RLock()
# Stands for a second dictionary that failed to open (it is not tried again).
_UNUSABLE = object()
# Scripts of the dictionaries whose words are not written in Latin letters.
_SCRIPTS = {"ru": "CYRILLIC", "uk": "CYRILLIC", "be": "CYRILLIC", "bg": "CYRILLIC"}
_SCRIPTS |= {"sr": "CYRILLIC", "mk": "CYRILLIC", "el": "GREEK", "he": "HEBREW", "ar": "ARABIC"}

# A word: letters, with inner apostrophes ("don't", "Russia’s"). Digits and "_" end a word.
# (Patterns, compiled by `re` on first use: the window's start does not check words.)
_WORD = r"[^\W\d_]+(?:['’][^\W\d_]+)*"
# Spans never checked: template placeholders, e-mail addresses, web addresses.
_SKIP = r"\{\{.*?\}\}|\{%.*?%\}|\S+@\S+|\b(?:https?://|www\.)\S+"


def words_in(text: str) -> Iterator[tuple[int, int, str]]:
    """The (start, length, word) of each word worth checking in one paragraph."""
    skipped = [(m.start(), m.end()) for m in re.finditer(_SKIP, text)]
    for match in re.finditer(_WORD, text):
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
            return None, _(
                "the Enchant spelling library is not installed (on Debian or Ubuntu: "
                "apt install libenchant-2-2 hunspell-en-us)"
            )
        return None, _("the pyenchant package is not installed (pip install pyenchant)")
    except Exception as error:  # a broken library path raises other errors too
        log.warning("enchant could not be loaded: %r", error)
        return None, _("the Enchant spelling library could not be loaded ({error})").format(
            error=error
        )
    return enchant, ""


def available_languages() -> list[str]:
    """Codes of the installed dictionaries (empty when Enchant is missing)."""
    enchant, _reason = _load_enchant()
    if enchant is None:
        return []
    try:
        with _ENCHANT_LOCK:
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


class Opened:
    """What opening the dictionaries of one language gave (see :func:`open_dictionaries`).

    Attributes:
        language: the dictionary code asked for.
        dictionary: the open dictionary, None when it could not be opened.
        reason: why not ("" when it opened).
        second: codes of the installed second dictionaries (not opened yet).
    """

    __slots__ = ("dictionary", "language", "reason", "second")

    def __init__(
        self, language: str, dictionary: Any, reason: str, second: tuple[str, ...] = ()
    ) -> None:
        self.language = language
        self.dictionary = dictionary
        self.reason = reason
        self.second = second


def open_dictionaries(language: str) -> Opened:
    """Open the dictionary for `language` and list the second ones installed.

    Touches no widget, so it may run in a worker thread (opening the English
    dictionary takes about 50 ms and 12 MB, Enchant included).
    """
    with _ENCHANT_LOCK:
        return _open_dictionaries(language)


def _open_dictionaries(language: str) -> Opened:
    enchant, reason = _load_enchant()
    if enchant is None:
        return Opened(language, None, reason)
    try:
        dictionary = enchant.Dict(language)
    except enchant.errors.DictNotFoundError:
        installed = ", ".join(available_languages()) or _("none")
        return Opened(
            language,
            None,
            _(
                "no {name} dictionary ({code}) is installed (installed: {installed}); "
                "install the hunspell dictionary for it, or pick another language in Settings"
            ).format(name=language_label(language), code=language, installed=installed),
        )
    except Exception as error:
        log.warning("dictionary %s could not be opened: %r", language, error)
        return Opened(
            language,
            None,
            _("the {code} dictionary could not be opened ({error})").format(
                code=language, error=error
            ),
        )
    own = language.replace("-", "_").split("_")[0].lower()
    installed_codes = available_languages()
    second = tuple(
        code for code in SECOND_LANGUAGES if code.split("_")[0] != own and code in installed_codes
    )
    return Opened(language, dictionary, "", second)


class SpellChecker:
    """Checks words in one language; when it cannot, :attr:`reason` says why.

    A checker told which words its dictionary is known to accept
    (:meth:`set_known_words`) may wait to open it (``set_language(..., lazy=True)``):
    until a word outside them is checked, those words are accepted without it,
    and the first other word calls `on_unknown_word`, which should open it
    (:meth:`install` takes the result); until then that word is not underlined.

    Args:
        language: a dictionary code such as ``en_US``; empty turns spelling off.
        personal: the user's own words, always accepted.
        load: open the dictionary now; otherwise call :meth:`set_language` later.
    """

    def __init__(self, language: str, personal: PersonalDictionary, load: bool = True) -> None:
        self.personal = personal
        self.language = language
        self.reason = _("the dictionary is still loading")
        self._dictionary: Any = None
        # Every dictionary in use, the chosen one first: (code, script, dictionary). A second
        # dictionary is None until a word in its script needs it: the Russian and Ukrainian
        # ones hold about 50 MB of memory, and most letters never use them.
        self._dictionaries: list[tuple[str, str, Any]] = []
        self._campaign_words: frozenset[str] = frozenset()
        self._known: frozenset[str] = frozenset()
        self._waiting = False
        self.on_unknown_word: Callable[[], None] | None = None
        self._cache: dict[str, bool] = {}
        if load:
            self.set_language(language)

    @property
    def available(self) -> bool:
        """Whether words are being checked (or are known good until the dictionary opens)."""
        return self._dictionary is not None or self._waiting

    @property
    def waiting(self) -> bool:
        """True while the dictionary is wanted but not yet opened (see :meth:`set_known_words`)."""
        return self._waiting

    def set_known_words(self, words: Iterable[str]) -> None:
        """Words the :data:`STOCK_LANGUAGE` dictionary is known to accept (checked beforehand).

        Used only while that dictionary is not open yet, to put off opening it.
        """
        self._known = frozenset(words)

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

    def set_language(self, language: str, *, lazy: bool = False) -> None:
        """Switch dictionaries; on failure spelling is off and :attr:`reason` says why.

        With `lazy`, the :data:`STOCK_LANGUAGE` dictionary is not opened while
        known words (:meth:`set_known_words`) are all there is to check.
        """
        self.language = language
        self._dictionary = None
        self._dictionaries = []
        self._waiting = False
        self._cache.clear()
        if not language:
            self.reason = _("spell checking is turned off in Settings")
            return
        if lazy and language == STOCK_LANGUAGE and self._known:
            self._waiting = True
            self.reason = ""
            return
        self.install(open_dictionaries(language))

    def install(self, opened: Opened) -> None:
        """Use dictionaries opened by :func:`open_dictionaries` (ignored if the language changed)."""
        if opened.language != self.language:
            return
        self._waiting = False
        self._cache.clear()
        self._dictionary = opened.dictionary
        self.reason = opened.reason
        if opened.dictionary is None:
            self._dictionaries = []
            return
        self._dictionaries = [
            (opened.language, dictionary_script(opened.language), opened.dictionary)
        ]
        self._dictionaries += [(code, dictionary_script(code), None) for code in opened.second]

    def open_now(self) -> None:
        """Open the dictionary the checker is waiting for, on this thread."""
        if self._waiting:
            self.install(open_dictionaries(self.language))

    def _in_script(self, script: str) -> list[Any]:
        """The dictionaries for words in `script`, opening the second ones not yet open."""
        found = []
        for index, (code, dictionary_script_name, dictionary) in enumerate(self._dictionaries):
            if dictionary_script_name != script:
                continue
            if dictionary is None:
                enchant, _reason = _load_enchant()
                try:
                    with _ENCHANT_LOCK:
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
        if self._is_own_word(word):
            return True
        if self._waiting:
            if word in self._known:
                return True
            if self.on_unknown_word is not None:
                self.on_unknown_word()
            return True  # not cached: checked again once the dictionary is open
        if self._dictionary is None:
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
        self.open_now()
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
