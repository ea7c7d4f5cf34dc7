"""Before a letter leaves the window: warn about recipients whose term is over or ending."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Sequence

import shiboken6
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QMainWindow, QMessageBox, QPushButton, QWidget

from composer.core.locations import Locations
from composer.core.models import Recipient
from composer.gui.background import Task, run_task
from composer.gui.questions import go_on_anyway
from composer.i18n import N_, _

log = logging.getLogger(__name__)


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
        title=_("Check the recipients"),
        text=warnings[0],
        details="\n\n".join(warnings[1:]),
        back=_("Find Officials Again"),
        verb=verb,
    ):
        return True
    if find_officials is not None:
        find_officials()
    return False


def _directory_notice(locations: Locations) -> tuple[str, str]:
    """(the update date to name, the warning) when the directory is due for an update,
    else ("", ""); reads only the directory's date (one row of the user's file, or the
    small description beside the bundled copy, which stays compressed), in a worker,
    without loading the directory itself. The date is "" once a new Congress has begun:
    update now."""
    from composer.core import congress

    try:
        data_date = congress.directory_date(locations.directory_dir)
    except congress.DateUnknown:  # the directory itself reads it, or reports the damage
        from composer.core.directory import Directory, DirectoryError

        try:
            data_date = Directory.for_locations(locations).data_date()
        except DirectoryError:
            return "", ""
    today = congress.current_date()
    text = congress.changeover_warning(data_date, today)
    if text:
        return congress.long_date(congress.next_congress_start(today)), text
    return "", congress.new_congress_warning(data_date, today)


def show_directory_notice(
    window: QMainWindow,
    locations: Locations,
    pool: QThreadPool,
    done: Callable[[str, str], None] | None = None,
    find_officials: Callable[[], None] | None = None,
) -> Task:
    """When the directory is due for an update (a new Congress), say so in the status bar.

    Between the election and January 3 the notice says to update after that
    day; once a new Congress has begun, to update now. The button opens Find My
    Officials (`find_officials`), which has "Update from the internet". `done(label, text)` is
    called when the check is over (both "" when no update is due).
    """

    def show(found: tuple[str, str]) -> None:
        after, text = found
        if not shiboken6.isValid(window):
            return  # closed while the directory was read
        if text:
            label = (
                _("Directory: update after {date}").format(date=after)
                if after
                else _("Directory: a new Congress has begun — update it")
            )
            button = QPushButton(label, window)
            button.setObjectName("directory-notice")
            button.setFlat(True)
            button.setToolTip(text)
            button.setAccessibleName(_("Directory update needed"))
            button.setAccessibleDescription(text)
            if find_officials is not None:
                button.clicked.connect(find_officials)
            window.statusBar().addPermanentWidget(button)
        else:
            label = ""
        if done is not None:
            done(label, text)

    def failed(message: str) -> None:  # the notice is a courtesy: the window goes on without
        log.warning("the directory's date could not be checked: %s", message)
        if done is not None:
            done("", "")

    return run_task(
        functools.partial(_directory_notice, locations),
        show,
        failed,
        pool=pool,
        what=N_("checking the directory's date"),
    )
