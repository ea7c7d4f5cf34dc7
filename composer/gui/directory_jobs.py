"""One directory job at a time (search, import, download), off the GUI thread, cancellable.

:class:`DirectoryJobs` runs the work of Find My Officials
(:mod:`composer.gui.recipients_panel`) on a thread pool and reports its
progress, its result or its failure on the GUI thread. A cancelled job is
forgotten at once: it stops at its next check, and what it reports is ignored.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from composer.core.directory import (
    Directory,
    DirectoryCancelled,
    DirectoryError,
    update_from_internet,
)

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


class _JobSignals(QObject):
    """Signals of a directory job.

    Signals:
        progress(str, float): what is happening and how far along (0–1).
        finished(object): the job's result.
        failed(str): what went wrong, in plain words.
        cancelled(): the job stopped at the user's request.
    """

    progress = Signal(str, float)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()


class DirectoryJob(QRunnable):
    """Runs one directory operation (search, import, download) off the GUI thread.

    Args:
        work: called in the worker with a progress callback and a cancel check;
            returns the result handed to ``signals.finished``.
    """

    def __init__(self, work: Work) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the runner keeps it until it has reported
        self._work = work
        self._cancel = threading.Event()
        self.signals = _JobSignals()

    def cancel(self) -> None:
        """Ask the job to stop at its next check; its result will be ignored."""
        self._cancel.set()

    @property
    def is_cancelled(self) -> bool:
        """Whether :meth:`cancel` was called."""
        return self._cancel.is_set()

    def run(self) -> None:
        try:
            result = self._work(self.signals.progress.emit, self._cancel.is_set)
        except DirectoryCancelled:
            self.signals.cancelled.emit()
        except DirectoryError as error:
            self.signals.failed.emit(str(error))
        except Exception as error:  # shown in the panel; never a silent death of the worker
            self.signals.failed.emit(f"Unexpected error: {error.__class__.__name__}: {error}")
        else:
            self.signals.finished.emit(result)


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

    def start(self, work: Work, done: Callable[[object], None]) -> bool:
        """Run `work` and call `done(result)` when it succeeds; False if a job is running."""
        if self.current is not None:
            return False
        job = DirectoryJob(work)
        job.signals.progress.connect(self._job_progress)
        job.signals.finished.connect(lambda result, job=job: self._job_finished(job, result, done))
        job.signals.failed.connect(lambda message, job=job: self._job_failed(job, message))
        job.signals.cancelled.connect(lambda job=job: self._job_over(job))
        self.current = job
        self.pool.start(job)
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
        if job is not self.current:
            return False
        self.current = None
        self.ended.emit()
        return not job.is_cancelled

    def _job_finished(
        self, job: DirectoryJob, result: object, done: Callable[[object], None]
    ) -> None:
        if self._job_over(job):
            done(result)

    def _job_failed(self, job: DirectoryJob, message: str) -> None:
        if self._job_over(job):
            self.failed.emit(message)
