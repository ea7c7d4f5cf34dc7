"""Sending from the window: the outbox view, the send controller and the account dialog.

A real SMTP server runs on 127.0.0.1 (tests/helpers/smtp_server.py) and
passwords live in an in-memory keyring; the real Secret Service is covered by
tests/integration/test_keyring.py.
"""

from __future__ import annotations

import dataclasses
import itertools
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThreadPool, QTimer
from pytestqt.qtbot import QtBot

from composer.core.accounts import Account, account_file, load_account, save_account
from composer.core.credentials import SERVICE, KeyringCredentials, PasswordSource, SessionPasswords
from composer.core.locations import Locations
from composer.core.mail import OutgoingMessage, build_message, parse_address
from composer.core.outbox import Outbox, OutboxEntry, OutboxError
from composer.core.sending import RetryPolicy
from composer.core.transport import ConnectionCheck, FailureKind
from composer.gui.account_dialog import AccountDialog, ask_password
from composer.gui.outbox_view import OutboxView, letter_story
from composer.gui.send_worker import SendController
from tests.helpers.memory_keyring import MemoryKeyring, install_memory_keyring, install_no_keyring
from tests.helpers.smtp_server import SmtpTestServer, free_port

USER = "ada@example.org"
PASSWORD = "gui-test-Pa55word"
TIMEOUT = 2.0


@pytest.fixture
def keyring(monkeypatch: pytest.MonkeyPatch) -> MemoryKeyring:
    return install_memory_keyring(monkeypatch)


@pytest.fixture
def passwords() -> PasswordSource:
    return PasswordSource(KeyringCredentials(), SessionPasswords())


@pytest.fixture
def pool() -> Iterator[QThreadPool]:
    threads = QThreadPool()
    yield threads
    threads.waitForDone(10_000)


@pytest.fixture
def outbox(locations: Locations) -> Iterator[Outbox]:
    box = Outbox(locations.database_file)
    yield box
    box.close()


def _account(server: SmtpTestServer) -> Account:
    return Account("Ada Example", USER, server.host, server.port, "starttls")


def _save(locations: Locations, account: Account) -> None:
    save_account(account_file(locations.config_dir), account)


def _message(
    subject: str = "Protect those who refuse", to: str = "president@whitehouse.gov"
) -> OutgoingMessage:
    return build_message(
        sender=parse_address(f"Ada Example <{USER}>", "From"),
        to=[parse_address(f"The President <{to}>", "To")],
        subject=subject,
        text="Dear Mr. President:\n",
        html="<p>Dear Mr. President:</p>",
    )


def _controller(
    locations: Locations,
    outbox: Outbox,
    passwords: PasswordSource,
    pool: QThreadPool,
    **options: object,
) -> SendController:
    path = account_file(locations.config_dir)
    settings: dict[str, object] = {"timeout": TIMEOUT, "watch_network": False, "pool": pool}
    settings.update(options)
    return SendController(outbox, lambda: load_account(path), passwords, **settings)  # type: ignore[arg-type]


@pytest.fixture
def make_controller(
    locations: Locations, outbox: Outbox, passwords: PasswordSource, pool: QThreadPool
) -> Iterator:
    made: list[SendController] = []

    def make(**options: object) -> SendController:
        controller = _controller(locations, outbox, passwords, pool, **options)
        made.append(controller)
        return controller

    yield make
    for controller in made:
        controller.shutdown()
    pool.waitForDone(10_000)


def _wait_idle(qtbot: QtBot, controller: SendController, timeout: int = 15_000) -> None:
    qtbot.waitUntil(lambda: not controller.busy, timeout=timeout)


# -- the window keeps responding ------------------------------------------------------


