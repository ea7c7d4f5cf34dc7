"""The status bar's outbox count, shown before the e-mail side is started.

:class:`OutboxStatus` is the label; :func:`look_in_outbox` reads the counts in
the background at start-up and tells the window whether letters wait, so that
the sending side (``composer.gui.mail_center``) starts only when there is
something to send or the user asks for e-mail.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QThreadPool
from PySide6.QtWidgets import QLabel, QWidget

from composer.core.outbox_counts import WaitingLetters, waiting_letters
from composer.core.storage import DatabaseUnavailable
from composer.gui.background import run_task
from composer.i18n import N_, _

log = logging.getLogger(__name__)


class OutboxStatus(QLabel):
    """ "Outbox: 2 waiting, 1 refused" in the status bar (red while letters are refused)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(_("Outbox"))
        self.setToolTip(_("Letters waiting to be sent (View ▸ Outbox)"))

    def show_counts(self, pending: int, failed: int) -> None:
        """Show how many letters wait and how many the server refused."""
        if pending and failed:
            text = _("Outbox: {pending} waiting, {failed} refused").format(
                pending=pending, failed=failed
            )
        elif pending:
            text = _("Outbox: {pending} waiting").format(pending=pending)
        elif failed:
            text = _("Outbox: {failed} refused").format(failed=failed)
        else:
            text = _("Outbox: empty")
        self.setText(text)
        self.setStyleSheet("color: #b00020;" if failed else "")


def look_in_outbox(
    path: Path,
    answer: Callable[[WaitingLetters | None], None],
    *,
    pool: QThreadPool,
    owner: QObject,
) -> None:
    """Count the outbox's letters in the background and call `answer` with them.

    `answer` gets None when the database cannot be read (the reason is logged;
    the outbox itself reports it in its own words once it is opened).
    """

    def unreadable(message: str) -> None:
        log.warning("outbox not counted: %s", message)
        answer(None)

    run_task(
        lambda: waiting_letters(path),
        answer,
        unreadable,
        pool=pool,
        expected=(DatabaseUnavailable,),
        what=N_("counting the letters in the outbox"),
        owner=owner,
    )
