"""What the window says about keeping the letter: the bars above it and the save state.

:class:`LetterNotices` tells the user, in a bar above the letter, about
storage trouble found at start-up (a damaged database moved aside, a folder
that cannot be written) or met while saving (a full disk), and offers to save
the letter elsewhere; a label in the status bar says whether the letter is
saved. It belongs to the window's :class:`~composer.gui.letter_keeper.LetterKeeper`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QBoxLayout, QLabel

from composer.core.drafts import DraftError
from composer.core.storage import StorageReport
from composer.gui.notice_bar import NoticeBar
from composer.i18n import _

if TYPE_CHECKING:
    from composer.gui.letter_keeper import LetterKeeper


class LetterNotices(QObject):
    """The bars above the letter ("recovery", "storage", "autosave") and the save state.

    Args:
        keeper: the window's letter keeper (its autosaver, files and window).
    """

    def __init__(self, keeper: LetterKeeper) -> None:
        super().__init__(keeper)
        self.keeper = keeper
        self._bars: dict[str, NoticeBar] = {}
        self.state_label = QLabel()
        self.state_label.setAccessibleDescription(_("Save state"))  # its text is its name
        keeper.window.statusBar().addPermanentWidget(self.state_label)
        keeper.autosaver.saved.connect(self.saved)
        keeper.autosaver.failed.connect(self.save_failed)
        keeper.autosaver.recovered.connect(self.save_recovered)

    def show_storage_report(self, report: StorageReport) -> None:
        """Tell the user what the start-up check found; stop autosaving if it cannot work."""
        if not report.problems:
            return
        if not report.drafts_usable:
            self.keeper.autosaver.store = None
            self.keeper.store = None
        text = "\n\n".join(problem.message for problem in report.problems)
        bar = self.show_bar("storage", text, warning=True)
        if not report.drafts_usable:
            bar.add_button(_("Save &As…"), self.keeper.files.save_as)
        self.update_state()

    def save_failed(self, message: str, disk_full: bool) -> None:
        text = _(
            "Your letter could not be saved automatically. {problem} "
            "The text is still here in the window."
        ).format(problem=message)
        bar = self._bars.get("autosave")
        if bar is not None:
            bar.label.setText(text)
        else:
            bar = self.show_bar("autosave", text, warning=True)
            bar.add_button(_("Save &As…"), self.keeper.files.save_as)
            bar.add_button(_("&Try Again"), self._try_again)
        self.update_state()

    def _try_again(self) -> None:
        try:
            self.keeper.autosaver.save_now()
        except DraftError:
            return

    def save_recovered(self) -> None:
        self.hide_bar("autosave")
        self.keeper.window.statusBar().showMessage(_("The letter is saved again."), 6000)
        self.update_state()

    def saved(self, _draft_id: str) -> None:
        self.update_state()

    def update_state(self) -> None:
        if self.keeper.autosaver.store is None:
            text = _("Not saved automatically")
        elif self.keeper.autosaver.failing:
            text = _("Not saved")
        elif self.keeper.autosaver.draft_id is None:
            text = ""
        else:
            text = _("Saved in Drafts")
        self.state_label.setText(text)

    def show_bar(self, key: str, text: str, warning: bool) -> NoticeBar:
        self.hide_bar(key)
        bar = NoticeBar(text, warning)
        host = self.keeper.window.editor.parentWidget()
        layout = host.layout() if host is not None else None
        if isinstance(layout, QBoxLayout):
            layout.insertWidget(0, bar)
        self._bars[key] = bar
        bar.dismissed.connect(lambda k=key, b=bar: self._bars.get(k) is b and self._bars.pop(k))
        bar.show()
        return bar

    def hide_bar(self, key: str) -> None:
        bar = self._bars.pop(key, None)
        if bar is not None:
            bar.hide()
            bar.deleteLater()

    def notice(self, key: str) -> NoticeBar | None:
        """The bar shown for "recovery", "storage" or "autosave", if any."""
        return self._bars.get(key)
