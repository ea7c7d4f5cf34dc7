"""Start-up time: process start to the main window's first paint, against a bare Qt window.

Launches `composer --smoke` and a bare PySide6 QMainWindow, alternating, several
times each, offscreen, on temporary settings folders. Each program prints the
wall-clock time of its window's first paint; the figure is that time less the
moment the process was launched. The composer window paints its frame first
and then builds its panes and opens the campaign; it also prints when that
finished window painted ("ready"). Prints the medians, the ratios to the bare
window, and the whole run time of each process (start to exit) for reference.

Python's compiled bytecode is used as an installed program uses it: the child
processes may write it (PYTHONDONTWRITEBYTECODE is dropped) and a first,
unmeasured launch of each program fills the cache.

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
import time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication([])
class First(QObject):
    done = False
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and not self.done:
            self.done = True
            print(f"first-paint {time.time():.6f}", flush=True)
            QTimer.singleShot(0, app.quit)
        return False
window = QMainWindow()
window.setCentralWidget(QLabel("bare window"))
watch = First()
window.installEventFilter(watch)
window.show()
app.exec()
"""


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """(seconds to first paint, seconds to the finished window, seconds to exit) of one launch.

    A program that reports no separate "ready" moment is ready at its first paint.
    """
    start = time.time()
    result = subprocess.run(command, check=True, env=env, capture_output=True, text=True)
    end = time.time()
    stamps = dict(
        line.split()[:2]
        for line in result.stdout.splitlines()
        if line.startswith(("first-paint", "ready"))
    )
    if "first-paint" not in stamps:
        raise SystemExit(f"{command[-1]} reported no first paint: {result.stderr[-500:]}")
    paint = float(stamps["first-paint"]) - start
    return paint, float(stamps.get("ready", stamps["first-paint"])) - start, end - start


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "COMPOSER_SMOKE_TIMESTAMP": "1"}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
            env[name] = os.path.join(home, name.lower())
        app = [sys.executable, "-m", "composer", "--smoke"]
        bare = [sys.executable, "-c", BARE]
        timed(app, env), timed(bare, env)  # warm the file cache for both
        app_runs, bare_runs = [], []
        for _ in range(args.runs):
            app_runs.append(timed(app, env))
            bare_runs.append(timed(bare, env))

    def median(runs: list[tuple[float, float, float]], index: int) -> float:
        return statistics.median(run[index] for run in runs)

    bare_paint, bare_exit = median(bare_runs, 0), median(bare_runs, 2)
    app_paint, app_ready, app_exit = median(app_runs, 0), median(app_runs, 1), median(app_runs, 2)
    print(f"runs of each: {args.runs}; medians")
    print(
        f"bare PySide6 window: first paint {bare_paint * 1000:7.1f} ms, exit {bare_exit * 1000:7.1f} ms"
    )
    print(
        f"composer --smoke:    first paint {app_paint * 1000:7.1f} ms, "
        f"finished window {app_ready * 1000:7.1f} ms, exit {app_exit * 1000:7.1f} ms"
    )
    print(f"ratio of first paints, composer / bare: {app_paint / bare_paint:.2f}x (target <= 1.5x)")
    print(f"ratio, composer's finished window / bare first paint: {app_ready / bare_paint:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
