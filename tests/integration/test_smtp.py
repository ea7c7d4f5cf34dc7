"""Sending through a real SMTP server on 127.0.0.1: success and every failure in the issue.

Each test checks three things: the letter is still in the outbox or was
accepted exactly once; the user gets a clear sentence (and the server's own
words where it gave any); and no password crossed an unencrypted connection.
"""

from __future__ import annotations

import email
import email.policy
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from composer.core.accounts import Account
from composer.core.locations import Locations
from composer.core.mail import build_message, parse_address
from composer.core.outbox import Outbox, OutboxError
from composer.core.sending import FlushReport, FlushStopped, OutboxSender, Outcome, RetryPolicy
from composer.core.transport import FailureKind, SmtpError, SmtpSession, check_connection
from tests.helpers.faults import fill_disk, tiny_tmpfs
from tests.helpers.smtp_server import HangingListener, Pki, SmtpTestServer, free_port
from tests.integration.conftest import PASSWORD, USER, account_for

TIMEOUT = 2.0


@pytest.fixture
def outbox(locations: Locations) -> Iterator[Outbox]:
    box = Outbox(locations.database_file)
    yield box
    box.close()


def _queue(
    outbox: Outbox, to: str = "president@whitehouse.gov", subject: str = "Protect those who refuse"
) -> int:
    message = build_message(
        sender=parse_address("Ada Example <ada@example.org>", "From"),
        to=[parse_address(f"The President <{to}>", "To")],
        subject=subject,
        text="Dear Mr. President:\n\n.A line that starts with a dot.\n",
        html="<p>Dear Mr. President:</p>",
        copy_to_sender=True,
    )
    return outbox.enqueue(message)


def _flush(outbox: Outbox, account: Account, password: str | None = PASSWORD) -> FlushReport:
    sender = OutboxSender(
        outbox,
        account,
        lambda: password,
        timeout=TIMEOUT,
        data_timeout=TIMEOUT,
        retry=RetryPolicy(first=30),
    )
    return sender.flush(outbox.queued_ids())


def _still_queued(outbox: Outbox, entry_id: int) -> None:
    entry = outbox.get(entry_id)
    assert entry is not None, "the letter left the outbox without being accepted"
    assert entry.state == "queued"
    assert outbox.sent_entries() == []


def test_success_starttls_exactly_once(outbox: Outbox, smtp_server: SmtpTestServer) -> None:
    entry_id = _queue(outbox)
    stored = outbox.raw(entry_id)
    report = _flush(outbox, account_for(smtp_server))
    assert [item.outcome for item in report.results] == [Outcome.SENT]
    assert report.exit_status() == 0
    assert report.summary() == (
        "Sent: “Protect those who refuse” to The President was accepted by the server."
    )
    (received,) = smtp_server.recording.messages
    assert received.login == USER
    assert received.mail_from == "ada@example.org"
    assert received.rcpt_tos == ("president@whitehouse.gov", "ada@example.org")
    # The server got exactly the stored bytes (dot-stuffing undone, CRLF kept).
    assert received.data == stored
    parsed = email.message_from_bytes(received.data, policy=email.policy.default)
    assert parsed["Bcc"] is None
    (sent,) = outbox.sent_entries()
    assert sent.server_reply == "250 2.0.0 Ok: queued as TEST0001"
    assert outbox.get(entry_id) is None
    # Flushing again sends nothing twice.
    assert _flush(outbox, account_for(smtp_server)).results == ()
    assert len(smtp_server.recording.messages) == 1
    smtp_server.assert_no_secret_in_clear(USER, PASSWORD)


def test_success_implicit_tls(outbox: Outbox, ssl_server: SmtpTestServer) -> None:
    entry_id = _queue(outbox)
    report = _flush(outbox, account_for(ssl_server))
    assert report.exit_status() == 0
    assert len(ssl_server.recording.messages) == 1
    assert outbox.get(entry_id) is None
    assert all(encrypted for encrypted, _ in ssl_server.recording.chunks)
    ssl_server.assert_no_secret_in_clear(USER, PASSWORD)


