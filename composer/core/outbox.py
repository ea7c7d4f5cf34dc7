"""The outbox and the sent history, in SQLite: a letter is never lost.

A letter enters the outbox with its final bytes, Message-ID and envelope
before anything tries to send it, and leaves it only once the server has
accepted it — then it moves, in the same transaction, to the sent history.

States of a waiting letter::

    queued ──claim──► sending ──accepted──► (sent history)
       ▲                 │
       └──temporary──────┤ (retried later, with growing delays)
                         └──refused──► failed ──edit / retry──► queued

A letter left "sending" by a crash is put back to "queued" by :meth:`Outbox.recover`
at the next start; it may then be delivered twice, and the user is told so.

The tables are named ``outbox_*`` and ``sent_*`` so other parts of the
program can keep their own tables in the same database file. Each thread
gets its own connection; the object itself may be shared between threads.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from composer import i18n
from composer.core.fileio import atomic_write_bytes
from composer.core.mail import OutgoingMessage
from composer.core.storage import (
    DatabaseUnavailable,
    ThreadConnections,
    create_schema,
    host_name,
    run_script,
    write_transaction,
)
from composer.i18n import N_, _

log = logging.getLogger(__name__)

SCHEMA_VERSION = 2
QUEUED = "queued"
SENDING = "sending"
FAILED = "failed"
STATES = (QUEUED, SENDING, FAILED)

# A claim older than this is taken to belong to a process that died, even if its
# process id now belongs to someone else.
STALE_CLAIM_SECONDS = 3600.0

# Kept with the letter in the language of the moment (marked here, translated where stored).
RECOVERED_NOTE = N_(
    "The program stopped while this letter was being sent. It may already have "
    "been delivered; it will be sent again, which may deliver it twice."
)

# A letter's bytes live in outbox_bodies, apart from the rows that describe it, so
# that claiming a letter rewrites a small row and moving it to the sent history
# copies no bytes: the history row takes over the body.
_SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS outbox_bodies (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    raw BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS outbox_messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'failed')),
    body_id INTEGER NOT NULL REFERENCES outbox_bodies (id),
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
CREATE INDEX IF NOT EXISTS outbox_messages_due ON outbox_messages (state, next_attempt_at);
CREATE TABLE IF NOT EXISTS sent_messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id TEXT NOT NULL,
    body_id INTEGER NOT NULL REFERENCES outbox_bodies (id),
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
CREATE INDEX IF NOT EXISTS sent_messages_sent_at ON sent_messages (sent_at);
"""

_ENTRY_COLUMNS = (
    "id, message_id, state, envelope_from, envelope_to, subject, recipient_names, "
    "campaign_id, source, created_at, updated_at, attempts, next_attempt_at, "
    "last_attempt_at, last_reply, last_error, last_error_kind, possibly_delivered"
)
_SENT_COLUMNS = (
    "id, message_id, envelope_from, envelope_to, subject, recipient_names, campaign_id, "
    "source, queued_at, sent_at, attempts, server_reply"
)


def _migrate_from_1(db: sqlite3.Connection) -> None:
    """Move a format-1 outbox's letter bytes into outbox_bodies (within the caller's
    transaction): every row, id and the next id to be given out are kept."""
    log.info("moving the outbox to format %d", SCHEMA_VERSION)
    for table in ("outbox_messages", "sent_messages"):
        db.execute(f"ALTER TABLE {table} RENAME TO {table}_v1")
    db.execute("DROP INDEX IF EXISTS outbox_messages_due")
    db.execute("DROP INDEX IF EXISTS sent_messages_sent_at")
    run_script(db, _SCHEMA)
    for table in ("outbox_messages", "sent_messages"):
        columns = [
            str(row[1])
            for row in db.execute(f"PRAGMA table_info({table}_v1)")
            if row[1] not in ("raw", "body_id")
        ]
        listed = ", ".join(columns)
        for row_id, raw in list(db.execute(f"SELECT id, raw FROM {table}_v1 ORDER BY id")):
            body = db.execute("INSERT INTO outbox_bodies (raw) VALUES (?)", (raw,))
            db.execute(
                f"INSERT INTO {table} (body_id, {listed}) "
                f"SELECT ?, {listed} FROM {table}_v1 WHERE id = ?",
                (body.lastrowid, row_id),
            )
        # AUTOINCREMENT: ids of letters that already left are never given out again.
        (seq,) = db.execute(
            "SELECT MAX(seq) FROM sqlite_sequence WHERE name IN (?, ?)", (table, f"{table}_v1")
        ).fetchone()
        db.execute("DELETE FROM sqlite_sequence WHERE name = ?", (table,))
        if seq is not None:
            db.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (table, seq))
        db.execute(f"DROP TABLE {table}_v1")
    db.execute(
        "UPDATE outbox_meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),)
    )


