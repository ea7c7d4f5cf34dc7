"""The outbox in SQLite: stored before sending, never lost, recovered after a crash."""

from __future__ import annotations

import json
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


def test_a_later_retry_keeps_the_possibly_delivered_flag(outbox: Outbox) -> None:
    """Once a letter may have been delivered, a later ordinary failure (one that
    happened before the letter went out) does not make that risk go away."""
    entry_id = outbox.enqueue(_message("maybe twice"))
    outbox.claim(entry_id)
    outbox.mark_retry(
        entry_id, delay=0, error="no answer", kind="timed-out", possibly_delivered=True
    )
    outbox.claim(entry_id)
    outbox.mark_retry(entry_id, delay=0, error="refused connection", kind="refused")
    outbox.note_failure([entry_id], delay=0, error="offline", kind="offline")
    entry = outbox.get(entry_id)
    assert entry is not None and entry.possibly_delivered
    other = outbox.enqueue(_message("never sent"))
    outbox.claim(other)
    outbox.mark_retry(other, delay=0, error="refused connection", kind="refused")
    never = outbox.get(other)
    assert never is not None and not never.possibly_delivered


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


# The outbox's first format, as earlier releases wrote it: the bytes in the rows.
FORMAT_1 = """
CREATE TABLE outbox_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE outbox_messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'failed')),
    raw BLOB NOT NULL,
    envelope_from TEXT NOT NULL,
    envelope_to TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    recipient_names TEXT NOT NULL DEFAULT '[]',
    campaign_id TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL NOT NULL,
    last_attempt_at REAL,
    last_reply TEXT NOT NULL DEFAULT '',
    last_error TEXT NOT NULL DEFAULT '',
    last_error_kind TEXT NOT NULL DEFAULT '',
    possibly_delivered INTEGER NOT NULL DEFAULT 0,
    claimed_by TEXT NOT NULL DEFAULT '',
    claimed_at REAL
);
CREATE INDEX outbox_messages_due ON outbox_messages (state, next_attempt_at);
CREATE TABLE sent_messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id TEXT NOT NULL,
    raw BLOB NOT NULL,
    envelope_from TEXT NOT NULL,
    envelope_to TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    recipient_names TEXT NOT NULL DEFAULT '[]',
    campaign_id TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    queued_at REAL NOT NULL,
    sent_at REAL NOT NULL,
    attempts INTEGER NOT NULL,
    server_reply TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sent_messages_sent_at ON sent_messages (sent_at);
INSERT INTO outbox_meta (key, value) VALUES ('schema_version', '1');
"""


def _format_1_outbox(path: Path) -> dict[str, OutgoingMessage]:
    """A format-1 file: a queued letter (#7), a refused one (#9), one in the history (#3),
    and letter ids given out up to 12 (the rest were sent)."""
    letters = {
        "queued": _message("Queued", "office-a@house.gov"),
        "failed": _message("Refused", "office-b@house.gov"),
        "sent": _message("Sent", "office-c@house.gov"),
    }
    db = sqlite3.connect(path)
    db.executescript(FORMAT_1)
    for row_id, state, letter in (
        (7, "queued", letters["queued"]),
        (9, "failed", letters["failed"]),
    ):
        db.execute(
            "INSERT INTO outbox_messages (id, message_id, state, raw, envelope_from, envelope_to, "
            "subject, recipient_names, campaign_id, created_at, updated_at, attempts, "
            "next_attempt_at, last_error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'c', 10, 11, ?, 12, ?)",
            (
                row_id,
                letter.message_id,
                state,
                letter.raw,
                letter.envelope_from,
                json.dumps(list(letter.envelope_to)),
                letter.subject,
                json.dumps(list(letter.recipient_names)),
                1 if state == "failed" else 0,
                "550 no such mailbox" if state == "failed" else "",
            ),
        )
    db.execute("UPDATE sqlite_sequence SET seq = 12 WHERE name = 'outbox_messages'")
    sent = letters["sent"]
    db.execute(
        "INSERT INTO sent_messages (id, message_id, raw, envelope_from, envelope_to, subject, "
        "recipient_names, queued_at, sent_at, attempts, server_reply) "
        "VALUES (3, ?, ?, ?, ?, ?, ?, 5, 6, 1, '250 OK')",
        (
            sent.message_id,
            sent.raw,
            sent.envelope_from,
            json.dumps(list(sent.envelope_to)),
            sent.subject,
            json.dumps(list(sent.recipient_names)),
        ),
    )
    db.commit()
    db.close()
    return letters


def test_a_format_1_outbox_is_moved_to_the_current_format_keeping_every_letter(
    locations: Locations, clock: Clock
) -> None:
    path = locations.database_file
    path.parent.mkdir(parents=True, exist_ok=True)
    letters = _format_1_outbox(path)
    box = Outbox(path, clock=clock)
    try:
        entries = box.entries()
        assert [(e.id, e.state, e.subject) for e in entries] == [
            (7, "queued", "Queued"),
            (9, "failed", "Refused"),
        ]
        assert entries[1].last_error == "550 no such mailbox" and entries[1].attempts == 1
        assert entries[0].envelope_to == letters["queued"].envelope_to
        assert box.raw(7) == letters["queued"].raw and box.raw(9) == letters["failed"].raw
        (history,) = box.sent_entries()
        assert (history.id, history.subject, history.server_reply) == (3, "Sent", "250 OK")
        assert box.sent_raw(3) == letters["sent"].raw
        # New letters never reuse the id of one that already left.
        assert box.enqueue(_message("New")) == 13
        # The moved letters go through the whole cycle.
        assert box.claim(7) is not None
        sent_id = box.mark_sent(7, "250 accepted")
        assert box.sent_raw(sent_id) == letters["queued"].raw
        box.replace(9, _message("Corrected", "office-d@house.gov"))
        assert b"Corrected" in box.raw(9)
        box.cancel(9)
        assert [entry.id for entry in box.entries()] == [13]
    finally:
        box.close()
    db = sqlite3.connect(path)
    try:
        tables = {
            row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        version = db.execute(
            "SELECT value FROM outbox_meta WHERE key = 'schema_version'"
        ).fetchone()
        # The cancelled letter's bytes went with it; the rest are referenced.
        orphans = db.execute(
            "SELECT COUNT(*) FROM outbox_bodies WHERE id NOT IN "
            "(SELECT body_id FROM outbox_messages UNION SELECT body_id FROM sent_messages)"
        ).fetchone()
    finally:
        db.close()
    assert not {name for name in tables if name.endswith("_v1")}
    assert version == ("2",)
    assert orphans == (0,)


def test_an_outbox_from_a_newer_version_is_left_alone_with_a_clear_message(
    locations: Locations,
) -> None:
    path = locations.database_file
    path.parent.mkdir(parents=True, exist_ok=True)
    _format_1_outbox(path)
    db = sqlite3.connect(path)
    db.execute("UPDATE outbox_meta SET value = '99' WHERE key = 'schema_version'")
    db.commit()
    db.close()
    box = Outbox(path)
    try:
        for _ in range(2):  # refused on every use, not only the first
            with pytest.raises(OutboxError, match="newer version of Letter Composer"):
                box.entries()
    finally:
        box.close()
    db = sqlite3.connect(path)
    try:
        assert db.execute("SELECT COUNT(*) FROM outbox_messages").fetchone() == (2,)
        assert "raw" in {row[1] for row in db.execute("PRAGMA table_info(outbox_messages)")}
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
        assert "outbox_bodies" not in tables
    finally:
        db.close()
