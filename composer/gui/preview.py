"""The live page preview: the letter rendered and drawn off the GUI thread, as it prints."""

from __future__ import annotations

import functools
import threading
import time
from typing import TYPE_CHECKING, NamedTuple

import shiboken6
from PySide6.QtCore import Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QImage, QPixmap, QResizeEvent
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from composer.gui.a11y import announce
from composer.gui.background import delete_now, run_task
from composer.gui.qt_items import layout_widgets
from composer.i18n import N_, _

if TYPE_CHECKING:  # the renderer and the layout load after the first paint
    from collections.abc import Callable

    from composer.core.rendered import RenderedLetter
    from composer.printing.letter_layout import LetterPages
    from composer.printing.paper import PaperSpec

    # A letter already rendered, or the call that renders it (run in the worker).
    LetterSource = RenderedLetter | Callable[[], RenderedLetter]

PAGE_GAP = 14
DEBOUNCE_MS = 250


class _Drawn(NamedTuple):  # a tuple: cheaper to define at start-up than a dataclass
    """A job's pages: the rendered letter, the page images and what to say about the
    address in the envelope window ("" when it fits)."""

    rendered: RenderedLetter
    images: list[QImage]
    note: str


class _Problem(NamedTuple):  # a tuple: cheaper to define at start-up than a dataclass
    """Why the letter cannot be rendered (the user's to fix: said in the preview)."""

    text: str


_DROPPED = None  # a job's answer when a newer request made its result useless


class _PreviewJob:
    """Renders one letter (when asked to) and draws its pages; :meth:`work` runs in a
    worker thread (see :func:`composer.gui.background.run_task`) and never touches a widget.
    """

    def __init__(
        self, number: int, source: LetterSource, spec: PaperSpec, fold_marks: bool, dpi: float
    ) -> None:
        self.number = number
        self.source = source
        self.spec = spec
        self.fold_marks = fold_marks
        self.dpi = dpi
        self._lock = threading.Lock()
        self._started = False
        self._cancelled = threading.Event()
        self.finished = threading.Event()
        """Set when the job can no longer touch the letter: :meth:`work` has returned, or
        the job was cancelled before it started."""

    def cancel(self) -> bool:
        """Stop at the next step: a newer request has been made (safe from any thread).

        Returns:
            True when the job had not started: it will do nothing at all.
        """
        with self._lock:
            self._cancelled.set()
            if not self._started:
                self.finished.set()
                return True
        return False

    def work(self) -> _Drawn | _Problem | None:
        """The pages, why the letter cannot be rendered, or :data:`_DROPPED`."""
        with self._lock:
            if self._cancelled.is_set():
                return _DROPPED
            self._started = True
        try:
            return self._draw()
        finally:
            self.finished.set()

    def _draw(self) -> _Drawn | _Problem | None:
        if callable(self.source):
            from composer.core.render import RenderError

            try:
                rendered = self.source()
            except RenderError as error:  # the user's to fix: said in the preview, not logged
                return _Problem(str(error))
        else:
            rendered = self.source
        if self._cancelled.is_set():
            return _DROPPED
        from composer.printing.letter_layout import LetterPages

        pages = LetterPages(rendered, self.spec, fold_marks=self.fold_marks)
        note = address_note(pages)
        images = []
        for index in range(pages.page_count):
            if self._cancelled.is_set():  # a long letter is many pages: stop early
                return _DROPPED
            images.append(pages.page_image(index, self.dpi))
        return _Drawn(rendered, images, note)


def address_note(pages: LetterPages) -> str:
    """What the reader should know about the inside address and the envelope window:
    that it was shortened to fit, or that it does not fit at all ("" when it fits as written)."""
    if not any(line.strip() for line in pages.rendered.address_lines):
        return ""  # nothing typed yet: nothing to warn about
    if pages.address_problem() is not None:
        return _(
            "The address does not fit the envelope window, even in small type and with the "
            "Postal Service's abbreviations: the preview shows only the part inside the "
            "window, and printing or exporting will stop. Shorten the address (at most five "
            "lines of about 40 characters), or choose another office."
        )
    if pages.address_shortened:
        shown = " / ".join(pages.address_lines)
        return _(
            "The address was too long for the envelope window, so it is printed with the "
            "Postal Service's abbreviations: {address}"
        ).format(address=shown)
    return ""