class OutboxError(Exception):
    """The outbox could not do what was asked; the message says why in plain words."""


@dataclass(frozen=True)
class OutboxEntry:
    """A letter waiting in the outbox (its bytes are fetched separately with :meth:`Outbox.raw`).

    Attributes:
        id: the outbox row id.
        message_id: the Message-ID header value.
        state: "queued", "sending" or "failed".
        envelope_from: the MAIL FROM address.
        envelope_to: every RCPT TO address.
        subject: the subject line.
        recipient_names: the To recipients as shown in lists.
        campaign_id: the campaign the letter belongs to ("" if none).
        source: an opaque reference given when queued (e.g. a draft id), "" if none.
        created_at: when it was queued (seconds since the epoch).
        updated_at: when it last changed.
        attempts: how many times sending was attempted.
        next_attempt_at: when it is next due (seconds since the epoch).
        last_attempt_at: when it was last attempted, or None.
        last_reply: the server's last reply ("" if none).
        last_error: the last failure in plain words ("" if none).
        last_error_kind: the last failure's kind (see FailureKind), "" if none.
        possibly_delivered: a previous attempt may have delivered it already.
    """

    id: int
    message_id: str
    state: str
    envelope_from: str
    envelope_to: tuple[str, ...]
    subject: str
    recipient_names: tuple[str, ...]
    campaign_id: str
    source: str
    created_at: float
    updated_at: float
    attempts: int
    next_attempt_at: float
    last_attempt_at: float | None
    last_reply: str
    last_error: str
    last_error_kind: str
    possibly_delivered: bool


@dataclass(frozen=True)
class SentEntry:
    """A letter the server accepted (its stored copy is fetched with :meth:`Outbox.sent_raw`).

    Attributes:
        id: the history row id.
        message_id: the Message-ID header value.
        envelope_from: the MAIL FROM address.
        envelope_to: every RCPT TO address.
        subject: the subject line.
        recipient_names: the To recipients as shown in lists.
        campaign_id: the campaign ("" if none).
        source: the opaque reference given when queued.
        queued_at: when it was queued.
        sent_at: when the server accepted it.
        attempts: how many attempts it took.
        server_reply: the server's acceptance reply.
    """

    id: int
    message_id: str
    envelope_from: str
    envelope_to: tuple[str, ...]
    subject: str
    recipient_names: tuple[str, ...]
    campaign_id: str
    source: str
    queued_at: float
    sent_at: float
    attempts: int
    server_reply: str


def _tuple(text: str) -> tuple[str, ...]:
    try:
        value = json.loads(text)
    except ValueError:
        return ()
    return tuple(str(item) for item in value) if isinstance(value, list) else ()


def _described(message: OutgoingMessage) -> tuple[str, str, str, str, str]:
    """The columns that describe a message, as stored: message_id, envelope_from,
    envelope_to, subject and recipient_names."""
    return (
        message.message_id,
        message.envelope_from,
        json.dumps(list(message.envelope_to)),
        message.subject,
        json.dumps(list(message.recipient_names)),
    )


def _entry(row: sqlite3.Row) -> OutboxEntry:
    return OutboxEntry(
        id=int(row["id"]),
        message_id=str(row["message_id"]),
        state=str(row["state"]),
        envelope_from=str(row["envelope_from"]),
        envelope_to=_tuple(row["envelope_to"]),
        subject=str(row["subject"]),
        recipient_names=_tuple(row["recipient_names"]),
        campaign_id=str(row["campaign_id"]),
        source=str(row["source"]),
        created_at=float(row["created_at"]),
        updated_at=float(row["updated_at"]),
        attempts=int(row["attempts"]),
        next_attempt_at=float(row["next_attempt_at"]),
        last_attempt_at=None if row["last_attempt_at"] is None else float(row["last_attempt_at"]),
        last_reply=str(row["last_reply"]),
        last_error=str(row["last_error"]),
        last_error_kind=str(row["last_error_kind"]),
        possibly_delivered=bool(row["possibly_delivered"]),
    )


