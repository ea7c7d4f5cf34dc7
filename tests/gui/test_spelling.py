"""Spell checking in the editor, with the real Enchant and the system's Hunspell en_US dictionary."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAccessible, QContextMenuEvent, QImage, QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QTextEdit

from composer.core.campaigns import default_campaign
from composer.gui import spell_checker
from composer.gui import spelling as spelling_module
from composer.gui.spelling import (
    UNDERLINE_COLOR,
    PersonalDictionary,
    SpellingSupport,
    available_languages,
    words_in,
)

TEXT = "This sentense has one mistake."


@pytest.fixture
def editor(qtbot) -> QTextEdit:
    edit = QTextEdit()
    edit.setAcceptRichText(True)
    edit.resize(520, 200)
    qtbot.addWidget(edit)
    return edit


def _support(edit: QTextEdit, tmp_path: Path, language: str = "en_US") -> SpellingSupport:
    return SpellingSupport(edit, language, tmp_path / "words.txt")


def _underlined(edit: QTextEdit) -> list[str]:
    """The words that carry the spelling underline, read from the text layout."""
    found = []
    block = edit.document().begin()
    while block.isValid():
        for span in block.layout().formats():
            if span.format.underlineStyle() == span.format.UnderlineStyle.SpellCheckUnderline:
                found.append(block.text()[span.start : span.start + span.length])
        block = block.next()
    return found


def _cursor_in(edit: QTextEdit, word: str) -> QTextCursor:
    cursor = QTextCursor(edit.document())
    cursor.setPosition(edit.toPlainText().index(word) + 2)
    return cursor


def _red_pixels(edit: QTextEdit) -> int:
    image = edit.viewport().grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    count = 0
    for y in range(image.height()):
        for x in range(image.width()):
            colour = image.pixelColor(x, y)
            if colour.red() - max(colour.green(), colour.blue()) > 60:
                count += 1
    return count


def test_words_in_skips_placeholders_acronyms_addresses_and_numbers() -> None:
    text = "Dear {{ recipient.salutation }}, the DHS and I wrote 42 times to ann@example.org don’t"
    words = [word for _start, _length, word in words_in(text)]
    assert words == ["Dear", "the", "and", "wrote", "times", "to", "don’t"]


def test_the_english_dictionary_is_installed() -> None:
    # The rest of this file needs it; the platform notes list hunspell-en-us.
    assert "en_US" in available_languages()


def test_misspelt_words_get_a_red_wavy_underline(editor: QTextEdit, tmp_path: Path, qtbot) -> None:
    editor.setPlainText(TEXT)
    spelling = _support(editor, tmp_path)
    assert spelling.available
    assert _underlined(editor) == ["sentense"]
    editor.show()
    qtbot.waitExposed(editor)
    with_mistake = _red_pixels(editor)
    editor.setPlainText("This sentence has no mistake.")
    assert _underlined(editor) == []
    assert with_mistake > 10
    assert _red_pixels(editor) == 0
    # Colour and style as promised (checked on the format, the pixels above prove it is drawn).
    fmt = spelling.highlighter.misspelt_format
    assert fmt.underlineColor() == UNDERLINE_COLOR


def test_typing_is_checked_as_you_type(editor: QTextEdit, tmp_path: Path, qtbot) -> None:
    _support(editor, tmp_path)
    editor.show()
    editor.setFocus()
    QTest.keyClicks(editor, "I beleive it ")
    assert _underlined(editor) == ["beleive"]


def test_underlines_are_not_edits(editor: QTextEdit, tmp_path: Path, qtbot) -> None:
    editor.setPlainText(TEXT)
    editor.document().setModified(False)
    with qtbot.assertNotEmitted(editor.textChanged, wait=50):
        spelling = _support(editor, tmp_path)
        spelling.set_language("")
        spelling.set_language("en_US")
    assert not editor.document().isModified()
    assert not editor.document().isUndoAvailable()
    assert "sentense" in _underlined(editor)
    assert "text-decoration" not in editor.toHtml().split("<body")[1]


def test_suggestion_replaces_the_word_in_one_undo_step(
    editor: QTextEdit, tmp_path: Path, qtbot
) -> None:
    editor.setPlainText(TEXT)
    spelling = _support(editor, tmp_path)
    menu = spelling.build_context_menu(_cursor_in(editor, "sentense"), QPoint(5, 5))
    texts = [action.text() for action in menu.actions()]
    assert "sentence" in texts[:7]
    assert "Add “sentense” to Dictionary" in texts
    assert any("Copy" in text for text in texts)  # the usual editing entries stay
    next(a for a in menu.actions() if a.text() == "sentence").trigger()
    assert editor.toPlainText() == "This sentence has one mistake."
    assert _underlined(editor) == []
    editor.undo()
    assert editor.toPlainText() == TEXT


def test_no_suggestions_on_a_correct_word(editor: QTextEdit, tmp_path: Path) -> None:
    editor.setPlainText(TEXT)
    spelling = _support(editor, tmp_path)
    menu = spelling.build_context_menu(_cursor_in(editor, "mistake"), QPoint(5, 5))
    assert not any("Dictionary" in action.text() for action in menu.actions())


def test_add_to_dictionary_is_remembered(editor: QTextEdit, tmp_path: Path, qtbot) -> None:
    editor.setPlainText("Write to Frobnitz today.")
    spelling = _support(editor, tmp_path)
    assert _underlined(editor) == ["Frobnitz"]
    menu = spelling.build_context_menu(_cursor_in(editor, "Frobnitz"), QPoint(5, 5))
    add = next(a for a in menu.actions() if a.text().startswith("Add “Frobnitz”"))
    with qtbot.waitSignal(spelling.message) as said:
        add.trigger()
    assert "Added" in said.args[0]
    assert _underlined(editor) == []
    assert (tmp_path / "words.txt").read_text(encoding="utf-8") == "Frobnitz\n"
    # A later session (a new editor) knows the word too.
    other = QTextEdit()
    qtbot.addWidget(other)
    other.setPlainText("Frobnitz and Quuxly")
    _support(other, tmp_path)
    assert _underlined(other) == ["Quuxly"]


def test_a_word_that_cannot_be_saved_is_still_accepted(
    editor: QTextEdit, tmp_path: Path, qtbot
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    editor.setPlainText("Write to Frobnitz today.")
    spelling = SpellingSupport(editor, "en_US", blocker / "words.txt")
    with qtbot.waitSignal(spelling.message) as said:
        spelling.add_word("Frobnitz")
    assert "was not saved" in said.args[0]
    assert _underlined(editor) == []


@pytest.mark.qt_log_ignore("This plugin does not support")  # popups under offscreen
def test_right_click_opens_the_menu_on_the_word(editor: QTextEdit, tmp_path: Path, qtbot) -> None:
    editor.setPlainText(TEXT)
    spelling = _support(editor, tmp_path)
    editor.show()
    qtbot.waitExposed(editor)
    cursor = _cursor_in(editor, "sentense")
    where = editor.cursorRect(cursor).center()
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, where, editor.viewport().mapToGlobal(where)
    )
    QApplication.sendEvent(editor.viewport(), event)
    menu = spelling.open_menu
    assert menu is not None and menu.isVisible()
    assert "sentence" in [a.text() for a in menu.actions()]
    menu.close()
    qtbot.waitUntil(lambda: spelling.open_menu is None)


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_shift_f10_opens_the_menu_at_the_text_cursor(
    editor: QTextEdit, tmp_path: Path, qtbot
) -> None:
    editor.setPlainText(TEXT)
    spelling = _support(editor, tmp_path)
    editor.show()
    qtbot.waitExposed(editor)
    editor.setTextCursor(_cursor_in(editor, "sentense"))
    QTest.keyClick(editor, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
    menu = spelling.open_menu
    assert menu is not None
    assert "sentence" in [a.text() for a in menu.actions()]
    QTest.keyClick(menu, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: spelling.open_menu is None)


def test_missing_dictionary_leaves_the_editor_working(
    editor: QTextEdit, tmp_path: Path, qtbot
) -> None:
    spelling = _support(editor, tmp_path, language="xx_XX")
    assert not spelling.available
    assert "Spelling is off" in spelling.status
    assert "xx_XX" in spelling.status and "en_US" in spelling.status
    assert spelling.indicator.text() == "Spelling: off"
    assert spelling.indicator.toolTip() == spelling.status
    editor.show()
    editor.setFocus()
    QTest.keyClicks(editor, "I beleive it")
    assert editor.toPlainText() == "I beleive it"
    assert _underlined(editor) == []
    menu = spelling.build_context_menu(_cursor_in(editor, "beleive"), QPoint(5, 5))
    assert not any("Dictionary" in action.text() for action in menu.actions())


def test_missing_pyenchant_says_so(
    editor: QTextEdit, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The same import failure a machine without the package meets.
    monkeypatch.setitem(sys.modules, "enchant", None)
    editor.setPlainText(TEXT)
    spelling = _support(editor, tmp_path)
    assert not spelling.available
    assert "pyenchant" in spelling.status
    assert _underlined(editor) == []
    assert available_languages() == []


def test_language_switch_updates_status_and_underlines(
    editor: QTextEdit, tmp_path: Path, qtbot
) -> None:
    editor.setPlainText(TEXT)
    spelling = _support(editor, tmp_path, language="")
    assert "turned off" in spelling.status and _underlined(editor) == []
    with qtbot.waitSignal(spelling.status_changed) as changed:
        spelling.set_language("en_US")
    assert "English (United States)" in changed.args[0]
    assert spelling.indicator.text() == "Spelling: en_US, 1 misspelt"
    assert _underlined(editor) == ["sentense"]


def test_personal_dictionary_ignores_an_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "words.txt"
    path.write_bytes(b"\xff\xfe not utf-8")
    assert PersonalDictionary(path).words() == []


def test_a_delayed_start_says_so_then_checks(editor: QTextEdit, tmp_path: Path, qtbot) -> None:
    editor.setPlainText(TEXT)
    spelling = SpellingSupport(editor, "en_US", tmp_path / "words.txt", start_after_ms=10)
    assert spelling.indicator.text() == "Spelling: starting…"
    assert _underlined(editor) == []
    with qtbot.waitSignal(spelling.status_changed):
        pass
    assert spelling.available
    assert _underlined(editor) == ["sentense"]


def test_the_main_window_checks_its_letter(main_window, qtbot) -> None:
    spelling = main_window.spelling
    assert main_window.statusBar().isAncestorOf(spelling.indicator)
    qtbot.waitUntil(lambda: spelling.available)  # it starts by itself just after start-up
    # The letter holds only the bundled campaign's own words: the dictionary waits.
    assert spelling.checker.opened == []
    assert spelling.indicator.text() == "Spelling: en_US"
    main_window.editor.text.setFocus()
    main_window.editor.text.moveCursor(QTextCursor.MoveOperation.End)
    QTest.keyClicks(main_window.editor.text, " I beleive it.")
    # The first word of the writer's own opens it in the background; the underline follows.
    qtbot.waitUntil(lambda: "beleive" in _underlined(main_window.editor.text))
    assert spelling.checker.opened == ["en_US"]
    assert spelling.misspelt_count == 1


def test_every_stock_word_of_the_bundled_campaign_is_in_the_dictionary() -> None:
    # What lets the window leave the dictionary closed for a letter made of them.
    campaign = default_campaign()
    words = spelling_module.stock_words(campaign)
    assert len(words) > 500
    checker = PersonalDictionary(Path("/nonexistent/words.txt"))
    engine = spell_checker.SpellChecker(spell_checker.STOCK_LANGUAGE, checker)
    engine.set_campaign_words(campaign.spelling_words)
    assert engine.opened == [spell_checker.STOCK_LANGUAGE]
    assert [word for word in sorted(words) if not engine.check(word)] == []


def test_a_pack_from_elsewhere_has_no_stock_words(tmp_path: Path) -> None:
    import dataclasses

    campaign = dataclasses.replace(default_campaign(), origin=str(tmp_path / "pack"))
    assert spelling_module.stock_words(campaign) == frozenset()


def test_f7_opens_a_waiting_dictionary_at_once(editor: QTextEdit, tmp_path: Path) -> None:
    editor.setPlainText("Words of the campaign.")
    spelling = SpellingSupport(editor, "en_US", tmp_path / "words.txt", start_after_ms=0)
    spelling.checker.set_known_words({"Words", "of", "the", "campaign"})
    spelling.start()
    assert spelling.checker.waiting and spelling.checker.opened == []
    editor.append("A sentense.")
    assert spelling.next_misspelling()
    assert editor.textCursor().selectedText() == "sentense"
    assert spelling.checker.opened == ["en_US"]


def test_the_main_window_says_why_spelling_is_off(qtbot, locations) -> None:
    from composer.core.campaigns import default_campaign
    from composer.core.settings import Settings
    from composer.gui.mainwindow import MainWindow

    window = MainWindow(locations, Settings(spell_language="xx_XX"), default_campaign())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.spelling.indicator.text() == "Spelling: off")
    message = window.statusBar().currentMessage()
    assert message.startswith("Spelling is off: no") and "xx_XX" in message
    window.pool.waitForDone(5000)


def test_no_bundled_argument_is_flagged(editor: QTextEdit, tmp_path: Path) -> None:
    campaign = default_campaign()
    spelling = _support(editor, tmp_path)
    spelling.set_campaign_words(campaign.spelling_words)
    editor.setHtml("".join(f"<p>{a.title}</p>{a.html}" for a in campaign.arguments))
    assert "Stanskikh" in editor.toPlainText() and "Somin" in editor.toPlainText()
    assert _underlined(editor) == []
    assert spelling.misspellings() == []
    # The names are accepted in a writer's own sentences too, possessive included.
    editor.setPlainText("Kyiv, Zelensky and Navalny; Somin’s book and Stanskikh's case.")
    assert _underlined(editor) == []


def test_a_cyrillic_word_is_not_underlined_with_only_an_english_dictionary(
    editor: QTextEdit, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(spell_checker, "SECOND_LANGUAGES", ())
    editor.setPlainText("Привет, мир. Превет sentense.")
    spelling = _support(editor, tmp_path)
    assert spelling.checker.languages == ["en_US"]
    assert _underlined(editor) == ["sentense"]


def test_russian_and_ukrainian_words_are_checked_when_their_dictionaries_are_installed(
    editor: QTextEdit, tmp_path: Path
) -> None:
    # tools/bootstrap.sh installs hunspell-ru and hunspell-uk beside the English one.
    assert {"ru_RU", "uk_UA"} <= set(available_languages())
    editor.setPlainText("Привіт, друже. Спасибо, мир. Превет and sentense.")
    spelling = _support(editor, tmp_path)
    assert spelling.checker.languages == ["en_US", "ru_RU", "uk_UA"]
    assert "Russian" in spelling.status and "Ukrainian" in spelling.status
    assert _underlined(editor) == ["Превет", "sentense"]
    assert "Привет" in spelling.checker.suggest("Превет")


def test_a_second_dictionary_opens_only_when_a_word_in_its_script_is_checked(
    editor: QTextEdit, tmp_path: Path
) -> None:
    # The Russian and Ukrainian dictionaries take about 50 MB: a letter in English
    # alone must not pay for them.
    editor.setPlainText("A letter written only in English, with one mistake: sentense.")
    spelling = _support(editor, tmp_path)
    assert spelling.checker.languages == ["en_US", "ru_RU", "uk_UA"]
    assert spelling.checker.opened == ["en_US"]
    assert _underlined(editor) == ["sentense"]
    editor.append("Спасибо, мир. Превет.")
    assert _underlined(editor) == ["sentense", "Превет"]
    assert spelling.checker.opened == ["en_US", "ru_RU", "uk_UA"]


def _description(widget: QTextEdit) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Description)


def test_f7_selects_the_next_misspelling_and_says_which(
    editor: QTextEdit, tmp_path: Path, qtbot
) -> None:
    editor.setPlainText("This sentense has one mistake.\nAnd anothr one here.")
    spelling = _support(editor, tmp_path)
    assert spelling.indicator.text() == "Spelling: en_US, 2 misspelt"
    assert (
        QAccessible.queryAccessibleInterface(spelling.indicator).text(QAccessible.Text.Name)
        == spelling.indicator.text()
    )
    assert "2 misspelt words" in _description(editor)
    editor.show()
    editor.activateWindow()  # F7 is a window shortcut: the window must be the active one
    qtbot.waitUntil(lambda: QApplication.activeWindow() is editor)
    editor.setFocus()
    editor.moveCursor(QTextCursor.MoveOperation.Start)
    with qtbot.waitSignal(spelling.message) as said:
        QTest.keyClick(editor, Qt.Key.Key_F7)
    assert editor.textCursor().selectedText() == "sentense"
    assert said.args[0].startswith("Misspelt word 1 of 2: “sentense”.")
    assert "sentence" in said.args[0]
    assert "Misspelt word at the cursor: “sentense”" in _description(editor)
    QTest.keyClick(editor, Qt.Key.Key_F7)
    assert editor.textCursor().selectedText() == "anothr"
    assert "“anothr”" in _description(editor)
    QTest.keyClick(editor, Qt.Key.Key_F7)  # after the last, from the top again
    assert editor.textCursor().selectedText() == "sentense"
    # Fixing a word updates the count a moment later.
    editor.textCursor().insertText("sentence")
    with qtbot.waitSignal(spelling.misspellings_changed) as counted:
        pass
    assert counted.args == [1]
    assert spelling.indicator.text() == "Spelling: en_US, 1 misspelt"
    assert "sentense" not in _description(editor)


def test_f7_without_misspellings_says_so(editor: QTextEdit, tmp_path: Path, qtbot) -> None:
    editor.setPlainText("All is well.")
    spelling = _support(editor, tmp_path)
    with qtbot.waitSignal(spelling.message) as said:
        assert not spelling.next_misspelling()
    assert said.args[0] == "No misspelt words in the letter."
    assert "misspelt" not in _description(editor)


def test_the_main_window_accepts_the_campaigns_names_and_offers_f7(main_window, qtbot) -> None:
    spelling = main_window.spelling
    qtbot.waitUntil(lambda: spelling.available)
    assert spelling.next_action in main_window.menus.edit_menu.actions()
    main_window.editor.set_html("<p>Stanskikh wrote from Kyiv; I beleive him.</p>")
    qtbot.waitUntil(lambda: _underlined(main_window.editor.text) == ["beleive"])
    main_window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is main_window)
    main_window.picker.setFocus()
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_F7)
    assert QApplication.focusWidget() is main_window.editor.text
    assert main_window.editor.text.textCursor().selectedText() == "beleive"
    assert "“beleive”" in main_window.statusBar().currentMessage()


def test_a_very_long_text_is_not_counted_after_each_change_but_f7_still_works(
    editor: QTextEdit, tmp_path: Path, qtbot
) -> None:
    long_text = "All is well here. " * 6000 + "A sentense near the end."
    assert len(long_text) > spelling_module.REPORT_MAX_CHARS
    editor.setPlainText(long_text)
    spelling = _support(editor, tmp_path)
    assert spelling.misspelt_count is None
    assert spelling.indicator.text() == "Spelling: en_US"
    assert "F7 selects the next misspelt word." in _description(editor)
    with qtbot.waitSignal(spelling.message) as said:
        assert spelling.next_misspelling()
    assert editor.textCursor().selectedText() == "sentense"
    assert said.args[0].startswith("Misspelt word: “sentense”.")
