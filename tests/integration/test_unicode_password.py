"""Passwords beyond ASCII: sent as UTF-8 (RFC 4616), and never echoed anywhere."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from composer.core.locations import Locations
from composer.core.mail import build_message, parse_address
from composer.core.outbox import Outbox
from composer.core.sending import OutboxSender, RetryPolicy
from composer.core.transport import FailureKind, check_connection
from tests.helpers.cli import run_composer
from tests.helpers.keyring_session import KeyringSession
from tests.helpers.smtp_server import Pki, SmtpTestServer
from tests.integration.conftest import USER, account_for

SECRET = "пароль-ü"
WRONG = "неверный-ö"


def _queue(outbox: Outbox) -> int:
    message = build_message(
        sender=parse_address("Ada Example <ada@example.org>", "From"),
        to=[parse_address("The President <president@whitehouse.gov>", "To")],
        subject="Protect those who refuse",
        text="Dear Mr. President:\n",
        html="<p>Dear Mr. President:</p>",
    )
    return outbox.enqueue(message)


@pytest.fixture
def outbox(locations: Locations) -> Iterator[Outbox]:
    box = Outbox(locations.database_file)
    yield box
    box.close()


@pytest.mark.parametrize("mechanism", ["PLAIN", "LOGIN"])
def test_a_non_ascii_password_signs_in_and_sends(
    mechanism: str, outbox: Outbox, pki: Pki, trusted_ca: Path
) -> None:
    with SmtpTestServer(pki, users={USER: SECRET}, mechanisms=(mechanism,)) as server:
        entry_id = _queue(outbox)
        sender = OutboxSender(
            outbox, account_for(server), lambda: SECRET, timeout=5, retry=RetryPolicy()
        )
        report = sender.flush([entry_id])
        assert [item.outcome.value for item in report.results] == ["sent"], report.summary()
        assert server.recording.logins == [(USER, True, True)]
        assert len(server.recording.messages) == 1
        server.assert_no_secret_in_clear(USER, SECRET)


def test_a_wrong_non_ascii_password_is_a_plain_refusal(pki: Pki, trusted_ca: Path) -> None:
    with SmtpTestServer(pki, users={USER: SECRET}) as server:
        result = check_connection(account_for(server), WRONG, timeout=5)
    assert not result.ok and result.failure is not None
    assert result.failure.kind is FailureKind.LOGIN_REJECTED
    _assert_no_part_of(WRONG, result.message)


def _assert_no_part_of(password: str, text: str) -> None:
    assert password not in text
    for character in password:
        if not character.isascii():
            assert character not in text, f"a character of the password was shown: {text!r}"


def test_command_line_with_a_non_ascii_password(
    real_keyring: KeyringSession, pki: Pki, trusted_ca: Path
) -> None:
    with SmtpTestServer(pki, users={USER: SECRET}) as server:
        setup = run_composer(
            "account", "set", "--email", USER, "--host", server.host,
            "--port", str(server.port), "--security", "starttls",
        )  # fmt: skip
        assert setup.returncode == 0, setup.stderr
        stored = run_composer("account", "password", input_text=WRONG + "\n")
        assert stored.returncode == 0, stored.stderr
        refused = run_composer("account", "test")
        assert refused.returncode == 1
        assert "rejected the user name or password" in refused.stderr
        assert "unexpected" not in refused.stderr.lower()

        stored = run_composer("account", "password", input_text=SECRET + "\n")
        assert stored.returncode == 0, stored.stderr
        accepted = run_composer("account", "test")
        assert accepted.returncode == 0, accepted.stderr
        assert "Connection OK" in accepted.stdout
        assert server.recording.logins == [(USER, True, False), (USER, True, True)]

    log_file = Locations.default().log_file
    log_text = log_file.read_text("utf-8") if log_file.exists() else ""
    for output in (refused.stdout, refused.stderr, accepted.stdout, accepted.stderr, log_text):
        _assert_no_part_of(WRONG, output)
        _assert_no_part_of(SECRET, output)
