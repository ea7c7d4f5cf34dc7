"""The Outbox window's actions from the real main window, against a real SMTP server.

A refused letter is corrected with Edit… and goes out; a sent one is sent
again with Re-open; the e-mail dialog reads names with commas; Escape, Ctrl+W
and quitting close the Outbox window.
"""

from __future__ import annotations

from email import message_from_bytes, policy

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from composer.core.accounts import Account, account_file, save_account
from composer.core.credentials import KeyringCredentials
from composer.core.mail import build_message, parse_address
from composer.core.models import Recipient
from composer.gui.mail_center import MessageEditDialog, SendDialog
from composer.gui.mainwindow import MainWindow
from tests.helpers.memory_keyring import install_memory_keyring
from tests.helpers.smtp_server import SmtpTestServer

USER = "ana@example.org"
PASSWORD = "outbox-Pa55word"


def _account_for(window: MainWindow, server: SmtpTestServer, monkeypatch) -> None:
    install_memory_keyring(monkeypatch)
    account = Account("Ana Ruiz", USER, server.host, server.port, "starttls")
    save_account(account_file(window.locations.config_dir), account)
    KeyringCredentials().store(account.keyring_key, PASSWORD)


def _message(to: str, subject: str = "Protect those who refuse"):
    return build_message(
        sender=parse_address(f"Ana Ruiz <{USER}>", "From"),
        to=[parse_address(f"The President <{to}>", "To")],
        subject=subject,
        text="Dear Mr. President:\n\nPlease protect them.\n",
        html="<p>Dear Mr. President:</p><p>Please protect them.</p>",
    )


seen: list[str] = []  # what each correction dialog said on top


def _fill(changes: dict[str, str]):
    """An exec() for the correction dialog that types `changes` and presses the button."""

    def exec_(dialog: MessageEditDialog) -> int:
        seen.append("" if dialog.note.isHidden() else dialog.note.text())
        for name, value in changes.items():
            widget = getattr(dialog, name)
            if name == "text":
                widget.setPlainText(value)
            else:
                widget.setText(value)
        dialog.send_button.click()
        return QDialog.DialogCode.Accepted if dialog.result() else QDialog.DialogCode.Rejected

    return exec_