def _sent(row: sqlite3.Row) -> SentEntry:
    return SentEntry(
        id=int(row["id"]),
        message_id=str(row["message_id"]),
        envelope_from=str(row["envelope_from"]),
        envelope_to=_tuple(row["envelope_to"]),
        subject=str(row["subject"]),
        recipient_names=_tuple(row["recipient_names"]),
        campaign_id=str(row["campaign_id"]),
        source=str(row["source"]),
        queued_at=float(row["queued_at"]),
        sent_at=float(row["sent_at"]),
        attempts=int(row["attempts"]),
        server_reply=str(row["server_reply"]),
    )


def _process_tag() -> str:
    return f"{os.getpid()}@{host_name()}"


def _claim_is_live(claimed_by: str, claimed_at: float | None, now: float) -> bool:
    """Whether another running process may still be sending this letter."""
    pid_text, _at, host = claimed_by.partition("@")
    if not pid_text.isdigit() or host != host_name():
        return False
    pid = int(pid_text)
    if pid == os.getpid() or claimed_at is None or now - claimed_at > STALE_CLAIM_SECONDS:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Outbox:
    """The outbox and sent history stored in one SQLite file.

    Args:
        path: the database file (created with its folder when missing).
        clock: returns the current time in seconds since the epoch (tests pass their own).
    """

    def __init__(self, path: Path, clock: Callable[[], float] = time.time) -> None:
        self.path = Path(path)
        self._clock = clock
        # WAL, a busy timeout, and synchronous=FULL: a letter reported "queued"
        # survives a power cut.
        self._connections = ThreadConnections(self.path, self._create_schema)

    # -- connections -------------------------------------------------------

    def _db(self) -> sqlite3.Connection:
        try:
            return self._connections.get()
        except DatabaseUnavailable as error:
            raise OutboxError(self._describe(error.__cause__ or error)) from error

    def _create_schema(self, db: sqlite3.Connection) -> None:
        version = self._stored_version(db)
        if version is not None and version > SCHEMA_VERSION:
            raise OutboxError(
                _(
                    "The outbox ({path}) was written by a newer version of Letter "
                    "Composer (format {version}); update the program to use it. Nothing in "
                    "it was changed."
                ).format(path=self.path, version=version)
            )
        create_schema(
            db, _SCHEMA, meta_table="outbox_meta", version=SCHEMA_VERSION, error_for=self._error
        )
        if version == 1:
            with write_transaction(db, self._error):
                if self._stored_version(db) == 1:  # not moved meanwhile by another process
                    _migrate_from_1(db)

    def _stored_version(self, db: sqlite3.Connection) -> int | None:
        """The format the file says it has; None for a new file."""
        try:
            if not list(
                db.execute(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'outbox_meta'"
                )
            ):
                return None
            rows = list(db.execute("SELECT value FROM outbox_meta WHERE key = 'schema_version'"))
        except sqlite3.Error as error:
            raise self._error(error) from error
        try:
            return int(rows[0][0])
        except (IndexError, ValueError):
            return None

    def _error(self, error: BaseException) -> OutboxError:
        return OutboxError(self._describe(error))

    def _describe(self, error: BaseException) -> str:
        text = str(error)
        if "disk is full" in text or "database or disk is full" in text:
            return _(
                "The disk is full: the outbox ({path}) cannot be written. Free some space."
            ).format(path=self.path)
        if "locked" in text or "busy" in text:
            return _(
                "The outbox ({path}) is busy in another program; try again in a moment."
            ).format(path=self.path)
        if "readonly" in text or "permission" in text.lower():
            return _("No permission to write the outbox ({path}); check the folder.").format(
                path=self.path
            )
        return _("The outbox ({path}) cannot be used: {problem}.").format(
            path=self.path, problem=text
        )

    @contextlib.contextmanager
    def _transaction(self, durable: bool = True) -> Iterator[sqlite3.Connection]:
        """One write transaction.

        `durable` transactions (queueing, edits, the user's actions) are synced
        to disk before they return, so they survive a power cut. The steps of
        the sending cycle (claim, sent, retry) are not synced one by one: in WAL
        mode they still survive a crash of the program, and a power cut can at
        worst undo the last of them — the letter is then sent again, exactly
        as after an interrupted send. This halves the cost of sending a batch.
        """
        db = self._db()
        self._set_synchronous(db, durable)
        with write_transaction(db, self._error):
            yield db

    def _set_synchronous(self, db: sqlite3.Connection, durable: bool) -> None:
        level = "FULL" if durable else "NORMAL"
        local = self._connections.local
        if getattr(local, "synchronous", "FULL") != level:
            db.execute(f"PRAGMA synchronous={level}")
            local.synchronous = level

    def _query(self, sql: str, parameters: Iterable[object] = ()) -> list[sqlite3.Row]:
        try:
            return list(self._db().execute(sql, tuple(parameters)))
        except sqlite3.Error as error:
            raise OutboxError(self._describe(error)) from error

    def close(self) -> None:
        """Close every thread's connection (call when no thread uses the outbox any more)."""
        self._connections.close()

    # -- adding and reading ------------------------------------------------

    def enqueue(self, message: OutgoingMessage, *, campaign_id: str = "", source: str = "") -> int:
        """Store a finished message as "queued", due now; returns its outbox id.

        Raises:
            OutboxError: it could not be stored (the message says why), or a
                message with the same Message-ID is already waiting.
        """
        now = self._clock()
        try:
            with self._transaction() as db:
                body = db.execute("INSERT INTO outbox_bodies (raw) VALUES (?)", (message.raw,))
                cursor = db.execute(
                    "INSERT INTO outbox_messages (message_id, envelope_from, envelope_to, "
                    "subject, recipient_names, state, body_id, campaign_id, source, "
                    "created_at, updated_at, next_attempt_at) "
                    "VALUES (?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?)",
                    (*_described(message), body.lastrowid, campaign_id, source, now, now, now),
                )
        except OutboxError as error:
            if isinstance(error.__cause__, sqlite3.IntegrityError):
                raise OutboxError(
                    _("This letter ({id}) is already in the outbox.").format(id=message.message_id)
                ) from None
            raise
        row_id = cursor.lastrowid
        assert row_id is not None
        log.info("queued %s as outbox #%d", message.message_id, row_id)
        return row_id

    def get(self, entry_id: int) -> OutboxEntry | None:
        """The waiting letter with this id, or None."""
        rows = self._query(
            f"SELECT {_ENTRY_COLUMNS} FROM outbox_messages WHERE id = ?", (entry_id,)
        )
        return _entry(rows[0]) if rows else None

    def raw(self, entry_id: int) -> bytes:
        """The exact bytes of a waiting letter.

        Raises:
            OutboxError: there is no such letter in the outbox.
        """
        return self._body(
            "outbox_messages",
            entry_id,
            _("There is no letter #{number} in the outbox.").format(number=entry_id),
        )

    def _body(self, table: str, row_id: int, missing: str) -> bytes:
        """The bytes of row `row_id` of `table` (the outbox or the history), or `missing`."""
        rows = self._query(
            f"SELECT raw FROM {table} JOIN outbox_bodies ON outbox_bodies.id = {table}.body_id "
            f"WHERE {table}.id = ?",
            (row_id,),
        )
        if not rows:
            raise OutboxError(missing)
        return bytes(rows[0]["raw"])

    def entries(self) -> list[OutboxEntry]:
        """Every waiting letter, oldest first."""
        rows = self._query(f"SELECT {_ENTRY_COLUMNS} FROM outbox_messages ORDER BY created_at, id")
        return [_entry(row) for row in rows]

    def pending_count(self) -> int:
        """How many letters are still to go (queued or being sent)."""
        rows = self._query(
            "SELECT COUNT(*) FROM outbox_messages WHERE state IN ('queued', 'sending')"
        )
        return int(rows[0][0])

    def failed_count(self) -> int:
        """How many letters the server refused and wait to be edited or retried."""
        rows = self._query("SELECT COUNT(*) FROM outbox_messages WHERE state = 'failed'")
        return int(rows[0][0])

    def due_ids(self, now: float | None = None) -> list[int]:
        """The queued letters whose time has come, oldest first."""
        moment = self._clock() if now is None else now
        rows = self._query(
            "SELECT id FROM outbox_messages WHERE state = 'queued' AND next_attempt_at <= ? "
            "ORDER BY created_at, id",
            (moment,),
        )
        return [int(row["id"]) for row in rows]

    def queued_ids(self) -> list[int]:
        """Every queued letter, due or not, oldest first."""
        rows = self._query(
            "SELECT id FROM outbox_messages WHERE state = 'queued' ORDER BY created_at, id"
        )
        return [int(row["id"]) for row in rows]

    def next_due_at(self) -> float | None:
        """When the next queued letter is due, or None when nothing is queued."""
        rows = self._query(
            "SELECT MIN(next_attempt_at) FROM outbox_messages WHERE state = 'queued'"
        )
        value = rows[0][0]
        return None if value is None else float(value)

    # -- the sending cycle -------------------------------------------------

    def claim(self, entry_id: int) -> OutboxEntry | None:
        """Mark a queued letter "sending" (one attempt more); None if it is not queued.

        Only one thread or process can claim a letter: this is what stops two
        senders from sending the same letter.
        """
        claimed = self.claim_with_raw(entry_id)
        return None if claimed is None else claimed[0]

    def claim_with_raw(self, entry_id: int) -> tuple[OutboxEntry, bytes] | None:
        """Like :meth:`claim`, and also return the letter's bytes."""
        with self._transaction(durable=False) as db:
            return self._claim(db, entry_id)

    def _claim(self, db: sqlite3.Connection, entry_id: int) -> tuple[OutboxEntry, bytes] | None:
        now = self._clock()
        rows = list(
            db.execute(
                "UPDATE outbox_messages SET state = 'sending', attempts = attempts + 1, "
                "last_attempt_at = ?, updated_at = ?, claimed_by = ?, claimed_at = ? "
                f"WHERE id = ? AND state = 'queued' RETURNING {_ENTRY_COLUMNS}, body_id",
                (now, now, _process_tag(), now, entry_id),
            )
        )
        if not rows:
            return None
        (body,) = db.execute("SELECT raw FROM outbox_bodies WHERE id = ?", (rows[0]["body_id"],))
        return _entry(rows[0]), bytes(body[0])

    def mark_sent(self, entry_id: int, server_reply: str) -> int:
        """Move a letter the server accepted into the sent history; returns its history id.

        Raises:
            OutboxError: the letter is not in the outbox.
        """
        with self._transaction(durable=False) as db:
            return self._move_to_sent(db, entry_id, server_reply)

    def mark_sent_and_claim(
        self, entry_id: int, server_reply: str, next_id: int
    ) -> tuple[int, tuple[OutboxEntry, bytes] | None]:
        """:meth:`mark_sent` for one letter and :meth:`claim_with_raw` for the next, in one
        transaction (one write to the disk instead of two, while sending a batch)."""
        with self._transaction(durable=False) as db:
            return self._move_to_sent(db, entry_id, server_reply), self._claim(db, next_id)

    def _move_to_sent(self, db: sqlite3.Connection, entry_id: int, server_reply: str) -> int:
        cursor = db.execute(
            "INSERT INTO sent_messages (message_id, body_id, envelope_from, envelope_to, "
            "subject, recipient_names, campaign_id, source, queued_at, sent_at, attempts, "
            "server_reply) SELECT message_id, body_id, envelope_from, envelope_to, subject, "
            "recipient_names, campaign_id, source, created_at, ?, attempts, ? "
            "FROM outbox_messages WHERE id = ?",
            (self._clock(), server_reply, entry_id),
        )
        if cursor.rowcount != 1:
            raise OutboxError(
                _("There is no letter #{number} in the outbox.").format(number=entry_id)
            )
        sent_id = cursor.lastrowid
        db.execute("DELETE FROM outbox_messages WHERE id = ?", (entry_id,))
        assert sent_id is not None
        log.info("outbox #%d accepted by the server; sent #%d", entry_id, sent_id)
        return sent_id

    def mark_retry(
        self,
        entry_id: int,
        *,
        delay: float,
        error: str,
        kind: str,
        reply: str = "",
        possibly_delivered: bool = False,
    ) -> None:
        """Put a letter back in the queue after a temporary failure, due after `delay` seconds."""
        now = self._clock()
        with self._transaction(durable=False) as db:
            db.execute(
                "UPDATE outbox_messages SET state = 'queued', next_attempt_at = ?, "
                "updated_at = ?, last_reply = ?, last_error = ?, last_error_kind = ?, "
                "possibly_delivered = MAX(possibly_delivered, ?), claimed_by = '', "
                "claimed_at = NULL WHERE id = ?",
                (now + delay, now, reply, error, kind, int(possibly_delivered), entry_id),
            )

    def mark_failed(self, entry_id: int, *, error: str, kind: str, reply: str = "") -> None:
        """Mark a letter the server refused for good: it waits to be edited or retried."""
        now = self._clock()
        with self._transaction(durable=False) as db:
            db.execute(
                "UPDATE outbox_messages SET state = 'failed', updated_at = ?, last_reply = ?, "
                "last_error = ?, last_error_kind = ?, claimed_by = '', claimed_at = NULL "
                "WHERE id = ?",
                (now, reply, error, kind, entry_id),
            )

    def note_failure(
        self,
        entry_ids: Iterable[int],
        *,
        delay: float,
        error: str,
        kind: str,
        reply: str = "",
        count_attempt: bool = True,
    ) -> None:
        """Record a failure on queued letters that were not claimed (e.g. the server was down)."""
        now = self._clock()
        with self._transaction(durable=False) as db:
            db.executemany(
                "UPDATE outbox_messages SET next_attempt_at = ?, updated_at = ?, "
                "last_reply = ?, last_error = ?, last_error_kind = ?, "
                "attempts = attempts + ?, last_attempt_at = CASE WHEN ? THEN ? "
                "ELSE last_attempt_at END WHERE id = ? AND state = 'queued'",
                [
                    (
                        now + delay,
                        now,
                        reply,
                        error,
                        kind,
                        int(count_attempt),
                        int(count_attempt),
                        now,
                        entry_id,
                    )
                    for entry_id in entry_ids
                ],
            )

    def recover(self) -> int:
        """Put letters left "sending" by a crashed program back in the queue.

        Call at start-up, before any sending begins. A letter another running
        process is sending right now is left alone. Returns how many letters
        were put back; each is flagged as possibly delivered already.
        """
        now = self._clock()
        with self._transaction() as db:
            rows = list(
                db.execute(
                    "SELECT id, claimed_by, claimed_at FROM outbox_messages WHERE state = 'sending'"
                )
            )
            orphans = [
                int(row["id"])
                for row in rows
                if not _claim_is_live(
                    str(row["claimed_by"]),
                    None if row["claimed_at"] is None else float(row["claimed_at"]),
                    now,
                )
            ]
            db.executemany(
                "UPDATE outbox_messages SET state = 'queued', next_attempt_at = ?, "
                "updated_at = ?, possibly_delivered = 1, last_error = ?, "
                "last_error_kind = 'interrupted', claimed_by = '', claimed_at = NULL "
                "WHERE id = ? AND state = 'sending'",
                [(now, now, i18n._(RECOVERED_NOTE), entry_id) for entry_id in orphans],
            )
        if orphans:
            log.warning("put %d interrupted letter(s) back in the queue", len(orphans))
        return len(orphans)

    # -- the user's actions ------------------------------------------------

    def replace(self, entry_id: int, message: OutgoingMessage) -> None:
        """Replace a queued or failed letter by its edited version (queued again, due now).

        Raises:
            OutboxError: the letter is being sent right now, or is no longer in the outbox.
        """
        now = self._clock()
        with self._transaction() as db:
            rows = list(
                db.execute(
                    "UPDATE outbox_messages SET message_id = ?, envelope_from = ?, "
                    "envelope_to = ?, subject = ?, recipient_names = ?, state = 'queued', "
                    "attempts = 0, next_attempt_at = ?, updated_at = ?, last_reply = '', "
                    "last_error = '', last_error_kind = '', possibly_delivered = 0 "
                    "WHERE id = ? AND state IN ('queued', 'failed') RETURNING body_id",
                    (*_described(message), now, now, entry_id),
                )
            )
            if not rows:
                raise OutboxError(self._not_changeable(db, entry_id, cancelling=False))
            db.execute(
                "UPDATE outbox_bodies SET raw = ? WHERE id = ?", (message.raw, rows[0]["body_id"])
            )

    def _not_changeable(self, db: sqlite3.Connection, entry_id: int, *, cancelling: bool) -> str:
        rows = list(db.execute("SELECT state FROM outbox_messages WHERE id = ?", (entry_id,)))
        if not rows:
            return _("Letter #{number} is no longer in the outbox (it may have been sent).").format(
                number=entry_id
            )
        if cancelling:
            return _(
                "Letter #{number} is being sent right now and cannot be cancelled; wait a moment."
            ).format(number=entry_id)
        return _(
            "Letter #{number} is being sent right now and cannot be changed; wait a moment."
        ).format(number=entry_id)

    def cancel(self, entry_id: int) -> None:
        """Remove a queued or failed letter from the outbox (it will not be sent).

        Raises:
            OutboxError: it is being sent right now, or is no longer in the outbox.
        """
        with self._transaction() as db:
            rows = list(
                db.execute(
                    "DELETE FROM outbox_messages WHERE id = ? AND state IN ('queued', 'failed') "
                    "RETURNING body_id",
                    (entry_id,),
                )
            )
            if not rows:
                raise OutboxError(self._not_changeable(db, entry_id, cancelling=True))
            db.execute("DELETE FROM outbox_bodies WHERE id = ?", (rows[0]["body_id"],))
        log.info("outbox #%d cancelled", entry_id)

    def retry_now(self, entry_ids: Iterable[int] | None = None) -> int:
        """Make letters due now: the given ones (queued or refused), or every queued one.

        Refused letters go back to the queue only when named: unchanged, the
        server would most likely refuse them again. Returns how many were made due.
        """
        now = self._clock()
        with self._transaction() as db:
            if entry_ids is None:
                cursor = db.execute(
                    "UPDATE outbox_messages SET next_attempt_at = ?, updated_at = ? "
                    "WHERE state = 'queued'",
                    (now, now),
                )
                return int(cursor.rowcount)
            count = 0
            for entry_id in entry_ids:
                cursor = db.execute(
                    "UPDATE outbox_messages SET state = 'queued', next_attempt_at = ?, "
                    "updated_at = ? WHERE id = ? AND state IN ('queued', 'failed')",
                    (now, now, entry_id),
                )
                count += int(cursor.rowcount)
            return count

    # -- sent history ------------------------------------------------------

    def sent_entries(self, limit: int = 500) -> list[SentEntry]:
        """The letters the server accepted, newest first."""
        rows = self._query(
            f"SELECT {_SENT_COLUMNS} FROM sent_messages ORDER BY sent_at DESC, id DESC LIMIT ?",
            (limit,),
        )
        return [_sent(row) for row in rows]

    def sent_get(self, sent_id: int) -> SentEntry | None:
        """The sent letter with this history id, or None."""
        rows = self._query(f"SELECT {_SENT_COLUMNS} FROM sent_messages WHERE id = ?", (sent_id,))
        return _sent(rows[0]) if rows else None

    def sent_raw(self, sent_id: int) -> bytes:
        """The stored copy of a sent letter, exactly as it was sent.

        Raises:
            OutboxError: there is no such letter in the history.
        """
        return self._body(
            "sent_messages",
            sent_id,
            _("There is no letter #{number} in the sent history.").format(number=sent_id),
        )

    def export_eml(
        self, path: Path, *, sent_id: int | None = None, entry_id: int | None = None
    ) -> None:
        """Write a sent (or waiting) letter to a .eml file, atomically.

        Raises:
            OutboxError: no such letter.
            StorageError: the file could not be written.
        """
        if (sent_id is None) == (entry_id is None):
            raise ValueError(_("give exactly one of sent_id and entry_id"))
        data = self.sent_raw(sent_id) if sent_id is not None else self.raw(entry_id or 0)
        atomic_write_bytes(Path(path), data)
