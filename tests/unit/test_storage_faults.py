"""Storage faults at start-up and while saving: damaged database, full disk, unwritable folders.

In each case the program must go on, say what happened in plain words, say
where a moved file went, and lose nothing it could keep.
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
from pathlib import Path

import pytest

from composer.core.drafts import DraftError, DraftStore, salvage_drafts
from composer.core.letterfile import LetterDocument
from composer.core.locations import Locations
from composer.core.models import Letter
from composer.core.storage import (
    check_storage,
    database_damage,
    is_disk_full,
    move_aside,
    probe_folder,
)
from tests.helpers.faults import damage_pages, fill_disk, immutable, tiny_tmpfs
from tests.helpers.letters import fill_drafts

STAMP = 1_700_000_000.0  # a fixed clock for the moved-aside name


def corrupt_name(locations: Locations) -> re.Pattern[str]:
    return re.compile(re.escape(locations.database_file.name) + r"\.corrupt-\d{8}-\d{6}$")


# --- a damaged database -------------------------------------------------------------------------


def test_damaged_database_is_moved_aside_and_drafts_rescued(locations: Locations) -> None:
    ids = fill_drafts(locations.database_file)
    pages = locations.database_file.stat().st_size // 4096
    # Damage in the middle of the file: the drafts stored elsewhere stay readable.
    damage_pages(locations.database_file, first_page=pages // 2, pages=2)
    assert database_damage(locations.database_file) is not None

    report = check_storage(locations, clock=lambda: STAMP, salvage=salvage_drafts)

    [problem] = report.problems
    assert problem.kind == "database"
    assert problem.moved_to is not None and problem.moved_to.exists()
    assert corrupt_name(locations).match(problem.moved_to.name)
    assert str(problem.moved_to) in problem.message
    assert "damaged" in problem.message
    assert report.drafts_usable
    # Most drafts lie outside the damaged pages and were copied into the new database.
    assert 0 < report.salvaged_drafts < len(ids)
    assert f"{report.salvaged_drafts} drafts could still be read" in problem.message
    store = DraftStore(locations.database_file)
    assert store.integrity() == "ok"
    assert len(store.entries()) == report.salvaged_drafts
    store.save(None, LetterDocument(Letter(subject="new")))
    store.close()


def test_truncated_database_is_moved_aside(locations: Locations) -> None:
    fill_drafts(locations.database_file)
    data = locations.database_file.read_bytes()
    locations.database_file.write_bytes(data[: len(data) // 2])

    report = check_storage(locations, clock=lambda: STAMP)

    [problem] = report.problems
    assert problem.moved_to is not None
    assert problem.moved_to.read_bytes() == data[: len(data) // 2]  # kept as it was
    assert not locations.database_file.exists() or database_damage(locations.database_file) is None


def test_a_file_that_is_not_a_database(locations: Locations) -> None:
    locations.data_dir.mkdir(parents=True)
    locations.database_file.write_bytes(os.urandom(10_000))
    wal = locations.database_file.with_name(locations.database_file.name + "-wal")
    wal.write_bytes(b"old log")

    report = check_storage(locations, clock=lambda: STAMP, salvage=salvage_drafts)

    [problem] = report.problems
    assert problem.moved_to is not None
    assert "No drafts could be read" in problem.message
    # The log went with its database: a stale log must never meet a new database.
    assert not wal.exists()
    assert problem.moved_to.with_name(problem.moved_to.name + "-wal").read_bytes() == b"old log"


def test_a_second_damage_the_same_second_does_not_overwrite_the_first(
    locations: Locations,
) -> None:
    locations.data_dir.mkdir(parents=True)
    for _round in range(2):
        locations.database_file.write_bytes(b"junk" * 1000)
        check_storage(locations, clock=lambda: STAMP)
    moved = sorted(p.name for p in locations.data_dir.glob("*.corrupt-*"))
    assert len(moved) == 2


def test_healthy_empty_and_missing_databases_are_left_alone(locations: Locations) -> None:
    assert check_storage(locations).problems == []  # missing
    locations.database_file.write_bytes(b"")  # empty: SQLite reads it as a new database
    assert check_storage(locations).problems == []
    fill_drafts(locations.database_file, count=3)
    assert check_storage(locations).problems == []
    assert list(locations.data_dir.glob("*.corrupt-*")) == []


def test_a_locked_database_is_not_mistaken_for_a_damaged_one(locations: Locations) -> None:
    fill_drafts(locations.database_file, count=2)
    holder = sqlite3.connect(locations.database_file, isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        assert database_damage(locations.database_file) is None
        assert check_storage(locations).problems == []
        assert list(locations.data_dir.glob("*.corrupt-*")) == []
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_a_damaged_database_that_cannot_be_moved_is_left_untouched(
    locations: Locations,
) -> None:
    locations.data_dir.mkdir(parents=True)
    locations.database_file.write_bytes(b"junk" * 1000)
    with immutable(locations.data_dir):
        report = check_storage(locations)
        messages = " ".join(p.message for p in report.problems)
        assert "could not be moved aside" in messages
        assert not report.drafts_usable
        assert locations.database_file.read_bytes() == b"junk" * 1000


def test_move_aside_names(tmp_path: Path) -> None:
    db = tmp_path / "letters.sqlite3"
    db.write_text("x")
    moved = move_aside(db, clock=lambda: STAMP)
    assert moved.name.startswith("letters.sqlite3.corrupt-")
    assert not db.exists()


# --- folders that cannot be written ------------------------------------------------------------


def test_data_folder_under_a_regular_file(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where a folder should be")
    locations = Locations.under(blocker)
    report = check_storage(locations)
    kinds = {p.kind: p for p in report.problems}
    assert set(kinds) == {"data folder", "config folder", "state folder"}
    assert "a file is in the way" in kinds["data folder"].message
    assert "File ▸ Save As…" in kinds["data folder"].message
    assert not report.drafts_usable
    assert "until you quit" in kinds["config folder"].message


def test_immutable_data_folder_even_for_root(tmp_path: Path) -> None:
    locations = Locations.under(tmp_path / "app")
    with immutable(locations.data_dir):
        report = check_storage(locations)
        [problem] = report.problems
        assert problem.kind == "data folder"
        assert "no permission" in problem.message
        assert not report.drafts_usable
        with pytest.raises(DraftError):
            DraftStore(locations.database_file).save(None, LetterDocument(Letter()))


def test_immutable_config_folder(tmp_path: Path) -> None:
    locations = Locations.under(tmp_path / "app")
    with immutable(locations.config_dir):
        report = check_storage(locations)
        [problem] = report.problems
        assert problem.kind == "config folder"
        assert report.drafts_usable


# --- a full disk ----------------------------------------------------------------------------------


def test_full_database_by_page_limit_is_reported_as_disk_full(tmp_path: Path) -> None:
    """SQLite's own size limit yields the very error a full disk gives (SQLITE_FULL).

    This runs everywhere; the tmpfs test below shows the same with a real full disk.
    """
    store = DraftStore(tmp_path / "letters.sqlite3")
    kept = store.save(None, LetterDocument(Letter(subject="kept", body_html="<p>safe</p>")))
    db = store._db()
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count={pages}")
    with pytest.raises(DraftError) as caught:
        store.save(kept, LetterDocument(Letter(subject="kept", body_html="x" * 200_000)))
    assert caught.value.disk_full
    assert "The disk is full" in str(caught.value)
    assert "Save As" in str(caught.value)
    # The failed save changed nothing: the previous version is intact.
    assert store.load(kept).document.letter.body_html == "<p>safe</p>"
    assert store.integrity() == "ok"
    store.close()


def test_real_full_disk(tmp_path: Path) -> None:
    with tiny_tmpfs(tmp_path / "small", size="512k") as disk:
        store = DraftStore(disk / "letters.sqlite3")
        kept = store.save(None, LetterDocument(Letter(subject="kept", body_html="<p>safe</p>")))
        fill_disk(disk)
        with pytest.raises(DraftError) as caught:
            store.save(kept, LetterDocument(Letter(body_html="<p>" + "y" * 600_000 + "</p>")))
        assert caught.value.disk_full, str(caught.value)
        assert "The disk is full" in str(caught.value)
        assert store.load(kept).document.letter.body_html == "<p>safe</p>"
        store.close()
        error = probe_folder(disk / "sub")
        assert error is not None and is_disk_full(error)
        locations = Locations(disk / "config", disk / "data", disk / "state", disk / "cache")
        report = check_storage(locations)
        assert any("the disk is full" in p.message for p in report.problems)


def test_saving_from_two_threads_at_once(tmp_path: Path) -> None:
    """The window and the saving thread share one store; neither waits forever nor fails."""
    store = DraftStore(tmp_path / "letters.sqlite3")
    draft_id = store.save(None, LetterDocument(Letter(subject="start")))
    errors: list[BaseException] = []

    def writer(tag: str) -> None:
        try:
            for number in range(30):
                store.save(draft_id, LetterDocument(Letter(subject=f"{tag}{number}")))
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(tag,)) for tag in "ab"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert store.load(draft_id).document.letter.subject in ("a29", "b29")
    assert store.integrity() == "ok"
    store.close()
