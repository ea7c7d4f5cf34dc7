"""One directory job at a time (search, import, download), off the GUI thread, cancellable.

:class:`DirectoryJobs` runs the work of Find My Officials
(:mod:`composer.gui.recipients_panel`) on a thread pool and reports its
progress, its result or its failure on the GUI thread. A cancelled job is
forgotten at once: it stops at its next check, and what it reports is ignored.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import shiboken6
from PySide6.QtCore import QObject, QThreadPool, Signal

from composer.core.directory import (
    Directory,
    DirectoryCancelled,
    DirectoryError,
    update_from_internet,
)
from composer.gui.background import run_task

# The work of a job: called in the worker with a progress callback and a cancel check.
Work = Callable[[Callable[[str, float], None], Callable[[], bool]], object]


def search_work(directory: Directory, mode: str, text: str, home: str) -> Work:
    """A search by "zip", "state" or "name"; its result is (FindResult, ids of `home`'s members)."""

    def work(progress: Callable[[str, float], None], cancelled: Callable[[], bool]) -> object:
        if mode == "zip":
            result = directory.find_by_zip(text)
        elif mode == "state":
            result = directory.find_by_state(text)
        else:
            result = directory.find_by_name(text)
        own: frozenset[str] = frozenset()
        if home:
            with contextlib.suppress(DirectoryError):
                own = frozenset(o.id for o in directory.find_by_zip(home).officials)
        return result, own

    return work


def import_work(directory: Directory, paths: Sequence[Path]) -> Work:
    """Importing files into the directory; its result is the new DirectoryInfo."""
    files = list(paths)

    def work(progress: Callable[[str, float], None], cancelled: Callable[[], bool]) -> object:
        return directory.import_files(files, progress)

    return work


def update_work(urls: Mapping[str, str], directory: Directory) -> Work:
    """Downloading the latest files into the directory; its result is the new DirectoryInfo."""
    urls = dict(urls)

    def work(progress: Callable[[str, float], None], cancelled: Callable[[], bool]) -> object:
        return update_from_internet(urls, directory, progress=progress, should_cancel=cancelled)

    return work


_CANCELLED = object()  # what a job returns when it stopped at the user's request


class DirectoryJob(QObject):
    """One directory operation (search, import, download); :meth:`run` runs in a worker.

    Args:
        work: called in the worker with a progress callback and a cancel check.

    The runner holds the job (no Qt parent: a panel closed meanwhile does not take it
    away from the worker still running it).

    Signals:
        progress(str, float): what is happening and how far along (0–1); emitted in
            the worker, delivered on the GUI thread.
    """

    progress = Signal(str, float)

    def __init__(self, work: Work) -> None:
        super().__init__()
        self._work = work
        self._cancel = threading.Event()

    def cancel(self) -> None:
        """Ask the job to stop at its next check; its result will be ignored."""
        self._cancel.set()

    @property
    def is_cancelled(self) -> bool:
        """Whether :meth:`cancel` was called."""
        return self._cancel.is_set()

    def run(self) -> object:
        """Do the work (in the worker); its result, or ``_CANCELLED``."""
        try:
            return self._work(self.progress.emit, self._cancel.is_set)
        except DirectoryCancelled:
            return _CANCELLED


class DirectoryJobs(QObject):
    """Runs directory jobs one at a time and reports on the GUI thread.

    Args:
        pool: the thread pool the jobs run on.
        parent: the owning object.

    Signals:
        progress(str, float): the running job's progress text and share done (0–1).
        ended(): the running job reported (before its result or failure is handed on).
        failed(str): the running job failed; the text says why.
    """

    progress = Signal(str, float)
    ended = Signal()
    failed = Signal(str)

    def __init__(self, pool: QThreadPool, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = pool
        self.current: DirectoryJob | None = None
        self._orphans: set[DirectoryJob] = set()

    @property
    def busy(self) -> bool:
        """Whether a job is running (and not cancelled)."""
        return self.current is not None

    def start(self, work: Work, done: Callable[[object], None], what: str) -> bool:
        """Run `work` and call `done(result)` when it succeeds; False if a job is running.

        `what` says what the work does ("searching the directory"), for the log and
        the message when something unexpected goes wrong.
        """
        if self.current is not None:
            return False
        job = DirectoryJob(work)
        job.progress.connect(self._job_progress)
        self.current = job
        run_task(
            job.run,
            functools.partial(self._job_finished, job, done),
            functools.partial(self._job_failed, job),
            pool=self.pool,
            expected=(DirectoryError,),
            what=what,
        )
        return True

    def cancel(self) -> bool:
        """Stop the running job (the worker stops on its own); False if none was running."""
        job = self.current
        if job is None:
            return False
        job.cancel()
        # A download blocked on the network only notices at its next check: let
        # it finish in the background and ignore what it reports.
        self._orphans.add(job)
        self.current = None
        return True

    def _job_progress(self, text: str, share: float) -> None:
        if self.current is not None:
            self.progress.emit(text, share)

    def _job_over(self, job: DirectoryJob) -> bool:
        """Forget a job that has reported; True if its result should still be used."""
        self._orphans.discard(job)
        if not shiboken6.isValid(self):
            return False  # the panel is gone
        if job is not self.current:
            return False
        self.current = None
        self.ended.emit()
        return not job.is_cancelled

    def _job_finished(
        self, job: DirectoryJob, done: Callable[[object], None], result: object
    ) -> None:
        if self._job_over(job) and result is not _CANCELLED:
            done(result)

    def _job_failed(self, job: DirectoryJob, message: str) -> None:
        if self._job_over(job):
            self.failed.emit(message)
