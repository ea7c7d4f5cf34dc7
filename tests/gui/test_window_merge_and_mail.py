"""From the window: one letter to several officials (mail merge), and sending it by e-mail."""

from __future__ import annotations

from email import message_from_bytes, policy
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from composer.core.accounts import Account, account_file, save_account
from composer.core.credentials import KeyringCredentials
from composer.core.models import Recipient
from composer.gui.mail_center import SendDialog
from composer.gui.mainwindow import MainWindow
from tests.helpers.memory_keyring import install_memory_keyring
from tests.helpers.pdf import pdf_pages, pdf_text, squash
from tests.helpers.smtp_server import SmtpTestServer
from tests.helpers.status import said, status_messages

USER = "ana@example.org"
PASSWORD = "window-Pa55word"


def official(number: int, email: str = "") -> Recipient:
    surname = ["Adams", "Baker", "Chavez"][number]
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
        email=email,
    )


@pytest.fixture
def three(main_window: MainWindow) -> list[Recipient]:
    recipients = [official(n) for n in range(3)]
    main_window.addressing.use_recipients(recipients)
    return recipients


def test_several_officials_each_get_a_copy_and_the_preview_steps(
    qtbot: QtBot, main_window: MainWindow, three: list[Recipient]
) -> None:
    assert main_window.recipient_bar.is_merge()
    assert [r.id for r in main_window.current_letter().recipients] == [r.id for r in three]
    assert main_window.copy_label.isVisible()
    assert main_window.copy_label.text() == "Copy 1 of 3: Pat Adams"
    assert not main_window.previous_copy.isEnabled()
    with qtbot.waitSignal(main_window.preview.updated, timeout=10_000):
        main_window.next_copy.click()
    assert main_window.copy_label.text() == "Copy 2 of 3: Pat Baker"
    assert main_window.preview._last[0].recipient.id == three[1].id
    assert main_window.preview._last[0].salutation == "Dear Senator Baker:"


def test_one_official_chosen_by_hand_is_a_single_letter(main_window: MainWindow) -> None:
    main_window.addressing.use_recipients([official(0)])
    assert not main_window.recipient_bar.is_merge()
    assert main_window.recipient_bar.recipient().id == "T000000"
    assert not main_window.copy_label.isVisible()


def test_combined_pdf_has_every_copy(
    qtbot: QtBot, main_window: MainWindow, three, tmp_path: Path
) -> None:
    out = tmp_path / "letters.pdf"
    shown = status_messages(main_window)
    main_window.output.export_merge(str(out), combined=True)
    qtbot.waitUntil(out.exists, timeout=30_000)
    text = squash(pdf_text(out))
    for recipient in three:
        assert recipient.salutation in text
        assert recipient.address_lines[0] in text
    assert pdf_pages(out) >= 3
    qtbot.waitUntil(lambda: said(shown, "Saved 3 letters"))


def test_one_pdf_each_in_a_folder(
    qtbot: QtBot, main_window: MainWindow, three, tmp_path: Path
) -> None:
    shown = status_messages(main_window)
    main_window.output.export_merge(str(tmp_path), combined=False)
    qtbot.waitUntil(lambda: len(list(tmp_path.glob("*.pdf"))) == 3, timeout=30_000)
    qtbot.waitUntil(lambda: said(shown, "Saved 3 letters"))
    files = sorted(tmp_path.glob("*.pdf"))
    for path, recipient in zip(files, three, strict=True):
        assert recipient.salutation in squash(pdf_text(path))


