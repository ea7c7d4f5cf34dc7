"""One way to run work off the GUI thread, with one way of reporting what went wrong.

:func:`run_task` runs a function on a thread pool and calls back on the GUI
thread with its result, or with a message for the user. Every error is
reported: the expected kinds (the program's own errors, which are written to
be shown) with their own words, anything else as an unexpected error whose
traceback goes to the log. A dialog waiting for a task therefore never waits
for ever.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from composer.core.fileio import StorageError

log = logging.getLogger(__name__)

# Errors whose message is written for the user (the core raises them with plain words).
EXPECTED: tuple[type[Exception], ...] = (StorageError,)


class _TaskSignals(QObject):
    """Signals of a task, delivered on the thread that started it.

    Signals:
        done(object): the function's result.
        failed(str): what went wrong, in plain words.
    """

    done = Signal(object)
    failed = Signal(str)


class Task(QRunnable):
    """A function run once on a thread pool (see :func:`run_task`)."""

    def __init__(
        self, work: Callable[[], Any], expected: tuple[type[Exception], ...], what: str
    ) -> None:
        super().__init__()
        self.setAutoDelete(False)  # kept until its signal arrives (see _running)
        self.work = work
        self.expected = expected
        self.what = what
        self.signals = _TaskSignals()

    def run(self) -> None:
        """Run the function; report its result or its error (never let one escape)."""
        try:
            result = self.work()
        except self.expected as error:
            self.signals.failed.emit(str(error))
        except Exception as error:  # reported to the user; the details go to the log
            log.exception("%s failed", self.what)
            self.signals.failed.emit(f"Unexpected error while {self.what}: {error}")
        else:
            self.signals.done.emit(result)


_running: set[Task] = set()  # tasks whose answer has not arrived yet


def run_task(
    work: Callable[[], Any],
    done: Callable[[Any], None],
    failed: Callable[[str], None],
    *,
    pool: QThreadPool | None = None,
    expected: tuple[type[Exception], ...] = EXPECTED,
    what: str = "working in the background",
) -> Task:
    """Run `work()` on `pool` and call `done(result)` or `failed(message)` on this thread.

    Args:
        work: the function; it must not touch widgets.
        done: called with its result.
        failed: called with a message for the user when it raised.
        pool: the thread pool (the global one when not given).
        expected: errors whose message is shown as it is; any other error is
            logged with its traceback and reported as unexpected.
        what: what the work does, for the log and the message ("saving the letter").

    Returns:
        The task (already started).
    """
    task = Task(work, expected, what)
    _running.add(task)

    def finish(result: object) -> None:
        _running.discard(task)
        done(result)

    def fail(message: str) -> None:
        _running.discard(task)
        failed(message)

    task.signals.done.connect(finish)
    task.signals.failed.connect(fail)
    (pool or QThreadPool.globalInstance()).start(task)
    return task


def running() -> int:
    """How many tasks have not reported yet."""
    return len(_running)
