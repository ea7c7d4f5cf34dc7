"""Sending in the background: a worker thread for SMTP, a controller that retries.

- :func:`run_in_background` runs any short disk or keyring job on a thread
  pool and hands the result back on the GUI thread.
- :class:`FlushWorker` lives in its own ``QThread`` and empties the outbox
  through :class:`composer.core.sending.OutboxSender`. It only emits signals;
  it never touches a widget.
- :class:`SendController` is what the window talks to: it queues letters,
  starts flushes, retries with back-off and when the network comes back, keeps
  the outbox lists and counts up to date, and announces every result in plain
  words.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import logging
import socket
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThread, QThreadPool, QTimer, Signal, Slot

from composer.core.accounts import Account, AccountError
from composer.core.credentials import CredentialError, KeyringStatus, PasswordSource
from composer.core.fileio import StorageError
from composer.core.mail import MailError, OutgoingMessage
from composer.core.oauth import TokenSource
from composer.core.outbox import Outbox, OutboxEntry, OutboxError, SentEntry
from composer.core.sending import FlushReport, MessageResult, OutboxSender, RetryPolicy
from composer.core.transport import (
    DEFAULT_TIMEOUT,
    Credential,
    Disposition,
    FailureKind,
    SmtpSession,
)

log = logging.getLogger(__name__)


_PLAIN_ERRORS = (AccountError, CredentialError, StorageError, OutboxError, MailError)


def describe_failure(error: BaseException) -> str:
    """A sentence for the user about an error from a background job."""
    if isinstance(error, _PLAIN_ERRORS):
        return str(error)
    return (
        f"Something went wrong ({type(error).__name__}: {error}). "
        "Details are in the log file; please try again."
    )


# -- small background jobs -----------------------------------------------------


class _Dispatcher(QObject):
    """Hands results of background jobs to their callbacks on the GUI thread.

    One per owner, created on the GUI thread and never deleted before its
    owner: jobs only emit its signal from the pool (signals may be emitted
    from any thread), so no QObject is ever made or destroyed off its thread.
    """

    result = Signal(int, object, str, bool)

    def __init__(self, owner: QObject) -> None:
        super().__init__(owner)
        self.setObjectName(_DISPATCHER_NAME)
        self._callbacks: dict[int, tuple[Callable[[Any], None], Callable[[str], None] | None]] = {}
        self._numbers = itertools.count(1)
        self.result.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def add(self, on_done: Callable[[Any], None], on_failed: Callable[[str], None] | None) -> int:
        number = next(self._numbers)
        self._callbacks[number] = (on_done, on_failed)
        return number

    @Slot(int, object, str, bool)
    def _deliver(self, number: int, value: object, message: str, ok: bool) -> None:
        on_done, on_failed = self._callbacks.pop(number)
        if ok:
            on_done(value)
        elif on_failed is not None:
            on_failed(message)


_DISPATCHER_NAME = "composer-background-dispatcher"


class _Job(QRunnable):
    def __init__(self, function: Callable[[], Any], dispatcher: _Dispatcher, number: int) -> None:
        super().__init__()
        self._function = function
        self._dispatcher = dispatcher
        self._number = number

    def run(self) -> None:
        try:
            value, message, ok = self._function(), "", True
        except Exception as error:
            log.exception("background job failed")
            value, message, ok = None, describe_failure(error), False
        # RuntimeError: the owner was closed meanwhile, and nobody waits for the answer.
        with contextlib.suppress(RuntimeError):
            self._dispatcher.result.emit(self._number, value, message, ok)


def run_in_background(
    pool: QThreadPool,
    owner: QObject,
    function: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_failed: Callable[[str], None] | None = None,
) -> None:
    """Run `function` on `pool`; call `on_done(result)` or `on_failed(text)` on the GUI thread.

    Call from the GUI thread. The callbacks are dropped if `owner` is deleted first.
    """
    dispatcher = owner.findChild(
        _Dispatcher, _DISPATCHER_NAME, Qt.FindChildOption.FindDirectChildrenOnly
    )
    if dispatcher is None:
        dispatcher = _Dispatcher(owner)
    pool.start(_Job(function, dispatcher, dispatcher.add(on_done, on_failed)))


# -- the worker ----------------------------------------------------------------


@dataclass(frozen=True)
class FlushOutcome:
    """What a flush did, and the outbox's state afterwards.

    Attributes:
        report: the per-letter results.
        account_key: the keyring key of the account used ("" if none).
        keyring: the keyring's status when it could not give the password.
        pending: letters still to go.
        failed: letters refused, waiting to be edited.
        next_due_at: when the next queued letter is due (None if none).
        no_account: there is no account set up yet.
    """

    report: FlushReport
    account_key: str = ""
    keyring: KeyringStatus | None = None
    pending: int = 0
    failed: int = 0
    next_due_at: float | None = None
    no_account: bool = False


SessionFactory = Callable[[Account, "Credential | None", float], SmtpSession]


class FlushWorker(QObject):
    """Empties the outbox over one SMTP connection; lives in a worker thread.

    Signals:
        progress(int, int, object): letters done, letters in this batch, the
            :class:`MessageResult` of the letter just handled.
        finished(object): a :class:`FlushOutcome`.
        failed(str): the flush could not run at all (plain words).
    """

    progress = Signal(int, int, object)
    finished = Signal(object)
    failed = Signal(str)

    def __init__(
        self,
        outbox: Outbox,
        load_account: Callable[[], Account | None],
        passwords: PasswordSource,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        session_factory: SessionFactory | None = None,
    ) -> None:
        super().__init__()
        self._outbox = outbox
        self._load_account = load_account
        self._passwords = passwords
        self._timeout = timeout
        self._retry = retry or RetryPolicy()
        self._session_factory = session_factory
        self._sender: OutboxSender | None = None
        self._token_sources: dict[Account, TokenSource] = {}

    def stop(self) -> None:
        """Break off a running flush (callable from any thread)."""
        sender = self._sender
        if sender is not None:
            sender.stop()

    @Slot(object)
    def flush(self, entry_ids: object) -> None:
        """Send the given letters (a list of ids), or every due one when given None."""
        try:
            outcome = self._flush(None if entry_ids is None else list(entry_ids))  # type: ignore[call-overload]
        except Exception as error:
            log.exception("flush failed")
            self._put_back_interrupted()
            self.failed.emit(describe_failure(error))
            return
        self.finished.emit(outcome)

    def _put_back_interrupted(self) -> None:
        """A flush that failed part-way may have left its letter "sending": put it back in
        the queue, flagged as possibly delivered (this thread is the only one sending)."""
        with contextlib.suppress(OutboxError):
            self._outbox.recover()

    def _flush(self, entry_ids: list[int] | None) -> FlushOutcome:
        account = self._load_account()
        if account is None:
            return self._outcome(FlushReport(), no_account=True)
        lookup = None
        password: Credential | None = None
        if account.oauth is not None:
            # The keyring entry holds the refresh token, never sent as a password; the
            # token source renews access tokens and keeps them in memory across flushes.
            password = self._token_sources.get(account)
            if password is None:
                password = TokenSource(account, self._passwords.keyring)
                self._token_sources = {account: password}
        elif account.needs_login:
            lookup = self._passwords.lookup(account.keyring_key)
            password = lookup.password
        keyword: dict[str, Any] = {}
        if self._session_factory is not None:
            keyword["session_factory"] = self._session_factory
        sender = OutboxSender(
            self._outbox,
            account,
            lambda: password,
            timeout=self._timeout,
            retry=self._retry,
            **keyword,
        )
        self._sender = sender
        try:
            report = sender.flush(entry_ids, progress=self._progress)
        finally:
            self._sender = None
        keyring = lookup.keyring if lookup is not None and password is None else None
        return self._outcome(report, account_key=account.keyring_key, keyring=keyring)

    def _progress(self, done: int, total: int, result: MessageResult) -> None:
        self.progress.emit(done, total, result)

    def _outcome(self, report: FlushReport, **extra: Any) -> FlushOutcome:
        return FlushOutcome(
            report=report,
            pending=self._outbox.pending_count(),
            failed=self._outbox.failed_count(),
            next_due_at=self._outbox.next_due_at(),
            **extra,
        )


# -- the controller ------------------------------------------------------------

_NETWORK_KINDS = {
    FailureKind.OFFLINE,
    FailureKind.REFUSED,
    FailureKind.TIMED_OUT,
    FailureKind.NAME_NOT_FOUND,
    FailureKind.CONNECTION_LOST,
}


def _clock_text(moment: float) -> str:
    return dt.datetime.fromtimestamp(moment).strftime("%H:%M")


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
        self._probe_target: tuple[str, int] | None = None
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
        self._probe_timer = QTimer(self)
        self._probe_timer.setInterval(int(probe_interval * 1000))
        self._probe_timer.timeout.connect(self._probe)

        self.network: Any = None
        if watch_network:
            self.network = self._load_network_information()

    # -- set-up and shutdown ---------------------------------------------------

    def _load_network_information(self) -> Any:
        try:
            from PySide6.QtNetwork import QNetworkInformation
        except ImportError:
            return None
        feature = QNetworkInformation.Feature.Reachability
        if QNetworkInformation.instance() is None and not QNetworkInformation.loadBackendByFeatures(
            feature
        ):
            log.info("no network information backend; probing the server instead")
            return None
        info = QNetworkInformation.instance()
        if info is None or not info.supports(feature):
            return None
        info.reachabilityChanged.connect(self._on_reachability)
        return info

    def start(self) -> None:
        """Recover letters a crash left "sending", load the lists, and send what is due."""

        def recover() -> int:
            return self.outbox.recover()

        run_in_background(self.pool, self, recover, self._on_recovered, self._report_failure)

    def _on_recovered(self, count: int) -> None:
        if count:
            self.interrupted.emit(count)
            letters = "1 letter was" if count == 1 else f"{count} letters were"
            self.announcement.emit(
                f"{letters} being sent when the program last stopped; sending again, "
                "which may deliver a letter twice.",
                False,
            )
        self.refresh()
        self.send_due()

    def shutdown(self, wait_ms: int = 5000) -> None:
        """Stop timers, break off a running flush and stop the worker thread (once)."""
        if self._stopping:
            return
        self._stopping = True
        self._retry_timer.stop()
        self._probe_timer.stop()
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
            count = len(ids)
            self.announcement.emit(
                f"{'1 letter' if count == 1 else f'{count} letters'} in the outbox"
                + (", sending…" if send else "."),
                True,
            )
            self.refresh()
            if send:
                self.send_now(ids)

        run_in_background(self.pool, self, store, stored, self._report_failure)

    def send_due(self) -> None:
        """Send the letters whose time has come (the automatic path)."""
        self._start_flush(None)

    def send_now(self, entry_ids: Sequence[int] | None = None) -> None:
        """Send now: the given letters, or every queued one, ignoring back-off delays."""
        self._held = False
        if entry_ids is None:

            def all_now() -> int:
                return self.outbox.retry_now()

            run_in_background(self.pool, self, all_now, lambda _: self._start_flush(None))
        else:
            self._start_flush(list(entry_ids))

    def retry_now(self, entry_ids: Sequence[int]) -> None:
        """Make the given (queued or failed) letters due now and send them."""
        ids = list(entry_ids)
        self._held = False

        def due() -> int:
            return self.outbox.retry_now(ids)

        run_in_background(
            self.pool, self, due, lambda _: self._start_flush(ids), self._report_failure
        )

    def cancel(self, entry_ids: Sequence[int]) -> None:
        """Remove letters from the outbox (they will not be sent)."""
        ids = list(entry_ids)

        def remove() -> int:
            for entry_id in ids:
                self.outbox.cancel(entry_id)
            return len(ids)

        def removed(count: int) -> None:
            self.announcement.emit(
                f"Cancelled {'1 letter' if count == 1 else f'{count} letters'}; not sent.",
                True,
            )
            self.refresh()

        run_in_background(self.pool, self, remove, removed, self._failed_then_refresh)

    def replace(self, entry_id: int, message: OutgoingMessage, *, send: bool = True) -> None:
        """Put the edited version of a queued or refused letter in its place."""

        def swap() -> int:
            self.outbox.replace(entry_id, message)
            return entry_id

        def swapped(_: int) -> None:
            self.refresh()
            if send:
                self.send_now([entry_id])

        run_in_background(self.pool, self, swap, swapped, self._failed_then_refresh)

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
            self.announcement.emit(f"Saved the letter as {target}.", True)
            if on_done is not None:
                on_done(target)

        run_in_background(self.pool, self, write, written, self._report_failure)

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

        run_in_background(self.pool, self, read, on_done, self._report_failure)

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

        run_in_background(self.pool, self, load, loaded, self._report_failure)

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
        self.announcement.emit(f"Sending failed: {message}", False)
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
                    "Set up your e-mail account to send the letters in the outbox.",
                )
            self.refresh()
            return
        failure = report.connection_failure
        if report.results or report.refused_waiting:
            self._announce(report, outcome)
        if failure is not None and failure.kind is FailureKind.NO_PASSWORD:
            reason = outcome.keyring.message if outcome.keyring is not None else ""
            self.password_needed.emit(outcome.account_key, reason)
        self._last_failure_kind = failure.kind if failure is not None else None
        self._held = failure is not None and failure.disposition is Disposition.FIX_SETTINGS
        self.refresh()
        again, self._again = self._again, False
        if again is not False and not self._stopping:
            self._start_flush(again if isinstance(again, list) else None)
            return
        self._schedule(outcome)

    def _announce(self, report: FlushReport, outcome: FlushOutcome) -> None:
        text = report.summary()
        good = not report.failed and not report.queued and not report.refused_waiting
        if report.queued and outcome.next_due_at is not None and not self._held_for(report):
            text = f"{text} Next try at {_clock_text(outcome.next_due_at)}."
        self.announcement.emit(text, good)

    @staticmethod
    def _held_for(report: FlushReport) -> bool:
        failure = report.connection_failure
        return failure is not None and failure.disposition is Disposition.FIX_SETTINGS

    def _schedule(self, outcome: FlushOutcome) -> None:
        self._probe_timer.stop()
        if self._held or not outcome.pending or outcome.next_due_at is None:
            return
        wait = max(1.0, min(outcome.next_due_at - time.time(), 3600.0))
        self._retry_timer.start(int(wait * 1000))
        if self.network is None and self._last_failure_kind in _NETWORK_KINDS:
            self._probe_timer.start()

    @Slot()
    def _retry_due(self) -> None:
        if not self._held:
            self.send_due()

    # -- the network -------------------------------------------------------------

    @Slot(object)
    def _on_reachability(self, reachability: object) -> None:
        from PySide6.QtNetwork import QNetworkInformation

        if reachability == QNetworkInformation.Reachability.Online:
            self.network_back()

    def network_back(self) -> None:
        """The network is back: send everything waiting, now."""
        if self._busy or self._stopping:
            return
        log.info("network back online; sending the outbox")
        self.send_now()

    @Slot()
    def _probe(self) -> None:
        if self._busy:
            return

        def reachable() -> bool:
            account = self._load_account()
            if account is None:
                return False
            try:
                with socket.create_connection((account.host, account.port), timeout=3):
                    return True
            except OSError:
                return False

        def answered(ok: bool) -> None:
            if ok:
                self._probe_timer.stop()
                self.network_back()

        run_in_background(self.pool, self, reachable, answered)

    # -- errors ------------------------------------------------------------------

    def _report_failure(self, message: str) -> None:
        self.failed.emit(message)
        self.announcement.emit(message, False)

    def _failed_then_refresh(self, message: str) -> None:
        self._report_failure(message)
        self.refresh()
