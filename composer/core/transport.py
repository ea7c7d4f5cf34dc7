"""Talking to the user's SMTP server: TLS always, one connection per batch, clear failures.

Rules this module keeps, whatever the caller asks:

- Implicit TLS (``ssl``) or STARTTLS, with the certificate verified against
  the system's trust store (``ssl.create_default_context()``, which honours
  ``SSL_CERT_FILE``) plus, if the account names one, an extra certificate.
- A server that does not offer STARTTLS is an error; nothing is downgraded
  and no password is sent.
- Unencrypted SMTP only when the account says ``plain-localhost`` and the
  host resolves to loopback addresses only.

Every failure becomes an :class:`SmtpFailure`: what went wrong in plain
words, the server's own reply when there was one, and what should happen to
the letter (retry later, fix the settings, or edit it — see :class:`Disposition`).
"""

from __future__ import annotations

import base64
import contextlib
import enum
import errno
import logging
import re
import smtplib
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import TracebackType
from typing import Protocol

from composer import i18n
from composer.core.accounts import (
    SECURITY_PLAIN_LOCALHOST,
    SECURITY_SSL,
    SECURITY_STARTTLS,
    Account,
    is_loopback_host,
)
from composer.core.oauth import OAuthError, ProviderUnreachable
from composer.i18n import N_, _

log = logging.getLogger(__name__)
# What smtplib itself says when a server offers no AUTH (never shown: it is classified).
_NO_AUTH = "SMTP AUTH extension not supported by server."

DEFAULT_TIMEOUT = 30.0
# RFC 5321, 4.5.3.2.6: after the final dot the client should wait 10 minutes for the
# server's reply, because the server may be checking the letter before it answers.
DATA_REPLY_TIMEOUT = 600.0


class Disposition(enum.Enum):
    """What a failure means for the letters waiting to go."""

    RETRY = "retry"
    """Temporary: the letters stay queued and are tried again automatically."""
    FIX_SETTINGS = "fix-settings"
    """The account or the connection needs the user: letters stay queued until then."""
    REJECTED = "rejected"
    """The server refused this letter for good: it must be edited before sending again."""


class FailureKind(enum.Enum):
    """Every way sending can fail, as the user needs to tell them apart."""

    NAME_NOT_FOUND = "name-not-found"
    OFFLINE = "offline"
    REFUSED = "refused"
    TIMED_OUT = "timed-out"
    CERTIFICATE = "certificate"
    TLS = "tls"
    NO_STARTTLS = "no-starttls"
    PLAIN_NOT_ALLOWED = "plain-not-allowed"
    LOGIN_REJECTED = "login-rejected"
    LOGIN_UNSUPPORTED = "login-unsupported"
    NO_PASSWORD = "no-password"
    SIGN_IN_NEEDED = "sign-in-needed"
    CONNECTION_LOST = "connection-lost"
    TEMPORARY = "temporary"
    REJECTED = "rejected"
    PROTOCOL = "protocol"


_DISPOSITIONS = {
    FailureKind.OFFLINE: Disposition.RETRY,
    FailureKind.REFUSED: Disposition.RETRY,
    FailureKind.TIMED_OUT: Disposition.RETRY,
    FailureKind.CONNECTION_LOST: Disposition.RETRY,
    FailureKind.TEMPORARY: Disposition.RETRY,
    FailureKind.REJECTED: Disposition.REJECTED,
}


@dataclass(frozen=True)
class SmtpFailure:
    """One failure, explained.

    Attributes:
        kind: which failure it is.
        message: what happened and what to do, in plain words.
        reply_code: the server's reply code, when the server answered.
        reply_text: the server's own words, when the server answered.
        possibly_delivered: the connection broke after the whole letter was
            sent but before the server confirmed it; sending it again may
            produce a duplicate.
    """

    kind: FailureKind
    message: str
    reply_code: int | None = None
    reply_text: str = ""
    possibly_delivered: bool = False

    @property
    def disposition(self) -> Disposition:
        """What should happen to the letter(s) concerned."""
        return _DISPOSITIONS.get(self.kind, Disposition.FIX_SETTINGS)

    @property
    def server_reply(self) -> str:
        """The server's reply as one line ("550 5.1.1 No such user"), or ""."""
        if self.reply_code is None:
            return ""
        return f"{self.reply_code} {self.reply_text}".strip()

    def describe(self) -> str:
        """The message, followed by the server's own words when it gave any."""
        if not self.server_reply:
            return self.message
        return _("{message} The server said: “{reply}”.").format(
            message=self.message, reply=self.server_reply
        )


