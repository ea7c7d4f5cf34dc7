"""Printed pages read back from the PDF: the address in the envelope window, envelopes, long letters.

Each check converts pdftotext's boxes (points) to millimetres and compares them with
the geometry in composer.printing.paper and composer.printing.envelope.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from pathlib import Path

import pytest

from composer.core.models import Sender, custom_recipient, white_house
from composer.printing.paper import A4, LETTER, USPS_WINDOW_CLEARANCE, PaperSpec
from tests.helpers.cli import run_composer
from tests.helpers.pdf_layout import TextLine, find_line, pdf_layout

SENDER_TOML = """\
[sender]
name = "Jane Q. Public"
street = "123 Maple Street\\nApt 4B"
city = "Springfield"
state = "IL"
postal_code = "62704"
email = "jane@example.org"
phone = "(217) 555-0143"
"""
SENDER = Sender(
    name="Jane Q. Public",
    street="123 Maple Street\nApt 4B",
    city="Springfield",
    state="IL",
    postal_code="62704",
    email="jane@example.org",
    phone="(217) 555-0143",
)
TOLERANCE = 0.3  # mm: pdftotext rounds glyph boxes a little


@pytest.fixture
def sender_file(tmp_path: Path) -> Path:
    path = tmp_path / "sender.toml"
    path.write_text(SENDER_TOML, encoding="utf-8")
    return path


def _render(tmp_path: Path, sender_file: Path, page: str, *extra: str) -> Path:
    out = tmp_path / f"letter-{page}.pdf"
    result = run_composer(
        "render", "--page", page, "--sender", str(sender_file), "--out", str(out), *extra
    )
    assert result.returncode == 0, result.stderr
    return out


def _assert_inside_window(line: TextLine, spec: PaperSpec, clearance: float = 0.0) -> None:
    window = spec.window
    assert line.inside(
        window.x + clearance - TOLERANCE,
        window.y + clearance - TOLERANCE,
        window.right - clearance + TOLERANCE,
        window.bottom - clearance + TOLERANCE,
    ), f"{line.text!r} at {line} is outside the window {window} (clearance {clearance:.2f} mm)"


@pytest.mark.parametrize("spec", [LETTER, A4], ids=["letter", "a4"])
def test_inside_address_lies_in_the_window_of_the_folded_page(
    tmp_path: Path, sender_file: Path, spec: PaperSpec
) -> None:
    pdf = _render(tmp_path, sender_file, spec.name)
    pages, lines = pdf_layout(pdf)
    assert (pages[0].width, pages[0].height) == pytest.approx((spec.width, spec.height), abs=0.5)
    address = [find_line(lines, text, page=1) for text in white_house().address_lines]
    clearance = USPS_WINDOW_CLEARANCE if spec is LETTER else 0.0
    for line in address:
        _assert_inside_window(line, spec, clearance)
    # The lines read top to bottom, left-aligned, as an address block.
    assert [line.y_min for line in address] == sorted(line.y_min for line in address)
    assert max(line.x_min for line in address) - min(line.x_min for line in address) < 0.5
    # Nothing else shows through the window but the address (and, on A4, the return line).
    window = spec.window
    others = [
        line
        for line in lines
        if line.page == 1
        and line not in address
        and line.overlaps(window.x, window.y, window.right, window.bottom)
    ]
    if spec is A4:
        assert [line.text for line in others] == [
            "Jane Q. Public · 123 Maple Street · Apt 4B · Springfield, IL 62704"
        ]
        _assert_inside_window(others[0], spec)
    else:
        assert others == []


@pytest.mark.parametrize("spec", [LETTER, A4], ids=["letter", "a4"])
def test_a_long_address_shrinks_to_stay_in_the_window(
    qapp: object, tmp_path: Path, spec: PaperSpec
) -> None:
    from composer.core.campaigns import default_campaign
    from composer.core.compose import new_letter
    from composer.core.render import Renderer
    from composer.printing.letter_layout import LetterPages
    from composer.printing.output import write_pdf

    # Five lines, one of them long: the type shrinks (not below 10 pt) until it fits; the
    # name, too wide for the A4 window at 10 pt, is broken after "The Honorable".
    recipient = custom_recipient(
        "The Honorable Jane Roe-Featherstonehaugh",
        "United States House of Representatives\nCommittee on Homeland Security\n"
        "2138 Rayburn House Office Building\nWashington, DC 20515-0001",
    )
    campaign = default_campaign()
    letter = new_letter(campaign, sender=SENDER, recipients=[recipient], date=dt.date(2026, 3, 9))
    rendered = Renderer(campaign.templates).render(letter, recipient, campaign.template)
    pdf = tmp_path / "long-address.pdf"
    pages = LetterPages(rendered, spec)
    write_pdf(pdf, [pages])
    _pages, lines = pdf_layout(pdf)
    page_one = [line for line in lines if line.page == 1]
    expected = list(recipient.address_lines)
    if spec is A4:
        expected[:1] = ["The Honorable", "Jane Roe-Featherstonehaugh"]
    assert pages.address_lines == expected
    for text in expected:
        found = [line for line in page_one if line.text == text]
        assert len(found) == 1, f"{text!r} was wrapped or lost: {[x.text for x in page_one]}"
        _assert_inside_window(found[0], spec)
    assert LetterPages(rendered, spec).address_problem() is None


def test_an_address_too_big_for_the_window_is_reported(qapp: object) -> None:
    from composer.core.campaigns import default_campaign
    from composer.core.compose import new_letter
    from composer.core.render import Renderer
    from composer.printing.letter_layout import LetterPages

    recipient = custom_recipient(
        "Chair, Subcommittee on Immigration Integrity, Security, and Enforcement",
        "\n".join(f"Line {n} of an address far too long for any window" for n in range(8)),
    )
    campaign = default_campaign()
    letter = new_letter(campaign, sender=SENDER, recipients=[recipient])
    rendered = Renderer(campaign.templates).render(letter, recipient, campaign.template)
    for spec in (LETTER, A4):
        problem = LetterPages(rendered, spec).address_problem()
        assert problem is not None
        assert "window" in problem


def test_long_letter_flows_onto_pages_with_a_continuation_header(
    tmp_path: Path, sender_file: Path
) -> None:
    from composer.core.campaigns import default_campaign

    campaign = default_campaign()
    ids = ",".join(a.id for a in campaign.arguments[:16])
    pdf = _render(tmp_path, sender_file, "letter", "--arguments", ids)
    pages, lines = pdf_layout(pdf)
    assert len(pages) >= 3
    header = re.compile(r"^The President · (.+) · Page (\d+)$")
    dates = set()
    for page in pages[1:]:
        on_page = [line for line in lines if line.page == page.number]
        match = header.match(on_page[0].text)
        assert match, f"page {page.number} starts with {on_page[0].text!r}"
        assert int(match.group(2)) == page.number
        dates.add(match.group(1))
        # The header sits in the top margin, above the text, and the text stays
        # inside the bottom margin.
        assert on_page[0].y_min < LETTER.margin_top + 8
        assert on_page[1].y_min > on_page[0].y_max
        assert max(line.y_max for line in on_page) <= LETTER.height - LETTER.margin_bottom + 1
    # Each line of text is on exactly one page (clipped copies would be found twice).
    flowing = [
        line.text
        for line in lines
        if (line.page > 1 or line.y_min >= LETTER.body_top - 0.5) and not header.match(line.text)
    ]
    assert len(flowing) == len(set(flowing)), [t for t in flowing if flowing.count(t) > 1]
    date_line = re.compile(r"^[A-Z][a-z]+ \d{1,2}, \d{4}$")
    assert dates == {next(x.text for x in lines if x.page == 1 and date_line.match(x.text))}
    # The closing and the signature stay together, with text before them.
    closing = find_line(lines, campaign.complimentary_close)
    signature = find_line(lines, "Jane Q. Public", page=closing.page)
    assert signature.y_min > closing.y_max
    before = [
        line
        for line in lines
        if line.page == closing.page and line.y_max <= closing.y_min and not header.match(line.text)
    ]
    assert len(before) >= 2


def _paragraph_ends(body: list[TextLine]) -> list[bool]:
    """For each line, whether a paragraph gap follows it (the last line counts as an end)."""
    gaps = [below.y_min - above.y_max for above, below in itertools.pairwise(body)]
    normal = min(gaps) if gaps else 0.0
    return [gap > normal + 2.0 for gap in gaps] + [True]


def test_no_widows_or_orphans_at_page_breaks(tmp_path: Path, sender_file: Path) -> None:
    from composer.core.campaigns import default_campaign

    campaign = default_campaign()
    body_ids = [a.id for a in campaign.arguments if a.position == "body"]
    checked = 0
    for count in (5, 8, 11, 14):
        ids = ",".join(body_ids[:count])
        pdf = _render(tmp_path, sender_file, "a4", "--arguments", ids)
        pages, lines = pdf_layout(pdf)
        for page in pages[:-1]:
            on_page = [line for line in lines if line.page == page.number]
            start = A4.body_top if page.number == 1 else A4.margin_top + 8
            body = [line for line in on_page if line.y_min >= start]
            ends = _paragraph_ends(body)
            # An orphan: a paragraph's first line alone at the foot of the page.
            assert not (len(ends) >= 2 and ends[-2]), (
                f"page {page.number} ({count} arguments) ends with a lone line: {body[-1].text!r}"
            )
            following = [line for line in lines if line.page == page.number + 1][1:]
            following_ends = _paragraph_ends(following)
            # A widow: a paragraph's last line alone at the head of the next page.
            assert not following_ends[0], (
                f"page {page.number + 1} ({count} arguments) starts with a lone line: "
                f"{following[0].text!r}"
            )
            checked += 1
    assert checked >= 4


@pytest.mark.parametrize(
    ("size", "width", "height"),
    [("10", 241.3, 104.775), ("dl", 220.0, 110.0), ("c5", 229.0, 162.0)],
)
def test_envelope_has_both_addresses_in_their_places(
    tmp_path: Path, sender_file: Path, size: str, width: float, height: float
) -> None:
    from composer.printing.envelope import envelope

    spec = envelope(size)
    out = tmp_path / f"envelope-{size}.pdf"
    result = run_composer(
        "envelope",
        "--to",
        "white-house",
        "--to",
        "white-house",
        "--sender",
        str(sender_file),
        "--size",
        size,
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    assert "2 envelope(s)" in result.stdout
    pages, lines = pdf_layout(out)
    assert len(pages) == 2
    for page in pages:
        # Landscape, the envelope's own size.
        assert (page.width, page.height) == pytest.approx((width, height), abs=0.5)
        ret = [find_line(lines, text, page=page.number) for text in SENDER_RETURN]
        area = spec.return_area
        for line in ret:
            assert line.inside(area.x - TOLERANCE, area.y - TOLERANCE, area.right, area.bottom), (
                line
            )
        # No e-mail or phone on the envelope.
        assert not [line for line in lines if line.page == page.number and "@" in line.text]
        address = [find_line(lines, text, page=page.number) for text in white_house().address_lines]
        read = spec.read_area
        for line in address:
            assert line.inside(read.x, read.y, read.right, read.bottom), (line, read)
            for zone in spec.keep_clear:
                assert not line.overlaps(zone.x, zone.y, zone.right, zone.bottom), (line, zone)
        left = min(line.x_min for line in address)
        right = max(line.x_max for line in address)
        assert max(line.x_min for line in address) - left < 0.5  # left-aligned lines
        if size == "10":
            # USPS: roughly centred across the envelope.
            assert abs((left + right) / 2 - width / 2) < 12
        else:
            # Deutsche Post: bottom right, from the middle of the envelope.
            assert left >= width / 2 - TOLERANCE
        # The return address is above and left of the delivery address.
        assert max(line.y_max for line in ret) < min(line.y_min for line in address)
        assert min(line.x_min for line in ret) < left


SENDER_RETURN = ("Jane Q. Public", "123 Maple Street", "Apt 4B", "Springfield, IL 62704")


def test_a_batch_gets_one_envelope_per_letter_in_the_same_order(
    qapp: object, tmp_path: Path
) -> None:
    from composer.printing.envelope import (
        ENVELOPE_10_SPEC,
        EnvelopePages,
        return_address_lines,
    )
    from composer.printing.output import write_pdf

    recipients = [
        custom_recipient("Sen. Alice Able", "1 Senate Office Building\nWashington, DC 20510"),
        white_house(),
        custom_recipient("Rep. Carl Cole", "2 House Office Building\nWashington, DC 20515"),
    ]
    out = tmp_path / "batch.pdf"
    pages = write_pdf(
        out,
        [
            EnvelopePages(
                ENVELOPE_10_SPEC,
                return_address_lines(SENDER),
                [r.address_lines for r in recipients],
            )
        ],
    )
    assert pages == 3
    _pages, lines = pdf_layout(out)
    for number, recipient in enumerate(recipients, start=1):
        find_line(lines, recipient.address_lines[0], page=number)
        find_line(lines, recipient.address_lines[-1], page=number)


def test_render_page_option_sets_the_paper(tmp_path: Path, sender_file: Path) -> None:
    for spec in (LETTER, A4):
        pdf = _render(tmp_path, sender_file, spec.name)
        pages, _lines = pdf_layout(pdf)
        assert {(round(p.width), round(p.height)) for p in pages} == {
            (round(spec.width), round(spec.height))
        }


def test_envelope_command_refuses_other_formats_and_sizes(tmp_path: Path) -> None:
    result = run_composer("envelope", "--out", str(tmp_path / "e.png"))
    assert result.returncode == 1
    assert "envelopes are written as .pdf" in result.stderr
    result = run_composer("envelope", "--size", "b4", "--out", str(tmp_path / "e.pdf"))
    assert result.returncode == 2
    assert "invalid choice" in result.stderr
    assert "Traceback" not in result.stderr
