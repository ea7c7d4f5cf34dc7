"""The e-mail account dialog: server settings, presets, password, "Test connection".

Everything slow (reading and saving the account, the keyring, the network)
runs in the background; the dialog only shows what comes back.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QThreadPool, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from composer.core.accounts import (
    AUTH_OAUTH2,
    PRESETS,
    SECURITY_CHOICES,
    SECURITY_LABELS,
    SECURITY_SSL,
    SECURITY_STARTTLS,
    Account,
    AccountError,
    OAuthSettings,
    load_account,
    preset_for_address,
    save_account,
)
from composer.core.credentials import CredentialError, KeyringState, PasswordSource
from composer.core.oauth import (
    SIGN_IN_TIMEOUT,
    OAuthError,
    TokenSource,
    open_in_browser,
    provider_name,
    sign_in,
)
from composer.core.transport import DEFAULT_TIMEOUT, ConnectionCheck, Credential, check_connection
from composer.gui.a11y import result_label, show_result
from composer.gui.send_worker import run_in_background

_STANDARD_PORTS = {SECURITY_SSL: 465, SECURITY_STARTTLS: 587}


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
    text = f"Password for {login}:"
    if reason:
        text = f"{reason}\n\n{text}"
    password, accepted = QInputDialog.getText(
        parent, "E-mail password", text, QLineEdit.EchoMode.Password
    )
    return password if accepted and password else None


class AccountDialog(QDialog):
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
        super().__init__(parent)
        self.setWindowTitle("E-mail Account")
        self._path = account_path
        self._browser = browser
        self._sign_in_timeout = sign_in_timeout
        self._oauth: OAuthSettings | None = None
        self._signed_in_key = ""
        self._cancel_sign_in = threading.Event()
        self.passwords = passwords
        self.pool = pool or QThreadPool.globalInstance()
        self._timeout = timeout
        self._stored_key = ""
        self._keyring_usable = True

        self.preset = QComboBox()
        self.preset.addItem("Other (enter the server yourself)", "")
        for preset in PRESETS:
            self.preset.addItem(preset.name, preset.key)
        self.preset_notes = QLabel()
        self.preset_notes.setWordWrap(True)
        self.display_name = QLineEdit(sender_name)
        self.email = QLineEdit(sender_email)
        self.email.setPlaceholderText("you@example.org")
        self.host = QLineEdit()
        self.host.setPlaceholderText("smtp.example.org")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(587)
        self.security = QComboBox()
        for choice in SECURITY_CHOICES:
            self.security.addItem(SECURITY_LABELS[choice], choice)
        self.security.setCurrentIndex(SECURITY_CHOICES.index(SECURITY_STARTTLS))
        self.username = QLineEdit()
        self.username.setPlaceholderText("the same as the e-mail address")
        self.certificate = QLineEdit()
        self.certificate.setPlaceholderText("only for a server with its own certificate")
        self.choose_certificate = QPushButton("Choose…")
        self.use_password = QCheckBox("Use an &app password instead of signing in")
        self.client_id = QLineEdit()
        self.client_id.setPlaceholderText("the client ID registered for this program")
        self.sign_in_button = QPushButton("Sign &in…")
        self.sign_in_state = QLabel()
        self.sign_in_state.setWordWrap(True)
        self.sign_in_state.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Password")
        self.certificate.setAccessibleName("Trusted certificate")
        self.password_state = QLabel("Checking the keyring…")
        self.password_state.setWordWrap(True)
        self.forget_button = QPushButton("&Forget Password")
        self.forget_button.setEnabled(False)
        self.test_button = QPushButton("&Test Connection")
        # Its text is its accessible name; results are announced (composer.gui.a11y).
        self.result_label = result_label("Connection test result")

        certificate_row = QHBoxLayout()
        certificate_row.addWidget(self.certificate)
        certificate_row.addWidget(self.choose_certificate)
        password_row = QHBoxLayout()
        password_row.addWidget(self.password)
        password_row.addWidget(self.forget_button)

        form = QFormLayout()
        form.addRow("&Provider:", self.preset)
        form.addRow("", self.preset_notes)
        form.addRow("Your &name:", self.display_name)
        form.addRow("&E-mail address:", self.email)
        form.addRow("&Server:", self.host)
        form.addRow("P&ort:", self.port)
        form.addRow("Se&curity:", self.security)
        form.addRow("&User name:", self.username)
        # A row that holds a layout gets no buddy: give its label one, and the fields names.
        certificate_label = QLabel("Trusted certificate:")
        certificate_label.setBuddy(self.certificate)
        password_label = QLabel("Pass&word:")
        password_label.setBuddy(self.password)
        form.addRow(certificate_label, certificate_row)
        form.addRow("", self.use_password)
        form.addRow("Client I&D:", self.client_id)
        form.addRow("Sign-in:", self.sign_in_button)
        form.addRow("", self.sign_in_state)
        form.addRow(password_label, password_row)
        form.addRow("", self.password_state)
        self._form = form
        self._password_row = password_row

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.addButton(self.test_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.result_label)
        layout.addWidget(self.buttons)

        self.preset.currentIndexChanged.connect(self._preset_chosen)
        self.email.editingFinished.connect(self._suggest_preset)
        self.security.currentIndexChanged.connect(self._security_changed)
        self.choose_certificate.clicked.connect(self._choose_certificate)
        self.forget_button.clicked.connect(self.forget_password)
        self.test_button.clicked.connect(self.test_connection)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.use_password.toggled.connect(self._show_sign_in_way)
        self.sign_in_button.clicked.connect(self.sign_in)
        # Queued explicitly: the address comes from the background job's thread, and the
        # dialog's own signal must only be emitted from the GUI thread.
        self._relay = _AddressRelay(self)
        self._relay.address.connect(self._show_address, Qt.ConnectionType.QueuedConnection)
        self._show_sign_in_way()

        self._set_busy(True)
        run_in_background(self.pool, self, self._read_saved, self._show_saved, self._show_error)

    # -- loading ---------------------------------------------------------------

    def _read_saved(self) -> tuple[Account | None, str, str]:
        try:
            account = load_account(self._path)
        except AccountError:
            account = None  # a damaged file is simply replaced on OK
        return (account, *self._password_state(account))

    def _password_state(self, account: Account | None) -> tuple[str, str]:
        status = self.passwords.keyring.status()
        if not status.usable:
            return status.state.value, status.message
        if account is None:
            return "none", "The password will be kept in the system keyring."
        try:
            stored = self.passwords.keyring.get(account.keyring_key)
        except CredentialError as error:
            return error.status.state.value, error.status.message
        if account.oauth is not None:
            name = provider_name(account.oauth)
            if stored:
                return (
                    "stored",
                    f"Signed in with {name}; the sign-in is kept in the system keyring.",
                )
            return "none", f"Not signed in yet: press “Sign in with {name}”."
        if stored:
            return "stored", "A password is stored in the system keyring."
        return "none", "No password stored yet; the password will be kept in the system keyring."

    def _show_saved(self, value: tuple[Account | None, str, str]) -> None:
        account, state, message = value
        if account is not None:
            self.set_account(account)
            self._stored_key = account.keyring_key if state == "stored" else ""
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
        self.forget_button.setEnabled(state == "stored")
        self.password.setPlaceholderText("stored in the keyring" if state == "stored" else "")

    def set_account(self, account: Account) -> None:
        """Fill the fields from an account."""
        self.display_name.setText(account.display_name)
        self.email.setText(account.email)
        self.host.setText(account.host)
        self.port.setValue(account.port)
        self.security.blockSignals(True)
        self.security.setCurrentIndex(SECURITY_CHOICES.index(account.security))
        self.security.blockSignals(False)
        self.username.setText(account.username)
        self.certificate.setText(account.certificate_file)
        if account.oauth is not None:
            self._oauth = account.oauth
            self.client_id.setText(account.oauth.client_id)
        self.use_password.setChecked(account.oauth is None)
        self._show_sign_in_way()

    def account(self) -> Account:
        """The account as the fields describe it, checked.

        Raises:
            AccountError: a field is missing or not valid.
        """
        return Account(
            display_name=self.display_name.text(),
            email=self.email.text(),
            host=self.host.text(),
            port=self.port.value(),
            security=str(self.security.currentData()),
            username=self.username.text(),
            certificate_file=self.certificate.text(),
            oauth=self._oauth_settings(),
        ).validated()

    def _oauth_settings(self) -> OAuthSettings | None:
        if self._oauth is None or self.use_password.isChecked():
            return None
        return dataclasses.replace(self._oauth, client_id=self.client_id.text().strip())

    def _show_sign_in_way(self) -> None:
        """Show "Sign in with …" for a provider that signs in through the browser, else
        the password."""
        offered = self._oauth is not None
        oauth = offered and not self.use_password.isChecked()
        self._form.setRowVisible(self.use_password, offered)
        for widget in (self.client_id, self.sign_in_button, self.sign_in_state):
            self._form.setRowVisible(widget, oauth)
        self._form.setRowVisible(self.password_state, not oauth)
        self._form.setRowVisible(self._password_row, not oauth)
        self.password.setEnabled(not oauth)
        if self._oauth is not None:
            self.sign_in_button.setText(f"Sign &in with {provider_name(self._oauth)}…")

    # -- field helpers -------------------------------------------------------------

    def _preset_chosen(self, index: int) -> None:
        key = self.preset.itemData(index)
        chosen = next((preset for preset in PRESETS if preset.key == key), None)
        if chosen is None:
            self.preset_notes.setText("")
            return
        self.host.setText(chosen.host)
        if chosen.method == AUTH_OAUTH2 and chosen.oauth_provider:
            if self._oauth is None or self._oauth.provider != chosen.oauth_provider:
                self._oauth = OAuthSettings(chosen.oauth_provider)
            self.use_password.setChecked(False)
        else:
            self._oauth = None
            self.use_password.setChecked(True)
        self._show_sign_in_way()
        self.security.blockSignals(True)
        self.security.setCurrentIndex(SECURITY_CHOICES.index(chosen.security))
        self.security.blockSignals(False)
        self.port.setValue(chosen.port)
        self.preset_notes.setText(chosen.notes)

    def _suggest_preset(self) -> None:
        if self.host.text().strip():
            return
        found = preset_for_address(self.email.text())
        if found is not None:
            self.preset.setCurrentIndex(self.preset.findData(found.key))

    def _security_changed(self, index: int) -> None:
        choice = str(self.security.itemData(index))
        # Follow the usual port when the user had the other usual one.
        if choice in _STANDARD_PORTS and self.port.value() in _STANDARD_PORTS.values():
            self.port.setValue(_STANDARD_PORTS[choice])

    def _choose_certificate(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Certificate to trust", "", "Certificates (*.pem *.crt *.cer);;All files (*)"
        )
        if name:
            self.certificate.setText(name)

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.buttons.button(QDialogButtonBox.StandardButton.Ok), self.test_button):
            widget.setEnabled(not busy)

    def _show_error(self, message: str) -> None:
        self._set_busy(False)
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
        self.result_label.setText(f"Connecting to {account.host}:{account.port}…")
        self.test_button.setEnabled(False)
        passwords, timeout = self.passwords, self._timeout

        def check() -> ConnectionCheck:
            credential: Credential | None
            if account.oauth is not None:
                credential = TokenSource(account, passwords.keyring)
            else:
                credential = typed or passwords.lookup(account.keyring_key).password
            return check_connection(account, credential, timeout=timeout)

        run_in_background(self.pool, self, check, self._show_check, self._show_error)

    def sign_in(self) -> None:
        """Sign in through the system browser, in the background; the refresh token goes
        to the keyring under this account's entry."""
        try:
            account = self.account()
        except AccountError as error:
            self.result_label.setText(str(error))
            return
        if account.oauth is None:
            return
        name = provider_name(account.oauth)
        self.sign_in_button.setEnabled(False)
        self.sign_in_state.setText(f"Finish signing in with {name} in your browser…")
        self._cancel_sign_in.clear()
        keyring, browser, cancel = self.passwords.keyring, self._browser, self._cancel_sign_in
        timeout, address = self._sign_in_timeout, self._relay.address

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
            return (
                True,
                f"Signed in with {name} as {account.login_name}; the sign-in is kept in "
                "the system keyring.",
                account.keyring_key,
            )

        run_in_background(self.pool, self, run, self._signed_in, self._show_error)

    def _signed_in(self, value: tuple[bool, str, str]) -> None:
        ok, message, key = value
        self.sign_in_button.setEnabled(True)
        self.sign_in_state.setText(("✓ " if ok else "✗ ") + message)
        if ok:
            self._signed_in_key = key
        self.signed_in.emit(ok, message)

    def _show_address(self, url: str) -> None:
        self.sign_in_state.setText(
            f"No browser could be opened. Open this address in a browser to sign in:\n{url}"
        )
        self.sign_in_address.emit(url)

    def done(self, result: int) -> None:
        """Close the dialog; a sign-in still waiting for the browser is given up."""
        self._cancel_sign_in.set()
        super().done(result)

    def _show_check(self, result: ConnectionCheck) -> None:
        self.test_button.setEnabled(True)
        show_result(
            self.result_label, ("✓ " if result.ok else "✗ ") + result.message, not result.ok
        )
        self.checked.emit(result)

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

        def forgotten(_: bool) -> None:
            self._stored_key = ""
            self._show_password_state("none", "The password was removed from the keyring.")

        run_in_background(self.pool, self, forget, forgotten, self._show_error)

    def save(self) -> None:
        """Check the fields, then save the account and password in the background."""
        try:
            account = self.account()
        except AccountError as error:
            show_result(self.result_label, str(error), assertive=True)
            return
        typed = self.password.text()
        self._set_busy(True)
        self.result_label.setText("Saving…")
        path, passwords, signed_in_key = self._path, self.passwords, self._signed_in_key

        def write() -> tuple[Account, str]:
            try:
                before = load_account(path)
            except AccountError:
                before = None
            saved = save_account(path, account)
            # One keyring entry per account: it follows a new server, port or user name.
            old_key = before.keyring_key if before is not None else saved.keyring_key
            if before is not None and before.auth != saved.auth and not signed_in_key:
                # A password must never be sent as a sign-in, nor a sign-in as a password.
                for key in dict.fromkeys((old_key, saved.keyring_key)):
                    passwords.session.forget(key)
                    try:
                        passwords.keyring.forget(key)
                    except CredentialError as error:
                        return saved, error.status.message
            moved = old_key != saved.keyring_key
            if moved and signed_in_key == saved.keyring_key:
                # Just signed in under the new settings: the old entry is simply dropped.
                passwords.keyring.forget(old_key)
                return saved, ""
            remembered = passwords.session.get(old_key) if moved else None
            if remembered:
                passwords.session.forget(old_key)
                passwords.session.store(saved.keyring_key, remembered)
            note = ""
            try:
                if typed:
                    passwords.keyring.store(saved.keyring_key, typed)
                    if moved:
                        passwords.keyring.forget(old_key)
                elif moved:
                    passwords.keyring.move(old_key, saved.keyring_key)
            except CredentialError as error:
                if typed:
                    passwords.session.store(saved.keyring_key, typed)
                note = error.status.message
            return saved, note

        def written(value: tuple[Account, str]) -> None:
            saved, note = value
            self._set_busy(False)
            if note:
                # Saved the settings; the password stays in memory for this session.
                self.password_state.setText(note)
            self.saved.emit(saved)
            self.accept()

        run_in_background(self.pool, self, write, written, self._show_error)
