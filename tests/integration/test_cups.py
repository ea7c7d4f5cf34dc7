"""Printing to a real CUPS queue (cupsd started by the test run, a ``file:`` queue).

What comes out of the queue is read back with pdftotext: the right text, on the
right paper, with the address still inside the envelope window.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from composer.core.locations import Locations
from composer.core.models import Sender, white_house
from composer.core.print_history import PrintHistory
from composer.printing.paper import A4, LETTER, PaperSpec
from tests.helpers.cli import run_composer
from tests.helpers.cups import CupsQueue
from tests.helpers.pdf import pdf_text, squash
from tests.helpers.pdf_layout import find_line, pdf_layout

SENDER_TOML = """\
name = "Jane Q. Public"
street = "123 Maple Street"
city = "Springfield"
state = "IL"
postal_code = "62704"
"""
TOLERANCE = 0.3


@pytest.fixture
def sender_file(tmp_path: Path) -> Path:
    path = tmp_path / "sender.toml"
    path.write_text(SENDER_TOML, encoding="utf-8")
    return path


def _assert_address_in_window(pdf: Path, spec: PaperSpec) -> None:
    pages, lines = pdf_layout(pdf)
    assert (pages[0].width, pages[0].height) == pytest.approx((spec.width, spec.height), abs=1)
    window = spec.window
    for text in white_house().address_lines:
        line = find_line(lines, text, page=1)
        assert line.inside(
            window.x - TOLERANCE,
            window.y - TOLERANCE,
            window.right + TOLERANCE,
            window.bottom + TOLERANCE,
        ), (line, window)


def test_composer_print_sends_the_letter_to_the_queue(
    cups_queue: CupsQueue, sender_file: Path
) -> None:
    cups_queue.clear()
    result = run_composer(
        "print", "--printer", cups_queue.name, "--sender", str(sender_file), "--page", "letter"
    )
    assert result.returncode == 0, result.stderr
    assert f"to '{cups_queue.name}'" in result.stdout
    printed = cups_queue.wait_for_output()
    text = squash(pdf_text(printed))
    assert "Dear Mr. President:" in text
    assert "1600 Pennsylvania Avenue NW" in text
    assert "Jane Q. Public" in text
    _assert_address_in_window(printed, LETTER)
    # The print history notes it, dated today.
    [record] = PrintHistory(Locations.default().database_file).records()
    assert record.printer == cups_queue.name
    assert (record.recipient_id, record.paper) == ("white-house", "letter")
    assert record.printed_at.date() == dt.date.today()
    assert not record.mailed


def test_composer_print_with_envelope_prints_the_envelope_last(
    cups_queue: CupsQueue, sender_file: Path
) -> None:
    cups_queue.clear()
    result = run_composer(
        "print", "--printer", cups_queue.name, "--sender", str(sender_file), "--page", "a4",
        "--envelope",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "1 envelope(s)" in result.stdout
    # The file queue keeps the last job: the DL envelope, landscape, both addresses on it.
    printed = cups_queue.wait_for_output()
    pages, lines = pdf_layout(printed)
    assert [(round(p.width), round(p.height)) for p in pages] == [(220, 110)]
    find_line(lines, "Jane Q. Public")
    find_line(lines, "Washington, DC 20500")


def test_qprinter_by_name_prints_a4_with_the_address_in_the_window(
    qapp: object, cups_queue: CupsQueue
) -> None:
    from composer.core.campaigns import default_campaign
    from composer.core.compose import new_letter
    from composer.core.render import Renderer
    from composer.printing.letter_layout import LetterPages
    from composer.printing.output import open_printer, print_items

    campaign = default_campaign()
    sender = Sender(name="Jane Q. Public", street="123 Maple Street", city="Springfield")
    letter = new_letter(campaign, sender=sender, recipients=[white_house()])
    rendered = Renderer(campaign.templates).render(letter, white_house(), campaign.template)
    pages = LetterPages(rendered, A4)
    cups_queue.clear()
    printer = open_printer(cups_queue.name)
    assert print_items(printer, [pages], title="A4 test") == pages.page_count
    printed = cups_queue.wait_for_output()
    assert squash(pdf_text(printed)).count("Dear Mr. President:") == 1
    _assert_address_in_window(printed, A4)
    assert len(pdf_layout(printed)[0]) == pages.page_count


def test_a_page_range_prints_only_those_pages(qapp: object, cups_queue: CupsQueue) -> None:
    from PySide6.QtPrintSupport import QPrinter

    from composer.core.campaigns import default_campaign
    from composer.core.compose import new_letter
    from composer.core.render import Renderer
    from composer.printing.letter_layout import LetterPages
    from composer.printing.output import open_printer, print_items

    campaign = default_campaign()
    letter = new_letter(
        campaign, [a.id for a in campaign.arguments[:12]], recipients=[white_house()]
    )
    rendered = Renderer(campaign.templates).render(letter, white_house(), campaign.template)
    pages = LetterPages(rendered, LETTER)
    assert pages.page_count >= 3
    cups_queue.clear()
    printer = open_printer(cups_queue.name)
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 2)
    assert print_items(printer, [pages], title="Page two") == 1
    printed = cups_queue.wait_for_output()
    layout_pages, lines = pdf_layout(printed)
    assert len(layout_pages) == 1
    assert lines[0].text.startswith("The President · ")
    assert lines[0].text.endswith(" · Page 2")


def test_an_unknown_printer_is_one_clear_line_listing_the_real_ones(
    cups_queue: CupsQueue, sender_file: Path
) -> None:
    result = run_composer("print", "--printer", "no-such-printer", "--sender", str(sender_file))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "no printer named 'no-such-printer'" in lines[0]
    assert cups_queue.name in lines[0]
    assert "Traceback" not in result.stderr
    assert not PrintHistory(Locations.default().database_file).records()


def test_the_run_prints_only_to_its_own_scheduler(cups_queue: CupsQueue) -> None:
    import os
    import subprocess

    from PySide6.QtPrintSupport import QPrinterInfo

    server = os.environ["CUPS_SERVER"]
    assert cups_queue.output.parent.parent == Path(server).parent
    answer = subprocess.run(["lpstat", "-H"], capture_output=True, text=True, check=True)
    assert answer.stdout.strip() == server
    # Qt (and so the program) sees this run's queue and no printer of the machine.
    assert [info.printerName() for info in QPrinterInfo.availablePrinters()] == [cups_queue.name]
