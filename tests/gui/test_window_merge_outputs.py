"""The window's Export PDF for several officials: duplex blanks, and no mixing of batches."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from composer.core.directory import Directory
from composer.core.locations import Locations
from tests.helpers.pdf import pdf_pages, pdf_text

TIMEOUT = 30_000


@pytest.fixture
def window_to_three(qtbot: QtBot, main_window: object, locations: Locations) -> object:
    """The window, its letter cut to one page, addressed to three officials."""
    window = main_window
    qtbot.waitUntil(lambda: window.is_complete, timeout=TIMEOUT)  # type: ignore[attr-defined]
    directory = Directory.for_locations(locations)
    window.addressing.use_recipients(  # type: ignore[attr-defined]
        [directory.resolve(i, "98105") for i in ("C000127", "M001111", "J000298")]
    )
    window.editor.text.setPlainText("A short letter of my own.")  # type: ignore[attr-defined]
    return window


def test_a_combined_pdf_puts_each_letter_on_a_new_sheet(
    qtbot: QtBot, window_to_three: object, tmp_path: Path
) -> None:
    out = tmp_path / "letters.pdf"
    window_to_three.output.export_merge(str(out), combined=True)  # type: ignore[attr-defined]
    qtbot.waitUntil(out.exists, timeout=TIMEOUT)

    assert pdf_pages(out) == 6
    pages = pdf_text(out).split("\f")[:6]
    assert ["Dear" in page for page in pages] == [True, False] * 3


def test_a_second_batch_does_not_mix_with_the_first(
    qtbot: QtBot, window_to_three: object, tmp_path: Path
) -> None:
    folder = tmp_path / "letters"
    folder.mkdir()
    old = folder / "001-X000001-someone-else.pdf"
    old.write_bytes(b"%PDF-1.4 an earlier batch")

    window_to_three.output.export_merge(str(folder), combined=False)  # type: ignore[attr-defined]

    fresh = tmp_path / "letters-2"
    qtbot.waitUntil(lambda: len(list(fresh.glob("*.pdf"))) == 3, timeout=TIMEOUT)
    assert sorted(p.name for p in folder.iterdir()) == [old.name]
    qtbot.waitUntil(
        lambda: str(fresh) in window_to_three.statusBar().currentMessage(),  # type: ignore[attr-defined]
        timeout=TIMEOUT,
    )
