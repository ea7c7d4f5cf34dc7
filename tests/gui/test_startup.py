"""The two steps of starting (``run_app``): the frame paints, then the window is finished.

A failure in the second step — the campaign cannot be opened — must end in a
clear message and exit status 1, never a hang or a window with nothing in it.
"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from composer.core.locations import Locations


def _run(locations: Locations, smoke: bool) -> tuple[int, list[str]]:
    """Run the program in this process; the QApplication must exist already, or the
    timer that answers the message boxes would have no event loop to run in."""
    from composer.gui.app import run_app

    assert QApplication.instance() is not None

    messages: list[str] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QMessageBox):
            messages.append(f"{dialog.windowTitle()}: {dialog.text()}")
            dialog.accept()

    poller = QTimer(interval=20)
    poller.timeout.connect(answer)
    poller.start()
    try:
        status = run_app(smoke=smoke, locations=locations)
    finally:
        poller.stop()
        from composer.gui.mainwindow import MainWindow

        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow):
                widget.close()
                widget.deleteLater()
    return status, messages


def test_a_campaign_that_cannot_be_opened_is_explained_and_fails(
    qapp: QApplication, locations: Locations, monkeypatch: pytest.MonkeyPatch
) -> None:
    import composer.gui.app as app_module

    def broken(locations, settings):
        raise ValueError("campaign.toml, line 3: title must not be empty")

    monkeypatch.setattr(app_module, "open_campaign", broken)
    status, messages = _run(locations, smoke=True)
    assert status == 1
    assert len(messages) == 1
    assert messages[0].startswith("Letter Composer cannot start: ")
    assert "campaign.toml, line 3: title must not be empty" in messages[0]
    assert str(locations.log_file) in messages[0]


def test_smoke_waits_for_the_finished_window(tmp_path) -> None:
    """``composer --smoke`` as its own process (it quits the application, which a test's
    shared QApplication would not survive): both steps paint, in order, and it exits 0."""
    import os
    import subprocess

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "COMPOSER_SMOKE_TIMESTAMP": "1"}
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[name] = str(tmp_path / name.lower())
    done = subprocess.run(
        [sys.executable, "-m", "composer", "--smoke"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    stamps = dict(line.split()[:2] for line in done.stdout.splitlines())
    assert float(stamps["first-paint"]) <= float(stamps["ready"])


def test_modules_imported_after_the_gui_are_not_read_as_source(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PySide6's import hook would read (and keep in linecache) every new module's source."""
    import builtins
    import linecache

    import composer.gui  # noqa: F401  (turns the source scan off)

    module = tmp_path / "freshly_written_module.py"
    module.write_text("from PySide6.QtCore import QObject\n\nVALUE = 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "freshly_written_module", raising=False)
    linecache.clearcache()
    assert builtins.__import__("freshly_written_module").VALUE == 1  # through the hook
    assert str(module) not in linecache.cache


def test_the_campaign_opener_leaves_the_template_engine_for_later() -> None:
    """The panes' modules must not bring Jinja2 or the directory into the start."""
    import subprocess

    code = (
        "import sys, composer.gui.open_campaign; "
        "print(sorted({'jinja2', 'composer.core.directory'} & set(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"


def test_the_palette_stays_readable_when_the_system_changes_it(qapp: QApplication) -> None:
    """The program watches the palette without an application-wide event filter."""
    from PySide6.QtGui import QColor, QPalette

    from composer.gui.app import keep_palette_readable
    from composer.gui.theme import MIN_CONTRAST, contrast_ratio

    before = QPalette(qapp.palette())
    stop = keep_palette_readable(qapp)
    try:
        dark = QPalette(QColor("#202020"))
        dark.setColor(QPalette.ColorRole.Base, QColor("#1c1c1c"))
        dark.setColor(QPalette.ColorRole.Text, QColor("#303030"))  # the theme's dim text
        qapp.setPalette(dark)
        palette = qapp.palette()
        text = palette.color(QPalette.ColorRole.Text)
        assert contrast_ratio(text, palette.color(QPalette.ColorRole.Base)) >= MIN_CONTRAST
    finally:
        stop()
        qapp.setPalette(before)
    qapp.setPalette(dark)  # no longer watched: left as it is
    assert qapp.palette().color(QPalette.ColorRole.Text) == QColor("#303030")
    qapp.setPalette(before)


def test_a_finished_run_leaves_no_time_limit_behind(
    qtbot, locations: Locations, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--smoke's time limit ends with its run: a leftover timer would later stop whatever
    event loop runs in the process, and Qt would then end every later loop at once."""
    import composer.gui.app as app_module

    def broken(locations, settings):
        raise ValueError("campaign.toml, line 3: title must not be empty")

    monkeypatch.setattr(app_module, "SMOKE_TIMEOUT_MS", 300)
    monkeypatch.setattr(app_module, "open_campaign", broken)
    status, _messages = _run(locations, smoke=True)
    assert status == 1
    qtbot.wait(600)  # past the time limit
    later = QTimer(singleShot=True, interval=50)
    with qtbot.waitSignal(later.timeout, timeout=2000):  # an event loop that really waits
        later.start()