def test_batch_goes_over_one_connection(outbox: Outbox, smtp_server: SmtpTestServer) -> None:
    for number in range(5):
        _queue(outbox, subject=f"Letter {number}")
    report = _flush(outbox, account_for(smtp_server))
    assert len(report.sent) == 5
    assert smtp_server.recording.connections == 1
    assert len(smtp_server.recording.logins) == 1
    assert len(smtp_server.recording.messages) == 5


def test_server_down_then_back(outbox: Outbox, smtp_server: SmtpTestServer) -> None:
    entry_id = _queue(outbox)
    account = account_for(smtp_server)
    smtp_server.stop()
    report = _flush(outbox, account)
    assert report.connection_failure is not None
    assert report.connection_failure.kind is FailureKind.REFUSED
    assert report.exit_status() == 75
    assert "stays in the outbox" in report.summary()
    _still_queued(outbox, entry_id)
    entry = outbox.get(entry_id)
    assert entry is not None and entry.attempts == 1 and entry.next_attempt_at > time.time()
    smtp_server.start()  # same port: the server is back
    assert _flush(outbox, account).exit_status() == 0
    assert len(smtp_server.recording.messages) == 1
    smtp_server.assert_no_secret_in_clear(USER, PASSWORD)


def test_connection_refused(outbox: Outbox, trusted_ca: object) -> None:
    entry_id = _queue(outbox)
    account = Account("Ada", USER, "127.0.0.1", free_port(), "starttls")
    report = _flush(outbox, account)
    failure = report.connection_failure
    assert failure is not None and failure.kind is FailureKind.REFUSED
    assert f"127.0.0.1:{account.port} refused the connection" in failure.message
    assert "Check the port number" in failure.message
    _still_queued(outbox, entry_id)


def test_server_that_never_answers_times_out(outbox: Outbox, trusted_ca: object) -> None:
    entry_id = _queue(outbox)
    with HangingListener() as listener:
        account = Account("Ada", USER, listener.host, listener.port, "starttls")
        started = time.monotonic()
        report = _flush(outbox, account)
        elapsed = time.monotonic() - started
    failure = report.connection_failure
    assert failure is not None and failure.kind is FailureKind.TIMED_OUT
    assert "did not answer in time" in failure.message
    assert TIMEOUT - 0.5 < elapsed < TIMEOUT + 3
    assert report.exit_status() == 75
    _still_queued(outbox, entry_id)


def test_aiosmtpd_that_hangs_after_connect_times_out(
    outbox: Outbox, smtp_server: SmtpTestServer
) -> None:
    smtp_server.hang_greeting = True
    entry_id = _queue(outbox)
    report = _flush(outbox, account_for(smtp_server))
    assert report.connection_failure is not None
    assert report.connection_failure.kind is FailureKind.TIMED_OUT
    _still_queued(outbox, entry_id)
    assert smtp_server.recording.messages == []


def test_hang_after_the_letter_was_sent_warns_of_a_duplicate(
    outbox: Outbox, smtp_server: SmtpTestServer
) -> None:
    smtp_server.hang_after_data = True
    entry_id = _queue(outbox)
    report = _flush(outbox, account_for(smtp_server))
    (result,) = report.results
    assert result.outcome is Outcome.QUEUED
    assert result.failure is not None and result.failure.kind is FailureKind.TIMED_OUT
    assert result.failure.possibly_delivered
    assert "may deliver it twice" in result.text
    entry = outbox.get(entry_id)
    assert entry is not None and entry.state == "queued" and entry.possibly_delivered
    smtp_server.assert_no_secret_in_clear(USER, PASSWORD)


