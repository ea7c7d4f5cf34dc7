"""Killing the program while it sends a batch loses no letter and sends none twice unwarned.

A subprocess (``tests/helpers/sending_app.py``) sends a batch of queued
letters through the real SMTP server on 127.0.0.1 and is killed with SIGKILL
once the server has accepted some of them. Then, as at the next start, the
outbox is recovered and checked against what the server really received:

- every letter is in the sent history or still in the outbox, once;
- every letter in the sent history reached the server;
- a letter still in the outbox reached the server only if it is flagged as
  possibly delivered, and at most one letter is so flagged;

and sending again delivers the rest, so that every letter reached the server,
twice only where the user was warned it might.
"""

from __future__ import annotations

import email
import email.policy
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from composer.core.accounts import Account
from composer.core.locations import Locations
from composer.core.mail import build_message, parse_address
from composer.core.outbox import Outbox
from composer.core.sending import OutboxSender
from tests.helpers.smtp_server import SmtpTestServer
from tests.integration.conftest import PASSWORD, USER

SCRIPT = Path(__file__).resolve().parents[1] / "helpers" / "sending_app.py"
LETTERS = 150


def _received_ids(server: SmtpTestServer) -> list[str]:
    with server.recording.lock:
        messages = list(server.recording.messages)
    return [
        str(email.message_from_bytes(m.data, policy=email.policy.default)["Message-ID"])
        for m in messages
    ]


@pytest.mark.parametrize("kill_after", [1, 40, 110])
def test_a_batch_killed_midway_loses_nothing_and_warns_of_any_duplicate(
    locations: Locations, smtp_server: SmtpTestServer, kill_after: int
) -> None:
    database = locations.database_file
    outbox = Outbox(database)
    sender = parse_address("Ada Example <ada@example.org>", "From")
    queued = [
        build_message(
            sender=sender,
            to=[parse_address(f"Office {n} <office{n}@house.gov>", "To")],
            subject=f"Letter {n}",
            text=f"Letter number {n}.\n",
            html=f"<p>Letter number {n}.</p>",
        )
        for n in range(LETTERS)
    ]
    for message in queued:
        outbox.enqueue(message)
    outbox.close()
    all_ids = {message.message_id for message in queued}

    child = subprocess.Popen(
        [sys.executable, str(SCRIPT), str(database), smtp_server.host, str(smtp_server.port)],
        env={**os.environ, "COMPOSER_TEST_PASSWORD": PASSWORD, "PYTHONPATH": os.getcwd()},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while len(smtp_server.recording.messages) < kill_after and child.poll() is None:
            assert time.monotonic() < deadline, "the sender never got going"
            time.sleep(0.0005)
        child.send_signal(signal.SIGKILL)
    finally:
        _, errors = child.communicate(timeout=10)
    assert child.returncode == -signal.SIGKILL, f"finished before the kill: {errors}"
    received = _received_ids(smtp_server)
    assert kill_after <= len(received) < LETTERS

    # The next start: letters left "sending" go back to the queue, flagged.
    outbox = Outbox(database)
    try:
        assert outbox.recover() <= 1
        sent = {entry.message_id for entry in outbox.sent_entries(limit=LETTERS)}
        waiting = {entry.message_id: entry for entry in outbox.entries()}
        assert not sent & set(waiting)
        assert sent | set(waiting) == all_ids  # nothing lost
        assert sent <= set(received)  # "sent" means the server has it
        flagged = {mid for mid, entry in waiting.items() if entry.possibly_delivered}
        assert len(flagged) <= 1
        assert not (set(waiting) - flagged) & set(received)  # unflagged: never delivered
        assert all(entry.state == "queued" for entry in waiting.values())

        account = Account("Ada Example", USER, smtp_server.host, smtp_server.port, "starttls")
        report = OutboxSender(outbox, account, lambda: PASSWORD, timeout=10).flush()
        assert report.exit_status() == 0
        assert outbox.entries() == []
    finally:
        outbox.close()
    delivered = _received_ids(smtp_server)
    assert set(delivered) == all_ids
    twice = {mid for mid in all_ids if delivered.count(mid) > 1}
    assert twice <= flagged
