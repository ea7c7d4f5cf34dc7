"""The schema and transaction helpers the stores share, on a real SQLite file."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from composer.core.storage import ThreadConnections, connect, create_schema, write_transaction

SCRIPT = """
CREATE TABLE IF NOT EXISTS notes_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);
"""


class NotesError(Exception):
    """The error a store using the helpers raises."""


def notes_error(error: BaseException) -> NotesError:
    return NotesError(f"the notes cannot be used: {error}")


@pytest.fixture
def db(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    connection = connect(tmp_path / "notes.sqlite3")
    yield connection
    connection.close()


def tables(db: sqlite3.Connection) -> set[str]:
    return {str(row[0]) for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def notes(db: sqlite3.Connection) -> list[str]:
    return [str(row[0]) for row in db.execute("SELECT text FROM notes ORDER BY id")]


def test_schema_is_created_once_and_keeps_its_first_version(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    first = connect(path)
    create_schema(first, SCRIPT, meta_table="notes_meta", version=1, error_for=notes_error)
    first.execute("INSERT INTO notes (text) VALUES ('kept')")
    first.close()

    # A later start runs the script again, even with a newer version number.
    second = connect(path)
    try:
        create_schema(second, SCRIPT, meta_table="notes_meta", version=2, error_for=notes_error)
        assert tables(second) == {"notes_meta", "notes"}
        assert second.execute("SELECT key, value FROM notes_meta").fetchall() == [
            ("schema_version", "1")
        ]
        assert notes(second) == ["kept"]
        assert not second.in_transaction
    finally:
        second.close()


def test_a_failing_statement_creates_nothing_and_raises_the_callers_error(
    db: sqlite3.Connection,
) -> None:
    broken = SCRIPT + "CREATE TABLE notes_meta (key TEXT);"

    with pytest.raises(
        NotesError, match="the notes cannot be used: table notes_meta already"
    ) as info:
        create_schema(db, broken, meta_table="notes_meta", version=1, error_for=notes_error)

    assert isinstance(info.value.__cause__, sqlite3.OperationalError)
    assert not db.in_transaction
    assert tables(db) == set()
    # The connection is still usable: the good script goes through afterwards.
    create_schema(db, SCRIPT, meta_table="notes_meta", version=1, error_for=notes_error)
    assert tables(db) == {"notes_meta", "notes"}


def test_the_meta_table_must_be_a_plain_name(db: sqlite3.Connection) -> None:
    with pytest.raises(ValueError, match="not a table name"):
        create_schema(
            db, SCRIPT, meta_table="notes_meta; DROP TABLE x", version=1, error_for=notes_error
        )
    assert tables(db) == set()


def test_a_transaction_commits_when_the_block_ends(tmp_path: Path, db: sqlite3.Connection) -> None:
    create_schema(db, SCRIPT, meta_table="notes_meta", version=1, error_for=notes_error)

    with write_transaction(db, notes_error) as same:
        assert same is db
        assert db.in_transaction
        db.execute("INSERT INTO notes (text) VALUES ('one')")

    assert not db.in_transaction
    other = connect(tmp_path / "notes.sqlite3")
    try:
        assert notes(other) == ["one"]
    finally:
        other.close()


def test_an_exception_in_the_block_rolls_back_and_is_raised_unchanged(
    db: sqlite3.Connection,
) -> None:
    create_schema(db, SCRIPT, meta_table="notes_meta", version=1, error_for=notes_error)
    problem = LookupError("not found")

    with pytest.raises(LookupError) as info, write_transaction(db, notes_error):
        db.execute("INSERT INTO notes (text) VALUES ('lost')")
        raise problem

    assert info.value is problem
    assert not db.in_transaction
    assert notes(db) == []


def test_an_sqlite_error_in_the_block_rolls_back_and_becomes_the_callers_error(
    db: sqlite3.Connection,
) -> None:
    create_schema(db, SCRIPT, meta_table="notes_meta", version=1, error_for=notes_error)
    db.execute("INSERT INTO notes (text) VALUES ('twice')")

    with (
        pytest.raises(NotesError, match="UNIQUE constraint failed") as info,
        write_transaction(db, notes_error),
    ):
        db.execute("INSERT INTO notes (text) VALUES ('lost')")
        db.execute("INSERT INTO notes (text) VALUES ('twice')")

    assert isinstance(info.value.__cause__, sqlite3.IntegrityError)
    assert not db.in_transaction
    assert notes(db) == ["twice"]


def test_only_the_named_failures_are_translated(db: sqlite3.Connection) -> None:
    create_schema(db, SCRIPT, meta_table="notes_meta", version=1, error_for=notes_error)

    with pytest.raises(FileNotFoundError), write_transaction(db, notes_error):
        raise FileNotFoundError("gone")
    with (
        pytest.raises(NotesError, match="gone") as info,
        write_transaction(db, notes_error, translated=(sqlite3.Error, OSError)),
    ):
        db.execute("INSERT INTO notes (text) VALUES ('lost')")
        raise FileNotFoundError("gone")

    assert isinstance(info.value.__cause__, FileNotFoundError)
    assert notes(db) == []


def test_a_database_locked_by_another_connection_raises_the_callers_error(
    tmp_path: Path, db: sqlite3.Connection
) -> None:
    create_schema(db, SCRIPT, meta_table="notes_meta", version=1, error_for=notes_error)
    holder = connect(tmp_path / "notes.sqlite3")
    try:
        holder.execute("BEGIN IMMEDIATE")
        db.execute("PRAGMA busy_timeout=50")

        with pytest.raises(NotesError, match="locked"), write_transaction(db, notes_error):
            pytest.fail("the block must not run without the write lock")

        assert not db.in_transaction
        holder.execute("ROLLBACK")
    finally:
        holder.close()
    with write_transaction(db, notes_error):
        db.execute("INSERT INTO notes (text) VALUES ('later')")
    assert notes(db) == ["later"]


def test_each_thread_gets_its_own_connection_after_the_file_is_made_ready(
    tmp_path: Path,
) -> None:
    prepared: list[sqlite3.Connection] = []

    def prepare(connection: sqlite3.Connection) -> None:
        create_schema(connection, SCRIPT, meta_table="notes_meta", version=1, error_for=notes_error)
        prepared.append(connection)

    connections = ThreadConnections(tmp_path / "folder" / "notes.sqlite3", prepare)
    mine = connections.get()
    assert connections.get() is mine and prepared == [mine]
    theirs: list[sqlite3.Connection] = []
    worker = threading.Thread(target=lambda: theirs.append(connections.get()))
    worker.start()
    worker.join()
    assert theirs[0] is not mine and prepared == [mine]  # made ready once
    assert connections.count() == 2
    connections.close()
    assert connections.count() == 0
    with pytest.raises(sqlite3.ProgrammingError):
        mine.execute("SELECT 1")
    assert connections.get() is not mine  # a new one after closing


def test_a_file_that_could_not_be_made_ready_is_never_used(tmp_path: Path) -> None:
    attempts: list[sqlite3.Connection] = []

    def prepare(connection: sqlite3.Connection) -> None:
        attempts.append(connection)
        if len(attempts) == 1:
            raise NotesError("not this time")
        create_schema(connection, SCRIPT, meta_table="notes_meta", version=1, error_for=notes_error)

    connections = ThreadConnections(tmp_path / "notes.sqlite3", prepare)
    with pytest.raises(NotesError, match="not this time"):
        connections.get()
    assert connections.count() == 0
    with pytest.raises(sqlite3.ProgrammingError):  # the failed one was closed
        attempts[0].execute("SELECT 1")
    db = connections.get()  # tried again, and ready this time
    assert db is attempts[1] and "notes" in tables(db)
    connections.close()
