"""Passwords in a real Secret Service (gnome-keyring on a private D-Bus session)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import keyring
import keyring.core
import pytest

from composer.core.credentials import (
    SERVICE,
    CredentialError,
    KeyringCredentials,
    KeyringState,
    PasswordSource,
    SessionPasswords,
)
from tests.helpers.keyring_session import (
    KeyringSession,
    collect_leaked_connections,
    lock_default_collection,
    start_keyring_session,
)

KEY = "smtp:ada@example.org@smtp.example.org:587"
SECRET = "Kr-integration-ß-секрет-4711"


def _files_below(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()]


def test_keyring_finds_the_secret_service_by_itself(real_keyring: KeyringSession) -> None:
    status = KeyringCredentials().status()
    assert status.state is KeyringState.AVAILABLE, status
    assert status.backend == "keyring.backends.SecretService.Keyring"


def test_store_read_forget(real_keyring: KeyringSession) -> None:
    credentials = KeyringCredentials()
    assert credentials.get(KEY) is None
    credentials.store(KEY, SECRET)
    assert credentials.get(KEY) == SECRET
    # Another program (libsecret's command line tool) sees it in the same store.
    tool = shutil.which("secret-tool")
    if tool is not None:
        found = subprocess.run(
            [tool, "lookup", "service", SERVICE, "username", KEY],
            capture_output=True,
            check=True,
        )
        assert found.stdout.decode("utf-8") == SECRET
    credentials.store(KEY, SECRET + "-changed")
    assert credentials.get(KEY) == SECRET + "-changed"
    assert credentials.forget(KEY) is True
    assert credentials.get(KEY) is None
    assert credentials.forget(KEY) is False


def test_the_stored_password_is_not_in_any_file_in_plain(real_keyring: KeyringSession) -> None:
    KeyringCredentials().store(KEY, SECRET)
    files = _files_below(real_keyring.home)
    assert any(path.parent == real_keyring.keyring_dir for path in files)
    for path in files:
        assert SECRET.encode("utf-8") not in path.read_bytes(), path


def test_password_source_reads_the_real_keyring(real_keyring: KeyringSession) -> None:
    KeyringCredentials().store(KEY, SECRET)
    found = PasswordSource(KeyringCredentials(), SessionPasswords()).lookup(KEY)
    assert (found.password, found.source) == (SECRET, "keyring")


def test_a_locked_keyring_is_explained(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Its own Secret Service: a locked keyring cannot be unlocked again without a prompt.
    session = start_keyring_session(tmp_path / "locked")
    try:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", session.address)
        monkeypatch.setattr(keyring.core, "_keyring_backend", None)
        credentials = KeyringCredentials()
        credentials.store(KEY, SECRET)
        lock_default_collection(session)
        with pytest.raises(CredentialError) as caught:
            credentials.get(KEY)
        assert caught.value.status.state is KeyringState.LOCKED
        assert "Unlock the keyring" in caught.value.status.message
        lookup = PasswordSource(credentials, SessionPasswords()).lookup(KEY)
        assert lookup.password is None
        assert lookup.keyring is not None and lookup.keyring.state is KeyringState.LOCKED
        del caught, lookup
    finally:
        session.stop()
        collect_leaked_connections()


def test_a_stopped_service_is_unavailable_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = start_keyring_session(tmp_path / "gone")
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", session.address)
    monkeypatch.setattr(keyring.core, "_keyring_backend", None)
    credentials = KeyringCredentials(keyring.get_keyring())
    session.stop()
    with pytest.raises(CredentialError) as caught:
        credentials.store(KEY, SECRET)
    assert caught.value.status.state is KeyringState.UNAVAILABLE
    assert "did not answer" in caught.value.status.message
    assert SECRET not in str(caught.value)
    del caught
    collect_leaked_connections()
