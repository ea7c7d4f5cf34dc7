"""Drafts: every letter being written is kept in SQLite, so nothing typed is lost.

A draft is the whole letter (see :mod:`composer.core.letterfile`: campaign,
chosen arguments, recipients, subject, body, sender, date, paper) plus a name
and two times. While a window edits a draft, the draft records which process
has it open (its *owner*); a window that closes properly clears it. A draft
whose owner is no longer running was left behind by a crash or a ``kill -9``,
and :meth:`DraftStore.abandoned` finds it so the next start can offer it back.

The tables are named ``drafts_*``; the outbox and other parts of the program
keep their own tables in the same database file. Each thread gets its own
connection; one store may be shared between the window and a saving thread.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from composer.core.letterfile import (
    PAPERS,
    LetterDocument,
    LetterFileError,
    letter_from_dict,
    letter_to_dict,
)
from composer.core.markup import html_to_text
from composer.core.storage import (
    DatabaseUnavailable,
    ThreadConnections,
    create_schema,
    describe_database_error,
    host_name,
    is_corruption,
    is_disk_full,
    write_transaction,
)
from composer.i18n import _

log = logging.getLogger(__name__)


def _new_id() -> str:
    """A fresh random id (uuid loads here: the window's start does not need it)."""
    import uuid

    return uuid.uuid4().hex


SCHEMA_VERSION = 1
DATA_FORMAT = 1
SUMMARY_CHARS = 160
# Only the start of the body is read for the summary shown in lists: a huge
# letter must not make every save slow.
_SUMMARY_SOURCE_CHARS = 40_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS drafts_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS drafts_letters (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL DEFAULT '',
    subject TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL DEFAULT '',
    campaign_id TEXT NOT NULL DEFAULT '',
    paper TEXT NOT NULL DEFAULT '',
    data TEXT NOT NULL,
    data_format INTEGER NOT NULL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    owner TEXT NOT NULL DEFAULT '',
    revision INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX IF NOT EXISTS drafts_letters_updated ON drafts_letters (updated_at);
"""

_INFO_COLUMNS = "id, name, subject, summary, campaign_id, paper, created_at, updated_at, owner"


class DraftError(Exception):
    """A draft could not be saved or read; the message says why in plain words.

    Attributes:
        disk_full: the disk (or quota) is full.
        damaged: the database file is damaged.
    """

    def __init__(self, message: str, *, disk_full: bool = False, damaged: bool = False) -> None:
        super().__init__(message)
        self.disk_full = disk_full
        self.damaged = damaged


@dataclass(frozen=True)
class DraftInfo:
    """What a list of drafts shows about one draft.

    Attributes:
        id: the draft's id.
        name: the name the user gave it ("" if none).
        subject: the letter's subject.
        summary: the first words of the body.
        campaign_id: the campaign it belongs to.
        paper: "letter", "a4" or "".
        created_at: when it was first saved (seconds since the epoch).
        updated_at: when it was last saved.
        owner: the process that has it open ("" when it was closed properly).
    """

    id: str
    name: str
    subject: str
    summary: str
    campaign_id: str
    paper: str
    created_at: float
    updated_at: float
    owner: str

    @property
    def title(self) -> str:
        """The name to show: the user's name, else the subject, else the first words."""
        for candidate in (self.name, self.subject, self.summary):
            if candidate.strip():
                return " ".join(candidate.split())[:80]
        return _("Untitled letter")


@dataclass(frozen=True)
class Draft:
    """A stored draft: its list entry and the letter it holds."""

    info: DraftInfo
    document: LetterDocument


# --- who has a draft open ---------------------------------------------------------------------


def _start_time(pid: int) -> str:
    """The kernel's start time of a process (Linux), to tell a reused process id apart."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            stat = handle.read().decode("ascii", "replace")
    except OSError:
        return ""
    # The command name (field 2) may hold spaces; fields after its closing bracket are fixed.
    fields = stat.rpartition(")")[2].split()
    return fields[19] if len(fields) > 19 else ""


def process_tag(pid: int | None = None) -> str:
    """A tag naming a running process: ``pid@host@start-time``."""
    pid = os.getpid() if pid is None else pid
    return f"{pid}@{host_name()}@{_start_time(pid)}"


def owner_is_running(tag: str) -> bool:
    """Whether the process named by a tag from :func:`process_tag` still runs."""
    pid_text, _at, rest = tag.partition("@")
    host, _at, started = rest.partition("@")
    if not pid_text.isdigit() or host != host_name():
        # Another machine (a shared home folder) cannot be checked; treat it as gone,
        # so its letters are offered rather than hidden.
        return False
    pid = int(pid_text)
    if sys.platform == "win32":  # os.kill would end the process there
        return pid == os.getpid()
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return not started or _start_time(pid) in ("", started)


# --- the store ----------------------------------------------------------------------------------


def _storable(text: str) -> str:
    """Text SQLite can store: a lone surrogate (invalid in UTF-8) becomes U+FFFD.

    Used for the columns shown in lists only; the letter itself is stored as
    ASCII-escaped JSON and comes back exactly.
    """
    return text.encode("utf-8", "replace").decode("utf-8")


def summary_of(body_html: str) -> str:
    """The first words of a body, for lists."""
    # The editor's HTML has a <head> with a style sheet: start after <body> when there is one.
    start = body_html.find("<body")
    text = html_to_text(body_html[max(0, start) :][:_SUMMARY_SOURCE_CHARS])
    return _storable(" ".join(text.split())[:SUMMARY_CHARS])


def _info(row: sqlite3.Row) -> DraftInfo:
    return DraftInfo(
        id=str(row["id"]),
        name=str(row["name"]),
        subject=str(row["subject"]),
        summary=str(row["summary"]),
        campaign_id=str(row["campaign_id"]),
        paper=str(row["paper"]),
        created_at=float(row["created_at"]),
        updated_at=float(row["updated_at"]),
        owner=str(row["owner"]),
    )


class DraftStore:
    """Drafts kept in the letters database.

    Args:
        path: the database file (created with its folder when missing).
        clock: returns the time in seconds since the epoch (tests pass their own).
        owner: the tag saved drafts are marked with while open (default: this process).
    """

    def __init__(
        self,
        path: Path,
        clock: Callable[[], float] = time.time,
        owner: str | None = None,
    ) -> None:
        self.path = Path(path)
        self.owner = owner if owner is not None else process_tag()
        self._clock = clock
        self._connections = ThreadConnections(self.path, self._create_schema)

    # -- connections -------------------------------------------------------------------

    def _error(self, error: BaseException) -> DraftError:
        return DraftError(
            describe_database_error(error, self.path),
            disk_full=is_disk_full(error),
            damaged=is_corruption(error),
        )

    def _db(self) -> sqlite3.Connection:
        try:
            return self._connections.get()
        except DatabaseUnavailable as error:
            raise DraftError(
                str(error), disk_full=is_disk_full(error.__cause__ or error)
            ) from error

    def _create_schema(self, db: sqlite3.Connection) -> None:
        create_schema(
            db, _SCHEMA, meta_table="drafts_meta", version=SCHEMA_VERSION, error_for=self._error
        )

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with write_transaction(self._db(), self._error, translated=(sqlite3.Error, OSError)) as db:
            yield db

    def close(self) -> None:
        """Close every connection (call once no thread uses the store any more)."""
        self._connections.close()

    # -- saving and reading ---------------------------------------------------------------

    def save(
        self, draft_id: str | None, document: LetterDocument, *, open_here: bool = True
    ) -> str:
        """Save a letter as a draft; returns the draft's id (a new one when `draft_id` is None).

        The draft's name is set when it is created (from ``document.name``) and
        afterwards only by :meth:`rename`, so a rename made in the drafts list is
        not undone by the next automatic save.

        Args:
            draft_id: the draft to overwrite, or None to create one.
            document: the letter, its paper and (for a new draft) its name.
            open_here: mark the draft as open in this process (False: closed properly).

        Raises:
            DraftError: the draft could not be written (disk full, no permission…).
        """
        if document.paper not in PAPERS:
            raise ValueError(_("unknown paper {paper!r}").format(paper=document.paper))
        data = json.dumps(letter_to_dict(document.letter), ensure_ascii=True)
        letter = document.letter
        now = self._clock()
        owner = self.owner if open_here else ""
        values = (
            _storable(letter.subject),
            summary_of(letter.body_html),
            _storable(letter.campaign_id),
            document.paper,
            data,
            DATA_FORMAT,
            now,
            owner,
        )
        with self._transaction() as db:
            if draft_id is not None:
                cursor = db.execute(
                    "UPDATE drafts_letters SET subject = ?, summary = ?, campaign_id = ?, "
                    "paper = ?, data = ?, data_format = ?, updated_at = ?, owner = ?, "
                    "revision = revision + 1 WHERE id = ?",
                    (*values, draft_id),
                )
                if cursor.rowcount:
                    return draft_id
            new_id = draft_id or _new_id()
            db.execute(
                "INSERT INTO drafts_letters (subject, summary, campaign_id, paper, data, "
                "data_format, updated_at, owner, id, name, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (*values, new_id, _storable(document.name), now),
            )
            return new_id

    def load(self, draft_id: str) -> Draft:
        """Read one draft.

        Raises:
            DraftError: there is no such draft, or it cannot be read.
        """
        try:
            row = (
                self._db()
                .execute(
                    f"SELECT {_INFO_COLUMNS}, data, data_format FROM drafts_letters WHERE id = ?",
                    (draft_id,),
                )
                .fetchone()
            )
        except sqlite3.Error as error:
            raise self._error(error) from error
        if row is None:
            raise DraftError(_("That draft no longer exists; it may have been deleted."))
        return _draft(row)

    def entries(self) -> list[DraftInfo]:
        """Every draft, the most recently saved first."""
        try:
            rows = (
                self._db()
                .execute(f"SELECT {_INFO_COLUMNS} FROM drafts_letters ORDER BY updated_at DESC")
                .fetchall()
            )
        except sqlite3.Error as error:
            raise self._error(error) from error
        return [_info(row) for row in rows]

    def rename(self, draft_id: str, name: str) -> None:
        """Give a draft a name (shown in the drafts list).

        Raises:
            DraftError: the name could not be saved.
        """
        with self._transaction() as db:
            db.execute(
                "UPDATE drafts_letters SET name = ? WHERE id = ?",
                (_storable(" ".join(name.split())), draft_id),
            )

    def delete(self, draft_id: str) -> None:
        """Delete a draft for good.

        Raises:
            DraftError: the database could not be written.
        """
        with self._transaction() as db:
            db.execute("DELETE FROM drafts_letters WHERE id = ?", (draft_id,))

    def claim(self, draft_id: str) -> None:
        """Mark a draft as open in this process (it was reopened in the window)."""
        with self._transaction() as db:
            db.execute("UPDATE drafts_letters SET owner = ? WHERE id = ?", (self.owner, draft_id))

    def release(self, draft_id: str) -> None:
        """Mark a draft as closed properly: it is no longer offered after a crash."""
        with self._transaction() as db:
            db.execute("UPDATE drafts_letters SET owner = '' WHERE id = ?", (draft_id,))

    def abandoned(self) -> list[DraftInfo]:
        """Drafts left open by a process that is no longer running (a crash or a kill)."""
        return [
            info
            for info in self.entries()
            if info.owner and info.owner != self.owner and not owner_is_running(info.owner)
        ]

    def integrity(self) -> str:
        """SQLite's own check of the whole file: "ok" when it is sound."""
        try:
            rows = self._db().execute("PRAGMA integrity_check").fetchall()
        except sqlite3.Error as error:
            raise self._error(error) from error
        return "; ".join(str(row[0]) for row in rows)


def _draft(row: sqlite3.Row) -> Draft:
    info = _info(row)
    if int(row["data_format"]) > DATA_FORMAT:
        raise DraftError(
            _(
                "The draft “{title}” was saved by a newer version of Letter Composer; "
                "update the program to open it."
            ).format(title=info.title)
        )
    try:
        letter = letter_from_dict(json.loads(row["data"]))
    except (ValueError, RecursionError, LetterFileError) as error:
        raise DraftError(
            _("The draft “{title}” is damaged and cannot be opened: {error}.").format(
                title=info.title, error=error
            )
        ) from error
    paper = info.paper if info.paper in PAPERS else ""
    return Draft(info=info, document=LetterDocument(letter=letter, paper=paper, name=info.name))


def _readable_rows(path: Path) -> dict[str, sqlite3.Row]:
    found: dict[str, sqlite3.Row] = {}
    try:
        source = sqlite3.connect(path, timeout=2.0)
    except sqlite3.Error as error:
        log.warning("the damaged database %s cannot be opened: %s", path, error)
        return found
    source.row_factory = sqlite3.Row
    try:
        for order in ("ASC", "DESC"):
            try:
                for row in source.execute(
                    f"SELECT {_INFO_COLUMNS}, data, data_format, revision "
                    f"FROM drafts_letters ORDER BY rowid {order}"
                ):
                    found.setdefault(str(row["id"]), row)
            except sqlite3.Error as error:
                log.info("reading drafts %s from %s stopped: %s", order, path, error)
    finally:
        source.close()
    return found


def salvage_drafts(damaged: Path, target: Path) -> int:
    """Copy every draft that can still be read from a damaged database into another one.

    Rows are read from both ends of the table, so damage in the middle loses
    only what lies in the damaged pages. Drafts keep their owner, so letters a
    crash left open are still offered back.

    Returns:
        How many drafts were copied.
    """
    with tempfile.TemporaryDirectory(prefix="composer-rescue-") as scratch:
        # Read from a copy: opening the damaged file itself could make SQLite apply or
        # delete its write-ahead log, and the moved-aside file must stay as it was.
        copy = Path(scratch) / "damaged.sqlite3"
        try:
            shutil.copyfile(damaged, copy)
            wal = damaged.with_name(damaged.name + "-wal")
            if wal.exists():
                shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
        except OSError as error:
            log.warning("the damaged database %s cannot be copied: %s", damaged, error)
            return 0
        found = _readable_rows(copy)
    usable = []
    for row in found.values():
        try:
            _draft(row)
        except (DraftError, KeyError, TypeError, ValueError):
            continue
        usable.append(row)
    if not usable:
        return 0
    store = DraftStore(target)
    try:
        with store._transaction() as db:
            for row in usable:
                db.execute(
                    "INSERT OR IGNORE INTO drafts_letters (id, name, subject, summary, "
                    "campaign_id, paper, data, data_format, created_at, updated_at, owner, "
                    "revision) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    tuple(
                        row[key]
                        for key in (
                            "id",
                            "name",
                            "subject",
                            "summary",
                            "campaign_id",
                            "paper",
                            "data",
                            "data_format",
                            "created_at",
                            "updated_at",
                            "owner",
                            "revision",
                        )
                    ),
                )
    finally:
        store.close()
    return len(usable)
