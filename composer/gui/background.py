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
import itertools
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


class _Answers(QObject):
    """Delivers every task's answer on the GUI thread, through two connections made once.

    A task emits its answer with its number; the signal is queued to this object's
    thread (the GUI thread), which calls the task's callbacks. Tasks make no QObject and
    no connection of their own: PySide6 disconnects a slot whose Python function is
    collected, and while it does so it asks for Python's lock inside Qt's own connection
    lock — if a worker holding Python's lock makes a connection at that moment (laying
    out a page makes several), each waits for the other for ever. One permanent pair of
    connections leaves nothing to disconnect.

    Signals:
        done(int, object): task number, the function's result.
        failed(int, str): task number, what went wrong in plain words.
    """

    done = Signal(int, object)
    failed = Signal(int, str)

    def __init__(self) -> None:
        super().__init__()
        # Each waiting task's callbacks and its work: the work's last reference is let go
        # here, on the GUI thread, when the answer arrives (the worker lets go of its own
        # before answering), so nothing it holds is freed on a worker thread.
        self.waiting: dict[
            int, tuple[Callable[[Any], None], Callable[[str], None], Callable[[], Any]]
        ] = {}
        self.done.connect(self._done)
        self.failed.connect(self._failed)

    def _done(self, number: int, result: object) -> None:
        callbacks = self.waiting.pop(number, None)
        if callbacks is not None:
            _answer(callbacks[0], result)

    def _failed(self, number: int, message: str) -> None:
        callbacks = self.waiting.pop(number, None)
        if callbacks is not None:
            _answer(callbacks[1], message)


# What PySide6 raises when a callback touches a widget or signal whose C++ object is gone.
_GONE = ("already deleted", "has been deleted")


def _answer(callback: Callable[[Any], None], value: object) -> None:
    """Call `callback`; an answer that reaches a window already closed is dropped."""
    try:
        callback(value)
    except RuntimeError as error:
        if not any(words in str(error) for words in _GONE):
            raise
        log.info("an answer arrived after its window closed: %s", error)


_answers: _Answers | None = None
_numbers = itertools.count(1)


def _answer_desk() -> _Answers:
    """The one :class:`_Answers`, made on first use on the GUI thread (kept for the process)."""
    global _answers
    if _answers is None or not shiboken6.isValid(_answers):
        _answers = _Answers()
    return _answers


class Task(QRunnable):
    """A function run once on a thread pool (see :func:`run_task`).

    The pool deletes the C++ side once :meth:`run` returns; the function is dropped
    before the answer is sent, so neither the task nor anything the function holds
    stays in memory after its answer (every autosave and preview used to stay).
    """

    def __init__(
        self,
        work: Callable[[], Any],
        expected: tuple[type[Exception], ...],
        what: str,
        number: int = 0,
        answers: _Answers | None = None,
    ) -> None:
        super().__init__()
        self.work: Callable[[], Any] | None = work
        self.expected = expected
        self.what = what
        self.number = number
        self.answers = answers

    def run(self) -> None:
        """Run the function; report its result or its error (never let one escape)."""
        work, self.work = self.work, None
        if work is None:
            return  # run once only
        try:
            result = work()
        except BaseException as error:  # anything at all: nobody may wait for ever
            del work
            if not isinstance(error, self.expected):
                log.exception("%s failed", self.what)
            message = failure_message(error, self.expected, self.what)
            error.__traceback__ = None  # its frames hold the function, let go of on the GUI thread
            del error
            self._emit_failed(message)
        else:
            del work  # the GUI thread holds the last reference (see _Answers.waiting)
            try:
                if self.answers is not None:
                    self.answers.done.emit(self.number, result)
            except RuntimeError:  # the answer desk went with the application; nobody waits
                pass
            except Exception as error:  # the answer could not be handed over
                log.exception("%s: the result could not be delivered", self.what)
                self._emit_failed(unexpected_error_message(self.what, error))

    def _emit_failed(self, message: str) -> None:
        # RuntimeError: the answer desk was deleted with the application; nobody waits.
        with contextlib.suppress(RuntimeError):
            if self.answers is not None:
                self.answers.failed.emit(self.number, message)


_running: set[Task] = set()  # tasks whose answer has not arrived yet (for running())


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
    answers = _answer_desk()
    task = Task(work, expected, what, next(_numbers), answers)
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

    answers.waiting[task.number] = (finish, fail, work)
    (pool or QThreadPool.globalInstance()).start(task)
    return task


def running() -> int:
    """How many tasks have not reported yet."""
    return len(_running)


def delete_now(item: QObject) -> None:
    """Delete a Qt object at once, from Python, instead of with ``deleteLater``.

    Qt deletes a ``deleteLater`` object from its event loop, where Python's lock is not
    held; the deletion may then ask for it while holding one of Qt's connection locks,
    and a background task that holds Python's lock and waits for that connection lock
    (laying out a page does) would stop both threads for good. Deleted here, the object
    is gone before the event loop runs again, with Python's lock held throughout.
    Only for objects nothing further up the stack is still using (not from their own
    slots or event handlers).
    """
    if shiboken6.isValid(item):
        shiboken6.delete(item)
