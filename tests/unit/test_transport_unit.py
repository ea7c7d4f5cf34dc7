"""Classifying SMTP failures, and the rules that hold before any byte is sent.

The same paths run against a real server in tests/integration/test_smtp.py.
"""

from __future__ import annotations

import itertools
import re
import smtplib
import socket
import ssl

import pytest

from composer.core.accounts import Account
from composer.core.transport import (
    Disposition,
    FailureKind,
    SmtpError,
    SmtpSession,
    _dot_stuffed,
    classify_error,
    reply_failure,
)

ACCOUNT = Account("Ada", "ada@example.org", "smtp.example.org", 587, "starttls")


def _timeout_disconnect() -> smtplib.SMTPServerDisconnected:
    try:
        try:
            raise TimeoutError("timed out")
        except TimeoutError as inner:
            # Raised inside the handler, as smtplib does: the timeout becomes the context.
            raise smtplib.SMTPServerDisconnected(f"Connection unexpectedly closed: {inner}")  # noqa: B904
    except smtplib.SMTPServerDisconnected as error:
        return error


def _cert_error() -> ssl.SSLCertVerificationError:
    error = ssl.SSLCertVerificationError(1, "certificate verify failed")
    error.verify_message = "unable to get local issuer certificate"
    return error


@pytest.mark.parametrize(
    ("error", "phase", "kind", "disposition", "words"),
    [
        (
            socket.gaierror(socket.EAI_NONAME, "Name or service not known"),
            "connect",
            FailureKind.NAME_NOT_FOUND,
            Disposition.FIX_SETTINGS,
            "was not found",
        ),
        (
            socket.gaierror(socket.EAI_AGAIN, "Temporary failure"),
            "connect",
            FailureKind.OFFLINE,
            Disposition.RETRY,
            "offline",
        ),
        (
            ConnectionRefusedError(111, "Connection refused"),
            "connect",
            FailureKind.REFUSED,
            Disposition.RETRY,
            "refused the connection",
        ),
        (
            OSError(101, "Network is unreachable"),
            "connect",
            FailureKind.OFFLINE,
            Disposition.RETRY,
            "offline",
        ),
        (
            TimeoutError("timed out"),
            "connect",
            FailureKind.TIMED_OUT,
            Disposition.RETRY,
            "did not answer in time",
        ),
        (
            _timeout_disconnect(),
            "mail",
            FailureKind.TIMED_OUT,
            Disposition.RETRY,
            "did not answer in time",
        ),
        (
            _cert_error(),
            "tls",
            FailureKind.CERTIFICATE,
            Disposition.FIX_SETTINGS,
            "unable to get local issuer certificate",
        ),
        (
            smtplib.SMTPAuthenticationError(535, b"5.7.8 Authentication credentials invalid"),
            "login",
            FailureKind.LOGIN_REJECTED,
            Disposition.FIX_SETTINGS,
            "rejected the user name or password",
        ),
        (
            smtplib.SMTPAuthenticationError(454, b"4.7.0 try later"),
            "login",
            FailureKind.TEMPORARY,
            Disposition.RETRY,
            "tried again",
        ),
        (
            smtplib.SMTPNotSupportedError("SMTP AUTH extension not supported by server."),
            "login",
            FailureKind.LOGIN_UNSUPPORTED,
            Disposition.FIX_SETTINGS,
            "does not offer sign-in",
        ),
        (
            smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
            "data",
            FailureKind.CONNECTION_LOST,
            Disposition.RETRY,
            "was lost",
        ),
        (
            ConnectionResetError(104, "reset"),
            "mail",
            FailureKind.CONNECTION_LOST,
            Disposition.RETRY,
            "was lost",
        ),
    ],
)
def test_classify(
    error: BaseException, phase: str, kind: FailureKind, disposition: Disposition, words: str
) -> None:
    failure = classify_error(error, ACCOUNT, phase)
    assert failure.kind is kind
    assert failure.disposition is disposition
    assert words in failure.message
    assert "Traceback" not in failure.describe()


def test_wrong_port_for_security_gets_a_hint() -> None:
    error = ssl.SSLError(1, "[SSL: WRONG_VERSION_NUMBER] wrong version number")
    error.reason = "WRONG_VERSION_NUMBER"
    failure = classify_error(error, ACCOUNT, "connect")
    assert failure.kind is FailureKind.TLS
    assert "465 is usually SSL/TLS" in failure.message


def test_lost_after_the_whole_letter_went_warns_of_a_duplicate() -> None:
    failure = classify_error(_timeout_disconnect(), ACCOUNT, "confirm")
    assert failure.possibly_delivered
    assert "may deliver it twice" in failure.message


def test_server_replies_keep_the_servers_words() -> None:
    temporary = reply_failure(451, "4.3.0 Mailbox busy", "data")
    assert temporary.disposition is Disposition.RETRY
    assert temporary.describe().endswith("The server said: “451 4.3.0 Mailbox busy”.")
    permanent = reply_failure(550, "5.1.1 No such user", "rcpt")
    assert permanent.disposition is Disposition.REJECTED
    assert "550 5.1.1 No such user" in permanent.describe()
    assert reply_failure(421, "4.7.0 closing", "mail").disposition is Disposition.RETRY
    assert (
        reply_failure(530, "5.7.0 Authentication required", "mail").kind
        is FailureKind.LOGIN_REJECTED
    )


def test_dot_stuffing_and_line_ends() -> None:
    assert _dot_stuffed(b"a\r\n.b\r\n..c\nd") == b"a\r\n..b\r\n...c\r\nd\r\n.\r\n"
    assert _dot_stuffed(b".\r\n") == b"..\r\n.\r\n"
    assert _dot_stuffed(b"a\rb\n\r.c") == b"a\r\nb\r\n\r\n..c\r\n.\r\n"
    assert _dot_stuffed(b"") == b"\r\n.\r\n"


def test_dot_stuffing_matches_its_definition_on_every_short_mix() -> None:
    """Every line end (CR, LF, CRLF) becomes CRLF, and a dot that begins a line is doubled."""

    def by_definition(raw: bytes) -> bytes:
        lines = re.split(rb"\r\n|\r|\n", raw)
        if len(lines) > 1 and lines[-1] == b"":
            lines.pop()  # the text ended with a line end
        stuffed = (b"." + line if line.startswith(b".") else line for line in lines)
        return b"".join(line + b"\r\n" for line in stuffed) + b".\r\n"

    for length in range(1, 7):
        for letters in itertools.product(b"a.\r\n", repeat=length):
            raw = bytes(letters)
            assert _dot_stuffed(raw) == by_definition(raw), raw


def test_plain_smtp_to_a_remote_host_is_refused_before_connecting() -> None:
    account = Account("Ada", "ada@example.org", "smtp.example.org", 25, "plain-localhost")
    with pytest.raises(SmtpError) as caught:
        SmtpSession(account, "pw").open()
    assert caught.value.failure.kind is FailureKind.PLAIN_NOT_ALLOWED


def test_no_password_is_reported_before_connecting() -> None:
    with pytest.raises(SmtpError) as caught:
        SmtpSession(ACCOUNT, None).open()
    assert caught.value.failure.kind is FailureKind.NO_PASSWORD
    assert "composer account password" in caught.value.failure.message


def test_repr_never_shows_the_password() -> None:
    assert "s3cret" not in repr(SmtpSession(ACCOUNT, "s3cret"))
