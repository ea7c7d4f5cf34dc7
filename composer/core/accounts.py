"""The user's own SMTP account: where to send from, and how to reach the server.

Saved as TOML in ``account.toml`` in the config folder. The password is never
part of it: it lives in the OS keyring (see :mod:`composer.core.credentials`).
Presets for common providers fill in the server, port and security and say
what the provider needs (often an "app password" rather than the usual one).
"""

from __future__ import annotations

import ipaddress
import re
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

import tomli_w
from composer.core.fileio import atomic_write_text
from composer.core.mail import MailAddress, MailError, check_header_text, parse_address

ACCOUNT_VERSION = 1
ACCOUNT_FILE_NAME = "account.toml"

SECURITY_SSL = "ssl"
SECURITY_STARTTLS = "starttls"
SECURITY_PLAIN_LOCALHOST = "plain-localhost"
SECURITY_CHOICES = (SECURITY_SSL, SECURITY_STARTTLS, SECURITY_PLAIN_LOCALHOST)
SECURITY_LABELS = {
    SECURITY_SSL: "SSL/TLS (implicit TLS, usually port 465)",
    SECURITY_STARTTLS: "STARTTLS (usually port 587)",
    SECURITY_PLAIN_LOCALHOST: "No encryption — only for a server on this computer",
}

_HOST = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$")


class AccountError(ValueError):
    """The account settings are incomplete or wrong; the message says which field and why."""


def account_file(config_dir: Path) -> Path:
    """Where the account is saved, inside the config folder."""
    return Path(config_dir) / ACCOUNT_FILE_NAME


