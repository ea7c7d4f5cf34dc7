"""Start-up time: process start to the main window's first paint, against a bare Qt window.

Runs `composer --smoke` and a bare PySide6 QMainWindow that also quits on its first paint,
alternating, several times each, offscreen, on temporary settings folders; prints both
medians and their ratio.

usage: python bench/startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

BARE = """
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication([])
class First(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, app.quit)
        return False
window = QMainWindow()
window.setCentralWidget(QLabel("bare window"))
watch = First()
window.installEventFilter(watch)
window.show()
app.exec()
"""


def timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        command, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
            env[name] = os.path.join(home, name.lower())
        app = [sys.executable, "-m", "composer", "--smoke"]
        bare = [sys.executable, "-c", BARE]
        timed(app, env), timed(bare, env)  # warm the file cache for both
        app_times, bare_times = [], []
        for _ in range(args.runs):
            app_times.append(timed(app, env))
            bare_times.append(timed(bare, env))
    app_median = statistics.median(app_times)
    bare_median = statistics.median(bare_times)
    print(f"bare PySide6 window, first paint: {bare_median * 1000:7.1f} ms (median of {args.runs})")
    print(f"composer --smoke, first paint:    {app_median * 1000:7.1f} ms (median of {args.runs})")
    print(f"ratio composer / bare:            {app_median / bare_median:7.2f}x (target <= 1.5x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
