"""The last line of defence: an unexpected error is logged and shown, never a silent exit."""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox

log = logging.getLogger(__name__)


class CrashHandler:
    """Replaces ``sys.excepthook`` while the window runs.

    Args:
        log_file: where the report is written (shown to the user).
        before_report: called first (e.g. to save drafts); its own errors are logged only.
    """

    def __init__(self, log_file: str, before_report: Callable[[], None] | None = None) -> None:
        self.log_file = log_file
        self.before_report = before_report
        self._showing = False
        self._previous = sys.excepthook

    def install(self) -> None:
        """Become the exception hook."""
        sys.excepthook = self.handle

    def uninstall(self) -> None:
        """Give the hook back."""
        sys.excepthook = self._previous

    def handle(
        self, kind: type[BaseException], error: BaseException, trace: TracebackType | None
    ) -> None:
        """Log the error, run the safety callback, and tell the user."""
        report = "".join(traceback.format_exception(kind, error, trace))
        log.error("unexpected error:\n%s", report)
        if self.before_report is not None:
            try:
                self.before_report()
            except Exception:
                log.exception("saving before the crash report failed")
        if self._showing or QApplication.instance() is None:
            return
        self._showing = True
        try:
            box = QMessageBox(
                QMessageBox.Icon.Critical,
                "Something went wrong",
                f"Letter Composer met an unexpected error: {error}.\n\n"
                "Your letter is still open. Save or export it, then restart the "
                f"program if anything looks wrong. The details are in "
                f"{self.log_file}.",
            )
            box.setDetailedText(report)
            box.exec()
        finally:
            self._showing = False
