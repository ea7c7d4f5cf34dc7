"""OAuth2 sign-in for SMTP, as a native app should do it (RFC 6749, RFC 7636, RFC 8252).

The system browser opens the provider's sign-in page; the program listens for
the answer on a loopback address (``http://127.0.0.1:PORT/``) that only this
computer can reach, checks the ``state`` it sent, and exchanges the code for
tokens with the PKCE verifier only it knows. Only the refresh token is kept,
in the OS keyring, under the account's one entry; access tokens live in
memory (:class:`TokenSource`) and are renewed shortly before they expire, or
when the server refuses one. A refresh token the provider no longer accepts
(revoked, expired) is removed, and the user is asked once to sign in again.

The request and response formats come from ``oauthlib``; this module adds the
loopback listener and the HTTP calls (``urllib``). No token is ever logged.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from composer.core.accounts import Account, OAuthSettings, is_loopback_host
from composer.core.credentials import CredentialError, KeyringCredentials
from composer.i18n import _, ngettext

log = logging.getLogger(__name__)

SIGN_IN_TIMEOUT = 300.0
"""Seconds the program waits for the browser's answer before giving up."""
REFRESH_MARGIN = 120.0
"""An access token that expires sooner than this is renewed before it is used."""
HTTP_TIMEOUT = 30.0


class OAuthError(Exception):
    """Signing in did not work; the message says what happened and what to do."""


class ProviderUnreachable(OAuthError):
    """The provider's sign-in server could not be reached just now; try again later."""


class SignInNeeded(OAuthError):
    """There is no usable sign-in (none yet, or the provider ended it): sign in again."""


@dataclass(frozen=True)
class OAuthProvider:
    """A provider's OAuth2 endpoints for sending mail.

    Attributes:
        key: a short name (``google``).
        name: the provider's name as shown to the user.
        authorize_url: where the browser signs in.
        token_url: where codes and refresh tokens are exchanged for tokens.
        scope: the permission to send mail through SMTP.
        extra: further parameters of the sign-in page (for a lasting sign-in).
    """

    key: str
    name: str
    authorize_url: str
    token_url: str
    scope: str
    extra: Mapping[str, str] = field(default_factory=dict)


PROVIDERS: dict[str, OAuthProvider] = {
    "google": OAuthProvider(
        key="google",
        name="Google",
        authorize_url="https://accounts.google.com/o/oauth2/v2/auth",
        token_url="https://oauth2.googleapis.com/token",
        scope="https://mail.google.com/",
        # A refresh token is only given with offline access.
        extra={"access_type": "offline", "prompt": "consent"},
    ),
    "microsoft": OAuthProvider(
        key="microsoft",
        name="Microsoft",
        authorize_url="https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
        token_url="https://login.microsoftonline.com/common/oauth2/v2.0/token",
        scope="https://outlook.office.com/SMTP.Send offline_access",
    ),
}

CLIENT_ID_VARIABLE = "COMPOSER_OAUTH_CLIENT_ID_{key}"
"""An environment variable a packager can set with the client ID registered for a provider."""


@dataclass(frozen=True)
class OAuthClient:
    """Everything needed to talk to one provider as one registered desktop client.

    Attributes:
        provider: the provider's key, or "custom".
        name: the provider's name for messages.
        client_id: the public client ID registered with the provider.
        client_secret: what some providers (Google) issue to desktop clients; not a secret.
        authorize_url, token_url, scope: the endpoints and the permission asked for.
        extra: further parameters of the sign-in page.
    """

    provider: str
    name: str
    client_id: str
    client_secret: str
    authorize_url: str
    token_url: str
    scope: str
    extra: Mapping[str, str] = field(default_factory=dict)


def provider_name(settings: OAuthSettings) -> str:
    """The provider's name as shown to the user."""
    known = PROVIDERS.get(settings.provider)
    return known.name if known is not None else _("your provider")


