"""Printing from the real window: File ▸ Print (noted in the history), envelopes, Printed Letters."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from pytestqt.qtbot import QtBot

from composer.core.print_history import PrintHistory
from composer.gui.mainwindow import MainWindow
from tests.helpers.pdf import pdf_text, squash
from tests.helpers.pdf_layout import find_line, pdf_layout


def test_file_menu_offers_envelopes_and_printed_letters(main_window: MainWindow) -> None:
    texts = [action.text() for action in main_window.menus.file_menu.actions()]
    for text in ("&Print…", "Print En&velope…", "Expo&rt Envelope PDF…", "Prin&ted Letters…"):
        assert text in texts
    assert texts.index("Print En&velope…") == texts.index("&Print…") + 1


def test_print_goes_to_the_chosen_printer_and_into_the_history(
    qtbot: QtBot, main_window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "printed.pdf"

    def choose_pdf_printer(dialog: QPrintDialog) -> int:
        # What the user does in the system dialog: pick a printer (here: a PDF file).
        printer: QPrinter = dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        return QPrintDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", choose_pdf_printer)
    main_window.coach_panel.warn_before_output = False
    history = PrintHistory(main_window.locations.database_file)
    main_window.output.print_letter()
    assert main_window.statusBar().currentMessage() == "Sent to the printer."
    qtbot.waitUntil(lambda: len(history.records()) == 1, timeout=10_000)
    [record] = history.records()
    assert record.recipient_name == "The President"
    assert record.paper == "letter"
    assert "Dear Mr. President:" in squash(pdf_text(out))


def test_export_envelope_pdf_has_the_return_address_and_the_recipient(
    qtbot: QtBot, main_window: MainWindow, tmp_path: Path
) -> None:
    out = tmp_path / "envelope.pdf"
    main_window.output.export_envelope_pdf(str(out))
    qtbot.waitUntil(
        lambda: main_window.statusBar().currentMessage().startswith("Saved"), timeout=10_000
    )
    pages, lines = pdf_layout(out)
    assert [(round(p.width), round(p.height)) for p in pages] == [(241, 105)]  # #10
    assert find_line(lines, "Ana Ruiz").y_max < find_line(lines, "The President").y_min
    find_line(lines, "12 Elm Street")
    find_line(lines, "Washington, DC 20500")
    assert "ana@example.org" not in squash(pdf_text(out))


def test_printed_letters_opens_the_history(qtbot: QtBot, main_window: MainWindow) -> None:
    PrintHistory(main_window.locations.database_file).record(
        recipient_id="white-house",
        recipient_name="The President",
        subject="Subject",
        paper="letter",
        pages=2,
        printer="Office",
    )
    main_window.menus.history_action.trigger()
    dialog = main_window.output.history_dialog
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=10_000)
    assert dialog.isVisible()
    assert dialog.table.item(0, 1).text() == "The President"
    dialog.close()
