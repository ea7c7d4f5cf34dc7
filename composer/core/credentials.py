"""Passwords: kept in the OS keyring, or for this session only in memory.

There is no plaintext fallback. Where no keyring exists (a headless machine,
a desktop without a Secret Service), the program asks for the password when
it sends, keeps it in memory for the session (:class:`SessionPasswords`) and
tells the user why. Nothing here logs, prints or writes a password; error
messages name the keyring's problem, never the secret.
"""

from __future__ import annotations

import enum
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from composer import i18n
from composer.i18n import N_, _

log = logging.getLogger(__name__)

SERVICE = "letter-composer"


class KeyringState(enum.Enum):
    """Whether passwords can be kept in the keyring."""

    AVAILABLE = "available"
    NO_BACKEND = "no-backend"
    LOCKED = "locked"
    UNAVAILABLE = "unavailable"


_EXPLANATIONS = {
    KeyringState.AVAILABLE: N_("Passwords are kept in the system keyring."),
    KeyringState.NO_BACKEND: N_(
        "This computer has no keyring (password store) that this program can use, "
        "so the password cannot be saved. It is asked for when sending and kept in "
        "memory until the program closes. To save it, install and start a keyring "
        "service (for example GNOME Keyring or KWallet) and log in again."
    ),
    KeyringState.LOCKED: N_(
        "The system keyring is locked, so the password cannot be read or saved. "
        "Unlock the keyring (your desktop usually asks for your login password) "
        "and try again."
    ),
    KeyringState.UNAVAILABLE: N_(
        "The system keyring did not answer, so the password cannot be read or "
        "saved. Check that the keyring service is running, or try again later."
    ),
}


@dataclass(frozen=True)
class KeyringStatus:
    """The keyring's state, with a sentence for the user.

    Attributes:
        state: what the program can do with the keyring.
        backend: the keyring's name (for the log and "about" boxes).
        message: what this means for the user and what to do.
    """

    state: KeyringState
    backend: str
    message: str

    @property
    def usable(self) -> bool:
        """True when passwords can be stored and read."""
        return self.state is KeyringState.AVAILABLE


class CredentialError(Exception):
    """The keyring could not do what was asked; `status` says why, in plain words."""

    def __init__(self, status: KeyringStatus) -> None:
        super().__init__(status.message)
        self.status = status


def _status(state: KeyringState, backend: str) -> KeyringStatus:
    return KeyringStatus(state=state, backend=backend, message=i18n._(_EXPLANATIONS[state]))


class KeyringCredentials:
    """Store, read and forget passwords in the OS keyring.

    Args:
        backend: a keyring backend to use; by default the one ``keyring`` picks
            (looked up when first needed, not when this object is built).
        service: the service name the passwords are filed under.
    """

    def __init__(self, backend: Any | None = None, service: str = SERVICE) -> None:
        self._backend = backend
        self._service = service

    def _keyring(self) -> Any:
        if self._backend is not None:
            return self._backend
        import keyring

        return keyring.get_keyring()

    def _classify(self, error: Exception, backend_name: str) -> KeyringStatus:
        from keyring.errors import KeyringLocked, NoKeyringError

        if isinstance(error, NoKeyringError):
            state = KeyringState.NO_BACKEND
        elif isinstance(error, KeyringLocked):
            state = KeyringState.LOCKED
        else:
            state = KeyringState.UNAVAILABLE
        # The class name and keyring's own words are safe to log: they never hold the secret.
        log.warning("keyring %s: %s: %s", backend_name, type(error).__name__, error)
        return _status(state, backend_name)

    def status(self) -> KeyringStatus:
        """Whether a usable keyring exists (cheap: does not unlock or read anything)."""
        try:
            backend = self._keyring()
        except Exception as error:
            return self._classify(error, "unknown")
        name = _backend_name(backend)
        if _is_placeholder(backend):
            return _status(KeyringState.NO_BACKEND, name)
        return _status(KeyringState.AVAILABLE, name)

    def _call(self, action: Callable[[Any], Any]) -> Any:
        try:
            backend = self._keyring()
        except Exception as error:
            raise CredentialError(self._classify(error, "unknown")) from None
        name = _backend_name(backend)
        if _is_placeholder(backend):
            raise CredentialError(_status(KeyringState.NO_BACKEND, name))
        try:
            return action(backend)
        except Exception as error:
            # "from None": the chained exception could carry arguments we never want in a log.
            raise CredentialError(self._classify(error, name)) from None

    def get(self, key: str) -> str | None:
        """The password stored under `key`, or None if there is none.

        Raises:
            CredentialError: no keyring, locked, or not answering.
        """
        value = self._call(lambda backend: backend.get_password(self._service, key))
        return value if isinstance(value, str) else None

    def store(self, key: str, password: str) -> None:
        """Store (or replace) the password for `key`.

        Raises:
            CredentialError: no keyring, locked, or not answering.
        """
        if not password:
            raise ValueError(_("an empty password is not stored"))
        self._call(lambda backend: backend.set_password(self._service, key, password))

    def forget(self, key: str) -> bool:
        """Remove the password for `key`; False when there was none.

        Raises:
            CredentialError: no keyring, locked, or not answering.
        """
        from keyring.errors import PasswordDeleteError

        def delete(backend: Any) -> bool:
            try:
                backend.delete_password(self._service, key)
            except PasswordDeleteError:
                return False
            return True

        return bool(self._call(delete))

    def move(self, old_key: str, new_key: str) -> bool:
        """Move the secret kept under `old_key` to `new_key`; False when there was none.

        An account keeps one entry: when its server, port or user name change,
        the entry follows, so the password is neither asked again nor left behind.

        Raises:
            CredentialError: no keyring, locked, or not answering.
        """
        if old_key == new_key:
            return False
        value = self.get(old_key)
        if not value:
            return False
        self.store(new_key, value)
        self.forget(old_key)
        return True

    def forget_all(self, keys: tuple[str, ...] = ()) -> int:
        """Remove every entry this program keeps (the given keys, and any other under
        its service the keyring can list); returns how many were removed.

        Entries written under an account's earlier settings are found too, on
        keyrings that can search by service (the Secret Service, for one).

        Raises:
            CredentialError: no keyring, locked, or not answering.
        """
        removed = sum(1 for key in keys if self.forget(key))

        def listed(backend: Any) -> str | None:
            found = backend.get_credential(self._service, None)
            name = getattr(found, "username", None)
            return name if isinstance(name, str) and name else None

        seen: set[str] = set()
        while (name := self._call(listed)) is not None and name not in seen:
            seen.add(name)
            if self.forget(name):
                removed += 1
        return removed