def resolve_client(
    settings: OAuthSettings, environ: Mapping[str, str] | None = None
) -> OAuthClient:
    """The client to sign in with: the account's settings over the provider's defaults.

    The client ID comes from the account's settings, else from the environment
    variable ``COMPOSER_OAUTH_CLIENT_ID_<PROVIDER>`` a packager may set.

    Raises:
        OAuthError: no client ID, or endpoints missing for a provider this program
            does not know.
    """
    environ = os.environ if environ is None else environ
    known = PROVIDERS.get(settings.provider)
    name = known.name if known is not None else _("your provider")
    variable = CLIENT_ID_VARIABLE.format(key=settings.provider.upper())
    client_id = settings.client_id.strip() or environ.get(variable, "").strip()
    if not client_id:
        raise OAuthError(
            _(
                "No client ID is set for signing in with {name}. Register this program as "
                "a desktop app with the provider (see the guide “Signing in to your e-mail "
                "account”), then enter the ID as the account's Client ID (composer account "
                "set --client-id ID), or set {variable}."
            ).format(name=name, variable=variable)
        )
    authorize_url = settings.authorize_url or (known.authorize_url if known else "")
    token_url = settings.token_url or (known.token_url if known else "")
    scope = settings.scope or (known.scope if known else "")
    if not authorize_url or not token_url or not scope:
        raise OAuthError(
            _(
                "The sign-in addresses for “{provider}” are not known; set the "
                "provider to google or microsoft, or give its sign-in and token addresses."
            ).format(provider=settings.provider)
        )
    for url in (authorize_url, token_url):
        _check_url(url)
    return OAuthClient(
        provider=settings.provider,
        name=name,
        client_id=client_id,
        client_secret=settings.client_secret,
        authorize_url=authorize_url,
        token_url=token_url,
        scope=scope,
        extra=dict(known.extra) if known is not None and not settings.authorize_url else {},
    )


def _check_url(url: str) -> None:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "https" or (
        parts.scheme == "http" and is_loopback_host(parts.hostname or "")
    ):
        return
    raise OAuthError(
        _(
            "The sign-in address {url} is not encrypted (https); it cannot be used to sign in."
        ).format(url=url)
    )


@dataclass(frozen=True)
class Tokens:
    """What the provider gave: an access token for now, and the refresh token to keep."""

    access_token: str
    expires_at: float
    refresh_token: str

    def __repr__(self) -> str:
        # Never shows a token, even in a debugger or a crash report.
        return f"<Tokens expiring at {self.expires_at:.0f}>"


def _oauth_client(client: OAuthClient) -> Any:
    from oauthlib.oauth2 import WebApplicationClient

    return WebApplicationClient(client.client_id)


def _post(url: str, body: str, timeout: float) -> str:
    """POST a form to the token endpoint; the answer's body, also for a 4xx error answer."""
    import ssl
    import urllib.error
    import urllib.request

    request = urllib.request.Request(
        url,
        data=body.encode("ascii"),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
        },
        method="POST",
    )
    context = ssl.create_default_context()
    try:
        with urllib.request.urlopen(request, timeout=timeout, context=context) as answer:
            return str(answer.read().decode("utf-8", "replace"))
    except urllib.error.HTTPError as error:
        # OAuth errors come as 400/401 with a JSON body that names them.
        text = error.read().decode("utf-8", "replace")
        error.close()
        if 400 <= error.code < 500 and text.lstrip().startswith("{"):
            return text
        raise ProviderUnreachable(
            _("The sign-in server answered with an error ({code}); try again later.").format(
                code=error.code
            )
        ) from None
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise ProviderUnreachable(
            _(
                "The sign-in server could not be reached ({reason}). Check that you are "
                "online; the letters wait in the outbox."
            ).format(reason=reason)
        ) from None