def test_a_slow_reply_after_the_letter_is_waited_for(
    outbox: Outbox, smtp_server: SmtpTestServer
) -> None:
    """RFC 5321 gives the server 10 minutes to answer the final dot: a server that
    checks the letter for longer than the usual step timeout is not cut off."""
    smtp_server.data_reply_delay = 1.5
    entry_id = _queue(outbox)
    sender = OutboxSender(outbox, account_for(smtp_server), lambda: PASSWORD, timeout=0.5)
    report = sender.flush([entry_id])
    (result,) = report.results
    assert result.outcome is Outcome.SENT, result.text
    assert len(smtp_server.recording.messages) == 1
    assert outbox.entries() == []


def test_only_the_letter_that_went_out_may_go_twice(
    outbox: Outbox, smtp_server: SmtpTestServer
) -> None:
    """The connection breaks after the first letter went out: the letters never tried
    are not said to be possibly delivered, in the report or in the outbox."""
    smtp_server.hang_after_data = True
    ids = [_queue(outbox, subject=f"Letter {number}") for number in range(4)]
    report = _flush(outbox, account_for(smtp_server))
    first, *untried = report.results
    assert first.entry_id == ids[0] and "may deliver it twice" in first.text
    assert [item.entry_id for item in untried] == ids[1:]
    for item in untried:
        assert item.outcome is Outcome.QUEUED
        assert "twice" not in item.text and "sent completely" not in item.text
        assert item.text.startswith("Not tried:")
        assert item.failure is not None and not item.failure.possibly_delivered
    flagged = [entry.id for entry in outbox.entries() if entry.possibly_delivered]
    assert flagged == [ids[0]]
    assert all("twice" not in entry.last_error for entry in outbox.entries()[1:])


def test_connection_dropped_in_the_middle_of_data(
    outbox: Outbox, smtp_server: SmtpTestServer
) -> None:
    smtp_server.drop_in_data = True
    entry_id = _queue(outbox)
    report = _flush(outbox, account_for(smtp_server))
    (result,) = report.results
    assert result.outcome is Outcome.QUEUED
    assert result.failure is not None and result.failure.kind is FailureKind.CONNECTION_LOST
    assert "was lost" in result.text
    _still_queued(outbox, entry_id)
    assert smtp_server.recording.messages == []
    # When the line holds, it goes exactly once.
    smtp_server.drop_in_data = False
    assert _flush(outbox, account_for(smtp_server)).exit_status() == 0
    assert len(smtp_server.recording.messages) == 1
    smtp_server.assert_no_secret_in_clear(USER, PASSWORD)


def test_421_service_closing(outbox: Outbox, smtp_server: SmtpTestServer) -> None:
    smtp_server.reply_mail = "421 4.3.2 Service shutting down, try later"
    first = _queue(outbox, subject="one")
    second = _queue(outbox, subject="two")
    report = _flush(outbox, account_for(smtp_server))
    assert [item.outcome for item in report.results] == [Outcome.QUEUED, Outcome.QUEUED]
    failure = report.results[0].failure
    assert failure is not None and failure.kind is FailureKind.TEMPORARY
    assert "421 4.3.2 Service shutting down, try later" in report.results[0].text
    assert report.exit_status() == 75
    for entry_id in (first, second):
        _still_queued(outbox, entry_id)
    entry = outbox.get(first)
    assert entry is not None and entry.last_reply == "421 4.3.2 Service shutting down, try later"
    smtp_server.assert_no_secret_in_clear(USER, PASSWORD)


def test_451_temporary_refusal(outbox: Outbox, smtp_server: SmtpTestServer) -> None:
    smtp_server.reply_data = "451 4.3.0 Mail server temporarily rejected message"
    entry_id = _queue(outbox)
    report = _flush(outbox, account_for(smtp_server))
    (result,) = report.results
    assert result.outcome is Outcome.QUEUED
    assert result.server_reply == "451 4.3.0 Mail server temporarily rejected message"
    assert "will be tried again" in result.text
    assert report.exit_status() == 75
    _still_queued(outbox, entry_id)
    entry = outbox.get(entry_id)
    assert entry is not None and entry.next_attempt_at > time.time() + 20
    smtp_server.reply_data = ""
    assert _flush(outbox, account_for(smtp_server)).exit_status() == 0
    assert len(smtp_server.recording.messages) == 1


