"""Find my officials: search the directory, tick recipients, choose how each is reached.

The panel only shows and collects; every search, import and download runs in
a worker on the thread pool and reports back through signals.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from PySide6.QtCore import Qt, QThreadPool, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QStyle,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from composer.core.directory import (
    DEFAULT_URLS,
    Channel,
    Directory,
    DirectoryError,
    DirectoryInfo,
    FindResult,
    Official,
    normalize_zip,
)
from composer.gui.a11y import announce, name_clear_button
from composer.gui.directory_jobs import DirectoryJobs, Work, search_work
from composer.gui.directory_updates import DirectoryUpdates
from composer.gui.officials_list import (
    OfficialsList,
    RecipientChoice,
    open_contact_form,
    why_these,
)
from composer.i18n import N_, _, ngettext

__all__ = ["RecipientChoice", "RecipientsPanel", "open_contact_form"]


def search_mode_names() -> dict[str, str]:
    """The search modes as the mode box shows them."""
    return {"zip": _("ZIP code"), "state": _("State"), "name": _("Name")}


def search_placeholders() -> dict[str, str]:
    """What the search field suggests typing, by search mode."""
    return {
        "zip": _("Your ZIP code, e.g. 98105"),
        "state": _("State or territory, e.g. WA or Washington"),
        "name": _("Part of a name, e.g. Murray"),
    }


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
        self.officials = OfficialsList(self)
        self.near_zip = normalize_zip(near_zip, strict=False)
        # The writer's own ZIP code: only the members who represent it are ticked for them.
        self.home_zip = self.near_zip
        self.jobs = DirectoryJobs(self.pool, self)
        self.jobs.progress.connect(self._job_progress)
        self.jobs.ended.connect(lambda: self._set_busy(""))
        self.jobs.failed.connect(self._job_failed)
        self._on_job_failed: Callable[[], None] | None = None

        self.updates = DirectoryUpdates(self)  # Import… and Update from the Internet
        self.import_action = self.updates.import_action
        self.update_action = self.updates.update_action

        self._build()
        self.refresh_info()
        self._show_result(FindResult(), keep_reason=False)

    # --- construction ---------------------------------------------------------------------

    def _build(self) -> None:
        self.mode = QComboBox()
        self.mode.setAccessibleName(_("Search by"))
        self.mode.setAccessibleDescription(_("Search by ZIP code, by state or by name"))
        for key, label in search_mode_names().items():
            self.mode.addItem(label, key)
        self.query = QLineEdit(self.near_zip)
        self.query.setAccessibleName(_("Search for"))
        self.query.setAccessibleDescription(
            _("A ZIP code, a state or part of a name; Enter searches")
        )
        self.query.setClearButtonEnabled(True)
        name_clear_button(self.query)
        self.find_button = QPushButton(_("&Find"))
        # Enter searches in the search field (returnPressed) and uses the ticked officials
        # in the results: never a new search that would drop the ticks and offices chosen.
        self.find_button.setAutoDefault(False)

        self.date_label = QLabel()
        self.date_label.setAccessibleDescription(_("Directory data date"))
        update_button = QPushButton(_("Update from the internet"))
        update_button.clicked.connect(self.update_action.trigger)
        import_button = QPushButton(_("Import…"))
        import_button.clicked.connect(self.import_action.trigger)
        self._action_buttons = (update_button, import_button)

        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        self.stale_icon = QLabel()
        self.stale_icon.setPixmap(icon.pixmap(20, 20))
        self.stale_label = QLabel()
        self.stale_label.setWordWrap(True)
        self.stale_label.setAccessibleDescription(_("Directory warnings"))
        self.reason_label = QLabel()
        self.reason_label.setWordWrap(True)
        self.reason_label.setAccessibleDescription(_("Why these results"))

        self.results = self.officials.results
        self.channel_label = self.officials.channel_label
        self.channel_box = self.officials.channel_box
        self.note_label = self.officials.note_label
        self.officials.activated.connect(self._enter_in_results)

        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress_text = QLabel()
        self.cancel_button = QPushButton(_("Cancel"))
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setAccessibleDescription(_("Problem"))
        self.notice_label = QLabel()
        self.notice_label.setWordWrap(True)
        self.notice_label.setAccessibleDescription(_("Directory news"))
        self.use_button = QPushButton(_("&Use Selected"))

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

    def _enter_in_results(self) -> None:
        """Enter in the results uses the ticked officials, as Use Selected does."""
        if self.use_button.isEnabled():
            self.use_selected()

    def _mode_changed(self) -> None:
        self.query.setPlaceholderText(search_placeholders()[self.mode.currentData()])

    # --- state shown ----------------------------------------------------------------------

    def refresh_info(self) -> None:
        """Show the directory's date and its staleness warnings."""
        try:
            info = self.directory.info()
        except DirectoryError as error:
            info = DirectoryInfo()
            self._show_error(str(error))
        self.show_info(info)

    def show_info(self, info: DirectoryInfo) -> None:
        """Show a directory's date and its staleness warnings."""
        self.date_label.setText(info.date_text())
        warnings = info.warnings(self.directory.today())
        self.stale_label.setText("\n".join(warnings))
        self.stale_box.setVisible(bool(warnings))

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))
        announce(self.error_label, message, assertive=True)

    def show_notice(self, message: str) -> None:
        """Say what a job did (e.g. the directory was updated); "" hides the notice."""
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
        return self.jobs.busy

    @property
    def _job(self) -> object | None:
        """The job running now, if any."""
        return self.jobs.current

    @property
    def near_zip(self) -> str:
        """The ZIP code whose nearest offices are offered first."""
        return self.officials.near_zip

    @near_zip.setter
    def near_zip(self, zip_code: str) -> None:
        self.officials.near_zip = zip_code

    # --- jobs -----------------------------------------------------------------------------

    def start_job(
        self,
        text: str,
        work: Work,
        done: Callable[[object], None],
        what: str,
        on_failed: Callable[[], None] | None = None,
    ) -> None:
        """Run a directory job unless one is running; the panel shows it is busy.

        Args:
            text: what the progress line says ("Searching…").
            work: the job's work (see :mod:`composer.gui.directory_jobs`).
            done: called with its result.
            what: what it does, for the log and an unexpected error's message.
            on_failed: called first when it fails.
        """
        if self.jobs.busy:
            return
        self._on_job_failed = on_failed
        self.jobs.start(work, done, what)
        self._show_error("")
        self._set_busy(text)

    def _job_progress(self, text: str, share: float) -> None:
        self.progress_text.setText(text)
        self.progress.setValue(round(share * 100))

    def _job_failed(self, message: str) -> None:
        if self._on_job_failed is not None:
            self._on_job_failed()
        self._show_error(message)
        self.failed.emit(message)

    def cancel(self) -> None:
        """Stop the running job; the panel is free at once, the worker stops on its own."""
        if not self.jobs.cancel():
            return
        self._set_busy("")
        self._show_error(_("Cancelled; the directory was not changed."))

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

        # A search that fails leaves no results of an earlier one on screen to be sent.
        self.start_job(
            _("Searching…"),
            search_work(directory, mode, text, home),
            self._search_done,
            N_("searching the directory"),
            self._clear_results,
        )

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
        self.officials.show_result(result, own)
        text = why_these(result, own) if keep_reason else ""
        self.reason_label.setText(text)
        self.reason_label.setVisible(bool(text))
        warnings = list(result.warnings)
        if warnings:
            self.stale_label.setText("\n".join(warnings))
            self.stale_box.setVisible(True)
        if keep_reason:  # a search's answer, read out to those who cannot see the list
            found = len(result.officials) + len(result.candidates)
            ticked = self.officials.ticked_count()
            head = ngettext(
                "{found} official found, {ticked} ticked.",
                "{found} officials found, {ticked} ticked.",
                found,
            ).format(found=found, ticked=ticked)
            announce(self.results, f"{head} {text}".strip())
        self.results_shown.emit()

    # --- reading the choice ---------------------------------------------------------------

    def rows(self) -> list[tuple[QTreeWidgetItem, Official, Channel | None]]:
        """The result rows: item, official and the channel chosen (for tests and wiring)."""
        return self.officials.rows()

    def set_checked(self, official_id: str, checked: bool = True) -> None:
        """Tick or untick an official in the results."""
        self.officials.set_checked(official_id, checked)

    def set_channel(self, official_id: str, channel_id: str) -> None:
        """Choose how an official is reached ("post:washington", "web", …)."""
        self.officials.set_channel(official_id, channel_id)

    def choices(self) -> list[RecipientChoice]:
        """The ticked officials, each with the channel chosen for them."""
        return self.officials.choices()

    def use_selected(self) -> None:
        """Hand the ticked recipients on (emits the two choice signals)."""
        chosen = self.choices()
        if not chosen:
            self._show_error(_("Tick at least one official to write to."))
            return
        self._show_error("")
        self.choices_made.emit(chosen)
        self.recipients_chosen.emit([choice.recipient for choice in chosen])

    # --- import and update (composer.gui.directory_updates) --------------------------------

    def import_files(self, paths: Sequence[Path]) -> None:
        """Import the files into the directory in a worker."""
        self.updates.import_files(paths)

    def start_update(self) -> None:
        """Download the latest files and replace the directory (in a worker)."""
        self.updates.start_update()
