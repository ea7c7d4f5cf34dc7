"""The directory copy that ships with the program: exact, dated, lazy, and replaced by the user's."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from composer.cli import main
from composer.core import congress as congress_module
from composer.core import directory as directory_module
from composer.core.directory import (
    FILE_NAMES,
    Directory,
    bundled_image,
)
from composer.core.locations import Locations

RAW = Path(__file__).resolve().parents[3] / "shared" / "data"
SEATTLE = {"C000127", "M001111", "J000298"}


@pytest.fixture(scope="module")
def raw_data() -> Path | None:
    """The raw source files beside the project, or None where they are not (never under CI)."""
    if all((RAW / name).is_file() for name in FILE_NAMES.values()):
        return RAW
    if os.environ.get("CI"):
        pytest.fail(f"the raw directory data ({', '.join(FILE_NAMES.values())}) is missing")
    return None


@pytest.fixture(scope="module")
def bundled_db() -> sqlite3.Connection:
    """The bundled copy, opened as SQLite."""
    image = bundled_image()
    assert image is not None, "resources/directory/congress.sqlite3.xz is missing"
    db = sqlite3.connect(":memory:")
    db.deserialize(image)
    return db


@pytest.fixture(scope="module")
def reference(
    raw_data: Path | None, tmp_path_factory: pytest.TempPathFactory, bundled_db: sqlite3.Connection
) -> sqlite3.Connection:
    """What the bundled copy must equal: a fresh import of the raw files (or itself)."""
    if raw_data is None:
        return bundled_db
    folder = tmp_path_factory.mktemp("raw-import")
    imported = Directory(folder)
    imported.import_files([raw_data / name for name in FILE_NAMES.values()])
    db = sqlite3.connect(imported.path)
    return db


def _rows(db: sqlite3.Connection, query: str) -> list[tuple[object, ...]]:
    return db.execute(query).fetchall()


def test_the_bundled_copy_holds_exactly_the_raw_data(
    bundled_db: sqlite3.Connection, reference: sqlite3.Connection
) -> None:
    for query in (
        "SELECT * FROM members ORDER BY id",
        "SELECT * FROM offices ORDER BY member_id, position",
        "SELECT * FROM zcta ORDER BY zcta, state, cd",
    ):
        assert _rows(bundled_db, query) == _rows(reference, query), query
    assert len(_rows(bundled_db, "SELECT id FROM members")) == 537


def test_a_zip_sweep_of_the_bundled_copy_against_the_raw_table(
    raw_data: Path | None, bundled_db: sqlite3.Connection
) -> None:
    """Every ZIP area of the raw CSV maps to the same districts, and nothing more."""
    bundled: dict[str, set[tuple[str, int]]] = {}
    for zcta, state, cd in _rows(bundled_db, "SELECT zcta, state, cd FROM zcta"):
        bundled.setdefault(str(zcta), set()).add((str(state), int(str(cd))))
    expected: dict[str, set[tuple[str, int]]] = {}
    if raw_data is None:
        expected = {zcta: set(places) for zcta, places in bundled.items()}
    else:
        with (raw_data / FILE_NAMES["zipcodes"]).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                expected.setdefault(row["zcta"], set()).add((row["state_abbr"], int(row["cd"])))
    mismatches = [zcta for zcta in expected if bundled.get(zcta) != expected[zcta]]
    assert len(expected) == 33_774
    assert mismatches == []
    assert set(bundled) == set(expected)
    # Each district of the table has its member, but for the seats vacant in June 2026 (four).
    seats = {
        (str(state), int(str(district)))
        for state, district in _rows(
            bundled_db, "SELECT state, district FROM members WHERE kind != 'senator'"
        )
    }
    districts = {place for places in bundled.values() for place in places}
    assert len(districts - seats) == 4


def test_the_bundled_copy_is_dated_and_credits_its_sources(bundled_db: sqlite3.Connection) -> None:
    meta = {key: json.loads(value) for key, value in _rows(bundled_db, "SELECT * FROM meta")}
    assert meta["bundled"] is True
    assert meta["snapshot"] == "2026-06-15"
    assert meta["data_date"] == "2026-06-10"
    origins = [source["origin"] for source in meta["sources"]]
    assert any("unitedstates/congress-legislators" in origin for origin in origins)
    assert len(origins) == 3


def test_a_fresh_profile_finds_its_members_with_no_import(
    locations: Locations, capsys: pytest.CaptureFixture[str]
) -> None:
    found = Directory.for_locations(locations).find_by_zip("98105")
    assert {official.id for official in found.officials} == SEATTLE

    assert main(["directory", "find", "--zip", "98105", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert {entry["id"] for entry in document["recipients"]} == SEATTLE
    assert document["data_date"] == "2026-06-10"
    # Nothing was written to the user's folder: the bundled copy is read in place.
    assert not Directory.for_locations(locations).path.exists()


def test_info_says_the_data_is_bundled_and_dated(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(congress_module, "current_date", lambda: dt.date(2026, 8, 1))
    assert main(["directory", "info"]) == 0
    captured = capsys.readouterr()
    assert "bundled with the program" in captured.out
    assert "June 10, 2026" in captured.out
    assert "537 members of Congress" in captured.out
    assert "congress-legislators" in captured.out
    assert captured.err == ""

    assert main(["directory", "info", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["bundled"] is True
    assert document["update_due"] is None


def test_an_import_replaces_the_bundled_copy(tmp_path: Path) -> None:
    folder = tmp_path / "dir"
    directory = Directory(folder, bundled=True)
    assert directory.uses_bundled
    assert directory.info().bundled

    legislators = tmp_path / "legislators-current.yaml"
    legislators.write_text(
        "- id: {bioguide: T000001}\n"
        "  name: {first: Test, last: Testperson}\n"
        "  terms:\n"
        "  - {type: sen, state: WA, start: '2025-01-03', end: '2031-01-03', party: Independent}\n",
        encoding="utf-8",
    )
    info = directory.import_files([legislators])

    assert not directory.uses_bundled
    assert not info.bundled
    assert info.member_count == 1
    assert [o.id for o in directory.find_by_state("WA").officials] == ["T000001"]
    directory.path.unlink()
    assert directory.uses_bundled  # the user's copy gone, the program's own is back


def test_nothing_reads_the_bundled_copy_at_start_up() -> None:
    code = (
        "import composer.cli, composer.core.directory as d, composer.gui.mainwindow\n"
        "print(bool(d._bundled_cache))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    assert out.split() == ["False"]


def test_the_description_beside_the_bundled_copy_matches_it() -> None:
    from importlib.resources import files

    folder = files(congress_module.BUNDLED_PACKAGE).joinpath(congress_module.BUNDLED_FOLDER)
    compressed = folder.joinpath(congress_module.BUNDLED_NAME).read_bytes()
    image = bundled_image()
    assert image is not None
    # Written by tools/make_directory_data.py with the copy; stale if either changed alone.
    assert congress_module.bundled_meta() == directory_module.bundled_meta_for(compressed, image)


def test_the_date_of_a_fresh_profile_comes_without_decompressing_the_copy(
    locations: Locations, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(directory_module, "_bundled_cache", {})
    directory = Directory.for_locations(locations)

    assert directory.data_date() == dt.date(2026, 6, 10)
    assert directory_module._bundled_cache == {}  # the .xz was not opened
    assert directory.info().data_date == dt.date(2026, 6, 10)


def test_without_its_description_the_copy_itself_gives_the_date(
    locations: Locations, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(congress_module, "BUNDLED_META_NAME", "missing.meta.json")
    assert congress_module.bundled_meta() is None
    assert Directory.for_locations(locations).data_date() == dt.date(2026, 6, 10)


def test_the_date_of_the_users_own_copy_is_read_from_it(tmp_path: Path) -> None:
    directory = Directory(tmp_path, bundled=True)
    directory.path.write_bytes(bundled_image() or b"")
    db = sqlite3.connect(directory.path)
    db.execute("UPDATE meta SET value = '\"2027-01-05\"' WHERE key = 'data_date'")
    db.commit()
    db.close()

    assert directory.data_date() == dt.date(2027, 1, 5) == directory.info().data_date
    assert Directory(tmp_path / "none").data_date() is None


def test_the_windows_date_reader_agrees_with_the_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``congress.directory_date`` (read at start-up without the directory module) gives
    the directory's own answer, and hands the cases it cannot read to the directory."""
    folder = tmp_path / "dir"
    assert congress_module.directory_date(folder) == dt.date(2026, 6, 10)  # bundled description
    assert congress_module.directory_date(folder, bundled=False) is None

    own = Directory(folder, bundled=True)
    folder.mkdir()
    own.path.write_bytes(bundled_image() or b"")
    db = sqlite3.connect(own.path)
    db.execute("UPDATE meta SET value = '\"2027-01-05\"' WHERE key = 'data_date'")
    db.commit()
    db.close()
    assert congress_module.directory_date(folder) == own.data_date() == dt.date(2027, 1, 5)

    own.path.write_bytes(b"not a database, but long enough to be read as one" * 100)
    with pytest.raises(congress_module.DateUnknown):
        congress_module.directory_date(folder)

    monkeypatch.setattr(congress_module, "BUNDLED_META_NAME", "missing.meta.json")
    with pytest.raises(congress_module.DateUnknown):
        congress_module.directory_date(tmp_path / "fresh")