def test_535_wrong_password(outbox: Outbox, smtp_server: SmtpTestServer) -> None:
    entry_id = _queue(outbox)
    report = _flush(outbox, account_for(smtp_server), password="wrong password")
    failure = report.connection_failure
    assert failure is not None and failure.kind is FailureKind.LOGIN_REJECTED
    assert failure.reply_code == 535
    assert "rejected the user name or password" in report.summary()
    assert "535 5.7.8 Authentication credentials invalid" in report.summary()
    assert report.needs_settings and report.exit_status() == 1
    _still_queued(outbox, entry_id)
    assert smtp_server.recording.logins == [(USER, True, False)]
    smtp_server.assert_no_secret_in_clear(USER, "wrong password")


def test_550_rejected_recipient(outbox: Outbox, smtp_server: SmtpTestServer) -> None:
    smtp_server.reject_recipients["nobody@whitehouse.gov"] = (
        "550 5.1.1 <nobody@whitehouse.gov>: Recipient address rejected"
    )
    bad = _queue(outbox, to="nobody@whitehouse.gov", subject="bad")
    good = _queue(outbox, subject="good")
    report = _flush(outbox, account_for(smtp_server))
    assert [item.outcome for item in report.results] == [Outcome.FAILED, Outcome.SENT]
    failed = report.results[0]
    assert "refused the recipient nobody@whitehouse.gov" in failed.text
    assert "550 5.1.1 <nobody@whitehouse.gov>: Recipient address rejected" in failed.text
    entry = outbox.get(bad)
    assert entry is not None and entry.state == "failed"
    assert entry.last_reply.startswith("550 5.1.1")
    assert outbox.get(good) is None
    # The refused letter went to nobody (not even the sender's copy); the other went once.
    assert [message.rcpt_tos[0] for message in smtp_server.recording.messages] == [
        "president@whitehouse.gov"
    ]
    assert smtp_server.recording.connections == 1
    assert report.exit_status() == 1
    smtp_server.assert_no_secret_in_clear(USER, PASSWORD)


def test_no_starttls_offered_means_no_password(
    outbox: Outbox, pki: Pki, trusted_ca: object
) -> None:
    # This server even offers AUTH in the clear: a careless client would send the password.
    with SmtpTestServer(pki, mode="plain", users={USER: PASSWORD}) as server:
        entry_id = _queue(outbox)
        report = _flush(outbox, account_for(server, "starttls"))
        failure = report.connection_failure
        assert failure is not None and failure.kind is FailureKind.NO_STARTTLS
        assert "does not offer an encrypted connection" in failure.message
        assert "password was not given" in failure.message
        assert report.exit_status() == 1
        _still_queued(outbox, entry_id)
        assert server.recording.logins == []
        assert server.recording.plaintext().upper().startswith(b"EHLO")
        server.assert_no_secret_in_clear(USER, PASSWORD)


@pytest.mark.parametrize(
    ("certificate", "words"), [("rogue", "not trusted"), ("wrong-name", "not trusted")]
)
@pytest.mark.parametrize("mode", ["starttls", "ssl"])
def test_untrusted_certificate(
    outbox: Outbox, pki: Pki, trusted_ca: object, certificate: str, words: str, mode: str
) -> None:
    with SmtpTestServer(pki, mode=mode, certificate=certificate, users={USER: PASSWORD}) as server:
        entry_id = _queue(outbox)
        report = _flush(outbox, account_for(server))
        failure = report.connection_failure
        assert failure is not None and failure.kind is FailureKind.CERTIFICATE
        assert words in failure.message and "Nothing was sent" in failure.message
        assert report.exit_status() == 1
        _still_queued(outbox, entry_id)
        assert server.recording.logins == [] and server.recording.messages == []
        server.assert_no_secret_in_clear(USER, PASSWORD)


