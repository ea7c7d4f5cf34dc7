"""Emptying the outbox: every due letter, over one SMTP connection, with a result for each.

:class:`OutboxSender` is the one place that ties the outbox, the transport
and the password together. It knows no Qt; the window runs it in a worker
thread, the command line runs it directly.
"""

from __future__ import annotations

import enum
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from composer.core.accounts import Account
from composer.core.outbox import Outbox, OutboxEntry, OutboxError
from composer.core.transport import (
    DATA_REPLY_TIMEOUT,
    DEFAULT_TIMEOUT,
    Credential,
    Disposition,
    FailureKind,
    ServerReply,
    SmtpError,
    SmtpFailure,
    SmtpSession,
)
from composer.i18n import _, ngettext

log = logging.getLogger(__name__)


class Outcome(enum.Enum):
    """What happened to one letter in a flush."""

    SENT = "sent"
    """The server accepted it; it is in the sent history."""
    QUEUED = "queued"
    """Still in the outbox: it will be tried again (temporary trouble, or settings to fix)."""
    FAILED = "failed"
    """The server refused it for good; it waits to be edited."""


@dataclass(frozen=True)
class RetryPolicy:
    """How long to wait before trying again after temporary failures.

    The delay doubles with each attempt: first, 2 × first, 4 × first… up to `longest`.
    """

    first: float = 60.0
    longest: float = 3600.0

    def delay(self, attempts: int) -> float:
        """The wait after the given number of failed attempts (at least one)."""
        exponent = max(0, min(attempts - 1, 30))
        return float(min(self.longest, self.first * (2**exponent)))


@dataclass(frozen=True)
class MessageResult:
    """The result for one letter.

    Attributes:
        entry_id: its outbox id (no longer in the outbox when sent).
        subject: its subject.
        recipients: whom it is addressed to, as shown in lists.
        outcome: sent, still queued, or failed.
        text: what happened, in plain words.
        server_reply: the server's last reply ("" if none).
        sent_id: its id in the sent history, when sent.
        failure: the failure, when not sent.
    """

    entry_id: int
    subject: str
    recipients: tuple[str, ...]
    outcome: Outcome
    text: str
    server_reply: str = ""
    sent_id: int | None = None
    failure: SmtpFailure | None = None


@dataclass(frozen=True)
class FlushReport:
    """Everything one flush did.

    Attributes:
        results: one result per letter considered, in order.
        connection_failure: the failure that stopped the whole batch, if any
            (no connection, login refused, connection lost…).
        stopped: the user stopped the flush.
        refused_waiting: letters the server refused earlier that still wait to be
            edited or retried (counted only when there was nothing to send).
    """

    results: tuple[MessageResult, ...] = ()
    connection_failure: SmtpFailure | None = None
    stopped: bool = False
    refused_waiting: int = 0

    @property
    def sent(self) -> list[MessageResult]:
        """The letters the server accepted."""
        return [item for item in self.results if item.outcome is Outcome.SENT]

    @property
    def queued(self) -> list[MessageResult]:
        """The letters still waiting."""
        return [item for item in self.results if item.outcome is Outcome.QUEUED]

    @property
    def failed(self) -> list[MessageResult]:
        """The letters the server refused for good."""
        return [item for item in self.results if item.outcome is Outcome.FAILED]

    @property
    def needs_settings(self) -> bool:
        """True when the user must fix the account (password, server, certificate…)."""
        failure = self.connection_failure
        return failure is not None and failure.disposition is Disposition.FIX_SETTINGS

    def summary(self) -> str:
        """One or two sentences for a status bar, a notification or the command line."""
        if not self.results:
            if self.connection_failure is not None:
                return self.connection_failure.describe()
            if self.refused_waiting:
                count = self.refused_waiting
                return ngettext(
                    "Nothing to send now: {n} letter refused by the server waits to be "
                    "corrected. Open the outbox to edit or retry it.",
                    "Nothing to send now: {n} letters refused by the server wait to be "
                    "corrected. Open the outbox to edit or retry them.",
                    count,
                ).format(n=count)
            return _("The outbox is empty: nothing to send.")
        parts: list[str] = []
        if self.sent:
            parts.append(
                ngettext(
                    "Sent: {n} letter accepted by the server",
                    "Sent: {n} letters accepted by the server",
                    len(self.sent),
                ).format(n=len(self.sent))
                if len(self.sent) > 1
                else _("Sent: “{subject}” to {names} was accepted by the server").format(
                    subject=self.sent[0].subject, names=_names(self.sent[0])
                )
            )
        if self.failed:
            parts.append(
                ngettext(
                    "Not sent: {n} letter refused by the server — open the outbox to correct "
                    "and resend",
                    "Not sent: {n} letters refused by the server — open the outbox to correct "
                    "and resend",
                    len(self.failed),
                ).format(n=len(self.failed))
                if len(self.failed) > 1
                else _("Not sent: {reason}").format(reason=self.failed[0].text)
            )
        if self.queued:
            reason = self.connection_failure or self.queued[0].failure
            count = len(self.queued)
            parts.append(
                ngettext(
                    "Still in the outbox: {n} letter — {reason}",
                    "Still in the outbox: {n} letters — {reason}",
                    count,
                ).format(n=count, reason=reason.describe())
                if reason is not None
                else ngettext(
                    "Still in the outbox: {n} letter", "Still in the outbox: {n} letters", count
                ).format(n=count)
            )
        return ". ".join(part.rstrip(".") for part in parts) + "."

    def exit_status(self) -> int:
        """0 when everything was accepted, 1 on a permanent failure or settings to fix,
        75 when letters stay queued for later (offline, unreachable, temporary refusal)."""
        if self.failed or self.needs_settings:
            return 1
        if any(
            item.failure is not None and item.failure.disposition is Disposition.FIX_SETTINGS
            for item in self.queued
        ):
            return 1
        if self.queued or self.stopped:
            return 75
        return 0


