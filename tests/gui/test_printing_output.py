"""Printing from the window's code: page ranges, the print history, the preview equal to the PDF."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
from PySide6.QtGui import QImage, QPageRanges, QPdfWriter
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot

from composer.core.campaigns import default_campaign
from composer.core.compose import new_letter
from composer.core.locations import Locations
from composer.core.models import Sender, custom_recipient, white_house
from composer.core.print_history import PrintHistory
from composer.core.render import Renderer
from composer.gui.print_actions import envelope_items, print_now, printed_letters
from composer.printing.letter_layout import LetterPages
from composer.printing.output import paint_items, write_pdf
from composer.printing.paper import A4, LETTER, PaperSpec
from tests.helpers.pdf_layout import pdf_layout

SENDER = Sender(name="Jane Q. Public", street="123 Maple Street", city="Springfield", state="IL")
SENATOR = custom_recipient("Sen. Jane Roe", "1 Senate Office Building\nWashington, DC 20510")


def letters(spec: PaperSpec, arguments: int = 12) -> list[LetterPages]:
    """Two long letters (to the President and a senator) laid out on `spec`."""
    campaign = default_campaign()
    ids = [a.id for a in campaign.arguments[:arguments]]
    letter = new_letter(
        campaign, ids, sender=SENDER, recipients=[white_house(), SENATOR], date=dt.date(2026, 3, 9)
    )
    renderer = Renderer(campaign.templates)
    return [
        LetterPages(renderer.render(letter, r, campaign.template), spec) for r in letter.recipients
    ]


def page_headers(pdf: Path) -> list[str]:
    """The first line of each page of a PDF."""
    pages, lines = pdf_layout(pdf)
    return [next(line.text for line in lines if line.page == page.number) for page in pages]


def test_paint_items_honours_the_device_page_ranges(qapp: object, tmp_path: Path) -> None:
    items = letters(LETTER)
    total = sum(item.page_count for item in items)
    assert total >= 5
    full = tmp_path / "full.pdf"
    write_pdf(full, items)
    all_heads = page_headers(full)

    part = tmp_path / "part.pdf"
    writer = QPdfWriter(str(part))
    writer.setResolution(300)
    ranges = QPageRanges()
    ranges.addRange(2, 3)
    ranges.addPage(total)
    writer.setPageRanges(ranges)
    drawn = paint_items(writer, items, 300)
    del writer
    assert drawn == 3
    assert page_headers(part) == [all_heads[1], all_heads[2], all_heads[total - 1]]


def test_a_printer_page_range_prints_those_pages_and_notes_only_those_letters(
    qtbot: QtBot, tmp_path: Path, locations: Locations
) -> None:
    items = letters(A4)
    first = items[0].page_count
    out = tmp_path / "printed.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(first + 1, first + 1)  # the second letter's first page only
    history = PrintHistory(locations.database_file)
    assert printed_letters(items, [first + 1]) == [items[1]]
    assert print_now(None, printer, items, "Range", history=history)
    qtbot.waitUntil(lambda: len(history.records()) == 1, timeout=10_000)
    [record] = history.records()
    assert record.recipient_name == "Sen. Jane Roe"
    assert (record.paper, record.pages) == ("a4", items[1].page_count)
    pages, lines = pdf_layout(out)
    assert len(pages) == 1
    assert any(line.text == "1 Senate Office Building" for line in lines)


@pytest.mark.qt_log_ignore("QPainter::begin")
def test_a_failing_printer_is_reported_not_raised(
    qtbot: QtBot, tmp_path: Path, locations: Locations, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: shown.append(text))
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    # A file in a folder that does not exist: the printer cannot open its output.
    printer.setOutputFileName(str(tmp_path / "missing" / "folder" / "out.pdf"))
    history = PrintHistory(locations.database_file)
    assert not print_now(None, printer, letters(LETTER, 4), "Fails", history=history)
    assert len(shown) == 1
    assert shown[0].startswith("The printer could not be used")
    assert history.records() == []


def test_envelope_items_follow_the_letters_order_and_paper(qapp: object, tmp_path: Path) -> None:
    [envelopes] = envelope_items(SENDER, [SENATOR, white_house()], "a4")
    assert envelopes.page_count == 2
    assert envelopes.spec.name == "dl"
    out = tmp_path / "envelopes.pdf"
    write_pdf(out, [envelopes])
    _pages, lines = pdf_layout(out)
    assert [line.text for line in lines if line.page == 1][-1] == "Washington, DC 20510"
    assert [line.text for line in lines if line.page == 2][-1] == "Washington, DC 20500"


def _ink_rows(image: QImage, dpi: int) -> set[int]:
    """The rows of a page image with text on them (dark pixels right of the fold marks)."""
    gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
    left = round(12 / 25.4 * dpi)
    rows = set()
    for y in range(gray.height()):
        start = y * gray.bytesPerLine()
        if min(bytes(gray.constBits()[start + left : start + gray.width()])) < 128:
            rows.add(y)
    return rows


@pytest.mark.parametrize("spec", [LETTER, A4], ids=["letter", "a4"])
def test_the_preview_image_matches_the_pdf_page(
    qapp: object, tmp_path: Path, spec: PaperSpec
) -> None:
    [item, _second] = letters(spec, 4)
    pdf = tmp_path / "page.pdf"
    write_pdf(pdf, [item])
    dpi = 100
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            str(dpi),
            "-f",
            "1",
            "-l",
            "1",
            "-gray",
            "-png",
            str(pdf),
            str(tmp_path / "p"),
        ],
        check=True,
        timeout=60,
    )
    [png] = sorted(tmp_path.glob("p*.png"))
    from_pdf = QImage(str(png))
    preview = item.page_image(0, dpi)
    assert abs(from_pdf.width() - preview.width()) <= 1
    assert abs(from_pdf.height() - preview.height()) <= 1
    pdf_rows = _ink_rows(from_pdf, dpi)
    preview_rows = _ink_rows(preview, dpi)
    # Every line of text sits at the same height in the preview as on the printed page:
    # each row with ink on one has ink within a row (0.25 mm) on the other.
    assert len(pdf_rows) > 300
    near = {r + d for r in preview_rows for d in (-1, 0, 1)}
    assert pdf_rows <= near, sorted(pdf_rows - near)
    near = {r + d for r in pdf_rows for d in (-1, 0, 1)}
    assert preview_rows <= near, sorted(preview_rows - near)