def _tokens(
    oauth: Any, body: str, previous_refresh: str, clock: Callable[[], float], name: str
) -> Tokens:
    from oauthlib.oauth2.rfc6749.errors import InvalidGrantError, OAuth2Error

    try:
        token = oauth.parse_request_body_response(body)
    except InvalidGrantError:
        raise SignInNeeded(
            _(
                "Your sign-in with {name} has ended (it was revoked, expired or the "
                "password changed). Sign in again; the letters wait in the outbox meanwhile."
            ).format(name=name)
        ) from None
    except (OAuth2Error, ValueError, Warning) as error:
        what = getattr(error, "error", "") or type(error).__name__
        raise OAuthError(
            _("{name} did not give a usable sign-in ({what}). Try again.").format(
                name=name, what=what
            )
        ) from None
    access = token.get("access_token")
    if not isinstance(access, str) or not access:
        raise OAuthError(
            _("{name} did not give an access token. Try signing in again.").format(name=name)
        )
    try:
        lifetime = float(token.get("expires_in", 3600))
    except (TypeError, ValueError):
        lifetime = 3600.0
    refresh = token.get("refresh_token")
    return Tokens(
        access_token=access,
        expires_at=clock() + lifetime,
        refresh_token=refresh if isinstance(refresh, str) and refresh else previous_refresh,
    )


def refresh_tokens(
    client: OAuthClient,
    refresh_token: str,
    *,
    timeout: float = HTTP_TIMEOUT,
    clock: Callable[[], float] = time.time,
) -> Tokens:
    """New tokens for a refresh token.

    Raises:
        SignInNeeded: the provider no longer accepts the refresh token.
        OAuthError: the provider could not be reached or answered something else.
    """
    oauth = _oauth_client(client)
    extra = {"client_secret": client.client_secret} if client.client_secret else {}
    body = oauth.prepare_refresh_body(
        refresh_token=refresh_token, client_id=client.client_id, **extra
    )
    return _tokens(oauth, _post(client.token_url, body, timeout), refresh_token, clock, client.name)


# -- the loopback redirect --------------------------------------------------------

_DONE_PAGE = """<!doctype html><meta charset="utf-8"><title>Letter Composer</title>
<body style="font-family:sans-serif;margin:3em"><h1>{title}</h1><p>{text}</p></body>"""


class _Answer:
    """The first redirect that arrived, shared between the listener thread and the waiter."""

    def __init__(self) -> None:
        self.arrived = threading.Event()
        self.query = ""


def _listen(answer: _Answer) -> Any:
    """A listener on 127.0.0.1 (any free port) that keeps the first redirect in `answer`."""
    import html
    import http.server
    import socket

    class RedirectHandler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urllib.parse.urlsplit(self.path)
            params = urllib.parse.parse_qs(parts.query)
            if parts.path != "/" or not ({"code", "error"} & params.keys()):
                self.send_error(404)
                return
            first = not answer.arrived.is_set()
            if first:
                answer.query = parts.query
                answer.arrived.set()
            if "code" in params and first:
                title = _("Signed in")
                text = _("You can close this tab and go back to Letter Composer.")
            else:
                title = _("Not signed in")
                text = _("Go back to Letter Composer to see what happened.")
            page = _DONE_PAGE.format(title=html.escape(title), text=html.escape(text)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, format: str, *args: Any) -> None:
            # The request line holds the code; it is never logged.
            return

    class Listener(http.server.HTTPServer):
        allow_reuse_address = False
        address_family = socket.AF_INET

    # RFC 8252 §7.3: the loopback IP literal, any free port, only this computer.
    return Listener(("127.0.0.1", 0), RedirectHandler)


