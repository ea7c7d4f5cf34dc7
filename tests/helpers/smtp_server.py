"""A real SMTP server on 127.0.0.1 for tests (aiosmtpd), with a test CA and failure modes.

The server records every chunk it receives together with whether the
connection was encrypted at that moment, so a test can prove that no
password (and no AUTH command) crossed an unencrypted connection.

Certificates are generated at test time with the ``cryptography`` package
(never committed): a trusted test CA with a server certificate for
``localhost`` / ``127.0.0.1``, a second, untrusted CA with the same kind of
certificate, and a trusted certificate for the wrong name.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import ipaddress
import json
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

LOOPBACK = "127.0.0.1"

# -- certificates ----------------------------------------------------------


@dataclass(frozen=True)
class Pki:
    """Certificate files for the test servers.

    Attributes:
        ca_file: the CA clients should trust (PEM).
        cert_file, key_file: a server certificate for localhost/127.0.0.1 from that CA.
        rogue_cert_file, rogue_key_file: the same names, from a CA nobody trusts.
        wrong_name_cert_file, wrong_name_key_file: from the trusted CA, for another name.
    """

    ca_file: Path
    cert_file: Path
    key_file: Path
    rogue_cert_file: Path
    rogue_key_file: Path
    wrong_name_cert_file: Path
    wrong_name_key_file: Path

    def server_context(self, which: str = "good") -> ssl.SSLContext:
        """A server-side TLS context with the "good", "rogue" or "wrong-name" certificate."""
        files = {
            "good": (self.cert_file, self.key_file),
            "rogue": (self.rogue_cert_file, self.rogue_key_file),
            "wrong-name": (self.wrong_name_cert_file, self.wrong_name_key_file),
        }[which]
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*files)
        return context

    def client_context(self) -> ssl.SSLContext:
        """A client context trusting only the test CA (hostname checks on)."""
        return ssl.create_default_context(cafile=str(self.ca_file))


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _write_key(path: Path, key: ec.EllipticCurvePrivateKey) -> None:
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    path.chmod(0o600)


def _make_ca(common_name: str) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(_name(common_name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return certificate, key


def _make_leaf(
    ca: x509.Certificate,
    ca_key: ec.EllipticCurvePrivateKey,
    names: list[x509.GeneralName],
) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name("test smtp server"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    return certificate, key


def make_test_pki(folder: Path) -> Pki:
    """Generate the test CA and certificates into `folder` (a temporary folder)."""
    folder.mkdir(parents=True, exist_ok=True)
    local_names: list[x509.GeneralName] = [
        x509.DNSName("localhost"),
        x509.IPAddress(ipaddress.ip_address(LOOPBACK)),
    ]
    ca, ca_key = _make_ca("Letter Composer test CA")
    rogue_ca, rogue_key = _make_ca("Untrusted test CA")
    good, good_key = _make_leaf(ca, ca_key, local_names)
    rogue, rogue_leaf_key = _make_leaf(rogue_ca, rogue_key, local_names)
    wrong, wrong_key = _make_leaf(ca, ca_key, [x509.DNSName("mail.example.net")])
    paths = {}
    for stem, certificate, key in (
        ("server", good, good_key),
        ("rogue", rogue, rogue_leaf_key),
        ("wrong-name", wrong, wrong_key),
    ):
        cert_path = folder / f"{stem}.pem"
        key_path = folder / f"{stem}.key"
        cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
        _write_key(key_path, key)
        paths[stem] = (cert_path, key_path)
    ca_file = folder / "ca.pem"
    ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    return Pki(
        ca_file=ca_file,
        cert_file=paths["server"][0],
        key_file=paths["server"][1],
        rogue_cert_file=paths["rogue"][0],
        rogue_key_file=paths["rogue"][1],
        wrong_name_cert_file=paths["wrong-name"][0],
        wrong_name_key_file=paths["wrong-name"][1],
    )


# -- the server --------------------------------------------------------------


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Received:
    """A message the server accepted."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes
    login: str


