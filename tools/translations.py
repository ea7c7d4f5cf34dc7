"""Keep the interface's translations in step with the code (needs Babel, a test dependency).

    python tools/translations.py extract     # po/composer.pot from every _() in composer/
    python tools/translations.py update      # new messages into po/ru.po and po/uk.po
    python tools/translations.py take FILE   # translations from another ru/uk .po (merging work)
    python tools/translations.py compile     # composer/locale/<lang>/LC_MESSAGES/composer.mo
    python tools/translations.py check       # untranslated, fuzzy or mismatched messages
    python tools/translations.py all         # extract, update, compile, check

The tests run ``check`` (tests/unit/test_translations.py): a message marked for
translation with no Russian or Ukrainian translation fails the suite.
"""

from __future__ import annotations

import datetime
import io
import re
import string
import sys
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from composer.i18n import LANGUAGES as SPOKEN  # noqa: E402

PACKAGE = ROOT / "composer"
PO_DIR = ROOT / "po"
TEMPLATE = PO_DIR / "composer.pot"
LOCALE_DIR = PACKAGE / "locale"
# The catalogs kept: every language of composer.i18n but English, the messages' own.
LANGUAGES = tuple(code for code in SPOKEN if code != "en")
STAMP = datetime.datetime(2026, 12, 4, tzinfo=datetime.UTC)
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}


def extract() -> Catalog:
    """Every message marked in composer/, as a template catalog."""
    catalog = Catalog(project="Letter Composer", charset="utf-8", fuzzy=False)
    method_map = [("**.py", "python")]
    for filename, lineno, message, comments, context in extract_from_dir(
        str(PACKAGE), method_map=method_map, keywords=KEYWORDS, comment_tags=("Translators:",)
    ):
        catalog.add(
            message,
            None,
            [(f"composer/{filename}", lineno)],
            auto_comments=comments,
            context=context,
        )
    return catalog


def _write(path: Path, catalog: Catalog) -> None:
    # Fixed header values: the files change only when a message does.
    catalog.creation_date = STAMP
    catalog.revision_date = STAMP
    catalog.project, catalog.version = "Letter Composer", ""
    catalog.msgid_bugs_address = ""
    catalog.last_translator = "Letter Composer translators"
    catalog.language_team = catalog.last_translator
    language = {"ru": "Russian", "uk": "Ukrainian"}.get(str(catalog.locale), "")
    catalog.header_comment = (
        f"# {language or 'Template of the'} translations of Letter Composer's interface.\n"
        "# Letters to officials stay in English; only the interface is translated.\n"
        "# Same license as Letter Composer (GPL-3.0-or-later)."
    )
    buffer = io.BytesIO()
    # File names but no line numbers: a moved line does not change the catalogs.
    write_po(buffer, catalog, width=100, sort_output=True, include_lineno=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, locale=locale)


def write_template() -> None:
    _write(TEMPLATE, extract())


def update() -> None:
    """Bring each language's catalog up to the template, keeping every translation."""
    template = _read(TEMPLATE)
    for language in LANGUAGES:
        path = PO_DIR / f"{language}.po"
        if path.exists():
            catalog = _read(path, language)
        else:
            catalog = Catalog(locale=language, project="Letter Composer", fuzzy=False)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        _write(path, catalog)


def take(source: Path) -> None:
    """Copy translations from `source` (a ru or uk .po) for messages not yet translated."""
    other = _read(source)
    language = str(other.locale) if other.locale else source.stem
    path = PO_DIR / f"{language}.po"
    catalog = _read(path, language)
    for message in other:
        if not message.id or not _translated(message):
            continue
        mine = catalog.get(message.id, context=message.context)
        if mine is not None and not _translated(mine):
            mine.string = message.string
            mine.flags.discard("fuzzy")
    _write(path, catalog)


def compile_all() -> None:
    for language in LANGUAGES:
        catalog = _read(PO_DIR / f"{language}.po", language)
        target = LOCALE_DIR / language / "LC_MESSAGES" / "composer.mo"
        target.parent.mkdir(parents=True, exist_ok=True)
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        if not target.exists() or target.read_bytes() != buffer.getvalue():
            target.write_bytes(buffer.getvalue())


def _translated(message: Message) -> bool:
    if "fuzzy" in message.flags:
        return False
    if isinstance(message.string, (tuple, list)):
        return all(part.strip() for part in message.string)
    return bool(message.string and message.string.strip())


def _fields(text: str) -> set[str]:
    """The {placeholders} of a message (printf-style ones too)."""
    names = set()
    try:
        for _, name, _, _ in string.Formatter().parse(text):
            if name is not None:
                names.add(name)
    except ValueError:
        pass
    names.update(re.findall(r"%\(?\w*\)?[sdif]", text))
    return names


def problems() -> list[str]:
    """What is wrong with the catalogs, one line each; empty when all is well."""
    found: list[str] = []
    template = extract()
    for language in LANGUAGES:
        path = PO_DIR / f"{language}.po"
        if not path.exists():
            found.append(f"{path.name} is missing")
            continue
        catalog = _read(path, language)
        for message in template:
            if not message.id:
                continue
            mine = catalog.get(message.id, context=message.context)
            where = ", ".join(file for file, _ in message.locations)
            shown = message.id if isinstance(message.id, str) else message.id[0]
            if mine is None or not _translated(mine):
                found.append(f"{language}: not translated: {shown!r} ({where})")
                continue
            wanted = _fields(shown)
            strings = mine.string if isinstance(mine.string, (tuple, list)) else [mine.string]
            for text in strings:
                if _fields(text) - wanted or (
                    isinstance(message.id, str) and _fields(text) != wanted
                ):
                    found.append(f"{language}: placeholders differ: {shown!r} -> {text!r}")
                    break
        compiled = LOCALE_DIR / language / "LC_MESSAGES" / "composer.mo"
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        if not compiled.exists() or compiled.read_bytes() != buffer.getvalue():
            found.append(f"{language}: {compiled.relative_to(ROOT)} is out of date (compile)")
    return found


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    if argv[0] == "take":
        for name in argv[1:]:
            take(Path(name))
        return 0
    steps: list[str] = []
    for command in argv:
        steps += ["extract", "update", "compile", "check"] if command == "all" else [command]
    for step in steps:
        if step == "extract":
            write_template()
        elif step == "update":
            update()
        elif step == "compile":
            compile_all()
        elif step == "check":
            found = problems()
            for line in found:
                print(line)
            print(f"{len(found)} problem(s)")
            if found:
                return 1
        else:
            print(f"unknown command {step!r}\n{__doc__}")
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
