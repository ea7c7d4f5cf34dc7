"""The fields of the e-mail account dialog: provider presets, server, security, sign-in way.

:class:`AccountFields` builds the form and keeps its fields consistent (a
preset fills the server, the security follows its usual port, a provider that
signs in through the browser shows "Sign in" instead of the password). It
does no slow work; :class:`composer.gui.account_dialog.AccountDialog` adds the
actions that read, test and save in the background.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
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
    OAuthSettings,
    preset_for_address,
)
from composer.core.oauth import provider_name
from composer.gui.a11y import result_label
from composer.i18n import _

_STANDARD_PORTS = {SECURITY_SSL: 465, SECURITY_STARTTLS: 587}


class AccountFields(QDialog):
    """The account form: every field, the OK/Cancel/Test buttons, and the rules between
    the fields.

    Args:
        sender_name: a display name to suggest when no account exists yet.
        sender_email: an address to suggest when no account exists yet.
        parent: the parent window.
    """

    def __init__(self, sender_name: str, sender_email: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("E-mail Account"))
        self._oauth: OAuthSettings | None = None

        self.preset = QComboBox()
        self.preset.addItem(_("Other (enter the server yourself)"), "")
        for preset in PRESETS:
            self.preset.addItem(preset.name, preset.key)
        self.preset_notes = QLabel()
        self.preset_notes.setWordWrap(True)
        self.display_name = QLineEdit(sender_name)
        self.email = QLineEdit(sender_email)
        self.email.setPlaceholderText(_("you@example.org"))
        self.host = QLineEdit()
        self.host.setPlaceholderText(_("smtp.example.org"))
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(587)
        self.security = QComboBox()
        for choice in SECURITY_CHOICES:
            self.security.addItem(SECURITY_LABELS[choice], choice)
        self.security.setCurrentIndex(SECURITY_CHOICES.index(SECURITY_STARTTLS))
        self.username = QLineEdit()
        self.username.setPlaceholderText(_("the same as the e-mail address"))
        self.certificate = QLineEdit()
        self.certificate.setPlaceholderText(_("only for a server with its own certificate"))
        self.choose_certificate = QPushButton(_("Choose…"))
        self.use_password = QCheckBox(_("Use an &app password instead of signing in"))
        self.client_id = QLineEdit()
        self.client_id.setPlaceholderText(_("the client ID registered for this program"))
        self.sign_in_button = QPushButton(_("Sign &in…"))
        self.sign_in_state = QLabel()
        self.sign_in_state.setWordWrap(True)
        self.sign_in_state.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(_("Password"))
        self.certificate.setAccessibleName(_("Trusted certificate"))
        self.password_state = QLabel(_("Checking the keyring…"))
        self.password_state.setWordWrap(True)
        self.forget_button = QPushButton(_("&Forget Password"))
        self.forget_button.setEnabled(False)
        self.test_button = QPushButton(_("&Test Connection"))
        # Its text is its accessible name; results are announced (composer.gui.a11y).
        self.result_label = result_label(_("Connection test result"))

        certificate_row = QHBoxLayout()
        certificate_row.addWidget(self.certificate)
        certificate_row.addWidget(self.choose_certificate)
        password_row = QHBoxLayout()
        password_row.addWidget(self.password)
        password_row.addWidget(self.forget_button)

        form = QFormLayout()
        form.addRow(_("&Provider:"), self.preset)
        form.addRow("", self.preset_notes)
        form.addRow(_("Your &name:"), self.display_name)
        form.addRow(_("&E-mail address:"), self.email)
        form.addRow(_("&Server:"), self.host)
        form.addRow(_("P&ort:"), self.port)
        form.addRow(_("Se&curity:"), self.security)
        form.addRow(_("&User name:"), self.username)
        # A row that holds a layout gets no buddy: give its label one, and the fields names.
        certificate_label = QLabel(_("Trusted certificate:"))
        certificate_label.setBuddy(self.certificate)
        password_label = QLabel(_("Pass&word:"))
        password_label.setBuddy(self.password)
        form.addRow(certificate_label, certificate_row)
        form.addRow("", self.use_password)
        form.addRow(_("Client I&D:"), self.client_id)
        form.addRow(_("Sign-in:"), self.sign_in_button)
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
        self.use_password.toggled.connect(self._show_sign_in_way)
        self._show_sign_in_way()

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
            self.sign_in_button.setText(
                _("Sign &in with {provider}…").format(provider=provider_name(self._oauth))
            )

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
        name, _filter = QFileDialog.getOpenFileName(
            self,
            _("Certificate to trust"),
            "",
            _("Certificates (*.pem *.crt *.cer);;All files (*)"),
        )
        if name:
            self.certificate.setText(name)

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.buttons.button(QDialogButtonBox.StandardButton.Ok), self.test_button):
            widget.setEnabled(not busy)
