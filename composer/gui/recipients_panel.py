"""Find my officials: search the directory, tick recipients, choose how each is reached.

The panel only shows and collects; every search, import and download runs in
a worker on the thread pool and reports back through signals.
"""

from __future__ import annotations

import contextlib
import itertools
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QRunnable, Qt, QThreadPool, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from composer.core.directory import (
    DEFAULT_URLS,
    Channel,
    Directory,
    DirectoryCancelled,
    DirectoryError,
    DirectoryInfo,
    FindResult,
    Official,
    builtin_officials,
    normalize_zip,
    update_from_internet,
)
from composer.core.models import Recipient
from composer.gui.a11y import announce, name_clear_button

SEARCH_MODES = (("zip", "ZIP code"), ("state", "State"), ("name", "Name"))
PLACEHOLDERS = {
    "zip": "Your ZIP code, e.g. 98105",
    "state": "State or territory, e.g. WA or Washington",
    "name": "Part of a name, e.g. Murray",
}


@dataclass(frozen=True)
class RecipientChoice:
    """One ticked official and how the letter reaches them.

    `recipient` is addressed for the chosen channel: to the chosen office for
    post; to the default office for the web form or e-mail (the letter still
    carries an inside address).
    """

    official: Official
    channel: Channel
    recipient: Recipient


class _JobSignals(QObject):
    """Signals of a directory job.

    Signals:
        progress(str, float): what is happening and how far along (0–1).
        finished(object): the job's result.
        failed(str): what went wrong, in plain words.
        cancelled(): the job stopped at the user's request.
    """

    progress = Signal(str, float)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()


class DirectoryJob(QRunnable):
    """Runs one directory operation (search, import, download) off the GUI thread.

    Args:
        work: called in the worker with a progress callback and a cancel check;
            returns the result handed to ``signals.finished``.
    """

    def __init__(
        self,
        work: Callable[[Callable[[str, float], None], Callable[[], bool]], object],
    ) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the panel keeps it until it has reported
        self._work = work
        self._cancel = threading.Event()
        self.signals = _JobSignals()

    def cancel(self) -> None:
        """Ask the job to stop at its next check; its result will be ignored."""
        self._cancel.set()

    @property
    def is_cancelled(self) -> bool:
        """Whether :meth:`cancel` was called."""
        return self._cancel.is_set()

    def run(self) -> None:
        try:
            result = self._work(self.signals.progress.emit, self._cancel.is_set)
        except DirectoryCancelled:
            self.signals.cancelled.emit()
        except DirectoryError as error:
            self.signals.failed.emit(str(error))
        except Exception as error:  # shown in the panel; never a silent death of the worker
            self.signals.failed.emit(f"Unexpected error: {error.__class__.__name__}: {error}")
        else:
            self.signals.finished.emit(result)


def open_contact_form(
    url: str,
    letter_text: str,
    open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl,
) -> bool:
    """Copy the letter to the clipboard and open an official's web contact form.

    Returns whether the browser could be asked to open the page.
    """
    QGuiApplication.clipboard().setText(letter_text)
    return bool(open_url(QUrl(url)))