def test_window_keeps_responding_while_the_server_stalls(
    qtbot: QtBot,
    locations: Locations,
    server: SmtpTestServer,
    keyring: MemoryKeyring,
    make_controller,
) -> None:
    server.hang_greeting = True
    account = _account(server)
    _save(locations, account)
    keyring.passwords[(SERVICE, account.keyring_key)] = PASSWORD
    controller = make_controller(timeout=3.0)
    view = OutboxView(controller)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)

    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()
    with qtbot.waitSignal(controller.busy_changed, check_params_cb=lambda busy: busy, timeout=5000):
        controller.queue([_message()])
    assert controller.busy
    # While the worker waits on the silent server, the window takes clicks and repaints.
    qtbot.mouseClick(
        view.tabs.tabBar(), Qt.MouseButton.LeftButton, pos=view.tabs.tabBar().tabRect(1).center()
    )
    assert view.tabs.currentIndex() == 1
    assert controller.busy
    with qtbot.waitSignal(controller.announcement, timeout=10_000) as announced:
        pass
    _wait_idle(qtbot, controller)
    timer.stop()
    text, good = announced.args
    assert not good and "did not answer in time" in text and "Next try at" in text
    gaps = [later - earlier for earlier, later in itertools.pairwise(ticks)]
    assert len(ticks) > 50, "the event loop stalled while sending"
    assert max(gaps) < 0.5, f"the event loop stopped for {max(gaps):.2f} s"
    qtbot.waitUntil(
        lambda: (
            view.waiting.topLevelItemCount() == 1
            and view.waiting.topLevelItem(0).text(0).startswith("Waiting — next try")
        )
    )
    assert server.recording.messages == []


# -- sending and the lists -----------------------------------------------------------


def test_queue_send_and_see_it_in_sent(
    qtbot: QtBot,
    locations: Locations,
    server: SmtpTestServer,
    keyring: MemoryKeyring,
    make_controller,
    tmp_path: Path,
) -> None:
    account = _account(server)
    _save(locations, account)
    keyring.passwords[(SERVICE, account.keyring_key)] = PASSWORD
    controller = make_controller()
    view = OutboxView(controller)
    qtbot.addWidget(view)
    counts: list[int] = []
    view.pending_count_changed.connect(counts.append)
    with qtbot.waitSignal(
        controller.announcement,
        check_params_cb=lambda text, good: text.startswith("Sent:"),
        timeout=10_000,
    ) as announced:
        controller.queue([_message()], campaign_id="protect-refusers")
    assert announced.args == [
        "Sent: “Protect those who refuse” to The President was accepted by the server.",
        True,
    ]
    qtbot.waitUntil(lambda: view.sent.topLevelItemCount() == 1)
    row = view.sent.topLevelItem(0)
    assert row.text(2) == "Protect those who refuse"
    assert row.text(3) == "250 2.0.0 Ok: queued as TEST0001"
    assert counts and counts[-1] == 0
    assert len(server.recording.messages) == 1

    # Export the sent copy as .eml.
    target = tmp_path / "copy.eml"
    view.choose_eml_path = lambda suggestion: target  # type: ignore[method-assign]
    row.setSelected(True)
    assert view.export_sent_button.isEnabled()
    with qtbot.waitSignal(controller.announcement, timeout=5000):
        qtbot.mouseClick(view.export_sent_button, Qt.MouseButton.LeftButton)
    assert target.read_bytes() == server.recording.messages[0].data

    # View the stored copy.
    qtbot.mouseClick(view.view_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: getattr(view, "viewer", None) is not None and view.viewer.isVisible())
    assert "Subject: Protect those who refuse" in view.viewer.text.toPlainText()
    view.viewer.close()
    with qtbot.waitSignal(view.reopen_requested) as reopen:
        qtbot.mouseClick(view.reopen_button, Qt.MouseButton.LeftButton)
    assert reopen.args == [1]


