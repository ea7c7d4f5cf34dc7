"""Keeping the letter in the window safe: drafts, letter files, crash recovery, storage trouble.

:class:`LetterKeeper` is attached to the main window once. It

* saves the letter as a draft by itself (see :mod:`composer.gui.autosave`)
  and when the window closes, and marks it closed properly;
* at start-up offers back, without blocking anything, every letter a crash or
  a ``kill -9`` left open ("2 letters were not closed properly: Restore /
  Show Drafts…");
* tells the user, in a bar above the letter, about storage trouble found at
  start-up (a damaged database moved aside, a folder that cannot be written)
  or met while saving (a full disk), and offers to save the letter elsewhere;
* adds File ▸ Open Letter…, Save, Save As…, Drafts… and Export As ▸;
* restores a draft or a letter file into the window;
* saves the letter first when the crash handler reports an error.

Nothing here decides what a letter is; the window does (``current_letter``).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QStandardPaths, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QToolButton,
    QWidget,
)

from composer.core.drafts import DraftError, DraftInfo, DraftStore
from composer.core.fileio import StorageError
from composer.core.letterfile import (
    SUFFIX,
    LetterDocument,
    LetterFileError,
    read_letter_file,
    write_letter_file,
)
from composer.core.models import Letter, Recipient
from composer.core.storage import StorageReport
from composer.gui.a11y import announce
from composer.gui.autosave import Autosaver

log = logging.getLogger(__name__)

LETTER_FILTER = f"Letters (*{SUFFIX})"
SAVE_AS, DISCARD, CANCEL = "save-as", "discard", "cancel"


# --- the bar above the letter ----------------------------------------------------------------


class NoticeBar(QFrame):
    """A message above the letter with a few buttons; it never blocks the window.

    Signals:
        dismissed(): the user closed the bar.
    """

    dismissed = Signal()

    def __init__(self, text: str, warning: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("NoticeBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Warning" if warning else "Notice")
        self._warning = warning
        self._announced = False
        if warning:
            # A fixed pale yellow with black text reads in light and dark themes alike.
            style = "#NoticeBar { background: #fff4ce; border: 1px solid #c8a600; }"
            style += " #NoticeBar QLabel { color: black; }"
        else:
            style = "#NoticeBar { background: palette(alternate-base); border: 1px solid palette(mid); }"
        self.setStyleSheet(style)
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons: dict[str, QPushButton] = {}
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(8, 4, 4, 4)
        self._layout.addWidget(self.label, 1)
        close = QToolButton()
        close.setText("×")
        close.setAccessibleName("Dismiss")
        close.setToolTip("Dismiss")
        close.clicked.connect(self.dismiss)
        self.close_button = close
        self._layout.addWidget(close)

    def showEvent(self, event: QShowEvent) -> None:
        """Announce the message the first time the bar appears (a warning interrupts)."""
        super().showEvent(event)
        if not self._announced:
            self._announced = True
            announce(self.label, self.label.text(), assertive=self._warning)

    def add_button(self, text: str, slot: Callable[[], object]) -> QPushButton:
        """Add a button before the close button."""
        button = QPushButton(text)
        button.clicked.connect(lambda: slot())
        self._layout.insertWidget(self._layout.count() - 1, button)
        self.buttons[text.replace("&", "")] = button
        return button

    def text(self) -> str:
        """The message shown."""
        return self.label.text()

    def dismiss(self) -> None:
        """Close the bar."""
        self.hide()
        self.dismissed.emit()
        self.deleteLater()


# --- background file work ------------------------------------------------------------------------


class _FileSignals(QObject):
    """Signals of a file job.

    Signals:
        done(object): the job's result.
        failed(str): what went wrong, in plain words.
    """

    done = Signal(object)
    failed = Signal(str)


class _FileJob(QRunnable):
    """Reads or writes a letter file away from the GUI thread."""

    def __init__(self, work: Callable[[], object]) -> None:
        super().__init__()
        self.work = work
        self.signals = _FileSignals()

    def run(self) -> None:
        try:
            result = self.work()
        except (StorageError, LetterFileError) as error:
            self.signals.failed.emit(str(error))
        except Exception as error:  # shown to the user; the details go to the log
            log.exception("letter file job failed")
            self.signals.failed.emit(f"Unexpected error: {error}")
        else:
            self.signals.done.emit(result)


# --- the keeper ---------------------------------------------------------------------------------------


def _documents_folder() -> Path:
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(folder) if folder else Path.home()


class LetterKeeper(QObject):
    """Keeps the window's letter saved and offers back what a crash left behind.

    Args:
        window: the main window (``current_letter()``, ``paper``, ``editor``…).
        store: the drafts store (nothing touches the disk until the first save).

    The file dialogs and the question asked when a letter cannot be saved on
    closing are attributes (``choose_save_path``, ``choose_open_path``,
    ``ask_unsaved``), so tests can answer them.

    Signals:
        letter_restored(str): a draft or a file was put into the window (its title).
    """

    letter_restored = Signal(str)

    def __init__(self, window: QMainWindow, store: DraftStore | None) -> None:
        super().__init__(window)
        self.window = window
        self.store = store
        self.file_path: Path | None = None
        self._replacing = 0
        self._bars: dict[str, NoticeBar] = {}
        self._jobs: list[_FileJob] = []
        self._offered: list[DraftInfo] = []
        self.choose_save_path: Callable[[str], Path | None] = self._ask_save_path
        self.choose_open_path: Callable[[], Path | None] = self._ask_open_path
        self.ask_unsaved: Callable[[str], str] = self._ask_unsaved
        self.autosaver = Autosaver(store, self.snapshot, self._interval, self)
        self.state_label = QLabel()
        self.state_label.setAccessibleDescription("Save state")  # its text is its name
        window.statusBar().addPermanentWidget(self.state_label)
        self._build_actions()
        self._last_fields = self._fields()
        self._connect()
        self._begin(None)

    # -- wiring -------------------------------------------------------------------------

    def _interval(self) -> float:
        return float(getattr(self.window.settings, "autosave_seconds", 3))

    def _fields(self) -> tuple[object, ...]:
        """What, besides the text, makes up the letter (to tell a real change from a refresh)."""
        w = self.window
        bar = w.recipient_bar
        recipients = bar.recipients() if hasattr(bar, "recipients") else [bar.recipient()]
        return (tuple(recipients), bar.subject.text(), w.paper, tuple(w.picker.chosen_ids()))

    def _fields_changed(self) -> None:
        # The recipient bar and the paper choice also signal when they are merely filled
        # again (the officials list arrives after the first paint): only a difference counts.
        fields = self._fields()
        if fields != self._last_fields:
            self._last_fields = fields
            self.autosaver.changed()

    def _connect(self) -> None:
        w = self.window
        w.editor.changed.connect(self.autosaver.changed)
        w.recipient_bar.changed.connect(self._fields_changed)
        w.picker.toggled.connect(lambda *_: self._fields_changed())
        w.picker.order_changed.connect(lambda *_: self._fields_changed())
        w.paper_choice.currentIndexChanged.connect(lambda *_: self._fields_changed())
        self.autosaver.saved.connect(self._saved)
        self.autosaver.failed.connect(self._save_failed)
        self.autosaver.recovered.connect(self._save_recovered)
        paste = getattr(w.editor.text, "paste_finished", None)
        if paste is not None:
            paste.connect(lambda text: text and w.statusBar().showMessage(text, 10_000))
            w.editor.text.paste_started.connect(
                lambda size: w.statusBar().showMessage("Pasting… the window stays usable.")
            )

    def _build_actions(self) -> None:
        w = self.window
        key = QKeySequence.StandardKey

        def action(text: str, slot: Callable[[], object], shortcut: object, tip: str) -> QAction:
            made = QAction(text, w)
            if shortcut is not None:
                made.setShortcut(QKeySequence(shortcut))
            made.setStatusTip(tip)
            made.triggered.connect(lambda _checked=False: slot())
            return made

        self.open_action = action(
            "Open &Letter…",
            self.open_letter_file,
            "Ctrl+Shift+O",
            "Open a letter saved with Save As (a .letter file)",
        )
        self.save_action = action(
            "&Save", self.save, key.Save, "Save the letter now (to its file, if it has one)"
        )
        self.save_as_action = action(
            "Save &As…",
            self.save_as,
            key.SaveAs,
            "Save the letter to a file you can keep, copy or send to someone",
        )
        self.drafts_action = action(
            "&Drafts…", self.show_drafts, None, "Every saved letter: reopen, rename or delete"
        )
        self.export_actions: dict[str, QAction] = {}
        from composer.gui.letter_export import LetterExporter

        self.exporter = LetterExporter(w)
        for key_name, label in (
            ("odt", "&OpenDocument (ODT)…"),
            ("html", "&Web Page (HTML)…"),
            ("txt", "Plain &Text…"),
        ):
            self.export_actions[key_name] = action(
                label,
                lambda k=key_name: self.exporter.export(k),
                None,
                "Export the letter as it prints, for another program",
            )
        self.export_menu = QMenu("Export &As", w)
        self.export_menu.addActions(list(self.export_actions.values()))
        menu = getattr(w, "file_menu", None)
        if menu is None:
            return
        # File ▸ New Letter, Open Letter…, Save, Save As…, Drafts…; Export As ▸ after Export PDF.
        menu.insertActions(
            self._after(menu, getattr(w, "new_action", None)),
            [self.open_action, self.save_action, self.save_as_action, self.drafts_action],
        )
        menu.insertMenu(self._after(menu, getattr(w, "export_action", None)), self.export_menu)

    @staticmethod
    def _after(menu: QMenu, action: QAction | None) -> QAction | None:
        """The action that follows `action` in the menu (None: the end)."""
        actions = menu.actions()
        if action not in actions:
            return None
        index = actions.index(action) + 1
        return actions[index] if index < len(actions) else None

    def _begin(self, draft_id: str | None) -> None:
        """Start keeping the letter now in the window (a draft, or none yet)."""
        self._last_fields = self._fields()
        self.autosaver.begin(draft_id)

    # -- the letter as a document --------------------------------------------------------

    def snapshot(self) -> LetterDocument:
        """The letter in the window, with its paper, as saved in drafts and files."""
        letter: Letter = self.window.current_letter()
        return LetterDocument(letter=letter, paper=self.window.paper)

    @property
    def draft_id(self) -> str | None:
        """The draft the window's letter is saved in (None until its first save)."""
        return self.autosaver.draft_id

    def apply_document(self, document: LetterDocument) -> list[str]:
        """Put a letter into the window; returns what could not be shown as it was."""
        from composer.core.campaigns import CampaignError, find_campaign

        w = self.window
        letter = document.letter
        notes: list[str] = []
        self._replacing += 1
        self.autosaver.pause()
        try:
            if letter.campaign_id and letter.campaign_id != w.campaign.id:
                try:
                    w._load_campaign(find_campaign(letter.campaign_id, w.locations.campaigns_dir))
                except (CampaignError, LookupError) as error:
                    log.info("campaign %s of a restored letter: %s", letter.campaign_id, error)
                    notes.append(
                        f"its campaign “{letter.campaign_id}” is not installed, so its "
                        "arguments are not ticked in the list"
                    )
            known = {argument.id for argument in w.campaign.arguments}
            w.picker.set_campaign(w.campaign, [a for a in letter.argument_ids if a in known])
            if letter.recipients:
                self._show_recipients(letter.recipients)
            w.recipient_bar.subject.setText(letter.subject)
            w.editor.set_html(letter.body_html)
            if document.paper:
                w.set_paper(document.paper)
        finally:
            self.autosaver.resume()
            self._replacing -= 1
        return notes

    def _show_recipients(self, recipients: list[Recipient]) -> None:
        from composer.gui.recipient_bar import CUSTOM

        w = self.window
        bar = w.recipient_bar
        first = recipients[0]
        if len(recipients) == 1 and (first.id == CUSTOM or first.kind == "custom"):
            bar.choice.setCurrentIndex(bar.choice.findData(CUSTOM))
            lines = list(first.address_lines)
            if lines and lines[0] == first.name:
                lines = lines[1:]
            bar.custom_name.setText(first.name)
            bar.custom_address.setPlainText("\n".join(lines))
            bar.custom_salutation.setText(
                "" if first.salutation == f"Dear {first.name}:" else first.salutation
            )
        elif hasattr(w, "use_recipients"):
            # Officials (one, or several with a copy each) are offered again as they were saved.
            w.use_recipients(list(recipients))
        else:
            bar.set_recipients([*getattr(bar, "_known", {}).values(), first])
            bar.select(first.id)

    # -- switching letters ---------------------------------------------------------------

    def letter_replacing(self) -> None:
        """The window is about to replace the letter (New Letter, another campaign)."""
        if self._replacing:
            return
        self._close_current(open_here=False)
        self.autosaver.pause()

    def letter_replaced(self) -> None:
        """The window has put a fresh letter in: it is not a draft until it changes."""
        if self._replacing:
            return
        self.autosaver.resume()
        self.file_path = None
        self._begin(None)
        self._update_state()

    def _close_current(self, open_here: bool) -> bool:
        """Save the current letter and mark it closed; returns whether it is safe."""
        if self.autosaver.store is None:
            return not self.autosaver.dirty
        try:
            self.autosaver.save_now(open_here=open_here)
        except DraftError as error:
            log.warning("the letter could not be saved before closing: %s", error)
            return False
        return True

    def open_draft(self, draft_id: str) -> bool:
        """Put a draft into the window (the current letter is saved first)."""
        if self.store is None:
            return False
        try:
            draft = self.store.load(draft_id)
        except DraftError as error:
            QMessageBox.warning(self.window, "The draft cannot be opened", str(error))
            return False
        if not self._close_current(open_here=False) and self.autosaver.unsaved:
            answer = self.ask_unsaved("open another letter")
            if answer == CANCEL or (answer == SAVE_AS and not self.save_as_now()):
                return False
        notes = self.apply_document(draft.document)
        try:
            self.store.claim(draft_id)
        except DraftError as error:
            log.warning("could not mark the draft as open: %s", error)
        self._begin(draft_id)
        self.file_path = None
        self._update_state()
        title = draft.info.title
        message = f"Opened “{title}”."
        if notes:
            message += " Not shown as saved: " + "; ".join(notes) + "."
        self.window.statusBar().showMessage(message, 10_000)
        self.letter_restored.emit(title)
        return True

    # -- crash recovery -------------------------------------------------------------------

    def offer_recovery(self) -> list[DraftInfo]:
        """Offer back the letters a crash left open (a bar; nothing blocks); returns them."""
        if self.store is None or self.autosaver.store is None:
            return []
        try:
            left = self.store.abandoned()
        except DraftError as error:
            log.warning("could not look for unsaved letters: %s", error)
            return []
        if not left:
            return []
        self._offered = left
        if len(left) == 1:
            text = (
                f"The letter “{left[0].title}” was not closed properly when the program last "
                "stopped. It was saved; you can go on with it."
            )
        else:
            text = (
                f"{len(left)} letters were not closed properly when the program last stopped. "
                "They were saved; you can go on with them."
            )
        bar = self._show_bar("recovery", text, warning=False)
        bar.add_button("&Restore", self.restore_latest)
        bar.add_button("Show &Drafts…", lambda: self.show_drafts(highlight=True))
        bar.dismissed.connect(self._release_offered)
        return left

    def _release_offered(self) -> None:
        """The user has seen the offer: the letters stay in Drafts, no longer offered."""
        if self.store is None:
            return
        for info in self._offered:
            if info.id != self.draft_id:
                try:
                    self.store.release(info.id)
                except DraftError as error:
                    log.warning("could not release draft %s: %s", info.id, error)
        self._offered = []

    def restore_latest(self) -> bool:
        """Restore the most recently saved of the letters a crash left open."""
        if not self._offered:
            return False
        newest = max(self._offered, key=lambda info: info.updated_at)
        others = len(self._offered) - 1
        if not self.open_draft(newest.id):
            return False
        self._release_offered()
        self._hide_bar("recovery")
        if others:
            self.window.statusBar().showMessage(
                f"Restored “{newest.title}”. The other {others} "
                f"letter{'s are' if others > 1 else ' is'} in File ▸ Drafts….",
                15_000,
            )
        return True

    def show_drafts(self, highlight: bool = False) -> None:
        """File ▸ Drafts…: the list of saved letters."""
        from composer.gui.drafts_dialog import DraftsDialog

        if self.store is None or self.autosaver.store is None:
            QMessageBox.information(
                self.window,
                "Drafts",
                "Drafts cannot be used this session (see the message above the letter). "
                "Use File ▸ Save As… to keep your letter.",
            )
            return
        if self.autosaver.unsaved:
            with contextlib.suppress(DraftError):  # the bar above the letter says so
                self.autosaver.save_now()
        marked = frozenset(info.id for info in self._offered) if highlight else frozenset()
        dialog = DraftsDialog(self.store, self.draft_id, marked, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open_requested.connect(self.open_draft)
        if highlight:
            self._release_offered()
            self._hide_bar("recovery")
        self.drafts_dialog = dialog
        dialog.open()

    # -- storage trouble ------------------------------------------------------------------

    def show_storage_report(self, report: StorageReport) -> None:
        """Tell the user what the start-up check found; stop autosaving if it cannot work."""
        if not report.problems:
            return
        if not report.drafts_usable:
            self.autosaver.store = None
            self.store = None
        text = "\n\n".join(problem.message for problem in report.problems)
        bar = self._show_bar("storage", text, warning=True)
        if not report.drafts_usable:
            bar.add_button("Save &As…", self.save_as)
        self._update_state()

    def _save_failed(self, message: str, disk_full: bool) -> None:
        text = (
            f"Your letter could not be saved automatically. {message} "
            "The text is still here in the window."
        )
        bar = self._bars.get("autosave")
        if bar is not None:
            bar.label.setText(text)
        else:
            bar = self._show_bar("autosave", text, warning=True)
            bar.add_button("Save &As…", self.save_as)
            bar.add_button("&Try Again", self._try_again)
        self._update_state()

    def _try_again(self) -> None:
        try:
            self.autosaver.save_now()
        except DraftError:
            return

    def _save_recovered(self) -> None:
        self._hide_bar("autosave")
        self.window.statusBar().showMessage("The letter is saved again.", 6000)
        self._update_state()

    def _saved(self, _draft_id: str) -> None:
        self._update_state()

    def _update_state(self) -> None:
        if self.autosaver.store is None:
            text = "Not saved automatically"
        elif self.autosaver.failing:
            text = "Not saved"
        elif self.autosaver.draft_id is None:
            text = ""
        else:
            text = "Saved in Drafts"
        self.state_label.setText(text)

    def _show_bar(self, key: str, text: str, warning: bool) -> NoticeBar:
        self._hide_bar(key)
        bar = NoticeBar(text, warning)
        host = self.window.editor.parentWidget()
        layout = host.layout() if host is not None else None
        if layout is not None:
            layout.insertWidget(0, bar)
        self._bars[key] = bar
        bar.dismissed.connect(lambda k=key, b=bar: self._bars.get(k) is b and self._bars.pop(k))
        bar.show()
        return bar

    def _hide_bar(self, key: str) -> None:
        bar = self._bars.pop(key, None)
        if bar is not None:
            bar.hide()
            bar.deleteLater()

    def notice(self, key: str) -> NoticeBar | None:
        """The bar shown for "recovery", "storage" or "autosave", if any."""
        return self._bars.get(key)

    # -- letter files ---------------------------------------------------------------------

    def _ask_save_path(self, suggested: str) -> Path | None:
        path, _filter = QFileDialog.getSaveFileName(
            self.window, "Save Letter As", str(_documents_folder() / suggested), LETTER_FILTER
        )
        if not path:
            return None
        chosen = Path(path)
        return chosen if chosen.suffix == SUFFIX else chosen.with_name(chosen.name + SUFFIX)

    def _ask_open_path(self) -> Path | None:
        path, _filter = QFileDialog.getOpenFileName(
            self.window, "Open Letter", str(_documents_folder()), LETTER_FILTER
        )
        return Path(path) if path else None

    def _suggested_name(self) -> str:
        from composer.core.export import suggested_file_name

        recipient = self.window.recipient_bar.recipient().short_name or "letter"
        return suggested_file_name(recipient, SUFFIX)

    def _start(
        self, job: _FileJob, done: Callable[[object], None], failed: Callable[[str], None]
    ) -> None:
        job.setAutoDelete(False)
        self._jobs.append(job)

        def finish(callback: Callable[..., None]) -> Callable[..., None]:
            def handler(*args: object) -> None:
                if job in self._jobs:
                    self._jobs.remove(job)
                callback(*args)

            return handler

        job.signals.done.connect(finish(done))
        job.signals.failed.connect(finish(failed))
        self.window.pool.start(job)

    def save(self) -> None:
        """File ▸ Save: to the letter's file if it has one, else Save As; the draft too."""
        if self.autosaver.store is not None:
            with contextlib.suppress(DraftError):  # the bar above the letter says so
                self.autosaver.save_now()
        if self.file_path is None:
            if self.autosaver.store is None or self.autosaver.failing:
                self.save_as()
            else:
                self.window.statusBar().showMessage(
                    "Saved in Drafts. Use Save As… to keep a copy in a file.", 6000
                )
            return
        self._write_file(self.file_path)

    def save_as(self) -> None:
        """File ▸ Save As…: write a portable letter file where the user chooses."""
        path = self.choose_save_path(self._suggested_name())
        if path is not None:
            self._write_file(path)

    def _write_file(self, path: Path) -> None:
        document = self.snapshot()
        generation = self.autosaver.generation
        self.window.statusBar().showMessage(f"Saving {path}…")

        def write() -> tuple[Path, int]:
            write_letter_file(path, document)
            return path, generation

        self._start(_FileJob(write), self._file_written, self._file_failed)

    def _file_written(self, result: object) -> None:
        assert isinstance(result, tuple)
        path, generation = result
        self.file_path = path
        self.autosaver.saved_elsewhere(generation)
        self.window.statusBar().showMessage(f"Saved {path}.", 8000)
        if self.autosaver.store is None or self.autosaver.failing:
            self._hide_bar("autosave")

    def _file_failed(self, message: str) -> None:
        self.window.statusBar().showMessage("The letter was not saved.", 8000)
        QMessageBox.warning(
            self.window,
            "The letter was not saved",
            f"{message}\n\nYour text is still in the window. Choose another place with "
            "File ▸ Save As….",
        )

    def save_as_now(self) -> bool:
        """Save As, waiting for the file (used when closing); returns whether it was saved."""
        path = self.choose_save_path(self._suggested_name())
        if path is None:
            return False
        generation = self.autosaver.generation
        try:
            write_letter_file(path, self.snapshot())
        except StorageError as error:
            QMessageBox.warning(self.window, "The letter was not saved", str(error))
            return False
        self.file_path = path
        self.autosaver.saved_elsewhere(generation)
        return True

    def open_letter_file(self, path: Path | None = None) -> None:
        """File ▸ Open Letter…: read a letter file (in the background) and show it."""
        path = path or self.choose_open_path()
        if path is None:
            return
        self.window.statusBar().showMessage(f"Opening {path}…")
        self._start(
            _FileJob(lambda: (path, read_letter_file(path))),
            self._file_read,
            lambda message: QMessageBox.warning(
                self.window, "The letter cannot be opened", message
            ),
        )

    def _file_read(self, result: object) -> None:
        assert isinstance(result, tuple)
        path, document = result
        if not self._close_current(open_here=False) and self.autosaver.unsaved:
            answer = self.ask_unsaved("open another letter")
            if answer == CANCEL or (answer == SAVE_AS and not self.save_as_now()):
                return
        notes = self.apply_document(document)
        self._begin(None)
        self.file_path = path
        self._update_state()
        message = f"Opened {path}."
        if notes:
            message += " Not shown as saved: " + "; ".join(notes) + "."
        self.window.statusBar().showMessage(message, 10_000)
        self.letter_restored.emit(path.name)

    # -- closing and crashing -------------------------------------------------------------

    def _ask_unsaved(self, doing: str) -> str:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "The letter is not saved",
            "Your letter could not be saved (see the message above it). Save it in a file "
            f"somewhere else before you {doing}?",
            parent=self.window,
        )
        save = box.addButton("Save &As…", QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton("&Discard the Letter", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(save)
        box.exec()
        clicked = box.clickedButton()
        if clicked is save:
            return SAVE_AS
        if clicked is discard:
            return DISCARD
        return CANCEL

    def close_letter(self) -> bool:
        """The window is closing: save, mark closed properly; returns whether it may close.

        When the letter cannot be saved (full disk, no permission…), the user is
        asked to save it somewhere else first; nothing is dropped without asking.
        """
        if self._close_current(open_here=False):
            self.autosaver.wait()
            if self.store is not None:
                self.store.close()
            return True
        if not self.autosaver.unsaved and self.autosaver.draft_id is None:
            return True  # nothing was typed
        answer = self.ask_unsaved("close the window")
        if answer == CANCEL:
            return False
        if answer == SAVE_AS:
            return self.save_as_now()
        return True

    def save_for_crash(self) -> None:
        """Called by the crash handler before it reports: save the letter now."""
        if self.autosaver.store is None:
            return
        self.autosaver.save_now(open_here=True)
