"""Flushing the outbox: results per letter, states after each kind of failure.

A scripted session stands in for the server here; tests/integration/test_smtp.py
runs the same flushes against a real SMTP server.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from composer.core.accounts import Account
from composer.core.locations import Locations
from composer.core.mail import build_message, parse_address
from composer.core.outbox import Outbox
from composer.core.sending import OutboxSender, Outcome, RetryPolicy
from composer.core.transport import FailureKind, ServerReply, SmtpError, SmtpFailure, reply_failure

ACCOUNT = Account("Ada", "ada@example.org", "smtp.example.org", 587, "starttls")


class ScriptedSession:
    """Answers each letter from a script: a reply, or a failure (optionally breaking the link).

    A failure is raised when the letter's data is sent; a step of the form
    ``(failure, breaks, "envelope")`` is raised at MAIL FROM / RCPT TO instead,
    and ``(failure, breaks, "before mail")`` before MAIL FROM could leave.
    `on_data` is called with the letter's bytes just before they "go out".
    """

    def __init__(self, script: list[object], open_failure: SmtpFailure | None = None) -> None:
        self.script = script
        self.open_failure = open_failure
        self.usable = False
        self.sent: list[bytes] = []
        self.envelopes: list[tuple[str, tuple[str, ...]]] = []
        self.resets = 0
        self.opened = 0
        self.closed = 0
        self.on_envelope: Callable[[], None] = lambda: None
        self.on_data: Callable[[bytes], None] = lambda raw: None

    def open(self) -> ServerReply:
        self.opened += 1
        if self.open_failure is not None:
            raise SmtpError(self.open_failure)
        self.usable = True
        return ServerReply(220, "ready")

    def envelope(
        self,
        envelope_from: str,
        envelope_to: tuple[str, ...],
        meanwhile: Callable[[], None] | None = None,
    ) -> None:
        self.envelopes.append((envelope_from, envelope_to))
        self.on_envelope()
        step = self.script[0]
        if isinstance(step, tuple) and step[2:] == ("before mail",):
            self.script.pop(0)
            self._fail(step)
        if meanwhile is not None:
            meanwhile()  # while the "server" reads MAIL FROM
        if isinstance(step, tuple) and step[2:] == ("envelope",):
            self.script.pop(0)
            self._fail(step)

    def data(self, raw: bytes) -> ServerReply:
        step = self.script.pop(0)
        self.on_data(raw)
        if isinstance(step, tuple):
            self._fail(step)
        self.sent.append(raw)
        return ServerReply(250, str(step))

    def _fail(self, step: tuple[object, ...]) -> None:
        failure, breaks = step[0], step[1]
        assert isinstance(failure, SmtpFailure)
        if breaks:
            self.usable = False
        raise SmtpError(failure)

    def reset(self) -> None:
        self.resets += 1

    def close(self) -> None:
        self.closed += 1

    def abort(self) -> None:
        self.usable = False


class Clock:
    def __init__(self) -> None:
        self.now = 5_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def outbox(locations: Locations, clock: Clock):
    box = Outbox(locations.database_file, clock=clock)
    yield box
    box.close()


def _queue(outbox: Outbox, count: int) -> list[int]:
    sender = parse_address("Ada <ada@example.org>", "From")
    return [
        outbox.enqueue(
            build_message(
                sender=sender,
                to=[parse_address(f"r{i}@example.gov", "To")],
                subject=f"Letter {i}",
                text="t",
                html="<p>t</p>",
            )
        )
        for i in range(count)
    ]


def _sender(
    outbox: Outbox,
    session: ScriptedSession,
    clock: Clock,
    password: Callable[[], str | None] = lambda: "pw",
) -> OutboxSender:
    return OutboxSender(
        outbox,
        ACCOUNT,
        password,
        retry=RetryPolicy(first=60, longest=600),
        session_factory=lambda account, pw, timeout: session,  # type: ignore[arg-type,return-value]
        clock=clock,
    )


def test_all_sent_over_one_session(outbox: Outbox, clock: Clock) -> None:
    _queue(outbox, 3)
    session = ScriptedSession(["ok 1", "ok 2", "ok 3"])
    progress: list[tuple[int, int]] = []
    report = _sender(outbox, session, clock).flush(
        progress=lambda done, total, _: progress.append((done, total))
    )
    assert session.opened == 1 and session.closed == 1
    assert [item.outcome for item in report.results] == [Outcome.SENT] * 3
    assert progress == [(1, 3), (2, 3), (3, 3)]
    assert outbox.entries() == [] and len(outbox.sent_entries()) == 3
    assert report.exit_status() == 0
    assert report.summary() == "Sent: 3 letters accepted by the server."
    # The bookkeeping is done on the sending thread's own connection: no other is opened.
    assert outbox._connections.count() == 1


def test_temporary_and_permanent_refusals_do_not_stop_the_batch(
    outbox: Outbox, clock: Clock
) -> None:
    first, second, third = _queue(outbox, 3)
    session = ScriptedSession(
        [
            (reply_failure(451, "4.3.0 busy", "confirm"), False),
            (reply_failure(550, "5.1.1 no such user", "rcpt"), False, "envelope"),
            "ok",
        ]
    )
    report = _sender(outbox, session, clock).flush()
    assert [item.outcome for item in report.results] == [
        Outcome.QUEUED,
        Outcome.FAILED,
        Outcome.SENT,
    ]
    retried = outbox.get(first)
    assert (
        retried is not None
        and retried.state == "queued"
        and retried.next_attempt_at == clock.now + 60
    )
    assert retried.last_reply == "451 4.3.0 busy"
    refused = outbox.get(second)
    assert (
        refused is not None
        and refused.state == "failed"
        and refused.last_reply == "550 5.1.1 no such user"
    )
    assert outbox.get(third) is None
    assert len(session.sent) == 1  # the refused recipient's letter never reached DATA
    assert report.exit_status() == 1
    assert "550 5.1.1 no such user" in report.summary()


def test_broken_connection_leaves_the_rest_queued_untried(outbox: Outbox, clock: Clock) -> None:
    ids = _queue(outbox, 3)
    lost = SmtpFailure(
        FailureKind.CONNECTION_LOST, "The connection was lost.", possibly_delivered=True
    )
    session = ScriptedSession(["ok", (lost, True)])
    report = _sender(outbox, session, clock).flush()
    assert [item.outcome for item in report.results] == [
        Outcome.SENT,
        Outcome.QUEUED,
        Outcome.QUEUED,
    ]
    assert report.connection_failure is lost
    second = outbox.get(ids[1])
    third = outbox.get(ids[2])
    assert second is not None and second.attempts == 1 and second.possibly_delivered
    assert third is not None and third.attempts == 0 and third.last_error.startswith("Not tried")
    assert report.exit_status() == 75


def test_no_connection_keeps_everything_queued_with_backoff(outbox: Outbox, clock: Clock) -> None:
    _queue(outbox, 2)
    refused = SmtpFailure(FailureKind.REFUSED, "The server refused the connection.")
    sender = _sender(outbox, ScriptedSession([], open_failure=refused), clock)
    report = sender.flush()
    assert [item.outcome for item in report.results] == [Outcome.QUEUED] * 2
    assert all(
        entry.attempts == 1 and entry.next_attempt_at == clock.now + 60
        for entry in outbox.entries()
    )
    assert report.exit_status() == 75
    clock.now += 61
    report = sender.flush()
    assert all(
        entry.attempts == 2 and entry.next_attempt_at == clock.now + 120
        for entry in outbox.entries()
    )


def test_login_rejected_needs_settings(outbox: Outbox, clock: Clock) -> None:
    _queue(outbox, 1)
    rejected = SmtpFailure(FailureKind.LOGIN_REJECTED, "Wrong password.", 535, "5.7.8 bad")
    report = _sender(outbox, ScriptedSession([], open_failure=rejected), clock).flush()
    assert report.needs_settings and report.exit_status() == 1
    assert outbox.pending_count() == 1


def test_nothing_due_means_no_connection(outbox: Outbox, clock: Clock) -> None:
    session = ScriptedSession([])
    report = _sender(outbox, session, clock).flush()
    assert session.opened == 0 and report.results == ()
    assert report.summary() == "The outbox is empty: nothing to send."


def test_backoff_doubles_up_to_the_limit() -> None:
    policy = RetryPolicy(first=60, longest=600)
    assert [policy.delay(n) for n in range(1, 7)] == [60, 120, 240, 480, 600, 600]


def test_a_letter_goes_out_only_once_claimed_and_the_one_before_is_recorded(
    outbox: Outbox, clock: Clock
) -> None:
    ids = _queue(outbox, 4)
    session = ScriptedSession(["ok"] * 4)
    seen: list[tuple[str, int]] = []

    def check(raw: bytes) -> None:
        # At the moment a letter's data goes out, it is marked "sending" in the
        # database, and every letter before it is already in the sent history.
        sending = [entry for entry in outbox.entries() if entry.state == "sending"]
        assert len(sending) == 1 and outbox.raw(sending[0].id) == raw
        seen.append((sending[0].subject, len(outbox.sent_entries())))

    session.on_data = check
    report = _sender(outbox, session, clock).flush()
    assert [item.outcome for item in report.results] == [Outcome.SENT] * 4
    assert seen == [(f"Letter {n}", n) for n in range(4)]
    assert [item.entry_id for item in report.results] == ids


def test_a_letter_cancelled_after_the_batch_was_listed_is_abandoned_unsent(
    outbox: Outbox, clock: Clock
) -> None:
    first, second, third = _queue(outbox, 3)
    session = ScriptedSession(["ok", "ok"])
    other = Outbox(outbox.path, clock=clock)

    def cancel_second(raw: bytes) -> None:
        if len(session.envelopes) == 1:
            other.cancel(second)  # the user cancels it while the first one goes out

    session.on_data = cancel_second
    try:
        report = _sender(outbox, session, clock).flush()
    finally:
        other.close()
    assert [item.entry_id for item in report.results] == [first, third]
    assert session.resets == 1 and len(session.sent) == 2
    assert outbox.get(second) is None and len(outbox.sent_entries()) == 2


def test_a_letter_edited_after_the_batch_was_listed_goes_out_as_edited(
    outbox: Outbox, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    (letter,) = _queue(outbox, 1)
    session = ScriptedSession(["ok"])
    sender = _sender(outbox, session, clock)
    listed = outbox.get(letter)
    edited = build_message(
        sender=parse_address("Ada <ada@example.org>", "From"),
        to=[parse_address("new-office@example.gov", "To")],
        subject="Edited",
        text="edited text",
        html="<p>edited text</p>",
    )
    outbox.replace(letter, edited)
    monkeypatch.setattr(outbox, "entries", lambda: [listed])  # the stale listing
    report = sender.flush([letter])
    assert report.results[0].outcome is Outcome.SENT
    assert session.resets == 1
    assert session.envelopes[-1][1] == ("new-office@example.gov",)
    assert session.sent == [edited.raw]


def test_the_letter_before_is_recorded_when_the_next_envelope_cannot_leave(
    outbox: Outbox, clock: Clock
) -> None:
    first, second = _queue(outbox, 2)
    lost = SmtpFailure(FailureKind.CONNECTION_LOST, "The connection was lost.")
    session = ScriptedSession(["ok", (lost, True, "before mail")])
    report = _sender(outbox, session, clock).flush()
    assert [(item.entry_id, item.outcome) for item in report.results] == [
        (first, Outcome.SENT),
        (second, Outcome.QUEUED),
    ]
    assert [entry.subject for entry in outbox.sent_entries()] == ["Letter 0"]
    waiting = outbox.get(second)
    assert waiting is not None and waiting.state == "queued" and waiting.attempts == 1


def test_bookkeeping_overlaps_the_envelope_and_precedes_the_data(
    outbox: Outbox, clock: Clock
) -> None:
    _queue(outbox, 3)
    session = ScriptedSession(["ok"] * 3)
    states: list[tuple[int, int]] = []

    def before_mail_from() -> None:
        # When the envelope starts, the letter before is not yet recorded as sent.
        states.append((len(outbox.sent_entries()), len(session.sent)))

    session.on_envelope = before_mail_from
    report = _sender(outbox, session, clock).flush()
    assert len(report.sent) == 3
    assert states == [(0, 0), (0, 1), (1, 2)]
