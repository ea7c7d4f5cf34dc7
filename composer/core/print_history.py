"""Which letters were printed, and which of them the user has since mailed.

A small store in the program's SQLite database (shared with the outbox and the
drafts: this module touches only its own table, ``printed_letters``). Every
successful print adds one row per letter; the user marks a row "mailed" once
the envelope is in the post box.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from composer import i18n
from composer.core.fileio import describe_os_error
from composer.core.models import format_date
from composer.i18n import _

SCHEMA = """
CREATE TABLE IF NOT EXISTS printed_letters (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    printed_at TEXT NOT NULL,
    recipient_id TEXT NOT NULL DEFAULT '',
    recipient_name TEXT NOT NULL DEFAULT '',
    subject TEXT NOT NULL DEFAULT '',
    campaign_id TEXT NOT NULL DEFAULT '',
    letter_id TEXT NOT NULL DEFAULT '',
    paper TEXT NOT NULL DEFAULT '',
    pages INTEGER NOT NULL DEFAULT 0,
    printer TEXT NOT NULL DEFAULT '',
    mailed_at TEXT
);
CREATE INDEX IF NOT EXISTS printed_letters_printed_at ON printed_letters (printed_at);
"""


WAL_SWITCH_SECONDS = 5.0


class PrintHistoryError(Exception):
    """The print history could not be read or written; the message says why and what to do."""


def _now() -> dt.datetime:
    return dt.datetime.now().astimezone()


@dataclass(frozen=True)
class PrintRecord:
    """One printed letter.

    Attributes:
        id: the row's number.
        printed_at: when it was printed (local time with its UTC offset).
        recipient_id, recipient_name: who the letter is addressed to.
        subject: the letter's subject line.
        campaign_id: the campaign it was written for ("" if none).
        letter_id: the draft it came from, when known ("" otherwise).
        paper: "letter" or "a4".
        pages: how many pages the letter took.
        printer: the printer it went to.
        mailed_at: when the user marked it mailed, or None.
    """

    id: int
    printed_at: dt.datetime
    recipient_id: str
    recipient_name: str
    subject: str
    campaign_id: str
    letter_id: str
    paper: str
    pages: int
    printer: str
    mailed_at: dt.datetime | None

    @property
    def mailed(self) -> bool:
        """Whether the user marked the letter mailed."""
        return self.mailed_at is not None

    @property
    def status(self) -> str:
        """What the history says, e.g. "printed on March 9, 2026, mailed on March 10, 2026"."""
        printed = _shown_date(self.printed_at.date())
        if self.mailed_at is not None:
            return _("printed on {printed}, mailed on {mailed}").format(
                printed=printed, mailed=_shown_date(self.mailed_at.date())
            )
        return _("printed on {printed}").format(printed=printed)


def _shown_date(date: dt.date) -> str:
    """A date for the window: "March 9, 2026" in English, "09.03.2026" in Russian or Ukrainian."""
    if i18n.current_language() != "en":
        return date.strftime("%d.%m.%Y")
    return format_date(date)


def _record(row: sqlite3.Row) -> PrintRecord:
    mailed = row["mailed_at"]
    return PrintRecord(
        id=int(row["id"]),
        printed_at=dt.datetime.fromisoformat(row["printed_at"]),
        recipient_id=row["recipient_id"],
        recipient_name=row["recipient_name"],
        subject=row["subject"],
        campaign_id=row["campaign_id"],
        letter_id=row["letter_id"],
        paper=row["paper"],
        pages=int(row["pages"]),
        printer=row["printer"],
        mailed_at=dt.datetime.fromisoformat(mailed) if mailed else None,
    )


class PrintHistory:
    """The printed-letters table of the program's database.

    Each call opens its own short connection, so one store may be used from any
    thread (the window writes from a worker).

    Args:
        path: the SQLite database file (``Locations.database_file``).
        clock: gives the current time (tests pass a fixed one).
    """

    def __init__(self, path: Path, clock: Callable[[], dt.datetime] = _now) -> None:
        self.path = Path(path)
        self._clock = clock
        self._schema_lock = threading.Lock()
        self._schema_ready = False

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise PrintHistoryError(describe_os_error(error, self.path.parent)) from error
        with self._schema_lock:
            if not self._schema_ready:
                self._initialize()
                self._schema_ready = True
        try:
            db = sqlite3.connect(self.path, timeout=15)
        except sqlite3.Error as error:
            raise PrintHistoryError(self._describe(error)) from error
        try:
            db.row_factory = sqlite3.Row
            with db:
                yield db
        except sqlite3.Error as error:
            raise PrintHistoryError(self._describe(error)) from error
        finally:
            db.close()

    def _initialize(self) -> None:
        """Switch the file to WAL and create the table, once, before any other use."""
        try:
            db = sqlite3.connect(self.path, timeout=15)
        except sqlite3.Error as error:
            raise PrintHistoryError(self._describe(error)) from error
        try:
            self._use_wal(db)
            db.executescript(SCHEMA)
        except sqlite3.Error as error:
            raise PrintHistoryError(self._describe(error)) from error
        finally:
            db.close()

    @staticmethod
    def _use_wal(db: sqlite3.Connection) -> None:
        """Put the shared file in WAL mode, so readers and one writer work side by side.

        Switching modes needs the file to itself and SQLite does not wait for that
        (it answers "locked" at once), so a busy file is tried again for a while; if
        it stays busy, the history works in the mode the file is in.
        """
        deadline = time.monotonic() + WAL_SWITCH_SECONDS
        while True:
            try:
                if db.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                    db.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) and "busy" not in str(error):
                    raise
                if time.monotonic() > deadline:
                    return  # still busy: keep the file's present mode
                time.sleep(0.05)

    def _describe(self, error: sqlite3.Error) -> str:
        text = str(error)
        if "locked" in text or "busy" in text:
            return _(
                "The letters database {path} is busy; try again in a moment "
                "(another copy of the program may be writing to it)."
            ).format(path=self.path)
        if "disk" in text and "full" in text:
            return _("The disk is full: {path} could not be written. Free some space.").format(
                path=self.path
            )
        if "not a database" in text or "malformed" in text:
            return _(
                "The letters database {path} is damaged ({problem}). "
                "Move it aside; the program starts a new one."
            ).format(path=self.path, problem=text)
        return _("The print history in {path} could not be used: {problem}.").format(
            path=self.path, problem=text
        )

    def record(
        self,
        *,
        recipient_id: str,
        recipient_name: str,
        subject: str,
        paper: str,
        pages: int,
        printer: str,
        campaign_id: str = "",
        letter_id: str = "",
    ) -> PrintRecord:
        """Note that a letter was printed just now; returns the new row.

        Raises:
            PrintHistoryError: the database could not be written.
        """
        printed_at = self._clock()
        with self._connect() as db:
            cursor = db.execute(
                "INSERT INTO printed_letters (printed_at, recipient_id, recipient_name, subject,"
                " campaign_id, letter_id, paper, pages, printer) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    printed_at.isoformat(timespec="seconds"),
                    recipient_id,
                    recipient_name,
                    subject,
                    campaign_id,
                    letter_id,
                    paper,
                    pages,
                    printer,
                ),
            )
            row = db.execute(
                "SELECT * FROM printed_letters WHERE id = ?", (cursor.lastrowid,)
            ).fetchone()
        return _record(row)

    def records(self, limit: int = 500) -> list[PrintRecord]:
        """The most recently printed letters first.

        Raises:
            PrintHistoryError: the database could not be read.
        """
        with self._connect() as db:
            rows = db.execute(
                "SELECT * FROM printed_letters ORDER BY printed_at DESC, id DESC LIMIT ?", (limit,)
            ).fetchall()
        return [_record(row) for row in rows]

    def get(self, record_id: int) -> PrintRecord | None:
        """One row by its number, or None.

        Raises:
            PrintHistoryError: the database could not be read.
        """
        with self._connect() as db:
            row = db.execute("SELECT * FROM printed_letters WHERE id = ?", (record_id,)).fetchone()
        return None if row is None else _record(row)

    def mark_mailed(self, record_id: int, mailed: bool = True) -> PrintRecord:
        """Mark a printed letter mailed now (or, with `mailed` false, not mailed after all).

        A letter already marked keeps the date it was first marked.

        Raises:
            PrintHistoryError: no such row, or the database could not be written.
        """
        with self._connect() as db:
            if mailed:
                db.execute(
                    "UPDATE printed_letters SET mailed_at = ? WHERE id = ? AND mailed_at IS NULL",
                    (self._clock().isoformat(timespec="seconds"), record_id),
                )
            else:
                db.execute("UPDATE printed_letters SET mailed_at = NULL WHERE id = ?", (record_id,))
            row = db.execute("SELECT * FROM printed_letters WHERE id = ?", (record_id,)).fetchone()
        if row is None:
            raise PrintHistoryError(
                _("There is no printed letter number {number} in the history.").format(
                    number=record_id
                )
            )
        return _record(row)