class FlushStopped(OutboxError):
    """The outbox could not be written part-way through a flush (a full disk, say).

    The message says why, which letters the server accepted before it stopped,
    and what became of the others.

    Attributes:
        results: what happened to the letters handled before it stopped.
        in_flight: the letter the server had accepted but that could not be
            recorded as sent (it may be sent again), or None.
    """

    def __init__(
        self,
        reason: str,
        results: tuple[MessageResult, ...],
        in_flight: OutboxEntry | None,
    ) -> None:
        self.reason = reason
        self.results = results
        self.in_flight = in_flight
        super().__init__(self._text())

    @property
    def sent(self) -> list[MessageResult]:
        """The letters accepted by the server and recorded as sent before it stopped."""
        return [item for item in self.results if item.outcome is Outcome.SENT]

    def _text(self) -> str:
        parts = [self.reason]
        sent = self.sent
        if sent:
            subjects = ", ".join(f"“{item.subject}”" for item in sent)
            parts.append(
                ngettext(
                    "Before it stopped, {n} letter went out and is in the sent history: "
                    "{subjects}.",
                    "Before it stopped, {n} letters went out and are in the sent history: "
                    "{subjects}.",
                    len(sent),
                ).format(n=len(sent), subjects=subjects)
            )
        else:
            parts.append(_("No letter was recorded as sent before it stopped."))
        if self.in_flight is not None:
            parts.append(
                _(
                    "“{subject}” was accepted by the server but could not be recorded; it "
                    "waits in the outbox and may go twice."
                ).format(subject=self.in_flight.subject)
            )
        parts.append(
            _(
                "The letters not sent yet wait in the outbox and go out once it can be "
                "written again."
            )
        )
        return " ".join(parts)


def _where(account: Account) -> str:
    return f"{account.host}:{account.port}"


def _names(result: MessageResult) -> str:
    return ", ".join(result.recipients) or "its recipients"


SessionFactory = Callable[[Account, "Credential | None", float], SmtpSession]
Progress = Callable[[int, int, MessageResult], None]