class SignInFlow:
    """One sign-in: the address to open in the browser, and the wait for its answer.

    Args:
        client: the provider and the registered client.
        login_hint: the e-mail address, so the provider suggests the right account.
        clock: the current time (tests hand in their own).

    Use :attr:`url` (open it in the browser, or show it), then :meth:`wait`,
    and :meth:`close` in every case (or use it as a context manager).
    """

    def __init__(
        self,
        client: OAuthClient,
        *,
        login_hint: str = "",
        clock: Callable[[], float] = time.time,
    ) -> None:
        from oauthlib.common import generate_token

        self.client = client
        self._clock = clock
        self._oauth = _oauth_client(client)
        self._verifier = self._oauth.create_code_verifier(64)
        challenge = self._oauth.create_code_challenge(self._verifier, "S256")
        self.state = generate_token(32)
        self._answer = _Answer()
        self._server = _listen(self._answer)
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="composer-oauth-redirect", daemon=True
        )
        self._thread.start()
        port = self._server.server_address[1]
        self.redirect_uri = f"http://127.0.0.1:{port}/"
        extra = dict(client.extra)
        if login_hint:
            extra["login_hint"] = login_hint
        self.url: str = self._oauth.prepare_request_uri(
            client.authorize_url,
            redirect_uri=self.redirect_uri,
            scope=client.scope.split(),
            state=self.state,
            code_challenge=challenge,
            code_challenge_method="S256",
            **extra,
        )

    def __enter__(self) -> SignInFlow:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop listening for the browser."""
        if self._thread.is_alive():
            self._server.shutdown()
            self._thread.join(5)
        self._server.server_close()

    def wait(
        self,
        timeout: float = SIGN_IN_TIMEOUT,
        cancelled: threading.Event | None = None,
        *,
        http_timeout: float = HTTP_TIMEOUT,
    ) -> Tokens:
        """Wait for the browser's answer, check it and exchange the code for tokens.

        Raises:
            OAuthError: no answer in time, cancelled, refused at the provider, an
                answer that does not belong to this sign-in, or no lasting sign-in.
        """
        from oauthlib.oauth2.rfc6749.errors import MismatchingStateError, OAuth2Error

        deadline = time.monotonic() + timeout
        while not self._answer.arrived.wait(0.1):
            if cancelled is not None and cancelled.is_set():
                raise OAuthError(_("Signing in was cancelled; nothing was stored."))
            if time.monotonic() >= deadline:
                minutes = max(1, round(timeout / 60))
                raise OAuthError(
                    ngettext(
                        "No answer came from the browser within {n} minute (was the page "
                        "closed?). Nothing was stored; sign in again when you are ready.",
                        "No answer came from the browser within {n} minutes (was the page "
                        "closed?). Nothing was stored; sign in again when you are ready.",
                        minutes,
                    ).format(n=minutes)
                )
        self.close()
        # oauthlib parses the answer only from an https address; this one came over
        # the loopback listener, which RFC 8252 §8.3 allows without TLS.
        answered = "https://127.0.0.1/?" + self._answer.query
        try:
            self._oauth.parse_request_uri_response(answered, state=self.state)
        except MismatchingStateError:
            raise OAuthError(
                _(
                    "The answer that reached this program did not belong to this sign-in "
                    "(its state did not match), so it was ignored and nothing was stored. "
                    "Sign in again."
                )
            ) from None
        except OAuth2Error as error:
            detail = _("you said no, or closed") if error.error == "access_denied" else error.error
            raise OAuthError(
                _(
                    "{name} did not sign you in ({detail}). Nothing was stored; "
                    "sign in again to send with this account."
                ).format(name=self.client.name, detail=detail)
            ) from None
        extra = {"client_secret": self.client.client_secret} if self.client.client_secret else {}
        body = self._oauth.prepare_request_body(
            code=self._oauth.code,
            redirect_uri=self.redirect_uri,
            code_verifier=self._verifier,
            include_client_id=True,
            **extra,
        )
        tokens = _tokens(
            self._oauth,
            _post(self.client.token_url, body, http_timeout),
            "",
            self._clock,
            self.client.name,
        )
        if not tokens.refresh_token:
            raise OAuthError(
                _(
                    "{name} signed you in only for now (no refresh token), so "
                    "the sign-in could not be kept. Sign in again and allow offline access."
                ).format(name=self.client.name)
            )
        return tokens


def open_in_browser(url: str) -> bool:
    """Open the address in the system browser; False when no browser could be started."""
    import webbrowser

    try:
        return bool(webbrowser.open(url, new=1, autoraise=True))
    except webbrowser.Error:
        return False


# -- access tokens for sending -------------------------------------------------------


class TokenSource:
    """Access tokens for one OAuth2 account, kept in memory, renewed when needed.

    Handed to the SMTP session in place of a password. The refresh token is
    read from the keyring when a new access token is needed, and replaced
    there when the provider sends a new one.

    Args:
        account: the account (its keyring entry holds the refresh token).
        keyring: the keyring.
        clock: the current time.
        margin: renew an access token that expires sooner than this (seconds).
        timeout: seconds for each call to the provider.
        tokens: tokens just obtained by signing in, to use first.
    """

    def __init__(
        self,
        account: Account,
        keyring: KeyringCredentials,
        *,
        clock: Callable[[], float] = time.time,
        margin: float = REFRESH_MARGIN,
        timeout: float = HTTP_TIMEOUT,
        tokens: Tokens | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        if account.oauth is None:
            raise ValueError(_("the account does not sign in with OAuth2"))
        self.account = account
        self.settings = account.oauth
        self._keyring = keyring
        self._clock = clock
        self._margin = margin
        self._timeout = timeout
        self._environ = environ
        self._lock = threading.Lock()
        self._access = tokens.access_token if tokens is not None else ""
        self._expires_at = tokens.expires_at if tokens is not None else 0.0
        self.refreshes = 0

    def __repr__(self) -> str:
        return f"<TokenSource {self.account.login_name} via {self.settings.provider}>"

    @property
    def provider_name(self) -> str:
        """The provider's name as shown to the user."""
        return provider_name(self.settings)

    def access_token(self, *, force: bool = False) -> str:
        """A current access token; a new one when `force` or when it is about to expire.

        Raises:
            SignInNeeded: no refresh token is stored, or the provider ended the sign-in.
            OAuthError: the keyring or the provider could not be reached.
        """
        with self._lock:
            if not force and self._access and self._expires_at - self._margin > self._clock():
                return self._access
            self._access = ""
            client = resolve_client(self.settings, self._environ)
            key = self.account.keyring_key
            try:
                stored = self._keyring.get(key)
            except CredentialError as error:
                raise OAuthError(error.status.message) from None
            if not stored:
                raise SignInNeeded(
                    _(
                        "You are not signed in with {name} for {login}. Sign in (E-mail "
                        "Account ▸ Sign in, or “composer account signin”); the letters wait "
                        "in the outbox meanwhile."
                    ).format(name=client.name, login=self.account.login_name)
                )
            try:
                tokens = refresh_tokens(client, stored, timeout=self._timeout, clock=self._clock)
            except SignInNeeded:
                # The provider will never take it again: do not keep it.
                try:
                    self._keyring.forget(key)
                except CredentialError:
                    log.warning("could not remove an ended sign-in from the keyring")
                raise
            self.refreshes += 1
            if tokens.refresh_token != stored:
                try:
                    self._keyring.store(key, tokens.refresh_token)
                except CredentialError as error:
                    log.warning("the renewed sign-in could not be kept: %s", error.status.state)
            self._access, self._expires_at = tokens.access_token, tokens.expires_at
            log.info("OAuth2 access token renewed for %s", self.settings.provider)
            return self._access