def test_refused_letter_shows_the_servers_words_and_can_be_edited_or_cancelled(
    qtbot: QtBot,
    locations: Locations,
    server: SmtpTestServer,
    keyring: MemoryKeyring,
    make_controller,
) -> None:
    server.reject_recipients["nobody@whitehouse.gov"] = (
        "550 5.1.1 <nobody@whitehouse.gov>: Recipient address rejected"
    )
    account = _account(server)
    _save(locations, account)
    keyring.passwords[(SERVICE, account.keyring_key)] = PASSWORD
    controller = make_controller()
    view = OutboxView(controller)
    qtbot.addWidget(view)
    with qtbot.waitSignal(
        controller.announcement,
        check_params_cb=lambda text, good: text.startswith("Not sent"),
        timeout=10_000,
    ) as announced:
        controller.queue([_message(to="nobody@whitehouse.gov")])
    assert announced.args[1] is False
    assert "550 5.1.1 <nobody@whitehouse.gov>: Recipient address rejected" in announced.args[0]
    qtbot.waitUntil(
        lambda: (
            view.waiting.topLevelItemCount() == 1
            and view.waiting.topLevelItem(0).text(0) == "Refused — edit and resend"
        )
    )
    row = view.waiting.topLevelItem(0)
    assert row.text(4).startswith("550 5.1.1")
    assert view.details.text().startswith("1 letter was refused by the server.")
    row.setSelected(True)
    # The whole story is on screen, not only in a tooltip or a clipped column.
    story = view.details.text()
    assert "The server refused the recipient nobody@whitehouse.gov" in story
    assert (
        "The server said: “550 5.1.1 <nobody@whitehouse.gov>: Recipient address rejected”" in story
    )
    assert view.edit_button.isEnabled() and view.cancel_button.isEnabled()
    entry_id = view.selected_ids()[0]
    with qtbot.waitSignal(view.edit_requested) as edit:
        qtbot.mouseClick(view.edit_button, Qt.MouseButton.LeftButton)
    assert edit.args == [entry_id]

    # The edited letter replaces it and goes out.
    with qtbot.waitSignal(
        controller.announcement,
        check_params_cb=lambda text, good: good and text.startswith("Sent:"),
        timeout=10_000,
    ):
        controller.replace(entry_id, _message(subject="Corrected"))
    assert [message.rcpt_tos for message in server.recording.messages] == [
        ("president@whitehouse.gov",)
    ]

    # Cancelling, after the user says yes.
    controller.queue([_message(subject="to cancel", to="nobody@whitehouse.gov")])
    qtbot.waitUntil(
        lambda: (
            view.waiting.topLevelItemCount() == 1
            and view.waiting.topLevelItem(0).text(0).startswith("Refused")
        ),
        timeout=10_000,
    )
    view.waiting.topLevelItem(0).setSelected(True)
    view.confirm = lambda question: True  # type: ignore[method-assign]
    with qtbot.waitSignal(
        controller.announcement,
        check_params_cb=lambda text, good: text.startswith("Cancelled"),
        timeout=5000,
    ):
        qtbot.mouseClick(view.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.waiting.topLevelItemCount() == 0)


