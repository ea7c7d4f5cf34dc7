"""The preview renders in the background: a long letter does not freeze the window.

The window only reads the letter on the GUI thread; rendering it (placeholders,
templates, plain text) and drawing the pages happen in a worker. These tests
check what a user would notice: the window keeps answering while a long letter
is prepared, the newest text always wins, and a letter that cannot be
rendered is explained in the preview as before.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import pytest
from PySide6.QtCore import QThreadPool, QTimer
from pytestqt.qtbot import QtBot

from composer.core.models import Letter, Recipient, Sender
from composer.core.render import MissingValuesError, Renderer
from composer.core.rendered import RenderedLetter
from composer.gui.mainwindow import MainWindow
from composer.gui.preview import PagePreview
from composer.printing.paper import paper
from tests.helpers.heartbeat import Heartbeat
from tests.helpers.pdf import squash

# A sentence with some emphasis, as pasted from a word processor: a long letter of these
# is heavy work for the renderer (many tags) without being many paragraphs to lay out.
SENTENCE = "The river rose again this spring, and the school on Elm Street closed for a week."
RICH_SENTENCE = (
    "The river <b>rose again</b> this spring, and the <i>school</i> on Elm Street closed "
    "for a week. "
)
LONG_LETTER_CHARS = 3_000_000
SLOW_WAIT_S = 30  # the longest a held render waits before giving up (the test then fails)


@dataclass
class WatchedRenderer:
    """The window's real renderer, noting when and on which thread each render ran.

    A render whose body holds `hold_marker` waits until `release` is set, so a
    test can make an older request finish after a newer one.
    """

    real: Renderer
    hold_marker: str | None = None
    release: threading.Event = field(default_factory=threading.Event)
    runs: list[tuple[str, float, float, bool]] = field(default_factory=list)
    holding: threading.Event = field(default_factory=threading.Event)
    finished: threading.Event = field(default_factory=threading.Event)

    def render(self, letter: Letter, recipient: Recipient, template: str = "formal"):
        started = time.monotonic()
        held = self.hold_marker is not None and self.hold_marker in letter.body_html
        if held:
            self.holding.set()
            self.release.wait(SLOW_WAIT_S)
        try:
            return self.real.render(letter, recipient, template)
        finally:
            on_gui_thread = threading.current_thread() is threading.main_thread()
            self.runs.append(("held" if held else "free", started, time.monotonic(), on_gui_thread))
            if held:
                self.finished.set()


def settle(qtbot: QtBot, window: MainWindow) -> None:
    """Wait until the window has started up and no preview is scheduled or being drawn."""
    qtbot.waitUntil(
        lambda: (
            window.outbox_status is not None  # after the first paint: the outbox counted
            and window.outbox_status.text()
            and not window._preview_timer.isActive()
            and not window.preview._jobs
            and window.preview.page_count > 0
        ),
        timeout=20_000,
    )


def put_text(window: MainWindow, text: str) -> None:
    """Replace the letter's text; the test then refreshes the preview itself, when it chooses."""
    window.editor.text.setPlainText(text)
    window._preview_timer.stop()


def long_letter_html() -> tuple[str, int]:
    """About LONG_LETTER_CHARS of text in long paragraphs, and how many sentences it holds."""
    paragraph = "<p>" + RICH_SENTENCE * 20 + "</p>"
    count = LONG_LETTER_CHARS // len(SENTENCE * 20)
    ending = "<p>I count on your vote, and so do my neighbours.</p>"
    return "<p>Dear Senator,</p>" + paragraph * count + ending, count * 20


def rendered(body: str) -> RenderedLetter:
    """A short letter to Senator Adams, rendered for the preview."""
    recipient = Recipient(
        id="T000001",
        name="Pat Adams",
        title="Senator",
        salutation="Dear Senator Adams:",
        address_lines=("The Honorable Pat Adams", "United States Senate", "Washington, DC 20510"),
        kind="senator",
    )
    letter = Letter(sender=Sender(name="Ana Ruiz", city="Seattle"), body_html=f"<p>{body}</p>")
    return Renderer().render(letter, recipient)


