"""A real OAuth2 authorization server on 127.0.0.1 for tests, built on oauthlib's server side.

It speaks HTTPS with the test CA's certificate, issues authorization codes
(PKCE required, loopback redirects only, as RFC 8252 asks of a provider),
access and refresh tokens (refresh tokens rotate on use), introspects and
revokes them through oauthlib's own endpoints. The "user" signs in at once,
unless told to refuse. Its clock can be moved forward to let tokens expire.

:func:`browser` plays the system browser: it loads the sign-in page and
follows the redirect to the program's loopback listener.
"""

from __future__ import annotations

import json
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from oauthlib.oauth2 import RequestValidator, WebApplicationServer

from tests.helpers.smtp_server import LOOPBACK, Pki

CLIENT_ID = "letter-composer-test-client"
SCOPE = "mail.send"


@dataclass
class _Grant:
    user: str
    scopes: list[str]
    client_id: str
    expires_at: float = 0.0
    revoked: bool = False


@dataclass
class _Code:
    client_id: str
    redirect_uri: str
    challenge: str
    method: str
    scopes: list[str]
    user: str


class _Client:
    def __init__(self, client_id: str) -> None:
        self.client_id = client_id


class _Validator(RequestValidator):  # type: ignore[misc]
    """The server's storage and rules, as oauthlib asks for them."""

    def __init__(self, owner: AuthorizationServer) -> None:
        super().__init__()
        self.owner = owner

    # -- the client and the authorization request
    def validate_client_id(self, client_id: str, request: Any, *args: Any, **kwargs: Any) -> bool:
        return client_id == self.owner.client_id

    def validate_redirect_uri(
        self, client_id: str, redirect_uri: str, request: Any, *args: Any, **kwargs: Any
    ) -> bool:
        parts = urllib.parse.urlsplit(redirect_uri)
        # RFC 8252 §7.3: a loopback IP literal over http, on any port.
        return parts.scheme == "http" and parts.hostname == LOOPBACK and parts.port is not None

    def get_default_redirect_uri(
        self, client_id: str, request: Any, *args: Any, **kwargs: Any
    ) -> None:
        return None

    def validate_response_type(
        self, client_id: str, response_type: str, client: Any, request: Any, *a: Any, **k: Any
    ) -> bool:
        return response_type == "code"

    def validate_scopes(
        self, client_id: str, scopes: list[str], client: Any, request: Any, *a: Any, **k: Any
    ) -> bool:
        return set(scopes) <= {SCOPE}

    def get_default_scopes(
        self, client_id: str, request: Any, *args: Any, **kwargs: Any
    ) -> list[str]:
        return [SCOPE]

    def is_pkce_required(self, client_id: str, request: Any) -> bool:
        return True

    def save_authorization_code(
        self, client_id: str, code: dict[str, str], request: Any, *args: Any, **kwargs: Any
    ) -> None:
        self.owner.codes[code["code"]] = _Code(
            client_id,
            request.redirect_uri,
            request.code_challenge,
            request.code_challenge_method,
            list(request.scopes),
            request.user,
        )

    # -- the token endpoint
    def client_authentication_required(self, request: Any, *args: Any, **kwargs: Any) -> bool:
        return False  # a public desktop client: no secret

    def authenticate_client(self, request: Any, *args: Any, **kwargs: Any) -> bool:
        return False

    def authenticate_client_id(
        self, client_id: str, request: Any, *args: Any, **kwargs: Any
    ) -> bool:
        if client_id != self.owner.client_id:
            return False
        request.client = _Client(client_id)
        return True

    def validate_code(
        self, client_id: str, code: str, client: Any, request: Any, *args: Any, **kwargs: Any
    ) -> bool:
        found = self.owner.codes.get(code)
        if found is None or found.client_id != client_id:
            return False
        request.user = found.user
        request.scopes = found.scopes
        return True

    def get_code_challenge(self, code: str, request: Any) -> str | None:
        found = self.owner.codes.get(code)
        return found.challenge if found else None

    def get_code_challenge_method(self, code: str, request: Any) -> str | None:
        found = self.owner.codes.get(code)
        return found.method if found else None

    def confirm_redirect_uri(
        self,
        client_id: str,
        code: str,
        redirect_uri: str,
        client: Any,
        request: Any,
        *a: Any,
        **k: Any,
    ) -> bool:
        found = self.owner.codes.get(code)
        return found is not None and found.redirect_uri == redirect_uri

    def validate_grant_type(
        self, client_id: str, grant_type: str, client: Any, request: Any, *a: Any, **k: Any
    ) -> bool:
        return grant_type in ("authorization_code", "refresh_token")

    def invalidate_authorization_code(
        self, client_id: str, code: str, request: Any, *args: Any, **kwargs: Any
    ) -> None:
        self.owner.codes.pop(code, None)

    def save_bearer_token(self, token: dict[str, Any], request: Any, *a: Any, **k: Any) -> None:
        owner = self.owner
        with owner.lock:
            grant = _Grant(request.user, list(request.scopes), request.client_id)
            grant.expires_at = owner.now() + float(token["expires_in"])
            owner.access[token["access_token"]] = grant
            owner.issued.append(token["access_token"])
            if "refresh_token" in token:
                owner.refresh[token["refresh_token"]] = _Grant(
                    request.user, list(request.scopes), request.client_id
                )
                owner.issued.append(token["refresh_token"])
                old = getattr(request, "refresh_token", None)
                if old and old != token["refresh_token"] and old in owner.refresh:
                    owner.refresh[old].revoked = True  # rotated: the old one is spent

    # -- refreshing
    def validate_refresh_token(
        self, refresh_token: str, client: Any, request: Any, *args: Any, **kwargs: Any
    ) -> bool:
        found = self.owner.refresh.get(refresh_token)
        if found is None or found.revoked or found.client_id != client.client_id:
            return False
        request.user = found.user
        return True

    def get_original_scopes(
        self, refresh_token: str, request: Any, *args: Any, **kwargs: Any
    ) -> list[str]:
        return self.owner.refresh[refresh_token].scopes

    def is_within_original_scope(
        self, scopes: list[str], refresh_token: str, request: Any, *a: Any, **k: Any
    ) -> bool:
        return set(scopes) <= set(self.owner.refresh[refresh_token].scopes)

    def rotate_refresh_token(self, request: Any) -> bool:
        return True

    # -- introspection and revocation
    def introspect_token(
        self, token: str, token_type_hint: str | None, request: Any, *args: Any, **kwargs: Any
    ) -> dict[str, Any] | None:
        found = self.owner.access.get(token)
        if found is None or found.revoked or found.expires_at <= self.owner.now():
            return None
        return {
            "username": found.user,
            "scope": " ".join(found.scopes),
            "client_id": found.client_id,
            "exp": int(found.expires_at),
        }

    def revoke_token(
        self, token: str, token_type_hint: str | None, request: Any, *args: Any, **kwargs: Any
    ) -> None:
        for table in (self.owner.refresh, self.owner.access):
            if token in table:
                table[token].revoked = True


