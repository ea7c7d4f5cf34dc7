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
from composer import i18n
from composer.core.fileio import atomic_write_text
from composer.core.mail import MailAddress, MailError, check_header_text, parse_address
from composer.i18n import N_, _

ACCOUNT_VERSION = 1
ACCOUNT_FILE_NAME = "account.toml"

SECURITY_SSL = "ssl"
SECURITY_STARTTLS = "starttls"
SECURITY_PLAIN_LOCALHOST = "plain-localhost"
SECURITY_CHOICES = (SECURITY_SSL, SECURITY_STARTTLS, SECURITY_PLAIN_LOCALHOST)
# Marked for translation: show them through _() (see security_label).
SECURITY_LABELS = {
    SECURITY_SSL: N_("SSL/TLS (implicit TLS, usually port 465)"),
    SECURITY_STARTTLS: N_("STARTTLS (usually port 587)"),
    SECURITY_PLAIN_LOCALHOST: N_("No encryption — only for a server on this computer"),
}

_HOST = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$")


def security_label(security: str) -> str:
    """The words that name a security choice, in the interface's language."""
    label = SECURITY_LABELS.get(security)
    return i18n._(label) if label is not None else security


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


AUTH_PASSWORD = "password"
AUTH_OAUTH2 = "oauth2"
OAUTH_PROVIDERS = ("google", "microsoft", "custom")