# The offscreen platform cannot raise a window; on a desktop it can.
@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_a_refused_letter_is_corrected_with_edit_and_goes_out(
    qtbot: QtBot,
    main_window: MainWindow,
    server: SmtpTestServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _account_for(main_window, server, monkeypatch)
    server.reject_recipients["nobody@whitehouse.gov"] = "550 5.1.1 No such user here"
    center = main_window.mail_center()
    center.show_outbox()
    view = center.outbox_window
    qtbot.addWidget(view)
    center.controller.queue([_message("nobody@whitehouse.gov")])
    qtbot.waitUntil(
        lambda: (
            view.waiting.topLevelItemCount() == 1
            and view.waiting.topLevelItem(0).text(0).startswith("Refused")
        ),
        timeout=15_000,
    )
    view.waiting.topLevelItem(0).setSelected(True)
    monkeypatch.setattr(
        MessageEditDialog,
        "exec",
        _fill({"to": '"White House, Comments" <comments@whitehouse.gov>', "subject": "Fixed"}),
    )
    seen.clear()
    qtbot.mouseClick(view.edit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(server.recording.messages) == 1, timeout=15_000)
    assert "550 5.1.1 No such user here" in seen[0]  # why it was refused, above the fields
    received = server.recording.messages[0]
    assert received.rcpt_tos == ("comments@whitehouse.gov",)
    parsed = message_from_bytes(received.data, policy=policy.default)
    assert parsed["Subject"] == "Fixed"
    assert parsed["To"] == '"White House, Comments" <comments@whitehouse.gov>'
    assert "Please protect them." in parsed.get_body(("plain",)).get_content()
    qtbot.waitUntil(lambda: view.waiting.topLevelItemCount() == 0, timeout=10_000)
    qtbot.waitUntil(lambda: view.sent.topLevelItemCount() == 1, timeout=10_000)

    # Re-open the sent letter: a new copy, to someone else, goes out as a new letter.
    view.tabs.setCurrentIndex(1)
    view.sent.topLevelItem(0).setSelected(True)
    monkeypatch.setattr(
        MessageEditDialog,
        "exec",
        _fill({"to": "office@senate.gov", "text": "Dear Senator:\n\nA second copy.\n"}),
    )
    qtbot.mouseClick(view.reopen_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(server.recording.messages) == 2, timeout=15_000)
    again = message_from_bytes(server.recording.messages[1].data, policy=policy.default)
    assert server.recording.messages[1].rcpt_tos == ("office@senate.gov",)
    assert again["Message-ID"] != parsed["Message-ID"]
    plain = again.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert plain == "Dear Senator:\n\nA second copy.\n"
    assert "A second copy." in again.get_body(("html",)).get_content()


def test_the_correction_dialog_refuses_an_empty_to_and_says_what_to_type(qtbot: QtBot) -> None:
    dialog = MessageEditDialog(
        _message("president@whitehouse.gov").raw, title="t", action="&Send", copy_to_sender=False
    )
    qtbot.addWidget(dialog)
    dialog.to.setText("  ")
    dialog.send_button.click()
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.message is None
    assert "add at least one recipient" in dialog.error.text()


def _official(email: str) -> Recipient:
    return Recipient(
        id="T000001",
        name="Pat Adams",
        title="Senator",
        salutation="Dear Senator Adams:",
        address_lines=("The Honorable Pat Adams", "United States Senate", "Washington, DC 20510"),
        kind="senator",
        email=email,
    )


def test_send_dialog_reads_a_quoted_name_with_a_comma_and_an_empty_to_is_explained(
    qtbot: QtBot,
    main_window: MainWindow,
    server: SmtpTestServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _account_for(main_window, server, monkeypatch)
    main_window.addressing.use_recipients([_official("")])
    monkeypatch.setattr(main_window.coach_panel, "confirm_output", lambda _verb: True)
    shown: list[str] = []

    def empty_then_quoted(dialog: SendDialog) -> int:
        dialog.copy_to_me.setChecked(False)
        dialog._check()  # the To field is empty: explained, not a crash
        shown.append(dialog.error.text())
        dialog.to_fields[0].setText('"White House, Comments" <comments@whitehouse.gov>')
        dialog.cc.setText('"Doe, Jane" <jane@example.org>; staff@example.org')
        dialog._check()
        return QDialog.DialogCode.Accepted if dialog.result() else QDialog.DialogCode.Rejected

    monkeypatch.setattr(SendDialog, "exec", empty_then_quoted)
    main_window.addressing.send_by_email()
    assert shown and "give an e-mail address for" in shown[0]
    qtbot.waitUntil(lambda: len(server.recording.messages) == 1, timeout=20_000)
    received = server.recording.messages[0]
    assert received.rcpt_tos == (
        "comments@whitehouse.gov",
        "jane@example.org",
        "staff@example.org",
    )
    parsed = message_from_bytes(received.data, policy=policy.default)
    assert parsed["To"] == '"White House, Comments" <comments@whitehouse.gov>'
    assert parsed["Cc"] == '"Doe, Jane" <jane@example.org>, staff@example.org'


@pytest.mark.qt_log_ignore("This plugin does not support raise")
@pytest.mark.parametrize("keys", ["Escape", "Ctrl+W"])
def test_the_outbox_window_closes_with_escape_and_ctrl_w(
    qtbot: QtBot, main_window: MainWindow, keys: str
) -> None:
    center = main_window.mail_center()
    center.show_outbox()
    view = center.outbox_window
    qtbot.addWidget(view)
    qtbot.waitExposed(view)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is view)
    view.waiting.setFocus()
    qtbot.keySequence(view.waiting, QKeySequence(keys))
    qtbot.waitUntil(lambda: not view.isVisible())
    assert main_window.isVisible()


@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_ctrl_q_in_the_outbox_window_quits_and_closes_it(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    center = main_window.mail_center()
    center.show_outbox()
    view = center.outbox_window
    qtbot.addWidget(view)
    qtbot.waitExposed(view)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is view)
    qtbot.keySequence(view.waiting, QKeySequence("Ctrl+Q"))
    qtbot.waitUntil(lambda: not main_window.isVisible() and not view.isVisible())


@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_the_outbox_window_opens_wholly_on_screen_and_tells_the_truth_when_empty(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    main_window.move(main_window.screen().availableGeometry().topRight())
    center = main_window.mail_center()
    center.show_outbox()
    view = center.outbox_window
    qtbot.addWidget(view)
    qtbot.waitExposed(view)
    area = view.screen().availableGeometry()
    assert area.contains(view.frameGeometry()), (area, view.frameGeometry())
    qtbot.waitUntil(lambda: view.details.text() != "")
    assert "every letter has gone out" not in view.details.text()
    assert "no letter has been sent yet" in view.details.text()


@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_send_now_with_only_refused_letters_says_they_wait(
    qtbot: QtBot,
    main_window: MainWindow,
    server: SmtpTestServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _account_for(main_window, server, monkeypatch)
    server.reject_recipients["nobody@whitehouse.gov"] = "550 5.1.1 No such user here"
    center = main_window.mail_center()
    center.show_outbox()
    view = center.outbox_window
    qtbot.addWidget(view)
    center.controller.queue([_message("nobody@whitehouse.gov")])
    qtbot.waitUntil(
        lambda: (
            view.waiting.topLevelItemCount() == 1
            and view.waiting.topLevelItem(0).text(0).startswith("Refused")
        ),
        timeout=15_000,
    )
    with qtbot.waitSignal(center.controller.announcement, timeout=10_000) as said:
        qtbot.mouseClick(view.send_button, Qt.MouseButton.LeftButton)
    assert said.args == [
        "Nothing to send now: 1 letter refused by the server waits to be corrected. "
        "Open the outbox to edit or retry it.",
        False,
    ]
    assert "empty" not in view.status.text()
