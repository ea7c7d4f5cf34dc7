"""The real program in a real X window (Xvfb): it starts, paints, and a screenshot is kept."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOT_SCRIPT = """
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from composer.core.locations import Locations
from composer.gui.app import build_main_window, create_application

app = create_application()
window = build_main_window(Locations.default())
window.show()

def grab():
    assert QGuiApplication.platformName() == "xcb", QGuiApplication.platformName()
    screen = window.screen().grabWindow(0)
    screen.save(sys.argv[1])
    app.quit()

window.preview.updated.connect(lambda: QTimer.singleShot(300, grab))
QTimer.singleShot(15000, lambda: app.exit(4))
sys.exit(app.exec())
"""


@pytest.mark.xvfb
def test_app_paints_in_a_real_x_window(tmp_path: Path) -> None:
    xvfb_run = shutil.which("xvfb-run")
    if xvfb_run is None:
        pytest.fail("xvfb-run is missing: install xvfb and xauth (the test command does)")
    shot = tmp_path / "window.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb"}
    result = subprocess.run(
        [
            xvfb_run,
            "-a",
            "-s",
            "-screen 0 1400x900x24",
            sys.executable,
            "-c",
            SHOT_SCRIPT,
            str(shot),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    from PySide6.QtGui import QImage

    image = QImage(str(shot))
    assert image.width() >= 1000 and image.height() >= 600
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 37) for y in range(0, image.height(), 37)
    }
    assert len(colours) > 20  # a painted window, not a blank screen
    keep = ROOT / "test-output"
    keep.mkdir(exist_ok=True)
    shutil.copy(shot, keep / "window.png")
