"""The portable letter file: everything a letter holds comes back, bad files are refused clearly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from composer.core.fileio import StorageError
from composer.core.letterfile import (
    FORMAT_VERSION,
    LetterDocument,
    LetterFileError,
    document_from_json,
    document_to_json,
    read_letter_file,
    write_letter_file,
)
from composer.core.models import Letter
from tests.helpers.letters import full_letter


def test_round_trip_keeps_everything(tmp_path: Path) -> None:
    document = LetterDocument(full_letter(), paper="a4", name="To the President")
    path = tmp_path / "mine.letter"
    write_letter_file(path, document)
    assert read_letter_file(path) == document
    data = json.loads(path.read_text(encoding="ascii"))
    assert data["format"] == "letter-composer-letter"
    assert data["version"] == FORMAT_VERSION
    assert data["letter"]["argument_ids"] == [
        "opening-citizen-concern",
        "tps-limits",
        "reply-congress",
    ]


def test_lone_surrogate_survives_the_file(tmp_path: Path) -> None:
    letter = Letter(subject="odd \ud800 text", body_html="<p>\udfff</p>")
    path = tmp_path / "odd.letter"
    write_letter_file(path, LetterDocument(letter))
    assert read_letter_file(path).letter == letter


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "not valid JSON"),
        (b"\x00\x01garbage", "not valid JSON"),
        (b"[]", "not a Letter Composer letter file"),
        (b'{"format": "something-else", "version": 1}', "not a Letter Composer letter file"),
        (b'{"format": "letter-composer-letter"}', "version is missing"),
        (b'{"format": "letter-composer-letter", "version": 99, "letter": {}}', "newer version"),
        (b'{"format": "letter-composer-letter", "version": 1, "letter": 5}', "letter must be"),
        (
            b'{"format": "letter-composer-letter", "version": 1, "letter": {"subject": 3}}',
            "letter.subject must be text",
        ),
        (
            b'{"format": "letter-composer-letter", "version": 1, "letter": {"date": "soon"}}',
            "letter.date",
        ),
        (
            b'{"format": "letter-composer-letter", "version": 1, "letter": '
            b'{"recipients": [{"district": "7"}]}}',
            "letter.recipients[0].district",
        ),
        (
            b'{"format": "letter-composer-letter", "version": 1, "letter": '
            b'{"sender": {"name": ["x"]}}}',
            "letter.sender.name must be text",
        ),
        (
            b'{"format": "letter-composer-letter", "version": 1, "paper": "a3", "letter": {}}',
            "paper",
        ),
        (b"[" * 100_000, "not valid JSON"),
    ],
)
def test_bad_files_are_refused_by_name(tmp_path: Path, content: bytes, words: str) -> None:
    path = tmp_path / "bad.letter"
    path.write_bytes(content)
    with pytest.raises(LetterFileError) as caught:
        read_letter_file(path)
    assert str(caught.value).startswith("bad.letter: ")
    assert words in str(caught.value)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(LetterFileError, match="no such file"):
        read_letter_file(tmp_path / "absent.letter")
    with pytest.raises(LetterFileError, match="folder"):
        read_letter_file(tmp_path)


def test_unknown_keys_are_ignored_for_later_versions() -> None:
    text = document_to_json(LetterDocument(full_letter(), paper="letter"))
    data = json.loads(text)
    data["future_field"] = {"x": 1}
    data["letter"]["future_field"] = [1, 2]
    assert document_from_json(json.dumps(data)).letter == full_letter()


def test_write_into_a_file_path_fails_with_storage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "plain-file"
    blocker.write_text("x")
    with pytest.raises(StorageError):
        write_letter_file(blocker / "letter.letter", LetterDocument(full_letter()))
