"""``composer render --to ID --to ID …``: one PDF per recipient, or all in one, read back as text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from composer.core.directory import FILE_NAMES
from tests.helpers.cli import run_composer
from tests.helpers.pdf import pdf_pages, pdf_text, squash

SENDER = """\
name = "Ana Ruiz"
street = "12 Elm Street"
city = "Seattle"
state = "WA"
postal_code = "98105"
"""

# White House, both Washington senators, the representative for 98105.
IDS = ["white-house", "C000127", "M001111", "J000298"]
GREETINGS = [
    "Dear Mr. President:",
    "Dear Senator Cantwell:",
    "Dear Senator Murray:",
    "Dear Representative Jayapal:",
]


@pytest.fixture
def sender_file(tmp_path: Path, shared_data: Path) -> Path:
    """A sender in Seattle, and the directory imported into the test's data folder."""
    result = run_composer(
        "directory", "import", *(str(shared_data / name) for name in FILE_NAMES.values())
    )
    assert result.returncode == 0, result.stderr
    path = tmp_path / "sender.toml"
    path.write_text(SENDER, encoding="utf-8")
    return path


def to_args(ids: list[str]) -> list[str]:
    return [part for recipient_id in ids for part in ("--to", recipient_id)]


def test_one_pdf_per_recipient(tmp_path: Path, sender_file: Path) -> None:
    out = tmp_path / "letters"

    result = run_composer("render", "--sender", str(sender_file), *to_args(IDS), "--out", f"{out}/")

    assert result.returncode == 0, result.stderr
    assert "Wrote 4 letter(s)" in result.stdout
    files = sorted(out.iterdir())
    assert [f.name for f in files] == [
        "001-white-house-the-president.pdf",
        "002-C000127-maria-cantwell.pdf",
        "003-M001111-patty-murray.pdf",
        "004-J000298-pramila-jayapal.pdf",
    ]
    for path, greeting in zip(files, GREETINGS, strict=True):
        text = squash(pdf_text(path))
        assert greeting in text
        others = [g for g in GREETINGS if g != greeting]
        assert not any(other in text for other in others), path.name
        assert "Ana Ruiz" in text and "Respectfully," in text
    cantwell = squash(pdf_text(files[1]))
    # Paper goes to the home-state office (Seattle), not to Washington.
    assert "The Honorable Maria Cantwell United States Senator" in cantwell
    assert "Seattle, WA 98174" in cantwell
    assert "Hart Senate Office Building" not in cantwell


def test_all_in_one_pdf(tmp_path: Path, sender_file: Path) -> None:
    out = tmp_path / "all.pdf"

    result = run_composer(
        "render",
        "--sender",
        str(sender_file),
        *to_args([*IDS, "C000127@washington"]),
        "--combined",
        "--out",
        str(out),
    )

    assert result.returncode == 0, result.stderr
    text = squash(pdf_text(out))
    positions = [text.index(greeting) for greeting in GREETINGS]
    assert positions == sorted(positions)
    assert text.count("Dear Senator Cantwell:") == 2
    assert "511 Hart Senate Office Building Washington, DC 20510" in text
    pages = int(result.stdout.split(" page(s)")[0].rsplit(" ", 1)[-1])
    assert pdf_pages(out) == pages >= 5


def test_several_recipients_need_a_folder_or_combined(tmp_path: Path, sender_file: Path) -> None:
    out = tmp_path / "x.pdf"

    result = run_composer(
        "render", "--sender", str(sender_file), *to_args(IDS[:2]), "--out", str(out)
    )

    assert result.returncode == 1
    assert "--out FOLDER/" in result.stderr and "--combined" in result.stderr
    assert not out.exists()


def test_an_unknown_id_stops_before_anything_is_written(tmp_path: Path, sender_file: Path) -> None:
    out = tmp_path / "letters"

    result = run_composer(
        "render", "--sender", str(sender_file), "--to", "C000127", "--to", "Z999999",
        "--out", f"{out}/",
    )  # fmt: skip

    assert result.returncode == 1
    assert "unknown recipient 'Z999999'" in result.stderr
    assert not out.exists()


def test_a_long_batch_is_written_by_worker_processes(tmp_path: Path, sender_file: Path) -> None:
    # 40 letters: enough to use the worker processes, and far more PySide6 calls
    # than it takes to free None on Python 3.11 without the guard.
    california = run_composer("directory", "find", "--state", "CA", "--json")
    assert california.returncode == 0, california.stderr
    entries = json.loads(california.stdout)["recipients"][:40]
    assert len(entries) == 40
    out = tmp_path / "many"

    result = run_composer(
        "render", "--sender", str(sender_file), *to_args([e["id"] for e in entries]),
        "--out", str(out),
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert "Wrote 40 letter(s)" in result.stdout
    files = sorted(out.iterdir())
    assert len(files) == 40
    for index in (0, 17, 39):
        text = squash(pdf_text(files[index]))
        assert entries[index]["salutation"] in text
        assert entries[index]["id"] in files[index].name
