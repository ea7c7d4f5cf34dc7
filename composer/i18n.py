"""The interface's language: English, Russian or Ukrainian, with gettext.

Why gettext and not Qt's ``tr()``: many messages a user reads are made in the Qt-free
core (checks, errors, the command line), and gettext works there as well as in the
widgets; one catalog per language in the ``.po`` format that translators' tools know
(``po/ru.po``, ``po/uk.po``, compiled to ``composer/locale/``); and ``ngettext`` gives
Russian and Ukrainian their three plural forms. Qt's own words (standard buttons, the
file dialog) come from the translations PySide6 ships, loaded by :mod:`composer.gui.app`.

Only the interface is translated: letters, envelopes and e-mails to officials stay in
English, so nothing that goes into a letter passes through ``_()``.

Marking strings:

- ``_("Save the letter")`` where the text is shown;
- ``N_("...")`` for a constant defined at import time, translated with ``_()`` where shown;
- ``ngettext("{n} letter", "{n} letters", n).format(n=n)`` for counts;
- placeholders are named (``{count}``), never f-strings inside ``_()``.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Mapping
from pathlib import Path

DOMAIN = "composer"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
# The languages the interface speaks, by code, each named in its own language.
LANGUAGES: dict[str, str] = {"en": "English", "ru": "Русский", "uk": "Українська"}
SYSTEM = "auto"  # the setting's value for "as the system says"

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def _(message: str) -> str:
    """`message` in the interface's language."""
    return _translation.gettext(message)


def N_(message: str) -> str:
    """Mark `message` for translation without translating it (translate where shown)."""
    return message


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of a message for `count` things, in the interface's language."""
    return _translation.ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    """`message` in the interface's language, told apart from the same words elsewhere."""
    return _translation.pgettext(context, message)


def current_language() -> str:
    """The code of the language the interface speaks now ("en", "ru" or "uk")."""
    return _language


def system_language(environ: Mapping[str, str] | None = None) -> str:
    """The interface language the system asks for, as gettext reads it.

    ``LANGUAGE`` (a list such as ``uk:ru``) comes first, then ``LC_ALL``,
    ``LC_MESSAGES`` and ``LANG``; the first language the program speaks wins,
    and English is the answer when none does.
    """
    environ = os.environ if environ is None else environ
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(variable, "")
        if not value:
            continue
        for item in value.split(":"):
            code = item.split(".")[0].split("@")[0].split("_")[0].split("-")[0].lower()
            if code in LANGUAGES:
                return code
            if code in ("c", "posix"):
                return "en"
        if variable != "LANGUAGE":
            return "en"  # the first variable that is set decides, as in gettext
    return "en"


def choose_language(setting: str = SYSTEM, environ: Mapping[str, str] | None = None) -> str:
    """The language to use: the user's setting, or the system's when it is "auto"."""
    if setting in LANGUAGES:
        return setting
    return system_language(environ)


def install(language: str) -> str:
    """Speak `language` from now on; returns the code actually in use.

    A language without a compiled catalog (a broken install) falls back to English.
    """
    global _translation, _language
    if language == "en" or language not in LANGUAGES:
        _translation, _language = gettext.NullTranslations(), "en"
        return _language
    try:
        with (LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo").open("rb") as file:
            _translation = gettext.GNUTranslations(file)
    except (OSError, ValueError):
        _translation, _language = gettext.NullTranslations(), "en"
        return _language
    _language = language
    return _language
