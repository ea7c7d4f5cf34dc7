"""The interface speaks English, Russian and Ukrainian; letters stay in English.

- every message marked for translation has a Russian and a Ukrainian translation,
  with the same placeholders, and the compiled catalogs are up to date;
- every text a widget shows, a message box says or an error raises is marked;
- the language comes from the setting, else from the system.
"""

from __future__ import annotations

import ast
import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from composer import i18n

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "composer"

# Calls whose string arguments a user reads on screen.
SHOWN_BY = {
    "setText", "setWindowTitle", "setToolTip", "setStatusTip", "setPlaceholderText",
    "setAccessibleName", "setAccessibleDescription", "setWhatsThis", "setTitle",
    "setLabelText", "setHeaderLabels", "showMessage", "addTab", "setTabText", "setItemText",
    "addMenu", "addAction", "setInformativeText", "setDetailedText", "setPrefix", "setSuffix",
    "setSpecialValueText", "addRow", "setCancelButtonText", "setOkButtonText",
    "setNameFilter", "setNameFilters", "setHtml", "insertRow", "addButton",
    "QLabel", "QPushButton", "QAction", "QCheckBox", "QGroupBox", "QRadioButton", "QToolButton",
    "QMenu", "QCommandLinkButton", "QProgressDialog",
    "information", "warning", "critical", "question", "about",
    "getText", "getOpenFileName", "getSaveFileName", "getExistingDirectory", "getItem",
}  # fmt: skip
# Texts that are the same in every language: names, symbols, units.
LOGGERS = {"log", "logger", "logging", "_log"}
SAME_IN_EVERY_LANGUAGE = {"Letter Composer", "PDF", "SMTP", "OAuth2", "ZIP", "…", "»", "×"}