@dataclass(frozen=True)
class OAuthSettings:
    """How an account signs in with OAuth2 instead of a password.

    Attributes:
        provider: "google", "microsoft", or "custom" (then the addresses below are needed).
        client_id: the public client ID registered with the provider for this
            program; "" means the one a packager set (see :mod:`composer.core.oauth`).
        client_secret: what some providers issue to desktop clients; not a secret.
        authorize_url: the sign-in page, when not the provider's usual one.
        token_url: the token address, when not the provider's usual one.
        scope: the permission asked for, when not the provider's usual one.
    """

    provider: str
    client_id: str = ""
    client_secret: str = ""
    authorize_url: str = ""
    token_url: str = ""
    scope: str = ""


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
        oauth: OAuth2 settings when the account signs in through the browser
            (the keyring entry then holds the refresh token, not a password).
    """

    display_name: str
    email: str
    host: str
    port: int
    security: str = SECURITY_STARTTLS
    username: str = ""
    certificate_file: str = ""
    oauth: OAuthSettings | None = None

    @property
    def auth(self) -> str:
        """How the account signs in: "password" or "oauth2"."""
        return AUTH_OAUTH2 if self.oauth is not None else AUTH_PASSWORD

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
            return parse_address(self.email, _("From address"), display_name=self.display_name)
        except MailError as error:
            raise AccountError(str(error)) from error

    def validated(self) -> Account:
        """Return the account with surrounding spaces removed, or raise AccountError.

        Raises:
            AccountError: a field is missing or not valid (the message names it).
        """
        try:
            display_name = check_header_text(self.display_name, _("Display name"))
            username = check_header_text(self.username, _("User name"))
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
            raise AccountError(_("From address: enter the e-mail address you send from."))
        clean.sender_address()
        if not clean.host:
            raise AccountError(
                _("Server: enter the SMTP server name (for example smtp.example.org).")
            )
        if not _HOST.match(clean.host.strip("[]")) and not _is_ip(clean.host):
            raise AccountError(
                _(
                    "Server: “{host}” is not a host name; enter only the name, "
                    "like smtp.example.org (no “smtp://”, no spaces)."
                ).format(host=clean.host)
            )
        if isinstance(clean.port, bool) or not isinstance(clean.port, int):
            raise AccountError(_("Port: enter a number, such as 465 or 587."))
        if not 1 <= clean.port <= 65535:
            raise AccountError(
                _("Port: {port} is not a port number (1–65535).").format(port=clean.port)
            )
        if clean.security not in SECURITY_CHOICES:
            raise AccountError(
                _("Security: “{security}” is not one of {choices}.").format(
                    security=clean.security, choices=", ".join(SECURITY_CHOICES)
                )
            )
        if clean.oauth is not None and clean.oauth.provider not in OAUTH_PROVIDERS:
            raise AccountError(
                _("Sign-in: “{provider}” is not one of {choices}.").format(
                    provider=clean.oauth.provider, choices=", ".join(OAUTH_PROVIDERS)
                )
            )
        if clean.security == SECURITY_PLAIN_LOCALHOST and not is_loopback_host(clean.host):
            raise AccountError(
                _(
                    "Security: unencrypted SMTP is only allowed to a server on this computer "
                    "(localhost); choose SSL/TLS or STARTTLS for {host}."
                ).format(host=clean.host)
            )
        return clean


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


_OAUTH_FIELDS = ("provider", "client_id", "client_secret", "authorize_url", "token_url", "scope")


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
        raise AccountError(
            _("{path}: not UTF-8 text; set the account up again.").format(path=path)
        ) from error
    except OSError as error:
        raise AccountError(
            _("{path}: cannot be read ({reason}).").format(path=path, reason=error.strerror)
        ) from error
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise AccountError(
            _("{path}: not valid TOML ({error}); set the account up again.").format(
                path=path, error=error
            )
        ) from error
    table = data.get("account")
    if not isinstance(table, dict):
        raise AccountError(
            _("{path}: there is no [account] table; set the account up again.").format(path=path)
        )

    def text_field(name: str, default: str = "") -> str:
        value = table.get(name, default)
        if not isinstance(value, str):
            raise AccountError(_("{path}: “{name}” must be text.").format(path=path, name=name))
        return value

    port = table.get("port")
    if isinstance(port, bool) or not isinstance(port, int):
        raise AccountError(_("{path}: “port” must be a whole number.").format(path=path))
    oauth_table = table.get("oauth")
    oauth = None
    if oauth_table is not None:
        if not isinstance(oauth_table, dict) or not all(
            isinstance(value, str) for value in oauth_table.values()
        ):
            raise AccountError(
                _("{path}: [account.oauth] must hold text values.").format(path=path)
            )
        known = {name: oauth_table.get(name, "") for name in _OAUTH_FIELDS}
        oauth = OAuthSettings(**known)
    account = Account(
        oauth=oauth,
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
    account_table: dict[str, object] = {}
    document: dict[str, object] = {
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
    if clean.oauth is not None:
        account_table["oauth"] = {
            name: getattr(clean.oauth, name)
            for name in _OAUTH_FIELDS
            if getattr(clean.oauth, name) or name == "provider"
        }
    if account_table:
        main_table = document["account"]
        assert isinstance(main_table, dict)
        main_table.update(account_table)
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
        notes: what the user must know or do first, in plain words (in English;
            `shown_notes` gives them in the interface's language).
        method: how the provider wants you to sign in: "oauth2" (through the
            browser), "app-password", "bridge-password" or "password".
        oauth_provider: the OAuth2 provider's key when `method` is "oauth2".
    """

    key: str
    name: str
    host: str
    port: int
    security: str
    domains: tuple[str, ...]
    notes: str
    method: str = "password"
    oauth_provider: str = ""

    def shown_notes(self) -> str:
        """The notes in the interface's language."""
        return i18n._(self.notes)

    def apply(self, account: Account, *, oauth: bool | None = None) -> Account:
        """The account with this provider's server, port, security and way of signing in.

        Args:
            account: the account to change.
            oauth: sign in through the browser (True), with a password (False), or
                as the provider wants (None).
        """
        use_oauth = (self.method == AUTH_OAUTH2) if oauth is None else oauth
        settings = account.oauth
        if use_oauth and self.oauth_provider:
            if settings is None or settings.provider != self.oauth_provider:
                settings = OAuthSettings(self.oauth_provider)
        elif not use_oauth:
            settings = None
        return replace(
            account, host=self.host, port=self.port, security=self.security, oauth=settings
        )