@dataclass
class OutboxSender:
    """Sends the outbox's due letters through the account's server, in one session.

    Attributes:
        outbox: where the letters wait.
        account: the SMTP account.
        password: called once per flush for the password or OAuth2 tokens (None if none).
        timeout: seconds to wait for each network step.
        data_timeout: seconds to wait for the server's reply after a whole letter.
        retry: the back-off for temporary failures.
        session_factory: builds the SMTP session (tests hand in their own TLS
            settings); None for the usual one.
        clock: the current time.
    """

    outbox: Outbox
    account: Account
    password: Callable[[], Credential | None]
    timeout: float = DEFAULT_TIMEOUT
    data_timeout: float = DATA_REPLY_TIMEOUT
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    session_factory: SessionFactory | None = None
    clock: Callable[[], float] = time.time
    _session: SmtpSession | None = field(default=None, init=False, repr=False)
    _stop: bool = field(default=False, init=False, repr=False)
    _in_flight: OutboxEntry | None = field(default=None, init=False, repr=False)

    def stop(self) -> None:
        """Ask a running flush to stop: breaks the connection and leaves the rest queued.

        Safe to call from another thread.
        """
        self._stop = True
        session = self._session
        if session is not None:
            session.abort()

    def flush(
        self,
        entry_ids: Sequence[int] | None = None,
        *,
        progress: Progress | None = None,
    ) -> FlushReport:
        """Send the given queued letters, or every due one; returns what happened to each.

        Letters are claimed one at a time just before they are sent, so if the
        program dies, at most one letter is left "sending".

        Raises:
            OutboxError: the outbox could not be read or written (a full disk,
                say); sending stopped there, and the message says so.
        """
        self._stop = False
        self._in_flight = None
        results: list[MessageResult] = []
        ids = list(self.outbox.due_ids() if entry_ids is None else entry_ids)
        waiting = {entry.id: entry for entry in self.outbox.entries()}
        entries = [waiting[i] for i in ids if i in waiting and waiting[i].state == "queued"]
        if not entries:
            return FlushReport(refused_waiting=self.outbox.failed_count())
        password = self.password() if self.account.needs_login else None
        if self.session_factory is None:
            session = SmtpSession(
                self.account, password, timeout=self.timeout, data_timeout=self.data_timeout
            )
        else:
            session = self.session_factory(self.account, password, self.timeout)
        self._session = session
        try:
            try:
                session.open()
            except SmtpError as error:
                return self._session_failed(entries, error.failure)
            return self._send_all(session, entries, progress, results)
        except OutboxError as error:
            raise FlushStopped(str(error), tuple(results), self._in_flight) from error
        finally:
            self._session = None
            session.close()

    def _session_failed(self, entries: list[OutboxEntry], failure: SmtpFailure) -> FlushReport:
        attempts = max(entry.attempts for entry in entries) + 1
        self.outbox.note_failure(
            [entry.id for entry in entries],
            delay=self.retry.delay(attempts),
            error=failure.message,
            kind=failure.kind.value,
            reply=failure.server_reply,
        )
        log.info("flush stopped before sending: %s", failure.kind.value)
        results = tuple(
            MessageResult(
                entry.id,
                entry.subject,
                entry.recipient_names,
                Outcome.QUEUED,
                failure.describe(),
                failure.server_reply,
                failure=failure,
            )
            for entry in entries
        )
        return FlushReport(results, connection_failure=failure)

    def _send_all(
        self,
        session: SmtpSession,
        entries: list[OutboxEntry],
        progress: Progress | None,
        results: list[MessageResult],
    ) -> FlushReport:
        """Send the letters one after the other, over the open session.

        The bookkeeping is done while the server reads the letter's MAIL
        FROM: the previous letter is recorded as sent and this one is
        claimed, in one transaction. The letter itself (DATA) goes out only
        once its claim is written, so a letter is never delivered unless it
        is marked "sending", and at most one letter the server has accepted
        is not yet in the sent history.
        """
        handled: set[int] = set()
        broken: SmtpFailure | None = None
        total = len(entries)

        def report(position: int, result: MessageResult) -> None:
            results.append(result)
            if progress is not None:
                progress(position + 1, total, result)

        accepted: _Accepted | None = None
        for position, entry in enumerate(entries):
            if self._stop or broken is not None or not session.usable:
                break
            handled.add(entry.id)
            bookkeeping = _Bookkeeping(self._record_then_claim, accepted, entry.id)
            self._in_flight = accepted.entry if accepted is not None else None
            accepted = None
            refusal = self._announce(session, entry.envelope_from, entry.envelope_to, bookkeeping)
            recorded, claimed = bookkeeping.outcome()
            self._in_flight = None
            if recorded is not None:
                report(*recorded)
            if claimed is None:
                # Someone else sent, edited or cancelled it meanwhile.
                if refusal is None:
                    session.reset()
                continue
            current, raw = claimed
            if refusal is None and (current.envelope_from, current.envelope_to) != (
                entry.envelope_from,
                entry.envelope_to,
            ):
                # Edited since the batch was listed: announce it as it is now.
                session.reset()
                refusal = self._announce(session, current.envelope_from, current.envelope_to)
            outcome = refusal or self._deliver(session, raw)
            if isinstance(outcome, ServerReply):
                accepted = _Accepted(position, current, outcome)
                continue
            report(position, self._record_failure(current, outcome))
            if not session.usable:
                broken = outcome
        if accepted is not None:
            self._in_flight = accepted.entry
            report(accepted.position, self._record_sent(accepted.entry, accepted.reply))
            self._in_flight = None
        untried = [entry for entry in entries if entry.id not in handled]
        if untried and (broken is not None or self._stop):
            # These letters never left: whatever broke the connection, none of them can
            # have been delivered, so none is said to be possibly delivered.
            if broken is not None:
                reason = SmtpFailure(
                    broken.kind,
                    _(
                        "Not tried: the connection to {where} ended before this letter's "
                        "turn. It stays in the outbox and will be tried again."
                    ).format(where=_where(self.account)),
                )
            else:
                reason = SmtpFailure(
                    FailureKind.CONNECTION_LOST,
                    _("Not tried: sending was stopped; the letter stays in the outbox."),
                )
            note = reason.message
            self.outbox.note_failure(
                [entry.id for entry in untried],
                delay=0.0 if self._stop else self.retry.delay(1),
                error=note,
                kind=reason.kind.value,
                count_attempt=False,
            )
            results.extend(
                MessageResult(
                    entry.id,
                    entry.subject,
                    entry.recipient_names,
                    Outcome.QUEUED,
                    note,
                    failure=reason,
                )
                for entry in untried
            )
        return FlushReport(tuple(results), connection_failure=broken, stopped=self._stop)

    @staticmethod
    def _announce(
        session: SmtpSession,
        envelope_from: str,
        envelope_to: tuple[str, ...],
        meanwhile: Callable[[], None] | None = None,
    ) -> SmtpFailure | None:
        """Why the server would not take the envelope, or None when it did."""
        try:
            session.envelope(envelope_from, envelope_to, meanwhile)
        except SmtpError as error:
            return error.failure
        return None

    @staticmethod
    def _deliver(session: SmtpSession, raw: bytes) -> ServerReply | SmtpFailure:
        """The server's acceptance of the letter, or why it was not accepted."""
        try:
            return session.data(raw)
        except SmtpError as error:
            return error.failure

    def _record_then_claim(
        self, accepted: _Accepted | None, entry_id: int
    ) -> tuple[_Recorded | None, _Claimed | None]:
        """Move an accepted letter into the sent history and claim the next one, in one
        transaction.

        Returns the accepted letter's (position, result) and the claimed
        letter with its bytes (None when it is no longer queued).
        """
        if accepted is None:
            return None, self.outbox.claim_with_raw(entry_id)
        sent_id, claimed = self.outbox.mark_sent_and_claim(
            accepted.entry.id, str(accepted.reply), entry_id
        )
        return (
            accepted.position,
            self._sent_result(accepted.entry, accepted.reply, sent_id),
        ), claimed

    def _record_sent(self, entry: OutboxEntry, reply: ServerReply) -> MessageResult:
        return self._sent_result(entry, reply, self.outbox.mark_sent(entry.id, str(reply)))

    @staticmethod
    def _sent_result(entry: OutboxEntry, reply: ServerReply, sent_id: int) -> MessageResult:
        return MessageResult(
            entry.id,
            entry.subject,
            entry.recipient_names,
            Outcome.SENT,
            _("“{subject}” to {names} was accepted by the server.").format(
                subject=entry.subject, names=", ".join(entry.recipient_names)
            ),
            str(reply),
            sent_id=sent_id,
        )

    def _record_failure(self, entry: OutboxEntry, failure: SmtpFailure) -> MessageResult:
        if failure.disposition is Disposition.REJECTED:
            self.outbox.mark_failed(
                entry.id, error=failure.message, kind=failure.kind.value, reply=failure.server_reply
            )
            outcome = Outcome.FAILED
        else:
            self.outbox.mark_retry(
                entry.id,
                delay=self.retry.delay(entry.attempts),
                error=failure.message,
                kind=failure.kind.value,
                reply=failure.server_reply,
                possibly_delivered=failure.possibly_delivered,
            )
            outcome = Outcome.QUEUED
        return MessageResult(
            entry.id,
            entry.subject,
            entry.recipient_names,
            outcome,
            failure.describe(),
            failure.server_reply,
            failure=failure,
        )


@dataclass(frozen=True)
class _Accepted:
    """A letter the server accepted, not yet in the sent history."""

    position: int
    entry: OutboxEntry
    reply: ServerReply


_Recorded = tuple[int, MessageResult]
_Claimed = tuple[OutboxEntry, bytes]


class _Bookkeeping:
    """One letter's bookkeeping, done at most once: while the server reads its
    envelope, or afterwards if the envelope never left."""

    def __init__(
        self,
        job: Callable[[_Accepted | None, int], tuple[_Recorded | None, _Claimed | None]],
        accepted: _Accepted | None,
        entry_id: int,
    ) -> None:
        self._job = job
        self._accepted = accepted
        self._entry_id = entry_id
        self._outcome: tuple[_Recorded | None, _Claimed | None] | None = None

    def __call__(self) -> None:
        if self._outcome is None:
            self._outcome = self._job(self._accepted, self._entry_id)

    def outcome(self) -> tuple[_Recorded | None, _Claimed | None]:
        """What was recorded and claimed (doing it now if it has not been done)."""
        self()
        assert self._outcome is not None
        return self._outcome
