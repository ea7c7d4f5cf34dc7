"""The last line of defence: an unexpected error saves the letter, is logged, and is shown.

:class:`CrashHandler` replaces ``sys.excepthook`` and ``threading.excepthook``
while the window runs. For any error nobody caught — in a slot, a timer, a
worker thread — it

1. saves the letter first (its ``before_report`` callback: the drafts),
2. writes the report to the log file in the user's state folder,
3. shows a dialog that says what happened, whether the letter was saved, and
   where the log is, with a button that copies the report.

The program keeps running; it never exits silently. Passwords and other
secrets never reach the report: anything that looks like ``password=…`` is
masked, and so is every secret the program knows of (``secrets``).
"""

from __future__ import annotations

import logging
import os
import re
import sys
import threading
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from composer.core.logs import _SECRET
from composer.i18n import _

log = logging.getLogger(__name__)

# Secrets written as JSON, in URLs or in SMTP exchanges (besides the logs' own ``key=value``).
_QUOTED_SECRET = re.compile(
    r"""(?ix)
    (["']?(?:password|passwd|pwd|secret|token|api[_-]?key|auth)["']?\s*[:=]\s*)
    (["'])(?:(?!\2).)*\2
    """
)
_OTHER_KEYS = re.compile(
    r"(?i)\b(api[_-]?key|pwd|passphrase|access[_-]?token)(\s*[=:]\s*)([^\s\"',;]+)"
)
_URL_PASSWORD = re.compile(r"(?i)([a-z][a-z0-9+.-]*://[^/\s:@]+:)[^@\s/]+(@)")
_SMTP_AUTH = re.compile(r"(?i)(AUTH\s+(?:PLAIN|LOGIN|XOAUTH2|CRAM-MD5)\s+)\S+")


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """Mask passwords and known secrets in a report."""
    for secret in sorted({s for s in secrets if s and len(s) >= 3}, key=len, reverse=True):
        text = text.replace(secret, "***")
    text = _QUOTED_SECRET.sub(r"\1\2***\2", text)
    text = _OTHER_KEYS.sub(r"\1\2***", text)
    text = _URL_PASSWORD.sub(r"\1***\2", text)
    text = _SMTP_AUTH.sub(r"\1***", text)
    return _SECRET.sub(r"\1\2***", text)


class CrashDialog(QDialog):
    """Tells the user about an unexpected error and offers to copy the report."""

    def __init__(self, message: str, report: str, parent: QWidget | None = None) -> None:
        # Made only when something went wrong: its widgets need not load at start-up.
        from PySide6.QtCore import Qt  # its enums take a while to load: not at start-up
        from PySide6.QtWidgets import (
            QDialogButtonBox,
            QLabel,
            QPlainTextEdit,
            QPushButton,
            QVBoxLayout,
        )

        super().__init__(parent)
        self.setWindowTitle(_("Something went wrong"))
        self.report = report
        self.message = QLabel(message)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QPlainTextEdit(report)
        self.details.setReadOnly(True)
        self.details.setAccessibleName(_("Error report"))
        self.details.setMinimumHeight(160)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton(_("&Copy Report"))
        self.copy_button.setAccessibleDescription(
            _("Copies the report, to paste into a message to whoever helps you")
        )
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_report)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
        self.resize(640, 420)

    def copy_report(self) -> None:
        """Put the report on the clipboard."""
        QApplication.clipboard().setText(self.report)
        self.copy_button.setText(_("Copied"))


