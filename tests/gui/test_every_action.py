"""Every enabled action of every menu of the window, triggered with a letter in place.

No action may end in the crash dialog, an exception or a logged error. Dialogs
an action opens are closed as a user would close them (Escape: reject), by a
timer that keeps running inside their event loops; links to web pages go to a
handler of the test instead of a browser.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QTimer, QUrl, Slot
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import QApplication, QDialog, QMenu, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from composer.gui.crash import CrashHandler
from composer.gui.mainwindow import MainWindow
from tests.helpers.smtp_server import free_port


class ModalCloser(QObject):
    """Rejects each modal dialog as soon as it is up (going on past the coach), notes its title."""

    def __init__(self) -> None:
        super().__init__()
        self.closed: list[str] = []
        self.timer = QTimer(self)
        self.timer.setInterval(20)
        self.timer.timeout.connect(self._close)
        self.timer.start()

    def _close(self) -> None:
        widget = QApplication.activeModalWidget()
        if widget is None or not widget.isVisible():
            return
        self.closed.append(widget.windowTitle() or type(widget).__name__)
        go_on = [
            button
            for button in (widget.buttons() if isinstance(widget, QMessageBox) else [])
            if button.text().endswith(" anyway")
        ]
        if go_on:  # the coach's "Make the letter your own?": go on, to reach the next step
            go_on[0].click()
        elif isinstance(widget, QDialog):
            widget.reject()
        else:
            widget.close()


class UrlCatcher(QObject):
    """Takes the web pages the window asks the desktop to open."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []

    @Slot(QUrl)
    def open_url(self, url: QUrl) -> None:
        self.opened.append(url.toString())


@pytest.fixture
def url_catcher() -> Iterator[UrlCatcher]:
    catcher = UrlCatcher()
    for scheme in ("http", "https", "mailto"):
        QDesktopServices.setUrlHandler(scheme, catcher, "open_url")
    yield catcher
    for scheme in ("http", "https", "mailto"):
        QDesktopServices.unsetUrlHandler(scheme)


def menu_actions(menu: QMenu, path: str = "") -> Iterator[tuple[str, QAction]]:
    """The menu's actions, submenus included (opened first, as a user would, to fill them)."""
    menu.aboutToShow.emit()
    for action in menu.actions():
        if action.isSeparator():
            continue
        name = f"{path} ▸ {action.text().replace('&', '')}"
        submenu = action.menu()
        if isinstance(submenu, QMenu):
            yield from menu_actions(submenu, name)
        else:
            yield name, action


# The offscreen platform cannot raise a window (Find My Officials, the Outbox): not ours.
@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_every_menu_action_runs_without_a_crash_or_an_error(
    qtbot: QtBot,
    main_window: MainWindow,
    url_catcher: UrlCatcher,
    caplog: pytest.LogCaptureFixture,
    tmp_path: Path,
) -> None:
    window = main_window
    crashes: list[str] = []
    crash = CrashHandler(str(tmp_path / "composer.log"))
    crash.install()
    crash.reported.connect(lambda _message, report: crashes.append(report))
    closer = ModalCloser()
    caplog.set_level(logging.WARNING)
    # Directory ▸ Update from the Internet asks a closed loopback port, never the Internet.
    dead = f"http://127.0.0.1:{free_port()}/"
    panel = window.addressing.directory_dialog().panel
    panel.urls = {key: dead + key for key in panel.urls}
    editor = window.editor.text
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    editor.insertPlainText(" I ride the bus to work every day in Seattle.")
    triggered: list[str] = []
    quit_action = window.menus.quit_action
    try:
        for top in window.menuBar().actions():
            menu = top.menu()
            assert isinstance(menu, QMenu)
            for name, action in list(menu_actions(menu, top.text().replace("&", ""))):
                if action is quit_action or not action.isEnabled():
                    continue
                triggered.append(name)
                action.trigger()
                qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None)
                assert not crashes, f"{name} crashed:\n{crashes[0]}"
                errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
                assert not errors, f"{name} logged: {errors}"
        qtbot.waitUntil(lambda: panel._job is None, timeout=15_000)
        window.pool.waitForDone(15_000)
        qtbot.wait(50)  # replies queued by finished background jobs are delivered
        assert not crashes, crashes[0] if crashes else ""
        for widget in QApplication.topLevelWidgets():
            if widget is not window and isinstance(widget, QWidget) and widget.isVisible():
                widget.close()
        quit_action.trigger()
        qtbot.waitUntil(lambda: not window.isVisible())
    finally:
        closer.timer.stop()
        crash.uninstall()
    assert not crashes
    assert not [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    # The run reached what the issue names, and the contact form went to the handler.
    assert "Directory ▸ Open Contact Form" in triggered
    assert "File ▸ Export PDF…" in triggered and "Help ▸ About Letter Composer" in triggered
    assert url_catcher.opened == ["https://www.whitehouse.gov/contact/"]
    assert len(triggered) > 30