def test_system_trust_store_does_not_know_the_test_ca(
    outbox: Outbox, smtp_server: SmtpTestServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without SSL_CERT_FILE the system's store is used, and it rightly refuses the test CA.
    monkeypatch.delenv("SSL_CERT_FILE")
    _queue(outbox)
    report = _flush(outbox, account_for(smtp_server))
    assert report.connection_failure is not None
    assert report.connection_failure.kind is FailureKind.CERTIFICATE


def test_account_certificate_file_is_trusted_in_addition(
    outbox: Outbox, smtp_server: SmtpTestServer, pki: Pki, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SSL_CERT_FILE")
    _queue(outbox)
    account = Account(
        "Ada",
        USER,
        smtp_server.host,
        smtp_server.port,
        "starttls",
        certificate_file=str(pki.ca_file),
    )
    assert _flush(outbox, account).exit_status() == 0


def test_wrong_security_for_the_port(outbox: Outbox, smtp_server: SmtpTestServer) -> None:
    # SSL/TLS spoken to a STARTTLS port: the TLS handshake meets an SMTP greeting.
    _queue(outbox)
    report = _flush(outbox, account_for(smtp_server, "ssl"))
    failure = report.connection_failure
    assert failure is not None and failure.kind is FailureKind.TLS
    assert "465 is usually SSL/TLS" in failure.message


def test_plain_localhost_only_by_choice(outbox: Outbox, pki: Pki) -> None:
    with SmtpTestServer(pki, mode="plain", users={USER: PASSWORD}) as server:
        _queue(outbox)
        relay = Account("Ada", USER, server.host, server.port, "plain-localhost")
        report = _flush(outbox, relay, password=None)
        assert report.exit_status() == 0
        assert len(server.recording.messages) == 1


def test_test_connection_answers(smtp_server: SmtpTestServer, pki: Pki) -> None:
    good = check_connection(account_for(smtp_server), PASSWORD, timeout=TIMEOUT)
    assert good.ok and good.message.startswith("Connection OK") and "TLSv1.3" in good.message
    wrong = check_connection(account_for(smtp_server), "nope", timeout=TIMEOUT)
    assert (
        not wrong.ok
        and wrong.failure is not None
        and wrong.failure.kind is FailureKind.LOGIN_REJECTED
    )
    refused = check_connection(
        Account("Ada", USER, "127.0.0.1", free_port(), "ssl"), PASSWORD, timeout=TIMEOUT
    )
    assert refused.failure is not None and refused.failure.kind is FailureKind.REFUSED
    with HangingListener() as listener:
        hung = check_connection(
            Account("Ada", USER, listener.host, listener.port, "ssl"), PASSWORD, timeout=TIMEOUT
        )
    assert hung.failure is not None and hung.failure.kind is FailureKind.TIMED_OUT
    with SmtpTestServer(pki, mode="ssl", certificate="rogue") as rogue:
        tls = check_connection(account_for(rogue), PASSWORD, timeout=TIMEOUT)
    assert tls.failure is not None and tls.failure.kind is FailureKind.CERTIFICATE
    assert smtp_server.recording.messages == []
    smtp_server.assert_no_secret_in_clear(USER, PASSWORD)


def test_abort_frees_a_thread_stuck_on_a_hanging_server(smtp_server: SmtpTestServer) -> None:
    import threading

    smtp_server.hang_after_data = True
    session = SmtpSession(account_for(smtp_server), PASSWORD, timeout=30)
    session.open()
    outcome: list[SmtpError] = []

    def send() -> None:
        try:
            session.send(
                "ada@example.org", ("president@whitehouse.gov",), b"Subject: x\r\n\r\nx\r\n"
            )
        except SmtpError as error:
            outcome.append(error)

    worker = threading.Thread(target=send)
    started = time.monotonic()
    worker.start()
    deadline = time.monotonic() + 5
    while not smtp_server.recording.everything().endswith(b".\r\n") and time.monotonic() < deadline:
        time.sleep(0.01)
    session.abort()
    worker.join(5)
    assert not worker.is_alive()
    assert time.monotonic() - started < 5
    assert outcome and outcome[0].failure.possibly_delivered
    session.close()


def test_work_done_while_the_server_reads_mail_from(smtp_server: SmtpTestServer) -> None:
    """`envelope(meanwhile=…)`: the work runs once MAIL FROM has left; if it fails, the
    letter is abandoned with RSET, nothing is delivered, and the session goes on."""
    letter = b"Subject: x\r\n\r\nx\r\n"
    calls: list[bool] = []

    def note() -> None:
        # MAIL FROM is already on its way: the server gets it while this runs.
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            if b"FROM:<ada@example.org>" in smtp_server.recording.everything():
                break
            time.sleep(0.005)
        calls.append(b"FROM:<ada@example.org>" in smtp_server.recording.everything())

    def fail() -> None:
        raise OSError("disk full")

    with SmtpSession(account_for(smtp_server), PASSWORD, timeout=TIMEOUT) as session:
        session.envelope("ada@example.org", ("president@whitehouse.gov",), note)
        session.data(letter)
        assert calls == [True]
        with pytest.raises(OSError, match="disk full"):
            session.envelope("ada@example.org", ("secretary@dhs.gov",), fail)
        assert session.usable
        assert len(smtp_server.recording.messages) == 1
        session.envelope("ada@example.org", ("speaker@house.gov",))
        session.data(letter)
    assert [message.rcpt_tos for message in smtp_server.recording.messages] == [
        ("president@whitehouse.gov",),
        ("speaker@house.gov",),
    ]
    assert b"RSET" in smtp_server.recording.everything().upper()


def test_disk_full_in_the_middle_of_a_batch_stops_it_and_loses_nothing(
    tmp_path: Path, smtp_server: SmtpTestServer
) -> None:
    """The outbox cannot record a letter: sending stops cleanly, with the reason, and the
    next start finds every letter sent or waiting (at most one flagged as maybe sent)."""
    with tiny_tmpfs(tmp_path / "small", size="8m") as disk:
        database = disk / "letters.sqlite3"
        outbox = Outbox(database)
        ids = [_queue(outbox, subject=f"Letter {number}") for number in range(40)]
        outbox.close()
        filler = fill_disk(disk)
        with open(filler, "r+b") as handle:  # room for the first few letters' bookkeeping
            handle.truncate(filler.stat().st_size - 160 * 1024)
        outbox = Outbox(database)
        with pytest.raises(OutboxError, match="The disk is full") as stopped:
            _flush(outbox, account_for(smtp_server))
        outbox.close()
        assert "wait in the outbox" in str(stopped.value)
        received = {message.data for message in smtp_server.recording.messages}
        assert 0 < len(received) < len(ids)
        # The letters that did go out are named, so the user knows not to send them again.
        assert isinstance(stopped.value, FlushStopped)
        went_out = [item.subject for item in stopped.value.sent]
        assert went_out and f"{len(went_out)} letter" in str(stopped.value)
        assert all(f"“{subject}”" in str(stopped.value) for subject in went_out)
        # The session was ended properly: the unanswered letter abandoned, then goodbye.
        everything = smtp_server.recording.everything().upper()
        assert everything.rstrip().endswith(b"QUIT")
        assert b"RSET" in everything

        filler.unlink()  # the user frees some space and starts the program again
        outbox = Outbox(database)
        try:
            assert outbox.recover() <= 1
            sent = {outbox.sent_raw(entry.id) for entry in outbox.sent_entries()}
            waiting = {entry.id: outbox.raw(entry.id) for entry in outbox.entries()}
            assert len(sent) + len(waiting) == len(ids)
            assert sent <= received
            unflagged = {
                waiting[entry.id] for entry in outbox.entries() if not entry.possibly_delivered
            }
            assert not unflagged & received
            report = _flush(outbox, account_for(smtp_server))
            assert report.exit_status() == 0 and outbox.entries() == []
        finally:
            outbox.close()
