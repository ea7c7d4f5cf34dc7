"""What the user is told about sending: the sentences of the send controller's news.

Kept apart from :mod:`composer.gui.send_worker` so the words can be read (and
translated) in one place; the controller decides when each is said.
"""

from __future__ import annotations

import datetime as dt

from composer.core.sending import FlushReport
from composer.core.transport import Disposition
from composer.i18n import _, ngettext


def recovered_text(count: int) -> str:
    """Letters a crash left "sending" go out again."""
    return ngettext(
        "{count} letter was being sent when the program last stopped; sending it "
        "again, which may deliver it twice.",
        "{count} letters were being sent when the program last stopped; sending them "
        "again, which may deliver a letter twice.",
        count,
    ).format(count=count)


def queued_text(count: int, sending: bool) -> str:
    """Letters were put in the outbox (and are being sent when `sending`)."""
    if sending:
        text = ngettext(
            "{count} letter in the outbox, sending…",
            "{count} letters in the outbox, sending…",
            count,
        )
    else:
        text = ngettext("{count} letter in the outbox.", "{count} letters in the outbox.", count)
    return text.format(count=count)


def cancelled_text(count: int) -> str:
    """Letters were taken out of the outbox unsent."""
    return ngettext(
        "Cancelled {count} letter; not sent.", "Cancelled {count} letters; not sent.", count
    ).format(count=count)


def held_for_settings(report: FlushReport) -> bool:
    """Whether sending waits until the user fixes the account's settings."""
    failure = report.connection_failure
    return failure is not None and failure.disposition is Disposition.FIX_SETTINGS


def report_text(report: FlushReport, next_due_at: float | None) -> tuple[str, bool]:
    """The summary of a flush, with the time of the next try, and whether it is good news."""
    text = report.summary()
    good = not report.failed and not report.queued and not report.refused_waiting
    if report.queued and next_due_at is not None and not held_for_settings(report):
        clock = dt.datetime.fromtimestamp(next_due_at).strftime("%H:%M")
        next_try = _("Next try at {time}.").format(time=clock)
        text = f"{text} {next_try}"
    return text, good
