"""The crash handler: an unexpected error saves the letter, is logged, is shown — and hides secrets."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest

from composer.gui.crash import CrashHandler, redact

PASSWORD = "hunter2-Secret"


@pytest.fixture
def handler(log_file: Path) -> Iterator[CrashHandler]:
    crash = CrashHandler(log_file, secrets=lambda: [PASSWORD])
    crash.install()
    yield crash
    crash.uninstall()
    if crash.dialog is not None:
        crash.dialog.close()


def boom() -> None:
    raise RuntimeError(
        f"login failed: password={PASSWORD} for smtp://ana:{PASSWORD}@mail.example.org "
        f'payload {{"password": "{PASSWORD}"}} AUTH PLAIN AGFuYQBodW50ZXIy and {PASSWORD}'
    )


def assert_no_secret(text: str) -> None:
    assert PASSWORD not in text
    assert "AGFuYQBodW50ZXIy" not in text


@pytest.mark.qt_no_exception_capture
def test_an_error_in_a_slot_saves_first_logs_and_shows_a_copyable_report(
    handler: CrashHandler, log_file: Path, qtbot
) -> None:
    order: list[str] = []
    handler.before_report = lambda: order.append("saved")
    handler.reported.connect(lambda message, report: order.append("shown"))
    QTimer.singleShot(0, boom)
    qtbot.waitUntil(lambda: handler.dialog is not None and handler.dialog.isVisible())
    assert order == ["saved", "shown"]
    dialog = handler.dialog
    message = dialog.message.text()
    assert "unexpected error" in message and "RuntimeError" in message
    assert "Your letter was saved in File ▸ Drafts… first." in message
    assert str(log_file) in message
    assert "Traceback" in dialog.report and "boom" in dialog.report
    assert_no_secret(message)
    assert_no_secret(dialog.report)
    logged = log_file.read_text(encoding="utf-8")
    assert "unexpected error" in logged and "boom" in logged
    assert_no_secret(logged)
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == dialog.report
    assert dialog.copy_button.text() == "Copied"


@pytest.mark.qt_no_exception_capture
def test_an_error_in_a_worker_thread_is_reported_on_the_gui_thread(
    handler: CrashHandler, qtbot
) -> None:
    threads: list[str] = []
    handler.before_report = lambda: threads.append(threading.current_thread().name)
    worker = threading.Thread(target=boom, name="worker")
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: handler.dialog is not None and handler.dialog.isVisible())
    assert threads == ["MainThread"]  # saving touched the window from its own thread only
    assert_no_secret(handler.dialog.report)


@pytest.mark.qt_no_exception_capture
def test_when_saving_first_fails_the_dialog_says_so(handler: CrashHandler, qtbot) -> None:
    def cannot_save() -> None:
        raise OSError(28, "No space left on device")

    handler.before_report = cannot_save
    QTimer.singleShot(0, boom)
    qtbot.waitUntil(lambda: handler.dialog is not None)
    message = handler.dialog.message.text()
    assert "could not be saved first" in message and "Save As" in message


@pytest.mark.qt_no_exception_capture
def test_without_a_log_the_dialog_says_where_the_report_is(tmp_path: Path, qtbot) -> None:
    crash = CrashHandler(tmp_path / "missing" / "composer.log")
    crash.install()
    try:
        QTimer.singleShot(0, boom)
        qtbot.waitUntil(lambda: crash.dialog is not None)
        assert "could not be written to the log" in crash.dialog.message.text()
    finally:
        crash.uninstall()
        crash.dialog.close()


@pytest.mark.qt_no_exception_capture
def test_the_window_letter_is_saved_before_the_report(
    main_window, locations, qtbot, log_file
) -> None:
    main_window.settings.autosave_seconds = 600  # only the crash handler will save
    crash = CrashHandler(log_file, before_report=main_window.keeper.save_for_crash)
    crash.install()
    try:
        QTest.keyClicks(main_window.editor.text, "Typed just before the error. ")
        assert main_window.keeper.draft_id is None
        QTimer.singleShot(0, boom)
        qtbot.waitUntil(lambda: crash.dialog is not None)
        db = sqlite3.connect(locations.database_file)
        [(data, owner)] = db.execute("SELECT data, owner FROM drafts_letters").fetchall()
        db.close()
        assert "Typed just before the error." in data
        assert owner  # still open: if the program dies now, the next start offers it back
        assert main_window.isVisible()  # never a silent exit
    finally:
        crash.uninstall()
        crash.dialog.close()


@pytest.mark.qt_no_exception_capture
def test_a_password_typed_for_the_session_is_masked_in_the_report(
    main_window, qtbot, log_file
) -> None:
    # No keyring: the user typed the password when sending; it lives in the window only.
    main_window.mail_center().passwords.session.store("ana@mail.example.org", PASSWORD)
    crash = CrashHandler(log_file, secrets=main_window.known_secrets)
    crash.install()
    reports: list[str] = []
    crash.reported.connect(lambda message, report: reports.append(message + report))

    def fail() -> None:
        raise RuntimeError(f"server said: {PASSWORD}")

    try:
        QTimer.singleShot(0, fail)
        qtbot.waitUntil(lambda: crash.dialog is not None)
        assert reports and "server said: ***" in reports[0]
        assert PASSWORD not in reports[0]
        assert PASSWORD not in log_file.read_text(encoding="utf-8")
    finally:
        crash.uninstall()
        crash.dialog.close()


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("password=abc123", "password=***"),
        ("Password: abc123", "Password: ***"),
        ('{"password": "abc 123"}', '{"password": "***"}'),
        ("token='x.y.z'", "token=***"),
        ("smtps://ana:abc123@mail.example.org:465", "smtps://ana:***@mail.example.org:465"),
        ("AUTH PLAIN AGFuYQBhYmMxMjM=", "AUTH PLAIN ***"),
        ("api_key = k-123", "api_key = ***"),
    ],
)
def test_redaction(text: str, kept: str) -> None:
    assert redact(text) == kept


def test_known_secrets_are_masked_wherever_they_appear() -> None:
    assert redact("the value hunter2 leaked", ["hunter2"]) == "the value *** leaked"
    assert redact("short ab stays", ["ab"]) == "short ab stays"  # too short to mask safely
