"""The e-mail account dialog: load, "Test connection", sign in, forget and save.

The fields and their rules are in :mod:`composer.gui.account_form`, the disk
and keyring work in :mod:`composer.gui.account_store`. Everything slow runs in
the background through :func:`composer.gui.background.run_task`; the dialog
only shows what comes back, and any failure ends the wait with a message.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

from composer.core.accounts import Account, AccountError
from composer.core.credentials import CredentialError, KeyringState, PasswordSource
from composer.core.fileio import StorageError
from composer.core.oauth import (
    SIGN_IN_TIMEOUT,
    OAuthError,
    TokenSource,
    open_in_browser,
    provider_name,
    sign_in,
)
from composer.core.transport import DEFAULT_TIMEOUT, ConnectionCheck, Credential, check_connection
from composer.gui.a11y import show_result
from composer.gui.account_form import AccountFields
from composer.gui.account_store import STORED, read_saved, save_with_password
from composer.gui.background import run_task
from composer.i18n import N_, _

# Errors of the account's jobs whose message is written for the user.
_EXPECTED: tuple[type[Exception], ...] = (AccountError, CredentialError, OAuthError, StorageError)


class _AddressRelay(QObject):
    """Carries the sign-in address from the background job to the GUI thread.

    Signals:
        address(str): the address to open by hand (emitted from the job's thread).
    """

    address = Signal(str)


def ask_password(parent: QWidget | None, login: str, reason: str = "") -> str | None:
    """Ask for a password for this session only; None if the user cancels.

    Args:
        parent: the window to centre the question on.
        login: whose password it is (shown in the question).
        reason: why it is asked (for example, that there is no keyring).
    """
    text = _("Password for {login}:").format(login=login)
    if reason:
        text = f"{reason}\n\n{text}"
    password, accepted = QInputDialog.getText(
        parent, _("E-mail password"), text, QLineEdit.EchoMode.Password
    )
    return password if accepted and password else None


class AccountDialog(AccountFields):
    """Sets up the SMTP account and its password.

    Args:
        account_path: where the account is saved (``account.toml``).
        passwords: the keyring and this session's passwords.
        pool: the thread pool for background work.
        sender_name: a display name to suggest when no account exists yet.
        sender_email: an address to suggest when no account exists yet.
        timeout: seconds for each network step of "Test connection".
        browser: opens an address in the system browser (False when it cannot).
        sign_in_timeout: seconds to wait for the browser's answer when signing in.
        parent: the parent window.

    Signals:
        saved(object): the :class:`Account` just saved (after OK).
        loaded(): the saved account and the keyring state have been read.
        checked(object): the :class:`ConnectionCheck` of "Test connection".
        signed_in(bool, str): whether "Sign in with …" worked, and what to tell the user.
        sign_in_address(str): the address to open by hand when no browser could be opened.
    """

    saved = Signal(object)
    loaded = Signal()
    checked = Signal(object)
    signed_in = Signal(bool, str)
    sign_in_address = Signal(str)

    def __init__(
        self,
        account_path: Path,
        passwords: PasswordSource,
        *,
        pool: QThreadPool | None = None,
        sender_name: str = "",
        sender_email: str = "",
        timeout: float = DEFAULT_TIMEOUT,
        browser: Callable[[str], bool] = open_in_browser,
        sign_in_timeout: float = SIGN_IN_TIMEOUT,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(sender_name, sender_email, parent)
        self._path = account_path
        self._browser = browser
        self._sign_in_timeout = sign_in_timeout
        self._signed_in_key = ""
        self._cancel_sign_in = threading.Event()
        self.passwords = passwords
        self.pool = pool or QThreadPool.globalInstance()
        self._timeout = timeout
        self._stored_key = ""
        self._keyring_usable = True

        self.forget_button.clicked.connect(self.forget_password)
        self.test_button.clicked.connect(self.test_connection)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.sign_in_button.clicked.connect(self.sign_in)
        # Queued explicitly: the address comes from the background job's thread, and the
        # dialog's own signal must only be emitted from the GUI thread.
        self._relay = _AddressRelay(self)
        self._relay.address.connect(self._show_address, Qt.ConnectionType.QueuedConnection)

        self._set_busy(True)
        path = self._path
        self._run(
            lambda: read_saved(path, passwords),
            self._show_saved,
            N_("reading the saved account"),
        )

    def _run(self, work: Callable[[], Any], done: Callable[[Any], None], what: str) -> None:
        """Run `work` in the background; any failure is shown in the dialog."""
        run_task(
            work, done, self._show_error, pool=self.pool, expected=_EXPECTED, what=what, owner=self
        )

    # -- loading ---------------------------------------------------------------

    def _show_saved(self, value: tuple[Account | None, str, str]) -> None:
        account, state, message = value
        if account is not None:
            self.set_account(account)
            self._stored_key = account.keyring_key if state == STORED else ""
        self._show_password_state(state, message)
        if account is not None and account.oauth is not None:
            self.sign_in_state.setText(message)
        self._set_busy(False)
        self.loaded.emit()

    def _show_password_state(self, state: str, message: str) -> None:
        self._keyring_usable = state not in (
            KeyringState.NO_BACKEND.value,
            KeyringState.LOCKED.value,
            KeyringState.UNAVAILABLE.value,
        )
        self.password_state.setText(message)
        self.forget_button.setEnabled(state == STORED)
        self.password.setPlaceholderText(_("stored in the keyring") if state == STORED else "")

    def _show_error(self, message: str) -> None:
        """A background job failed: say so, and give every button back."""
        self._set_busy(False)
        self.sign_in_button.setEnabled(True)
        self.forget_button.setEnabled(bool(self._stored_key))
        show_result(self.result_label, message, assertive=True)

    # -- actions -------------------------------------------------------------------

    def test_connection(self) -> None:
        """Connect, secure, sign in and report, in the background."""
        try:
            account = self.account()
        except AccountError as error:
            show_result(self.result_label, str(error), assertive=True)
            return
        typed = self.password.text()
        self.result_label.setText(
            _("Connecting to {host}:{port}…").format(host=account.host, port=account.port)
        )
        self.test_button.setEnabled(False)
        passwords, timeout = self.passwords, self._timeout

        def check() -> ConnectionCheck:
            credential: Credential | None
            if account.oauth is not None:
                credential = TokenSource(account, passwords.keyring)
            else:
                credential = typed or passwords.lookup(account.keyring_key).password
            return check_connection(account, credential, timeout=timeout)

        self._run(check, self._show_check, N_("testing the connection"))

    def _show_check(self, result: ConnectionCheck) -> None:
        self.test_button.setEnabled(True)
        show_result(
            self.result_label, ("✓ " if result.ok else "✗ ") + result.message, not result.ok
        )
        self.checked.emit(result)

    def sign_in(self) -> None:
        """Sign in through the system browser, in the background; the refresh token goes
        to the keyring under this account's entry."""
        try:
            account = self.account()
        except AccountError as error:
            show_result(self.result_label, str(error), assertive=True)
            return
        if account.oauth is None:
            return
        name = provider_name(account.oauth)
        self.sign_in_button.setEnabled(False)
        self.sign_in_state.setText(
            _("Finish signing in with {provider} in your browser…").format(provider=name)
        )
        self._cancel_sign_in.clear()
        keyring, browser, cancel = self.passwords.keyring, self._browser, self._cancel_sign_in
        timeout, address = self._sign_in_timeout, self._relay.address
        done_text = _(
            "Signed in with {provider} as {login}; the sign-in is kept in the system keyring."
        ).format(provider=name, login=account.login_name)

        def run() -> tuple[bool, str, str]:
            try:
                sign_in(
                    account,
                    keyring,
                    show_url=address.emit,
                    browser=browser,
                    timeout=timeout,
                    cancelled=cancel,
                )
            except OAuthError as error:
                return False, str(error), ""
            return True, done_text, account.keyring_key

        self._run(run, self._signed_in, N_("signing in"))

    def _signed_in(self, value: tuple[bool, str, str]) -> None:
        ok, message, key = value
        self.sign_in_button.setEnabled(True)
        self.sign_in_state.setText(("✓ " if ok else "✗ ") + message)
        if ok:
            self._signed_in_key = key
        self.signed_in.emit(ok, message)

    def _show_address(self, url: str) -> None:
        text = _("No browser could be opened. Open this address in a browser to sign in:")
        self.sign_in_state.setText(f"{text}\n{url}")
        self.sign_in_address.emit(url)

    def done(self, result: int) -> None:
        """Close the dialog; a sign-in still waiting for the browser is given up."""
        self._cancel_sign_in.set()
        super().done(result)

    def forget_password(self) -> None:
        """Remove the stored password from the keyring (and from this session)."""
        try:
            key = self.account().keyring_key
        except AccountError:
            key = self._stored_key
        if not key:
            return
        keyring = self.passwords.keyring
        stored = self._stored_key
        self.passwords.session.forget(key)

        def forget() -> bool:
            keys = tuple(dict.fromkeys(name for name in (key, stored) if name))
            return keyring.forget_all(keys) > 0

        def forgotten(_removed: bool) -> None:
            self._stored_key = ""
            self._show_password_state("none", _("The password was removed from the keyring."))

        self._run(forget, forgotten, N_("removing the password from the keyring"))

    def save(self) -> None:
        """Check the fields, then save the account and password in the background."""
        try:
            account = self.account()
        except AccountError as error:
            show_result(self.result_label, str(error), assertive=True)
            return
        typed = self.password.text()
        self._set_busy(True)
        self.result_label.setText(_("Saving…"))
        path, passwords, signed_in_key = self._path, self.passwords, self._signed_in_key

        def written(value: tuple[Account, str]) -> None:
            saved, note = value
            self._set_busy(False)
            if note:
                # Saved the settings; the password stays in memory for this session.
                self.password_state.setText(note)
            self.saved.emit(saved)
            self.accept()

        self._run(
            lambda: save_with_password(path, account, typed, passwords, signed_in_key),
            written,
            N_("saving the account"),
        )