class AccessTokens(Protocol):
    """Where an OAuth2 account's access tokens come from (see :class:`composer.core.oauth.TokenSource`)."""

    @property
    def provider_name(self) -> str:
        """The provider's name as shown to the user."""
        ...

    def access_token(self, *, force: bool = False) -> str:
        """A current access token; a fresh one when `force`."""
        ...


Credential = str | AccessTokens
"""What signs an account in: a password, or OAuth2 access tokens."""


class SmtpError(Exception):
    """Sending failed; `failure` says how."""

    def __init__(self, failure: SmtpFailure) -> None:
        super().__init__(failure.describe())
        self.failure = failure


@dataclass(frozen=True)
class ServerReply:
    """A reply from the server: its code and its text."""

    code: int
    text: str

    def __str__(self) -> str:
        return f"{self.code} {self.text}".strip()


def _text(reply: bytes | str) -> str:
    raw = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    # Multi-line replies become one line; control characters never reach a list or a log.
    return " ".join(re.sub(r"[\x00-\x1f\x7f]", " ", raw).split())


def make_tls_context(account: Account) -> ssl.SSLContext:
    """The TLS settings for this account: system trust store (or ``SSL_CERT_FILE``) + extra.

    Raises:
        SmtpError: the extra certificate file cannot be read.
    """
    context = ssl.create_default_context()
    if account.certificate_file:
        try:
            context.load_verify_locations(cafile=account.certificate_file)
        except (OSError, ssl.SSLError) as error:
            raise SmtpError(
                SmtpFailure(
                    FailureKind.TLS,
                    _(
                        "The certificate file {file} could not be read ({reason}). Choose "
                        "the right file in the account settings."
                    ).format(
                        file=account.certificate_file,
                        reason=getattr(error, "strerror", None) or error,
                    ),
                )
            ) from None
    return context


def _where(account: Account) -> str:
    return f"{account.host}:{account.port}"


