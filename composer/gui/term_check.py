"""Before a letter leaves the window: warn about recipients whose term is over or ending."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import QMainWindow, QMessageBox, QPushButton, QWidget

from composer.core.locations import Locations
from composer.core.models import Recipient
from composer.gui.questions import go_on_anyway


def confirm_terms(
    parent: QWidget,
    locations: Locations,
    recipients: Sequence[Recipient],
    verb: str,
    find_officials: Callable[[], None] | None = None,
) -> bool:
    """Ask before printing or sending to members whose term is over; True to go on.

    The check reads a few rows of the local directory (milliseconds). By
    e-mail ("Send") a letter arrives at once; on paper it is allowed the days
    the post takes (see :meth:`composer.core.directory.Directory.term_warnings`).

    Args:
        parent: the window the question belongs to.
        locations: where the user's directory is.
        recipients: the letter's recipients.
        verb: what is about to happen, capitalised ("Print", "Export", "Send").
        find_officials: opens Find My Officials, offered to choose again or update.
    """
    if not any(recipient.id for recipient in recipients):
        return True
    from composer.core.directory import Directory, DirectoryError

    try:
        warnings = Directory.for_locations(locations).term_warnings(
            recipients, by_post=verb != "Send"
        )
    except DirectoryError:
        return True
    if not warnings:
        return True
    if go_on_anyway(
        parent,
        name="term-warning",
        icon=QMessageBox.Icon.Warning,
        title="Check the recipients",
        text=warnings[0],
        details="\n\n".join(warnings[1:]),
        back="Find Officials Again",
        verb=verb,
    ):
        return True
    if find_officials is not None:
        find_officials()
    return False


class _NoticeSignals(QObject):
    """checked(label, text): the directory was looked at; both "" when no update is due."""

    checked = Signal(str, str)


class _NoticeJob(QRunnable):
    """Reads the directory's date off the GUI thread (the bundled copy takes ~50 ms)."""

    def __init__(self, locations: Locations, signals: _NoticeSignals) -> None:
        super().__init__()
        self.locations = locations
        self.signals = signals

    def run(self) -> None:
        from composer.core.directory import (
            Directory,
            DirectoryError,
            changeover_warning,
            long_date,
            new_congress_warning,
            next_congress_start,
        )

        directory = Directory.for_locations(self.locations)
        try:
            info = directory.info()
        except DirectoryError:
            self.signals.checked.emit("", "")
            return
        today = directory.today()
        text = changeover_warning(info.data_date, today)
        if text:
            label = f"Directory: update after {long_date(next_congress_start(today))}"
        else:
            text = new_congress_warning(info.data_date, today)
            label = "Directory: a new Congress has begun — update it" if text else ""
        self.signals.checked.emit(label, text)


def show_directory_notice(
    window: QMainWindow,
    locations: Locations,
    pool: QThreadPool,
    done: Callable[[str, str], None] | None = None,
    find_officials: Callable[[], None] | None = None,
) -> QObject:
    """When the directory is due for an update (a new Congress), say so in the status bar.

    Between the election and January 3 the notice says to update after that
    day; once a new Congress has begun, to update now. The button opens Find My
    Officials (`find_officials`), which has "Update from the internet". `done(label, text)` is
    called when the check is over (both "" when no update is due).
    """
    signals = _NoticeSignals(window)

    def show(label: str, text: str) -> None:
        if not text:
            return
        button = QPushButton(label, window)
        button.setObjectName("directory-notice")
        button.setFlat(True)
        button.setToolTip(text)
        button.setAccessibleName("Directory update needed")
        button.setAccessibleDescription(text)
        if find_officials is not None:
            button.clicked.connect(find_officials)
        window.statusBar().addPermanentWidget(button)

    signals.checked.connect(show)
    if done is not None:
        signals.checked.connect(done)
    pool.start(_NoticeJob(locations, signals))
    return signals
