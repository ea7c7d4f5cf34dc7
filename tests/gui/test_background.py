"""run_task: a result, an expected error and an unexpected one all come back on the GUI thread;
whatever a job raises ends the wait; an answer for a deleted owner is dropped."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator

import pytest
import shiboken6
from PySide6.QtCore import QObject, QThreadPool
from pytestqt.qtbot import QtBot

from composer.core.fileio import StorageError
from composer.gui import background


@pytest.fixture
def pool() -> Iterator[QThreadPool]:
    made = QThreadPool()
    yield made
    made.waitForDone(5000)


def _run(qtbot: QtBot, pool: QThreadPool, work) -> tuple[list[object], list[str], list[bool]]:
    results: list[object] = []
    messages: list[str] = []
    on_gui_thread: list[bool] = []
    gui = threading.current_thread()

    def done(value: object) -> None:
        on_gui_thread.append(threading.current_thread() is gui)
        results.append(value)

    def failed(message: str) -> None:
        on_gui_thread.append(threading.current_thread() is gui)
        messages.append(message)

    background.run_task(work, done, failed, pool=pool, what="testing")
    qtbot.waitUntil(lambda: bool(results or messages), timeout=5000)
    return results, messages, on_gui_thread


def test_the_result_arrives_on_the_gui_thread(qtbot: QtBot, pool: QThreadPool) -> None:
    worker: list[threading.Thread] = []
    results, messages, on_gui = _run(
        qtbot, pool, lambda: worker.append(threading.current_thread()) or 42
    )
    assert results == [42] and messages == [] and on_gui == [True]
    assert worker[0] is not threading.current_thread()
    assert background.running() == 0


def test_an_expected_error_is_shown_in_its_own_words(qtbot: QtBot, pool: QThreadPool) -> None:
    def work() -> None:
        raise StorageError("The disk is full. Free some space and save again.")

    results, messages, on_gui = _run(qtbot, pool, work)
    assert results == []
    assert messages == ["The disk is full. Free some space and save again."] and on_gui == [True]


def test_any_other_error_is_reported_and_logged(
    qtbot: QtBot, pool: QThreadPool, caplog: pytest.LogCaptureFixture
) -> None:
    def work() -> None:
        raise KeyError("surprise")

    with caplog.at_level(logging.ERROR):
        results, messages, _ = _run(qtbot, pool, work)
    assert results == []
    assert messages == [
        "Unexpected error while testing: 'surprise'. The details are in the log file; "
        "please try again."
    ]
    assert "testing failed" in caplog.text and "KeyError" in caplog.text
    assert background.running() == 0


@pytest.mark.parametrize("error", [SystemExit(3), KeyboardInterrupt(), GeneratorExit()])
def test_even_an_error_that_is_no_exception_ends_the_wait(
    qtbot: QtBot, pool: QThreadPool, error: BaseException
) -> None:
    def work() -> None:
        raise error

    results, messages, on_gui = _run(qtbot, pool, work)
    assert results == [] and on_gui == [True]
    assert messages[0].startswith("Unexpected error while testing: ")
    assert messages[0].endswith("please try again.")
    assert background.running() == 0


def test_an_error_without_words_is_named(qtbot: QtBot, pool: QThreadPool) -> None:
    def work() -> None:
        raise RuntimeError

    _, messages, _ = _run(qtbot, pool, work)
    assert messages == [
        "Unexpected error while testing: RuntimeError. The details are in the log file; "
        "please try again."
    ]


def test_the_answer_for_a_deleted_owner_is_dropped(qtbot: QtBot, pool: QThreadPool) -> None:
    owner = QObject()
    release = threading.Event()
    answers: list[object] = []
    background.run_task(
        lambda: release.wait(5) and "late",
        answers.append,
        answers.append,
        pool=pool,
        what="testing",
        owner=owner,
    )
    kept = QObject()
    background.run_task(lambda: "kept", answers.append, answers.append, pool=pool, owner=kept)
    qtbot.waitUntil(lambda: answers == ["kept"], timeout=5000)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(owner), timeout=5000)
    release.set()
    qtbot.waitUntil(lambda: background.running() == 0, timeout=5000)
    assert answers == ["kept"]


def test_an_unexpected_error_is_told_in_the_interface_language(
    qtbot: QtBot, pool: QThreadPool, caplog: pytest.LogCaptureFixture
) -> None:
    """The user reads what failed in Russian; the log keeps the English words."""
    from composer.i18n import N_, install

    messages: list[str] = []

    def work() -> None:
        raise KeyError("surprise")

    install("ru")
    try:
        with caplog.at_level(logging.ERROR):
            background.run_task(
                work, messages.append, messages.append, pool=pool, what=N_("saving the letter")
            )
            qtbot.waitUntil(lambda: bool(messages), timeout=5000)
    finally:
        install("en")
    assert messages[0].startswith("Непредвиденная ошибка (сохранение письма): 'surprise'.")
    assert "saving the letter failed" in caplog.text


def test_an_answer_reaching_a_deleted_object_is_dropped(
    qtbot: QtBot, pool: QThreadPool, caplog: pytest.LogCaptureFixture
) -> None:
    """A callback that touches a widget closed meanwhile (no owner given) ends quietly."""
    from PySide6.QtCore import Signal

    class Opener(QObject):
        busy = Signal(bool)

    opener = Opener()
    release = threading.Event()
    calls: list[bool] = []

    def done(_value: object) -> None:
        calls.append(True)
        opener.busy.emit(False)  # the opener is gone: PySide6 raises RuntimeError

    background.run_task(lambda: release.wait(5), done, calls.append, pool=pool, what="testing")
    shiboken6.delete(opener)
    with caplog.at_level(logging.INFO):
        release.set()
        qtbot.waitUntil(lambda: background.running() == 0, timeout=5000)
        qtbot.waitUntil(lambda: calls == [True], timeout=5000)
    assert "after its window closed" in caplog.text


def test_delete_now_deletes_before_the_event_loop_runs_again(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QLabel

    parent = QObject()
    label = QLabel("page 1")
    child = QObject(parent)
    destroyed: list[str] = []
    child.destroyed.connect(lambda: destroyed.append("child"))
    label.destroyed.connect(lambda: destroyed.append("label"))

    background.delete_now(label)
    background.delete_now(child)

    assert destroyed == ["label", "child"]  # no event loop turn in between
    assert not shiboken6.isValid(label)
    assert parent.children() == []
    background.delete_now(label)  # already gone: nothing happens


_FREED_ON: list[int] = []  # the threads that freed each _Payload


class _Payload:
    """Something a task's function holds; notes the thread that frees it."""

    def __del__(self) -> None:
        _FREED_ON.append(threading.get_ident())


@pytest.mark.parametrize("raises", [False, True])
def test_a_finished_task_keeps_nothing_its_function_held(
    qtbot: QtBot, pool: QThreadPool, raises: bool
) -> None:
    import gc

    _FREED_ON.clear()
    answers: list[object] = []

    def start() -> None:
        payload = _Payload()

        def work() -> int:
            if raises:
                raise StorageError(f"no room for {id(payload)}")
            return id(payload)

        background.run_task(work, answers.append, answers.append, pool=pool)

    for _ in range(5):
        start()
    qtbot.waitUntil(lambda: len(answers) == 5, timeout=5000)
    pool.waitForDone(5000)
    gc.collect()

    assert background.running() == 0
    assert len(_FREED_ON) == 5  # every autosave's or preview's data used to stay
    assert set(_FREED_ON) == {threading.get_ident()}  # freed on the GUI thread
