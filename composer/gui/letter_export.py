"""File ▸ Export As ▸ OpenDocument, Web Page, Plain Text: the letter as it prints, for other programs.

The letter is rendered on the GUI thread first, so a missing placeholder
value is named (by the window's own check) before any file is chosen or
written; the file is written in the background.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRunnable, QStandardPaths, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox

from composer.core.export import FORMATS, ExportFormat, suggested_file_name, with_suffix
from composer.core.fileio import StorageError
from composer.core.rendered import RenderedLetter

if TYPE_CHECKING:
    from composer.gui.mainwindow import MainWindow

log = logging.getLogger(__name__)


def write_export(kind: str, path: Path, letters: Sequence[RenderedLetter]) -> None:
    """Write rendered letters to a file of the given kind ("odt", "html" or "txt").

    Raises:
        StorageError: the file could not be written.
        ValueError: the kind is unknown.
    """
    from composer.core.export import write_html, write_text

    if kind == "odt":
        from composer.printing.odt import write_odt

        write_odt(path, letters)
    elif kind == "html":
        write_html(path, letters)
    elif kind == "txt":
        write_text(path, letters)
    else:
        raise ValueError(f"unknown export format {kind!r}")


class _ExportSignals(QObject):
    """Signals of an export.

    Signals:
        finished(str): the path written.
        failed(str): what went wrong, in plain words.
    """

    finished = Signal(str)
    failed = Signal(str)


class _ExportJob(QRunnable):
    """Writes one export in a worker thread."""

    def __init__(self, kind: str, path: Path, letters: Sequence[RenderedLetter]) -> None:
        super().__init__()
        self.kind = kind
        self.path = path
        self.letters = list(letters)
        self.signals = _ExportSignals()

    def run(self) -> None:
        try:
            write_export(self.kind, self.path, self.letters)
        except StorageError as error:
            self.signals.failed.emit(str(error))
        except Exception as error:  # shown, never a silent death of the worker
            log.exception("export to %s failed", self.path)
            self.signals.failed.emit(f"The file could not be written: {error}")
        else:
            self.signals.finished.emit(str(self.path))


class LetterExporter(QObject):
    """Exports the window's letter; ``choose_path`` may be replaced (tests answer it).

    Args:
        window: the main window (``rendered_letters()``, ``pool``, ``statusBar()``).

    Signals:
        finished(str): a file was written.
        failed(str): an export failed (the user was told).
    """

    finished = Signal(str)
    failed = Signal(str)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._jobs: list[_ExportJob] = []
        self.choose_path: Callable[[ExportFormat, str], Path | None] = self._ask_path

    def _ask_path(self, spec: ExportFormat, suggested: str) -> Path | None:
        folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        ) or str(Path.home())
        path, _filter = QFileDialog.getSaveFileName(
            self.window, f"Export {spec.label}", str(Path(folder) / suggested), spec.file_filter
        )
        return with_suffix(Path(path), spec.suffix) if path else None

    def export(self, kind: str, path: Path | None = None) -> bool:
        """Render the letter and write it; returns whether an export was started."""
        spec = FORMATS[kind]
        if not self.window.confirm_personal("Export"):
            return False
        letters = self.window.output.rendered_letters()  # names any missing value, then None
        if not letters:
            return False
        if path is None:
            name = suggested_file_name(letters[0].recipient.short_name, spec.suffix)
            path = self.choose_path(spec, name)
            if path is None:
                return False
        job = _ExportJob(kind, path, letters)
        job.setAutoDelete(False)
        self._jobs.append(job)
        job.signals.finished.connect(lambda written, j=job: self._finished(j, written))
        job.signals.failed.connect(lambda message, j=job: self._failed(j, message))
        self.window.statusBar().showMessage(f"Writing {path}…")
        self.window.pool.start(job)
        return True

    def _finished(self, job: _ExportJob, path: str) -> None:
        if job in self._jobs:
            self._jobs.remove(job)
        self.window.statusBar().showMessage(f"Saved {path}.", 8000)
        self.finished.emit(path)

    def _failed(self, job: _ExportJob, message: str) -> None:
        if job in self._jobs:
            self._jobs.remove(job)
        self.window.statusBar().showMessage("The letter was not exported.", 8000)
        QMessageBox.warning(self.window, "The letter was not exported", message)
        self.failed.emit(message)
