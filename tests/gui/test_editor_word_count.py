"""The editor's word count: exact when asked, announced once after typing, never per keystroke."""

from __future__ import annotations

import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from pytestqt.qtbot import QtBot

from composer.gui.editor import WORD_COUNT_DELAY_MS, LetterEditor, count_words

# Every character Python's str.split() breaks words at, ASCII or not.
SPACES = "".join(chr(code) for code in range(sys.maxunicode + 1) if chr(code).isspace())
LINE = "The quick brown fox jumps over the lazy dog, and the letter goes on and on.\n"


@pytest.fixture
def editor(qtbot: QtBot) -> LetterEditor:
    widget = LetterEditor()
    qtbot.addWidget(widget)
    widget.resize(700, 500)
    widget.show()
    qtbot.waitExposed(widget)
    widget.text.setFocus()
    return widget


def settle(qtbot: QtBot, editor: LetterEditor) -> None:
    """Let the count announced for the text set so far arrive, so later ones stand apart."""
    with qtbot.waitSignal(editor.word_count_changed):
        pass


def to_end(editor: LetterEditor) -> None:
    editor.text.moveCursor(QTextCursor.MoveOperation.End)


@given(st.text(alphabet=st.sampled_from(SPACES + "ab,.é—字\U0001f600\ufffc\ud800")))
def test_words_are_counted_as_str_split_splits_them(text: str) -> None:
    assert count_words(text) == len(text.split())


def test_words_of_a_long_mixed_text_are_counted_exactly() -> None:
    text = (LINE + "Ünïcödé\u00a0words\u2029and\u3000ideographic\u2003spaces ") * 20_000
    assert count_words(text) == len(text.split())
    assert count_words("") == 0
    assert count_words(SPACES * 3) == 0


def test_a_burst_of_typing_is_announced_once_with_the_right_count(
    editor: LetterEditor, qtbot: QtBot
) -> None:
    editor.text.setPlainText("Dear Senator Lee,")
    settle(qtbot, editor)
    to_end(editor)
    announced: list[int] = []
    editor.word_count_changed.connect(announced.append)
    with qtbot.waitSignal(editor.word_count_changed) as counted:
        qtbot.keyClicks(editor.text, " I teach school in Seattle.")
    assert counted.args == [8]
    qtbot.assertNotEmitted(editor.word_count_changed, wait=WORD_COUNT_DELAY_MS * 3)
    assert announced == [8]


def test_the_count_is_exact_right_after_the_text_is_set(editor: LetterEditor) -> None:
    editor.set_html("<p>One <b>two</b></p><p>three&nbsp;four</p><ul><li>five</li></ul>")
    assert editor.word_count() == 5
    editor.text.setPlainText("six seven")
    assert editor.word_count() == 2
    to_end(editor)
    editor.text.insertPlainText(" eight nine")
    assert editor.word_count() == 4
    editor.text.clear()
    assert editor.word_count() == 0


def test_the_count_is_exact_while_the_text_box_is_silenced(editor: LetterEditor) -> None:
    # A large paste goes in with the text box's signals blocked.
    editor.text.setPlainText("one two")
    assert editor.word_count() == 2
    editor.text.blockSignals(True)
    try:
        QTextCursor(editor.text.document()).insertText("zero ")
        assert editor.word_count() == 3
    finally:
        editor.text.blockSignals(False)


def test_typing_in_a_long_letter_counts_later_and_once(editor: LetterEditor, qtbot: QtBot) -> None:
    editor.text.setPlainText(LINE * (2_000_000 // len(LINE)))
    settle(qtbot, editor)
    before = editor.word_count()
    assert before > 350_000
    to_end(editor)
    announced: list[int] = []
    editor.word_count_changed.connect(announced.append)
    changes: list[None] = []
    editor.changed.connect(lambda: changes.append(None))
    qtbot.keyClick(editor.text, Qt.Key.Key_A)
    assert changes == [None]  # the rest of the window heard of the keystroke at once
    assert announced == []  # but the count did not hold the keystroke up
    assert editor.word_count() == before + 1  # a caller who asks still gets it exactly
    with qtbot.waitSignal(editor.word_count_changed) as counted:
        pass
    assert counted.args == [before + 1]
    qtbot.assertNotEmitted(editor.word_count_changed, wait=WORD_COUNT_DELAY_MS * 3)
    assert announced == [before + 1]