def is_loopback_host(host: str) -> bool:
    """True for ``localhost`` and loopback IP addresses (127.0.0.0/8, ::1)."""
    name = host.strip().strip("[]").lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Account:
    """An SMTP account.

    Attributes:
        display_name: the name shown in From (usually the sender's full name).
        email: the From address.
        host: the SMTP server's host name.
        port: the SMTP server's port.
        security: "ssl" (implicit TLS), "starttls", or "plain-localhost".
        username: the login name; empty means "the same as the e-mail address".
        certificate_file: an extra certificate to trust (e.g. a local bridge's own), or "".
    """

    display_name: str
    email: str
    host: str
    port: int
    security: str = SECURITY_STARTTLS
    username: str = ""
    certificate_file: str = ""

    @property
    def login_name(self) -> str:
        """The user name given to the server."""
        return self.username.strip() or self.email.strip()

    @property
    def keyring_key(self) -> str:
        """The name under which this account's password is kept in the keyring."""
        return f"smtp:{self.login_name}@{self.host.strip().lower()}:{self.port}"

    @property
    def needs_login(self) -> bool:
        """Whether a password is sent: always, except to a plain local relay with no user."""
        return not (self.security == SECURITY_PLAIN_LOCALHOST and not self.username.strip())

    def sender_address(self) -> MailAddress:
        """The From address with the display name, checked.

        Raises:
            AccountError: the address or the name is not valid.
        """
        try:
            return parse_address(self.email, "From address", display_name=self.display_name)
        except MailError as error:
            raise AccountError(str(error)) from error

    def validated(self) -> Account:
        """Return the account with surrounding spaces removed, or raise AccountError.

        Raises:
            AccountError: a field is missing or not valid (the message names it).
        """
        try:
            display_name = check_header_text(self.display_name, "Display name")
            username = check_header_text(self.username, "User name")
        except MailError as error:
            raise AccountError(str(error)) from error
        clean = replace(
            self,
            display_name=display_name,
            email=self.email.strip(),
            host=self.host.strip().rstrip(".").lower(),
            username=username,
            certificate_file=self.certificate_file.strip(),
        )
        if not clean.email:
            raise AccountError("From address: enter the e-mail address you send from.")
        clean.sender_address()
        if not clean.host:
            raise AccountError("Server: enter the SMTP server name (for example smtp.example.org).")
        if not _HOST.match(clean.host.strip("[]")) and not _is_ip(clean.host):
            raise AccountError(
                f"Server: “{clean.host}” is not a host name; enter only the name, "
                "like smtp.example.org (no “smtp://”, no spaces)."
            )
        if isinstance(clean.port, bool) or not isinstance(clean.port, int):
            raise AccountError("Port: enter a number, such as 465 or 587.")
        if not 1 <= clean.port <= 65535:
            raise AccountError(f"Port: {clean.port} is not a port number (1–65535).")
        if clean.security not in SECURITY_CHOICES:
            raise AccountError(
                f"Security: “{clean.security}” is not one of {', '.join(SECURITY_CHOICES)}."
            )
        if clean.security == SECURITY_PLAIN_LOCALHOST and not is_loopback_host(clean.host):
            raise AccountError(
                "Security: unencrypted SMTP is only allowed to a server on this computer "
                "(localhost); choose SSL/TLS or STARTTLS for "
                f"{clean.host}."
            )
        return clean


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def load_account(path: Path) -> Account | None:
    """Read the saved account; None when none has been saved yet.

    Raises:
        AccountError: the file exists but cannot be read or is damaged.
    """
    try:
        text = Path(path).read_bytes().decode("utf-8")
    except FileNotFoundError:
        return None
    except UnicodeDecodeError as error:
        raise AccountError(f"{path}: not UTF-8 text; set the account up again.") from error
    except OSError as error:
        raise AccountError(f"{path}: cannot be read ({error.strerror}).") from error
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise AccountError(
            f"{path}: not valid TOML ({error}); set the account up again."
        ) from error
    table = data.get("account")
    if not isinstance(table, dict):
        raise AccountError(f"{path}: there is no [account] table; set the account up again.")

    def text_field(name: str, default: str = "") -> str:
        value = table.get(name, default)
        if not isinstance(value, str):
            raise AccountError(f"{path}: “{name}” must be text.")
        return value

    port = table.get("port")
    if isinstance(port, bool) or not isinstance(port, int):
        raise AccountError(f"{path}: “port” must be a whole number.")
    account = Account(
        display_name=text_field("display_name"),
        email=text_field("email"),
        host=text_field("host"),
        port=port,
        security=text_field("security", SECURITY_STARTTLS),
        username=text_field("username"),
        certificate_file=text_field("certificate_file"),
    )
    try:
        return account.validated()
    except AccountError as error:
        raise AccountError(f"{path}: {error}") from error


def save_account(path: Path, account: Account) -> Account:
    """Check and write the account atomically (never a password); returns what was saved.

    Raises:
        AccountError: a field is not valid.
        StorageError: the file could not be written.
    """
    clean = account.validated()
    document = {
        "version": ACCOUNT_VERSION,
        "account": {
            "display_name": clean.display_name,
            "email": clean.email,
            "host": clean.host,
            "port": clean.port,
            "security": clean.security,
            "username": clean.username,
            "certificate_file": clean.certificate_file,
        },
    }
    atomic_write_text(path, tomli_w.dumps(document), mode=0o600)
    return clean


@dataclass(frozen=True)
class Preset:
    """What a mail provider's SMTP server needs.

    Attributes:
        key: a short name for the command line (``gmail``).
        name: the provider's name as shown to the user.
        host: the SMTP server.
        port: the port that goes with `security`.
        security: "ssl" or "starttls".
        domains: address domains that belong to this provider (to suggest the preset).
        notes: what the user must know or do first, in plain words.
    """

    key: str
    name: str
    host: str
    port: int
    security: str
    domains: tuple[str, ...]
    notes: str

    def apply(self, account: Account) -> Account:
        """The account with this provider's server, port and security."""
        return replace(account, host=self.host, port=self.port, security=self.security)


