"""``composer envelope``: the envelope goes to the same office as the letter."""

from __future__ import annotations

from pathlib import Path

from composer.core.directory import FILE_NAMES
from tests.helpers.cli import run_composer
from tests.helpers.pdf import pdf_text

SENDER = """\
name = "Ana Ruiz"
street = "12 Elm Street"
city = "Seattle"
state = "WA"
postal_code = "98105"
"""


def test_envelope_and_letter_address_the_same_office(tmp_path: Path, shared_data: Path) -> None:
    """A Seattle writer's senator has offices in Seattle and Everett: the letter, its
    envelope and the mail merge all choose the Seattle one."""
    files = [str(shared_data / name) for name in FILE_NAMES.values()]
    imported = run_composer("directory", "import", *files)
    assert imported.returncode == 0, imported.stderr
    sender = tmp_path / "sender.toml"
    sender.write_text(SENDER, encoding="utf-8")
    envelope = tmp_path / "envelope.pdf"
    letter = tmp_path / "letter.pdf"
    common = ["--to", "C000127", "--sender", str(sender)]
    done = run_composer("envelope", *common, "--out", str(envelope))
    assert done.returncode == 0, done.stderr
    done = run_composer("render", *common, "--out", str(letter))
    assert done.returncode == 0, done.stderr
    on_envelope, on_letter = pdf_text(envelope), pdf_text(letter)
    assert "Seattle, WA 98174" in on_envelope and "Seattle, WA 98174" in on_letter
    assert "Everett" not in on_envelope and "Everett" not in on_letter
