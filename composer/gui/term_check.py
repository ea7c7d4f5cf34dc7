"""Before a letter leaves the window: warn about recipients whose term is over or ending."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QMessageBox, QWidget

from composer.core.locations import Locations
from composer.core.models import Recipient


def confirm_terms(
    parent: QWidget, locations: Locations, recipients: Sequence[Recipient], verb: str
) -> bool:
    """Ask before printing or sending to members whose term is over; True to go on.

    The check reads a few rows of the local directory (milliseconds). By
    e-mail ("Send") a letter arrives at once; on paper it is allowed the days
    the post takes (see :meth:`composer.core.directory.Directory.term_warnings`).

    Args:
        parent: the window; its ``find_officials()`` is offered to update the directory.
        locations: where the user's directory is.
        recipients: the letter's recipients.
        verb: what is about to happen, capitalised ("Print", "Export", "Send").
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
    box = QMessageBox(parent)
    box.setObjectName("term-warning")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Check the recipients")
    box.setText(warnings[0])
    box.setInformativeText("\n\n".join(warnings[1:]))
    update = box.addButton("Find Officials Again", QMessageBox.ButtonRole.RejectRole)
    anyway = box.addButton(f"{verb} anyway", QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(update)
    box.setEscapeButton(update)
    box.exec()
    if box.clickedButton() is anyway:
        return True
    find = getattr(parent, "find_officials", None)
    if callable(find):
        find()
    return False