class PagePreview(QWidget):
    """Shows the pages of the letter, fitted to the pane's width.

    Call :meth:`show_letter` or :meth:`show_rendering` as often as you like:
    requests are coalesced, rendering and drawing happen in a worker thread,
    and only the newest request's result is ever shown. Requests are numbered
    in the order they are made; a result (pages or a problem) is shown only if
    it answers the newest request started, and starting a request stops the
    older ones still running.

    Signals:
        pages_changed(int): the number of pages now shown.
        updated(): a new set of pages is on screen.
    """

    pages_changed = Signal(int)
    updated = Signal()

    def __init__(self, pool: QThreadPool | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pool = pool or QThreadPool.globalInstance()
        self._latest = 0  # number of the newest job started
        self._shown = 0  # number of the job whose pages are on screen
        self._message_for = 0  # the message explains the requests up to this job number
        # The newest request (resizes redraw it) and the one waiting for the debounce.
        self._request: tuple[LetterSource, PaperSpec, bool] | None = None
        self._pending: tuple[LetterSource, PaperSpec, bool] | None = None
        self._last: tuple[RenderedLetter, PaperSpec, bool] | None = None  # what is on screen
        self._drawn_width = 0
        self._zoom = 100  # percent of the pane's width a page takes
        self._page_count = 0
        self._jobs: dict[int, _PreviewJob] = {}
        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._timer.timeout.connect(self._start_job)

        self._pages = QWidget()
        self._pages.setObjectName("previewPages")
        self._pages_layout = QVBoxLayout(self._pages)
        self._pages_layout.setSpacing(PAGE_GAP)
        self._pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.hide()
        # Said above the pages, in words: the address was shortened to fit the window, or
        # does not fit (the pages alone only show it cut off at the window's edge).
        self.address_note = QLabel()
        self.address_note.setWordWrap(True)
        self.address_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.address_note.setAccessibleDescription(_("About the address in the envelope window"))
        self.address_note.hide()
        self._scroll = QScrollArea()
        self._scroll.setWidgetResizable(True)
        self._scroll.setWidget(self._pages)
        self._scroll.setAccessibleName(_("Page preview"))
        self._scroll.setAccessibleDescription(
            _("The letter exactly as it will print, page by page")
        )
        self._scroll.setBackgroundRole(self._scroll.backgroundRole().Dark)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.message)
        layout.addWidget(self.address_note)
        layout.addWidget(self._scroll, 1)

    @property
    def page_count(self) -> int:
        """Pages shown right now."""
        return self._page_count

    @property
    def shown_letter(self) -> RenderedLetter | None:
        """The rendered letter whose pages are on screen (None before the first)."""
        return self._last[0] if self._last is not None else None

    def show_letter(
        self, rendered: RenderedLetter, spec: PaperSpec, fold_marks: bool, immediately: bool = False
    ) -> None:
        """Ask for the preview of a rendered letter; drawn a moment later in the background."""
        self._ask(rendered, spec, fold_marks, immediately)

    def show_rendering(
        self,
        render: Callable[[], RenderedLetter],
        spec: PaperSpec,
        fold_marks: bool,
        immediately: bool = False,
    ) -> None:
        """Ask for the preview of a letter still to be rendered.

        `render` is called in a worker thread, so it must not touch widgets; a
        :class:`~composer.core.render.RenderError` it raises is shown with
        :meth:`show_problem` (unless a newer request has been made since).
        """
        self._ask(render, spec, fold_marks, immediately)

    def show_problem(self, text: str) -> None:
        """Say why the letter cannot be previewed.

        The last good pages stay visible, and so does the message until the
        pages of a request made after it are shown.
        """
        self._timer.stop()
        self._pending = None
        self._message_for = self._latest
        self.message.setText(text)
        self.message.show()

    def stop(self, wait: float = 5.0) -> bool:
        """Stop drawing, for good or until the next request: cancel every job, forget the
        queued ones, and wait up to `wait` seconds for the running ones to return.

        Call it before the window goes away, so no worker is still drawing while
        Qt takes the window apart. Returns whether every job has finished.
        """
        self._timer.stop()
        self._pending = None
        running = self._cancel_jobs()
        self._jobs.clear()
        deadline = time.monotonic() + wait
        return all(job.finished.wait(max(0.0, deadline - time.monotonic())) for job in running)

    def _cancel_jobs(self) -> list[_PreviewJob]:
        """Cancel every job and forget the ones not started yet (they will do nothing);
        returns those already running, which stop at their next step."""
        running = []
        for job in list(self._jobs.values()):
            if job.cancel():
                self._jobs.pop(job.number, None)
            else:
                running.append(job)
        return running

    def _ask(self, source: LetterSource, spec: PaperSpec, fold_marks: bool, now: bool) -> None:
        self._pending = (source, spec, fold_marks)
        self._request = self._pending
        if now:
            self._timer.stop()
            self._start_job()
        else:
            self._timer.start()

    @property
    def scroll_area(self) -> QScrollArea:
        """The scrolling view of the pages (it takes the keyboard focus)."""
        return self._scroll

    @property
    def zoom(self) -> int:
        """The pages' size in percent: 100 fits a page to the pane's width."""
        return self._zoom

    def set_zoom(self, percent: int) -> None:
        """Draw the pages at `percent` of the pane's width (wider ones scroll sideways)."""
        if percent == self._zoom:
            return
        self._zoom = percent
        if self._request is not None:
            self._ask(*self._request, now=True)

    def _target_dpi(self, spec: PaperSpec) -> float:
        scrollbar = self._scroll.verticalScrollBar().sizeHint().width()
        width = max(200, self._scroll.width() - scrollbar - 2 * PAGE_GAP - 4)
        ratio = self.devicePixelRatioF()
        return width * self._zoom / 100 / (spec.width / 25.4) * ratio

    def _start_job(self) -> None:
        if self._pending is None:
            return
        source, spec, fold_marks = self._pending
        self._pending = None
        self._cancel_jobs()  # the running ones report "dropped" when they stop
        self._latest += 1
        job = _PreviewJob(self._latest, source, spec, fold_marks, self._target_dpi(spec))
        self._jobs[job.number] = job
        run_task(
            job.work,
            functools.partial(self._job_done, job.number),
            functools.partial(self._job_failed, job.number),
            pool=self._pool,
            what=N_("drawing the preview"),
        )

    def _answers_newest(self, number: int) -> bool:
        """Whether job `number` answers the newest request (none newer is started or waiting)."""
        return number == self._latest and self._pending is None

    def _job_done(self, number: int, answer: _Drawn | _Problem | None) -> None:
        if number not in self._jobs or not shiboken6.isValid(self):
            return  # forgotten (stopped), or the preview is gone
        if isinstance(answer, _Drawn):
            self._show_images(number, answer.rendered, answer.images, answer.note)
            return
        self._jobs.pop(number, None)
        if isinstance(answer, _Problem) and self._answers_newest(number):
            self.show_problem(answer.text)

    def _job_failed(self, number: int, text: str) -> None:
        if self._jobs.pop(number, None) is None or not shiboken6.isValid(self):
            return
        if self._answers_newest(number):
            self.show_problem(text)

    def _show_images(
        self, number: int, rendered: RenderedLetter, images: list[QImage], note: str = ""
    ) -> None:
        job = self._jobs.pop(number, None)
        if number < self._shown or number != self._latest or job is None:
            return  # a newer request is on its way
        self._shown = number
        self._last = (rendered, job.spec, job.fold_marks)
        if self._request is not None and self._request[0] is job.source:
            self._request = self._last  # a resize now redraws without rendering again
        if number > self._message_for:
            self.message.hide()
        if note != self.address_note.text():  # announced once, not at every redraw
            self.address_note.setText(note)
            self.address_note.setVisible(bool(note))
            announce(self.address_note, note)
        while self._pages_layout.count():
            item = self._pages_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                delete_now(widget)
        ratio = self.devicePixelRatioF()
        for index, image in enumerate(images):
            pixmap = QPixmap.fromImage(image)
            pixmap.setDevicePixelRatio(ratio)
            label = QLabel()
            label.setPixmap(pixmap)
            label.setAccessibleName(
                _("Page {number} of {count}").format(number=index + 1, count=len(images))
            )
            label.setStyleSheet("background: white; border: 1px solid #9a9a9a;")
            self._pages_layout.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
        if self._page_count != len(images):
            self._page_count = len(images)
            self.pages_changed.emit(self._page_count)
        self.updated.emit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Redraw the pages for the new width (coalesced like any other request)."""
        super().resizeEvent(event)
        if self._request is not None and abs(self.width() - self._drawn_width) > 8:
            self._drawn_width = self.width()
            # Once its pages are shown the newest request holds the rendered letter, so a
            # resize only draws again; during its render it is rendered again (rare).
            self._ask(*self._request, now=False)

    def page_labels(self) -> list[QLabel]:
        """The page widgets on screen (for tests and accessibility checks)."""
        return [w for w in layout_widgets(self._pages_layout) if isinstance(w, QLabel)]
