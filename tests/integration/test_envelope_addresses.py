"""Envelopes the post can read, checked on the real PDF (``pdftotext -bbox-layout``).

A sender abroad, the long Puerto Rico address on a DL envelope, and the 10 pt
minimum for every address in the directory.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from composer.core.directory import Directory
from composer.core.models import Sender
from tests.helpers.cli import run_composer
from tests.helpers.pdf_layout import TextLine, find_line, pdf_layout

PUERTO_RICO = "H001103"  # the Resident Commissioner: a 63-character street line in Caguas
# The data's one line, "Centro de Bellas Artes, Calle Padial, esquina Calle Ruiz Belvis",
# becomes the building and then the street: the street line stays whole above the city.
PR_BUILDING = "Centro de Bellas Artes"
PR_STREET = "Calle Padial, esquina Calle Ruiz Belvis"
BERLIN_TOML = """\
name = "Anna Schmidt"
street = "Invalidenstraße 12"
city = "Berlin"
postal_code = "10115"
country = "Germany"
"""


def write_envelope(tmp_path: Path, sender: str, *args: str) -> tuple[list[TextLine], Path]:
    sender_file = tmp_path / "sender.toml"
    sender_file.write_text(sender, encoding="utf-8")
    out = tmp_path / "envelope.pdf"
    result = run_composer("envelope", "--sender", str(sender_file), *args, "--out", str(out))
    assert result.returncode == 0, result.stderr
    return pdf_layout(out)[1], out


@pytest.mark.parametrize("size", ["10", "dl"])
def test_a_sender_abroad_writes_the_destination_country_and_their_own_order(
    tmp_path: Path, size: str
) -> None:
    from composer.printing.envelope import envelope

    lines, _ = write_envelope(tmp_path, BERLIN_TOML, "--to", "C000127", "--size", size)

    texts = [line.text for line in lines]
    # The return address as the German post writes it, the country last.
    assert texts[:4] == ["Anna Schmidt", "Invalidenstraße 12", "10115 Berlin", "GERMANY"]
    # The delivery address ends with the country it goes to, inside the reading zone.
    country = find_line(lines, "UNITED STATES OF AMERICA")
    city = lines[-2]
    assert re.fullmatch(r"\w+, WA \d{5}", city.text)
    assert country.y_min > city.y_max
    read = envelope(size).read_area
    assert country.inside(read.x, read.y, read.right, read.bottom)
    assert texts[-1] == "UNITED STATES OF AMERICA"


def test_a_domestic_sender_gets_no_country_line(tmp_path: Path) -> None:
    toml = 'name = "Ana Ruiz"\nstreet = "12 Elm Street"\ncity = "Seattle"\nstate = "WA"\n'
    toml += 'postal_code = "98105"\ncountry = "USA"\n'
    lines, _ = write_envelope(tmp_path, toml, "--to", "C000127")
    assert "UNITED STATES OF AMERICA" not in [line.text for line in lines]


def test_the_long_puerto_rico_address_stays_whole_at_10_pt_or_more_on_dl(
    tmp_path: Path,
) -> None:
    from composer.printing.envelope import ENVELOPE_DL_SPEC

    lines, _ = write_envelope(tmp_path, 'name = "Ana Ruiz"\n', "--to", PUERTO_RICO, "--size", "dl")

    building = find_line(lines, PR_BUILDING)
    street = find_line(lines, PR_STREET)  # one line, not wrapped
    city = find_line(lines, "Caguas, PR 00725")
    assert building.y_max <= street.y_min
    assert street.y_max <= city.y_min  # directly above the city line
    texts = [line.text for line in lines]
    assert texts.index(PR_STREET) + 1 == texts.index("Caguas, PR 00725")
    read = ENVELOPE_DL_SPEC.read_area
    assert street.inside(read.x - 0.5, read.y, read.right + 0.5, read.bottom)
    # Cap height and descenders of 10 pt type take about 3.5 mm a line in DejaVu Sans.
    assert street.y_max - street.y_min >= 3.4


def test_no_address_in_the_directory_is_set_below_10_pt(qapp: object, tmp_path: Path) -> None:
    from composer.printing.envelope import ENVELOPE_10_SPEC, ENVELOPE_DL_SPEC, EnvelopePages
    from composer.printing.letter_layout import laid_out_lines

    directory = Directory(tmp_path / "none", bundled=True)
    addresses = [
        list(official.inside_address(office))
        for official in directory.all_officials()
        for office in official.offices
    ]
    assert len(addresses) > 1800
    for spec in (ENVELOPE_10_SPEC, ENVELOPE_DL_SPEC):
        pages = EnvelopePages(spec, [], addresses)
        for lines, document in zip(pages.addresses, pages._addresses, strict=True):
            assert document.defaultFont().pointSizeF() >= 10.0, (spec.name, lines)
            assert laid_out_lines(document) == len(lines), (spec.name, lines)


def test_a_line_too_long_is_abbreviated_by_publication_28_before_it_could_wrap(
    qapp: object,
) -> None:
    from composer.printing.envelope import ENVELOPE_DL_SPEC, EnvelopePages, abbreviate
    from composer.printing.letter_layout import laid_out_lines

    assert abbreviate("200 North High Street, Suite 400") == "200 N High St, Ste 400"
    assert abbreviate("915 SECOND AVENUE") == "915 2ND AVE"
    assert abbreviate("915 Second Ave., Suite 3206") == "915 2nd Ave, Ste 3206"
    # "Building" with no number is a name, shortened only to compress a line too long.
    bricker = "John W. Bricker Federal Building"
    assert abbreviate(bricker) == bricker
    assert abbreviate(bricker, compress=True) == "John W. Bricker Federal Bldg"
    long_street = (
        "12345 Northwest Martin Luther King Junior Memorial Boulevard Southwest, "
        "Building Seven, Second Floor, Suite 1200"
    )
    address = ["The Honorable Pat Example", "United States Representative", long_street,
               "Springfield, IL 62704"]  # fmt: skip

    pages = EnvelopePages(ENVELOPE_DL_SPEC, [], [address])

    text = pages._addresses[0].toPlainText().split("\n")
    assert pages._addresses[0].defaultFont().pointSizeF() >= 10.0
    assert laid_out_lines(pages._addresses[0]) == len(text)
    assert text[-1] == "Springfield, IL 62704"
    assert "Blvd" in text[-2] or "Blvd" in text[-3]
    assert text[0] == "The Honorable Pat Example"


def test_sender_address_orders() -> None:
    def postal_address_lines(sender: Sender) -> list[str]:
        return sender.address_lines()

    uk = Sender(name="A", street="10 Downing Street", city="London", postal_code="SW1A 2AA",
                country="United Kingdom")  # fmt: skip
    assert postal_address_lines(uk) == ["10 Downing Street", "London", "SW1A 2AA", "UNITED KINGDOM"]
    canada = Sender(street="1 Main St", city="Toronto", state="ON", postal_code="M5V 3L9",
                    country="Canada")  # fmt: skip
    assert postal_address_lines(canada)[-2:] == ["Toronto ON M5V 3L9", "CANADA"]
    home = Sender(street="12 Elm Street", city="Seattle", state="WA", postal_code="98105")
    assert postal_address_lines(home) == ["12 Elm Street", "Seattle, WA 98105"]


def test_long_office_lines_are_shortened_so_few_window_addresses_need_rewriting(
    qapp: object, tmp_path: Path
) -> None:
    """The inside address in the letter's window: the directory's own Publication 28
    shortening lets almost every address print as stored at 10 pt or more; the few
    left (six-line addresses, names wider than the window) are rewritten by the
    window's rules (composer.printing.window_address), none refused.
    """
    from composer.printing.letter_layout import LetterStyle, fit_window_address
    from composer.printing.paper import A4, LETTER

    directory = Directory(tmp_path / "none", bundled=True)
    addresses = [
        list(official.inside_address(office))
        for official in directory.all_officials()
        for office in official.offices
    ]
    style = LetterStyle()
    rewritten = {}
    for spec in (LETTER, A4):
        fitted = [fit_window_address(lines, spec, style)[0] for lines in addresses]
        assert None not in fitted
        rewritten[spec.name] = sum(1 for one in fitted if one is not None and one.rule)
    assert rewritten["letter"] <= 8
    assert rewritten["a4"] <= 8
    husted = directory.official("H001104").recipient(near_zip="43215").address_lines
    assert husted[2:] == (
        "John W. Bricker Federal Bldg",
        "200 N High St, Ste 600",
        "Columbus, OH 43215",
    )


def test_a_letter_from_abroad_shows_the_country_in_the_window(tmp_path: Path) -> None:
    from composer.printing.paper import A4

    sender_file = tmp_path / "sender.toml"
    sender_file.write_text(BERLIN_TOML, encoding="utf-8")
    out = tmp_path / "letter.pdf"
    result = run_composer(
        "render", "--to", "C000127", "--sender", str(sender_file), "--page", "a4",
        "--out", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr

    lines = [line for line in pdf_layout(out)[1] if line.page == 1]
    find_line(lines, "10115 Berlin")
    country = find_line(lines, "UNITED STATES OF AMERICA")
    window = A4.window
    assert country.inside(window.x, window.y, window.right, window.bottom)
