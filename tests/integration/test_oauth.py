"""OAuth2 sign-in and XOAUTH2 sending against real servers on loopback.

An authorization server built on oauthlib's server side (HTTPS, the test CA),
the SMTP test server accepting XOAUTH2 only for tokens that server issued and
still calls valid, and the real Secret Service for the refresh token.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from composer.core.accounts import Account, OAuthSettings, account_file, save_account
from composer.core.credentials import KeyringCredentials
from composer.core.locations import Locations
from composer.core.mail import build_message, parse_address
from composer.core.oauth import OAuthError, TokenSource, sign_in
from composer.core.outbox import Outbox
from composer.core.sending import FlushReport, OutboxSender, RetryPolicy
from composer.core.transport import FailureKind
from tests.helpers.cli import run_composer
from tests.helpers.keyring_session import KeyringSession
from tests.helpers.oauth_server import CLIENT_ID, SCOPE, AuthorizationServer, browser
from tests.helpers.smtp_server import Pki, SmtpTestServer

USER = "ada@example.org"


@pytest.fixture
def auth(pki: Pki, trusted_ca: Path) -> Iterator[AuthorizationServer]:
    with AuthorizationServer(pki, user=USER) as server:
        yield server


def _smtp(pki: Pki, auth: AuthorizationServer, **options: object) -> SmtpTestServer:
    options.setdefault("mechanisms", ("XOAUTH2",))
    return SmtpTestServer(pki, token_check=auth.user_of, **options)  # type: ignore[arg-type]


@pytest.fixture
def smtp(pki: Pki, auth: AuthorizationServer) -> Iterator[SmtpTestServer]:
    with _smtp(pki, auth) as server:
        yield server


@pytest.fixture
def outbox(locations: Locations) -> Iterator[Outbox]:
    box = Outbox(locations.database_file)
    yield box
    box.close()


def _account(smtp: SmtpTestServer, auth: AuthorizationServer) -> Account:
    return Account(
        "Ada Example",
        USER,
        smtp.host,
        smtp.port,
        "starttls",
        oauth=OAuthSettings(
            "custom",
            client_id=CLIENT_ID,
            authorize_url=auth.authorize_url,
            token_url=auth.token_url,
            scope=SCOPE,
        ),
    )


def _queue(outbox: Outbox, count: int) -> list[int]:
    return [
        outbox.enqueue(
            build_message(
                sender=parse_address(f"Ada Example <{USER}>", "From"),
                to=[parse_address("The President <president@whitehouse.gov>", "To")],
                subject=f"Letter {number}",
                text=f"Letter number {number}.\n",
                html=f"<p>Letter number {number}.</p>",
            )
        )
        for number in range(1, count + 1)
    ]


def _flush(outbox: Outbox, account: Account, source: TokenSource, ids: list[int]) -> FlushReport:
    sender = OutboxSender(outbox, account, lambda: source, timeout=5, retry=RetryPolicy(first=60))
    return sender.flush(ids)


def _no_url(url: str) -> None:
    raise AssertionError("the address was shown although the browser opened")


def _sign_in(account: Account, **options: object) -> TokenSource:
    return sign_in(
        account,
        KeyringCredentials(),
        show_url=_no_url,
        browser=browser,
        timeout=10,
        **options,  # type: ignore[arg-type]
    )


def _subjects(smtp: SmtpTestServer) -> list[str]:
    import email

    return sorted(
        str(email.message_from_bytes(item.data)["Subject"]) for item in smtp.recording.messages
    )


def test_first_sign_in_keeps_only_the_refresh_token_and_sends(
    real_keyring: KeyringSession,
    auth: AuthorizationServer,
    smtp: SmtpTestServer,
    outbox: Outbox,
) -> None:
    account = _account(smtp, auth)
    source = _sign_in(account)
    stored = KeyringCredentials().get(account.keyring_key)
    assert stored is not None and stored in auth.live_refresh_tokens()
    assert stored not in repr(source) and "Bearer" not in repr(source)

    ids = _queue(outbox, 2)
    report = _flush(outbox, account, source, ids)
    assert report.exit_status() == 0, report.summary()
    assert _subjects(smtp) == ["Letter 1", "Letter 2"]
    assert [ok for _, ok in smtp.recording.tokens] == [True]
    assert (
        smtp.recording.tokens[0][0] != stored
    )  # an access token went to SMTP, not the refresh one
    assert source.refreshes == 0
    smtp.assert_no_secret_in_clear(USER, smtp.recording.tokens[0][0])


def test_oauthbearer_where_only_it_is_offered(
    real_keyring: KeyringSession, auth: AuthorizationServer, pki: Pki, outbox: Outbox
) -> None:
    with _smtp(pki, auth, mechanisms=("OAUTHBEARER",)) as smtp:
        account = _account(smtp, auth)
        report = _flush(outbox, account, _sign_in(account), _queue(outbox, 1))
        assert report.exit_status() == 0, report.summary()
        assert len(smtp.recording.messages) == 1
        assert smtp.recording.logins == [(USER, True, True)]


def test_a_server_without_oauth_sign_in_is_explained(
    real_keyring: KeyringSession, auth: AuthorizationServer, pki: Pki, outbox: Outbox
) -> None:
    with SmtpTestServer(pki, users={USER: "irrelevant"}) as smtp:
        account = _account(smtp, auth)
        report = _flush(outbox, account, _sign_in(account), _queue(outbox, 1))
        failure = report.connection_failure
        assert failure is not None and failure.kind is FailureKind.LOGIN_UNSUPPORTED
        assert "does not offer sign-in with your provider" in failure.message
        assert "LOGIN PLAIN" in failure.message or "PLAIN LOGIN" in failure.message
        assert smtp.recording.logins == []  # the refresh token was never tried as a password
        assert outbox.pending_count() == 1


def test_refresh_before_the_access_token_expires(
    real_keyring: KeyringSession,
    auth: AuthorizationServer,
    smtp: SmtpTestServer,
    outbox: Outbox,
) -> None:
    account = _account(smtp, auth)
    source = _sign_in(account, clock=auth.now)
    first_refresh = KeyringCredentials().get(account.keyring_key)
    assert _flush(outbox, account, source, _queue(outbox, 1)).exit_status() == 0

    auth.advance(auth.lifetime - 60)  # still valid for a minute: too little for a batch
    ids = _queue(outbox, 2)
    report = _flush(outbox, account, source, ids)
    assert report.exit_status() == 0, report.summary()
    assert source.refreshes == 1
    # Renewed before the batch: the server never saw a refused token.
    tokens = smtp.recording.tokens
    assert [ok for _, ok in tokens] == [True, True] and tokens[0][0] != tokens[1][0]
    # The provider rotated the refresh token; the keyring has the new one, only.
    kept = KeyringCredentials().get(account.keyring_key)
    assert kept is not None and kept != first_refresh
    assert auth.live_refresh_tokens() == [kept]


def test_a_token_that_expires_mid_batch_loses_and_doubles_nothing(
    real_keyring: KeyringSession, auth: AuthorizationServer, pki: Pki, outbox: Outbox
) -> None:
    def expire_after_second(count: int) -> None:
        if count == 2:
            auth.advance(auth.lifetime + 1)

    with _smtp(pki, auth, on_accepted=expire_after_second) as smtp:
        account = _account(smtp, auth)
        # The program's own clock says the token is still good: only the server knows.
        source = _sign_in(account)
        ids = _queue(outbox, 5)
        first = _flush(outbox, account, source, ids)
        assert [item.subject for item in first.sent] == ["Letter 1", "Letter 2"]
        assert not first.failed and len(first.queued) == 3
        assert all(not item.failure.possibly_delivered for item in first.queued if item.failure)

        second = _flush(outbox, account, source, ids)
        assert second.exit_status() == 0, second.summary()
        assert sorted(item.subject for item in second.sent) == ["Letter 3", "Letter 4", "Letter 5"]
        # The stale token got 334 + 535; the program renewed it and signed in again once.
        assert [ok for _, ok in smtp.recording.tokens] == [True, False, True]
        assert source.refreshes == 1
        assert _subjects(smtp) == [f"Letter {number}" for number in range(1, 6)]
        assert outbox.pending_count() == 0 and len(outbox.sent_entries()) == 5


def test_a_revoked_sign_in_asks_once_to_sign_in_again_and_letters_wait(
    real_keyring: KeyringSession,
    auth: AuthorizationServer,
    smtp: SmtpTestServer,
    outbox: Outbox,
) -> None:
    account = _account(smtp, auth)
    _sign_in(account)
    refresh = KeyringCredentials().get(account.keyring_key)
    assert refresh is not None
    auth.revoke(refresh)  # the user removed the app's access at the provider

    ids = _queue(outbox, 2)
    # A later start of the program: no access token in memory.
    report = _flush(outbox, account, TokenSource(account, KeyringCredentials()), ids)
    failure = report.connection_failure
    assert failure is not None and failure.kind is FailureKind.SIGN_IN_NEEDED
    assert "Sign in again" in report.summary()
    assert "wait in the outbox" in report.summary()
    assert report.exit_status() == 1
    assert outbox.pending_count() == 2 and smtp.recording.messages == []
    assert smtp.recording.connections == 1 and smtp.recording.tokens == []
    assert KeyringCredentials().get(account.keyring_key) is None  # the dead token is gone

    source = _sign_in(account)
    report = _flush(outbox, account, source, ids)
    assert report.exit_status() == 0, report.summary()
    assert _subjects(smtp) == ["Letter 1", "Letter 2"]


def test_a_provider_that_cannot_be_reached_keeps_the_sign_in_and_retries_later(
    real_keyring: KeyringSession,
    auth: AuthorizationServer,
    smtp: SmtpTestServer,
    outbox: Outbox,
) -> None:
    account = _account(smtp, auth)
    _sign_in(account)
    kept = KeyringCredentials().get(account.keyring_key)
    auth.stop()  # the provider's token server is down
    ids = _queue(outbox, 1)
    report = _flush(outbox, account, TokenSource(account, KeyringCredentials()), ids)
    failure = report.connection_failure
    assert failure is not None and failure.kind is FailureKind.TEMPORARY
    assert "could not be reached" in failure.message
    assert report.exit_status() == 75 and outbox.pending_count() == 1
    assert KeyringCredentials().get(account.keyring_key) == kept  # an outage ends nothing


def test_an_answer_with_the_wrong_state_is_refused(
    real_keyring: KeyringSession, auth: AuthorizationServer, smtp: SmtpTestServer
) -> None:
    account = _account(smtp, auth)
    auth.forge_state = "forged-by-someone-else"
    with pytest.raises(OAuthError, match="did not belong to this sign-in"):
        _sign_in(account)
    assert KeyringCredentials().get(account.keyring_key) is None
    assert auth.token_requests == 0  # the code was never exchanged


def test_the_user_closes_the_browser(
    real_keyring: KeyringSession, auth: AuthorizationServer, smtp: SmtpTestServer
) -> None:
    account = _account(smtp, auth)
    closed = lambda url: browser(url, follow=False)  # noqa: E731
    with pytest.raises(OAuthError, match="No answer came from the browser") as caught:
        sign_in(account, KeyringCredentials(), show_url=_no_url, browser=closed, timeout=1)
    assert "sign in again" in str(caught.value)

    cancelled = threading.Event()
    cancelled.set()
    with pytest.raises(OAuthError, match="cancelled"):
        sign_in(
            account,
            KeyringCredentials(),
            show_url=_no_url,
            browser=closed,
            timeout=30,
            cancelled=cancelled,
        )

    auth.refuse = True  # pressed "Cancel" on the provider's page
    with pytest.raises(OAuthError, match="did not sign you in"):
        _sign_in(account)
    assert KeyringCredentials().get(account.keyring_key) is None
    assert auth.token_requests == 0


def test_command_line_sign_in_send_and_forget_leave_no_token_in_any_file(
    real_keyring: KeyringSession,
    auth: AuthorizationServer,
    smtp: SmtpTestServer,
    isolated_home: Path,
) -> None:
    setup = run_composer(
        "account", "set", "--email", USER, "--host", smtp.host, "--port", str(smtp.port),
        "--security", "starttls", "--auth", "oauth2", "--oauth-provider", "custom",
        "--client-id", CLIENT_ID, "--authorize-url", auth.authorize_url,
        "--token-url", auth.token_url, "--scope", SCOPE,
    )  # fmt: skip
    assert setup.returncode == 0, setup.stderr
    assert "composer account signin" in setup.stdout

    # No browser can be opened: the address is printed, and the user opens it.
    import os

    environment = {
        **os.environ,
        "BROWSER": "false",
        "DISPLAY": "",
        "WAYLAND_DISPLAY": "",
        "TERM": "",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "composer", "account", "signin", "--timeout", "30"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
    )
    try:
        assert process.stdout is not None
        url = ""
        for line in process.stdout:
            if line.startswith(auth.authorize_url):
                url = line.strip()
                break
        assert url, "the sign-in address was not printed"
        browser(url)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert "Signed in" in out

    shown = run_composer("account", "show")
    assert "Signed in" in shown.stdout, shown.stderr
    tested = run_composer("account", "test")
    assert tested.returncode == 0, tested.stderr

    locations = Locations.default()
    box = Outbox(locations.database_file)
    try:
        _queue(box, 2)
    finally:
        box.close()
    flushed = run_composer("outbox", "flush")
    assert flushed.returncode == 0, flushed.stderr
    assert _subjects(smtp) == ["Letter 1", "Letter 2"]
    sent = run_composer(
        "send", "--to-email", "Office <office@example.gov>", "--subject", "Sent after signing in"
    )
    assert sent.returncode == 0, sent.stdout + sent.stderr
    assert _subjects(smtp) == ["Letter 1", "Letter 2", "Sent after signing in"]
    assert smtp.recording.tokens and all(ok for _, ok in smtp.recording.tokens)

    forgot = run_composer("account", "forget")
    assert forgot.returncode == 0 and "Removed" in forgot.stdout
    assert auth.issued, "no token was issued"

    # Every file written (config, data, state with the log, cache, the keyring's own
    # encrypted files) is searched for every token the server issued.
    searched = 0
    for root in (isolated_home, real_keyring.home):
        for path in root.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                searched += 1
                for token in auth.issued:
                    assert token.encode() not in data, f"a token was written to {path}"
    assert searched >= 3
    assert account_file(locations.config_dir).exists()


def test_account_file_keeps_the_oauth_settings_and_no_token(tmp_path: Path) -> None:
    account = Account(
        "Ada", USER, "smtp.example.org", 587, oauth=OAuthSettings("google", client_id="id-1")
    )
    path = account_file(tmp_path)
    saved = save_account(path, account)
    from composer.core.accounts import load_account

    assert load_account(path) == saved
    assert "[account.oauth]" in path.read_text()
