"""File ▸ Open Campaign…: choose a pack (folder or .zip), import it in the background, use it."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QStandardPaths, QThreadPool, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from composer.core.campaigns import Campaign, CampaignError, available_campaigns, find_campaign
from composer.core.packs import PackError, PackExistsError, import_pack

log = logging.getLogger(__name__)

MAX_PROBLEMS_SHOWN = 8


def describe_problems(error: CampaignError) -> str:
    """The problems of a pack as a few lines a user can pass on to the organizer."""
    lines = [str(p) for p in error.problems[:MAX_PROBLEMS_SHOWN]]
    more = len(error.problems) - len(lines)
    if more > 0:
        lines.append(f"…and {more} more.")
    return "\n".join(lines)


class _JobSignals(QObject):
    """Signals of the background jobs (a QRunnable cannot have its own)."""

    imported = Signal(object, str)  # Campaign, folder
    exists = Signal(object, str)  # Campaign, the pack path
    failed = Signal(str, str)  # short message, details
    listed = Signal(object)  # list of (id, title)
    loaded = Signal(object)  # Campaign


class ImportJob(QRunnable):
    """Checks a pack and copies it into the campaigns folder, off the GUI thread.

    Args:
        path: the pack's folder or .zip.
        campaigns_dir: where imported packs live (in the user's data folder).
        replace: whether an imported pack with the same id may be replaced.
    """

    def __init__(self, path: Path, campaigns_dir: Path, replace: bool = False) -> None:
        super().__init__()
        self.path = path
        self.campaigns_dir = campaigns_dir
        self.replace = replace
        self.signals = _JobSignals()

    def run(self) -> None:
        """Import; report through the signals only."""
        try:
            campaign, folder = import_pack(self.path, self.campaigns_dir, replace=self.replace)
        except PackExistsError as error:
            self.signals.exists.emit(error.campaign, str(self.path))
        except PackError as error:
            self.signals.failed.emit(f"{self.path.name} was refused: {error}.", "")
        except CampaignError as error:
            count = len(error.problems)
            self.signals.failed.emit(
                f"{self.path.name} is not a usable campaign pack: {count} problem(s) were found. "
                "Send the list below to whoever made the pack.",
                describe_problems(error),
            )
        except Exception as error:  # a worker must never die silently
            log.exception("importing %s failed", self.path)
            self.signals.failed.emit(
                f"{self.path.name} could not be opened: {error.__class__.__name__}: {error}.", ""
            )
        else:
            self.signals.imported.emit(campaign, str(folder))


class ListJob(QRunnable):
    """Lists the usable campaigns (bundled and imported), off the GUI thread."""

    def __init__(self, campaigns_dir: Path) -> None:
        super().__init__()
        self.campaigns_dir = campaigns_dir
        self.signals = _JobSignals()

    def run(self) -> None:
        """List; report through the signals only."""
        try:
            found = [
                (c.id, c.title)
                for _root, c, _problems in available_campaigns(self.campaigns_dir)
                if c is not None
            ]
        except Exception:
            log.exception("listing campaigns failed")
            found = []
        self.signals.listed.emit(found)


class LoadJob(QRunnable):
    """Loads one known campaign by id, off the GUI thread."""

    def __init__(self, campaign_id: str, campaigns_dir: Path) -> None:
        super().__init__()
        self.campaign_id = campaign_id
        self.campaigns_dir = campaigns_dir
        self.signals = _JobSignals()

    def run(self) -> None:
        """Load; report through the signals only."""
        try:
            campaign = find_campaign(self.campaign_id, self.campaigns_dir)
        except CampaignError as error:
            self.signals.failed.emit(
                f"The campaign '{self.campaign_id}' has problems and cannot be used.",
                describe_problems(error),
            )
        except (LookupError, OSError) as error:
            self.signals.failed.emit(f"The campaign could not be opened: {error}.", "")
        else:
            self.signals.loaded.emit(campaign)


class CampaignOpener(QObject):
    """Opens campaign packs for a window: dialogs here, file work in background jobs.

    Args:
        parent: the window that owns the dialogs.
        campaigns_dir: where imported packs live.
        pool: the thread pool for the jobs.

    Signals:
        opened(object): a :class:`Campaign` ready to use.
        failed(str): a pack was refused or broken (the user has been told).
        campaigns_listed(object): ``[(id, title), …]`` of every usable campaign.
        busy(bool): a job started or ended.
    """

    opened = Signal(object)
    failed = Signal(str)
    campaigns_listed = Signal(object)
    busy = Signal(bool)

    def __init__(self, parent: QWidget, campaigns_dir: Path, pool: QThreadPool) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.campaigns_dir = campaigns_dir
        self.pool = pool
        self.campaigns: list[tuple[str, str]] = []
        self._jobs: dict[QObject, QRunnable] = {}

    def _start(self, job: ImportJob | ListJob | LoadJob) -> None:
        job.setAutoDelete(False)  # kept until its signals arrive
        self._jobs[job.signals] = job
        self.busy.emit(True)
        self.pool.start(job)

    def _finish(self) -> None:
        """Forget the job whose signal is being handled (slots run on the GUI thread)."""
        self._jobs.pop(self.sender(), None)
        self.busy.emit(bool(self._jobs))

    def _start_folder(self) -> str:
        """Downloads, where packs usually arrive; the home folder when there is none."""
        downloads = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DownloadLocation
        )
        return downloads if downloads and Path(downloads).is_dir() else str(Path.home())

    def choose_pack(self) -> None:
        """Ask for a pack: a .zip, or the campaign.toml inside a pack folder."""
        path, _filter = QFileDialog.getOpenFileName(
            self.parent_widget,
            "Open Campaign",
            self._start_folder(),
            "Campaign packs (*.zip campaign.toml);;All files (*)",
        )
        if path:
            chosen = Path(path)
            self.open_path(chosen.parent if chosen.name == "campaign.toml" else chosen)

    def choose_folder(self) -> None:
        """Ask for a pack folder."""
        path = QFileDialog.getExistingDirectory(
            self.parent_widget, "Open Campaign Folder", self._start_folder()
        )
        if path:
            self.open_path(Path(path))

    def open_path(self, path: Path, replace: bool = False) -> None:
        """Import the pack at `path` in the background; `opened` follows on success."""
        job = ImportJob(path, self.campaigns_dir, replace)
        job.signals.imported.connect(self._imported)
        job.signals.exists.connect(self._exists)
        job.signals.failed.connect(self._failed)
        self._start(job)

    def open_known(self, campaign_id: str) -> None:
        """Load a bundled or imported campaign by id in the background."""
        job = LoadJob(campaign_id, self.campaigns_dir)
        job.signals.loaded.connect(self._loaded)
        job.signals.failed.connect(self._failed)
        self._start(job)

    def refresh_list(self) -> None:
        """List the usable campaigns in the background; `campaigns_listed` follows."""
        job = ListJob(self.campaigns_dir)
        job.signals.listed.connect(self._listed)
        self._start(job)

    def _imported(self, campaign: Campaign, _folder: str) -> None:
        self._finish()
        self.opened.emit(campaign)
        self.refresh_list()

    def _loaded(self, campaign: Campaign) -> None:
        self._finish()
        self.opened.emit(campaign)

    def _listed(self, found: list[tuple[str, str]]) -> None:
        self._finish()
        self.campaigns = found
        self.campaigns_listed.emit(found)

    def _exists(self, campaign: Campaign, path: str) -> None:
        self._finish()
        answer = QMessageBox.question(
            self.parent_widget,
            "Replace the campaign?",
            f"The campaign “{campaign.title}” is already in Letter Composer. "
            "Replace it with the version you chose?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.open_path(Path(path), replace=True)
        else:
            self.open_known(campaign.id)

    def _failed(self, text: str, details: str) -> None:
        self._finish()
        box = QMessageBox(self.parent_widget)
        box.setObjectName("campaign-open-failed")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("The campaign was not opened")
        box.setText(text)
        if details:
            box.setDetailedText(details)
        self.failed.emit(text)
        box.exec()
