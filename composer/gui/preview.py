"""The live page preview: the letter drawn by the same code that prints it, off the GUI thread."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QImage, QPixmap, QResizeEvent
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

if TYPE_CHECKING:  # the renderer and the layout load after the first paint
    from composer.core.rendered import RenderedLetter
    from composer.printing.paper import PaperSpec

PAGE_GAP = 14
DEBOUNCE_MS = 250


class _PreviewSignals(QObject):
    """Signals of one preview job.

    Signals:
        done(int, list): job number and the page images.
        failed(int, str): job number and what went wrong.
    """

    done = Signal(int, list)
    failed = Signal(int, str)


class _PreviewJob(QRunnable):
    """Lays out and draws the pages of one rendered letter in a worker thread."""

    def __init__(
        self, number: int, rendered: RenderedLetter, spec: PaperSpec, fold_marks: bool, dpi: float
    ) -> None:
        super().__init__()
        self.number = number
        self.rendered = rendered
        self.spec = spec
        self.fold_marks = fold_marks
        self.dpi = dpi
        self.signals = _PreviewSignals()

    def run(self) -> None:
        try:
            from composer.printing.letter_layout import LetterPages

            pages = LetterPages(self.rendered, self.spec, fold_marks=self.fold_marks)
            images = [pages.page_image(index, self.dpi) for index in range(pages.page_count)]
        except Exception as error:  # reported to the view; never kills the worker pool
            self.signals.failed.emit(self.number, f"{error.__class__.__name__}: {error}")
            return
        self.signals.done.emit(self.number, images)


class PagePreview(QWidget):
    """Shows the pages of the letter, fitted to the pane's width.

    Call :meth:`show_letter` as often as you like: requests are coalesced, the
    drawing happens in a worker thread, and only the newest result is shown.

    Signals:
        pages_changed(int): the number of pages now shown.
        updated(): a new set of pages is on screen.
    """

    pages_changed = Signal(int)
    updated = Signal()

    def __init__(self, pool: QThreadPool | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pool = pool or QThreadPool.globalInstance()
        self._latest = 0
        self._shown = 0
        self._pending: tuple[RenderedLetter, PaperSpec, bool] | None = None
        self._last: tuple[RenderedLetter, PaperSpec, bool] | None = None
        self._drawn_width = 0
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
        self._scroll = QScrollArea()
        self._scroll.setWidgetResizable(True)
        self._scroll.setWidget(self._pages)
        self._scroll.setAccessibleName("Page preview")
        self._scroll.setAccessibleDescription("The letter exactly as it will print, page by page")
        self._scroll.setBackgroundRole(self._scroll.backgroundRole().Dark)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.message)
        layout.addWidget(self._scroll, 1)

    @property
    def page_count(self) -> int:
        """Pages shown right now."""
        return self._page_count

    def show_letter(
        self, rendered: RenderedLetter, spec: PaperSpec, fold_marks: bool, immediately: bool = False
    ) -> None:
        """Ask for the preview of a letter; drawn a moment later in the background."""
        self._pending = (rendered, spec, fold_marks)
        self._last = self._pending
        self.message.hide()
        if immediately:
            self._timer.stop()
            self._start_job()
        else:
            self._timer.start()

    def show_problem(self, text: str) -> None:
        """Say why the letter cannot be previewed (the last good pages stay visible)."""
        self._timer.stop()
        self._pending = None
        self.message.setText(text)
        self.message.show()

    def _target_dpi(self, spec: PaperSpec) -> float:
        scrollbar = self._scroll.verticalScrollBar().sizeHint().width()
        width = max(200, self._scroll.width() - scrollbar - 2 * PAGE_GAP - 4)
        ratio = self.devicePixelRatioF()
        return width / (spec.width / 25.4) * ratio

    def _start_job(self) -> None:
        if self._pending is None:
            return
        rendered, spec, fold_marks = self._pending
        self._pending = None
        self._latest += 1
        job = _PreviewJob(self._latest, rendered, spec, fold_marks, self._target_dpi(spec))
        job.setAutoDelete(False)
        job.signals.done.connect(self._show_images, Qt.ConnectionType.QueuedConnection)
        job.signals.failed.connect(self._job_failed, Qt.ConnectionType.QueuedConnection)
        self._jobs[job.number] = job
        self._pool.start(job)

    def _job_failed(self, number: int, text: str) -> None:
        self._jobs.pop(number, None)
        if number == self._latest:
            self.show_problem(f"The preview could not be drawn: {text}")

    def _show_images(self, number: int, images: list[QImage]) -> None:
        self._jobs.pop(number, None)
        if number < self._shown or number != self._latest:
            return  # a newer request is on its way
        self._shown = number
        while self._pages_layout.count():
            item = self._pages_layout.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        ratio = self.devicePixelRatioF()
        for index, image in enumerate(images):
            pixmap = QPixmap.fromImage(image)
            pixmap.setDevicePixelRatio(ratio)
            label = QLabel()
            label.setPixmap(pixmap)
            label.setAccessibleName(f"Page {index + 1} of {len(images)}")
            label.setStyleSheet("background: white; border: 1px solid #9a9a9a;")
            self._pages_layout.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
        if self._page_count != len(images):
            self._page_count = len(images)
            self.pages_changed.emit(self._page_count)
        self.updated.emit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Redraw the pages for the new width (coalesced like any other request)."""
        super().resizeEvent(event)
        if self._last is not None and abs(self.width() - self._drawn_width) > 8:
            self._drawn_width = self.width()
            self.show_letter(*self._last)

    def page_labels(self) -> list[QLabel]:
        """The page widgets on screen (for tests and accessibility checks)."""
        return [
            self._pages_layout.itemAt(i).widget()
            for i in range(self._pages_layout.count())
            if isinstance(self._pages_layout.itemAt(i).widget(), QLabel)
        ]