def test_outbox_that_cannot_be_written_midway_is_told_and_the_letter_waits_again(
    qtbot: QtBot,
    locations: Locations,
    server: SmtpTestServer,
    keyring: MemoryKeyring,
    make_controller,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The second letter's bookkeeping fails (as on a full disk, which the real-server
    test with a real full disk covers): the user is told, and the first letter, which
    the server accepted, waits again flagged as possibly delivered instead of
    showing "Sending…" until the next start."""
    account = _account(server)
    _save(locations, account)
    keyring.passwords[(SERVICE, account.keyring_key)] = PASSWORD

    def disk_full(*args: object) -> object:
        raise OutboxError("The disk is full: the outbox cannot be written. Free some space.")

    monkeypatch.setattr(Outbox, "mark_sent_and_claim", disk_full)
    controller = make_controller()
    view = OutboxView(controller)
    qtbot.addWidget(view)
    with qtbot.waitSignal(controller.failed, timeout=10_000) as failed:
        controller.queue([_message("First"), _message("Second")])
    assert failed.args[0].startswith("The disk is full")
    assert "The letters not sent yet wait in the outbox" in failed.args[0]
    assert len(server.recording.messages) == 1  # the first went out, the second never did

    def first() -> OutboxEntry | None:
        return next((e for e in view._entries.values() if e.subject == "First"), None)

    qtbot.waitUntil(lambda: (entry := first()) is not None and entry.possibly_delivered)
    states = [view.waiting.topLevelItem(i).text(0) for i in range(view.waiting.topLevelItemCount())]
    assert len(states) == 2 and "Sending…" not in states
    assert first().state == "queued"
    assert "It may already have been delivered once." in letter_story(first())


def test_missing_password_is_asked_for_and_kept_in_memory(
    qtbot: QtBot,
    locations: Locations,
    server: SmtpTestServer,
    monkeypatch: pytest.MonkeyPatch,
    make_controller,
    passwords: PasswordSource,
) -> None:
    install_no_keyring(monkeypatch)
    account = _account(server)
    _save(locations, account)
    controller = make_controller()
    with qtbot.waitSignal(controller.password_needed, timeout=10_000) as needed:
        controller.queue([_message()])
    key, reason = needed.args
    assert key == account.keyring_key
    assert "kept in memory until the program closes" in reason
    _wait_idle(qtbot, controller)
    assert server.recording.connections == 0
    with qtbot.waitSignal(
        controller.announcement,
        check_params_cb=lambda text, good: good and text.startswith("Sent:"),
        timeout=10_000,
    ):
        controller.provide_password(key, PASSWORD)
    assert passwords.session.get(key) == PASSWORD
    assert len(server.recording.messages) == 1


def test_interrupted_letter_is_requeued_and_the_user_told(
    qtbot: QtBot,
    locations: Locations,
    server: SmtpTestServer,
    keyring: MemoryKeyring,
    outbox: Outbox,
    make_controller,
) -> None:
    account = _account(server)
    _save(locations, account)
    keyring.passwords[(SERVICE, account.keyring_key)] = PASSWORD
    entry_id = outbox.enqueue(_message())
    outbox.claim(entry_id)  # the program died while sending it
    controller = make_controller()
    with qtbot.waitSignal(controller.interrupted, timeout=5000) as interrupted:
        controller.start()
    assert interrupted.args == [1]
    qtbot.waitUntil(lambda: len(server.recording.messages) == 1, timeout=10_000)
    _wait_idle(qtbot, controller)
    assert outbox.pending_count() == 0


def test_retry_timer_sends_once_the_server_is_back(
    qtbot: QtBot,
    locations: Locations,
    server: SmtpTestServer,
    keyring: MemoryKeyring,
    make_controller,
) -> None:
    account = _account(server)
    _save(locations, account)
    keyring.passwords[(SERVICE, account.keyring_key)] = PASSWORD
    server.stop()
    controller = make_controller(retry=RetryPolicy(first=1.0))
    with qtbot.waitSignal(
        controller.announcement,
        check_params_cb=lambda text, good: "refused the connection" in text,
        timeout=10_000,
    ):
        controller.queue([_message()])
    server.start()
    with qtbot.waitSignal(
        controller.announcement,
        check_params_cb=lambda text, good: good and text.startswith("Sent:"),
        timeout=10_000,
    ):
        pass
    assert len(server.recording.messages) == 1


def test_network_back_sends_at_once(
    qtbot: QtBot,
    locations: Locations,
    server: SmtpTestServer,
    keyring: MemoryKeyring,
    make_controller,
) -> None:
    account = _account(server)
    _save(locations, account)
    keyring.passwords[(SERVICE, account.keyring_key)] = PASSWORD
    server.stop()
    controller = make_controller(retry=RetryPolicy(first=3600.0))
    with qtbot.waitSignal(
        controller.announcement,
        check_params_cb=lambda text, good: "refused the connection" in text,
        timeout=10_000,
    ):
        controller.queue([_message()])
    _wait_idle(qtbot, controller)
    server.start()
    with qtbot.waitSignal(
        controller.announcement,
        check_params_cb=lambda text, good: good and text.startswith("Sent:"),
        timeout=10_000,
    ):
        controller.network_back()
    assert len(server.recording.messages) == 1


def test_probe_finds_the_server_again_without_network_information(
    qtbot: QtBot,
    locations: Locations,
    server: SmtpTestServer,
    keyring: MemoryKeyring,
    make_controller,
) -> None:
    account = _account(server)
    _save(locations, account)
    keyring.passwords[(SERVICE, account.keyring_key)] = PASSWORD
    server.stop()
    controller = make_controller(retry=RetryPolicy(first=3600.0), probe_interval=0.2)
    with qtbot.waitSignal(
        controller.announcement,
        check_params_cb=lambda text, good: "refused the connection" in text,
        timeout=10_000,
    ):
        controller.queue([_message()])
    server.start()
    with qtbot.waitSignal(
        controller.announcement,
        check_params_cb=lambda text, good: good and text.startswith("Sent:"),
        timeout=10_000,
    ):
        pass
    assert len(server.recording.messages) == 1


def test_network_information_is_used_when_qt_has_a_backend(make_controller) -> None:
    from PySide6.QtNetwork import QNetworkInformation

    controller = make_controller(watch_network=True)
    if QNetworkInformation.availableBackends():
        assert controller.network is not None
        assert controller.network.supports(QNetworkInformation.Feature.Reachability)
    else:
        assert controller.network is None


# -- the account dialog ----------------------------------------------------------------


def _dialog(
    qtbot: QtBot,
    locations: Locations,
    passwords: PasswordSource,
    pool: QThreadPool,
    **options: object,
) -> AccountDialog:
    dialog = AccountDialog(
        account_file(locations.config_dir), passwords, pool=pool, timeout=TIMEOUT, **options
    )  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.loaded, timeout=5000):
        dialog.show()
    return dialog


def test_a_sign_in_that_breaks_unexpectedly_gives_the_button_back(
    qtbot: QtBot,
    locations: Locations,
    keyring: MemoryKeyring,
    passwords: PasswordSource,
    pool: QThreadPool,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Not an OAuthError but any error: the wait ends, the user reads what failed and
    what to do, and can sign in again."""

    def browser(url: str) -> bool:
        raise RuntimeError("the browser launcher crashed")

    dialog = _dialog(qtbot, locations, passwords, pool, browser=browser)
    dialog.display_name.setText("Ada Example")
    dialog.email.setText("ada@outlook.com")
    dialog.preset.setCurrentIndex(dialog.preset.findData("microsoft365"))
    dialog.client_id.setText("registered-id")
    dialog.sign_in()
    assert not dialog.sign_in_button.isEnabled()
    qtbot.waitUntil(dialog.sign_in_button.isEnabled, timeout=10_000)
    assert dialog.result_label.text() == (
        "Unexpected error while signing in: the browser launcher crashed. "
        "The details are in the log file; please try again."
    )
    assert "signing in failed" in caplog.text and "RuntimeError" in caplog.text
    assert dialog.test_button.isEnabled()


