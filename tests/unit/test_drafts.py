"""The drafts store: save, reopen, rename, delete, and find letters a crash left open."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from composer.core.drafts import (
    DraftError,
    DraftStore,
    owner_is_running,
    process_tag,
    salvage_drafts,
)
from composer.core.letterfile import LetterDocument
from composer.core.models import Letter, Sender, white_house
from tests.helpers.letters import full_letter


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        self.now += 1
        return self.now


@pytest.fixture
def store(tmp_path: Path):
    store = DraftStore(tmp_path / "data" / "letters.sqlite3", clock=Clock())
    yield store
    store.close()


def test_save_and_load_keep_everything(store: DraftStore) -> None:
    document = LetterDocument(full_letter(), paper="a4", name="For the President")
    draft_id = store.save(None, document)
    draft = store.load(draft_id)
    assert draft.document == document
    assert draft.info.title == "For the President"
    assert draft.info.owner == store.owner
    assert draft.info.summary.startswith("Dear {{ recipient.salutation }} Bold and more.")


def test_saving_again_updates_the_same_draft(store: DraftStore) -> None:
    draft_id = store.save(None, LetterDocument(Letter(body_html="<p>one</p>")))
    created = store.load(draft_id).info.created_at
    store.save(draft_id, LetterDocument(Letter(body_html="<p>two</p>", subject="S")))
    [info] = store.entries()
    assert info.id == draft_id
    assert info.summary == "two"
    assert info.created_at == created
    assert info.updated_at > created
    assert store.load(draft_id).document.letter.body_html == "<p>two</p>"


def test_rename_survives_later_saves(store: DraftStore) -> None:
    draft_id = store.save(None, LetterDocument(Letter(subject="Subject line")))
    assert store.load(draft_id).info.title == "Subject line"
    store.rename(draft_id, "  My   letter ")
    store.save(draft_id, LetterDocument(Letter(subject="Changed"), name="ignored"))
    assert store.load(draft_id).info.name == "My letter"
    assert store.load(draft_id).document.name == "My letter"


def test_delete(store: DraftStore) -> None:
    keep = store.save(None, LetterDocument(Letter(subject="keep")))
    gone = store.save(None, LetterDocument(Letter(subject="gone")))
    store.delete(gone)
    assert [info.id for info in store.entries()] == [keep]
    with pytest.raises(DraftError, match="no longer exists"):
        store.load(gone)


def test_list_is_newest_first(store: DraftStore) -> None:
    first = store.save(None, LetterDocument(Letter(subject="a")))
    second = store.save(None, LetterDocument(Letter(subject="b")))
    assert [info.id for info in store.entries()] == [second, first]
    store.save(first, LetterDocument(Letter(subject="a2")))
    assert [info.id for info in store.entries()] == [first, second]


def test_untitled_letter_title(store: DraftStore) -> None:
    draft_id = store.save(None, LetterDocument(Letter()))
    assert store.load(draft_id).info.title == "Untitled letter"


def dead_process_tag() -> str:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return process_tag(child.pid)


def test_letters_left_open_by_a_dead_process_are_abandoned(tmp_path: Path) -> None:
    path = tmp_path / "letters.sqlite3"
    crashed = DraftStore(path, owner=dead_process_tag())
    left_open = crashed.save(None, LetterDocument(Letter(subject="left open")))
    closed = crashed.save(None, LetterDocument(Letter(subject="closed")))
    crashed.release(closed)
    crashed.close()

    running = DraftStore(path)
    mine = running.save(None, LetterDocument(Letter(subject="mine")))
    assert [info.id for info in running.abandoned()] == [left_open]
    # Reopening it here makes it this process's letter: no longer abandoned.
    running.claim(left_open)
    assert running.abandoned() == []
    assert {info.id for info in running.entries()} == {left_open, closed, mine}
    running.close()


def test_a_running_process_is_not_abandoned() -> None:
    assert owner_is_running(process_tag())
    assert not owner_is_running(dead_process_tag())
    assert not owner_is_running("garbage")
    assert not owner_is_running("123@another-host@5")
    # Same pid, different start time: the id was reused by another process.
    pid, host, _start = process_tag().split("@")
    assert not owner_is_running(f"{pid}@{host}@1")


def test_other_tables_in_the_file_are_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "letters.sqlite3"
    other = sqlite3.connect(path)
    other.execute("CREATE TABLE outbox_messages (id INTEGER PRIMARY KEY, raw BLOB)")
    other.execute("INSERT INTO outbox_messages (raw) VALUES (x'00ff')")
    other.commit()
    other.close()
    store = DraftStore(path)
    store.save(None, LetterDocument(Letter(subject="x")))
    assert store.integrity() == "ok"
    store.close()
    check = sqlite3.connect(path)
    assert check.execute("SELECT raw FROM outbox_messages").fetchall() == [(b"\x00\xff",)]
    assert check.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {row[0] for row in check.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    check.close()
    assert tables == {"outbox_messages", "drafts_meta", "drafts_letters"}


def test_a_draft_from_a_newer_version_is_refused(store: DraftStore) -> None:
    draft_id = store.save(None, LetterDocument(Letter(subject="future")))
    store._db().execute("UPDATE drafts_letters SET data_format = 9")
    with pytest.raises(DraftError, match="newer version"):
        store.load(draft_id)


def test_a_damaged_row_is_named(store: DraftStore) -> None:
    draft_id = store.save(None, LetterDocument(Letter(subject="broken")))
    store._db().execute("UPDATE drafts_letters SET data = '{not json'")
    with pytest.raises(DraftError, match="“broken” is damaged"):
        store.load(draft_id)


def test_unwritable_place_gives_a_plain_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    store = DraftStore(blocker / "data" / "letters.sqlite3")
    with pytest.raises(DraftError) as caught:
        store.save(None, LetterDocument(Letter()))
    assert "a-file" in str(caught.value)
    assert "Traceback" not in str(caught.value)


def test_salvage_copies_readable_drafts(tmp_path: Path) -> None:
    old = tmp_path / "old.sqlite3"
    store = DraftStore(old, owner=dead_process_tag())
    ids = [
        store.save(None, LetterDocument(Letter(subject=f"n{i}", sender=Sender(name="A"))))
        for i in range(3)
    ]
    store._db().execute("UPDATE drafts_letters SET data = 'junk' WHERE id = ?", (ids[1],))
    store.close()
    new = tmp_path / "new.sqlite3"
    assert salvage_drafts(old, new) == 2
    rescued = DraftStore(new)
    assert {info.id for info in rescued.entries()} == {ids[0], ids[2]}
    # They were left open by a dead process: still offered back after the rescue.
    assert {info.id for info in rescued.abandoned()} == {ids[0], ids[2]}
    rescued.close()


def test_salvage_of_something_unreadable_is_zero(tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"definitely not sqlite" * 100)
    assert salvage_drafts(junk, tmp_path / "new.sqlite3") == 0


def test_recipients_and_dates_come_back(store: DraftStore) -> None:
    letter = full_letter()
    letter.recipients = [white_house()]
    draft_id = store.save(None, LetterDocument(letter, paper="letter"))
    assert store.load(draft_id).document.letter == letter


def test_the_host_name_in_a_tag_is_the_systems() -> None:
    import socket

    from composer.core.storage import host_name

    assert host_name() == socket.gethostname()
