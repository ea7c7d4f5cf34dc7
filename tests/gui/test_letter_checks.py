"""Before a letter leaves the window, it is checked first: an empty letter and a missing
value are named once, before any other question or file dialog."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from composer.core.models import Recipient
from composer.gui.mainwindow import MainWindow


def _official(number: int) -> Recipient:
    surname = ["Adams", "Baker", "Chavez", "Diaz"][number]
    return Recipient(
        id=f"T00000{number}",
        name=f"Pat {surname}",
        title="Senator",
        salutation=f"Dear Senator {surname}:",
        address_lines=(
            f"The Honorable Pat {surname}",
            "United States Senate",
            "Washington, DC 20510",
        ),
        kind="senator",
    )


@pytest.fixture
def four(main_window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Four officials; every dialog but the warning fails the test if it opens."""
    main_window.addressing.use_recipients([_official(n) for n in range(4)])
    shown: list[str] = []

    def warning(_parent, _title, text, *args, **kwargs):
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    def opened(*_args, **_kwargs):
        pytest.fail("a dialog opened before the letter was checked")

    monkeypatch.setattr(QMessageBox, "warning", warning)
    monkeypatch.setattr(QMessageBox, "exec", opened)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", opened)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", opened)
    monkeypatch.setattr(main_window.coach_panel, "confirm_output", opened)
    return shown


def test_an_empty_letter_is_refused_before_anything_else(
    qtbot: QtBot, main_window: MainWindow, four: list[str], tmp_path: Path
) -> None:
    main_window.editor.set_html("")
    main_window.output.export_pdf()
    main_window.output.print_letter()
    main_window.addressing.send_by_email()
    assert len(four) == 3
    assert all(text.startswith("The letter has no text yet") for text in four)
    assert not list(tmp_path.glob("**/*.pdf"))


def test_a_value_missing_from_every_copy_is_named_once(
    qtbot: QtBot, main_window: MainWindow, four: list[str]
) -> None:
    main_window.editor.set_html("<p>Call me at {{ sender.phone }} any time.</p>")
    main_window.output.export_pdf()
    (text,) = four
    assert text.count("sender.phone") == 1
    assert "Every copy (4 letters):" in text
    assert text.startswith("4 letters cannot be made, nothing was written.")


def test_an_address_too_big_for_the_window_is_refused_with_a_clear_message(
    qtbot: QtBot, main_window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bar = main_window.recipient_bar
    bar.select("custom")  # typed by hand, as in the report
    bar.custom_name.setText("Chair of a Long Subcommittee")
    bar.custom_address.setPlainText(
        "\n".join(f"Line {n} of an address far too long for any window at all" for n in range(8))
    )
    bar.custom_salutation.setText("Dear Chair:")
    monkeypatch.setattr(main_window.coach_panel, "confirm_output", lambda _verb: True)
    shown: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda _parent, _title, text, *a, **k: shown.append(text)
    )
    target = tmp_path / "letter.pdf"
    main_window.output.export_pdf(str(target))
    qtbot.waitUntil(lambda: bool(shown), timeout=15_000)
    assert "too many lines for the envelope window" in shown[0]
    assert "Postal Service's abbreviations" in shown[0]
    assert not target.exists()
