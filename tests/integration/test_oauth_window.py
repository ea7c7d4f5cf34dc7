"""Signing in from the account dialog and sending from the window's sender, with XOAUTH2.

Real parts: the oauthlib authorization server and the SMTP server on loopback,
the Secret Service, the real dialog and send controller under pytest-qt.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThreadPool
from pytestqt.qtbot import QtBot

from composer.core.accounts import Account, OAuthSettings, account_file, load_account, save_account
from composer.core.credentials import KeyringCredentials, PasswordSource, SessionPasswords
from composer.core.locations import Locations
from composer.core.mail import build_message, parse_address
from composer.core.outbox import Outbox
from composer.gui.account_dialog import AccountDialog
from composer.gui.send_worker import SendController
from tests.helpers.keyring_session import KeyringSession
from tests.helpers.oauth_server import CLIENT_ID, SCOPE, AuthorizationServer, browser
from tests.helpers.smtp_server import Pki, SmtpTestServer

USER = "ada@example.org"


@pytest.fixture(autouse=True)
def collect_on_the_gui_thread() -> Iterator[None]:
    """Free Qt objects left in reference cycles here, on the GUI thread, rather than in
    a collection that happens to run later on one of the servers' threads."""
    yield
    gc.collect()


@pytest.fixture
def auth(pki: Pki, trusted_ca: Path) -> Iterator[AuthorizationServer]:
    with AuthorizationServer(pki, user=USER) as server:
        yield server


@pytest.fixture
def smtp(pki: Pki, auth: AuthorizationServer) -> Iterator[SmtpTestServer]:
    with SmtpTestServer(pki, mechanisms=("XOAUTH2",), token_check=auth.user_of) as server:
        yield server


@pytest.fixture
def pool() -> Iterator[QThreadPool]:
    threads = QThreadPool()
    yield threads
    threads.waitForDone(10_000)


def _saved_account(locations: Locations, smtp: SmtpTestServer, auth: AuthorizationServer) -> Path:
    path = account_file(locations.config_dir)
    save_account(
        path,
        Account(
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
        ),
    )
    return path


def _dialog(qtbot: QtBot, path: Path, pool: QThreadPool, **options: object) -> AccountDialog:
    dialog = AccountDialog(
        path,
        PasswordSource(KeyringCredentials(), SessionPasswords()),
        pool=pool,
        timeout=5,
        **options,  # type: ignore[arg-type]
    )
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        dialog.show()
    return dialog


def test_presets_choose_how_to_sign_in(
    qtbot: QtBot, real_keyring: KeyringSession, locations: Locations, pool: QThreadPool
) -> None:
    dialog = _dialog(qtbot, account_file(locations.config_dir), pool)
    assert not dialog.sign_in_button.isVisibleTo(dialog)
    dialog.preset.setCurrentIndex(dialog.preset.findData("gmail"))
    assert dialog.sign_in_button.isVisibleTo(dialog)
    assert dialog.sign_in_button.text() == "Sign &in with Google…"
    assert not dialog.password.isEnabled()
    dialog.use_password.setChecked(True)
    assert not dialog.sign_in_button.isVisibleTo(dialog) and dialog.password.isEnabled()
    dialog.preset.setCurrentIndex(dialog.preset.findData("fastmail"))
    assert not dialog.use_password.isVisibleTo(dialog) and dialog.password.isEnabled()
    dialog.preset.setCurrentIndex(dialog.preset.findData("microsoft365"))
    assert dialog.sign_in_button.text() == "Sign &in with Microsoft…"
    dialog.email.setText(USER)
    dialog.client_id.setText("registered-id")
    account = dialog.account()
    assert account.oauth == OAuthSettings("microsoft", client_id="registered-id")


def test_sign_in_from_the_dialog_then_send_from_the_window(
    qtbot: QtBot,
    real_keyring: KeyringSession,
    locations: Locations,
    auth: AuthorizationServer,
    smtp: SmtpTestServer,
    pool: QThreadPool,
) -> None:
    path = _saved_account(locations, smtp, auth)
    dialog = _dialog(qtbot, path, pool, browser=browser, sign_in_timeout=10)
    assert "Not signed in yet" in dialog.sign_in_state.text()
    assert dialog.sign_in_button.isVisibleTo(dialog)
    assert not dialog.password.isEnabled()
    with qtbot.waitSignal(dialog.signed_in, timeout=15_000) as signed:
        qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    ok, message = signed.args
    assert ok, message
    assert "Signed in" in dialog.sign_in_state.text()
    account = load_account(path)
    assert account is not None
    assert KeyringCredentials().get(account.keyring_key) in auth.live_refresh_tokens()

    with qtbot.waitSignal(dialog.checked, timeout=15_000) as checked:
        qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    assert checked.args[0].ok, checked.args[0].message

    outbox = Outbox(locations.database_file)
    controller = SendController(
        outbox,
        lambda: load_account(path),
        PasswordSource(KeyringCredentials(), SessionPasswords()),
        pool=pool,
        timeout=5,
        watch_network=False,
    )
    try:
        message = build_message(
            sender=parse_address(f"Ada Example <{USER}>", "From"),
            to=[parse_address("The President <president@whitehouse.gov>", "To")],
            subject="Sent with a sign-in",
            text="Dear Mr. President:\n",
            html="<p>Dear Mr. President:</p>",
        )
        controller.queue([message])
        qtbot.waitUntil(lambda: len(outbox.sent_entries()) == 1, timeout=15_000)
        qtbot.waitUntil(lambda: not controller.busy, timeout=15_000)
    finally:
        controller.shutdown()
        outbox.close()
    assert len(smtp.recording.messages) == 1
    assert smtp.recording.tokens and all(ok for _, ok in smtp.recording.tokens)
    refresh = KeyringCredentials().get(account.keyring_key)
    assert refresh is not None
    assert refresh.encode() not in smtp.recording.everything()  # only access tokens went out


