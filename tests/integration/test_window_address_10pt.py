"""Every address in the directory shows through the letter's envelope window at 10 pt or
more, in a sans-serif face, with the street line whole directly above the city line;
checked for US Letter and A4, and on real PDFs read back for the addresses that had to
be rewritten or moved to fit."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from composer.core.directory import Directory
from composer.core.models import custom_recipient
from composer.printing.paper import A4, LETTER, PaperSpec
from tests.helpers.pdf_layout import pdf_layout

PAPERS = [LETTER, A4]
# 10 pt of DejaVu Sans: its line box (ascent and descent, 1.164 em) is 4.1 mm tall;
# 9.5 pt would be 3.9 mm.
TEN_POINT_LINE_MM = 10 * 1.164 * 25.4 / 72 - 0.05


@pytest.fixture(scope="module")
def addresses(tmp_path_factory: pytest.TempPathFactory) -> list[list[str]]:
    directory = Directory(tmp_path_factory.mktemp("directory") / "none", bundled=True)
    found = [
        list(official.inside_address(office))
        for official in directory.all_officials()
        for office in official.offices
    ]
    assert len(found) > 1800
    return found


def _first_word(line: str) -> str:
    return line.split()[0].rstrip(",.")


@pytest.mark.parametrize("spec", PAPERS, ids=["letter", "a4"])
def test_every_directory_address_fits_the_window_at_10_pt_or_more(
    qapp: object, addresses: list[list[str]], spec: PaperSpec
) -> None:
    from composer.printing.letter_layout import LetterStyle, fit_window_address, laid_out_lines

    style = LetterStyle()
    rewritten = []
    for written in addresses:
        fitted, _too_tall = fit_window_address(written, spec, style)
        assert fitted is not None, (spec.name, written)
        font = fitted.document.defaultFont()
        assert font.pointSizeF() >= 10.0, (spec.name, written)
        assert "Sans" in font.family()
        printed = fitted.lines
        assert laid_out_lines(fitted.document) == len(printed), (spec.name, printed)  # no wrap
        assert spec.window.contains(fitted.area)
        # The city line last and the street (its house number first) directly above it.
        assert printed[-1].replace(",", "") == written[-1].replace(",", "")
        assert _first_word(printed[-2]) == _first_word(written[-2]), (spec.name, printed)
        assert printed[0].startswith("The Honorable")
        if fitted.rule:
            rewritten.append((fitted.rule, printed))
    rules = {rule for rule, _lines in rewritten}
    # The hard ones: names wider than the window are broken (both papers), and on Letter
    # six-line addresses lose their second name line or put their suite back on the street.
    assert "broken" in rules
    if spec is LETTER:
        assert {"dropped", "joined"} <= rules
        assert [
            "The Honorable Thomas H. Kean, Jr.",
            "Mt Olive Township Municipal Bldg",
            "Municipal Council Chambers",
            "204 Flanders-Drakestown Rd",
            "Budd Lake, NJ 07828",
        ] in [lines for _rule, lines in rewritten]
    assert len(rewritten) < 20


@pytest.mark.parametrize("spec", PAPERS, ids=["letter", "a4"])
def test_the_rewritten_addresses_print_at_10_pt_in_the_window_of_the_pdf(
    qapp: object, addresses: list[list[str]], spec: PaperSpec, tmp_path: Path
) -> None:
    """The addresses that had to be rewritten or moved, and the longest ones, printed in
    one PDF: every line read back lies in the window, whole, and is 10 pt tall or more."""
    from composer.core.campaigns import default_campaign
    from composer.core.compose import new_letter
    from composer.core.render import Renderer
    from composer.printing.letter_layout import LetterPages, LetterStyle, fit_window_address
    from composer.printing.output import write_pdf

    style = LetterStyle()
    hard = []
    for written in addresses:
        fitted, _ = fit_window_address(written, spec, style)
        assert fitted is not None
        if fitted.rule or fitted.area != spec.address_area or len(written) >= 6:
            hard.append(written)
    hard += sorted(addresses, key=lambda lines: -max(len(line) for line in lines))[:5]
    assert len(hard) >= 12

    campaign = default_campaign()
    recipient = custom_recipient(hard[0][0], "\n".join(hard[0][1:]))
    letter = new_letter(campaign, recipients=[recipient])
    rendered = Renderer(campaign.templates).render(letter, recipient, campaign.template)
    letters = [
        LetterPages(dataclasses.replace(rendered, address_lines=tuple(lines)), spec)
        for lines in hard
    ]
    for pages in letters:
        assert pages.address_problem() is None
    pdf = tmp_path / "addresses.pdf"
    write_pdf(pdf, letters)
    _boxes, lines = pdf_layout(pdf)

    first_page = 1
    window = spec.window
    for pages in letters:
        on_page = [
            line
            for line in lines
            if line.page == first_page
            and line.overlaps(window.x, window.y, window.right, window.bottom)
        ]
        texts = [line.text for line in on_page]
        printed = pages.address_lines
        start = texts.index(printed[0])
        assert texts[start : start + len(printed)] == printed  # each line whole, in order
        for line in on_page[start : start + len(printed)]:
            assert line.inside(window.x, window.y, window.right, window.bottom), line
            assert line.y_max - line.y_min >= TEN_POINT_LINE_MM, line
        first_page += pages.page_count


@pytest.mark.parametrize("spec", PAPERS, ids=["letter", "a4"])
def test_a_street_line_too_long_even_abbreviated_is_refused_not_shrunk(
    qapp: object, spec: PaperSpec, tmp_path: Path
) -> None:
    """The street line is never broken: one too wide at 10 pt stops the output, and the
    message says which line to shorten."""
    from composer.printing.letter_layout import LetterStyle, fit_window_address
    from composer.printing.output import AddressDoesNotFit, write_pdf

    street = "1234567 Extraordinarily Longnamed Memorial Parkway Extension Northwest"
    written = ["The Honorable Pat Adams", street, "Springfield, IL 62704"]
    fitted, too_tall = fit_window_address(written, spec, LetterStyle())
    assert fitted is None and not too_tall

    from composer.core.campaigns import default_campaign
    from composer.core.compose import new_letter
    from composer.core.render import Renderer
    from composer.printing.letter_layout import LetterPages

    campaign = default_campaign()
    recipient = custom_recipient(written[0], "\n".join(written[1:]))
    letter = new_letter(campaign, recipients=[recipient])
    rendered = Renderer(campaign.templates).render(letter, recipient, campaign.template)
    pages = LetterPages(rendered, spec)
    problem = pages.address_problem()
    assert problem is not None
    assert "a line too long for the envelope window, even at 10 pt" in problem
    assert "Shorten the street line" in problem
    with pytest.raises(AddressDoesNotFit):
        write_pdf(tmp_path / "refused.pdf", [pages])
    assert not list(tmp_path.iterdir())