def classify_error(error: BaseException, account: Account, phase: str) -> SmtpFailure:
    """Turn an exception raised while talking to the server into a failure for the user.

    Args:
        error: what smtplib, ssl or socket raised.
        account: the account (its server and port are named in the message).
        phase: what was being done: "connect", "tls", "login", "send" or "confirm"
            ("confirm" = the whole letter was sent, the server's answer was awaited).
    """
    where = _where(account)
    possibly = phase == "confirm"
    after = (
        _(
            "The letter was sent completely but the server did not confirm it; it will "
            "be sent again, which may deliver it twice."
        )
        if possibly
        else _("The letter stays in the outbox and will be tried again.")
    )
    cause = error.__context__ if isinstance(error, smtplib.SMTPServerDisconnected) else None
    if isinstance(error, socket.gaierror):
        if error.errno in (socket.EAI_AGAIN,):
            return SmtpFailure(
                FailureKind.OFFLINE,
                _(
                    "Could not look up the server name {host}: you seem to be offline. The "
                    "letter stays in the outbox and goes when the network is back."
                ).format(host=account.host),
            )
        return SmtpFailure(
            FailureKind.NAME_NOT_FOUND,
            _(
                "The server name {host} was not found. Check the server name in the "
                "account settings (and that you are online)."
            ).format(host=account.host),
        )
    if isinstance(error, ConnectionRefusedError):
        return SmtpFailure(
            FailureKind.REFUSED,
            _(
                "The server {where} refused the connection: nothing accepts mail there "
                "right now. Check the port number; the server may also be down. The letter "
                "stays in the outbox."
            ).format(where=where),
        )
    if isinstance(error, TimeoutError | socket.timeout) or isinstance(cause, TimeoutError):
        sentences = [_("The server {where} did not answer in time.").format(where=where)]
        if phase == "connect":
            sentences.append(
                _(
                    "Check the server name, the port and the security setting "
                    "(465 is usually SSL/TLS, 587 STARTTLS)."
                )
            )
        return SmtpFailure(
            FailureKind.TIMED_OUT,
            " ".join([*sentences, after]),
            possibly_delivered=possibly,
        )
    if isinstance(error, ssl.SSLCertVerificationError):
        return SmtpFailure(
            FailureKind.CERTIFICATE,
            _(
                "The server {where} could not prove its identity: its certificate is not "
                "trusted ({reason}). Nothing was sent. Someone may be intercepting the "
                "connection, or the server is set up wrongly; check the server name."
            ).format(where=where, reason=error.verify_message or error.reason),
        )
    if isinstance(error, ssl.SSLError):
        sentences = [
            _(
                "A secure connection to {where} could not be set up ({reason}). Nothing was sent."
            ).format(where=where, reason=error.reason or error)
        ]
        if error.reason in ("WRONG_VERSION_NUMBER", "UNKNOWN_PROTOCOL", "RECORD_LAYER_FAILURE"):
            sentences.append(
                _(
                    "The security setting probably does not match the port: 465 is usually "
                    "SSL/TLS, 587 STARTTLS."
                )
            )
        return SmtpFailure(FailureKind.TLS, " ".join(sentences))
    if isinstance(error, smtplib.SMTPAuthenticationError):
        code, text = error.smtp_code, _text(error.smtp_error)
        if 400 <= code < 500:
            return SmtpFailure(
                FailureKind.TEMPORARY,
                _("The server could not check the password just now; it will be tried again."),
                code,
                text,
            )
        return SmtpFailure(
            FailureKind.LOGIN_REJECTED,
            _(
                "The server rejected the user name or password for {login}. Check them in "
                "the account settings; many providers need an app password."
            ).format(login=account.login_name),
            code,
            text,
        )
    if isinstance(error, smtplib.SMTPNotSupportedError) and phase == "login":
        return SmtpFailure(
            FailureKind.LOGIN_UNSUPPORTED,
            _(
                "The server {where} does not offer sign-in. Check the server name and port "
                "(the submission port is usually 465 or 587)."
            ).format(where=where),
        )
    if isinstance(error, smtplib.SMTPResponseException):
        return reply_failure(error.smtp_code, _text(error.smtp_error), phase)
    if isinstance(error, smtplib.SMTPServerDisconnected | ConnectionError | EOFError):
        return SmtpFailure(
            FailureKind.CONNECTION_LOST,
            " ".join([_("The connection to {where} was lost.").format(where=where), after]),
            possibly_delivered=possibly,
        )
    if isinstance(error, OSError) and error.errno in (
        errno.ENETUNREACH,
        errno.EHOSTUNREACH,
        errno.ENETDOWN,
        errno.ENONET,
    ):
        return SmtpFailure(
            FailureKind.OFFLINE,
            _(
                "The server {where} cannot be reached: you seem to be offline. The letter "
                "stays in the outbox and goes when the network is back."
            ).format(where=where),
        )
    if isinstance(error, smtplib.SMTPException) and phase == "login":
        return SmtpFailure(
            FailureKind.LOGIN_UNSUPPORTED,
            _("The server {where} offers no sign-in method this program knows ({reason}).").format(
                where=where, reason=_text(str(error))
            ),
        )
    if isinstance(error, OSError):
        failed = _("The connection to {where} failed ({reason}).").format(
            where=where, reason=error.strerror or error
        )
        return SmtpFailure(
            FailureKind.CONNECTION_LOST, " ".join([failed, after]), possibly_delivered=possibly
        )
    return SmtpFailure(
        FailureKind.PROTOCOL,
        _("The server {where} answered something this program did not expect ({reason}).").format(
            where=where, reason=_text(str(error))
        ),
    )


# What the server refused, by the phase of the conversation (shown through _()).
_REFUSED = {
    "connect": N_("The server refused the connection"),
    "mail": N_("The server refused the sender address"),
    "rcpt": N_("The server refused a recipient"),
    "data": N_("The server refused the letter"),
    "confirm": N_("The server refused the letter"),
    "login": N_("The server refused the sign-in"),
}