def test_the_description_names_the_copy_by_size_and_checksum(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A copy replaced without its description is noticed (its size or CRC-32 differ)."""
    meta = congress_module.bundled_meta()
    assert meta is not None
    assert set(meta) >= {"xz_size", "xz_crc32", "xz_sha256", "data_date"}
    stale = {**meta, "xz_crc32": "00000000"}
    (tmp_path / "stale.json").write_text(json.dumps(stale), encoding="utf-8")
    from importlib.resources import files

    folder = files(congress_module.BUNDLED_PACKAGE).joinpath(congress_module.BUNDLED_FOLDER)
    copy = tmp_path / congress_module.BUNDLED_NAME
    copy.write_bytes(folder.joinpath(congress_module.BUNDLED_NAME).read_bytes())
    # A copy of the bundled data beside a description of our own (an absolute folder
    # joined to any package's files is that folder).
    monkeypatch.setattr(congress_module, "BUNDLED_PACKAGE", "tests")
    monkeypatch.setattr(congress_module, "BUNDLED_FOLDER", str(tmp_path))
    monkeypatch.setattr(congress_module, "BUNDLED_META_NAME", "stale.json")
    assert congress_module.bundled_meta() is None
    (tmp_path / "stale.json").write_text(json.dumps(meta), encoding="utf-8")
    assert congress_module.bundled_meta() == meta


def test_importing_one_file_keeps_the_rest_of_the_bundled_copy(
    tmp_path: Path, raw_data: Path | None
) -> None:
    directory = Directory(tmp_path / "dir", bundled=True)
    table = tmp_path / "zccd.csv"
    if raw_data is not None:
        table.write_bytes((raw_data / "zccd.csv").read_bytes())
    else:
        table.write_text("state_fips,state_abbr,zcta,cd\n53,WA,98105,7\n", encoding="utf-8")

    info = directory.import_files([table])

    assert not info.bundled
    assert info.member_count == 537  # the members and offices came from the bundled copy
    assert {o.id for o in directory.find_by_zip("98105").officials} == SEATTLE
    roles = {source.role: source.origin for source in info.sources}
    assert roles["zipcodes"] == str(table.resolve())
    assert "congress-legislators" in roles["legislators"]


def test_the_data_tool_writes_the_description_beside_the_copy(tmp_path: Path) -> None:
    from importlib.resources import files

    folder = files(congress_module.BUNDLED_PACKAGE).joinpath(congress_module.BUNDLED_FOLDER)
    copy = tmp_path / congress_module.BUNDLED_NAME
    copy.write_bytes(folder.joinpath(congress_module.BUNDLED_NAME).read_bytes())
    tool = Path(__file__).resolve().parents[2] / "tools" / "make_directory_data.py"
    subprocess.run(
        [sys.executable, str(tool), "--meta-only", "--out", str(copy)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    written = json.loads((tmp_path / congress_module.BUNDLED_META_NAME).read_text())
    assert written == congress_module.bundled_meta()
    assert written["data_date"] == "2026-06-10"
