"""One way to run work off the GUI thread, with one way of reporting what went wrong.

:func:`run_task` runs a function on a thread pool and calls back on the GUI
thread with its result, or with a message for the user. Every error is
reported, whatever the job raised: the expected kinds (the program's own
errors, which are written to be shown) with their own words, anything else as
an unexpected error that names the job and says what to do, its traceback
going to the log. A dialog waiting for a task therefore never waits for ever.

A task may belong to an owner (a dialog, a controller): when the owner is
deleted before the answer arrives, the answer is dropped instead of reaching
a widget that no longer exists.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from composer import i18n
from composer.core.fileio import StorageError
from composer.i18n import N_, _

log = logging.getLogger(__name__)

# Errors whose message is written for the user (the core raises them with plain words).
EXPECTED: tuple[type[Exception], ...] = (StorageError,)


def unexpected_error_message(what: str, error: BaseException) -> str:
    """A message for the user about an error nobody planned for.

    Args:
        what: what the work was doing, marked with ``N_()`` ("saving the letter").
        error: the error.
    """
    detail = str(error) or type(error).__name__
    # `what` was marked with N_() where it was written; it is translated here, where shown.
    return _(
        "Unexpected error while {what}: {error}. The details are in the log file; please try again."
    ).format(what=i18n._(what), error=detail)


def failure_message(error: BaseException, expected: tuple[type[Exception], ...], what: str) -> str:
    """What to tell the user about `error`: its own words when it is one of `expected`
    (written to be shown), else an unexpected error (whose traceback the caller logs)."""
    if isinstance(error, expected):
        return str(error)
    return unexpected_error_message(what, error)


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
        except BaseException as error:  # anything at all: nobody may wait for ever
            if not isinstance(error, self.expected):
                log.exception("%s failed", self.what)
            self._emit_failed(failure_message(error, self.expected, self.what))
        else:
            try:
                self.signals.done.emit(result)
            except Exception as error:  # the answer could not be handed over
                log.exception("%s: the result could not be delivered", self.what)
                self._emit_failed(unexpected_error_message(self.what, error))

    def _emit_failed(self, message: str) -> None:
        # RuntimeError: the signals were deleted with the application; nobody waits.
        with contextlib.suppress(RuntimeError):
            self.signals.failed.emit(message)


_running: set[Task] = set()  # tasks whose answer has not arrived yet


def run_task(
    work: Callable[[], Any],
    done: Callable[[Any], None],
    failed: Callable[[str], None],
    *,
    pool: QThreadPool | None = None,
    expected: tuple[type[Exception], ...] = EXPECTED,
    what: str = N_("working in the background"),
    owner: QObject | None = None,
) -> Task:
    """Run `work()` on `pool` and call `done(result)` or `failed(message)` on this thread.

    Call it from the GUI thread.

    Args:
        work: the function; it must not touch widgets.
        done: called with its result.
        failed: called with a message for the user when it raised anything.
        pool: the thread pool (the global one when not given).
        expected: errors whose message is shown as it is; any other error is
            logged with its traceback and reported as unexpected.
        what: what the work does, for the log and the message, marked with
            ``N_()`` so the message can be translated ("saving the letter").
        owner: when given, the answer is dropped if `owner` is deleted first.

    Returns:
        The task (already started).
    """
    task = Task(work, expected, what)
    _running.add(task)

    def wanted() -> bool:
        _running.discard(task)
        return owner is None or shiboken6.isValid(owner)

    def finish(result: object) -> None:
        if wanted():
            done(result)

    def fail(message: str) -> None:
        if wanted():
            failed(message)
        else:
            log.info("%s failed after its window closed: %s", what, message)

    task.signals.done.connect(finish)
    task.signals.failed.connect(fail)
    (pool or QThreadPool.globalInstance()).start(task)
    return task


def running() -> int:
    """How many tasks have not reported yet."""
    return len(_running)