def test_a_missing_value_names_the_recipient_before_anything_is_written(
    qtbot: QtBot, main_window: MainWindow, three, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warnings: list[str] = []
    monkeypatch.setattr(
        "composer.gui.output_controller.QMessageBox.warning",
        lambda _parent, _title, text: warnings.append(text),
    )
    editor = main_window.editor.text
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    editor.insertPlainText(" Please write to me at {{ recipient.email }}.")
    main_window.output.export_merge(str(tmp_path), combined=False)
    qtbot.waitUntil(lambda: bool(warnings), timeout=15_000)
    assert "Pat Adams" in warnings[0] and "recipient.email" in warnings[0]
    assert not list(tmp_path.glob("*.pdf"))


# --- e-mail from the window, to a real SMTP server on loopback ---------------------------------


def test_send_by_email_reaches_the_server_with_each_copy(
    qtbot: QtBot, main_window: MainWindow, server: SmtpTestServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_memory_keyring(monkeypatch)
    account = Account("Ana Ruiz", USER, server.host, server.port, "starttls")
    save_account(account_file(main_window.locations.config_dir), account)
    KeyringCredentials().store(account.keyring_key, PASSWORD)
    recipients = [official(0, "adams@senate.example"), official(1, "baker@senate.example")]
    main_window.addressing.use_recipients(recipients)
    monkeypatch.setattr(main_window.coach_panel, "confirm_output", lambda _verb: True)

    def fill_and_send(dialog: SendDialog) -> int:
        dialog.copy_to_me.setChecked(False)
        dialog._check()
        return QDialog.DialogCode.Accepted if dialog.result() else QDialog.DialogCode.Rejected

    monkeypatch.setattr(SendDialog, "exec", fill_and_send)
    main_window.addressing.send_by_email()
    qtbot.waitUntil(lambda: len(server.recording.messages) == 2, timeout=20_000)
    by_recipient = {
        m.rcpt_tos: message_from_bytes(m.data, policy=policy.default)
        for m in server.recording.messages
    }
    first = by_recipient[("adams@senate.example",)]
    second = by_recipient[("baker@senate.example",)]
    assert first["To"] == "Pat Adams <adams@senate.example>"
    assert first["From"] == "Ana Ruiz <ana@example.org>"
    body = first.get_body(("plain",)).get_content()
    assert body.startswith("Dear Senator Adams:")
    assert second.get_body(("plain",)).get_content().startswith("Dear Senator Baker:")
    qtbot.waitUntil(
        lambda: main_window.mail_center().status_label.text() == "Outbox: empty", timeout=15_000
    )


def test_sending_without_an_account_offers_to_set_one_up(
    main_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    monkeypatch.setattr(main_window.coach_panel, "confirm_output", lambda _verb: True)
    monkeypatch.setattr(
        "composer.gui.mail_center.QMessageBox.question",
        lambda _parent, _title, text: asked.append(text) or 0,
    )
    main_window.addressing.send_by_email()
    assert asked and "e-mail account" in asked[0]


def test_contact_form_gets_the_letter_on_the_clipboard(main_window: MainWindow) -> None:
    from PySide6.QtGui import QGuiApplication

    opened: list[str] = []
    main_window.recipient_bar.select("white-house")
    assert main_window.addressing.open_contact_form(
        lambda url: opened.append(url.toString()) or True
    )
    assert opened == ["https://www.whitehouse.gov/contact/"]
    assert QGuiApplication.clipboard().text().startswith("Dear Mr. President:")


def test_send_anyway_with_an_empty_to_field_says_what_to_type(
    qtbot: QtBot, main_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The default recipient (the President) has no e-mail address: the dialog asks for one."""
    from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

    install_memory_keyring(monkeypatch)
    account = Account("Ana Ruiz", USER, "127.0.0.1", 2525, "starttls")
    save_account(account_file(main_window.locations.config_dir), account)
    main_window.recipient_bar.select("white-house")

    def send_anyway(box: QMessageBox) -> int:
        (anyway,) = [b for b in box.buttons() if b.text() == "Send anyway"]
        anyway.click()
        return 0

    monkeypatch.setattr("composer.gui.coach_panel.QMessageBox.exec", send_anyway)
    seen: list[str] = []

    def press_send(dialog: SendDialog) -> int:
        assert [field.text() for field in dialog.to_fields] == [""]
        buttons = dialog.findChild(QDialogButtonBox)
        buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        seen.append(dialog.error.text() if not dialog.error.isHidden() else "")
        return int(QDialog.DialogCode.Accepted if dialog.result() else QDialog.DialogCode.Rejected)

    monkeypatch.setattr(SendDialog, "exec", press_send)
    main_window.addressing.send_by_email()
    assert len(seen) == 1
    assert "give an e-mail address for" in seen[0].lower() and "President" in seen[0]
    assert main_window.mail_center().outbox.entries() == []
