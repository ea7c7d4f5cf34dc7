"""Passwords: the keyring wrapper, its failure states, and the memory-only fallback."""

from __future__ import annotations

import logging

import pytest

from composer.core.credentials import (
    SERVICE,
    CredentialError,
    KeyringCredentials,
    KeyringState,
    PasswordSource,
    SessionPasswords,
)
from tests.helpers.memory_keyring import install_memory_keyring, install_no_keyring

SECRET = "correct horse battery staple"


def test_store_get_forget(monkeypatch: pytest.MonkeyPatch) -> None:
    backend = install_memory_keyring(monkeypatch)
    credentials = KeyringCredentials()
    assert credentials.status().state is KeyringState.AVAILABLE
    assert credentials.get("smtp:a@h:1") is None
    credentials.store("smtp:a@h:1", SECRET)
    assert backend.passwords == {(SERVICE, "smtp:a@h:1"): SECRET}
    assert credentials.get("smtp:a@h:1") == SECRET
    assert credentials.forget("smtp:a@h:1") is True
    assert credentials.forget("smtp:a@h:1") is False
    assert credentials.get("smtp:a@h:1") is None


def test_no_backend_is_a_state_with_an_explanation(monkeypatch: pytest.MonkeyPatch) -> None:
    install_no_keyring(monkeypatch)
    credentials = KeyringCredentials()
    status = credentials.status()
    assert status.state is KeyringState.NO_BACKEND
    assert not status.usable
    assert "kept in memory until the program closes" in status.message
    with pytest.raises(CredentialError) as caught:
        credentials.store("k", SECRET)
    assert caught.value.status.state is KeyringState.NO_BACKEND
    with pytest.raises(CredentialError):
        credentials.get("k")


def test_locked_keyring_is_reported_and_nothing_leaks_into_the_log(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    backend = install_memory_keyring(monkeypatch)
    backend.locked = True
    credentials = KeyringCredentials()
    with caplog.at_level(logging.DEBUG), pytest.raises(CredentialError) as caught:
        credentials.store("k", SECRET)
    assert caught.value.status.state is KeyringState.LOCKED
    assert "Unlock the keyring" in str(caught.value)
    assert caught.value.__cause__ is None and caught.value.__context__ is not None
    assert SECRET not in caplog.text
    assert SECRET not in repr(caught.value.status)


def test_broken_backend_is_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    class Broken:
        def get_password(self, service: str, key: str) -> str:
            raise OSError("D-Bus went away")

    with pytest.raises(CredentialError) as caught:
        KeyringCredentials(Broken()).get("k")
    assert caught.value.status.state is KeyringState.UNAVAILABLE


def test_session_passwords_stay_in_memory_and_hide_in_repr() -> None:
    session = SessionPasswords()
    session.store("k", SECRET)
    assert session.get("k") == SECRET
    assert SECRET not in repr(session)
    assert session.forget("k") and session.get("k") is None


def test_password_source_prefers_keyring_then_session(monkeypatch: pytest.MonkeyPatch) -> None:
    backend = install_memory_keyring(monkeypatch)
    session = SessionPasswords()
    source = PasswordSource(KeyringCredentials(), session)
    assert source.lookup("k").password is None
    session.store("k", "typed")
    assert source.lookup("k").source == "session"
    backend.passwords[(SERVICE, "k")] = SECRET
    found = source.lookup("k")
    assert (found.password, found.source, found.keyring) == (SECRET, "keyring", None)
    assert SECRET not in repr(found)


def test_password_source_without_keyring_uses_session_and_says_why(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    install_no_keyring(monkeypatch)
    session = SessionPasswords()
    source = PasswordSource(KeyringCredentials(), session)
    missing = source.lookup("k")
    assert missing.password is None
    assert missing.keyring is not None and missing.keyring.state is KeyringState.NO_BACKEND
    session.store("k", "typed")
    assert source.lookup("k").password == "typed"
