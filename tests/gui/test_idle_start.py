"""What a started window holds while the user has not done anything yet.

E-mail (the outbox, the sending thread, SMTP, SSL, the network watch) starts
only when letters wait or the user asks for it; the directory's date check at
start-up leaves the directory module unloaded; the template engine, and with it
Python's HTML parser, loads when a letter is rendered. Each case runs the real program
as its own process (``run_app``, offscreen), waits until the window has
finished its start-up work, and reads what was loaded and what the status bar
says.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from composer.core.locations import Locations
from composer.core.mail import build_message, parse_address
from composer.core.outbox import Outbox

# Started as the program starts; once the window has painted and its start-up jobs
# are done, prints one JSON line and quits.
WATCH = """
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from composer.gui.app import create_application, run_app

HEAVY = ["email", "smtplib", "ssl", "PySide6.QtNetwork", "composer.gui.mail_center",
         "composer.core.outbox", "composer.core.directory", "logging.handlers"]
ENGINE = ["jinja2", "hashlib", "composer.core.render", "html.parser"]
app = create_application()

def window():
    from composer.gui.mainwindow import MainWindow
    return next((w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)), None)

def look():
    shown = window()
    status = None if shown is None else shown.outbox_status
    if status is None or not status.text() or shown.preview.shown_letter is None:
        return
    poll.stop()
    shown.pool.waitForDone(10_000)
    QApplication.processEvents()
    print(json.dumps({
        "loaded": [name for name in HEAVY if name in sys.modules],
        "outbox": status.text(),
        "mail_started": shown._mail is not None,
        "engine": [name for name in ENGINE if name in sys.modules],
        "pages": shown.preview.page_count,
        "preview": shown.preview.shown_letter.text,
    }), flush=True)
    app.quit()

poll = QTimer(interval=50)
poll.timeout.connect(look)
poll.start()
QTimer.singleShot(60_000, app.quit)
sys.exit(run_app())
"""


def _start() -> dict[str, object]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}  # the XDG folders of `home`
    done = subprocess.run(
        [sys.executable, "-c", WATCH], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert lines, f"the window never finished starting: {done.stderr[-2000:]}"
    answer: dict[str, object] = json.loads(lines[-1])
    return answer


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Locations:
    """The folders the started program finds through the XDG variables."""
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))
    return Locations.default()


def test_with_nothing_to_send_the_window_leaves_e_mail_and_the_directory_unloaded(
    home: Locations,
) -> None:
    seen = _start()
    assert seen["outbox"] == "Outbox: empty"
    assert seen["mail_started"] is False
    assert seen["loaded"] == []


def test_a_window_opening_on_the_same_letter_shows_it_without_the_template_engine(
    home: Locations,
) -> None:
    first = _start()  # renders the letter, and keeps the render
    assert "composer.core.render" in first["engine"]
    assert first["pages"] >= 1
    again = _start()  # the same letter (restored from the drafts), the same code
    assert again["engine"] == []
    assert again["pages"] == first["pages"]
    assert again["preview"] == first["preview"]
    assert "Dear" in str(again["preview"])


def test_a_letter_waiting_in_the_outbox_starts_e_mail_at_once(home: Locations) -> None:
    outbox = Outbox(home.database_file)
    try:
        outbox.enqueue(
            build_message(
                sender=parse_address("Ada Example <ada@example.org>", "From"),
                to=[parse_address("The President <president@whitehouse.gov>", "To")],
                subject="Protect those who refuse",
                text="Dear Mr. President:\n",
                html="<p>Dear Mr. President:</p>",
            )
        )
    finally:
        outbox.close()
    seen = _start()
    # No account is set up, so the letter stays; the sending side is running and says so.
    assert seen["mail_started"] is True
    assert seen["outbox"] == "Outbox: 1 waiting"
