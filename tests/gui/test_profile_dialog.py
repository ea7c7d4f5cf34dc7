"""The sender profile dialog refuses what cannot be right and says what to type."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog, QDialogButtonBox
from pytestqt.qtbot import QtBot

from composer.core.models import Sender
from composer.core.profile import load_sender
from composer.gui.mainwindow import MainWindow
from composer.gui.profile_dialog import ProfileDialog


def _save_button(dialog: ProfileDialog):
    return dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)


def test_bad_state_zip_and_email_are_refused_with_what_to_type(
    qtbot: QtBot, main_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []

    def type_then_save(dialog: ProfileDialog) -> int:
        dialog.state.setText("Washington")
        dialog.postal_code.setText("abc")
        dialog.email.setText("ana@")
        _save_button(dialog).click()
        seen.append(dialog.problems.text())
        assert dialog.result() != QDialog.DialogCode.Accepted
        assert dialog.state.text() == "Washington"  # nothing typed is lost
        dialog.state.setText("wa")
        dialog.postal_code.setText("98105")
        dialog.email.setText("ana@example")
        _save_button(dialog).click()
        seen.append(dialog.problems.text())
        dialog.email.setText(" ana@example.org ")
        _save_button(dialog).click()
        return dialog.result()

    monkeypatch.setattr(ProfileDialog, "exec", type_then_save)
    main_window.preferences.edit_profile()
    first, second = seen
    assert "State: type the two-letter code WA for Washington." in first
    assert "ZIP code: “abc” is not a ZIP code. Type the five digits" in first
    assert "E-mail:" in first and "nothing after the @" in first
    assert "State" not in second and "ZIP" not in second
    assert "E-mail:" in second and "for example ana@example.org" in second
    saved = load_sender(main_window.locations.profile_file)
    assert (saved.state, saved.postal_code, saved.email) == ("WA", "98105", "ana@example.org")
    assert main_window.sender_profile == saved


def test_a_cancelled_dialog_changes_nothing_and_abroad_is_not_checked_as_us(
    qtbot: QtBot,
) -> None:
    dialog = ProfileDialog(Sender(name="Ana", state="Bavaria", postal_code="80331"))
    qtbot.addWidget(dialog)
    _save_button(dialog).click()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "“Bavaria” is not a US state" in dialog.problems.text()
    assert "fill in Country" in dialog.problems.text()
    dialog.country.setText("Germany")
    _save_button(dialog).click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.chosen_sender().state == "Bavaria"
