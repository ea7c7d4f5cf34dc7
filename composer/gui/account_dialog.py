"""The e-mail account dialog: server settings, presets, password, "Test connection".

Everything slow (reading and saving the account, the keyring, the network)
runs in the background; the dialog only shows what comes back.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QThreadPool, Signal
from PySide6.QtWidgets import (
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
    PRESETS,
    SECURITY_CHOICES,
    SECURITY_LABELS,
    SECURITY_SSL,
    SECURITY_STARTTLS,
    Account,
    AccountError,
    load_account,
    preset_for_address,
    save_account,
)
from composer.core.credentials import CredentialError, KeyringState, PasswordSource
from composer.core.transport import DEFAULT_TIMEOUT, ConnectionCheck, check_connection
from composer.gui.a11y import result_label, show_result
from composer.gui.send_worker import run_in_background

_STANDARD_PORTS = {SECURITY_SSL: 465, SECURITY_STARTTLS: 587}


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
        parent: the parent window.

    Signals:
        saved(object): the :class:`Account` just saved (after OK).
        loaded(): the saved account and the keyring state have been read.
        checked(object): the :class:`ConnectionCheck` of "Test connection".
    """

    saved = Signal(object)
    loaded = Signal()
    checked = Signal(object)

    def __init__(
        self,
        account_path: Path,
        passwords: PasswordSource,
        *,
        pool: QThreadPool | None = None,
        sender_name: str = "",
        sender_email: str = "",
        timeout: float = DEFAULT_TIMEOUT,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("E-mail Account")
        self._path = account_path
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
        form.addRow(password_label, password_row)
        form.addRow("", self.password_state)

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
        if stored:
            return "stored", "A password is stored in the system keyring."
        return "none", "No password stored yet; the password will be kept in the system keyring."

    def _show_saved(self, value: tuple[Account | None, str, str]) -> None:
        account, state, message = value
        if account is not None:
            self.set_account(account)
            self._stored_key = account.keyring_key if state == "stored" else ""
        self._show_password_state(state, message)
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
        ).validated()

    # -- field helpers -------------------------------------------------------------

    def _preset_chosen(self, index: int) -> None:
        key = self.preset.itemData(index)
        chosen = next((preset for preset in PRESETS if preset.key == key), None)
        if chosen is None:
            self.preset_notes.setText("")
            return
        self.host.setText(chosen.host)
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
            password = typed or passwords.lookup(account.keyring_key).password
            return check_connection(account, password, timeout=timeout)

        run_in_background(self.pool, self, check, self._show_check, self._show_error)

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
        self.passwords.session.forget(key)

        def forget() -> bool:
            return keyring.forget(key)

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
        path, passwords = self._path, self.passwords

        def write() -> tuple[Account, str]:
            saved = save_account(path, account)
            note = ""
            if typed:
                try:
                    passwords.keyring.store(saved.keyring_key, typed)
                except CredentialError as error:
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