def test_dialog_presets_fill_in_the_server(
    qtbot: QtBot,
    locations: Locations,
    keyring: MemoryKeyring,
    passwords: PasswordSource,
    pool: QThreadPool,
) -> None:
    dialog = _dialog(qtbot, locations, passwords, pool, sender_name="Ada Example")
    assert dialog.display_name.text() == "Ada Example"
    dialog.preset.setCurrentIndex(dialog.preset.findData("gmail"))
    assert (dialog.host.text(), dialog.port.value(), dialog.security.currentData()) == (
        "smtp.gmail.com",
        465,
        "ssl",
    )
    assert "app password" in dialog.preset_notes.text()
    dialog.preset.setCurrentIndex(0)
    dialog.host.clear()
    qtbot.keyClicks(dialog.email, "someone@icloud.com")
    dialog.email.editingFinished.emit()
    assert dialog.host.text() == "smtp.mail.me.com" and dialog.port.value() == 587
    dialog.security.setCurrentIndex(dialog.security.findData("ssl"))
    assert dialog.port.value() == 465


def test_dialog_saves_account_and_password_in_the_keyring(
    qtbot: QtBot,
    locations: Locations,
    server: SmtpTestServer,
    keyring: MemoryKeyring,
    passwords: PasswordSource,
    pool: QThreadPool,
) -> None:
    dialog = _dialog(qtbot, locations, passwords, pool)
    assert "will be kept in the system keyring" in dialog.password_state.text()
    dialog.set_account(_account(server))
    dialog.password.setText(PASSWORD)
    with qtbot.waitSignal(dialog.saved, timeout=5000) as saved:
        qtbot.mouseClick(
            dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton
        )
    account = saved.args[0]
    assert load_account(account_file(locations.config_dir)) == account
    assert keyring.passwords == {(SERVICE, account.keyring_key): PASSWORD}
    assert PASSWORD not in account_file(locations.config_dir).read_text()
    assert dialog.result() == dialog.DialogCode.Accepted

    again = _dialog(qtbot, locations, passwords, pool)
    assert again.host.text() == server.host and again.port.value() == server.port
    assert "A password is stored" in again.password_state.text()
    assert again.forget_button.isEnabled()
    qtbot.mouseClick(again.forget_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not again.forget_button.isEnabled())
    assert keyring.passwords == {}


