"""Directory ▸ Import… and Update from the Internet, for the Find My Officials panel.

Both replace the local directory in a worker (see
:mod:`composer.gui.directory_jobs`); the panel shows their progress, and
searches again once the new directory is in place.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog

from composer.core.directory import DirectoryInfo
from composer.gui.directory_jobs import import_work, update_work
from composer.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from composer.gui.recipients_panel import RecipientsPanel


class DirectoryUpdates(QObject):
    """Imports directory files or downloads the latest ones, for one panel.

    Args:
        panel: the panel that runs the jobs and shows what they did.

    Attributes:
        import_action: "Import…" (asks for the files).
        update_action: "Update from the Internet".
    """

    def __init__(self, panel: RecipientsPanel) -> None:
        super().__init__(panel)
        self.panel = panel
        self.import_action = QAction(_("&Import…"), panel)
        self.import_action.setStatusTip(
            _("Import legislators-current.yaml, legislators-district-offices.yaml and zccd.csv")
        )
        self.import_action.triggered.connect(self.choose_files_to_import)
        self.update_action = QAction(_("&Update from the Internet"), panel)
        self.update_action.setStatusTip(_("Download the latest list of members of Congress"))
        self.update_action.triggered.connect(self.start_update)

    def choose_files_to_import(self) -> None:
        """Ask for the files (Directory ▸ Import…) and import them in a worker."""
        names, _filter = QFileDialog.getOpenFileNames(
            self.panel,
            _("Import Directory Files"),
            "",
            _("Directory files (*.yaml *.yml *.csv)") + ";;" + _("All files (*)"),
        )
        if names:
            self.import_files([Path(name) for name in names])

    def import_files(self, paths: Sequence[Path]) -> None:
        """Import the files into the directory in a worker."""
        self.panel.show_notice("")
        self.panel.start_job(
            _("Importing…"),
            import_work(self.panel.directory, paths),
            self._replaced,
            N_("importing directory files"),
        )

    def start_update(self) -> None:
        """Download the latest files and replace the directory (in a worker)."""
        self.panel.show_notice("")
        self.panel.start_job(
            _("Connecting…"),
            update_work(self.panel.urls, self.panel.directory),
            self._replaced,
            N_("updating the directory"),
        )

    def _replaced(self, info: object) -> None:
        assert isinstance(info, DirectoryInfo)
        panel = self.panel
        panel.show_info(info)
        panel.show_notice(
            ngettext(
                "The directory was updated: {count} member of Congress. {date}.",
                "The directory was updated: {count} members of Congress. {date}.",
                info.member_count,
            ).format(count=info.member_count, date=info.date_text())
        )
        panel.directory_changed.emit()
        if panel.query.text().strip():
            panel.run_search()
