"""The bundled letter templates (formal block letter, e-mail) and templates shipped in packs."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from composer.cli import main
from composer.core.campaigns import find_campaign, load_campaign
from composer.core.models import Letter, Sender, white_house
from composer.core.render import Renderer, RenderError

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "docs" / "example-pack"
BODY = "<p>First paragraph of the letter.</p><p>Second paragraph, with <b>emphasis</b>.</p>"


@pytest.fixture
def letter() -> Letter:
    sender = Sender(
        name="Jordan Example",
        street="12 Elm Street",
        city="Springfield",
        state="IL",
        postal_code="62701",
        email="jordan@example.org",
        phone="555-0100",
    )
    return Letter(
        sender=sender,
        recipients=[white_house()],
        subject="A request about protection",
        body_html=BODY,
        date=dt.date(2025, 3, 4),
        complimentary_close="Respectfully,",
    )


def lines_of(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def test_formal_letter_is_a_block_letter(letter: Letter) -> None:
    rendered = Renderer().render(letter, white_house(), "formal")
    assert lines_of(rendered.text) == [
        "Jordan Example",
        "12 Elm Street",
        "Springfield, IL 62701",
        "jordan@example.org",
        "555-0100",
        "March 4, 2025",
        "The President",
        "The White House",
        "1600 Pennsylvania Avenue NW",
        "Washington, DC 20500",
        "Re: A request about protection",
        "Dear Mr. President:",
        "First paragraph of the letter.",
        "Second paragraph, with emphasis.",
        "Respectfully,",
        "Jordan Example",
    ]
    # The document version (HTML file) carries the postal header too...
    document = rendered.document_html
    assert document.index("12 Elm Street") < document.index("March 4, 2025")
    assert document.index("March 4, 2025") < document.index("1600 Pennsylvania Avenue NW")
    assert document.index("1600 Pennsylvania Avenue NW") < document.index("Dear Mr. President:")
    # ...while the flowing part leaves it to the page layout, which places the address
    # where the envelope window is.
    assert "1600 Pennsylvania" not in rendered.flow_html
    assert "12 Elm Street" not in rendered.flow_html
    assert "Dear Mr. President:" in rendered.flow_html
    assert "<b>emphasis</b>" in rendered.flow_html


def test_email_has_no_postal_header(letter: Letter) -> None:
    rendered = Renderer().render(letter, white_house(), "email")
    text = lines_of(rendered.text)
    assert text[0] == "Dear Mr. President:"
    assert text[1:5] == [
        "First paragraph of the letter.",
        "Second paragraph, with emphasis.",
        "Respectfully,",
        "Jordan Example",
    ]
    # The sender's contact details follow the name; no inside address, no date line.
    assert text[5:] == ["12 Elm Street", "Springfield, IL 62701", "jordan@example.org", "555-0100"]
    for document in (rendered.text, rendered.document_html, rendered.flow_html):
        assert "1600 Pennsylvania" not in document
        assert "The White House" not in document
        assert "March 4, 2025" not in document
        assert "Re: " not in document
    assert rendered.document_html.lstrip().startswith("<!DOCTYPE html>")
    assert "<title>A request about protection</title>" in rendered.document_html
    assert "<b>emphasis</b>" in rendered.document_html


def test_email_with_a_bare_profile_has_no_empty_contact_block(letter: Letter) -> None:
    letter.sender = Sender(name="Jordan Example")
    rendered = Renderer().render(letter, white_house(), "email")
    assert lines_of(rendered.text)[-2:] == ["Respectfully,", "Jordan Example"]
    assert "color: #555555" not in rendered.document_html


def test_values_are_escaped_in_html(letter: Letter) -> None:
    letter.sender = Sender(name="A <script>alert(1)</script> & Co", street="1 Main St")
    for template in ("formal", "email"):
        rendered = Renderer().render(letter, white_house(), template)
        assert "<script>" not in rendered.document_html
        assert "&lt;script&gt;" in rendered.document_html
        assert "A <script>alert(1)</script> & Co" in rendered.text


def test_bundled_campaign_names_both_templates(letter: Letter) -> None:
    campaign = find_campaign("protect-russian-defectors")
    renderer = Renderer(campaign.templates)
    printed = renderer.render(letter, white_house(), campaign.template)
    mailed = renderer.render(letter, white_house(), campaign.email_template)
    assert (campaign.template, campaign.email_template) == ("formal", "email")
    assert "1600 Pennsylvania Avenue NW" in printed.text
    assert "1600 Pennsylvania Avenue NW" not in mailed.text


def test_pack_templates_override_the_bundled_ones(tmp_path: Path, letter: Letter) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(EXAMPLE, pack)
    (pack / "templates").mkdir()
    (pack / "templates" / "formal.txt.j2").write_text(
        "PACK LETTER for {{ recipient.name }}\n\n{{ body_text }}\n\n{{ closing }}\n{{ signature }}\n"
    )
    (pack / "templates" / "plain.html.j2").write_text("<div class='plain'>{{ body }}</div>")
    (pack / "templates" / "plain.txt.j2").write_text("{{ body_text }}")
    toml = pack / "campaign.toml"
    toml.write_text(
        toml.read_text().replace('email_template = "email"', 'email_template = "plain"')
    )
    campaign = load_campaign(pack)
    assert sorted(campaign.templates) == ["formal.txt", "plain.html", "plain.txt"]
    renderer = Renderer(campaign.templates)
    printed = renderer.render(letter, white_house(), campaign.template)
    assert printed.text.startswith("PACK LETTER for The President\n")
    # The pack replaced only formal.txt; the bundled formal.html still lays out the page.
    assert 'class="salutation"' in printed.flow_html
    mailed = renderer.render(letter, white_house(), campaign.email_template)
    assert mailed.document_html.startswith("<div class='plain'><p>First paragraph")
    # Another campaign's renderer is untouched by this pack.
    assert not Renderer().render(letter, white_house(), "formal").text.startswith("PACK")


HOSTILE = (
    "{{ body.__class__.__mro__[1].__subclasses__() }}",
    "{{ body|attr('__cla' ~ 'ss__') }}",
    "{{ cycler.__init__.__globals__.os.system('true') }}",
    "{{ signature.__class__.__base__.__subclasses__() }}",
    "{% for c in body|attr('__class__') %}{% endfor %}",
)


@pytest.mark.parametrize("code", HOSTILE)
def test_hostile_pack_template_is_refused_by_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], code: str
) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(EXAMPLE, pack)
    (pack / "templates").mkdir()
    (pack / "templates" / "formal.html.j2").write_text(f"<p>{{{{ body }}}}</p>\n{code}\n")
    assert main(["campaign", "check", str(pack)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    problems = err.splitlines()[:-1]
    assert problems
    assert all(line.startswith(f"{pack}/templates/formal.html.j2:2: ") for line in problems)


@pytest.mark.parametrize("code", HOSTILE)
def test_hostile_template_is_blocked_by_the_sandbox_at_render_time(
    letter: Letter, code: str
) -> None:
    # As if a template had slipped past the check: the sandbox still stops it.
    renderer = Renderer({"formal.html": f"<p>{{{{ body }}}}</p>\n{code}\n"})
    with pytest.raises(RenderError, match=r"tried something not allowed: access to attribute"):
        renderer.render(letter, white_house(), "formal")


def test_a_missing_template_is_named(letter: Letter) -> None:
    with pytest.raises(RenderError, match=r"no template named 'fancy\.html'"):
        Renderer().render(letter, white_house(), "fancy")
