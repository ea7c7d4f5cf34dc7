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


def test_a_sender_file_that_cannot_be_right_is_refused_before_printing(tmp_path: Path) -> None:
    sender = tmp_path / "sender.toml"
    sender.write_text(
        'name = "Ana Ruiz"\nstreet = "12 Elm Street"\ncity = "Seattle"\n'
        'state = "Wash"\npostal_code = "abc"\nemail = "ana@"\n',
        encoding="utf-8",
    )
    out = tmp_path / "envelope.pdf"
    done = run_composer("envelope", "--sender", str(sender), "--out", str(out))
    assert done.returncode == 1 and not out.exists()
    message = done.stderr.strip()
    assert len(message.splitlines()) == 1 and "Traceback" not in message
    assert "State: “Wash” is not a US state. Type its two-letter postal code" in message
    assert "ZIP code: “abc” is not a ZIP code. Type the five digits" in message
    assert "E-mail:" in message and "for example ana@example.org" in message
    letter = tmp_path / "letter.pdf"
    done = run_composer("render", "--sender", str(sender), "--out", str(letter))
    assert done.returncode == 1 and not letter.exists()
    # A lower-case state code is simply written in capitals.
    sender.write_text('name = "Ana Ruiz"\nstate = "wa"\npostal_code = "98105"\n', encoding="utf-8")
    done = run_composer("render", "--sender", str(sender), "--out", str(tmp_path / "ok.txt"))
    assert done.returncode == 0, done.stderr
    assert "WA 98105" in (tmp_path / "ok.txt").read_text(encoding="utf-8")
