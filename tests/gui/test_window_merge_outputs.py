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


def _merge_dialog(qtbot: QtBot, window: object, out: Path):
    from composer.gui.merge_export import MergeExportDialog

    window.output.export_merge(str(out))  # type: ignore[attr-defined]
    shown = [
        dialog
        for dialog in window.findChildren(MergeExportDialog)  # type: ignore[attr-defined]
        if dialog.isVisible()
    ]
    assert len(shown) == 1
    qtbot.waitExposed(shown[0])
    return shown[0]


def _ok(qtbot: QtBot, dialog) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QDialogButtonBox

    button = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    with qtbot.waitSignal(dialog.finished):
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def test_the_export_asks_whether_the_pdf_is_printed_on_both_sides_and_remembers_it(
    qtbot: QtBot, window_to_three: object, tmp_path: Path, locations: Locations
) -> None:
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    from composer.core.settings import load_settings

    window = window_to_three
    # On by default: three one-page letters, each followed by a blank back.
    first = tmp_path / "duplex.pdf"
    dialog = _merge_dialog(qtbot, window, first)
    assert dialog.one.isChecked() and dialog.both_sides.isChecked()
    assert dialog.both_sides.isEnabled()
    _ok(qtbot, dialog)
    qtbot.waitUntil(first.exists, timeout=TIMEOUT)
    assert pdf_pages(first) == 6

    # Unticked for a one-sided printer: no blank pages, and the choice is saved.
    second = tmp_path / "one-sided.pdf"
    dialog = _merge_dialog(qtbot, window, second)
    box = dialog.both_sides
    QTest.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    assert not box.isChecked()
    _ok(qtbot, dialog)
    qtbot.waitUntil(second.exists, timeout=TIMEOUT)
    assert pdf_pages(second) == 3
    pages = pdf_text(second).split("\f")[:3]
    assert all("Dear" in page for page in pages)
    assert load_settings(locations.settings_file).merge_duplex is False
    qtbot.waitUntil(
        lambda: "Saved 3 letters, 3 pages" in window.statusBar().currentMessage(),  # type: ignore[attr-defined]
        timeout=TIMEOUT,
    )

    # The next export starts unticked; one PDF each has no use for the switch.
    dialog = _merge_dialog(qtbot, window, tmp_path / "third.pdf")
    assert not dialog.both_sides.isChecked()
    QTest.mouseClick(
        dialog.each, Qt.MouseButton.LeftButton, pos=QPoint(8, dialog.each.height() // 2)
    )
    assert dialog.each.isChecked() and not dialog.both_sides.isEnabled()
    with qtbot.waitSignal(dialog.finished):
        dialog.reject()
    assert not (tmp_path / "third.pdf").exists()