def reply_failure(code: int, text: str, phase: str, subject: str = "") -> SmtpFailure:
    """A failure from a server reply code (4xx temporary, 5xx permanent)."""
    what = i18n._(_REFUSED.get(phase, N_("The server refused")))
    if subject:
        what = _("{what} “{subject}”").format(what=what, subject=subject)
    if 400 <= code < 500:
        return SmtpFailure(
            FailureKind.TEMPORARY,
            _(
                "{what} for now (a temporary problem at the server). The letter stays in "
                "the outbox and will be tried again."
            ).format(what=what),
            code,
            text,
        )
    if code == 530 and phase in ("mail", "rcpt", "data"):
        return SmtpFailure(
            FailureKind.LOGIN_REJECTED,
            _(
                "The server wants you to sign in first: set a user name and password in the "
                "account settings. The letter stays in the outbox."
            ),
            code,
            text,
        )
    return SmtpFailure(
        FailureKind.REJECTED,
        _("{what}. It was not sent; correct it and send it again.").format(what=what),
        code,
        text,
    )


class SmtpSession:
    """One connection to the SMTP server, used for a whole batch of letters.

    Use as a context manager, or call :meth:`open` and :meth:`close`. After a
    failure that breaks the connection, :attr:`usable` is False and the
    session must be closed; after a refused letter it can go on with the next.

    Args:
        account: the account to connect with.
        password: the password, or the OAuth2 access tokens (None when the
            account signs in without either).
        timeout: seconds to wait for each network step.
        data_timeout: seconds to wait for the server's reply once the whole letter
            was sent (10 minutes by default, as RFC 5321 suggests; never less than
            `timeout`).
        ssl_context: TLS settings to use instead of :func:`make_tls_context`'s.
        local_hostname: the name given in EHLO; by default the address literal
            of this end of the connection (found without any slow name lookup).
    """

    def __init__(
        self,
        account: Account,
        password: Credential | None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        data_timeout: float = DATA_REPLY_TIMEOUT,
        ssl_context: ssl.SSLContext | None = None,
        local_hostname: str | None = None,
    ) -> None:
        self.account = account
        self._password = password
        self._timeout = timeout
        self._data_timeout = data_timeout
        self._context = ssl_context
        self._local_hostname = local_hostname
        self._smtp: smtplib.SMTP | None = None
        self._lock = threading.Lock()
        self._aborted = False
        self.usable = False
        self.tls_version: str | None = None

    def __repr__(self) -> str:
        # Never shows the password.
        return f"<SmtpSession {_where(self.account)} usable={self.usable}>"

    def __enter__(self) -> SmtpSession:
        self.open()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _fail(self, error: BaseException, phase: str) -> SmtpError:
        self._drop()
        failure = classify_error(error, self.account, phase)
        log.info("SMTP %s failed at %s: %s", _where(self.account), phase, failure.kind.value)
        return SmtpError(failure)

    def _drop(self) -> None:
        self.usable = False
        smtp = self._smtp
        if smtp is not None:
            with contextlib.suppress(OSError):
                smtp.close()

    def open(self) -> ServerReply:
        """Connect, secure the connection, and sign in; returns the server's greeting.

        Raises:
            SmtpError: any failure, classified.
        """
        account = self.account
        if account.security not in (SECURITY_SSL, SECURITY_STARTTLS, SECURITY_PLAIN_LOCALHOST):
            raise SmtpError(
                SmtpFailure(
                    FailureKind.PLAIN_NOT_ALLOWED,
                    _(
                        "The account's security setting “{security}” is unknown; "
                        "choose SSL/TLS or STARTTLS."
                    ).format(security=account.security),
                )
            )
        if account.needs_login and not self._password:
            raise SmtpError(
                SmtpFailure(
                    FailureKind.NO_PASSWORD,
                    _(
                        "There is no password for {login}. Enter it in the "
                        "account settings (or run “composer account password”)."
                    ).format(login=account.login_name),
                )
            )
        context = self._context
        if account.security != SECURITY_PLAIN_LOCALHOST and context is None:
            context = make_tls_context(account)
        if account.security == SECURITY_PLAIN_LOCALHOST:
            self._check_loopback()
        phase = "connect"
        try:
            with self._lock:
                if self._aborted:
                    raise ConnectionAbortedError(errno.ECONNABORTED, "stopped")
            # Host given to the constructor: smtplib uses it for the certificate's name check.
            if account.security == SECURITY_SSL:
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    account.host,
                    account.port,
                    local_hostname="localhost",
                    timeout=self._timeout,
                    context=context,
                )
            else:
                smtp = smtplib.SMTP(
                    account.host, account.port, local_hostname="localhost", timeout=self._timeout
                )
            self._smtp = smtp
            self._set_local_hostname(smtp)
            phase = "ehlo"
            self._ehlo(smtp)
            if account.security == SECURITY_STARTTLS:
                if not smtp.has_extn("starttls"):
                    self._drop()
                    raise SmtpError(
                        SmtpFailure(
                            FailureKind.NO_STARTTLS,
                            _(
                                "The server {where} does not offer an encrypted "
                                "connection (STARTTLS), so nothing was sent and the password "
                                "was not given. Check the port and security setting; if the "
                                "server really offers no encryption, do not use it."
                            ).format(where=_where(account)),
                        )
                    )
                phase = "tls"
                smtp.starttls(context=context)
                phase = "ehlo"
                self._ehlo(smtp)
            if isinstance(smtp.sock, ssl.SSLSocket):
                self.tls_version = smtp.sock.version()
            if account.needs_login:
                # Never a password over a connection that is not encrypted, except to
                # a loopback server the user explicitly chose to reach unencrypted.
                if self.tls_version is None and account.security != SECURITY_PLAIN_LOCALHOST:
                    self._drop()
                    raise SmtpError(
                        SmtpFailure(
                            FailureKind.TLS,
                            _("The connection is not encrypted, so the password was not sent."),
                        )
                    )
                phase = "login"
                assert self._password is not None
                if isinstance(self._password, str):
                    self._login(smtp, account.login_name, self._password)
                else:
                    self._login_oauth(smtp, account.login_name, self._password)
        except SmtpError:
            raise
        except smtplib.SMTPConnectError as error:
            self._drop()
            raise SmtpError(
                reply_failure(error.smtp_code, _text(error.smtp_error), "connect")
            ) from None
        except (OSError, smtplib.SMTPException, EOFError) as error:
            raise self._fail(error, phase) from None
        self.usable = True
        return ServerReply(250, _text(smtp.ehlo_resp or b""))

    def _login(self, smtp: smtplib.SMTP, user: str, password: str) -> None:
        """Sign in with one mechanism, once, with the name and password as UTF-8.

        ``smtplib.SMTP.login`` tries every mechanism in turn after a refusal,
        which doubles the failed attempts a provider counts towards a lock-out,
        and encodes the password as ASCII, so a password such as "пароль" fails
        with an error that quotes its first letter. RFC 4616 (PLAIN) says UTF-8.
        """
        if not smtp.has_extn("auth"):
            raise smtplib.SMTPNotSupportedError(_NO_AUTH)
        offered = smtp.esmtp_features["auth"].upper().split()
        try:
            name, secret = user.encode("utf-8"), password.encode("utf-8")
        except UnicodeError:
            # A lone surrogate (a broken paste): say so without quoting any of it.
            raise smtplib.SMTPException(
                _("the user name or password holds a character that cannot be sent")
            ) from None
        if "PLAIN" in offered:
            code, text = smtp.docmd("AUTH", "PLAIN " + _b64(b"\0" + name + b"\0" + secret))
        elif "LOGIN" in offered:
            code, text = smtp.docmd("AUTH", "LOGIN " + _b64(name))
            if code == 334:
                code, text = smtp.docmd(_b64(secret))
        else:
            raise smtplib.SMTPException(
                _("no supported sign-in method among {offered}").format(
                    offered=" ".join(offered) or _("none")
                )
            )
        if code not in (235, 503):
            raise smtplib.SMTPAuthenticationError(code, text)

    def _login_oauth(self, smtp: smtplib.SMTP, user: str, tokens: AccessTokens) -> None:
        """Sign in with an OAuth2 access token (XOAUTH2, or OAUTHBEARER, RFC 7628).

        A token the server refuses (an error challenge, 334, then 535) is renewed
        once and tried again: it may have expired or been revoked early.
        """
        if not smtp.has_extn("auth"):
            raise smtplib.SMTPNotSupportedError(_NO_AUTH)
        offered = smtp.esmtp_features["auth"].upper().split()
        mechanism = next((name for name in ("XOAUTH2", "OAUTHBEARER") if name in offered), "")
        if not mechanism:
            self._drop()
            raise SmtpError(
                SmtpFailure(
                    FailureKind.LOGIN_UNSUPPORTED,
                    _(
                        "The server {where} does not offer sign-in with {provider} "
                        "(XOAUTH2 or OAUTHBEARER); it offers {offered}. Use an app "
                        "password instead."
                    ).format(
                        where=_where(self.account),
                        provider=tokens.provider_name,
                        offered=" ".join(offered) or _("nothing"),
                    ),
                )
            )
        code, text = 0, b""
        for attempt in range(2):
            try:
                token = tokens.access_token(force=attempt > 0)
            except OAuthError as error:
                self._drop()
                # Unreachable: tried again later; anything else needs the user (sign in
                # again, a client ID, the keyring unlocked).
                kind = (
                    FailureKind.TEMPORARY
                    if isinstance(error, ProviderUnreachable)
                    else FailureKind.SIGN_IN_NEEDED
                )
                raise SmtpError(SmtpFailure(kind, str(error))) from None
            if mechanism == "XOAUTH2":
                payload = f"user={user}\x01auth=Bearer {token}\x01\x01"
            else:
                where = f"host={self.account.host}\x01port={self.account.port}\x01"
                payload = f"n,a={user},\x01{where}auth=Bearer {token}\x01\x01"
            code, text = smtp.docmd("AUTH", f"{mechanism} {_b64(payload.encode('utf-8'))}")
            if code == 334:
                # The error challenge (JSON, base64): answer it to get the final reply.
                code, text = smtp.docmd("" if mechanism == "XOAUTH2" else _b64(b"\x01"))
            if code in (235, 503):
                return
            if not 500 <= code < 600:
                break
        if 400 <= code < 500:
            raise smtplib.SMTPAuthenticationError(code, text)
        self._drop()
        raise SmtpError(
            SmtpFailure(
                FailureKind.SIGN_IN_NEEDED,
                _(
                    "The server did not accept the sign-in with {provider} for {user}, even "
                    "with a fresh token. Sign in again (the e-mail account's “Sign in” "
                    "button, or “composer account signin”); the letters wait in the outbox."
                ).format(provider=tokens.provider_name, user=user),
                code,
                _text(text),
            )
        )

    def _ehlo(self, smtp: smtplib.SMTP) -> None:
        code, text = smtp.ehlo()
        if code != 250:
            raise smtplib.SMTPHeloError(code, text)

    def _set_local_hostname(self, smtp: smtplib.SMTP) -> None:
        if self._local_hostname:
            smtp.local_hostname = self._local_hostname
            return
        # The address literal of our end: cheap, and says nothing about the machine's name.
        try:
            address = smtp.sock.getsockname()[0] if smtp.sock else "127.0.0.1"
        except OSError:
            address = "127.0.0.1"
        smtp.local_hostname = f"[IPv6:{address}]" if ":" in address else f"[{address}]"

    def _check_loopback(self) -> None:
        account = self.account
        refusal = SmtpError(
            SmtpFailure(
                FailureKind.PLAIN_NOT_ALLOWED,
                _(
                    "Unencrypted SMTP is only allowed to a server on this computer, and "
                    "{host} is not one. Choose SSL/TLS or STARTTLS."
                ).format(host=account.host),
            )
        )
        if not is_loopback_host(account.host):
            raise refusal
        try:
            infos = socket.getaddrinfo(account.host, account.port, type=socket.SOCK_STREAM)
        except OSError as error:
            raise self._fail(error, "connect") from None
        if not all(is_loopback_host(str(info[4][0])) for info in infos):
            raise refusal

    def send(self, envelope_from: str, envelope_to: tuple[str, ...], raw: bytes) -> ServerReply:
        """Send one message over the open connection; returns the server's acceptance.

        All recipients must be accepted before the letter itself is sent, so a
        letter is never delivered to some recipients and retried for all.

        Raises:
            SmtpError: the letter was refused (the session stays usable unless
                the failure broke the connection — see :attr:`usable`).
        """
        self.envelope(envelope_from, envelope_to)
        return self.data(raw)

    def envelope(
        self,
        envelope_from: str,
        envelope_to: tuple[str, ...],
        meanwhile: Callable[[], None] | None = None,
    ) -> None:
        """Begin a letter: name its sender and recipients (MAIL FROM, RCPT TO).

        Nothing is delivered yet: :meth:`data` sends the letter itself, and
        :meth:`reset` abandons it. All recipients must be accepted.

        `meanwhile`, when given, is called once MAIL FROM is on its way and
        before the server's answer is read, so that work of the caller's own
        overlaps the server's. If it raises, the letter is abandoned (RSET)
        and its exception passes on; if the connection fails before MAIL
        FROM could be sent, it is not called.

        Raises:
            SmtpError: the sender or a recipient was refused (the letter is
                abandoned), or the connection failed.
        """
        smtp = self._open_smtp()
        phase = "mail"
        try:
            smtp.putcmd("mail", f"FROM:{smtplib.quoteaddr(envelope_from)}")
        except (OSError, smtplib.SMTPException) as error:
            raise self._fail(error, phase) from None
        if meanwhile is not None:
            # Outside the network error handling: its failures are the caller's own.
            try:
                meanwhile()
            except BaseException:
                self._abandon_unanswered()
                raise
        try:
            code, text = smtp.getreply()
            if code != 250:
                self._refused(code, text, "mail")
            phase = "rcpt"
            refusals: list[tuple[str, int, str]] = []
            for recipient in envelope_to:
                code, text = smtp.rcpt(recipient)
                if code == 421:
                    self._refused(code, text, "rcpt")
                if code not in (250, 251):
                    refusals.append((recipient, code, _text(text)))
            if refusals:
                self._refuse_recipients(refusals)
        except SmtpError:
            raise
        except (OSError, smtplib.SMTPException, EOFError) as error:
            raise self._fail(error, phase) from None

    def data(self, raw: bytes) -> ServerReply:
        """Send the letter begun by :meth:`envelope`; returns the server's acceptance.

        Raises:
            SmtpError: the letter was refused, or the connection failed (if it
                failed after the whole letter went out, the failure says it
                may have been delivered).
        """
        smtp = self._open_smtp()
        phase = "data"
        try:
            smtp.putcmd("data")
            code, text = smtp.getreply()
            if code != 354:
                self._refused(code, text, "data")
            smtp.send(_dot_stuffed(raw))
            phase = "confirm"
            with self._waiting_longer(smtp, self._data_timeout):
                code, text = smtp.getreply()
            if code != 250:
                self._refused(code, text, "confirm")
        except SmtpError:
            raise
        except (OSError, smtplib.SMTPException, EOFError) as error:
            raise self._fail(error, phase) from None
        return ServerReply(code, _text(text))

    def _waiting_longer(
        self, smtp: smtplib.SMTP, seconds: float
    ) -> contextlib.AbstractContextManager[None]:
        """Wait at least `seconds` for the next reply, then go back to the usual timeout."""

        @contextlib.contextmanager
        def waiting() -> Iterator[None]:
            sock = smtp.sock
            if sock is None:
                yield
                return
            sock.settimeout(max(seconds, self._timeout))
            try:
                yield
            finally:
                with contextlib.suppress(OSError):
                    sock.settimeout(self._timeout)

        return waiting()

    def reset(self) -> None:
        """Abandon a letter begun by :meth:`envelope` (RSET); nothing of it is delivered."""
        self._reset()

    def _open_smtp(self) -> smtplib.SMTP:
        smtp = self._smtp
        if smtp is None or not self.usable:
            raise SmtpError(
                SmtpFailure(FailureKind.CONNECTION_LOST, _("The connection is not open."))
            )
        return smtp

    def _refused(self, code: int, text: bytes | str, phase: str) -> None:
        failure = reply_failure(code, _text(text), phase)
        if code == 421:
            # "Service closing": the connection is finished, whatever we do.
            self._drop()
        elif phase != "confirm":
            self._reset()
        raise SmtpError(failure)

    def _refuse_recipients(self, refusals: list[tuple[str, int, str]]) -> None:
        permanent = [item for item in refusals if item[1] >= 500]
        worst = permanent[0] if permanent else refusals[0]
        names = ", ".join(item[0] for item in (permanent or refusals))
        self._reset()
        if permanent:
            failure = SmtpFailure(
                FailureKind.REJECTED,
                _(
                    "The server refused the recipient {names}. The letter was sent to "
                    "nobody; correct the address (or remove it) and send it again."
                ).format(names=names),
                worst[1],
                worst[2],
            )
        else:
            failure = SmtpFailure(
                FailureKind.TEMPORARY,
                _(
                    "The server cannot take mail for {names} just now. The letter stays in "
                    "the outbox and will be tried again."
                ).format(names=names),
                worst[1],
                worst[2],
            )
        raise SmtpError(failure)

    def _abandon_unanswered(self) -> None:
        """Read the answer to a command still in flight, then abandon the letter."""
        smtp = self._smtp
        if smtp is None or not self.usable:
            return
        try:
            smtp.getreply()
        except (OSError, smtplib.SMTPException, EOFError):
            self._drop()
            return
        self._reset()

    def _reset(self) -> None:
        smtp = self._smtp
        if smtp is None:
            return
        try:
            code, _reply = smtp.rset()
        except (OSError, smtplib.SMTPException):
            self._drop()
            return
        if code != 250:
            self._drop()

    def close(self) -> None:
        """Say goodbye (QUIT) if the connection is still good, then close it."""
        smtp = self._smtp
        if smtp is None:
            return
        if self.usable:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                smtp.quit()
        self._drop()
        self._smtp = None

    def abort(self) -> None:
        """Break the connection from another thread (e.g. when the program quits).

        The thread blocked in :meth:`open` or :meth:`send` gets a
        "connection lost" failure at once instead of waiting for the timeout.
        """
        with self._lock:
            self._aborted = True
        smtp = self._smtp
        sock = smtp.sock if smtp is not None else None
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _dot_stuffed(raw: bytes) -> bytes:
    """The message as DATA: CRLF line ends, leading dots doubled, ended by CRLF.CRLF."""
    # bytes.replace, not a regular expression: it runs for every letter of a batch.
    body = raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n").replace(b"\n", b"\r\n")
    body = body.replace(b"\r\n.", b"\r\n..")
    if body.startswith(b"."):
        body = b"." + body
    if not body.endswith(b"\r\n"):
        body += b"\r\n"
    return body + b".\r\n"


@dataclass(frozen=True)
class ConnectionCheck:
    """The answer of "Test connection".

    Attributes:
        ok: the server was reached, the connection secured and the sign-in accepted.
        message: the answer in plain words.
        failure: the failure when not ok.
    """

    ok: bool
    message: str
    failure: SmtpFailure | None = None


def check_connection(
    account: Account,
    password: Credential | None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    ssl_context: ssl.SSLContext | None = None,
) -> ConnectionCheck:
    """Connect, secure, sign in and say goodbye; never sends a letter."""
    session = SmtpSession(account, password, timeout=timeout, ssl_context=ssl_context)
    try:
        session.open()
    except SmtpError as error:
        return ConnectionCheck(False, error.failure.describe(), error.failure)
    finally:
        session.close()
    security = (
        f"encrypted ({session.tls_version})" if session.tls_version else "not encrypted (local)"
    )
    signed_in = f", signed in as {account.login_name}" if account.needs_login else ""
    return ConnectionCheck(
        True, f"Connection OK: {_where(account)}, {security}{signed_in}. Ready to send."
    )