PRESETS: tuple[Preset, ...] = (
    Preset(
        key="gmail",
        name="Gmail",
        host="smtp.gmail.com",
        port=465,
        security=SECURITY_SSL,
        domains=("gmail.com", "googlemail.com"),
        notes=(
            "Needs an app password: turn on 2-Step Verification in your Google "
            "Account, then create an app password and use it here instead of your "
            "usual password."
        ),
    ),
    Preset(
        key="outlook",
        name="Outlook.com / Hotmail",
        host="smtp-mail.outlook.com",
        port=587,
        security=SECURITY_STARTTLS,
        domains=("outlook.com", "hotmail.com", "live.com", "msn.com"),
        notes=(
            "Microsoft may refuse password sign-in for SMTP on some accounts; if the "
            "password is rejected, check the account's security settings at Microsoft."
        ),
    ),
    Preset(
        key="microsoft365",
        name="Microsoft 365 (work or school)",
        host="smtp.office365.com",
        port=587,
        security=SECURITY_STARTTLS,
        domains=(),
        notes=(
            "Your organisation's administrator must allow sending with SMTP AUTH for "
            "your mailbox; ask them if the password is rejected."
        ),
    ),
    Preset(
        key="yahoo",
        name="Yahoo Mail",
        host="smtp.mail.yahoo.com",
        port=465,
        security=SECURITY_SSL,
        domains=("yahoo.com", "ymail.com"),
        notes=(
            "Needs an app password: create one in your Yahoo account's security "
            "settings and use it here instead of your usual password."
        ),
    ),
    Preset(
        key="icloud",
        name="iCloud Mail",
        host="smtp.mail.me.com",
        port=587,
        security=SECURITY_STARTTLS,
        domains=("icloud.com", "me.com", "mac.com"),
        notes=(
            "Needs an app-specific password: create one at your Apple Account's "
            "sign-in and security settings, and use it here."
        ),
    ),
    Preset(
        key="fastmail",
        name="Fastmail",
        host="smtp.fastmail.com",
        port=465,
        security=SECURITY_SSL,
        domains=("fastmail.com", "fastmail.fm"),
        notes=(
            "Needs an app password: create one in Fastmail's settings "
            "(Privacy & Security) and use it here."
        ),
    ),
    Preset(
        key="protonbridge",
        name="Proton Mail Bridge",
        host="127.0.0.1",
        port=1025,
        security=SECURITY_STARTTLS,
        domains=("proton.me", "protonmail.com", "pm.me"),
        notes=(
            "Proton Mail Bridge must be running on this computer. Use the user name "
            "and the password that Bridge shows (not your Proton password). Bridge "
            "uses its own certificate: export it from Bridge and choose it as the "
            "certificate to trust."
        ),
    ),
    Preset(
        key="aol",
        name="AOL Mail",
        host="smtp.aol.com",
        port=465,
        security=SECURITY_SSL,
        domains=("aol.com",),
        notes="Needs an app password: create one in your AOL account's security settings.",
    ),
    Preset(
        key="zoho",
        name="Zoho Mail",
        host="smtp.zoho.com",
        port=465,
        security=SECURITY_SSL,
        domains=("zohomail.com", "zoho.com"),
        notes=(
            "If two-factor authentication is on for your Zoho account, create an "
            "application-specific password and use it here."
        ),
    ),
)


def find_preset(name: str) -> Preset:
    """The preset with this key or name (any case).

    Raises:
        AccountError: there is no such preset (the message lists the known ones).
    """
    wanted = name.strip().lower()
    for preset in PRESETS:
        if wanted in (preset.key, preset.name.lower()):
            return preset
    known = ", ".join(preset.key for preset in PRESETS)
    raise AccountError(f"Preset: there is no preset called “{name}”; known presets: {known}.")


def preset_for_address(email: str) -> Preset | None:
    """The preset whose provider hosts this address, if one is known."""
    domain = email.rpartition("@")[2].strip().lower()
    for preset in PRESETS:
        if domain in preset.domains:
            return preset
    return None
