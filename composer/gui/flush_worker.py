"""The sending thread's worker: empties the outbox over one SMTP connection.

:class:`FlushWorker` lives in its own ``QThread`` (made by
:class:`composer.gui.send_worker.SendController`) and sends through
:class:`composer.core.sending.OutboxSender`. It only emits signals; it never
touches a widget. Its result is a :class:`FlushOutcome`.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from composer.core.accounts import Account, AccountError
from composer.core.credentials import CredentialError, KeyringStatus, PasswordSource
from composer.core.fileio import StorageError
from composer.core.mail import MailError
from composer.core.oauth import TokenSource
from composer.core.outbox import Outbox, OutboxError
from composer.core.sending import FlushReport, MessageResult, OutboxSender, RetryPolicy
from composer.core.transport import DEFAULT_TIMEOUT, Credential, SmtpSession
from composer.gui.background import failure_message
from composer.i18n import N_

log = logging.getLogger(__name__)

# The errors of e-mail jobs whose message is written for the user.
MAIL_ERRORS: tuple[type[Exception], ...] = (
    AccountError,
    CredentialError,
    StorageError,
    OutboxError,
    MailError,
)


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
        except Exception as error:  # reported, and the thread lives on for the next flush
            log.exception("flush failed")
            self._put_back_interrupted()
            self.failed.emit(failure_message(error, MAIL_ERRORS, N_("sending the outbox")))
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
