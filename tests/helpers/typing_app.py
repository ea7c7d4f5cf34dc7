"""Runs the real program and types into its letter, for the kill-loop test.

Usage: ``python typing_app.py RUN_TAG [INTERVAL_MS]``

The program starts exactly as ``composer`` does (``composer.gui.app.run_app``:
storage check, window, crash handler, recovery offer). Once the window is up,
this script accepts the offer to restore the letter a previous run left open,
if there is one, and then appends the words ``<RUN_TAG>w0001``, ``w0002``… to
the end of the letter at a steady pace, printing ``typed N <monotonic time>`` after each word
and ``ready`` when it starts. It is meant to be killed (SIGKILL) at any moment.
Nothing in the program knows about it; it drives the window from outside,
like a user would.
"""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication

from composer.gui.app import create_application, run_app


def main() -> int:
    tag = sys.argv[1]
    interval_ms = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    app = create_application()
    count = 0
    timer = QTimer()
    timer.setInterval(interval_ms)

    def window():
        from composer.gui.mainwindow import MainWindow

        return next((w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)), None)

    def type_word() -> None:
        nonlocal count
        count += 1
        text = window().editor.text
        cursor = text.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(f" {tag}w{count:04d}")
        # CLOCK_MONOTONIC is the same clock in every process: the test compares it to
        # the moment it killed this one.
        print(f"typed {count} {time.monotonic():.4f}", flush=True)

    def start() -> None:
        if window() is None or not window().is_complete:
            QTimer.singleShot(10, start)  # the panes come right after the frame's first paint
            return
        keeper = window().keeper
        if keeper.notice("recovery") is not None:
            keeper.restore_latest()
        print(f"ready {keeper.draft_id or '-'}", flush=True)
        timer.timeout.connect(type_word)
        timer.start()

    # Runs once run_app has shown the window and finished building it.
    QTimer.singleShot(0, start)
    _ = app
    return run_app()


if __name__ == "__main__":
    sys.exit(main())