def test_a_long_letter_keeps_the_window_responsive_while_it_is_rendered(
    qtbot: QtBot, main_window: MainWindow, monkeypatch: pytest.MonkeyPatch, record_property
) -> None:
    window = main_window
    settle(qtbot, window)
    watched = WatchedRenderer(window.output.renderer())
    monkeypatch.setattr(window.output, "renderer", lambda: watched)
    html, sentences = long_letter_html()
    # Let the rest of the window (word count, coach, autosave) finish with the change first:
    # what is measured below is the preview alone.
    with qtbot.waitSignals(
        [
            window.editor.word_count_changed,
            window.coach_panel.report_changed,
            window.keeper.autosaver.saved,
        ],
        timeout=60_000,
    ):
        window.editor.set_html(html)
        window._preview_timer.stop()  # the test starts the refresh itself, below
    text_size = len(window.editor.text.toPlainText())
    assert text_size >= LONG_LETTER_CHARS

    watch = Heartbeat()
    watch.start()
    started = time.monotonic()
    with qtbot.waitSignal(window.preview.updated, timeout=120_000):
        QTimer.singleShot(0, window.refresh_preview)  # from the event loop, like the timer does
    shown = time.monotonic()
    watch.stop()

    [(_kind, render_start, render_end, on_gui_thread)] = watched.runs
    render_seconds = render_end - render_start
    while_rendering = watch.longest_gap(render_end)
    overall = watch.longest_gap(shown)
    record_property("preview_render_seconds", round(render_seconds, 2))
    record_property("preview_stall_while_rendering_ms", round(while_rendering * 1000))
    record_property("preview_longest_stall_ms", round(overall * 1000))
    print(
        f"\n{text_size / 1e6:.1f} MB letter: rendered in {render_seconds:.2f} s, pages shown "
        f"after {shown - started:.1f} s; longest event-loop stall {while_rendering * 1000:.0f} ms "
        f"until rendered, {overall * 1000:.0f} ms until shown"
    )
    assert not on_gui_thread
    # Rendered on the GUI thread, the stall would be the whole render and more.
    assert while_rendering < render_seconds / 2
    # The pages on screen are the new, long letter.
    letter = window.preview.shown_letter
    assert letter.text.count(SENTENCE) == sentences
    assert "so do my neighbours" in squash(letter.text)
    assert window.preview.page_count > 100
    assert len(window.preview.page_labels()) == window.preview.page_count


@pytest.mark.parametrize("older_is_broken", [False, True], ids=["older-fine", "older-broken"])
def test_an_older_render_finishing_last_does_not_replace_the_newer_one(
    qtbot: QtBot, main_window: MainWindow, monkeypatch: pytest.MonkeyPatch, older_is_broken: bool
) -> None:
    window = main_window
    settle(qtbot, window)
    watched = WatchedRenderer(window.output.renderer(), hold_marker="First version")
    monkeypatch.setattr(window.output, "renderer", lambda: watched)

    older = "First version of my letter."
    if older_is_broken:
        older += " Call me at {{ sender.phone }}."  # the profile has no phone number
    put_text(window, older)
    window.refresh_preview()  # its render waits in the worker until released
    qtbot.waitUntil(watched.holding.is_set, timeout=10_000)
    put_text(window, "Second version, the one I mean to send.")
    with qtbot.waitSignal(window.preview.updated, timeout=10_000):
        window.refresh_preview()
    assert "Second version" in window.preview.shown_letter.text
    assert not watched.finished.is_set()  # the older render is still held

    with qtbot.assertNotEmitted(window.preview.updated):
        watched.release.set()
        qtbot.waitUntil(watched.finished.is_set, timeout=10_000)
        qtbot.waitUntil(lambda: not window.preview._jobs, timeout=10_000)  # it has reported
    assert "Second version" in window.preview.shown_letter.text
    assert "First version" not in window.preview.shown_letter.text
    assert not window.preview.message.isVisible()
    assert [kind for kind, *_ in watched.runs] == ["free", "held"]


def test_a_result_already_on_its_way_loses_to_a_newer_request(qtbot: QtBot) -> None:
    """Drawn before the newer request was made, but delivered after: still not shown."""
    pool = QThreadPool()
    preview = PagePreview(pool)
    qtbot.addWidget(preview)
    preview.resize(500, 700)
    spec = paper("letter")
    older, newer = rendered("An older text."), rendered("A newer text.")
    preview.show_letter(older, spec, False, immediately=True)
    assert pool.waitForDone(10_000)  # drawn; the result waits in the event queue
    with qtbot.waitSignal(preview.updated, timeout=10_000) as first:
        preview.show_letter(newer, spec, False, immediately=True)
    assert first.signal_triggered
    with qtbot.assertNotEmitted(preview.updated):
        qtbot.waitUntil(lambda: not preview._jobs, timeout=10_000)
    assert preview.shown_letter is newer
    assert pool.waitForDone(10_000)


