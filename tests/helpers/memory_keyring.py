"""A keyring backend kept in memory, for fast unit tests.

Install it with :func:`install_memory_keyring`; the real Secret Service is
tested in ``tests/integration/test_keyring.py``.
"""

from __future__ import annotations

import keyring.core
import pytest
from keyring.backend import KeyringBackend
from keyring.credentials import SimpleCredential
from keyring.errors import KeyringLocked, PasswordDeleteError


class MemoryKeyring(KeyringBackend):
    """Passwords in a dictionary. `locked` makes every call fail as a locked keyring does."""

    # Negative: every backend subclass is registered for auto-detection; this one
    # must never be picked for real use.
    priority = -10  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}
        self.locked = False

    def _check(self) -> None:
        if self.locked:
            raise KeyringLocked("Failed to unlock the collection!")

    def get_password(self, service: str, username: str) -> str | None:
        self._check()
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._check()
        self.passwords[(service, username)] = password

    def get_credential(self, service: str, username: str | None) -> SimpleCredential | None:
        """Like the Secret Service: without a user name, the first entry of the service."""
        self._check()
        for (stored_service, name), password in self.passwords.items():
            if stored_service == service and username in (None, name):
                return SimpleCredential(name, password)
        return None

    def delete_password(self, service: str, username: str) -> None:
        self._check()
        if self.passwords.pop((service, username), None) is None:
            raise PasswordDeleteError("No such password!")


def install_memory_keyring(monkeypatch: pytest.MonkeyPatch) -> MemoryKeyring:
    """Make ``keyring`` use a fresh in-memory backend for the rest of the test."""
    backend = MemoryKeyring()
    monkeypatch.setattr(keyring.core, "_keyring_backend", backend)
    return backend


def install_no_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``keyring`` behave as on a machine without any keyring (the "fail" backend)."""
    from keyring.backends import fail

    monkeypatch.setattr(keyring.core, "_keyring_backend", fail.Keyring())
