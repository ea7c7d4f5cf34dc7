"""Formal addresses from the directory: nicknames in quotes are left out; ZIP+4 with any dash."""

from __future__ import annotations

import pytest

from composer.core.directory import Directory, formal_name, normalize_zip


@pytest.fixture(scope="module")
def directory(tmp_path_factory: pytest.TempPathFactory) -> Directory:
    return Directory(tmp_path_factory.mktemp("none"), bundled=True)


def test_a_nickname_in_quotes_is_not_part_of_the_formal_address(directory: Directory) -> None:
    crawford = directory.official("C001087")
    assert crawford.name == 'Eric A. "Rick" Crawford'  # as the data has it, for lists
    recipient = crawford.recipient()
    assert recipient.address_lines[0] == "The Honorable Eric A. Crawford"
    assert crawford.salutation == "Dear Representative Crawford:"
    assert formal_name('Henry C. "Hank" Johnson, Jr.') == "Henry C. Johnson, Jr."
    assert formal_name("Beto O'Rourke") == "Beto O'Rourke"


def test_no_formal_address_in_the_directory_has_a_quote(directory: Directory) -> None:
    addressees = [official.addressee for official in directory.all_officials()]
    assert len(addressees) == 537
    assert [a for a in addressees if any(q in a for q in '"“”')] == []


@pytest.mark.parametrize("typed", ["98105–1234", "98105—1234", "98105 − 1234", "98105‑1234"])
def test_zip_plus_four_with_any_dash(typed: str, directory: Directory) -> None:
    assert normalize_zip(typed) == "98105"
    assert {o.id for o in directory.find_by_zip(typed).officials} == {
        "C000127",
        "M001111",
        "J000298",
    }
