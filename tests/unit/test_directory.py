"""The recipient directory, built from the public datasets beside the project."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

from composer.core.congress import (
    next_congress_start,
)
from composer.core.directory import (
    FILE_NAMES,
    IRRADIATION_NOTE,
    LEGISLATORS,
    OFFICES,
    SECRETARY_ID,
    ZIPCODES,
    Directory,
    DirectoryError,
    detect_role,
    normalize_state,
    normalize_zip,
    parse_zip_table,
    resolve,
    secretary_of_homeland_security,
)
from composer.core.locations import Locations
from composer.core.models import PRESIDENT_ID, white_house

SUMMER = dt.date(2026, 7, 1)

CANTWELL, MURRAY = "C000127", "M001111"
JAYAPAL, SMITH = "J000298", "S000510"  # Washington's 7th and 9th districts
NORTON = "N000147"  # Delegate from the District of Columbia
HERNANDEZ = "H001103"  # Resident Commissioner from Puerto Rico
BEGICH = "B001323"  # Alaska, at large
HUSTED = "H001104"  # appointed senator whose term ends at the 2026 special election


def shared_files(shared_data: Path) -> list[Path]:
    """The three source files, in an order that is not the natural one."""
    return [shared_data / FILE_NAMES[role] for role in (ZIPCODES, LEGISLATORS, OFFICES)]


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Path:
    """A directory imported once per module from the shared data (import takes ~2 s)."""
    folder = tmp_path_factory.mktemp("directory")
    Directory(folder).import_files(shared_files(shared_data))
    return folder


@pytest.fixture
def directory(imported: Path) -> Directory:
    """The imported directory, seen on a summer day before the 2026 elections."""
    return Directory(imported, today=lambda: SUMMER)


def at(imported: Path, day: dt.date) -> Directory:
    """The same imported directory seen on another day."""
    return Directory(imported, today=lambda: day)


def ids(officials: object) -> list[str]:
    return [official.id for official in officials]  # type: ignore[attr-defined]


def test_seattle_zip_finds_both_senators_and_the_representative(directory: Directory) -> None:
    result = directory.find_by_zip("98105")

    assert sorted(ids(result.officials)) == sorted([CANTWELL, MURRAY, JAYAPAL])
    assert result.candidates == ()
    assert result.reason == ""
    assert result.warnings == ()
    by_id = {official.id: official for official in result.officials}
    assert by_id[CANTWELL].salutation == "Dear Senator Cantwell:"
    assert by_id[MURRAY].salutation == "Dear Senator Murray:"
    assert by_id[JAYAPAL].salutation == "Dear Representative Jayapal:"
    assert by_id[JAYAPAL].title == "United States Representative for Washington's 7th District"
    assert by_id[JAYAPAL].district == 7


def test_zip_plus_four_is_accepted(directory: Directory) -> None:
    assert ids(directory.find_by_zip("98105-1234").officials) == ids(
        directory.find_by_zip("98105").officials
    )


def test_a_zip_split_between_districts_offers_each_with_the_reason(directory: Directory) -> None:
    result = directory.find_by_zip("98101")

    assert sorted(ids(result.officials)) == sorted([CANTWELL, MURRAY])
    assert sorted(ids(result.candidates)) == sorted([JAYAPAL, SMITH])
    assert "ZIP 98101 is split between districts 7 and 9" in result.reason
    assert "voter card" in result.reason
    assert "Census" in result.reason  # it says the table maps ZCTAs, not postal ZIPs


def test_a_zip_across_a_state_line_leaves_every_choice_to_the_user(directory: Directory) -> None:
    result = directory.find_by_zip("82930")

    assert result.officials == ()
    assert {official.state for official in result.candidates} == {"UT", "WY"}
    assert "Utah and Wyoming" in result.reason


def test_senate_inside_address_and_washington_office(directory: Directory) -> None:
    recipient = directory.resolve(f"{CANTWELL}@washington")

    assert recipient.address_lines == (
        "The Honorable Maria Cantwell",
        "United States Senate",
        "511 Hart Senate Office Building",
        "Washington, DC 20510",
    )
    assert recipient.kind == "senator"
    assert recipient.state == "WA"


def test_paper_goes_to_the_home_office_nearest_the_writer(directory: Directory) -> None:
    cantwell = directory.official(CANTWELL)

    seattle = cantwell.recipient(near_zip="98105")
    spokane = cantwell.recipient(near_zip="99205")

    assert seattle.address_lines[:2] == ("The Honorable Maria Cantwell", "United States Senator")
    assert seattle.address_lines[-1] == "Seattle, WA 98174"
    assert spokane.address_lines[-1] == "Spokane, WA 99201"
    channels = cantwell.channels(near_zip="98105")
    assert channels[0].id == "post:C000127-seattle"
    assert channels[0].label == "Post: Seattle office (recommended)"
    assert channels[0].note == IRRADIATION_NOTE
    washington = next(channel for channel in channels if channel.id == "post:washington")
    assert washington.note == IRRADIATION_NOTE
    assert "irradiat" in washington.note
    assert [c.kind for c in channels][-1] == "web"


def test_house_inside_address_in_washington(directory: Directory) -> None:
    recipient = directory.resolve(f"{JAYAPAL}@washington")

    assert recipient.address_lines[:2] == (
        "The Honorable Pramila Jayapal",
        "United States House of Representatives",
    )
    assert recipient.address_lines[-1].startswith("Washington, DC 20515")


def test_a_delegate_gets_the_delegate_title_and_salutation(directory: Directory) -> None:
    result = directory.find_by_zip("20001")

    assert ids(result.officials) == [NORTON]
    norton = result.officials[0]
    assert norton.kind == "delegate"
    assert norton.title == "Delegate from the District of Columbia"
    assert norton.salutation == "Dear Delegate Norton:"
    assert norton.recipient().address_lines[0] == "The Honorable Eleanor Holmes Norton"
    assert "no senators" in result.reason


def test_the_resident_commissioner_has_his_own_form(directory: Directory) -> None:
    commissioner = directory.official(HERNANDEZ)

    assert commissioner.kind == "resident-commissioner"
    assert commissioner.title == "Resident Commissioner from Puerto Rico"
    # The data's surname is "Hernández Rivera"; he goes by "Hernández".
    assert commissioner.salutation == "Dear Resident Commissioner Hernández:"


def test_an_at_large_member_is_a_representative_for_the_whole_state(
    directory: Directory,
) -> None:
    result = directory.find_by_zip("99501")

    house = [official for official in result.officials if official.kind != "senator"]
    assert ids(house) == [BEGICH]
    assert house[0].title == "United States Representative for Alaska (at large)"
    assert house[0].salutation == "Dear Representative Begich:"
    assert house[0].district == 0


def test_a_territory_missing_from_the_zip_table_still_finds_its_delegate(
    directory: Directory,
) -> None:
    result = directory.find_by_zip("96910")

    assert [official.state for official in result.officials] == ["GU"]
    assert result.officials[0].salutation.startswith("Dear Delegate ")
    assert "Guam" in result.reason


def test_a_zip_without_a_census_area_falls_back_to_its_region(directory: Directory) -> None:
    result = directory.find_by_zip("98111")  # a Seattle P.O. box ZIP

    assert sorted(ids(result.officials)) == sorted([CANTWELL, MURRAY])
    assert JAYAPAL in ids(result.candidates)
    assert "not in the directory's ZIP table" in result.reason
    assert "P.O. box" in result.reason


@pytest.mark.parametrize("text", ["9810", "98l05", "", "98105-12"])
def test_a_malformed_zip_is_refused_in_plain_words(directory: Directory, text: str) -> None:
    with pytest.raises(DirectoryError, match="is not a ZIP code"):
        directory.find_by_zip(text)


def test_find_by_state_by_code_or_name(directory: Directory) -> None:
    by_code = directory.find_by_state("wa")
    by_name = directory.find_by_state("Washington")

    assert ids(by_code.officials) == ids(by_name.officials)
    kinds = [official.kind for official in by_code.officials]
    assert kinds[:2] == ["senator", "senator"]
    assert set(kinds[2:]) == {"representative"}
    districts = [official.district for official in by_code.officials[2:]]
    assert districts == sorted(districts)
    assert len(by_code.officials) == 12
    assert normalize_state("the District of Columbia") == "DC"
    with pytest.raises(DirectoryError, match="not a US state"):
        directory.find_by_state("Atlantis")


def test_find_by_name_ignores_case_and_accents(directory: Directory) -> None:
    plain = directory.find_by_name("hernandez")
    accented = directory.find_by_name("HERNÁNDEZ")

    assert HERNANDEZ in ids(plain.officials)
    assert ids(plain.officials) == ids(accented.officials)
    assert ids(directory.find_by_name("president").officials) == [PRESIDENT_ID]
    assert ids(directory.find_by_name("homeland").officials) == [SECRETARY_ID]
    nothing = directory.find_by_name("zzqx")
    assert nothing.everyone == ()
    assert "No official named 'zzqx'" in nothing.reason


def test_the_built_in_officials_resolve_without_any_data(locations: Locations) -> None:
    assert resolve(PRESIDENT_ID, locations) == white_house()
    secretary = resolve(SECRETARY_ID, locations)
    assert secretary.kind == "secretary"
    assert secretary.address_lines == (
        "The Secretary of Homeland Security",
        "U.S. Department of Homeland Security",
        "Washington, DC 20528",
    )
    assert secretary.salutation == "Dear Secretary of Homeland Security:"
    # Members come from the copy bundled with the program until the user has their own.
    assert resolve(CANTWELL, locations).name == "Maria Cantwell"
    with pytest.raises(DirectoryError, match="directory is empty"):
        Directory(locations.directory_dir).resolve(CANTWELL)


def test_a_named_secretary_is_greeted_by_name_or_honorific() -> None:
    assert secretary_of_homeland_security("Ada Lovelace").salutation == "Dear Secretary Lovelace:"
    assert secretary_of_homeland_security("A B", "Madam").salutation == "Dear Madam Secretary:"
    assert secretary_of_homeland_security("A B", "Mr.").salutation == "Dear Mr. Secretary:"
    named = secretary_of_homeland_security("Ada Lovelace").recipient()
    assert named.address_lines[:2] == (
        "The Honorable Ada Lovelace",
        "Secretary of Homeland Security",
    )


def test_unknown_ids_and_offices_are_explained(directory: Directory) -> None:
    with pytest.raises(DirectoryError, match="No official with the id 'X000000'"):
        directory.resolve("X000000")
    with pytest.raises(DirectoryError, match="has no office 'nowhere'"):
        directory.resolve(f"{CANTWELL}@nowhere")


def test_no_staleness_warning_before_the_data_goes_out_of_date(directory: Directory) -> None:
    assert directory.warnings() == []
    assert directory.find_by_state("OH").warnings == ()


def test_a_term_that_has_ended_is_warned_about(imported: Path) -> None:
    after_election = at(imported, dt.date(2026, 11, 10))

    result = after_election.find_by_state("OH")

    warning = next(text for text in result.warnings if "Husted" in text)
    assert "ended on November 3, 2026" in warning
    assert "Update the directory" in warning
    overall = after_election.warnings()
    assert any("terms of 2 members" in text for text in overall)
    assert not any("Congress began" in text for text in overall)


def test_a_new_congress_makes_the_whole_directory_stale(imported: Path) -> None:
    next_year = at(imported, dt.date(2027, 2, 1))

    warnings = next_year.find_by_zip("98105").warnings

    assert any("The 120th Congress began on January 3, 2027" in text for text in warnings)
    assert next_congress_start(dt.date(2026, 6, 10)) == dt.date(2027, 1, 3)
    assert next_congress_start(dt.date(2027, 1, 3)) == dt.date(2029, 1, 3)
    assert next_congress_start(dt.date(2025, 1, 2)) == dt.date(2025, 1, 3)


def test_info_reports_the_date_counts_and_sources(directory: Directory) -> None:
    info = directory.info()

    assert info.data_date == dt.date(2026, 6, 10)
    assert info.counts == {
        "senator": 100,
        "representative": 431,
        "delegate": 5,
        "resident-commissioner": 1,
    }
    assert info.zip_count > 30_000
    assert info.office_count > 1_000
    assert {source.role for source in info.sources} == {LEGISLATORS, OFFICES, ZIPCODES}
    assert "June 10, 2026" in info.date_text()


def _write_legislator(path: Path, end: str, last: str = "Testperson") -> None:
    path.write_text(
        f"""- id: {{bioguide: T000001}}
  name: {{first: Tess, last: {last}, official_full: Tess {last}}}
  terms:
  - {{type: rep, start: '2025-01-03', end: '{end}', state: VT, district: 0,
      office: 1 Cannon House Office Building,
      address: 1 Cannon House Office Building Washington DC 20515-4500}}
