"""The outbox in SQLite: stored before sending, never lost, recovered after a crash."""

from __future__ import annotations

import socket
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from composer.core.locations import Locations
from composer.core.mail import OutgoingMessage, build_message, parse_address
from composer.core.outbox import RECOVERED_NOTE, Outbox, OutboxError


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def _message(
    subject: str = "Protect deserters", to: str = "president@whitehouse.gov"
) -> OutgoingMessage:
    return build_message(
        sender=parse_address("Ada <ada@example.org>", "From"),
        to=[parse_address(f"The President <{to}>", "To")],
        subject=subject,
        text="Please act.",
        html="<p>Please act.</p>",
        copy_to_sender=True,
    )


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def outbox(locations: Locations, clock: Clock):
    box = Outbox(locations.database_file, clock=clock)
    yield box
    box.close()


def test_enqueue_stores_bytes_and_envelope_before_any_attempt(outbox: Outbox, clock: Clock) -> None:
    message = _message()
    entry_id = outbox.enqueue(message, campaign_id="protect-refusers", source="draft:7")
    assert outbox.raw(entry_id) == message.raw
    entry = outbox.get(entry_id)
    assert entry is not None
    assert entry.state == "queued"
    assert entry.message_id == message.message_id
    assert entry.envelope_to == ("president@whitehouse.gov", "ada@example.org")
    assert entry.recipient_names == ("The President",)
    assert (entry.campaign_id, entry.source, entry.attempts) == ("protect-refusers", "draft:7", 0)
    assert entry.next_attempt_at == clock.now
    assert outbox.pending_count() == 1
    assert outbox.due_ids() == [entry_id]
    # A second program (or the next start) sees it: it is on disk, not in memory.
    other = Outbox(outbox.path)
    try:
        assert other.raw(entry_id) == message.raw
    finally:
        other.close()


def test_tables_are_prefixed_and_share_the_file(outbox: Outbox) -> None:
    outbox.enqueue(_message())
    with sqlite3.connect(outbox.path) as db:
        db.execute("CREATE TABLE drafts (id INTEGER PRIMARY KEY, body TEXT)")
        names = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        mode = db.execute("PRAGMA journal_mode").fetchone()[0]
    names -= {"sqlite_sequence", "drafts"}
    assert names and all(name.startswith(("outbox_", "sent_")) for name in names)
    assert mode == "wal"
    db.close()


def test_same_message_cannot_be_queued_twice(outbox: Outbox) -> None:
    message = _message()
    outbox.enqueue(message)
    with pytest.raises(OutboxError, match="already in the outbox"):
        outbox.enqueue(message)


def test_sent_letter_moves_to_history_with_reply(
    outbox: Outbox, clock: Clock, tmp_path: Path
) -> None:
    message = _message()
    entry_id = outbox.enqueue(message)
    claimed = outbox.claim(entry_id)
    assert claimed is not None and claimed.state == "sending" and claimed.attempts == 1
    clock.now += 5
    sent_id = outbox.mark_sent(entry_id, "250 2.0.0 Ok: queued as ABC")
    assert outbox.get(entry_id) is None
    assert outbox.pending_count() == 0
    history = outbox.sent_entries()
    assert [item.id for item in history] == [sent_id]
    sent = history[0]
    assert sent.server_reply == "250 2.0.0 Ok: queued as ABC"
    assert sent.envelope_to == ("president@whitehouse.gov", "ada@example.org")
    assert sent.sent_at == clock.now and sent.queued_at == clock.now - 5
    assert outbox.sent_raw(sent_id) == message.raw
    target = tmp_path / "letter.eml"
    outbox.export_eml(target, sent_id=sent_id)
    assert target.read_bytes() == message.raw