def test_a_missing_value_is_named_in_the_preview_and_clears_once_filled(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    window = main_window
    settle(qtbot, window)
    pages_before = window.preview.page_labels()
    put_text(window, "Please call me at {{ sender.phone }} before the vote.")
    letter = window.current_letter()
    with pytest.raises(MissingValuesError) as expected:
        window.output.renderer().render(letter, letter.recipients[0], window.campaign.template)

    window.refresh_preview()
    qtbot.waitUntil(window.preview.message.isVisible, timeout=10_000)
    assert window.preview.message.text() == str(expected.value)
    assert "sender.phone" in window.preview.message.text()
    assert window.preview.page_labels() == pages_before  # the last good pages stay

    put_text(window, "Please call me before the vote.")
    with qtbot.waitSignal(window.preview.updated, timeout=10_000):
        window.refresh_preview()
    assert not window.preview.message.isVisible()
    assert "call me before the vote" in squash(window.preview.shown_letter.text)


def refresh_and_wait(qtbot: QtBot, window: MainWindow) -> None:
    window._preview_timer.stop()
    with qtbot.waitSignal(window.preview.updated, timeout=10_000):
        window.refresh_preview()


def test_the_paper_the_fold_marks_and_the_copy_are_honoured(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    window = main_window
    settle(qtbot, window)
    for name in ("a4", "letter"):
        window.set_paper(name)
        refresh_and_wait(qtbot, window)
        page = window.preview.page_labels()[0].pixmap()
        spec = paper(name)
        assert page.height() / page.width() == pytest.approx(spec.height / spec.width, rel=0.01)

    drawn = {}
    for fold_marks in (False, True):
        window.settings.fold_marks = fold_marks
        refresh_and_wait(qtbot, window)
        drawn[fold_marks] = window.preview.page_labels()[0].pixmap().toImage()
    assert drawn[False].size() == drawn[True].size()
    assert drawn[False] != drawn[True]  # the same page, with and without the marks

    officials = [
        Recipient(
            id=f"T00000{n}",
            name=f"Pat {surname}",
            title="Senator",
            salutation=f"Dear Senator {surname}:",
            address_lines=(f"The Honorable Pat {surname}", "United States Senate"),
            kind="senator",
        )
        for n, surname in enumerate(("Adams", "Baker"))
    ]
    window.addressing.use_recipients(officials)
    window._preview_timer.stop()
    with qtbot.waitSignal(window.preview.updated, timeout=10_000):
        window.show_copy(1)
    assert window.preview.shown_letter.salutation == "Dear Senator Baker:"
    assert "Dear Senator Baker:" in window.preview.shown_letter.text


def test_closing_the_window_waits_for_the_drawing_to_stop(
    qtbot: QtBot, main_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No worker is left drawing while Qt takes the window apart."""
    window = main_window
    settle(qtbot, window)
    watched = WatchedRenderer(window.output.renderer(), hold_marker="Held version")
    monkeypatch.setattr(window.output, "renderer", lambda: watched)
    put_text(window, "Held version of my letter.")
    window.refresh_preview()
    qtbot.waitUntil(watched.holding.is_set, timeout=10_000)
    (job,) = window.preview._jobs.values()
    # The render is let go a moment after the window starts closing; closing waits for it.
    threading.Timer(0.3, watched.release.set).start()
    with qtbot.assertNotEmitted(window.preview.updated, wait=300):
        window.close()
        assert watched.finished.is_set() and job.finished.is_set()
    assert not window.preview._jobs


def test_stopping_forgets_a_job_that_never_started(qtbot: QtBot) -> None:
    pool = QThreadPool()
    pool.setMaxThreadCount(1)
    blocker = threading.Event()
    pool.start(blocker.wait)  # the only worker is busy: the preview's job waits in the queue
    preview = PagePreview(pool)
    qtbot.addWidget(preview)
    preview.show_letter(rendered("Never drawn."), paper("letter"), False, immediately=True)
    (job,) = preview._jobs.values()
    assert preview.stop(wait=5.0)
    assert job.finished.is_set() and not preview._jobs
    blocker.set()
    assert pool.waitForDone(10_000)
    qtbot.wait(50)  # nothing arrives for the forgotten job
    assert preview.page_count == 0 and preview.shown_letter is None
