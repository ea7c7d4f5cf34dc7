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

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox

from composer import i18n
from composer.core.export import FORMATS, ExportFormat, suggested_file_name, with_suffix
from composer.core.rendered import RenderedLetter
from composer.gui.background import run_task
from composer.gui.window_state import remember_folder, start_folder
from composer.i18n import _

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
        self._running = 0  # exports not finished yet
        self.choose_path: Callable[[ExportFormat, str], Path | None] = self._ask_path

    def _ask_path(self, spec: ExportFormat, suggested: str) -> Path | None:
        settings = self.window.settings
        label = i18n._(spec.label)  # the format's name, as the File menu shows it
        path, _filter = QFileDialog.getSaveFileName(
            self.window,
            _("Export: {format}").format(format=label),
            str(start_folder(settings) / suggested),
            f"{label} (*{spec.suffix})",
        )
        if not path:
            return None
        remember_folder(settings, Path(path))
        return with_suffix(Path(path), spec.suffix)

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
        target = path
        self._running += 1
        self.window.statusBar().showMessage(_("Writing {path}…").format(path=path))
        run_task(
            lambda: write_export(kind, target, letters),
            lambda _none: self._finished(str(target)),
            self._failed,
            pool=self.window.pool,
            what=_("exporting to {target}").format(target=target),
        )
        return True

    def _finished(self, path: str) -> None:
        self._running -= 1
        self.window.statusBar().showMessage(_("Saved {path}.").format(path=path), 8000)
        self.finished.emit(path)

    def _failed(self, message: str) -> None:
        self._running -= 1
        self.window.statusBar().showMessage(_("The letter was not exported."), 8000)
        QMessageBox.warning(self.window, _("The letter was not exported"), message)
        self.failed.emit(message)