PRESETS: tuple[Preset, ...] = (
    Preset(
        key="gmail",
        name="Gmail",
        host="smtp.gmail.com",
        port=465,
        security=SECURITY_SSL,
        domains=("gmail.com", "googlemail.com"),
        notes=N_(
            "Sign in with Google through your browser (this needs a client ID "
            "registered for this program; see the guide). Or use an app password: turn "
            "on 2-Step Verification in your Google Account, create an app password and "
            "use it here instead of your usual password."
        ),
        method="oauth2",
        oauth_provider="google",
    ),
    Preset(
        key="outlook",
        name="Outlook.com / Hotmail",
        host="smtp-mail.outlook.com",
        port=587,
        security=SECURITY_STARTTLS,
        domains=("outlook.com", "hotmail.com", "live.com", "msn.com"),
        notes=N_(
            "Sign in with Microsoft through your browser: Microsoft refuses the usual "
            "password for sending on most accounts (this needs a client ID registered "
            "for this program; see the guide)."
        ),
        method="oauth2",
        oauth_provider="microsoft",
    ),
    Preset(
        key="microsoft365",
        name="Microsoft 365 (work or school)",
        host="smtp.office365.com",
        port=587,
        security=SECURITY_STARTTLS,
        domains=(),
        notes=N_(
            "Sign in with Microsoft through your browser: Microsoft 365 turns password "
            "sign-in for SMTP off. Your organisation's administrator may have to allow "
            "this program, or SMTP sending, for your mailbox."
        ),
        method="oauth2",
        oauth_provider="microsoft",
    ),
    Preset(
        key="yahoo",
        name="Yahoo Mail",
        host="smtp.mail.yahoo.com",
        port=465,
        security=SECURITY_SSL,
        domains=("yahoo.com", "ymail.com"),
        notes=N_(
            "Needs an app password: create one in your Yahoo account's security "
            "settings and use it here instead of your usual password."
        ),
        method="app-password",
    ),
    Preset(
        key="icloud",
        name="iCloud Mail",
        host="smtp.mail.me.com",
        port=587,
        security=SECURITY_STARTTLS,
        domains=("icloud.com", "me.com", "mac.com"),
        notes=N_(
            "Needs an app-specific password: create one at your Apple Account's "
            "sign-in and security settings, and use it here."
        ),
        method="app-password",
    ),
    Preset(
        key="fastmail",
        name="Fastmail",
        host="smtp.fastmail.com",
        port=465,
        security=SECURITY_SSL,
        domains=("fastmail.com", "fastmail.fm"),
        notes=N_(
            "Needs an app password: create one in Fastmail's settings "
            "(Privacy & Security) and use it here."
        ),
        method="app-password",
    ),
    Preset(
        key="protonbridge",
        name="Proton Mail Bridge",
        host="127.0.0.1",
        port=1025,
        security=SECURITY_STARTTLS,
        domains=("proton.me", "protonmail.com", "pm.me"),
        notes=N_(
            "Proton Mail Bridge must be running on this computer. Use the user name "
            "and the password that Bridge shows (not your Proton password). Bridge "
            "uses its own certificate: export it from Bridge and choose it as the "
            "certificate to trust."
        ),
        method="bridge-password",
    ),
    Preset(
        key="aol",
        name="AOL Mail",
        host="smtp.aol.com",
        port=465,
        security=SECURITY_SSL,
        domains=("aol.com",),
        notes=N_("Needs an app password: create one in your AOL account's security settings."),
        method="app-password",
    ),
    Preset(
        key="zoho",
        name="Zoho Mail",
        host="smtp.zoho.com",
        port=465,
        security=SECURITY_SSL,
        domains=("zohomail.com", "zoho.com"),
        notes=N_(
            "If two-factor authentication is on for your Zoho account, create an "
            "application-specific password and use it here."
        ),
        method="app-password",
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
    raise AccountError(
        _("Preset: there is no preset called “{name}”; known presets: {known}.").format(
            name=name, known=known
        )
    )


def preset_for_address(email: str) -> Preset | None:
    """The preset whose provider hosts this address, if one is known."""
    domain = email.rpartition("@")[2].strip().lower()
    for preset in PRESETS:
        if domain in preset.domains:
            return preset
    return None
