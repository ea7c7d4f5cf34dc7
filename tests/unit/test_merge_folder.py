"""Writing one PDF each into a folder that already holds letters from an earlier run."""

from __future__ import annotations

from pathlib import Path

from composer.core.merge import earlier_letters, fresh_folder
from tests.helpers.cli import run_composer

SHORT = ("--arguments", "opening-citizen-concern,reply-congress")


def test_a_second_batch_goes_to_a_fresh_folder(tmp_path: Path) -> None:
    out = tmp_path / "letters"
    first = run_composer(
        "render", *SHORT, "--to", "white-house", "--to", "C000127", "--to", "M001111",
        "--out", f"{out}/",
    )  # fmt: skip
    assert first.returncode == 0, first.stderr
    before = sorted(p.name for p in out.iterdir())
    assert len(before) == 3

    second = run_composer(
        "render", *SHORT, "--to", "J000298", "--to", "white-house", "--out", f"{out}/"
    )

    assert second.returncode == 0, second.stderr
    assert "already holds 3 letter(s) from an earlier run" in second.stderr
    assert sorted(p.name for p in out.iterdir()) == before  # the first batch untouched
    fresh = tmp_path / "letters-2"
    assert sorted(p.name for p in fresh.iterdir()) == [
        "001-J000298-pramila-jayapal.pdf",
        "002-white-house-the-president.pdf",
    ]
    assert str(fresh) in second.stdout


def test_fresh_folder_rules(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    assert fresh_folder(folder) == folder  # not there yet
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    assert fresh_folder(folder) == folder  # other files are not letters
    (folder / "001-white-house-the-president.pdf").write_bytes(b"%PDF")
    assert earlier_letters(folder) == [folder / "001-white-house-the-president.pdf"]
    (tmp_path / "out-2").mkdir()
    (tmp_path / "out-2" / "x").write_text("taken")
    assert fresh_folder(folder) == tmp_path / "out-3"
