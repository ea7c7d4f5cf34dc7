"""Term changes: letters to members whose term is over warn first; an election says when to update.

The clock is injected (``composer.core.congress.current_date`` or a directory's
own `today`); nothing waits for a date to come.
"""

from __future__ import annotations

import datetime as dt
import socket
from pathlib import Path

import pytest

from composer.cli import main
from composer.core import congress as congress_module
from composer.core.congress import (
    changeover_warning,
    election_day,
    update_due,
)
from composer.core.directory import (
    DEFAULT_URLS,
    Directory,
    DirectoryError,
    update_from_internet,
)

JAYAPAL = "J000298"
CANTWELL = "C000127"  # term to January 3, 2031
DATA_DATE = dt.date(2026, 6, 10)


def bundled_at(day: dt.date, tmp_path: Path) -> Directory:
    return Directory(tmp_path / "none", lambda: day, bundled=True)


def set_clock(monkeypatch: pytest.MonkeyPatch, day: dt.date) -> None:
    monkeypatch.setattr(congress_module, "current_date", lambda: day)


def sender_file(tmp_path: Path) -> Path:
    path = tmp_path / "sender.toml"
    path.write_text(
        'name = "Ana Ruiz"\nstreet = "12 Elm Street"\ncity = "Seattle"\nstate = "WA"\n'
        'postal_code = "98105"\n',
        encoding="utf-8",
    )
    return path


# -- the constitutional calendar ---------------------------------------------------------


def test_election_days() -> None:
    assert election_day(2026) == dt.date(2026, 11, 3)
    assert election_day(2028) == dt.date(2028, 11, 7)
    assert election_day(2030) == dt.date(2030, 11, 5)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (dt.date(2026, 11, 2), False),  # before the election
        (dt.date(2026, 11, 3), True),  # election day
        (dt.date(2026, 12, 3), True),
        (dt.date(2027, 1, 2), True),
        (dt.date(2027, 1, 3), False),  # the new Congress has begun: another warning says so
    ],
)
def test_between_the_election_and_the_new_congress(today: dt.date, expected: bool) -> None:
    text = changeover_warning(DATA_DATE, today)
    assert bool(text) is expected
    if expected:
        assert "after January 3, 2027" in text
        assert "120th Congress" in text
        assert update_due(DATA_DATE, today) == "2027-01-03"
    # Data from the new Congress needs no such warning.
    assert changeover_warning(dt.date(2027, 1, 3), today) == ""


def test_info_and_the_cli_say_when_to_update(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    december = bundled_at(dt.date(2026, 12, 3), tmp_path)
    assert any("after January 3, 2027" in text for text in december.warnings())
    assert any("after January 3, 2027" in text for text in december.find_by_zip("98105").warnings)
    summer = bundled_at(dt.date(2026, 8, 1), tmp_path)
    assert summer.warnings() == []

    set_clock(monkeypatch, dt.date(2026, 12, 3))
    assert main(["directory", "info"]) == 0
    err = capsys.readouterr().err
    assert "update the directory after January 3, 2027" in err
    assert "composer directory update" in err


# -- letters to members whose term is over ----------------------------------------------


def test_term_warnings_by_post_and_by_e_mail(tmp_path: Path) -> None:
    directory = bundled_at(dt.date(2027, 1, 10), tmp_path)
    jayapal = directory.resolve(JAYAPAL)
    cantwell = directory.resolve(CANTWELL)

    warnings = directory.term_warnings([jayapal, cantwell], by_post=True)
    assert "Representative Pramila Jayapal" in warnings[0]
    assert "ended on January 3, 2027" in warnings[0]
    assert "Cantwell" not in " ".join(warnings)
    assert "Update the directory" in warnings[-1]

    # Late December: the term is not over, but a letter posted now arrives after it.
    late = bundled_at(dt.date(2026, 12, 30), tmp_path)
    by_post = late.term_warnings([jayapal], by_post=True)
    assert "ends on January 3, 2027, before a letter posted today" in by_post[0]
    assert late.term_warnings([jayapal], by_post=False) == []
    # Mail to Washington is screened first, so it is allowed more time.
    washington = late.resolve(f"{JAYAPAL}@washington")
    early = bundled_at(dt.date(2026, 12, 20), tmp_path)
    assert early.term_warnings([jayapal], by_post=True) == []
    assert early.term_warnings([washington], by_post=True) != []
    # Summer: nothing to say; built-in offices are never checked.
    summer = bundled_at(dt.date(2026, 8, 1), tmp_path)
    assert summer.term_warnings([jayapal, summer.resolve("white-house")], by_post=True) == []


def test_a_render_to_a_departed_member_warns_before_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    set_clock(monkeypatch, dt.date(2027, 1, 10))
    out = tmp_path / "letter.txt"
    argv = ["render", "--to", JAYAPAL, "--sender", str(sender_file(tmp_path)), "--out", str(out)]

    assert main(argv) == 0

    err = capsys.readouterr().err
    assert "Representative Pramila Jayapal ended on January 3, 2027" in err
    assert out.exists()

    set_clock(monkeypatch, dt.date(2026, 8, 1))
    assert main(argv) == 0
    assert "warning" not in capsys.readouterr().err


def test_a_merge_to_many_departed_members_warns_once_with_a_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    set_clock(monkeypatch, dt.date(2027, 1, 10))
    house = [
        official.id
        for official in bundled_at(dt.date(2027, 1, 10), tmp_path).find_by_state("CA").officials
        if official.kind == "representative"
    ]
    argv = ["render", "--sender", str(sender_file(tmp_path)), "--out", str(tmp_path / "a.txt")]
    for member in house:
        argv += ["--to", member]

    assert main(argv) == 0

    err = capsys.readouterr().err
    assert f"and {len(house) - 5} other members ended on January 3, 2027" in err
    assert err.count("warning:") == 2  # the names, then what to do


def test_an_envelope_to_a_departed_member_warns(
    qapp: object,  # the envelope is drawn in this process: the run's one QApplication
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    set_clock(monkeypatch, dt.date(2027, 1, 10))
    out = tmp_path / "envelope.pdf"
    argv = ["envelope", "--to", JAYAPAL, "--sender", str(sender_file(tmp_path))]
    assert main([*argv, "--out", str(out)]) == 0
    assert "Pramila Jayapal ended on January 3, 2027" in capsys.readouterr().err


# -- a failed update says what happened, in words ----------------------------------------


def test_an_offline_update_says_so_and_names_the_data_in_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_network(*args: object, **kwargs: object) -> object:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    directory = bundled_at(dt.date(2026, 12, 3), tmp_path)

    with pytest.raises(DirectoryError) as caught:
        update_from_internet(DEFAULT_URLS, directory)

    message = str(caught.value)
    assert "offline" in message
    assert "raw.githubusercontent.com" in message
    assert "the data of June 10, 2026 (bundled with the program) stays in use" in message
    assert "Errno" not in message
    assert directory.uses_bundled