def _backend_name(backend: Any) -> str:
    kind = type(backend)
    return f"{kind.__module__}.{kind.__qualname__}"


def _is_placeholder(backend: Any) -> bool:
    """True for keyring's "fail" and "null" backends, which cannot keep anything."""
    module = type(backend).__module__
    return module in ("keyring.backends.fail", "keyring.backends.null")


class SessionPasswords:
    """Passwords typed for this session only: kept in memory, never written anywhere."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._passwords: dict[str, str] = {}

    def get(self, key: str) -> str | None:
        """The password typed for `key` in this session, if any."""
        with self._lock:
            return self._passwords.get(key)

    def store(self, key: str, password: str) -> None:
        """Remember the password for `key` until the program closes."""
        with self._lock:
            self._passwords[key] = password

    def forget(self, key: str) -> bool:
        """Drop the password for `key`; False when there was none."""
        with self._lock:
            return self._passwords.pop(key, None) is not None

    def kept(self) -> list[str]:
        """Every password kept, so that reports can mask them."""
        with self._lock:
            return list(self._passwords.values())

    def __repr__(self) -> str:
        # Never show the secrets, even in a debugger or a crash report.
        return f"<SessionPasswords: {len(self._passwords)} kept>"


@dataclass(frozen=True)
class PasswordLookup:
    """The result of looking for an account's password.

    Attributes:
        password: the password, or None when none is known.
        source: "keyring", "session" or "" (none found).
        keyring: the keyring's status when it could not be used, else None.
    """

    password: str | None
    source: str
    keyring: KeyringStatus | None

    def __repr__(self) -> str:
        shown = "None" if self.password is None else "'***'"
        return f"PasswordLookup(password={shown}, source={self.source!r}, keyring={self.keyring!r})"


class PasswordSource:
    """Finds an account's password: first the keyring, then this session's memory.

    Args:
        keyring: the keyring wrapper.
        session: passwords typed for this session.
    """

    def __init__(self, keyring: KeyringCredentials, session: SessionPasswords) -> None:
        self.keyring = keyring
        self.session = session

    def lookup(self, key: str) -> PasswordLookup:
        """Look the password up; never raises for keyring trouble (it is reported instead)."""
        problem: KeyringStatus | None = None
        try:
            found = self.keyring.get(key)
        except CredentialError as error:
            found = None
            problem = error.status
        if found:
            return PasswordLookup(found, "keyring", None)
        remembered = self.session.get(key)
        if remembered:
            return PasswordLookup(remembered, "session", problem)
        return PasswordLookup(None, "", problem)