class CrashHandler(QObject):
    """Replaces ``sys.excepthook`` (and ``threading.excepthook``) while the window runs.

    Args:
        log_file: the log the report is written to (named in the dialog).
        before_report: saves the letter before anything else; its own errors are
            logged and mentioned in the dialog, never raised.
        secrets: returns secrets the program holds (e.g. a password kept in
            memory), all masked in the report.
        parent: the parent QObject.

    Signals:
        reported(str, str): the message shown and the (redacted) report.
    """

    reported = Signal(str, str)
    _from_thread = Signal(str, str)

    def __init__(
        self,
        log_file: str | Path,
        before_report: Callable[[], None] | None = None,
        secrets: Callable[[], Iterable[str]] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.log_file = str(log_file)
        self.before_report = before_report
        self.secrets = secrets
        self.dialog: CrashDialog | None = None
        self._handling = False
        self._previous = sys.excepthook
        self._previous_thread_hook = threading.excepthook
        self._from_thread.connect(self._report_on_gui_thread)

    def install(self) -> None:
        """Become the exception hook."""
        sys.excepthook = self.handle
        threading.excepthook = self._handle_thread

    def uninstall(self) -> None:
        """Give the hooks back."""
        sys.excepthook = self._previous
        threading.excepthook = self._previous_thread_hook

    def _known_secrets(self) -> list[str]:
        if self.secrets is None:
            return []
        try:
            return [str(secret) for secret in self.secrets()]
        except Exception:  # a report must come out even if the secrets cannot be listed
            log.exception("the secrets to mask could not be listed")
            return []

    def _handle_thread(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        self.handle(args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback)

    def handle(
        self, kind: type[BaseException], error: BaseException, trace: TracebackType | None
    ) -> None:
        """Save, log and show an error nobody caught (from any thread)."""
        if issubclass(kind, KeyboardInterrupt):
            self._previous(kind, error, trace)
            return
        report = redact(
            "".join(traceback.format_exception(kind, error, trace)), self._known_secrets()
        )
        summary = redact(f"{kind.__name__}: {error}", self._known_secrets())
        app = QApplication.instance()
        if app is not None and QThread.currentThread() is not app.thread():
            log.error("unexpected error in a background thread:\n%s", report)
            # Saving and dialogs belong to the GUI thread: hand the report over.
            self._from_thread.emit(summary, report)
            return
        self._report_on_gui_thread(summary, report, logged=False)

    def _report_on_gui_thread(self, summary: str, report: str, logged: bool = True) -> None:
        if self._handling:
            log.error("another unexpected error while reporting one:\n%s", report)
            return
        self._handling = True
        try:
            saved_note = self._save_first()
            if not logged:
                log.error("unexpected error:\n%s", report)
            where = self._where_logged()
            met = _("Letter Composer met an unexpected error ({summary}).").format(summary=summary)
            go_on = _(
                "You can go on working. If anything looks wrong, save or export the "
                "letter and restart the program."
            )
            message = f"{met}\n\n{saved_note}{go_on}\n\n{where}"
            self.reported.emit(message, report)
            self._show(message, report)
        finally:
            self._handling = False

    def _save_first(self) -> str:
        if self.before_report is None:
            return ""
        try:
            self.before_report()
        except Exception as error:
            log.exception("saving the letter before the error report failed")
            not_saved = _(
                "Your letter could not be saved first ({error}); it is still in the window: "
                "use File ▸ Save As… to keep it."
            ).format(error=error)
            return f"{not_saved}\n\n"
        return _("Your letter was saved in File ▸ Drafts… first.") + "\n\n"

    def _where_logged(self) -> str:
        path = Path(self.log_file)
        if path.is_file() and any(
            getattr(handler, "baseFilename", None) == os.path.abspath(path)
            for handler in logging.getLogger().handlers
        ):
            return _("The details are in {path}. Copy Report puts them on the clipboard.").format(
                path=path
            )
        return _(
            "The details could not be written to the log ({path}); "
            "Copy Report puts them on the clipboard."
        ).format(path=path)

    def _show(self, message: str, report: str) -> None:
        if QApplication.instance() is None:
            print(message, file=sys.stderr)
            return
        parent = QApplication.activeWindow()
        dialog = CrashDialog(message, report, parent)
        self.dialog = dialog
        # Not exec(): no second event loop inside the exception hook; the window lives on.
        dialog.open()