@dataclass
class Recording:
    """What the server saw; shared between the server thread and the test."""

    chunks: list[tuple[bool, bytes]] = field(default_factory=list)
    messages: list[Received] = field(default_factory=list)
    logins: list[tuple[str, bool, bool]] = field(default_factory=list)  # user, encrypted, ok
    tokens: list[tuple[str, bool]] = field(default_factory=list)  # bearer token, accepted
    connections: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def clear(self) -> None:
        with self.lock:
            self.chunks.clear()
            self.messages.clear()
            self.logins.clear()
            self.tokens.clear()
            self.connections = 0

    def plaintext(self) -> bytes:
        """Everything that arrived over connections while they were not encrypted."""
        with self.lock:
            return b"".join(data for encrypted, data in self.chunks if not encrypted)

    def everything(self) -> bytes:
        """Everything that arrived, decrypted."""
        with self.lock:
            return b"".join(data for _, data in self.chunks)


def secret_forms(user: str, password: str) -> list[bytes]:
    """The ways a password travels in SMTP AUTH (raw, PLAIN and LOGIN encodings)."""
    secret = password.encode("utf-8")
    return [
        secret,
        base64.b64encode(secret),
        base64.b64encode(b"\0" + user.encode("utf-8") + b"\0" + secret),
        base64.b64encode(user.encode("utf-8") + b"\0" + user.encode("utf-8") + b"\0" + secret),
    ]


_ALL_MECHANISMS = ("PLAIN", "LOGIN", "XOAUTH2", "OAUTHBEARER")


def _bearer_fields(mechanism: str, blob: bytes) -> tuple[str, str]:
    """The user and the bearer token of an XOAUTH2 or OAUTHBEARER (RFC 7628) answer."""
    text = blob.decode("utf-8", "replace")
    user = token = ""
    parts = text.split("\x01")
    if mechanism == "OAUTHBEARER":
        header = parts[0].split(",")
        user = next((item[2:] for item in header if item.startswith("a=")), "")
    for part in parts:
        if part.startswith("user="):
            user = part[5:]
        elif part.lower().startswith("auth=bearer "):
            token = part[12:]
    return user, token


class _RecordingSMTP(SMTP):
    """aiosmtpd's server, recording each received chunk and able to misbehave."""

    def __init__(self, handler: Any, *, owner: SmtpTestServer, **kwargs: Any) -> None:
        super().__init__(handler, **kwargs)
        self._owner = owner
        self._token = ""

    def _encrypted(self) -> bool:
        transport = self.transport
        implicit = transport is not None and transport.get_extra_info("sslcontext") is not None
        return implicit or self._tls_protocol is not None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        first = self._original_transport is None and self.transport is None
        super().connection_made(transport)
        if first:
            with self._owner.recording.lock:
                self._owner.recording.connections += 1
            self._owner._live.add(self)

    def connection_lost(self, error: Exception | None) -> None:
        self._owner._live.discard(self)
        super().connection_lost(error)

    def close_now(self) -> None:
        """Drop the connection at once (used when the server stops)."""
        for transport in (self.transport, self._original_transport):
            if transport is not None:
                transport.abort()

    async def auth_XOAUTH2(self, _: object, args: list[str]) -> AuthResult:
        return await self._bearer("XOAUTH2", args)

    async def auth_OAUTHBEARER(self, _: object, args: list[str]) -> AuthResult:
        return await self._bearer("OAUTHBEARER", args)

    async def _bearer(self, mechanism: str, args: list[str]) -> AuthResult:
        """Accept a bearer token only when the owner's token check says whose it is."""
        if len(args) == 1:
            blob = await self.challenge_auth("")
            if not isinstance(blob, bytes):
                return AuthResult(success=False, handled=True)
        else:
            try:
                blob = base64.b64decode(args[1].encode(), validate=True)
            except ValueError:
                await self.push("501 5.5.2 Can't decode base64")
                return AuthResult(success=False, handled=True)
        user, token = _bearer_fields(mechanism, blob)
        check = self._owner.token_check
        ok = bool(token) and check is not None and check(token) == user
        with self._owner.recording.lock:
            self._owner.recording.logins.append((user, self._encrypted(), ok))
            self._owner.recording.tokens.append((token, ok))
        if ok:
            self._token = token
            return AuthResult(success=True, auth_data=LoginPassword(user.encode(), b""))
        # As the big providers do: an error challenge first, then 535 after the client's answer.
        error = json.dumps({"status": "401", "schemes": "bearer", "scope": "mail"})
        await self.challenge_auth(error)
        return AuthResult(success=False, handled=False)

    def data_received(self, data: bytes) -> None:
        with self._owner.recording.lock:
            self._owner.recording.chunks.append((self._encrypted(), bytes(data)))
        super().data_received(data)

    async def _handle_client(self) -> None:
        if self._owner.hang_greeting:
            # Accept the connection and say nothing, ever (until the server stops).
            await asyncio.sleep(3600)
        await super()._handle_client()

    async def smtp_DATA(self, arg: str) -> None:
        if not self._owner.drop_in_data:
            await super().smtp_DATA(arg)
            return
        if not self.envelope or not self.envelope.rcpt_tos:
            await super().smtp_DATA(arg)
            return
        await self.push("354 End data with <CR><LF>.<CR><LF>")
        await self._reader.readuntil(b"\r\n")  # one line of the letter, then the line goes dead
        assert self.transport is not None
        self.transport.abort()
        await asyncio.sleep(3600)


