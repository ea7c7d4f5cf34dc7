"""``composer render --to`` and ``send``: any recipient, routed paragraphs, the pack's templates."""

from __future__ import annotations

import re
import zipfile
from importlib.resources import files
from pathlib import Path

import pytest

from composer.core.campaigns import default_campaign, load_campaign
from composer.core.locations import Locations
from composer.core.offices import builtin_office
from composer.core.outbox import Outbox
from tests.helpers.cli import run_composer
from tests.helpers.docs_pack import write_docs_example
from tests.helpers.pdf import pdf_text, squash

SENDER = 'name = "Ana Ruiz"\nstreet = "12 Elm Street"\ncity = "Anytown"\nstate = "WA"\n'


@pytest.fixture
def sender_file(tmp_path: Path) -> Path:
    path = tmp_path / "sender.toml"
    path.write_text(SENDER, encoding="utf-8")
    return path


@pytest.fixture
def council_pack(tmp_path: Path) -> Path:
    return write_docs_example(tmp_path / "docs")


def words_of(text: str, count: int = 25) -> str:
    """The start of a paragraph as printed (a prompt to the writer is never printed)."""
    return " ".join(re.sub(r"\[\[.*?\]\]", "", text).split()[:count])


def test_the_docs_council_pack_renders_its_letter_to_the_council_member(
    tmp_path: Path, sender_file: Path, council_pack: Path
) -> None:
    check = run_composer("campaign", "check", str(council_pack))
    assert check.returncode == 0, check.stderr
    assert "warning" not in check.stderr
    campaign = load_campaign(council_pack)
    out = tmp_path / "letter.pdf"
    result = run_composer(
        "render", "--campaign", str(council_pack), "--to", "council-ward-3",
        "--sender", str(sender_file), "--out", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    text = squash(pdf_text(out))
    member = campaign.addressee("council-ward-3")
    assert member is not None
    for line in (*member.address_lines, member.salutation, campaign.complimentary_close):
        assert line in text
    for argument_id in campaign.arguments_for(member):
        assert words_of(campaign.argument(argument_id).plain_text) in text
    assert "President" not in text and "Congress" not in text
    # Its default recipient is the council member: no --to needed.
    plain = tmp_path / "letter.txt"
    again = run_composer(
        "render", "--campaign", str(council_pack), "--sender", str(sender_file),
        "--out", str(plain),
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert member.salutation in plain.read_text(encoding="utf-8")


def test_no_silent_white_house_for_a_pack_without_a_default(
    tmp_path: Path, sender_file: Path, council_pack: Path
) -> None:
    toml = council_pack / "campaign.toml"
    toml.write_text(
        "\n".join(
            line for line in toml.read_text(encoding="utf-8").splitlines()
            if not line.startswith("default_recipient")
        ),
        encoding="utf-8",
    )  # fmt: skip
    out = tmp_path / "letter.pdf"
    result = run_composer(
        "render", "--campaign", str(council_pack), "--sender", str(sender_file),
        "--out", str(out),
    )  # fmt: skip
    assert result.returncode != 0
    assert not out.exists()
    assert "no default recipient" in result.stderr and "--to" in result.stderr
    assert "council-ward-3" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_recipient_file_for_someone_in_no_directory(
    tmp_path: Path, sender_file: Path, council_pack: Path
) -> None:
    someone = tmp_path / "librarian.toml"
    someone.write_text(
        'name = "The Director of Libraries"\ntitle = "Anytown Public Library"\n'
        'address = ["Main Library", "200 Main Street", "Anytown, ST 12345"]\n'
        'salutation = "Dear Director:"\nemail = "director@example.org"\n',
        encoding="utf-8",
    )
    out = tmp_path / "letter.txt"
    result = run_composer(
        "render", "--campaign", str(council_pack), "--to", str(someone),
        "--sender", str(sender_file), "--out", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert "Dear Director:" in text and "200 Main Street" in text
    # A wrong file is one clear line, not a traceback.
    broken = tmp_path / "broken.toml"
    broken.write_text('name = "Nobody"\n', encoding="utf-8")
    refused = run_composer(
        "render", "--campaign", str(council_pack), "--to", str(broken), "--out", str(out),
    )  # fmt: skip
    assert refused.returncode != 0
    assert "needs name and address" in refused.stderr and "Traceback" not in refused.stderr


@pytest.mark.parametrize("office", ["attorney-general", "secretary-of-state", "dhs-secretary"])
def test_the_bundled_campaign_writes_to_each_cabinet_office(
    tmp_path: Path, sender_file: Path, office: str
) -> None:
    out = tmp_path / "letter.txt"
    result = run_composer("render", "--to", office, "--sender", str(sender_file), "--out", str(out))
    assert result.returncode == 0, result.stderr
    text = " ".join(out.read_text(encoding="utf-8").split())
    recipient = builtin_office(office)
    assert recipient is not None
    assert " ".join(recipient.address_lines) in text and recipient.salutation in text
    assert "Dear Mr. President:" not in text
    campaign = default_campaign()
    for argument_id in campaign.arguments_for(recipient):
        assert words_of(campaign.argument(argument_id).plain_text) in text


def test_render_takes_a_zipped_pack(tmp_path: Path, sender_file: Path, council_pack: Path) -> None:
    archive = tmp_path / "library-sundays.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in sorted(council_pack.rglob("*")):
            zipped.write(path, path.relative_to(council_pack.parent).as_posix())
    out = tmp_path / "letter.txt"
    result = run_composer(
        "render", "--campaign", str(archive), "--sender", str(sender_file), "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    assert "Dear Council Member:" in out.read_text(encoding="utf-8")


def test_campaign_check_warns_of_a_misspelt_key(council_pack: Path) -> None:
    toml = council_pack / "campaign.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace("complimentary_close", "complimentary_clos"),
        encoding="utf-8",
    )
    result = run_composer("campaign", "check", str(council_pack))
    assert result.returncode == 0, result.stderr
    assert "warning:" in result.stderr and "did you mean 'complimentary_close'?" in result.stderr


def test_send_uses_the_packs_email_template(
    tmp_path: Path, sender_file: Path, council_pack: Path
) -> None:
    bundled = files("composer.resources").joinpath("templates")
    (council_pack / "templates").mkdir()
    for form in ("html", "txt"):
        text = bundled.joinpath(f"email.{form}.j2").read_text(encoding="utf-8")
        (council_pack / "templates" / f"council-mail.{form}.j2").write_text(
            text.replace("{{ recipient.salutation }}", "{{ recipient.salutation }} (Ward 3 mail)"),
            encoding="utf-8",
        )
    toml = council_pack / "campaign.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace(
            'complimentary_close = "Sincerely,"',
            'complimentary_close = "Sincerely,"\nemail_template = "council-mail"',
        ),
        encoding="utf-8",
    )
    account = run_composer(
        "account", "set", "--email", "ana@example.org", "--host", "127.0.0.1",
        "--port", "2525", "--security", "starttls",
    )  # fmt: skip
    assert account.returncode == 0, account.stderr
    queued = run_composer(
        "send", "--campaign", str(council_pack), "--sender", str(sender_file), "--queue-only",
    )  # fmt: skip
    assert queued.returncode == 0, queued.stderr
    outbox = Outbox(Locations.default().database_file)
    try:
        [entry] = outbox.entries()
        raw = outbox.raw(entry.id).decode("utf-8", "replace")
    finally:
        outbox.close()
    assert "ward3@example.org" in raw
    assert "(Ward 3 mail)" in raw


def test_each_office_gets_its_own_paragraphs_from_one_command(
    tmp_path: Path, sender_file: Path, shared_data: Path
) -> None:
    from composer.core.directory import FILE_NAMES

    imported = run_composer(
        "directory", "import", *(str(shared_data / name) for name in FILE_NAMES.values())
    )
    assert imported.returncode == 0, imported.stderr
    out = tmp_path / "letters.txt"
    result = run_composer(
        "render", "--to", "white-house", "--to", "dhs-secretary", "--to", "C000127",
        "--sender", str(sender_file), "--out", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    president, secretary, senator = (
        " ".join(part.split()) for part in out.read_text(encoding="utf-8").split("\f")
    )
    assert "Dear Mr. President:" in president
    assert "Dear Secretary of Homeland Security:" in secretary
    assert "Dear Senator Cantwell:" in senator
    campaign = default_campaign()
    groups = {
        "white-house": {"white-house"},
        "dhs-secretary": {"dhs-secretary"},
        "congress": {"role:senators", "role:representative"},
    }
    written = {
        name: {a.id for a in campaign.arguments if a.recipients and set(a.recipients) <= targets}
        for name, targets in groups.items()
    }
    for name, text in (
        ("white-house", president),
        ("dhs-secretary", secretary),
        ("congress", senator),
    ):
        assert written[name]
        for other, argument_ids in written.items():
            for argument_id in argument_ids:
                shown = words_of(campaign.argument(argument_id).plain_text) in text
                assert shown == (other == name), (name, argument_id)