""",
        encoding="utf-8",
    )


def test_import_then_find_round_trip_and_partial_reimport(
    tmp_path: Path, shared_data: Path
) -> None:
    directory = Directory(tmp_path / "dir", today=lambda: SUMMER)
    directory.import_files(shared_files(shared_data))
    assert ids(directory.find_by_name("cantwell").officials) == [CANTWELL]

    # A new legislators file alone replaces the members and keeps the ZIP table.
    small = tmp_path / "legislators-current.yaml"
    _write_legislator(small, end="2027-01-03")
    info = directory.import_files([small])

    assert info.member_count == 1
    assert info.zip_count > 30_000
    assert {source.role for source in info.sources} == {LEGISLATORS, OFFICES, ZIPCODES}
    found = directory.find_by_zip("05401")  # Burlington, Vermont: at large
    assert ids(found.officials) == ["T000001"]
    assert found.officials[0].recipient().address_lines == (
        "The Honorable Tess Testperson",
        "United States House of Representatives",
        "1 Cannon House Office Building",
        "Washington, DC 20515-4500",
    )


def test_an_ended_term_in_imported_data_warns_by_name(tmp_path: Path) -> None:
    directory = Directory(tmp_path / "dir", today=lambda: dt.date(2026, 3, 1))
    source = tmp_path / "legislators-current.yaml"
    _write_legislator(source, end="2026-02-01", last="Gone")
    directory.import_files([source])

    warnings = directory.find_by_name("gone").warnings

    assert warnings == (
        "The term of Representative Tess Gone ended on February 1, 2026 according to this "
        "directory; Tess Gone may no longer hold this office. Update the directory "
        "(Directory ▸ Update from the internet) before sending.",
    )


def test_a_bad_file_changes_nothing(tmp_path: Path, shared_data: Path) -> None:
    directory = Directory(tmp_path / "dir")
    directory.import_files(shared_files(shared_data))
    before = hashlib.sha256(directory.path.read_bytes()).hexdigest()
    broken = tmp_path / "legislators-current.yaml"
    broken.write_text("- id: {bioguide: C000127}\n  name: {first: A}\n  terms: []\n")
    not_yaml = tmp_path / "zccd.csv"
    not_yaml.write_text("state_fips,state_abbr,zcta,cd\n53,WA,9810,7\n")

    with pytest.raises(DirectoryError, match=r"legislator 1 \(C000127\): has no 'name: last'"):
        directory.import_files([broken])
    with pytest.raises(DirectoryError, match=r"zccd\.csv, line 2"):
        directory.import_files([not_yaml])
    notes = tmp_path / "notes.txt"
    notes.write_text("Call the senator on Monday.\n")
    with pytest.raises(DirectoryError, match=r"notes\.txt is not a file the directory can import"):
        directory.import_files([notes])
    with pytest.raises(DirectoryError, match="Could not read"):
        directory.import_files([tmp_path])  # a folder, not a file

    assert hashlib.sha256(directory.path.read_bytes()).hexdigest() == before


def test_the_same_kind_of_file_twice_is_refused(tmp_path: Path, shared_data: Path) -> None:
    directory = Directory(tmp_path / "dir")
    source = shared_data / FILE_NAMES[ZIPCODES]
    with pytest.raises(DirectoryError, match="same kind of file"):
        directory.import_files([source, source])
    assert not directory.path.exists()


def test_offices_or_zips_alone_cannot_start_a_directory(tmp_path: Path, shared_data: Path) -> None:
    directory = Directory(tmp_path / "dir")
    with pytest.raises(DirectoryError, match=r"import legislators-current\.yaml as well"):
        directory.import_files([shared_data / FILE_NAMES[ZIPCODES]])
    assert not directory.path.exists()


def test_an_empty_directory_says_what_to_do(tmp_path: Path) -> None:
    directory = Directory(tmp_path / "nothing")

    assert directory.info().is_empty
    assert "No members of Congress" in directory.warnings()[0]
    with pytest.raises(DirectoryError, match="no ZIP code table"):
        directory.find_by_zip("98105")
    assert "no members of Congress yet" in directory.find_by_state("WA").reason


def test_detect_role_reads_the_content_not_the_name(shared_data: Path) -> None:
    for role, name in FILE_NAMES.items():
        detected, _ = detect_role((shared_data / name).read_bytes(), "renamed.txt")
        assert detected == role


def test_zip_table_parsing_handles_crlf_duplicates_and_at_large() -> None:
    rows = parse_zip_table("state_fips,state_abbr,zcta,cd\r\n02,AK,99501,0\r\n02,AK,99501,0\r\n")
    assert rows == [("99501", "AK", 0)]


def test_normalize_zip() -> None:
    assert normalize_zip(" 98105 ") == "98105"
    assert normalize_zip("981051234") == "98105"
    assert normalize_zip("nope", strict=False) == ""


@pytest.fixture
def import_timer() -> Callable[[Directory, list[Path]], float]:
    import time

    def run(directory: Directory, files: list[Path]) -> float:
        start = time.perf_counter()
        directory.import_files(files)
        return time.perf_counter() - start

    return run


def test_importing_the_shared_files_takes_a_few_seconds_at_most(
    tmp_path: Path, shared_data: Path, import_timer: Callable[[Directory, list[Path]], float]
) -> None:
    elapsed = import_timer(Directory(tmp_path / "dir"), shared_files(shared_data))
    assert elapsed < 8.0, f"import took {elapsed:.1f} s"


def test_resolve_many_matches_single_look_ups(directory: Directory) -> None:
    ids = ["white-house", CANTWELL, f"{JAYAPAL}@washington", "dhs-secretary", NORTON]

    many = directory.resolve_many(ids, near_zip="99205")

    assert many == [directory.resolve(one, near_zip="99205") for one in ids]
    assert many[1].address_lines[-1] == "Spokane, WA 99201"
    with pytest.raises(DirectoryError, match="No official with the id 'X000000'"):
        directory.resolve_many([CANTWELL, "X000000"])
