"""The command line against a real SMTP server and a real keyring, in separate processes.

The last test here is the one the issue asks for: a full send, then every
file the program wrote (settings, database, log) and the keyring's own files
are searched for the password, in every encoding SMTP uses for it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from composer.core.accounts import Account
from composer.core.credentials import KeyringCredentials
from composer.core.locations import Locations
from composer.core.mail import build_message, parse_address
from composer.core.outbox import Outbox
from tests.helpers.keyring_session import KeyringSession
from tests.helpers.smtp_server import SmtpTestServer, free_port, secret_forms
from tests.integration.conftest import PASSWORD, USER


def composer(*arguments: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run the real ``composer`` program with this test's environment."""
    return subprocess.run(
        [sys.executable, "-m", "composer", *arguments],
        input=stdin,
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=60,
        check=False,
    )


def _set_account(server: SmtpTestServer | None, port: int | None = None) -> None:
    done = composer(
        "account", "set", "--email", USER, "--name", "Ada Example",
        "--host", "127.0.0.1", "--port", str(port or (server.port if server else 0)),
        "--security", "starttls",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


def _queue(subject: str = "Protect those who refuse", to: str = "president@whitehouse.gov") -> int:
    outbox = Outbox(Locations.default().database_file)
    try:
        return outbox.enqueue(
            build_message(
                sender=parse_address(f"Ada Example <{USER}>", "From"),
                to=[parse_address(f"The President <{to}>", "To")],
                subject=subject,
                text="Dear Mr. President:\n\nPlease protect them.\n",
                html="<p>Dear Mr. President:</p><p>Please protect them.</p>",
                copy_to_sender=True,
            )
        )
    finally:
        outbox.close()


def _pending() -> int:
    outbox = Outbox(Locations.default().database_file)
    try:
        return outbox.pending_count() + outbox.failed_count()
    finally:
        outbox.close()


def test_password_from_stdin_goes_to_the_real_keyring(
    real_keyring: KeyringSession, smtp_server: SmtpTestServer
) -> None:
    _set_account(smtp_server)
    stored = composer("account", "password", stdin=PASSWORD + "\n")
    assert stored.returncode == 0, stored.stderr
    assert stored.stdout.strip() == f"Stored the password for {USER} in the system keyring."
    key = Account("", USER, "127.0.0.1", smtp_server.port).keyring_key
    assert KeyringCredentials().get(key) == PASSWORD

    tested = composer("account", "test", "--timeout", "2")
    assert tested.returncode == 0, tested.stderr
    assert tested.stdout.startswith(
        f"Connection OK: 127.0.0.1:{smtp_server.port}, encrypted (TLSv1.3), signed in as {USER}."
    )

    forgotten = composer("account", "forget")
    assert forgotten.returncode == 0
    assert KeyringCredentials().get(key) is None
    smtp_server.assert_no_secret_in_clear(USER, PASSWORD)


def test_flush_exit_codes(real_keyring: KeyringSession, smtp_server: SmtpTestServer) -> None:
    _set_account(smtp_server)
    assert composer("account", "password", stdin=PASSWORD).returncode == 0

    # The server is down: the letter waits, exit 75, one clear line.
    smtp_server.stop()
    _queue("one")
    down = composer("outbox", "flush", "--timeout", "2")
    assert down.returncode == 75, down.stderr
    assert down.stdout.count("\n") == 1
    assert (
        "Still in the outbox: 1 letter" in down.stdout and "refused the connection" in down.stdout
    )
    assert _pending() == 1

    # It is back: accepted, exit 0.
    smtp_server.start()
    up = composer("outbox", "flush", "--timeout", "2")
    assert up.returncode == 0, up.stdout + up.stderr
    assert up.stdout.strip() == "Sent: “one” to The President was accepted by the server."
    assert len(smtp_server.recording.messages) == 1 and _pending() == 0

    # A rejected recipient: exit 1 with the server's words.
    smtp_server.reject_recipients["nobody@whitehouse.gov"] = "550 5.1.1 No such user here"
    _queue("two", to="nobody@whitehouse.gov")
    refused = composer("outbox", "flush", "--timeout", "2")
    assert refused.returncode == 1
    assert "550 5.1.1 No such user here" in refused.stdout
    assert _pending() == 1

    # 451: stays queued, exit 75.
    smtp_server.reject_recipients.clear()
    smtp_server.reply_data = "451 4.3.0 Try again later"
    _queue("three")
    later = composer("outbox", "flush", "--timeout", "2", "--json")
    assert later.returncode == 75
    assert '"451 4.3.0 Try again later"' in later.stdout
    assert len(smtp_server.recording.messages) == 1
    smtp_server.assert_no_secret_in_clear(USER, PASSWORD)


def test_flush_with_a_wrong_password_says_so(
    real_keyring: KeyringSession, smtp_server: SmtpTestServer
) -> None:
    _set_account(smtp_server)
    assert composer("account", "password", stdin="not the password").returncode == 0
    _queue()
    done = composer("outbox", "flush", "--timeout", "2")
    assert done.returncode == 1
    assert "rejected the user name or password" in done.stdout and "535" in done.stdout
    assert _pending() == 1


def test_flush_without_a_keyring_or_terminal_explains(
    smtp_server: SmtpTestServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No D-Bus session at all: keyring falls back to its "fail" backend.
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    _set_account(smtp_server)
    _queue()
    done = composer("outbox", "flush", "--timeout", "2")
    assert done.returncode == 1
    assert "no keyring" in done.stderr
    assert "There is no password" in done.stdout
    assert _pending() == 1
    assert smtp_server.recording.connections == 0


def test_refused_port_in_account_test(real_keyring: KeyringSession, trusted_ca: Path) -> None:
    _set_account(None, port=free_port())
    assert composer("account", "password", stdin=PASSWORD).returncode == 0
    done = composer("account", "test", "--timeout", "2")
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "refused the connection" in done.stderr


def test_password_is_in_no_file_after_a_full_send(
    real_keyring: KeyringSession, smtp_server: SmtpTestServer, isolated_home: Path
) -> None:
    _set_account(smtp_server)
    assert composer("account", "password", stdin=PASSWORD + "\n").returncode == 0
    assert composer("account", "test", "--timeout", "2").returncode == 0
    _queue("first")
    assert composer("outbox", "flush", "--timeout", "2").returncode == 0
    sent = composer("send", "--to-email", "office@example.gov", "--copy-to-me", "--timeout", "2")
    assert sent.returncode == 0, sent.stdout + sent.stderr
    assert len(smtp_server.recording.messages) == 2
    # A failed sign-in and a failure are logged too: they must not carry it either.
    smtp_server.reply_data = "451 4.3.0 busy"
    _queue("third")
    assert composer("outbox", "flush", "--timeout", "2").returncode == 75

    locations = Locations.default()
    assert locations.log_file.is_file() and locations.log_file.stat().st_size > 0
    assert locations.database_file.is_file()
    folders = {
        isolated_home,
        real_keyring.home,
        locations.config_dir,
        locations.data_dir,
        locations.state_dir,
        locations.cache_dir,
    }
    files = sorted({path for folder in folders for path in folder.rglob("*") if path.is_file()})
    assert len(files) >= 5
    forms = secret_forms(USER, PASSWORD)
    for path in files:
        data = path.read_bytes()
        for form in forms:
            assert form not in data, f"the password is in {path}"
    smtp_server.assert_no_secret_in_clear(USER, PASSWORD)


def test_send_command_exit_codes(real_keyring: KeyringSession, smtp_server: SmtpTestServer) -> None:
    import email
    import email.policy

    _set_account(smtp_server)
    assert composer("account", "password", stdin=PASSWORD).returncode == 0
    send = ("send", "--to-email", "Office <office@example.gov>", "--timeout", "2")

    done = composer(*send, "--subject", "Protect those who refuse to fight")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == (
        "Sent: “Protect those who refuse to fight” to Office was accepted by the server."
    )
    (received,) = smtp_server.recording.messages
    assert received.rcpt_tos == ("office@example.gov",)
    parsed = email.message_from_bytes(received.data, policy=email.policy.default)
    assert parsed["Subject"] == "Protect those who refuse to fight"
    assert str(parsed["From"]) == f"Ada Example <{USER}>"
    assert [part.get_content_type() for part in parsed.iter_parts()] == ["text/plain", "text/html"]
    assert "Mr. President" in parsed.get_body(("plain",)).get_content()

    # A malformed address: nothing is queued, one line, exit 1.
    bad = composer("send", "--to-email", "office at example.gov", "--timeout", "2")
    assert bad.returncode == 1
    assert bad.stderr.strip().endswith(
        "is not a valid e-mail address: it contains a space or a character not allowed there."
    )
    assert _pending() == 0

    # A subject with a line break is refused before anything is queued.
    injected = composer(*send, "--subject", "Hello\r\nBcc: someone@example.net")
    assert injected.returncode == 1 and "Subject" in injected.stderr
    assert _pending() == 0

    # The server refuses the recipient: exit 1 with its words; the letter waits to be edited.
    smtp_server.reject_recipients["office@example.gov"] = "550 5.1.1 Mailbox unavailable"
    refused = composer(*send)
    assert refused.returncode == 1
    assert "550 5.1.1 Mailbox unavailable" in refused.stdout and refused.stdout.count("\n") == 1
    assert _pending() == 1

    # The server is down: exit 75, still queued.
    smtp_server.stop()
    later = composer(*send)
    assert later.returncode == 75
    assert later.stdout.count("\n") == 1 and "Still in the outbox" in later.stdout
    assert _pending() == 2
    smtp_server.assert_no_secret_in_clear(USER, PASSWORD)


def test_a_refused_letter_is_edited_and_retried_from_the_command_line(
    real_keyring: KeyringSession, smtp_server: SmtpTestServer, tmp_path: Path
) -> None:
    _set_account(smtp_server)
    assert composer("account", "password", stdin=PASSWORD).returncode == 0
    smtp_server.reject_recipients["nobody@whitehouse.gov"] = "550 5.1.1 No such user here"
    _queue("refused", to="nobody@whitehouse.gov")
    assert composer("outbox", "flush", "--timeout", "2").returncode == 1
    (entry,) = Outbox(Locations.default().database_file).entries()
    assert entry.state == "failed"

    # Nothing is due, but the refused letter is not forgotten.
    idle = composer("outbox", "flush", "--timeout", "2")
    assert "The outbox is empty" not in idle.stdout
    assert "1 letter refused by the server waits to be corrected" in idle.stdout
    assert "edit or retry" in idle.stdout

    # Wrong input changes nothing and says what to type.
    bad = composer("outbox", "edit", str(entry.id), "--to", "nobody-at-all")
    assert bad.returncode == 1 and "not a valid e-mail address" in bad.stderr
    assert "was not changed" in bad.stderr
    missing = composer("outbox", "retry", "999")
    assert missing.returncode == 1 and "no letter #999" in missing.stderr

    text = tmp_path / "letter.txt"
    text.write_text("Dear Commenters:\n\nPlease protect them.\n", encoding="utf-8")
    edited = composer(
        "outbox", "edit", str(entry.id),
        "--to", '"White House, Comments" <comments@whitehouse.gov>',
        "--subject", "Corrected", "--text-file", str(text),
    )  # fmt: skip
    assert edited.returncode == 0, edited.stderr
    assert f"composer outbox retry {entry.id}" in edited.stdout
    assert smtp_server.recording.messages == []

    sent = composer("outbox", "retry", str(entry.id), "--timeout", "2")
    assert sent.returncode == 0, sent.stdout + sent.stderr
    assert "“Corrected”" in sent.stdout and "accepted by the server" in sent.stdout
    (received,) = smtp_server.recording.messages
    assert received.rcpt_tos == ("comments@whitehouse.gov", USER)
    assert b"Dear Commenters:" in received.data and _pending() == 0
    listed = composer("outbox", "list", "--sent")
    assert "Corrected" in listed.stdout
