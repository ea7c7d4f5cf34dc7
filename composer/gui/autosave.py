"""Saving the letter by itself: a moment after typing stops, while typing goes on, and on close.

:class:`Autosaver` takes a snapshot of the letter on the GUI thread (the
editor's HTML and the fields around it) and writes it to the drafts store in
a thread of its own, so the window never waits for the disk. The rules:

* a change is saved ``IDLE_SECONDS`` after typing pauses, and never later than
  ``settings.autosave_seconds`` after the first unsaved change, even while
  typing goes on — so after a crash the saved letter is never older than that;
* :meth:`Autosaver.save_now` saves at once and waits (closing the window, the
  crash handler, before switching letters);
* a failed save (full disk, no permission) is reported through ``failed`` and
  tried again after the next change or after ``RETRY_SECONDS``; the text stays
  in the window in any case;
* for a very large letter, where taking the snapshot itself costs time, saves
  are spaced out so that they never take more than about a twentieth of the
  window's time.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import NamedTuple

import shiboken6
from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal

from composer.core.drafts import DraftError, DraftStore
from composer.core.letterfile import LetterDocument
from composer.gui.background import run_task
from composer.i18n import N_, _

log = logging.getLogger(__name__)


def _new_id() -> str:
    """A fresh random id (uuid loads here: the window's start does not need it)."""
    import uuid

    return uuid.uuid4().hex


IDLE_SECONDS = 1.0
RETRY_SECONDS = 30.0
# The share of the GUI thread's time autosave may take on snapshots of huge letters.
SNAPSHOT_SHARE = 0.05


class _Failure(NamedTuple):  # a tuple: cheaper to define at start-up than a dataclass
    """A background save that failed: what happened, and whether the disk is full."""

    message: str
    disk_full: bool


class Autosaver(QObject):
    """Keeps one letter saved as a draft.

    Args:
        store: the drafts store, or None when drafts cannot be saved this session.
        snapshot: returns the letter as it stands (called on the GUI thread).
        interval: returns the longest a change may stay unsaved, in seconds.
        parent: the owning QObject.

    Signals:
        saved(str): the draft was saved (its id).
        failed(str, bool): saving failed: what happened, and whether the disk is full.
        recovered(): a save succeeded after failures.
    """

    saved = Signal(str)
    failed = Signal(str, bool)
    recovered = Signal()

    def __init__(
        self,
        store: DraftStore | None,
        snapshot: Callable[[], LetterDocument],
        interval: Callable[[], float],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self._snapshot = snapshot
        self._interval = interval
        self.draft_id: str | None = None
        self.dirty = False
        self.failing = False
        self._first_change = 0.0
        self._generation = 0  # counts changes; a save covers the changes up to its generation
        self._saved_generation = 0
        self._snapshot_cost = 0.0
        self._last_save_started = 0.0
        self._paused = 0
        self._jobs: list[int] = []  # the generations of the saves not reported yet
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # saves run one after the other, in order
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._save_in_background)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.setInterval(int(RETRY_SECONDS * 1000))
        self._retry.timeout.connect(self._save_in_background)

    # -- what the window tells it --

    def changed(self) -> None:
        """The letter changed: save it soon."""
        if self._paused:
            return
        now = time.monotonic()
        self._generation += 1
        if not self.dirty:
            self.dirty = True
            self._first_change = now
        if self.store is None:
            return  # nowhere to save it: it stays unsaved, and closing will ask
        deadline = self._first_change + self._longest_wait()
        delay = max(0.0, min(IDLE_SECONDS, self._interval(), deadline - now))
        self._timer.start(int(delay * 1000))

    def _longest_wait(self) -> float:
        # A letter so big that its snapshot costs time is saved less often.
        return max(self._interval(), self._snapshot_cost / SNAPSHOT_SHARE)

    def pause(self) -> None:
        """Ignore changes (while the window loads a letter); calls nest with :meth:`resume`."""
        self._paused += 1

    def resume(self) -> None:
        """Notice changes again."""
        self._paused = max(0, self._paused - 1)

    def begin(self, draft_id: str | None) -> None:
        """Start keeping a letter: an existing draft, or None for one not saved yet."""
        self._timer.stop()
        self._retry.stop()
        self.draft_id = draft_id
        self.dirty = False
        self._saved_generation = self._generation

    # -- saving --

    def _take_snapshot(self) -> LetterDocument:
        started = time.monotonic()
        document = self._snapshot()
        self._snapshot_cost = time.monotonic() - started
        return document

    def _save_in_background(self) -> None:
        if not self.dirty or self.store is None:
            return
        if self.draft_id is None:
            # The id is chosen here, not by the store: a second save queued behind the
            # first must update the same draft, not make another.
            self.draft_id = _new_id()
        self._last_save_started = time.monotonic()
        document = self._take_snapshot()
        store, draft_id, generation = self.store, self.draft_id, self._generation

        def save() -> _Failure | None:
            try:
                store.save(draft_id, document)
            except DraftError as error:  # said in its own words, and whether the disk is full
                return _Failure(str(error), error.disk_full)
            return None

        def done(failure: _Failure | None) -> None:
            if not shiboken6.isValid(self):
                return  # the window is gone; the draft was written (or not) all the same
            if failure is None:
                self._job_saved(draft_id, generation)
            else:
                self._job_failed(failure.message, generation, failure.disk_full)

        def failed(message: str) -> None:
            if shiboken6.isValid(self):
                self._job_failed(message, generation, False)

        self._jobs.append(generation)
        self.dirty = False
        run_task(save, done, failed, pool=self._pool, what=N_("saving the letter"))

    def _forget(self, generation: int) -> None:
        self._jobs = [job for job in self._jobs if job != generation]

    def _job_saved(self, draft_id: str, generation: int) -> None:
        self._forget(generation)
        self._saved_generation = max(self._saved_generation, generation)
        self._retry.stop()
        if self.failing:
            self.failing = False
            self.recovered.emit()
        self.saved.emit(draft_id)

    def _job_failed(self, message: str, generation: int, disk_full: bool) -> None:
        self._forget(generation)
        if generation > self._saved_generation:
            self.dirty = True  # still unsaved: try again later (or at the next change)
            self._retry.start()
        self.failing = True
        self.failed.emit(message, disk_full)

    def wait(self, timeout_ms: int = 10_000) -> bool:
        """Wait for background saves to finish; returns whether they did."""
        done = self._pool.waitForDone(timeout_ms)
        return bool(done)

    def save_now(self, open_here: bool = True) -> str | None:
        """Save at once, on this thread, after any background save; returns the draft id.

        Args:
            open_here: keep the draft marked as open in this process (False when the
                letter is being closed properly).

        Raises:
            DraftError: the draft could not be saved.
        """
        self._timer.stop()
        self._retry.stop()
        if self.store is None:
            raise DraftError(_("Drafts cannot be saved this session."))
        self.wait()
        if not self.dirty and self.draft_id is not None and not self.failing:
            if not open_here:
                try:
                    self.store.release(self.draft_id)
                except DraftError as error:
                    # The letter itself is saved; at worst the next start offers it back.
                    log.warning("draft %s saved but not marked closed: %s", self.draft_id, error)
            return self.draft_id
        if not self.dirty and self.draft_id is None:
            return None  # nothing typed: nothing to keep
        if self.draft_id is None:
            self.draft_id = _new_id()
        document = self._take_snapshot()
        generation = self._generation
        try:
            self.store.save(self.draft_id, document, open_here=open_here)
        except DraftError as error:
            self.dirty = True
            self.failing = True
            self.failed.emit(str(error), error.disk_full)
            raise
        self.dirty = False
        self._saved_generation = generation
        if self.failing:
            self.failing = False
            self.recovered.emit()
        self.saved.emit(self.draft_id)
        return self.draft_id

    @property
    def generation(self) -> int:
        """A number that grows with every change (to tell whether a copy is still current)."""
        return self._generation

    def saved_elsewhere(self, generation: int) -> None:
        """The letter as of `generation` was saved to a file (when drafts cannot be used)."""
        if self.store is None and generation == self._generation:
            self.dirty = False

    @property
    def unsaved(self) -> bool:
        """Whether changes are waiting to be saved (or their save failed)."""
        return self.dirty or self.failing or bool(self._jobs)