class RecipientsPanel(QWidget):
    """Find my officials: by ZIP code, state or name; tick several for one letter each.

    Args:
        directory: the local directory to search and update.
        pool: the thread pool the searches, imports and downloads run on.
        near_zip: the writer's ZIP code (prefilled; picks the nearest home office).
        urls: where Update from the internet downloads from.

    Signals:
        recipients_chosen(list): the ticked recipients (list of Recipient), each
            addressed for its chosen channel.
        choices_made(list): the same as RecipientChoice objects (with channels).
        results_shown(): a search finished and its results are on screen.
        directory_changed(): an import or update replaced the directory.
        busy_changed(bool): a job started (True) or ended (False).
        failed(str): a search, import or update failed; the text says why.
    """

    recipients_chosen = Signal(list)
    choices_made = Signal(list)
    results_shown = Signal()
    directory_changed = Signal()
    busy_changed = Signal(bool)
    failed = Signal(str)

    def __init__(
        self,
        directory: Directory,
        pool: QThreadPool | None = None,
        near_zip: str = "",
        urls: Mapping[str, str] = DEFAULT_URLS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.directory = directory
        self.pool = pool or QThreadPool.globalInstance()
        self.urls = dict(urls)
        self.near_zip = normalize_zip(near_zip, strict=False)
        # The writer's own ZIP code: only the members who represent it are ticked for them.
        self.home_zip = self.near_zip
        self._job: DirectoryJob | None = None
        self._on_job_failed: Callable[[], None] | None = None
        self._orphans: set[DirectoryJob] = set()
        # Each result row: its item, the official and the channels they can be reached by.
        self._rows: list[tuple[QTreeWidgetItem, Official, list[Channel]]] = []
        # The channel chosen for each row (index into its channels), by official id.
        self._chosen: dict[str, int] = {}

        self.import_action = QAction("&Import…", self)
        self.import_action.setStatusTip(
            "Import legislators-current.yaml, legislators-district-offices.yaml and zccd.csv"
        )
        self.import_action.triggered.connect(self.choose_files_to_import)
        self.update_action = QAction("&Update from the Internet", self)
        self.update_action.setStatusTip("Download the latest list of members of Congress")
        self.update_action.triggered.connect(self.start_update)

        self._build()
        self.refresh_info()
        self._show_result(FindResult(), keep_reason=False)

    # --- construction ---------------------------------------------------------------------

    def _build(self) -> None:
        self.mode = QComboBox()
        self.mode.setAccessibleName("Search by")
        self.mode.setAccessibleDescription("Search by ZIP code, by state or by name")
        for key, label in SEARCH_MODES:
            self.mode.addItem(label, key)
        self.query = QLineEdit(self.near_zip)
        self.query.setAccessibleName("Search for")
        self.query.setAccessibleDescription("A ZIP code, a state or part of a name; Enter searches")
        self.query.setClearButtonEnabled(True)
        name_clear_button(self.query)
        self.find_button = QPushButton("&Find")
        # Enter searches in the search field (returnPressed) and uses the ticked officials
        # in the results: never a new search that would drop the ticks and offices chosen.
        self.find_button.setAutoDefault(False)

        self.date_label = QLabel()
        self.date_label.setAccessibleDescription("Directory data date")
        update_button = QPushButton("Update from the internet")
        update_button.clicked.connect(self.update_action.trigger)
        import_button = QPushButton("Import…")
        import_button.clicked.connect(self.import_action.trigger)
        self._action_buttons = (update_button, import_button)

        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        self.stale_icon = QLabel()
        self.stale_icon.setPixmap(icon.pixmap(20, 20))
        self.stale_label = QLabel()
        self.stale_label.setWordWrap(True)
        self.stale_label.setAccessibleDescription("Directory warnings")
        self.reason_label = QLabel()
        self.reason_label.setWordWrap(True)
        self.reason_label.setAccessibleDescription("Why these results")

        self.results = QTreeWidget()
        self.results.setAccessibleName("Officials found")
        self.results.setAccessibleDescription(
            "Arrow keys move between officials, Space ticks one to write to; "
            "Tab goes on to how the letter reaches them; Enter uses the ticked officials"
        )
        self.results.setColumnCount(2)
        self.results.setHeaderLabels(["Official", "Send by"])
        self.results.setRootIsDecorated(False)
        self.results.installEventFilter(self)
        self.results.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.results.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        # One "Send by" box for the official the results' cursor is on: arrows move
        # between officials and Space ticks, and the box changes only when it has focus.
        self.channel_label = QLabel("&Send by:")
        self.channel_box = QComboBox()
        self.channel_label.setBuddy(self.channel_box)
        self.note_label = QLabel()
        self.note_label.setWordWrap(True)
        self.note_label.setAccessibleDescription("About this way of sending")

        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress_text = QLabel()
        self.cancel_button = QPushButton("Cancel")
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setAccessibleDescription("Problem")
        self.notice_label = QLabel()
        self.notice_label.setWordWrap(True)
        self.notice_label.setAccessibleDescription("Directory news")
        self.use_button = QPushButton("&Use Selected")

        search_row = QHBoxLayout()
        search_row.addWidget(self.mode)
        search_row.addWidget(self.query, 1)
        search_row.addWidget(self.find_button)
        data_row = QHBoxLayout()
        data_row.addWidget(self.date_label, 1)
        data_row.addWidget(update_button)
        data_row.addWidget(import_button)
        stale_row = QHBoxLayout()
        stale_row.addWidget(self.stale_icon, 0, Qt.AlignmentFlag.AlignTop)
        stale_row.addWidget(self.stale_label, 1)
        self.stale_box = QWidget()
        self.stale_box.setLayout(stale_row)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress_text)
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel_button)
        self.progress_box = QWidget()
        self.progress_box.setLayout(progress_row)
        channel_row = QHBoxLayout()
        channel_row.addWidget(self.channel_label)
        channel_row.addWidget(self.channel_box, 1)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.use_button)

        layout = QVBoxLayout(self)
        layout.addLayout(search_row)
        layout.addLayout(data_row)
        layout.addWidget(self.stale_box)
        layout.addWidget(self.reason_label)
        layout.addWidget(self.results, 1)
        layout.addLayout(channel_row)
        layout.addWidget(self.note_label)
        layout.addWidget(self.progress_box)
        layout.addWidget(self.error_label)
        layout.addWidget(self.notice_label)
        layout.addLayout(bottom)
        self.progress_box.setVisible(False)
        self.error_label.setVisible(False)
        self.notice_label.setVisible(False)

        self.mode.currentIndexChanged.connect(self._mode_changed)
        self.query.returnPressed.connect(self.run_search)
        self.find_button.clicked.connect(self.run_search)
        self.cancel_button.clicked.connect(self.cancel)
        self.use_button.clicked.connect(self.use_selected)
        self.results.currentItemChanged.connect(self._current_changed)
        self.channel_box.currentIndexChanged.connect(self._channel_chosen)
        order = (
            self.mode,
            self.query,
            self.find_button,
            update_button,
            import_button,
            self.results,
            self.channel_box,
            self.use_button,
            self.cancel_button,
        )
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)
        self._mode_changed()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter in the results uses the ticked officials, as Use Selected does."""
        if (
            watched is self.results
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ):
            if self.use_button.isEnabled():
                self.use_selected()
            return True
        return super().eventFilter(watched, event)

    def _mode_changed(self) -> None:
        self.query.setPlaceholderText(PLACEHOLDERS[self.mode.currentData()])

    # --- state shown ----------------------------------------------------------------------

    def refresh_info(self) -> None:
        """Show the directory's date and its staleness warnings."""
        try:
            info = self.directory.info()
        except DirectoryError as error:
            info = DirectoryInfo()
            self._show_error(str(error))
        self._show_info(info)

    def _show_info(self, info: DirectoryInfo) -> None:
        self.date_label.setText(info.date_text())
        warnings = info.warnings(self.directory.today())
        self.stale_label.setText("\n".join(warnings))
        self.stale_box.setVisible(bool(warnings))

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))
        announce(self.error_label, message, assertive=True)

    def _show_notice(self, message: str) -> None:
        self.notice_label.setText(message)
        self.notice_label.setVisible(bool(message))
        announce(self.notice_label, message)

    def _set_busy(self, text: str) -> None:
        busy = bool(text)
        self.progress_text.setText(text)
        self.progress.setValue(0)
        self.progress_box.setVisible(busy)
        for widget in (self.find_button, self.use_button, *self._action_buttons):
            widget.setEnabled(not busy)
        self.import_action.setEnabled(not busy)
        self.update_action.setEnabled(not busy)
        self.busy_changed.emit(busy)

    @property
    def busy(self) -> bool:
        """Whether a search, import or update is running."""
        return self._job is not None

    # --- jobs -----------------------------------------------------------------------------

    def _start(
        self,
        text: str,
        work: Callable[[Callable[[str, float], None], Callable[[], bool]], object],
        done: Callable[[object], None],
        on_failed: Callable[[], None] | None = None,
    ) -> None:
        if self._job is not None:
            return
        self._on_job_failed = on_failed
        job = DirectoryJob(work)
        job.signals.progress.connect(self._job_progress)
        job.signals.finished.connect(lambda result, job=job: self._job_finished(job, result, done))
        job.signals.failed.connect(lambda message, job=job: self._job_failed(job, message))
        job.signals.cancelled.connect(lambda job=job: self._job_over(job))
        self._job = job
        self._show_error("")
        self._set_busy(text)
        self.pool.start(job)

    def _job_progress(self, text: str, share: float) -> None:
        if self._job is not None:
            self.progress_text.setText(text)
            self.progress.setValue(round(share * 100))

    def _job_over(self, job: DirectoryJob) -> bool:
        """Forget a job that has reported; True if its result should still be used."""
        self._orphans.discard(job)
        if job is not self._job:
            return False
        self._job = None
        self._set_busy("")
        return not job.is_cancelled

    def _job_finished(
        self, job: DirectoryJob, result: object, done: Callable[[object], None]
    ) -> None:
        if self._job_over(job):
            done(result)

    def _job_failed(self, job: DirectoryJob, message: str) -> None:
        if self._job_over(job):
            if self._on_job_failed is not None:
                self._on_job_failed()
            self._show_error(message)
            self.failed.emit(message)

    def cancel(self) -> None:
        """Stop the running job; the panel is free at once, the worker stops on its own."""
        job = self._job
        if job is None:
            return
        job.cancel()
        # A download blocked on the network only notices at its next check: let
        # it finish in the background and ignore what it reports.
        self._orphans.add(job)
        self._job = None
        self._set_busy("")
        self._show_error("Cancelled; the directory was not changed.")

    # --- searching ------------------------------------------------------------------------

    def search(self, mode: str, text: str) -> None:
        """Search by "zip", "state" or "name" (as if typed in the panel)."""
        index = self.mode.findData(mode)
        if index < 0:
            raise ValueError(f"unknown search mode {mode!r}")
        self.mode.setCurrentIndex(index)
        self.query.setText(text)
        self.run_search()

    def run_search(self) -> None:
        """Run the search in the fields, in a worker."""
        mode = self.mode.currentData()
        text = self.query.text()
        directory = self.directory
        if mode == "zip":
            zip_code = normalize_zip(text, strict=False)
            if zip_code:
                self.near_zip = zip_code

        home = self.home_zip or (normalize_zip(text, strict=False) if mode == "zip" else "")

        def work(progress: Callable[[str, float], None], cancelled: Callable[[], bool]) -> object:
            if mode == "zip":
                result = directory.find_by_zip(text)
            elif mode == "state":
                result = directory.find_by_state(text)
            else:
                result = directory.find_by_name(text)
            own: frozenset[str] = frozenset()
            if home:
                with contextlib.suppress(DirectoryError):
                    own = frozenset(o.id for o in directory.find_by_zip(home).officials)
            return result, own

        # A search that fails leaves no results of an earlier one on screen to be sent.
        self._start("Searching…", work, self._search_done, self._clear_results)

    def _clear_results(self) -> None:
        self._show_result(FindResult(), keep_reason=False)

    def _search_done(self, found: object) -> None:
        assert isinstance(found, tuple)
        result, own = found
        assert isinstance(result, FindResult)
        self._show_result(result, own=own)

    def _show_result(
        self, result: FindResult, keep_reason: bool = True, own: frozenset[str] = frozenset()
    ) -> None:
        """Show what was found; only the writer's own members (`own`) start ticked:
        most offices set aside mail from outside the district or state they serve."""
        self.results.clear()
        self._rows = []
        self._chosen = {}
        shown = {official.id for official in result.everyone}
        builtins = [official for official in builtin_officials() if official.id not in shown]
        for official in result.officials:
            self._add_row(official, checked=official.id in own, note="")
        for official in result.candidates:
            self._add_row(official, checked=False, note="choose one")
        for official in builtins:
            self._add_row(official, checked=False, note="")
        text = result.reason if keep_reason else ""
        outside = [official for official in result.officials if official.id not in own]
        if keep_reason and outside:
            hint = (
                "Only your own senators and representative are ticked: most offices set "
                "aside mail from outside the state or district they serve. Tick anyone "
                "else you mean to write to."
                if own
                else "Nothing is ticked: tick the officials you mean to write to. Most "
                "offices read only mail from the state or district they serve."
            )
            text = f"{text} {hint}".strip()
        self.reason_label.setText(text)
        self.reason_label.setVisible(bool(text))
        warnings = list(result.warnings)
        if warnings:
            self.stale_label.setText("\n".join(warnings))
            self.stale_box.setVisible(True)
        if self._rows:
            self.results.setCurrentItem(self._rows[0][0])
        self._current_changed()
        if keep_reason:  # a search's answer, read out to those who cannot see the list
            announce(self.results, self._results_summary(result, own, text))
        self.results_shown.emit()

    def _results_summary(self, result: FindResult, own: frozenset[str], reason: str) -> str:
        found = len(result.officials) + len(result.candidates)
        checked = Qt.CheckState.Checked
        ticked = sum(
            1 for item, _official, _channels in self._rows if item.checkState(0) == checked
        )
        head = f"{found} official{'s' if found != 1 else ''} found, {ticked} ticked."
        return f"{head} {reason}".strip()

    def _add_row(self, official: Official, checked: bool, note: str) -> None:
        if official.builtin:
            label = official.title if official.kind == "president" else official.addressee
        else:
            seat = official.state
            if official.district is not None and official.kind == "representative":
                seat += f"-{official.district}" if official.district else ", at large"
            label = f"{official.title_and_name} ({seat})"
        if note:
            label = f"{label} — {note}"
        channels = official.channels(self.near_zip)
        item = QTreeWidgetItem([label, channels[0].label if channels else ""])
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(0, Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        item.setData(0, Qt.ItemDataRole.UserRole, official.id)
        address = official.recipient(near_zip=self.near_zip).address_lines
        item.setToolTip(0, "\n".join((official.title, "", *address)))
        self.results.addTopLevelItem(item)
        self._chosen[official.id] = 0
        self._rows.append((item, official, channels))

    def _current_row(self) -> tuple[QTreeWidgetItem, Official, list[Channel]] | None:
        current = self.results.currentItem()
        for row in self._rows:
            if row[0] is current:
                return row
        return None

    def _current_changed(self, *_args: Any) -> None:
        """Fill the Send by box with the channels of the official under the cursor."""
        row = self._current_row()
        self.channel_box.blockSignals(True)
        try:
            self.channel_box.clear()
            if row is None:
                self.channel_label.setText("&Send by:")
                self.channel_box.setAccessibleName("Send by")
                self.channel_box.setAccessibleDescription("Choose an official in the results first")
            else:
                _item, official, channels = row
                for channel in channels:
                    self.channel_box.addItem(channel.label, channel)
                    index = self.channel_box.count() - 1
                    self.channel_box.setItemData(index, channel.detail, Qt.ItemDataRole.ToolTipRole)
                self.channel_box.setCurrentIndex(self._chosen.get(official.id, 0))
                # Screen readers on Linux read a combo box's label, elsewhere its name.
                self.channel_label.setText(f"&Send to {official.title_and_name} by:")
                self.channel_box.setAccessibleName(
                    f"Send by: how to reach {official.title_and_name}"
                )
                self.channel_box.setAccessibleDescription(
                    f"Which office of {official.title_and_name} the letter goes to, "
                    "or their web form or e-mail"
                )
        finally:
            self.channel_box.blockSignals(False)
        self.channel_box.setEnabled(row is not None and self.channel_box.count() > 0)
        self._update_note()

    def _channel_chosen(self, index: int) -> None:
        row = self._current_row()
        if row is None or index < 0:
            return
        item, official, channels = row
        self._chosen[official.id] = index
        item.setText(1, channels[index].label)
        self._update_note()

    def _channel_of(self, official: Official, channels: list[Channel]) -> Channel | None:
        if not channels:
            return None
        return channels[min(self._chosen.get(official.id, 0), len(channels) - 1)]

    def _update_note(self, *_args: Any) -> None:
        row = self._current_row()
        if row is None:
            self.note_label.setText("")
            return
        _item, official, channels = row
        channel = self._channel_of(official, channels)
        detail = channel.detail if channel else ""
        note = channel.note if channel else ""
        text = f"{official.title_and_name}: {detail}"
        self.note_label.setText(f"{text}\n{note}" if note else text)

    # --- reading the choice ---------------------------------------------------------------

    def rows(self) -> list[tuple[QTreeWidgetItem, Official, Channel | None]]:
        """The result rows: item, official and the channel chosen (for tests and wiring)."""
        return [
            (item, official, self._channel_of(official, channels))
            for item, official, channels in self._rows
        ]

    def set_checked(self, official_id: str, checked: bool = True) -> None:
        """Tick or untick an official in the results."""
        for item, official, _channels in self._rows:
            if official.id == official_id:
                item.setCheckState(0, Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def set_channel(self, official_id: str, channel_id: str) -> None:
        """Choose how an official is reached ("post:washington", "web", …)."""
        for item, official, channels in self._rows:
            if official.id == official_id:
                for index, channel in enumerate(channels):
                    if channel.id == channel_id:
                        self._chosen[official.id] = index
                        item.setText(1, channel.label)
                        self.results.setCurrentItem(item)
                        self._current_changed()
                        return
        raise KeyError(f"{official_id} has no channel {channel_id}")

    def choices(self) -> list[RecipientChoice]:
        """The ticked officials, each with the channel chosen for them."""
        chosen: list[RecipientChoice] = []
        for item, official, channels in self._rows:
            if item.checkState(0) != Qt.CheckState.Checked:
                continue
            channel = self._channel_of(official, channels)
            if channel is None:
                continue
            office_id = channel.id.removeprefix("post:") if channel.kind == "post" else None
            recipient = official.recipient(office_id, near_zip=self.near_zip)
            chosen.append(RecipientChoice(official, channel, recipient))
        return chosen

    def use_selected(self) -> None:
        """Hand the ticked recipients on (emits the two choice signals)."""
        chosen = self.choices()
        if not chosen:
            self._show_error("Tick at least one official to write to.")
            return
        self._show_error("")
        self.choices_made.emit(chosen)
        self.recipients_chosen.emit([choice.recipient for choice in chosen])

    # --- import and update ----------------------------------------------------------------

    def choose_files_to_import(self) -> None:
        """Ask for the files (Directory ▸ Import…) and import them in a worker."""
        names, _filter = QFileDialog.getOpenFileNames(
            self,
            "Import Directory Files",
            "",
            "Directory files (*.yaml *.yml *.csv);;All files (*)",
        )
        if names:
            self.import_files([Path(name) for name in names])

    def import_files(self, paths: Sequence[Path]) -> None:
        """Import the files into the directory in a worker."""
        directory = self.directory
        files = list(paths)

        def work(progress: Callable[[str, float], None], cancelled: Callable[[], bool]) -> object:
            return directory.import_files(files, progress)

        self._show_notice("")
        self._start("Importing…", work, self._directory_replaced)

    def start_update(self) -> None:
        """Download the latest files and replace the directory (in a worker)."""
        directory = self.directory
        urls = dict(self.urls)

        def work(progress: Callable[[str, float], None], cancelled: Callable[[], bool]) -> object:
            return update_from_internet(urls, directory, progress=progress, should_cancel=cancelled)

        self._show_notice("")
        self._start("Connecting…", work, self._directory_replaced)

    def _directory_replaced(self, info: object) -> None:
        assert isinstance(info, DirectoryInfo)
        self._show_info(info)
        self._show_notice(
            f"The directory was updated: {info.member_count} members of Congress. "
            f"{info.date_text()}."
        )
        self.directory_changed.emit()
        if self.query.text().strip():
            self.run_search()


class RecipientsDialog(QDialog):
    """The "Find my officials" window: the panel with Use Selected and Close.

    Signals:
        recipients_chosen(list): forwarded from the panel (list of Recipient).
    """

    recipients_chosen = Signal(list)

    def __init__(
        self,
        directory: Directory,
        pool: QThreadPool | None = None,
        near_zip: str = "",
        urls: Mapping[str, str] = DEFAULT_URLS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Find My Officials")
        self.panel = RecipientsPanel(directory, pool, near_zip, urls, self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel)
        layout.addWidget(buttons)
        self.panel.recipients_chosen.connect(self.recipients_chosen)
        self.panel.recipients_chosen.connect(self.accept)
        # Started from the menu, an import or update shows its progress and its result here.
        self.panel.update_action.triggered.connect(self._show_panel)
        self.panel.import_action.triggered.connect(self._show_panel)
        self.resize(720, 560)

    def showEvent(self, event: QShowEvent) -> None:
        """Open with the keyboard in the search field, its text selected to type over."""
        super().showEvent(event)
        if not event.spontaneous():
            self.panel.query.setFocus()
            self.panel.query.selectAll()

    def _show_panel(self) -> None:
        self.show()
        self.raise_()
        self.activateWindow()

    def reject(self) -> None:
        """Close; a running job is cancelled (its result is ignored)."""
        self.panel.cancel()
        super().reject()