def _load_tool():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("translations", ROOT / "tools/translations.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["translations"] = module
    spec.loader.exec_module(module)
    return module


def _python_files(*folders: str) -> Iterator[Path]:
    for folder in folders:
        yield from sorted((PACKAGE / folder).rglob("*.py"))


def _needs_words(node: ast.expr) -> str | None:
    """The text of `node` if it is a literal a reader would have to translate."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    elif isinstance(node, ast.JoinedStr):
        text = "".join(
            part.value
            for part in node.values
            if isinstance(part, ast.Constant) and isinstance(part.value, str)
        )
    else:
        return None
    words = "".join(char for char in text if char.isalpha())
    if len(words) < 2 or text.strip() in SAME_IN_EVERY_LANGUAGE:
        return None
    if text.startswith(("<", "#", ":/")) and "</" not in text:  # markup and resource names
        return None
    return text


def _unmarked(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if isinstance(func, ast.Attribute) and getattr(func.value, "id", "") in LOGGERS:
            continue  # the log stays in English: it is read when reporting a fault
        arguments: list[ast.expr] = list(node.args) + [kw.value for kw in node.keywords]
        if name in SHOWN_BY:
            candidates = arguments
        elif name.endswith(("Error", "Problem")) and path.parts[-2] in ("core", "printing"):
            candidates = arguments[:1]  # what the window shows of a failure
        else:
            continue
        for argument in candidates:
            elements = argument.elts if isinstance(argument, (ast.List, ast.Tuple)) else [argument]
            for element in elements:
                text = _needs_words(element)
                if text is not None:
                    found.append(f"{path.relative_to(ROOT)}:{element.lineno}: {text!r}")
    return found


# The window's files, and the core and printing code whose messages the window shows.
# The command line (composer/commands) stays in English: scripts read its output.
SHOWING_FILES = list(_python_files("gui", "core", "printing"))


@pytest.mark.parametrize("path", SHOWING_FILES, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_every_text_a_widget_shows_is_marked_for_translation(path: Path) -> None:
    assert _unmarked(path) == []


def test_every_marked_message_is_translated_into_russian_and_ukrainian() -> None:
    assert _load_tool().problems() == []


def test_marked_messages_are_not_built_inside_the_marker() -> None:
    """An f-string, a join or a .format() inside _() can never be found in a catalog.

    A literal is what is extracted; a name (a constant marked with N_()) is translated
    where it is shown.
    """
    wrong = []
    for path in _python_files("."):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            count = {"_": 1, "N_": 1, "ngettext": 2, "pgettext": 2}.get(node.func.id)
            if count is None:
                continue
            arguments = node.args[:count]
            built = [
                not isinstance(argument, (ast.Constant, ast.Name, ast.Attribute, ast.Subscript))
                or (isinstance(argument, ast.Constant) and not isinstance(argument.value, str))
                for argument in arguments
            ]
            marker_needs_literal = node.func.id == "N_" and not isinstance(
                arguments[0], ast.Constant
            )
            if len(arguments) < count or any(built) or marker_needs_literal:
                wrong.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert wrong == []


def test_no_function_hides_the_marker_behind_a_local_underscore() -> None:
    """`for _ in …` or `x, _ = …` in a function that calls _() makes _ a local name:
    the call then fails (UnboundLocalError) or calls the wrong thing."""
    wrong = []
    for path in _python_files("."):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            # A comprehension's variables live in a scope of their own: not a problem.
            own_scope = {
                id(target)
                for node in ast.walk(function)
                if isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp))
                for generator in node.generators
                for target in ast.walk(generator.target)
            }
            stores = [
                node
                for node in ast.walk(function)
                if isinstance(node, ast.Name)
                and node.id == "_"
                and isinstance(node.ctx, ast.Store)
                and id(node) not in own_scope
            ]
            calls = [
                node
                for node in ast.walk(function)
                if isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "_"
            ]
            if stores and calls:
                wrong.append(f"{path.relative_to(ROOT)}:{stores[0].lineno} ({function.name})")
    assert wrong == []


def test_nothing_is_translated_at_import_time() -> None:
    """A _() outside a function runs before the language is chosen: it stays English.

    Constants are marked with N_() and translated with _() where they are shown.
    """
    wrong = []
    for path in _python_files("."):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        inside: set[int] = set()
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                body = node.body if isinstance(node.body, list) else [node.body]
                for statement in body:
                    inside.update(id(child) for child in ast.walk(statement))
        for node in ast.walk(tree):
            called = (
                node.func.id
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                else ""
            )
            if called in ("_", "ngettext", "pgettext") and id(node) not in inside:
                wrong.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert wrong == []


@pytest.mark.parametrize(
    ("setting", "environ", "expected"),
    [
        ("auto", {"LANG": "ru_RU.UTF-8"}, "ru"),
        ("auto", {"LANG": "uk_UA.UTF-8"}, "uk"),
        ("auto", {"LANG": "de_DE.UTF-8"}, "en"),
        ("auto", {"LANGUAGE": "de:uk", "LANG": "de_DE.UTF-8"}, "uk"),
        ("auto", {"LC_ALL": "C", "LANG": "ru_RU.UTF-8"}, "en"),
        ("auto", {"LC_MESSAGES": "ru_UA.UTF-8", "LANG": "en_US.UTF-8"}, "ru"),
        ("auto", {}, "en"),
        ("uk", {"LANG": "ru_RU.UTF-8"}, "uk"),
        ("en", {"LANG": "ru_RU.UTF-8"}, "en"),
        ("xx", {"LANG": "uk_UA.UTF-8"}, "uk"),
    ],
)
def test_the_setting_wins_over_the_system(setting: str, environ: dict[str, str], expected: str):
    assert i18n.choose_language(setting, environ) == expected


@pytest.fixture
def speaking():  # type: ignore[no-untyped-def]
    """Install a language for one test; English again afterwards."""
    yield i18n.install
    i18n.install("en")


def test_russian_and_ukrainian_catalogs_load(speaking) -> None:  # type: ignore[no-untyped-def]
    message = "Letter Composer cannot start"
    assert speaking("ru") == "ru"
    assert i18n._(message) == "Letter Composer не может запуститься"
    assert speaking("uk") == "uk"
    assert i18n._(message) == "Letter Composer не може запуститися"
    assert speaking("en") == "en"
    assert i18n._(message) == message


def test_a_missing_catalog_falls_back_to_english(speaking, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    assert speaking("ru") == "en"
    assert i18n._("Letter Composer cannot start") == "Letter Composer cannot start"


def test_the_language_setting_is_kept_and_checked(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from composer.core.settings import Settings, load_settings, save_settings

    path = tmp_path / "settings.json"
    save_settings(path, Settings(language="uk"))
    assert load_settings(path).language == "uk"
    assert Settings(language="klingon").validated().language == "auto"
