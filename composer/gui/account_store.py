"""Reading and saving the e-mail account with its password, for the account dialog.

These functions touch the disk and the keyring, so the dialog runs them in the
background (:func:`composer.gui.background.run_task`); they import no Qt.
"""

from __future__ import annotations

from pathlib import Path

from composer.core.accounts import Account, AccountError, load_account, save_account
from composer.core.credentials import CredentialError, PasswordSource
from composer.core.oauth import provider_name
from composer.i18n import _

STORED = "stored"  # a password (or sign-in) is in the keyring
NONE = "none"  # nothing is stored yet


def read_saved(path: Path, passwords: PasswordSource) -> tuple[Account | None, str, str]:
    """The saved account (None if there is none, or it is damaged: OK replaces it), the
    keyring's state for it, and a sentence about that state."""
    try:
        account = load_account(path)
    except AccountError:
        account = None
    return (account, *password_state(passwords, account))


def password_state(passwords: PasswordSource, account: Account | None) -> tuple[str, str]:
    """Whether `account`'s password is stored (a ``KeyringState`` value, "stored" or
    "none"), and a sentence for the user about it."""
    status = passwords.keyring.status()
    if not status.usable:
        return status.state.value, status.message
    if account is None:
        return NONE, _("The password will be kept in the system keyring.")
    try:
        stored = passwords.keyring.get(account.keyring_key)
    except CredentialError as error:
        return error.status.state.value, error.status.message
    if account.oauth is not None:
        name = provider_name(account.oauth)
        if stored:
            return (
                STORED,
                _("Signed in with {provider}; the sign-in is kept in the system keyring.").format(
                    provider=name
                ),
            )
        return NONE, _("Not signed in yet: press “Sign in with {provider}”.").format(provider=name)
    if stored:
        return STORED, _("A password is stored in the system keyring.")
    return NONE, _("No password stored yet; the password will be kept in the system keyring.")


def save_with_password(
    path: Path, account: Account, typed: str, passwords: PasswordSource, signed_in_key: str
) -> tuple[Account, str]:
    """Save `account` and keep its password where it belongs.

    One keyring entry per account: it follows a new server, port or user name. A
    password typed in the dialog goes to the keyring (or, when the keyring cannot
    take it, to this session's memory).

    Args:
        path: the account file.
        account: the checked account.
        typed: the password typed in the dialog ("" if none).
        passwords: the keyring and this session's passwords.
        signed_in_key: the keyring key just signed in under ("" if none).

    Returns:
        The saved account, and a note for the user when the password could not be
        kept in the keyring ("" when all went well).

    Raises:
        AccountError: the account file cannot be written.
    """
    try:
        before = load_account(path)
    except AccountError:
        before = None
    saved = save_account(path, account)
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
