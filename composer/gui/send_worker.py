"""Sending in the background: the controller the window talks to.

:class:`SendController` queues letters, starts flushes on the sending thread
(a :class:`composer.gui.flush_worker.FlushWorker` in its own ``QThread``),
retries with back-off and when the network comes back
(:class:`composer.gui.network_watch.NetworkWatch`), keeps the outbox lists and
counts up to date, and announces every result in plain words. Its short disk
jobs run through :func:`composer.gui.background.run_task`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QThread, QThreadPool, QTimer, Signal, Slot

from composer.core.accounts import Account
from composer.core.credentials import PasswordSource
from composer.core.mail import OutgoingMessage
from composer.core.outbox import Outbox, OutboxEntry, SentEntry
from composer.core.sending import MessageResult, RetryPolicy
from composer.core.transport import DEFAULT_TIMEOUT, FailureKind
from composer.gui.background import run_task
from composer.gui.flush_worker import MAIL_ERRORS, FlushOutcome, FlushWorker, SessionFactory
from composer.gui.network_watch import NetworkWatch
from composer.gui.send_news import (
    cancelled_text,
    held_for_settings,
    queued_text,
    recovered_text,
    report_text,
)
from composer.i18n import N_, _

log = logging.getLogger(__name__)


class SendController(QObject):
    """Queues letters and gets them out, retrying until the server takes them.

    Args:
        outbox: the outbox (shared; each thread uses its own connection).
        load_account: returns the saved account, or None (called on worker threads).
        passwords: where passwords come from (keyring, then this session's memory).
        pool: the thread pool for short disk and keyring jobs.
        timeout: seconds to wait for each network step.
        retry: the back-off for temporary failures.
        session_factory: builds SMTP sessions (tests hand in their own).
        watch_network: follow the system's network state (``QNetworkInformation``)
            and send as soon as it is back online.
        probe_interval: seconds between cheap "is the server reachable again?"
            probes when no network information is available.
        parent: the Qt parent.

    Signals:
        busy_changed(bool): a flush started (True) or ended (False).
        progress(int, int, str): letters done, batch size, what just happened.
        announcement(str, bool): a sentence for the status bar or a
            notification, and whether it is good news.
        counts_changed(int, int): letters still to go, letters refused.
        lists_changed(object, object): the outbox entries and the sent history (lists).
        password_needed(str, str): the account's keyring key, and why no stored
            password was found; answer with :meth:`provide_password`.
        account_needed(str): no usable account is set up (the reason).
        interrupted(int): letters left "sending" by a crash were queued again.
        failed(str): an action could not be done (plain words).
    """

    busy_changed = Signal(bool)
    progress = Signal(int, int, str)
    announcement = Signal(str, bool)
    counts_changed = Signal(int, int)
    lists_changed = Signal(object, object)
    password_needed = Signal(str, str)
    account_needed = Signal(str)
    interrupted = Signal(int)
    failed = Signal(str)

    _flush_requested = Signal(object)

    def __init__(
        self,
        outbox: Outbox,
        load_account: Callable[[], Account | None],
        passwords: PasswordSource,
        *,
        pool: QThreadPool | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        session_factory: SessionFactory | None = None,
        watch_network: bool = True,
        probe_interval: float = 60.0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.outbox = outbox
        self._load_account = load_account
        self.passwords = passwords
        self.pool = pool or QThreadPool.globalInstance()
        self._busy = False
        self._again: list[int] | bool | None = False
        self._held = False
        self._last_failure_kind: FailureKind | None = None
        self._stopping = False
        self._refresh_asked = 0
        self._refresh_shown = 0

        self._thread = QThread(self)
        self._thread.setObjectName("composer-send")
        self.worker = FlushWorker(
            outbox,
            load_account,
            passwords,
            timeout=timeout,
            retry=retry,
            session_factory=session_factory,
        )
        self.worker.moveToThread(self._thread)
        # Deleted on its own thread as that thread ends (never from the GUI thread).
        self._thread.finished.connect(self.worker.deleteLater)
        self._flush_requested.connect(self.worker.flush)
        self.worker.progress.connect(self._on_progress)
        self.worker.finished.connect(self._on_finished)
        self.worker.failed.connect(self._on_worker_failed)
        self._thread.start()

        self._retry_timer = QTimer(self)
        self._retry_timer.setSingleShot(True)
        self._retry_timer.timeout.connect(self._retry_due)
        self._watch = NetworkWatch(
            load_account,
            self.pool,
            watch_network=watch_network,
            probe_interval=probe_interval,
            busy=lambda: self._busy,
            parent=self,
        )
        self._watch.back.connect(self.network_back)
        # The system's network information, or None when the server is probed instead.
        self.network: Any = self._watch.information

    # -- set-up and shutdown ---------------------------------------------------

    def start(self) -> None:
        """Recover letters a crash left "sending", load the lists, and send what is due."""

        def recover() -> int:
            return self.outbox.recover()

        self._run(recover, self._on_recovered, self._report_failure, N_("recovering the outbox"))

    def _on_recovered(self, count: int) -> None:
        if count:
            self.interrupted.emit(count)
            self.announcement.emit(recovered_text(count), False)
        self.refresh()
        self.send_due()

    def shutdown(self, wait_ms: int = 5000) -> None:
        """Stop timers, break off a running flush and stop the worker thread (once)."""
        if self._stopping:
            return
        self._stopping = True
        self._retry_timer.stop()
        self._watch.stop()
        self.worker.stop()
        self._thread.quit()
        if not self._thread.wait(wait_ms):
            log.warning("the sending thread did not stop in %d ms", wait_ms)

    @property
    def busy(self) -> bool:
        """Whether a flush is running."""
        return self._busy

    # -- actions -----------------------------------------------------------------

    def queue(
        self,
        messages: Sequence[OutgoingMessage],
        *,
        campaign_id: str = "",
        source: str = "",
        send: bool = True,
    ) -> None:
        """Store finished messages in the outbox, then (by default) send them."""

        def store() -> list[int]:
            return [
                self.outbox.enqueue(message, campaign_id=campaign_id, source=source)
                for message in messages
            ]

        def stored(ids: list[int]) -> None:
            self.announcement.emit(queued_text(len(ids), send), True)
            self.refresh()
            if send:
                self.send_now(ids)

        self._run(store, stored, self._report_failure, N_("putting letters in the outbox"))

    def send_due(self) -> None:
        """Send the letters whose time has come (the automatic path)."""
        self._start_flush(None)

    def send_now(self, entry_ids: Sequence[int] | None = None) -> None:
        """Send now: the given letters, or every queued one, ignoring back-off delays."""
        self._held = False
        if entry_ids is None:

            def all_now() -> int:
                return self.outbox.retry_now()

            self._run(
                all_now,
                lambda _: self._start_flush(None),
                self._report_failure,
                N_("making the outbox's letters due now"),
            )
        else:
            self._start_flush(list(entry_ids))

    def retry_now(self, entry_ids: Sequence[int]) -> None:
        """Make the given (queued or failed) letters due now and send them."""
        ids = list(entry_ids)
        self._held = False

        def due() -> int:
            return self.outbox.retry_now(ids)

        self._run(
            due,
            lambda _: self._start_flush(ids),
            self._report_failure,
            N_("making the letters due now"),
        )

    def cancel(self, entry_ids: Sequence[int]) -> None:
        """Remove letters from the outbox (they will not be sent)."""
        ids = list(entry_ids)

        def remove() -> int:
            for entry_id in ids:
                self.outbox.cancel(entry_id)
            return len(ids)

        def removed(count: int) -> None:
            self.announcement.emit(cancelled_text(count), True)
            self.refresh()

        self._run(remove, removed, self._failed_then_refresh, N_("cancelling letters"))

    def replace(self, entry_id: int, message: OutgoingMessage, *, send: bool = True) -> None:
        """Put the edited version of a queued or refused letter in its place."""

        def swap() -> int:
            self.outbox.replace(entry_id, message)
            return entry_id

        def swapped(_: int) -> None:
            self.refresh()
            if send:
                self.send_now([entry_id])

        self._run(swap, swapped, self._failed_then_refresh, N_("replacing the letter"))

    def export_eml(
        self,
        path: Path,
        *,
        entry_id: int | None = None,
        sent_id: int | None = None,
        on_done: Callable[[Path], None] | None = None,
    ) -> None:
        """Write a waiting (`entry_id`) or sent (`sent_id`) letter to an .eml file."""

        def write() -> Path:
            self.outbox.export_eml(path, entry_id=entry_id, sent_id=sent_id)
            return path

        def written(target: Path) -> None:
            self.announcement.emit(_("Saved the letter as {path}.").format(path=target), True)
            if on_done is not None:
                on_done(target)

        self._run(write, written, self._report_failure, N_("saving the letter as a file"))

    def load_raw(
        self,
        on_done: Callable[[bytes], None],
        *,
        entry_id: int | None = None,
        sent_id: int | None = None,
    ) -> None:
        """Fetch a letter's stored bytes in the background (to show or re-open it)."""

        def read() -> bytes:
            if sent_id is not None:
                return self.outbox.sent_raw(sent_id)
            return self.outbox.raw(entry_id or 0)

        self._run(read, on_done, self._report_failure, N_("reading the letter"))

    def provide_password(self, account_key: str, password: str) -> None:
        """Keep a password typed for this session (memory only) and send again."""
        self.passwords.session.store(account_key, password)
        self.send_now()

    def account_changed(self) -> None:
        """The account or its password changed: try again what was held back."""
        self._held = False
        self.send_now()

    def refresh(self) -> None:
        """Reload the outbox lists and counts in the background."""

        def load() -> tuple[list[OutboxEntry], list[SentEntry], int, int]:
            return (
                self.outbox.entries(),
                self.outbox.sent_entries(),
                self.outbox.pending_count(),
                self.outbox.failed_count(),
            )

        self._refresh_asked += 1
        generation = self._refresh_asked

        def loaded(value: tuple[list[OutboxEntry], list[SentEntry], int, int]) -> None:
            # Loads run in parallel and may finish out of order: show only newer ones.
            if generation <= self._refresh_shown:
                return
            self._refresh_shown = generation
            entries, sent, pending, failed = value
            self.lists_changed.emit(entries, sent)
            self.counts_changed.emit(pending, failed)

        self._run(load, loaded, self._report_failure, N_("reading the outbox"))

    # -- flushing --------------------------------------------------------------

    def _start_flush(self, entry_ids: list[int] | None) -> None:
        if self._stopping:
            return
        if self._busy:
            # One flush at a time; remember to go again (with everything due) afterwards.
            if entry_ids is None or self._again is None:
                self._again = None
            elif isinstance(self._again, list):
                self._again = [*self._again, *entry_ids]
            else:
                self._again = list(entry_ids)
            return
        self._retry_timer.stop()
        self._busy = True
        self.busy_changed.emit(True)
        self._flush_requested.emit(entry_ids)

    @Slot(int, int, object)
    def _on_progress(self, done: int, total: int, result: object) -> None:
        text = result.text if isinstance(result, MessageResult) else ""
        self.progress.emit(done, total, text)

    @Slot(str)
    def _on_worker_failed(self, message: str) -> None:
        self._finish_busy()
        self.failed.emit(message)
        self.announcement.emit(_("Sending failed: {reason}").format(reason=message), False)
        self.refresh()

    def _finish_busy(self) -> None:
        self._busy = False
        self.busy_changed.emit(False)

    @Slot(object)
    def _on_finished(self, outcome: object) -> None:
        assert isinstance(outcome, FlushOutcome)
        self._finish_busy()
        report = outcome.report
        self.counts_changed.emit(outcome.pending, outcome.failed)
        if outcome.no_account:
            if outcome.pending:
                self.account_needed.emit(
                    _("Set up your e-mail account to send the letters in the outbox."),
                )
            self.refresh()
            return
        failure = report.connection_failure
        if report.results or report.refused_waiting:
            self.announcement.emit(*report_text(report, outcome.next_due_at))
        if failure is not None and failure.kind is FailureKind.NO_PASSWORD:
            reason = outcome.keyring.message if outcome.keyring is not None else ""
            self.password_needed.emit(outcome.account_key, reason)
        self._last_failure_kind = failure.kind if failure is not None else None
        self._held = held_for_settings(report)
        self.refresh()
        again, self._again = self._again, False
        if again is not False and not self._stopping:
            self._start_flush(again if isinstance(again, list) else None)
            return
        self._schedule(outcome)

    def _schedule(self, outcome: FlushOutcome) -> None:
        self._watch.stop()
        if self._held or not outcome.pending or outcome.next_due_at is None:
            return
        wait = max(1.0, min(outcome.next_due_at - time.time(), 3600.0))
        self._retry_timer.start(int(wait * 1000))
        self._watch.follow(self._last_failure_kind)

    @Slot()
    def _retry_due(self) -> None:
        if not self._held:
            self.send_due()

    # -- the network -------------------------------------------------------------

    def network_back(self) -> None:
        """The network is back: send everything waiting, now."""
        if self._busy or self._stopping:
            return
        log.info("network back online; sending the outbox")
        self.send_now()

    # -- background jobs and errors ----------------------------------------------

    def _run(
        self,
        work: Callable[[], Any],
        done: Callable[[Any], None],
        failed: Callable[[str], None],
        what: str,
    ) -> None:
        """Run a short outbox job on the pool; its answer is dropped if this is deleted."""
        run_task(work, done, failed, pool=self.pool, expected=MAIL_ERRORS, what=what, owner=self)

    def _report_failure(self, message: str) -> None:
        self.failed.emit(message)
        self.announcement.emit(message, False)

    def _failed_then_refresh(self, message: str) -> None:
        self._report_failure(message)
        self.refresh()
