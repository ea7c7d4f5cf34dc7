"""The print history: printed letters noted with their date, then marked mailed."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from composer.core.locations import Locations
from composer.core.print_history import PrintHistory, PrintHistoryError

TZ = dt.timezone(dt.timedelta(hours=-5))


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 3, 9, 10, 30, tzinfo=TZ)

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def history(locations: Locations, clock: Clock) -> PrintHistory:
    return PrintHistory(locations.database_file, clock=clock)


def _print(history: PrintHistory, name: str = "The President", pages: int = 2) -> int:
    return history.record(
        recipient_id="white-house",
        recipient_name=name,
        subject="Please protect those who refuse to fight",
        paper="letter",
        pages=pages,
        printer="Office",
        campaign_id="protect-russian-defectors",
    ).id


def test_a_printed_letter_says_when(history: PrintHistory) -> None:
    record_id = _print(history)
    [record] = history.records()
    assert record.id == record_id
    assert record.status == "printed on March 9, 2026"
    assert not record.mailed
    assert (record.recipient_name, record.paper, record.pages, record.printer) == (
        "The President",
        "letter",
        2,
        "Office",
    )
    assert record.printed_at == dt.datetime(2026, 3, 9, 10, 30, tzinfo=TZ)


def test_marking_mailed_keeps_the_first_date(history: PrintHistory, clock: Clock) -> None:
    record_id = _print(history)
    clock.now += dt.timedelta(days=1)
    marked = history.mark_mailed(record_id)
    assert marked.status == "printed on March 9, 2026, mailed on March 10, 2026"
    clock.now += dt.timedelta(days=5)
    again = history.mark_mailed(record_id)
    assert again.mailed_at == marked.mailed_at
    unmarked = history.mark_mailed(record_id, mailed=False)
    assert not unmarked.mailed
    assert history.get(record_id) == unmarked


def test_newest_first_and_unknown_ids(history: PrintHistory, clock: Clock) -> None:
    first = _print(history, "First")
    clock.now += dt.timedelta(hours=1)
    second = _print(history, "Second")
    assert [r.id for r in history.records()] == [second, first]
    assert [r.id for r in history.records(limit=1)] == [second]
    assert history.get(9999) is None
    with pytest.raises(PrintHistoryError, match="no printed letter number 9999"):
        history.mark_mailed(9999)


def test_shares_the_database_in_wal_mode_and_touches_only_its_table(
    history: PrintHistory, locations: Locations
) -> None:
    path = locations.database_file
    path.parent.mkdir(parents=True)
    with sqlite3.connect(path) as other:
        other.execute("CREATE TABLE drafts_example (id INTEGER PRIMARY KEY, body TEXT)")
        other.execute("INSERT INTO drafts_example (body) VALUES ('kept')")
    other.close()
    _print(history)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert db.execute("SELECT body FROM drafts_example").fetchall() == [("kept",)]
    db.close()
    assert {t for t in tables if not t.startswith("sqlite_")} == {
        "drafts_example",
        "printed_letters",
    }


def test_writers_in_several_threads_all_land(history: PrintHistory) -> None:
    errors: list[BaseException] = []

    def work(index: int) -> None:
        try:
            for _ in range(5):
                _print(history, f"Recipient {index}")
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert len(history.records()) == 20


@pytest.fixture
def damaged(locations: Locations) -> Iterator[Path]:
    path = locations.database_file
    path.parent.mkdir(parents=True)
    path.write_bytes(b"this is not a database, just text that happens to be here" * 100)
    yield path


def test_a_damaged_database_gives_a_plain_message(damaged: Path) -> None:
    history = PrintHistory(damaged)
    with pytest.raises(PrintHistoryError) as caught:
        history.records()
    message = str(caught.value)
    assert "damaged" in message
    assert str(damaged) in message
    assert "Traceback" not in message


def test_an_unwritable_folder_gives_a_plain_message(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    history = PrintHistory(blocker / "sub" / "letters.sqlite3")
    with pytest.raises(PrintHistoryError):
        _print(history)


def test_wal_switch_waits_for_a_reader_that_holds_the_file(
    locations: Locations, clock: Clock
) -> None:
    path = locations.database_file
    path.parent.mkdir(parents=True)
    reader = sqlite3.connect(path, isolation_level=None)
    reader.execute("CREATE TABLE drafts_example (id INTEGER PRIMARY KEY)")
    reader.execute("BEGIN")
    reader.execute("SELECT * FROM drafts_example").fetchall()  # holds a shared lock
    done = threading.Event()
    errors: list[BaseException] = []

    def write() -> None:
        try:
            _print(PrintHistory(path, clock=clock))
        except BaseException as error:
            errors.append(error)
        finally:
            done.set()

    writer = threading.Thread(target=write)
    writer.start()
    # The writer cannot switch the file to WAL while the reader holds it...
    assert not done.wait(0.5)
    reader.execute("COMMIT")
    reader.close()
    # ...and goes on as soon as the reader lets go.
    assert done.wait(10)
    writer.join(timeout=10)
    assert not errors
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()