def test_the_address_is_shown_when_no_browser_opens(
    qtbot: QtBot,
    real_keyring: KeyringSession,
    locations: Locations,
    auth: AuthorizationServer,
    smtp: SmtpTestServer,
    pool: QThreadPool,
) -> None:
    path = _saved_account(locations, smtp, auth)
    dialog = _dialog(qtbot, path, pool, browser=lambda url: False, sign_in_timeout=10)
    with qtbot.waitSignal(dialog.sign_in_address, timeout=10_000) as shown:
        dialog.sign_in()
    url = shown.args[0]
    assert url in dialog.sign_in_state.text()
    with qtbot.waitSignal(dialog.signed_in, timeout=15_000) as signed:
        browser(url)  # the user copies the address into a browser
    assert signed.args[0], signed.args[1]


def test_a_revoked_sign_in_is_one_sign_in_again_step_while_the_letter_waits(
    qtbot: QtBot,
    real_keyring: KeyringSession,
    locations: Locations,
    auth: AuthorizationServer,
    smtp: SmtpTestServer,
    pool: QThreadPool,
) -> None:
    path = _saved_account(locations, smtp, auth)
    account = load_account(path)
    assert account is not None
    dialog = _dialog(qtbot, path, pool, browser=browser, sign_in_timeout=10)
    with qtbot.waitSignal(dialog.signed_in, timeout=15_000):
        dialog.sign_in()
    refresh = KeyringCredentials().get(account.keyring_key)
    assert refresh is not None
    auth.revoke(refresh)  # the user removed the program's access at the provider

    outbox = Outbox(locations.database_file)
    controller = SendController(
        outbox,
        lambda: load_account(path),
        PasswordSource(KeyringCredentials(), SessionPasswords()),
        pool=pool,
        timeout=5,
        watch_network=False,
    )
    try:
        message = build_message(
            sender=parse_address(f"Ada Example <{USER}>", "From"),
            to=[parse_address("The President <president@whitehouse.gov>", "To")],
            subject="Waits for a new sign-in",
            text="Dear Mr. President:\n",
            html="<p>Dear Mr. President:</p>",
        )
        with qtbot.waitSignal(
            controller.announcement, timeout=15_000, check_params_cb=lambda text, good: not good
        ) as announced:
            controller.queue([message])
        qtbot.waitUntil(lambda: not controller.busy, timeout=15_000)
        text, good = announced.args
        assert not good and "Sign in again" in text, text
        assert outbox.pending_count() == 1 and smtp.recording.messages == []

        with qtbot.waitSignal(dialog.signed_in, timeout=15_000) as signed:
            dialog.sign_in()
        assert signed.args[0], signed.args[1]
        controller.send_now()
        qtbot.waitUntil(lambda: len(outbox.sent_entries()) == 1, timeout=15_000)
        qtbot.waitUntil(lambda: not controller.busy, timeout=15_000)
    finally:
        controller.shutdown()
        outbox.close()
    assert len(smtp.recording.messages) == 1


def test_switching_to_an_app_password_drops_the_sign_in(
    qtbot: QtBot,
    real_keyring: KeyringSession,
    locations: Locations,
    auth: AuthorizationServer,
    smtp: SmtpTestServer,
    pool: QThreadPool,
) -> None:
    path = _saved_account(locations, smtp, auth)
    account = load_account(path)
    assert account is not None
    KeyringCredentials().store(account.keyring_key, "a-refresh-token")
    dialog = _dialog(qtbot, path, pool)
    assert "Signed in" in dialog.sign_in_state.text()
    dialog.use_password.setChecked(True)
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        dialog.save()
    saved = load_account(path)
    assert saved is not None and saved.oauth is None
    # The refresh token must never be offered to the server as a password.
    assert KeyringCredentials().get(saved.keyring_key) is None