def sign_in(
    account: Account,
    keyring: KeyringCredentials,
    *,
    show_url: Callable[[str], None],
    browser: Callable[[str], bool] = open_in_browser,
    timeout: float = SIGN_IN_TIMEOUT,
    cancelled: threading.Event | None = None,
    clock: Callable[[], float] = time.time,
    environ: Mapping[str, str] | None = None,
) -> TokenSource:
    """Sign in through the browser and keep the refresh token in the keyring.

    Args:
        account: an account with OAuth2 settings.
        keyring: where the refresh token is kept (the account's one entry).
        show_url: called with the address when no browser could be opened, so
            the user can open it by hand.
        browser: opens the address; returns False when it could not.
        timeout: seconds to wait for the browser's answer.
        cancelled: set it to stop waiting.

    Returns:
        The account's token source, holding the new access token.

    Raises:
        OAuthError: the sign-in did not complete (the message says why); nothing is stored.
    """
    if account.oauth is None:
        raise OAuthError(_("This account signs in with a password, not through the browser."))
    client = resolve_client(account.oauth, environ)
    with SignInFlow(client, login_hint=account.email, clock=clock) as flow:
        if not browser(flow.url):
            show_url(flow.url)
        tokens = flow.wait(timeout, cancelled)
    try:
        keyring.store(account.keyring_key, tokens.refresh_token)
    except CredentialError as error:
        raise OAuthError(
            _("You signed in, but the sign-in could not be kept: {reason}").format(
                reason=error.status.message
            )
        ) from None
    return TokenSource(account, keyring, clock=clock, tokens=tokens, environ=environ)