def test_claim_is_exclusive_across_threads(outbox: Outbox) -> None:
    entry_id = outbox.enqueue(_message())
    winners: list[int] = []
    barrier = threading.Barrier(8)

    def race() -> None:
        barrier.wait()
        if outbox.claim(entry_id) is not None:
            winners.append(1)

    threads = [threading.Thread(target=race) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert winners == [1]


def test_retry_sets_backoff_and_failed_waits_for_the_user(outbox: Outbox, clock: Clock) -> None:
    first = outbox.enqueue(_message("one"))
    second = outbox.enqueue(_message("two"))
    outbox.claim(first)
    outbox.mark_retry(first, delay=120, error="busy", kind="temporary", reply="451 4.3.0 later")
    outbox.claim(second)
    outbox.mark_failed(second, error="refused", kind="rejected", reply="550 5.1.1 no such user")
    entry = outbox.get(first)
    assert entry is not None
    assert (entry.state, entry.last_reply, entry.next_attempt_at) == (
        "queued",
        "451 4.3.0 later",
        clock.now + 120,
    )
    assert outbox.due_ids() == []
    assert outbox.next_due_at() == clock.now + 120
    clock.now += 121
    assert outbox.due_ids() == [first]
    failed = outbox.get(second)
    assert failed is not None and failed.state == "failed" and failed.last_reply.startswith("550")
    assert outbox.failed_count() == 1 and outbox.pending_count() == 1
    assert outbox.retry_now([second]) == 1
    assert set(outbox.due_ids()) == {first, second}


def test_edit_replaces_bytes_of_queued_or_failed_letter(outbox: Outbox) -> None:
    entry_id = outbox.enqueue(_message("draft"))
    outbox.claim(entry_id)
    edited = _message("edited", to="office@senate.gov")
    with pytest.raises(OutboxError, match="being sent right now"):
        outbox.replace(entry_id, edited)
    outbox.mark_failed(entry_id, error="refused", kind="rejected", reply="550 no")
    outbox.replace(entry_id, edited)
    entry = outbox.get(entry_id)
    assert entry is not None
    assert (entry.state, entry.subject, entry.attempts, entry.last_reply) == (
        "queued",
        "edited",
        0,
        "",
    )
    assert entry.envelope_to[0] == "office@senate.gov"
    assert outbox.raw(entry_id) == edited.raw


def test_cancel(outbox: Outbox) -> None:
    entry_id = outbox.enqueue(_message())
    outbox.cancel(entry_id)
    assert outbox.entries() == []
    with pytest.raises(OutboxError, match="no longer in the outbox"):
        outbox.cancel(entry_id)


def test_note_failure_on_unclaimed_letters(outbox: Outbox, clock: Clock) -> None:
    ids = [outbox.enqueue(_message(f"n{i}")) for i in range(2)]
    outbox.note_failure(ids, delay=60, error="offline", kind="offline")
    assert all(entry.attempts == 1 and entry.last_error == "offline" for entry in outbox.entries())
    outbox.note_failure(ids, delay=60, error="not tried", kind="offline", count_attempt=False)
    assert all(entry.attempts == 1 for entry in outbox.entries())
    assert outbox.due_ids() == [] and outbox.next_due_at() == clock.now + 60


def test_recover_requeues_letters_of_a_dead_process(locations: Locations, clock: Clock) -> None:
    crashed = Outbox(locations.database_file, clock=clock)
    entry_id = crashed.enqueue(_message())
    crashed.claim(entry_id)
    crashed.close()
    # The claim belongs to a process that no longer exists.
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    with sqlite3.connect(locations.database_file) as db:
        db.execute(
            "UPDATE outbox_messages SET claimed_by = ?",
            (f"{dead.stdout.strip()}@{socket.gethostname()}",),
        )
    db.close()

    restarted = Outbox(locations.database_file, clock=clock)
    try:
        assert restarted.recover() == 1
        entry = restarted.get(entry_id)
        assert entry is not None
        assert entry.state == "queued" and entry.possibly_delivered
        assert entry.last_error == RECOVERED_NOTE
        assert restarted.due_ids() == [entry_id]
        assert restarted.recover() == 0
    finally:
        restarted.close()


def test_recover_leaves_a_letter_another_live_process_is_sending(
    locations: Locations, clock: Clock
) -> None:
    box = Outbox(locations.database_file, clock=clock)
    entry_id = box.enqueue(_message())
    box.claim(entry_id)
    other = subprocess.Popen(
        [sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE
    )
    try:
        with sqlite3.connect(locations.database_file) as db:
            db.execute(
                "UPDATE outbox_messages SET claimed_by = ?",
                (f"{other.pid}@{socket.gethostname()}",),
            )
        db.close()
        assert box.recover() == 0
        clock.now += 7200  # a claim that old is stale, whoever holds the pid
        assert box.recover() == 1
    finally:
        other.communicate(b"")
        box.close()


def test_recover_takes_back_own_process_claims(outbox: Outbox) -> None:
    entry_id = outbox.enqueue(_message())
    outbox.claim(entry_id)
    assert outbox.recover() == 1


def test_unwritable_folder_gives_a_plain_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    box = Outbox(blocker / "letters.sqlite3")
    with pytest.raises(OutboxError, match=r"cannot be used|permission"):
        box.enqueue(_message())
    box.close()


def test_each_thread_gets_its_own_connection(outbox: Outbox) -> None:
    outbox.enqueue(_message())
    seen: list[int] = []
    errors: list[BaseException] = []

    def read() -> None:
        try:
            seen.append(outbox.pending_count())
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=read) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and seen == [1, 1, 1, 1]
