"""A store used from a Qt thread pool keeps one connection per thread, not one per task.

Each task a QThreadPool thread runs gets a new Python thread state; connections kept
in a ``threading.local`` were lost after every task, and a new one — never closed — was
opened for the next (autosave grew by a connection at every save while typing).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from pytestqt.qtbot import QtBot

from composer.core.storage import ThreadConnections
from composer.gui.background import run_task


@pytest.fixture
def one_thread() -> Iterator[QThreadPool]:
    pool = QThreadPool()
    pool.setMaxThreadCount(1)
    yield pool
    pool.waitForDone(5000)


def test_tasks_on_one_pool_thread_share_its_connection(
    qtbot: QtBot, tmp_path: Path, one_thread: QThreadPool
) -> None:
    connections = ThreadConnections(tmp_path / "letters.sqlite3", lambda db: None)
    seen: list[int] = []

    def work() -> int:
        db: sqlite3.Connection = connections.get()
        db.execute("SELECT 1").fetchone()
        return id(db)

    for number in range(1, 13):  # one after the other, as autosave's saves run
        run_task(work, seen.append, pytest.fail, pool=one_thread, what="testing")
        qtbot.waitUntil(lambda done=number: len(seen) == done, timeout=5000)
    try:
        assert len(set(seen)) == 1
        assert connections.count() == 1
    finally:
        connections.close()
