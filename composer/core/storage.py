"""Opening the letters database safely, and finding out at start-up what is wrong with storage.

The database (drafts, outbox, history) is one SQLite file in write-ahead-log
mode. At start-up :func:`check_storage` looks at it and at the folders the
program writes to, before anything else opens the file:

* a database SQLite cannot read (damaged, truncated, not a database at all) is
  moved aside to ``letters.sqlite3.corrupt-<timestamp>`` together with its
  write-ahead log, a fresh one is started, and the drafts that can still be
  read from the damaged copy are copied over;
* a folder that cannot be written (no permission, read-only disk, a file
  where the folder should be, a full disk) is reported.

The stores that keep tables in the file (drafts, outbox) hold one connection
per thread in a :class:`ThreadConnections`, create their tables with
:func:`create_schema` and write through :func:`write_transaction`, each
raising its own error type.

Nothing here deletes a user's file. Every problem comes back as a
:class:`StorageProblem` whose message says what happened, where the old file
went, and what the user can do.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import logging
import os
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

from composer.core.fileio import describe_os_error
from composer.core.locations import Locations
from composer.i18n import _, ngettext

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 15_000

# What a StorageProblem is about (its `kind`).
DATABASE = "database"
DATA_FOLDER = "data folder"
CONFIG_FOLDER = "config folder"
STATE_FOLDER = "state folder"
CORRUPT_SUFFIX = ".corrupt-"
SQLITE_HEADER = b"SQLite format 3\x00"
# Words in SQLite's messages that mean the file itself is bad (not merely busy or locked).
_CORRUPTION_WORDS = ("malformed", "not a database", "corrupt", "disk image")


def host_name() -> str:
    """This machine's name (in the process tags drafts and the outbox write), as ``socket.gethostname()`` gives it (without loading sockets
    where the system call is at hand)."""
    if hasattr(os, "uname"):
        return os.uname().nodename
    import socket

    return socket.gethostname()


class DatabaseUnavailable(Exception):
    """The database cannot be opened or written; the message says why in plain words."""


def is_disk_full(error: BaseException) -> bool:
    """Whether an error from SQLite or the OS means the disk (or quota) is full."""
    if isinstance(error, OSError):
        return error.errno in (errno.ENOSPC, errno.EDQUOT)
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None and code == getattr(sqlite3, "SQLITE_FULL", 13):
        return True
    return "disk is full" in str(error) or "database or disk is full" in str(error)


def is_corruption(error: BaseException) -> bool:
    """Whether an SQLite error means the file is damaged (as opposed to locked or unwritable)."""
    code = getattr(error, "sqlite_errorcode", None)
    if code in (getattr(sqlite3, "SQLITE_CORRUPT", 11), getattr(sqlite3, "SQLITE_NOTADB", 26)):
        return True
    text = str(error).lower()
    return any(word in text for word in _CORRUPTION_WORDS)


def describe_database_error(error: BaseException, path: Path) -> str:
    """A sentence a user can act on, for an error met while using the database."""
    if is_disk_full(error):
        return _(
            "The disk is full: {path} cannot be written. Free some space; until then "
            "your letter is kept in memory only, so save it somewhere else (File ▸ Save As…)."
        ).format(path=path)
    if isinstance(error, OSError):
        return describe_os_error(error, path)
    text = str(error).lower()
    if "readonly" in text or "read-only" in text or "permission" in text:
        return _(
            "No permission to write {path}. Check that its folder is writable; until then "
            "save your letter somewhere else (File ▸ Save As…)."
        ).format(path=path)
    if "locked" in text or "busy" in text:
        return _(
            "{path} is in use by another program and could not be written just now. "
            "Your letter is kept in memory; it will be saved again shortly."
        ).format(path=path)
    if "unable to open" in text:
        return _(
            "{path} could not be opened. Check that its folder exists and is writable; "
            "until then save your letter somewhere else (File ▸ Save As…)."
        ).format(path=path)
    if is_corruption(error):
        return _(
            "{path} is damaged. Restart the program: it will move the damaged file aside "
            "and start a new one. Save your letter somewhere else first (File ▸ Save As…)."
        ).format(path=path)
    return _("{path} could not be used: {error}.").format(path=path, error=error)


def _use_wal(db: sqlite3.Connection) -> None:
    """Put the database in write-ahead-log mode (it stays so, in the file).

    Switching the mode needs the database to itself, and SQLite answers "locked"
    at once, without waiting, when another connection is opening it at the same
    moment (the drafts, the outbox and the print history start together). So the
    mode is only set when it is not WAL yet, and the switch is tried again for
    as long as a busy database is waited for elsewhere.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            if str(db.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
                db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            text = str(error).lower()
            if ("locked" not in text and "busy" not in text) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def connect(path: Path, *, create_folder: bool = True) -> sqlite3.Connection:
    """Open the letters database in write-ahead-log mode, ready for use from one thread.

    Raises:
        DatabaseUnavailable: the file or its folder cannot be opened.
    """
    path = Path(path)
    try:
        if create_folder:
            path.parent.mkdir(parents=True, exist_ok=True)
        # check_same_thread=False only so that a store can close every thread's connection
        # at shutdown; each connection is still used by the thread that opened it.
        db = sqlite3.connect(
            path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
        )
    except (OSError, sqlite3.Error) as error:
        raise DatabaseUnavailable(describe_database_error(error, path)) from error
    try:
        db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        _use_wal(db)
        # FULL: what was reported saved survives a power cut, not only a crash.
        db.execute("PRAGMA synchronous=FULL")
    except sqlite3.Error as error:
        db.close()
        raise DatabaseUnavailable(describe_database_error(error, path)) from error
    return db


class ThreadConnections:
    """A store's connections to the database: one per thread, opened on first use.

    The first connection also makes the file ready for the store (`prepare`
    creates or moves its tables). If that fails, the connection is closed, the
    error passes on, and the next use tries again: no thread ever works on a
    file that was not made ready. :meth:`close` closes every thread's connection.

    Args:
        path: the database file (its folder is created when missing).
        prepare: makes the file ready, given the first connection.
    """

    def __init__(self, path: Path, prepare: Callable[[sqlite3.Connection], None]) -> None:
        self.path = Path(path)
        self._prepare = prepare
        self._lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []
        self._ready = False
        self._slots: dict[int, SimpleNamespace] = {}

    @property
    def local(self) -> SimpleNamespace:
        """This thread's connection (``db``) and what the store keeps beside it.

        Kept by the thread's system id rather than in a ``threading.local``: a thread of
        a Qt thread pool gets a new Python thread state for every task it runs, which
        would lose the connection — and open one more, never closed — at each task.
        """
        ident = threading.get_ident()
        with self._lock:
            slot = self._slots.get(ident)
            if slot is None:
                slot = self._slots[ident] = SimpleNamespace()
        return slot

    def get(self) -> sqlite3.Connection:
        """This thread's connection (rows as :class:`sqlite3.Row`).

        Raises:
            DatabaseUnavailable: the file cannot be opened.
            Exception: what `prepare` raised.
        """
        slot = self.local
        db: sqlite3.Connection | None = getattr(slot, "db", None)
        if db is not None:
            return db
        db = connect(self.path)
        db.row_factory = sqlite3.Row
        with self._lock:
            ready = self._ready
        if not ready:
            try:
                self._prepare(db)
            except BaseException:
                db.close()
                raise
            with self._lock:
                self._ready = True
        slot.db = db
        with self._lock:
            self._connections.append(db)
        return db

    def count(self) -> int:
        """How many threads have a connection open."""
        with self._lock:
            return len(self._connections)

    def close(self) -> None:
        """Close every thread's connection (once no thread uses the store any more)."""
        with self._lock:
            connections, self._connections = self._connections, []
            self._slots = {}
        for db in connections:
            with contextlib.suppress(sqlite3.Error):
                db.close()


def create_schema(
    db: sqlite3.Connection,
    script: str,
    *,
    meta_table: str,
    version: int,
    error_for: Callable[[Exception], Exception],
) -> None:
    """Create a store's tables in one immediate transaction and record its schema version.

    The statements must be idempotent (``CREATE … IF NOT EXISTS``): every store
    runs its script when it first connects, and an existing version row is kept.

    Args:
        db: a connection from :func:`connect` (in autocommit mode).
        script: the statements, separated by semicolons.
        meta_table: the store's table of ``key``/``value`` rows, created by the script.
        version: the schema version written the first time.
        error_for: turns an SQLite error into the exception the store raises.

    Raises:
        Exception: what ``error_for`` made of the SQLite error; nothing was created.
    """
    if not meta_table.isidentifier():
        raise ValueError(_("not a table name: {name!r}").format(name=meta_table))
    with write_transaction(db, error_for):
        run_script(db, script)
        db.execute(
            f"INSERT OR IGNORE INTO {meta_table} (key, value) VALUES ('schema_version', ?)",
            (str(version),),
        )


def run_script(db: sqlite3.Connection, script: str) -> None:
    """Run statements separated by semicolons, in the caller's transaction.

    (``executescript`` would commit the transaction first.)
    """
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


@contextlib.contextmanager
def write_transaction(
    db: sqlite3.Connection,
    error_for: Callable[[Exception], Exception],
    *,
    translated: tuple[type[Exception], ...] = (sqlite3.Error,),
) -> Iterator[sqlite3.Connection]:
    """One immediate write transaction on a connection in autocommit mode.

    It commits when the block ends and rolls back when anything escapes it.

    Args:
        db: a connection from :func:`connect`.
        error_for: turns a failure of the database into the exception the store raises.
        translated: the failures handed to ``error_for``; any other exception is
            raised again as it is, after the rollback.

    Raises:
        Exception: what ``error_for`` made of the failure (chained to it).
    """
    try:
        db.execute("BEGIN IMMEDIATE")
        yield db
        db.execute("COMMIT")
    except translated as error:
        _roll_back(db)
        raise error_for(error) from error
    except BaseException:
        _roll_back(db)
        raise


def _roll_back(db: sqlite3.Connection) -> None:
    # A failed rollback must not hide the error that caused it.
    with contextlib.suppress(sqlite3.Error):
        if db.in_transaction:
            db.execute("ROLLBACK")


@dataclass(frozen=True)
class StorageProblem:
    """Something wrong with where the program keeps its files.

    Attributes:
        kind: "database", "data folder", "config folder" or "state folder".
        message: what happened and what to do, in plain words.
        moved_to: where a damaged file was moved, when it was.
        blocks_drafts: drafts cannot be saved automatically this session.
    """

    kind: str
    message: str
    moved_to: Path | None = None
    blocks_drafts: bool = False


@dataclass
class StorageReport:
    """What :func:`check_storage` found.

    Attributes:
        problems: everything wrong, in the order found (empty when all is well).
        salvaged_drafts: how many drafts were copied out of a damaged database.
    """

    problems: list[StorageProblem] = field(default_factory=list)
    salvaged_drafts: int = 0

    @property
    def drafts_usable(self) -> bool:
        """Whether drafts can be saved to the database this session."""
        return not any(problem.blocks_drafts for problem in self.problems)


def _timestamp(clock: Callable[[], float]) -> str:
    return dt.datetime.fromtimestamp(clock()).strftime("%Y%m%d-%H%M%S")


def _companions(path: Path) -> list[tuple[Path, str]]:
    """The write-ahead log and shared-memory files that belong to a database file."""
    return [(path.with_name(path.name + suffix), suffix) for suffix in ("-wal", "-shm")]


def move_aside(path: Path, clock: Callable[[], float] = time.time) -> Path:
    """Rename a damaged database (and its log files) to ``<name>.corrupt-<timestamp>``.

    The log files keep their suffix after the new name, so SQLite finds them
    if someone opens the moved copy to rescue what it holds.

    Raises:
        OSError: the file could not be renamed.
    """
    stamp = _timestamp(clock)
    target = path.with_name(f"{path.name}{CORRUPT_SUFFIX}{stamp}")
    counter = 1
    while target.exists():
        counter += 1
        target = path.with_name(f"{path.name}{CORRUPT_SUFFIX}{stamp}-{counter}")
    os.replace(path, target)
    for companion, suffix in _companions(path):
        if companion.exists():
            try:
                os.replace(companion, target.with_name(target.name + suffix))
            except OSError as error:
                # A stale log beside a new database would be applied to it: remove it.
                log.warning("could not move %s aside (%s); removing it", companion, error)
                with contextlib.suppress(OSError):
                    companion.unlink()
    return target


def database_damage(path: Path) -> str | None:
    """Why SQLite cannot use the database file, or None when it reads fine (or is absent).

    Only damage counts: a file that is locked by another program, or that cannot be
    opened for lack of permission, is not damaged and is never moved aside.
    """
    path = Path(path)
    if not path.exists() or path.is_dir():
        return None
    try:
        with open(path, "rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError:
        return None
    if header and header != SQLITE_HEADER:
        # Not opened at all: SQLite would delete a write-ahead log beside it on closing,
        # and that log goes with the file when it is moved aside.
        return "file is not a database"
    try:
        # Not read-only: a database in WAL mode may need its -shm file created to be read.
        db = sqlite3.connect(path, timeout=2.0)
    except sqlite3.Error as error:
        return str(error) if is_corruption(error) else None
    try:
        rows = db.execute("PRAGMA quick_check").fetchall()
    except sqlite3.Error as error:
        return str(error) if is_corruption(error) else None
    finally:
        db.close()
    results = [str(row[0]) for row in rows]
    return None if results == ["ok"] else "; ".join(results[:3])


def probe_folder(folder: Path) -> OSError | None:
    """Try to create the folder and write a small file in it; the error, or None if it works."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=".write-test-", dir=folder)
        try:
            os.write(fd, b"ok")
        finally:
            os.close(fd)
            os.unlink(name)
    except OSError as error:
        return error
    return None


def _folder_problem(sentence: str, folder: Path, error: OSError, consequence: str) -> str:
    """`sentence` (with {folder} and {reason}) filled in, then what follows from it."""
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        reason = _("the disk is full")
    elif error.errno in (errno.ENOTDIR, errno.EEXIST):
        reason = _("a file is in the way where the folder should be")
    elif error.errno in (errno.EACCES, errno.EPERM):
        reason = _("there is no permission to write there")
    elif error.errno == errno.EROFS:
        reason = _("the disk is read-only")
    else:
        reason = error.strerror or str(error)
    return f"{sentence.format(folder=folder, reason=reason)} {consequence}"


def check_storage(
    locations: Locations,
    clock: Callable[[], float] = time.time,
    salvage: Callable[[Path, Path], int] | None = None,
) -> StorageReport:
    """Check the database and the folders before the window opens.

    Args:
        locations: where the program keeps its files.
        clock: the time used to stamp a moved-aside file (tests pass their own).
        salvage: copies what can be read from a damaged database (old path, new path)
            into the new one and returns how many letters it saved (the program passes
            :func:`composer.core.drafts.salvage_drafts`; storage does not know drafts).
    """
    report = StorageReport()
    data_error = probe_folder(locations.data_dir)
    if data_error is not None:
        report.problems.append(
            StorageProblem(
                DATA_FOLDER,
                _folder_problem(
                    _("The data folder {folder} cannot be written: {reason}."),
                    locations.data_dir,
                    data_error,
                    _(
                        "Letters cannot be saved automatically. Your text stays in the window; "
                        "use File ▸ Save As… to keep it somewhere else."
                    ),
                ),
                blocks_drafts=True,
            )
        )
    config_error = probe_folder(locations.config_dir)
    if config_error is not None:
        report.problems.append(
            StorageProblem(
                CONFIG_FOLDER,
                _folder_problem(
                    _("The settings folder {folder} cannot be written: {reason}."),
                    locations.config_dir,
                    config_error,
                    _("Changes to settings and to your sender profile last only until you quit."),
                ),
            )
        )
    state_error = probe_folder(locations.state_dir)
    if state_error is not None:
        report.problems.append(
            StorageProblem(
                STATE_FOLDER,
                _folder_problem(
                    _("The log folder {folder} cannot be written: {reason}."),
                    locations.state_dir,
                    state_error,
                    _("Error reports cannot be written to the log; they are shown on screen only."),
                ),
            )
        )
    path = locations.database_file
    damage = database_damage(path)
    if damage is None:
        return report
    log.error("the database %s is damaged: %s", path, damage)
    try:
        moved = move_aside(path, clock)
    except OSError as error:
        report.problems.append(
            StorageProblem(
                DATABASE,
                _(
                    "The letters database {path} is damaged ({damage}) and could not be moved "
                    "aside: {reason}. It was left untouched. Letters cannot be saved "
                    "automatically; use File ▸ Save As… to keep your text somewhere else."
                ).format(path=path, damage=damage, reason=error.strerror or error),
                blocks_drafts=True,
            )
        )
        return report
    if salvage is not None:
        try:
            report.salvaged_drafts = salvage(moved, path) if data_error is None else 0
        except Exception:  # rescuing is a bonus; the move aside already protects the user
            log.exception("no drafts could be rescued from %s", moved)
    rescued = (
        ngettext(
            "{n} draft could still be read from it and is in File ▸ Drafts….",
            "{n} drafts could still be read from it and are in File ▸ Drafts….",
            report.salvaged_drafts,
        ).format(n=report.salvaged_drafts)
        if report.salvaged_drafts
        else _("No drafts could be read from it.")
        if salvage is not None
        else ""
    )
    moved_sentence = _(
        "The letters database was damaged and could not be read, so it was moved to "
        "{moved} and a new one was started."
    ).format(moved=moved)
    keep_sentence = _("Keep the old file if letters are missing: it may still hold them.")
    report.problems.append(
        StorageProblem(
            DATABASE,
            " ".join(part for part in (moved_sentence, rescued, keep_sentence) if part),
            moved_to=moved,
        )
    )
    return report
