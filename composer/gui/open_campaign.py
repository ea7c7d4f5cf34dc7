"""File ▸ Open Campaign…: choose a pack (folder or .zip), import it in the background, use it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QStandardPaths, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from composer.core.campaigns import Campaign, CampaignError, available_campaigns, find_campaign
from composer.gui.background import run_task
from composer.i18n import N_, _, ngettext

log = logging.getLogger(__name__)

MAX_PROBLEMS_SHOWN = 8


def describe_problems(error: CampaignError) -> str:
    """The problems of a pack as a few lines a user can pass on to the organizer."""
    lines = [str(p) for p in error.problems[:MAX_PROBLEMS_SHOWN]]
    more = len(error.problems) - len(lines)
    if more > 0:
        lines.append(ngettext("…and {count} more.", "…and {count} more.", more).format(count=more))
    return "\n".join(lines)


def import_outcome(path: Path, campaigns_dir: Path, replace: bool = False) -> tuple[str, Any, str]:
    """Check a pack and copy it into the campaigns folder (run off the GUI thread).

    Returns:
        ("imported", campaign, folder), ("exists", campaign already there, the pack's
        path) or ("failed", a message for the user, details to pass on).
    """
    # Here, not at the top: the pack tools bring the template engine and the directory,
    # which the window's start does not need.
    from composer.core.packs import PackError, PackExistsError, import_pack

    try:
        campaign, folder = import_pack(path, campaigns_dir, replace=replace)
    except PackExistsError as error:
        return "exists", error.campaign, str(path)
    except PackError as error:
        return "failed", _("{name} was refused: {error}.").format(name=path.name, error=error), ""
    except CampaignError as error:
        count = len(error.problems)
        found = ngettext(
            "{name} is not a usable campaign pack: {count} problem was found.",
            "{name} is not a usable campaign pack: {count} problems were found.",
            count,
        ).format(name=path.name, count=count)
        send = _("Send the list below to whoever made the pack.")
        return "failed", f"{found} {send}", describe_problems(error)
    return "imported", campaign, str(folder)


def load_outcome(campaign_id: str, campaigns_dir: Path) -> tuple[str, Any, str]:
    """Load one known campaign by id (run off the GUI thread): ("loaded", campaign, "")
    or ("failed", message, details)."""
    try:
        campaign = find_campaign(campaign_id, campaigns_dir)
    except CampaignError as error:
        return (
            "failed",
            _("The campaign “{id}” has problems and cannot be used.").format(id=campaign_id),
            describe_problems(error),
        )
    except (LookupError, OSError) as error:
        return "failed", _("The campaign could not be opened: {error}.").format(error=error), ""
    return "loaded", campaign, ""


def list_campaigns(campaigns_dir: Path) -> list[tuple[str, str]]:
    """The usable campaigns, bundled and imported, as (id, title) (run off the GUI thread)."""
    return [(c.id, c.title) for _root, c, _problems in available_campaigns(campaigns_dir) if c]


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
        self._running = 0  # jobs that have not answered yet

    def _run(
        self,
        work: Callable[[], Any],
        done: Callable[[Any], None],
        what: str,
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        """Run `work` in the background; `done` gets its result, an error is shown (or
        given to `on_error`)."""
        self._running += 1
        self.busy.emit(True)

        def over() -> None:
            self._running -= 1
            self.busy.emit(bool(self._running))

        def finished(result: Any) -> None:
            over()
            done(result)

        def failed(message: str) -> None:
            over()
            if on_error is not None:
                on_error(message)
            else:
                self._failed(message, "")

        run_task(work, finished, failed, pool=self.pool, expected=(), what=what, owner=self)

    def _outcome(self, outcome: tuple[str, Any, str]) -> None:
        kind, value, text = outcome
        if kind == "exists":
            self._exists(value, text)
        elif kind == "failed":
            self._failed(value, text)
        else:  # "imported" or "loaded"
            self.opened.emit(value)
            if kind == "imported":
                self.refresh_list()

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
            _("Open Campaign"),
            self._start_folder(),
            _("Campaign packs ({patterns})").format(patterns="*.zip campaign.toml")
            + ";;"
            + _("All files ({patterns})").format(patterns="*"),
        )
        if path:
            chosen = Path(path)
            self.open_path(chosen.parent if chosen.name == "campaign.toml" else chosen)

    def choose_folder(self) -> None:
        """Ask for a pack folder."""
        path = QFileDialog.getExistingDirectory(
            self.parent_widget, _("Open Campaign Folder"), self._start_folder()
        )
        if path:
            self.open_path(Path(path))

    def open_path(self, path: Path, replace: bool = False) -> None:
        """Import the pack at `path` in the background; `opened` follows on success."""
        self._run(
            lambda: import_outcome(path, self.campaigns_dir, replace),
            self._outcome,
            _("opening {name}").format(name=path.name),
        )

    def open_known(self, campaign_id: str) -> None:
        """Load a bundled or imported campaign by id in the background."""
        self._run(
            lambda: load_outcome(campaign_id, self.campaigns_dir),
            self._outcome,
            _("opening the campaign {id}").format(id=campaign_id),
        )

    def refresh_list(self) -> None:
        """List the usable campaigns in the background; `campaigns_listed` follows."""
        self._run(
            lambda: list_campaigns(self.campaigns_dir),
            self._listed,
            N_("listing campaigns"),
            on_error=lambda _message: self._listed([]),  # the menu is just empty; logged
        )

    def _listed(self, found: list[tuple[str, str]]) -> None:
        self.campaigns = found
        self.campaigns_listed.emit(found)

    def _exists(self, campaign: Campaign, path: str) -> None:
        box = QMessageBox(self.parent_widget)
        box.setObjectName("campaign-replace")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(_("Replace the campaign?"))
        # The title comes from the pack: shown as text, never drawn as markup.
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(
            _(
                "The campaign “{title}” is already in Letter Composer. "
                "Replace it with the version you chose?"
            ).format(title=campaign.title)
        )
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        if box.exec() == QMessageBox.StandardButton.Yes:
            self.open_path(Path(path), replace=True)
        else:
            self.open_known(campaign.id)

    def _failed(self, text: str, details: str) -> None:
        box = QMessageBox(self.parent_widget)
        box.setObjectName("campaign-open-failed")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(_("The campaign was not opened"))
        box.setTextFormat(Qt.TextFormat.PlainText)  # names and messages come from the pack
        box.setText(text)
        if details:
            box.setDetailedText(details)
        self.failed.emit(text)
        box.exec()
