"""Fixtures for tests against real servers on loopback: SMTP (with a test CA) and keyring."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring.backend
import keyring.core
import pytest

from composer.core.accounts import Account
from composer.core.credentials import SERVICE
from tests.helpers.cups import cups_queue, cups_server  # noqa: F401 (fixtures)
from tests.helpers.keyring_session import (
    KeyringSession,
    KeyringSessionUnavailable,
    delete_items,
    start_keyring_session,
)
from tests.helpers.smtp_server import Pki, SmtpTestServer, make_test_pki

USER = "ada@example.org"
PASSWORD = "Tr0ub4dor&3-never-in-clear"


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    """A test CA and server certificates, made for this run (never committed)."""
    return make_test_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def trusted_ca(pki: Pki, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Make the test CA the trust store, the way a user would: through SSL_CERT_FILE."""
    monkeypatch.setenv("SSL_CERT_FILE", str(pki.ca_file))
    return pki.ca_file


@pytest.fixture
def smtp_server(pki: Pki, trusted_ca: Path) -> Iterator[SmtpTestServer]:
    """A STARTTLS + AUTH server on 127.0.0.1 that requires STARTTLS first."""
    with SmtpTestServer(pki, mode="starttls", users={USER: PASSWORD}) as server:
        yield server


@pytest.fixture
def ssl_server(pki: Pki, trusted_ca: Path) -> Iterator[SmtpTestServer]:
    """An implicit-TLS + AUTH server on 127.0.0.1."""
    with SmtpTestServer(pki, mode="ssl", users={USER: PASSWORD}) as server:
        yield server


def account_for(server: SmtpTestServer, security: str | None = None) -> Account:
    """The account that reaches `server` (STARTTLS or SSL to match its mode)."""
    chosen = security or ("ssl" if server.mode == "ssl" else "starttls")
    return Account("Ada Example", USER, server.host, server.port, chosen)


@pytest.fixture(scope="session")
def secret_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KeyringSession]:
    """A private D-Bus session with an unlocked gnome-keyring, for the whole run."""
    try:
        session = start_keyring_session(tmp_path_factory.mktemp("keyring"))
    except KeyringSessionUnavailable as error:
        pytest.fail(f"no Secret Service for the keyring tests: {error}")
    yield session
    session.stop()


def _forget_keyring_detection() -> None:
    """Make ``keyring`` look for usable backends again, as a newly started program does."""
    vars(keyring.backend.get_all_keyring).pop("saved_result", None)


@pytest.fixture
def real_keyring(
    secret_service: KeyringSession, monkeypatch: pytest.MonkeyPatch
) -> Iterator[KeyringSession]:
    """Point this process (and programs it starts) at the private Secret Service.

    ``keyring`` then finds it by itself, exactly as the program does on a desktop.
    """
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", secret_service.address)
    monkeypatch.setattr(keyring.core, "_keyring_backend", None)
    # keyring finds the usable backends once per process; an earlier test without a
    # session bus would leave it believing there is none.
    _forget_keyring_detection()
    delete_items(secret_service, SERVICE)
    yield secret_service
    delete_items(secret_service, SERVICE)
    _forget_keyring_detection()
