"""The personalization coach in the real window: the meter, the invitation, the warning."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from composer.core.campaigns import default_campaign
from composer.gui.coach_panel import CoachPanel
from composer.gui.editor import LetterEditor
from composer.gui.mainwindow import MainWindow
from tests.helpers.pdf import pdf_text, squash
from tests.helpers.status import said, status_messages

PERSONAL = "I live in Tucson, where I teach history to the children of refugees."


@contextmanager
def answering(button: str) -> Iterator[list[str]]:
    """Click `button` on every message box that comes up; closes any other dialog.

    Yields the texts of the boxes seen, in order (``objectName: text``).
    """
    seen: list[str] = []

    def poll() -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, QMessageBox):
            seen.append(f"{widget.objectName()}: {widget.text()}")
            for candidate in widget.buttons():
                if candidate.text() == button:
                    candidate.click()
                    return
            widget.reject()
        elif isinstance(widget, QDialog):
            seen.append(f"unexpected dialog: {type(widget).__name__}")
            widget.reject()

    timer = QTimer(interval=20)
    timer.timeout.connect(poll)
    timer.start()
    try:
        yield seen
    finally:
        timer.stop()


def type_personal_paragraph(qtbot: QtBot, window: MainWindow) -> None:
    editor = window.editor.text
    editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, PERSONAL)


def test_default_letter_shows_no_own_words_and_the_invitation(main_window: MainWindow) -> None:
    panel = main_window.coach_panel
    report = panel.refresh()
    assert report.total_words > 200
    assert panel.meter.value() == 0
    assert panel.summary.text().startswith(
        f"Your own words: 0% (0 of {report.total_words} words); "
    )
    chosen = main_window.picker.chosen_ids()
    assert f"{len(chosen)} stock paragraphs" in panel.summary.text()
    assert panel.invitation.isVisible()
    assert "why this matters to you" in panel.invitation_label.text()
    research = main_window.campaign.coach_research
    assert panel.why_label.isVisible() and research in panel.why_label.text()
    assert (
        "Communicating with Congress: Perceptions of Citizen Advocacy on Capitol Hill" in research
    )
    assert "(2011)" in research and "2010" in research


def test_typing_a_personal_paragraph_raises_the_share_and_hides_the_invitation(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    panel = main_window.coach_panel
    reports: list[object] = []
    panel.report_changed.connect(reports.append)
    type_personal_paragraph(qtbot, main_window)
    # Debounced: no assessment per keystroke while the user is typing.
    assert reports == []
    with qtbot.waitSignal(panel.report_changed, timeout=3000) as blocker:
        pass
    report = blocker.args[0]
    assert len(reports) == 1
    assert report.own_words == len(PERSONAL.split())
    assert report.personal_sentences == (PERSONAL,)
    assert 0 < panel.meter.value() < 100
    assert panel.meter.value() == report.own_percent
    assert f"Your own words: {report.own_percent}% ({report.own_words} of" in panel.summary.text()
    assert not panel.invitation.isVisible()


def test_the_invitation_button_opens_a_paragraph_for_your_own_words(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    panel = main_window.coach_panel
    editor = main_window.editor.text
    first = editor.document().firstBlock().text()
    main_window.activateWindow()
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    cursor = editor.textCursor()
    assert cursor.blockNumber() == 1
    assert cursor.block().text() == ""
    assert editor.document().firstBlock().text() == first
    qtbot.waitUntil(editor.hasFocus, timeout=3000)
    qtbot.keyClicks(editor, PERSONAL)
    qtbot.waitUntil(lambda: not panel.invitation.isVisible(), timeout=3000)
    assert editor.document().findBlockByNumber(1).text() == PERSONAL


def test_exporting_a_pure_stock_letter_warns_first(
    qtbot: QtBot, main_window: MainWindow, tmp_path: Path
) -> None:
    out = tmp_path / "letter.pdf"
    with answering("Add a personal sentence") as seen:
        main_window.output.export_pdf(str(out))
    assert len(seen) == 1
    assert seen[0].startswith("coach-warning: This letter is made only of the campaign's")
    # The user chose to add a sentence: nothing was exported, the cursor waits in a new paragraph.
    assert main_window.output._jobs == []
    assert not out.exists()
    assert main_window.editor.text.textCursor().block().text() == ""

    shown = status_messages(main_window)
    with answering("Export anyway") as seen:
        main_window.output.export_pdf(str(out))
    assert len(seen) == 1
    qtbot.waitUntil(out.exists, timeout=15_000)
    assert "Dear Mr. President:" in squash(pdf_text(out))
    qtbot.waitUntil(lambda: said(shown, "Saved"), timeout=5000)

    # The same letter again: the user already decided, so no second warning.
    again = tmp_path / "again.pdf"
    with answering("Add a personal sentence") as seen:
        main_window.output.export_pdf(str(again))
    assert seen == []
    qtbot.waitUntil(again.exists, timeout=15_000)


def test_printing_a_pure_stock_letter_warns_and_stops_when_asked(
    main_window: MainWindow,
) -> None:
    for action in (main_window.output.print_letter, main_window.output.print_preview):
        with answering("Add a personal sentence") as seen:
            action()
        # Only the coach's warning came up: no print or preview dialog was opened.
        assert len(seen) == 1
        assert seen[0].startswith("coach-warning: ")


def test_a_letter_with_a_personal_sentence_is_not_held_up(
    qtbot: QtBot, main_window: MainWindow, tmp_path: Path
) -> None:
    type_personal_paragraph(qtbot, main_window)
    out = tmp_path / "personal.pdf"
    with answering("Add a personal sentence") as seen:
        main_window.output.export_pdf(str(out))
    assert seen == []
    qtbot.waitUntil(out.exists, timeout=15_000)
    assert PERSONAL in squash(pdf_text(out))


def test_a_huge_text_is_judged_by_its_beginning_without_stalling(qtbot: QtBot) -> None:
    editor = LetterEditor()
    qtbot.addWidget(editor)
    panel = CoachPanel(editor)
    qtbot.addWidget(panel)
    panel.set_campaign(default_campaign())
    line = "The quick brown fox jumps over the lazy dog, and the letter goes on and on.\n"
    editor.text.setPlainText(line * 26_000)  # about 2 MB, as if a book had been pasted
    started = time.perf_counter()
    report = panel.refresh()
    elapsed = time.perf_counter() - started
    assert elapsed < 0.1, f"{elapsed * 1000:.0f} ms"  # measured here: about 30 ms
    assert report.own_words == report.total_words > 3_000
    assert "Only the beginning of this very long text was read." in panel.summary.text()
