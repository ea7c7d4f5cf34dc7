"""``composer directory …`` from the command line, against the user's (temporary) data folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from composer.cli import main
from composer.core.directory import FILE_NAMES


def import_shared(shared_data: Path, capsys: pytest.CaptureFixture[str]) -> str:
    files = [str(shared_data / name) for name in FILE_NAMES.values()]
    assert main(["directory", "import", *files]) == 0
    return capsys.readouterr().out


def test_import_then_find_json(shared_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = import_shared(shared_data, capsys)
    assert "537 members of Congress" in out

    assert main(["directory", "find", "--zip", "98105", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)

    by_id = {entry["id"]: entry for entry in document["recipients"]}
    assert set(by_id) == {"C000127", "M001111", "J000298"}
    jayapal = by_id["J000298"]
    assert jayapal["name"] == "Pramila Jayapal"
    assert jayapal["title"] == "United States Representative for Washington's 7th District"
    assert jayapal["salutation"] == "Dear Representative Jayapal:"
    assert jayapal["state"] == "WA"
    assert jayapal["district"] == 7
    assert jayapal["addresses"]["washington"]["lines"][-1].startswith("Washington, DC 20515")
    assert jayapal["addresses"]["district_offices"][0]["lines"][-1] == "Seattle, WA 98121"
    assert jayapal["inside_address"][0] == "The Honorable Pramila Jayapal"
    assert by_id["C000127"]["contact_form"].startswith("https://")
    assert {"email", "phone", "contact_form"} <= set(jayapal)
    assert document["candidates"] == []
    assert document["data_date"] == "2026-06-10"


def test_find_json_for_a_split_zip_has_candidates_and_reason(
    shared_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import_shared(shared_data, capsys)

    assert main(["directory", "find", "--zip", "98101", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)

    assert [entry["kind"] for entry in document["recipients"]] == ["senator", "senator"]
    assert sorted(entry["district"] for entry in document["candidates"]) == [7, 9]
    assert "split between districts 7 and 9" in document["reason"]


def test_find_text_by_state_and_name(shared_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import_shared(shared_data, capsys)

    assert main(["directory", "find", "--state", "DC"]) == 0
    out = capsys.readouterr().out
    assert "Dear Delegate Norton:" in out
    assert "| The Honorable Eleanor Holmes Norton" in out

    assert main(["directory", "find", "--name", "president"]) == 0
    assert "white-house: The President" in capsys.readouterr().out

    assert main(["directory", "find", "--name", "nobody-by-this-name"]) == 1


def test_info_json_and_text(shared_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import_shared(shared_data, capsys)

    assert main(["directory", "info", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["members"] == 537
    assert document["data_date"] == "2026-06-10"
    assert {source["role"] for source in document["sources"]} == {
        "legislators",
        "offices",
        "zipcodes",
    }
    assert isinstance(document["warnings"], list)

    assert main(["directory", "info"]) == 0
    assert "Congress data as of June 10, 2026" in capsys.readouterr().out


def test_errors_are_one_plain_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["directory", "find", "--zip", "98l05"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("composer directory: '98l05' is not a ZIP code")
    assert "Traceback" not in err

    bogus = tmp_path / "bogus.txt"
    bogus.write_text("hello\n")
    assert main(["directory", "import", str(bogus)]) == 1
    assert "bogus.txt is not a file the directory can import" in capsys.readouterr().err

    assert main(["directory", "find", "--zip", "98105", "--state", "WA"]) == 2
    assert "not allowed with argument" in capsys.readouterr().err


def test_update_refuses_plain_http_to_another_host(capsys: pytest.CaptureFixture[str]) -> None:
    # Refused before any connection is attempted.
    assert main(["directory", "update", "--url-base", "http://example.invalid/data"]) == 1
    assert "only https:// addresses are allowed" in capsys.readouterr().err