class _Handler:
    def __init__(self, owner: SmtpTestServer) -> None:
        self.owner = owner

    async def handle_MAIL(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        reply = self.owner.reply_mail
        token = getattr(server, "_token", "")
        check = self.owner.token_check
        if token and check is not None and check(token) is None:
            # The token this session signed in with has expired or was revoked.
            reply = "421 4.7.0 The access token has expired; sign in again"
        if reply:
            if reply.startswith("421"):
                server.loop.call_soon(server.transport.close)
            return reply
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 2.1.0 Ok"

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        reply = self.owner.reject_recipients.get(address.lower())
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.owner.hang_after_data:
            await asyncio.sleep(3600)
        if self.owner.data_reply_delay:
            await asyncio.sleep(self.owner.data_reply_delay)
        if self.owner.reply_data:
            return self.owner.reply_data
        auth = session.auth_data
        login = auth.login.decode() if isinstance(auth, LoginPassword) else ""
        data = envelope.original_content or b""
        with self.owner.recording.lock:
            self.owner.recording.messages.append(
                Received(str(envelope.mail_from), tuple(envelope.rcpt_tos), bytes(data), login)
            )
            number = len(self.owner.recording.messages)
        if self.owner.on_accepted is not None:
            self.owner.on_accepted(number)
        return f"250 2.0.0 Ok: queued as TEST{number:04d}"


class SmtpTestServer:
    """A local SMTP server with STARTTLS (or implicit TLS) and AUTH, for one test.

    Args:
        pki: the certificates.
        mode: "starttls" (STARTTLS required before anything else), "ssl"
            (implicit TLS), or "plain" (no TLS at all; AUTH offered in the clear,
            to prove the client still refuses).
        certificate: "good", "rogue" (untrusted CA) or "wrong-name".
        users: accepted user names and passwords.
        port: the port (a free one is picked by default).
        mechanisms: the AUTH mechanisms offered (default: aiosmtpd's PLAIN and LOGIN;
            "XOAUTH2" and "OAUTHBEARER" need `token_check`).
        token_check: for OAuth2 sign-in, returns the user a bearer token belongs to
            (None for a token that is unknown, expired or revoked). A session whose
            token stops being valid gets "421" at its next MAIL FROM.
        on_accepted: called with the count of letters accepted so far, after each one.

    Failure modes (set any time; read when the server acts): `hang_greeting`,
    `hang_after_data`, `data_reply_delay` (seconds before the reply to the letter),
    `drop_in_data`, `reply_mail` (e.g. "421 …"), `reply_data`
    (e.g. "451 …"), `reject_recipients` (address → reply, e.g. "550 …").
    """

    def __init__(
        self,
        pki: Pki,
        *,
        mode: str = "starttls",
        certificate: str = "good",
        users: dict[str, str] | None = None,
        port: int | None = None,
        mechanisms: tuple[str, ...] = ("PLAIN", "LOGIN"),
        token_check: Callable[[str], str | None] | None = None,
        on_accepted: Callable[[int], None] | None = None,
    ) -> None:
        self.pki = pki
        self.mechanisms = mechanisms
        self.token_check = token_check
        self.on_accepted = on_accepted
        self.mode = mode
        self.certificate = certificate
        self.users = dict(users or {})
        self.host = LOOPBACK
        self.port = port or free_port()
        self.recording = Recording()
        self.hang_greeting = False
        self.hang_after_data = False
        self.data_reply_delay = 0.0
        self.drop_in_data = False
        self.reply_mail = ""
        self.reply_data = ""
        self.reject_recipients: dict[str, str] = {}
        self._controller: Controller | None = None
        self._live: set[_RecordingSMTP] = set()

    def _authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        encrypted = bool(getattr(server, "_encrypted", lambda: False)())
        if not isinstance(data, LoginPassword):
            return AuthResult(success=False, handled=False)
        user = data.login.decode("utf-8", "replace")
        ok = self.users.get(user) == data.password.decode("utf-8", "replace")
        with self.recording.lock:
            self.recording.logins.append((user, encrypted, ok))
        return AuthResult(success=ok, handled=False, auth_data=data)

    def start(self) -> SmtpTestServer:
        """Start listening on 127.0.0.1 (returns self)."""
        owner = self
        kwargs: dict[str, Any] = {
            "hostname": LOOPBACK,
            "port": self.port,
            "server_hostname": "localhost",
            "ident": "test ESMTP",
            "authenticator": self._authenticate,
            "ready_timeout": 5.0,
            "auth_exclude_mechanism": [
                name for name in _ALL_MECHANISMS if name not in self.mechanisms
            ],
        }
        context = self.pki.server_context(self.certificate)
        if self.mode == "starttls":
            kwargs.update(tls_context=context, require_starttls=True, auth_require_tls=True)
        elif self.mode == "ssl":
            kwargs.update(ssl_context=context, auth_require_tls=False)
        elif self.mode == "plain":
            kwargs.update(auth_require_tls=False)
        else:
            raise ValueError(self.mode)

        class _Controller(Controller):
            def factory(self) -> SMTP:
                return _RecordingSMTP(self.handler, owner=owner, **self.SMTP_kwargs)

        controller = _Controller(_Handler(self), **kwargs)
        controller.start()
        self._controller = controller
        # The controller's own start-up probe is not a client of the test.
        self.recording.clear()
        return self

    def stop(self) -> None:
        """Stop listening and close every connection."""
        controller = self._controller
        if controller is None:
            return
        # Close every open connection first: a hanging one would otherwise be left
        # half-open when the loop stops.
        done = threading.Event()

        def close_all() -> None:
            for protocol in list(self._live):
                protocol.close_now()
            done.set()

        controller.loop.call_soon_threadsafe(close_all)
        done.wait(5)
        controller.stop()
        self._controller = None

    @property
    def running(self) -> bool:
        """Whether the server is listening."""
        return self._controller is not None

    def __enter__(self) -> SmtpTestServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def assert_no_secret_in_clear(self, user: str, password: str) -> None:
        """Fail if the password, in any AUTH encoding, or an AUTH command arrived unencrypted."""
        clear = self.recording.plaintext()
        for form in secret_forms(user, password):
            assert form not in clear, "the password crossed an unencrypted connection"
        assert b"AUTH" not in clear.upper(), "an AUTH command crossed an unencrypted connection"
        with self.recording.lock:
            assert all(encrypted for _, encrypted, _ in self.recording.logins)


@dataclass
class HangingListener:
    """A socket that accepts connections (through the kernel's backlog) and never answers."""

    host: str = LOOPBACK
    port: int = 0
    _socket: socket.socket | None = None

    def __enter__(self) -> HangingListener:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.bind((self.host, 0))
        listener.listen(8)
        self.port = int(listener.getsockname()[1])
        self._socket = listener
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._socket is not None:
            self._socket.close()


def running_server(pki: Pki, **kwargs: Any) -> Iterator[SmtpTestServer]:
    """A generator for fixtures: a started server, stopped afterwards."""
    server = SmtpTestServer(pki, **kwargs).start()
    try:
        yield server
    finally:
        server.stop()