@dataclass
class AuthorizationServer:
    """The authorization server; start it with :meth:`start`, stop it with :meth:`stop`.

    Attributes:
        pki: the certificates (the server speaks HTTPS with the test CA's).
        user: who signs in at the sign-in page.
        lifetime: seconds an access token lives.
        refuse: the user says no at the sign-in page (``access_denied``).
        forge_state: the redirect carries this state instead of the one sent.
        issued: every access and refresh token issued, in order.
        token_requests: how many calls the token endpoint answered.
    """

    pki: Pki
    user: str = "ada@example.org"
    lifetime: float = 3600.0
    client_id: str = CLIENT_ID
    refuse: bool = False
    forge_state: str = ""
    issued: list[str] = field(default_factory=list)
    token_requests: int = 0
    codes: dict[str, _Code] = field(default_factory=dict)
    access: dict[str, _Grant] = field(default_factory=dict)
    refresh: dict[str, _Grant] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock)
    _offset: float = 0.0
    _httpd: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None

    def __post_init__(self) -> None:
        self.endpoint = WebApplicationServer(
            _Validator(self), token_expires_in=lambda request: int(self.lifetime)
        )

    # -- time
    def now(self) -> float:
        """The server's clock: the real time, moved forward by :meth:`advance`."""
        return time.time() + self._offset

    def advance(self, seconds: float) -> None:
        """Move the server's clock forward (tokens expire as if time had passed)."""
        self._offset += seconds

    # -- addresses
    @property
    def base_url(self) -> str:
        assert self._httpd is not None
        return f"https://{LOOPBACK}:{self._httpd.server_address[1]}"

    @property
    def authorize_url(self) -> str:
        return self.base_url + "/authorize"

    @property
    def token_url(self) -> str:
        return self.base_url + "/token"

    # -- what the SMTP server and the tests ask
    def user_of(self, token: str) -> str | None:
        """Introspect an access token (RFC 7662, through oauthlib): its user, or None."""
        body = urllib.parse.urlencode({"token": token, "client_id": self.client_id})
        _, text, status = self.endpoint.create_introspect_response(
            self.base_url + "/introspect",
            http_method="POST",
            body=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        answer = json.loads(text) if status == 200 else {}
        return answer.get("username") if answer.get("active") else None

    def revoke(self, token: str) -> None:
        """Revoke a token (RFC 7009, through oauthlib), as a user does at the provider."""
        body = urllib.parse.urlencode({"token": token, "client_id": self.client_id})
        _, _, status = self.endpoint.create_revocation_response(
            self.base_url + "/revoke",
            http_method="POST",
            body=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert status == 200, status

    def live_refresh_tokens(self) -> list[str]:
        """The refresh tokens that would still be accepted."""
        with self.lock:
            return [token for token, grant in self.refresh.items() if not grant.revoked]

    # -- serving
    def start(self) -> AuthorizationServer:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def _answer(self, status: int, headers: dict[str, str], body: str) -> None:
                data = body.encode("utf-8")
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                uri = owner.base_url + self.path
                if not self.path.startswith("/authorize"):
                    self._answer(404, {}, "")
                    return
                try:
                    scopes, credentials = owner.endpoint.validate_authorization_request(uri)
                except Exception as error:  # an invalid request is shown, never redirected
                    self._answer(400, {"Content-Type": "text/plain"}, str(error))
                    return
                if owner.refuse:
                    query = urllib.parse.urlencode(
                        {"error": "access_denied", "state": credentials.get("state", "")}
                    )
                    location = f"{credentials['redirect_uri']}?{query}"
                    self._answer(302, {"Location": location}, "")
                    return
                headers, body, status = owner.endpoint.create_authorization_response(
                    uri, scopes=scopes, credentials={**credentials, "user": owner.user}
                )
                location = headers.get("Location", "")
                if owner.forge_state:
                    parts = urllib.parse.urlsplit(location)
                    params = dict(urllib.parse.parse_qsl(parts.query))
                    params["state"] = owner.forge_state
                    location = parts._replace(query=urllib.parse.urlencode(params)).geturl()
                self._answer(status, {"Location": location}, body or "")

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length).decode("utf-8")
                if self.path != "/token":
                    self._answer(404, {}, "")
                    return
                with owner.lock:
                    owner.token_requests += 1
                    headers, text, status = owner.endpoint.create_token_response(
                        owner.base_url + self.path,
                        http_method="POST",
                        body=body,
                        headers=dict(self.headers),
                    )
                self._answer(status, dict(headers), text)

        httpd = ThreadingHTTPServer((LOOPBACK, 0), Handler)
        httpd.socket = self.pki.server_context().wrap_socket(httpd.socket, server_side=True)
        self._httpd = httpd
        self._thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            assert self._thread is not None
            self._thread.join(5)
            self._httpd = None

    def __enter__(self) -> AuthorizationServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def browser(url: str, *, follow: bool = True) -> bool:
    """Play the system browser: load the sign-in page, then (if `follow`) its redirect.

    With ``follow=False`` it is the user who closed the page before finishing.
    Returns True, as a browser that opened does.
    """
    opener = urllib.request.build_opener(
        _NoRedirect, urllib.request.HTTPSHandler(context=ssl.create_default_context())
    )
    try:
        with opener.open(url, timeout=10) as answer:
            raise AssertionError(f"the sign-in page did not redirect ({answer.status})")
    except urllib.error.HTTPError as error:
        location = error.headers.get("Location", "")
        status = error.code
        error.close()
    assert status == 302, status
    assert location.startswith(f"http://{LOOPBACK}:"), location
    if follow:
        with urllib.request.urlopen(location, timeout=10) as page:
            page.read()
    return True
