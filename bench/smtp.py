"""Benchmark: 200 letters over one STARTTLS session, the program's way and plain smtplib's.

Starts the test SMTP server (aiosmtpd, STARTTLS + AUTH, a test CA made for
the run) on 127.0.0.1 in a process of its own (as a real server would be, so
it does not compete with the sender for the interpreter), then, in the same
run and against the same server:

- **composer**: the letters wait in a real outbox (SQLite, WAL, synchronous
  writes) and :class:`composer.core.sending.OutboxSender` sends them over one
  connection — claiming each letter before it goes and moving it to the sent
  history after the server accepted it;
- **smtplib**: one ``smtplib.SMTP`` connection, STARTTLS, login, then
  ``sendmail`` for the same 200 messages, nothing stored.

Prints both rates in messages per second and their ratio (the target is at
least 0.8). Queueing the letters is timed separately: it happens when the
user presses Send, not while sending.

Usage (from the repository root):
    python -m bench.smtp [--letters 200] [--rounds 11]
"""

from __future__ import annotations

import argparse
import os
import smtplib
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from composer.core.accounts import Account
from composer.core.mail import OutgoingMessage, build_message, parse_address
from composer.core.outbox import Outbox
from composer.core.sending import OutboxSender
from tests.helpers.smtp_server import Pki, SmtpTestServer, free_port, make_test_pki

USER = "ada@example.org"
PASSWORD = "bench-password"
PARAGRAPH = (
    "Men who refuse to fight in an unjust war, and who flee to avoid being sent "
    "to it, deserve a safe place to go. I ask you to extend humanitarian parole "
    "and Temporary Protected Status to them, and to speed up their asylum cases."
)


def letters(count: int) -> list[OutgoingMessage]:
    """`count` letters of a realistic size (a page of text, plain + HTML)."""
    sender = parse_address(f"Ada Example <{USER}>", "From")
    body = "\n\n".join([PARAGRAPH] * 6)
    html = "".join(f"<p>{PARAGRAPH}</p>" for _ in range(6))
    return [
        build_message(
            sender=sender,
            to=[parse_address(f"Office {n} <office{n}@house.gov>", "To")],
            subject=f"Protect those who refuse to fight (letter {n})",
            text=f"Dear Representative:\n\n{body}\n\nRespectfully,\nAda Example\n",
            html=f"<p>Dear Representative:</p>{html}<p>Respectfully,<br>Ada Example</p>",
            copy_to_sender=True,
        )
        for n in range(count)
    ]


def send_plain(server: Server, messages: list[OutgoingMessage]) -> float:
    """Seconds for plain smtplib to send all messages over one STARTTLS session."""
    started = time.perf_counter()
    with smtplib.SMTP(server.host, server.port, local_hostname="localhost", timeout=30) as smtp:
        smtp.starttls(context=ssl.create_default_context())
        smtp.login(USER, PASSWORD)
        for message in messages:
            smtp.sendmail(message.envelope_from, list(message.envelope_to), message.raw)
    return time.perf_counter() - started


def send_composer(
    server: Server, messages: list[OutgoingMessage], folder: Path
) -> tuple[float, float]:
    """Seconds to queue, and seconds to send, all messages through the outbox."""
    folder.mkdir(parents=True, exist_ok=True)
    outbox = Outbox(folder / "letters.sqlite3")
    try:
        started = time.perf_counter()
        for message in messages:
            outbox.enqueue(message)
        queued = time.perf_counter() - started
        account = Account("Ada Example", USER, server.host, server.port, "starttls")
        sender = OutboxSender(outbox, account, lambda: PASSWORD)
        started = time.perf_counter()
        report = sender.flush()
        elapsed = time.perf_counter() - started
    finally:
        outbox.close()
    if len(report.sent) != len(messages):
        raise SystemExit(f"only {len(report.sent)} of {len(messages)} sent: {report.summary()}")
    return queued, elapsed


class Server:
    """Where the benchmark's server listens."""

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port


@contextmanager
def server_process(pki_folder: Path) -> Iterator[Server]:
    """The test SMTP server in a child process, until the block ends."""
    port = free_port()
    child = subprocess.Popen(
        [sys.executable, "-m", "bench.smtp", "--serve", str(port), str(pki_folder)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert child.stdout is not None
        if child.stdout.readline().strip() != "ready":
            raise SystemExit("the benchmark's SMTP server did not start")
        yield Server("127.0.0.1", port)
    finally:
        if child.stdin is not None:
            child.stdin.close()
        child.wait(10)
        if child.stdout is not None:
            child.stdout.close()


def serve(port: int, pki_folder: Path) -> int:
    """Run the server until stdin closes (the child side of :func:`server_process`)."""
    folder = Path(pki_folder)
    pki = Pki(
        ca_file=folder / "ca.pem",
        cert_file=folder / "server.pem",
        key_file=folder / "server.key",
        rogue_cert_file=folder / "rogue.pem",
        rogue_key_file=folder / "rogue.key",
        wrong_name_cert_file=folder / "wrong-name.pem",
        wrong_name_key_file=folder / "wrong-name.key",
    )
    server = SmtpTestServer(pki, users={USER: PASSWORD}, port=port).start()
    try:
        print("ready", flush=True)
        sys.stdin.read()  # until the parent closes the pipe
    finally:
        server.stop()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=11)
    parser.add_argument("--serve", nargs=2, metavar=("PORT", "PKI"), help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.serve:
        return serve(int(options.serve[0]), Path(options.serve[1]))

    with tempfile.TemporaryDirectory(prefix="smtp-bench-") as temporary:
        root = Path(temporary)
        pki = make_test_pki(root / "pki")
        os.environ["SSL_CERT_FILE"] = str(pki.ca_file)
        messages = letters(options.letters)
        size = sum(len(message.raw) for message in messages) / len(messages)
        plain_times: list[float] = []
        ours_times: list[float] = []
        queue_times: list[float] = []
        with server_process(root / "pki") as server:
            # One unmeasured round of each first: the server's first connection,
            # and each side's first TLS handshake, cost more than later ones.
            send_plain(server, messages)
            send_composer(server, messages, root / "warm-up")
            for round_number in range(options.rounds):
                # Alternate the order so neither side always gets the warm server.
                order = ("plain", "ours") if round_number % 2 == 0 else ("ours", "plain")
                for side in order:
                    if side == "plain":
                        plain_times.append(send_plain(server, messages))
                    else:
                        folder = root / f"round{round_number}"
                        queued, sent = send_composer(server, messages, folder)
                        queue_times.append(queued)
                        ours_times.append(sent)

    count = options.letters
    plain_rate = count / statistics.median(plain_times)
    ours_rate = count / statistics.median(ours_times)
    # Each round's two runs follow each other, so their ratio is little moved by
    # the machine's slower and faster spells; the median of those ratios is the figure.
    ratios = sorted(plain / ours for plain, ours in zip(plain_times, ours_times, strict=True))
    print(
        f"{count} letters of {size / 1024:.1f} KiB each, one STARTTLS session, "
        f"{options.rounds} rounds (median)"
    )
    print(f"plain smtplib:        {plain_rate:8.1f} messages/s")
    print(f"composer (outbox):    {ours_rate:8.1f} messages/s")
    print(
        f"ratio:                {statistics.median(ratios):8.2f}  (target >= 0.80; "
        f"rounds ranged {ratios[0]:.2f}-{ratios[-1]:.2f})"
    )
    print(
        f"queueing beforehand:  {count / statistics.median(queue_times):8.1f} letters/s into the outbox"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