def test_dialog_without_keyring_explains_and_keeps_the_password_in_memory(
    qtbot: QtBot,
    locations: Locations,
    server: SmtpTestServer,
    monkeypatch: pytest.MonkeyPatch,
    passwords: PasswordSource,
    pool: QThreadPool,
) -> None:
    install_no_keyring(monkeypatch)
    dialog = _dialog(qtbot, locations, passwords, pool)
    assert "no keyring" in dialog.password_state.text()
    dialog.set_account(_account(server))
    dialog.password.setText(PASSWORD)
    with qtbot.waitSignal(dialog.saved, timeout=5000) as saved:
        dialog.save()
    assert passwords.session.get(saved.args[0].keyring_key) == PASSWORD
    for path in locations.config_dir.rglob("*"):
        assert PASSWORD.encode() not in path.read_bytes()


def test_dialog_test_connection_gives_the_specific_answer(
    qtbot: QtBot,
    locations: Locations,
    server: SmtpTestServer,
    keyring: MemoryKeyring,
    passwords: PasswordSource,
    pool: QThreadPool,
) -> None:
    dialog = _dialog(qtbot, locations, passwords, pool)
    dialog.set_account(_account(server))
    dialog.password.setText(PASSWORD)
    with qtbot.waitSignal(dialog.checked, timeout=10_000) as checked:
        qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    result: ConnectionCheck = checked.args[0]
    assert result.ok and dialog.result_label.text().startswith("✓ Connection OK")

    dialog.password.setText("wrong")
    with qtbot.waitSignal(dialog.checked, timeout=10_000) as checked:
        dialog.test_connection()
    assert checked.args[0].failure.kind is FailureKind.LOGIN_REJECTED
    assert "535" in dialog.result_label.text()

    dialog.port.setValue(free_port())
    with qtbot.waitSignal(dialog.checked, timeout=10_000) as checked:
        dialog.test_connection()
    assert checked.args[0].failure.kind is FailureKind.REFUSED
    assert "refused the connection" in dialog.result_label.text()
    server.assert_no_secret_in_clear(USER, PASSWORD)


def test_dialog_refuses_bad_fields_without_saving(
    qtbot: QtBot,
    locations: Locations,
    keyring: MemoryKeyring,
    passwords: PasswordSource,
    pool: QThreadPool,
) -> None:
    dialog = _dialog(qtbot, locations, passwords, pool)
    dialog.email.setText("not an address")
    dialog.host.setText("smtp.example.org")
    dialog.save()
    assert dialog.result_label.text().startswith("From address:")
    assert not account_file(locations.config_dir).exists()
    assert dialog.isVisible()


def test_ask_password(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []

    def answer(parent: object, title: str, text: str, echo: object) -> tuple[str, bool]:
        asked.append(text)
        return "typed", True

    monkeypatch.setattr("composer.gui.account_dialog.QInputDialog.getText", answer)
    assert ask_password(None, USER, "There is no keyring.") == "typed"
    assert asked == [f"There is no keyring.\n\nPassword for {USER}:"]


def test_letter_story_says_what_happened_and_what_comes_next() -> None:
    entry = OutboxEntry(
        id=1,
        message_id="<1@example.org>",
        state="queued",
        envelope_from="ada@example.org",
        envelope_to=("president@whitehouse.gov",),
        subject="Protect them",
        recipient_names=("The President",),
        campaign_id="",
        source="",
        created_at=0.0,
        updated_at=0.0,
        attempts=0,
        next_attempt_at=0.0,
        last_attempt_at=None,
        last_reply="",
        last_error="",
        last_error_kind="",
        possibly_delivered=False,
    )
    assert letter_story(entry, now=10.0) == (
        "“Protect them” to The President. It has not been tried yet; it goes out with the "
        "next send."
    )
    waiting = dataclasses.replace(
        entry,
        attempts=2,
        next_attempt_at=time.time() + 600,
        last_error="The server cannot be reached.",
        last_reply="421 4.3.2 Try again later",
        possibly_delivered=True,
    )
    story = letter_story(waiting)
    assert story.startswith(
        "“Protect them” to The President. Tried 2 times; not sent yet. The server cannot be "
        "reached. Next try at "
    )
    assert story.endswith(
        "or now with Send Now. The server said: “421 4.3.2 Try again later”. It may already "
        "have been delivered once."
    )
    assert "being sent right now" in letter_story(dataclasses.replace(entry, state="sending"))
