"""File ▸ Open Letter…, Save and Save As…: portable letter files, read and written in the
background."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QMessageBox

from composer.core.drafts import DraftError
from composer.core.fileio import StorageError
from composer.core.letterfile import (
    SUFFIX,
    LetterFileError,
    read_letter_file,
    write_letter_file,
)
from composer.gui.background import run_task
from composer.gui.window_state import remember_folder, start_folder
from composer.i18n import N_, _

if TYPE_CHECKING:
    from composer.gui.letter_keeper import LetterKeeper

log = logging.getLogger(__name__)

SAVE_AS, DISCARD, CANCEL = "save-as", "discard", "cancel"


def letter_filter() -> str:
    """The file dialogs' filter for letter files, in the interface's language."""
    return _("Letters (*{suffix})").format(suffix=SUFFIX)


class LetterFiles(QObject):
    """The letter's file: where it was last saved or opened from, and the file actions.

    Args:
        keeper: the letter keeper (the letter as a document, the drafts' autosaver).

    The dialogs that choose a path are attributes (``choose_save_path``,
    ``choose_open_path``) so that tests can answer them.
    """

    def __init__(self, keeper: LetterKeeper) -> None:
        super().__init__(keeper)
        self.keeper = keeper
        self.file_path: Path | None = None
        self.choose_save_path: Callable[[str], Path | None] = self._ask_save_path
        self.choose_open_path: Callable[[], Path | None] = self._ask_open_path

    def _ask_save_path(self, suggested: str) -> Path | None:
        settings = self.keeper.window.settings
        path, _filter = QFileDialog.getSaveFileName(
            self.keeper.window,
            _("Save Letter As"),
            str(start_folder(settings) / suggested),
            letter_filter(),
        )
        if not path:
            return None
        chosen = Path(path)
        remember_folder(settings, chosen)
        return chosen if chosen.suffix == SUFFIX else chosen.with_name(chosen.name + SUFFIX)

    def _ask_open_path(self) -> Path | None:
        settings = self.keeper.window.settings
        path, _filter = QFileDialog.getOpenFileName(
            self.keeper.window, _("Open Letter"), str(start_folder(settings)), letter_filter()
        )
        if not path:
            return None
        remember_folder(settings, Path(path))
        return Path(path)

    def _suggested_name(self) -> str:
        from composer.core.export import suggested_file_name

        recipient = self.keeper.window.recipient_bar.recipient().short_name or "letter"
        return suggested_file_name(recipient, SUFFIX)

    def _start(
        self,
        work: Callable[[], object],
        done: Callable[[object], None],
        failed: Callable[[str], None],
    ) -> None:
        run_task(
            work,
            done,
            failed,
            pool=self.keeper.window.pool,
            expected=(StorageError, LetterFileError),
            what=N_("reading or writing the letter file"),
        )

    def save(self) -> None:
        """File ▸ Save: to the letter's file if it has one, else Save As; the draft too."""
        if self.keeper.autosaver.store is not None:
            with contextlib.suppress(DraftError):  # the bar above the letter says so
                self.keeper.autosaver.save_now()
        if self.file_path is None:
            if self.keeper.autosaver.store is None or self.keeper.autosaver.failing:
                self.save_as()
            else:
                self.keeper.window.statusBar().showMessage(
                    _("Saved in Drafts. Use Save As… to keep a copy in a file."), 6000
                )
            return
        self._write_file(self.file_path)

    def save_as(self) -> None:
        """File ▸ Save As…: write a portable letter file where the user chooses."""
        path = self.choose_save_path(self._suggested_name())
        if path is not None:
            self._write_file(path)

    def _write_file(self, path: Path) -> None:
        document = self.keeper.snapshot()
        generation = self.keeper.autosaver.generation
        self.keeper.window.statusBar().showMessage(_("Saving {path}…").format(path=path))

        def write() -> tuple[Path, int]:
            write_letter_file(path, document)
            return path, generation

        self._start(write, self._file_written, self._file_failed)

    def _file_written(self, result: object) -> None:
        assert isinstance(result, tuple)
        path, generation = result
        self.file_path = path
        self.keeper.autosaver.saved_elsewhere(generation)
        self.keeper.window.statusBar().showMessage(_("Saved {path}.").format(path=path), 8000)
        if self.keeper.autosaver.store is None or self.keeper.autosaver.failing:
            self.keeper._hide_bar("autosave")

    def _file_failed(self, message: str) -> None:
        self.keeper.window.statusBar().showMessage(_("The letter was not saved."), 8000)
        QMessageBox.warning(
            self.keeper.window,
            _("The letter was not saved"),
            _(
                "{problem}\n\nYour text is still in the window. Choose another place with "
                "File ▸ Save As…."
            ).format(problem=message),
        )

    def save_as_now(self) -> bool:
        """Save As, waiting for the file (used when closing); returns whether it was saved."""
        path = self.choose_save_path(self._suggested_name())
        if path is None:
            return False
        generation = self.keeper.autosaver.generation
        try:
            write_letter_file(path, self.keeper.snapshot())
        except StorageError as error:
            QMessageBox.warning(self.keeper.window, _("The letter was not saved"), str(error))
            return False
        self.file_path = path
        self.keeper.autosaver.saved_elsewhere(generation)
        return True

    def open_letter_file(self, path: Path | None = None) -> None:
        """File ▸ Open Letter…: read a letter file (in the background) and show it."""
        path = path or self.choose_open_path()
        if path is None:
            return
        self.keeper.window.statusBar().showMessage(_("Opening {path}…").format(path=path))
        self._start(
            lambda: (path, read_letter_file(path)),
            self._file_read,
            lambda message: self._warn(_("The letter cannot be opened"), message),
        )

    def _warn(self, title: str, message: str) -> None:
        QMessageBox.warning(self.keeper.window, title, message)

    def _file_read(self, result: object) -> None:
        assert isinstance(result, tuple)
        path, document = result
        if not self.keeper._close_current(open_here=False) and self.keeper.autosaver.unsaved:
            answer = self.keeper.ask_unsaved("open another letter")
            if answer == CANCEL or (answer == SAVE_AS and not self.save_as_now()):
                return
        notes = self.keeper.apply_document(document)
        self.keeper._begin(None)
        self.file_path = path
        self.keeper._update_state()
        if notes:
            message = _("Opened {path}. Not shown as saved: {notes}.").format(
                path=path, notes="; ".join(notes)
            )
        else:
            message = _("Opened {path}.").format(path=path)
        self.keeper.window.statusBar().showMessage(message, 10_000)
        self.keeper.letter_restored.emit(path.name)
