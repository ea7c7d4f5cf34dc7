"""Start-up time, idle memory and typing latency, against a bare Qt window.

Launches `composer --smoke` and a bare PySide6 QMainWindow, alternating, several
times each, offscreen, on temporary settings folders. Each program prints the
wall-clock time of its window's first paint; the figure is that time less the
moment the process was launched. The composer window paints its frame first
and then builds its panes and opens the campaign; it also prints when that
finished window painted ("ready"), and `--smoke` exits right after it. Prints the
medians, the ratios to the bare window, and the whole run time of each process
(start to exit): the usable window's figure is composer's whole process against the
bare window's whole process.

Then (`--idle-seconds`, `--idle-runs`, `--typing-seconds`; 0 seconds leaves a part out):
- idle memory: the real program (`composer`, no `--smoke`) and the bare window each
  stay open for the idle time after their window is up, `--idle-runs` times in
  turn; each prints its resident memory (VmRSS) then, and the medians are compared.
  The program starts as on every day but the first: its folders are those of a user
  who has seen the welcome dialog once and has had the program open once before
  (an unmeasured start, idle for 4 s), so its caches are in place. The very first start, with that dialog
  open over the window, is measured once more and printed beside it;
- typing: in the last of those runs, a letter of about three pages is put in the
  editor, then one key is typed every 60 ms (a fast typist) for the typing time,
  with a 5 ms timer ticking beside it; the longest wait between two ticks, less the
  5 ms, is the longest a keystroke could have waited for the event loop. Resident
  memory is printed before the typing, at each quarter of it and after it. The benchmark's own tools
  (QtTest) are loaded only after the idle reading. The baseline: a bare window with a
  plain QTextEdit, given the same letter and typed into the same way right after. For
  the longest wait of each, the clocks over it are printed: how long the GUI thread ran,
  how long other threads ran, and how long the GUI thread was ready but had no core;
  and the GUI thread's longest work between two ticks. Beside each typing session a
  witness runs, a plain process that only sleeps 5 ms at a time and notes when it woke
  late: a wait of the session during which the witness, too, was kept waiting is the
  machine's, and the longest wait the witness did not share is printed as well.

Python's compiled bytecode is used as an installed program uses it: the child
processes may write it (PYTHONDONTWRITEBYTECODE is dropped) and a first,
unmeasured launch of each program fills the cache.

usage: python bench/startup.py [--runs N] [--idle-seconds S] [--idle-runs N]
                               [--typing-seconds S]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

TICK_MS = 5  # the tick of the typing sessions below, and the witness's sleep
TOP = 20  # how many of their longest waits the typing sessions report

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


BARE_IDLE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
def rss():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
app = QApplication([])
window = QMainWindow()
window.setCentralWidget(QLabel("bare window"))
window.show()
def report():
    print(f"rss {rss()}", flush=True)
    app.quit()
QTimer.singleShot(int(float(sys.argv[1]) * 1000), report)
app.exec()
"""

# Typing into an editor with a 5 ms tick beside it: shared by the real program and the
# bare window. Before it: `app`, `editor()` (the text widget), `idle_s` and `typing_s`.
TYPING = (
    f"KEY_MS, TICK_MS, TOP = 60, {TICK_MS}, {TOP}\n"
    + """
import heapq, resource
PAGE = ("Thank you for reading this letter about people who refused to fight. " * 60 + "\\n") * 3

def rss():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))

def clocks():
    # Wall time; CPU time of this (the GUI) thread and of the whole process; how often the
    # system took the core from this thread while it ran; how long the thread, ready to
    # run, waited for a core (the kernel's run delay); how often it stopped by itself
    # (to wait for events, a lock or the disk); pages it waited to read from the disk;
    # and, for the whole machine, the time its virtual cores were taken by the host
    # ("steal") and spent waiting for the disk, in the kernel's 10 ms ticks.
    usage = resource.getrusage(resource.RUSAGE_THREAD)
    with open("/proc/thread-self/schedstat") as schedstat:
        run_delay = int(schedstat.read().split()[1]) / 1e9
    with open("/proc/stat") as stat:
        machine = stat.readline().split()
    return (
        time.monotonic(), time.thread_time(), time.process_time(), usage.ru_nivcsw, run_delay,
        usage.ru_nvcsw, usage.ru_majflt, int(machine[8]), int(machine[5]),
    )

# The latest tick, the longest gap so far with what the clocks said over it, and how many
# gaps were long (kept, not every tick: a list of ticks would grow the memory being measured).
last_tick = [clocks()]
longest = [(0.0, 0.0, 0.0, 0, 0.0, 0, 0, 0, 0)]
long_gaps = [0]
busiest = [0.0]  # the most CPU time the GUI thread spent between two ticks
top = []  # the TOP longest waits and when each ended: a heap of fixed size

def keep_top(wait, at):
    if len(top) < TOP:
        heapq.heappush(top, (wait, at))
    elif wait > top[0][0]:
        heapq.heapreplace(top, (wait, at))

def on_tick():
    now = clocks()
    gap = tuple(after - before for after, before in zip(now, last_tick[0]))
    wait = gap[0] - TICK_MS / 1000
    if gap[0] > longest[0][0]:
        longest[0] = gap
    busiest[0] = max(busiest[0], gap[1])
    keep_top(wait, time.time())
    if wait >= 0.016:
        long_gaps[0] += 1
    last_tick[0] = now
tick = QTimer()
tick.setInterval(TICK_MS)
tick.timeout.connect(on_tick)
keys = QTimer()
keys.setInterval(KEY_MS)
typed = 0

def type_one():
    global typed
    QTest.keyClick(editor(), "abcdefghij klmnopqrstuvwxyz. "[typed % 29])
    typed += 1

def start_typing():
    print(f"rss-idle {rss()}", flush=True)
    if typing_s <= 0:
        app.quit()
        return
    global QTest
    from PySide6.QtGui import QTextCursor
    from PySide6.QtTest import QTest  # the benchmark's own tools, loaded after the idle reading

    text = editor()
    cursor = text.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    cursor.insertText(PAGE)
    text.setTextCursor(cursor)
    QTimer.singleShot(2000, begin)

def quarter(number):
    print(f"rss-typing-{number} {rss()}", flush=True)

def begin():
    print(f"rss-before-typing {rss()}", flush=True)
    print(f"typing-from {time.time():.6f}", flush=True)
    last_tick[0] = clocks()
    tick.start()
    keys.timeout.connect(type_one)
    keys.start()
    for number in (1, 2, 3):  # resident memory a quarter, half and three quarters in
        QTimer.singleShot(int(typing_s * 250 * number), lambda n=number: quarter(n))
    QTimer.singleShot(int(typing_s * 1000), finish)

def finish():
    keys.stop()
    tick.stop()
    on_tick()  # the wait up to the end counts too
    wall, gui_cpu, all_cpu, taken, run_delay, stops, faults, steal, iowait = longest[0]
    print(f"rss-after-typing {rss()}", flush=True)
    print(f"typed {typed}", flush=True)
    print(f"longest-wait {wall - TICK_MS / 1000:.6f}", flush=True)
    print(f"longest-wait-gui-cpu {gui_cpu:.6f}", flush=True)
    print(f"longest-wait-other-cpu {all_cpu - gui_cpu:.6f}", flush=True)
    print(f"longest-wait-preempted {taken}", flush=True)
    print(f"longest-wait-run-delay {run_delay:.6f}", flush=True)
    print(f"longest-wait-stops {stops}", flush=True)
    print(f"longest-wait-disk-reads {faults}", flush=True)
    print(f"longest-wait-steal {steal * 10}", flush=True)
    print(f"longest-wait-iowait {iowait * 10}", flush=True)
    print(f"long-waits {long_gaps[0]}", flush=True)
    print(f"longest-busy {busiest[0]:.6f}", flush=True)
    for number, (wait, at) in enumerate(sorted(top, reverse=True)):
        print(f"top-wait-{number} {wait:.6f}", flush=True)
        print(f"top-at-{number} {at:.6f}", flush=True)
    print(f"typing-to {time.time():.6f}", flush=True)
    app.quit()
"""
)

# A witness of the machine beside each typing session: a plain process that only sleeps
# 5 ms at a time, as the event loop does between ticks, and notes every wake-up that came
# 5 ms or more late (when, and how late). A late wake-up here is the machine's doing:
# this process has nothing else to do.
WITNESS = (
    f"SLEEP_MS = {TICK_MS}\n"
    + """
import select, sys, time
end = time.monotonic() + float(sys.argv[1])
poll = select.poll()
last = time.monotonic()
while last < end:
    poll.poll(SLEEP_MS)
    now = time.monotonic()
    late = now - last - SLEEP_MS / 1000
    if late >= SLEEP_MS / 1000:
        print(f"late {time.time():.6f} {late:.6f}", flush=True)
    last = now
"""
)

# The real program, started as `composer` starts it: `run_app` makes the application (so
# it treats the process as its own, as `composer` does: the objects of the finished
# window are set aside from garbage collection); the script only watches and types,
# starting its clock once the application is there.
APP_SESSION = (
    """
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import composer.gui.app as composer_app

idle_s, typing_s = float(sys.argv[1]), float(sys.argv[2])
app = None
made_by_composer = composer_app.create_application

def create_application(argv=None):
    global app
    app = made_by_composer(argv)
    QTimer.singleShot(int(idle_s * 1000), start_typing)
    return app

composer_app.create_application = create_application

def editor():
    from composer.gui.editor import LetterEditor
    for widget in QApplication.topLevelWidgets():
        found = widget.findChild(LetterEditor)
        if found is not None:
            return found.text
    raise SystemExit("no letter editor found")
"""
    + TYPING
    + """
sys.exit(composer_app.run_app())
"""
)

# The baseline of the typing: a bare window with a plain rich-text editor, typed into alike.
BARE_TYPING = (
    """
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTextEdit

idle_s, typing_s = float(sys.argv[1]), float(sys.argv[2])
app = QApplication([])
window = QMainWindow()
window.setCentralWidget(QTextEdit())
window.show()

def editor():
    return window.centralWidget()
"""
    + TYPING
    + """
QTimer.singleShot(int(idle_s * 1000), start_typing)
app.exec()
"""
)


def folders(home: str) -> dict[str, str]:
    """The XDG variables that put every file of the program under `home`."""
    names = ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME")
    return {name: os.path.join(home, name.lower()) for name in names}


def returning(env: dict[str, str]) -> None:
    """Make the folders of `env` those of a returning user: the welcome was seen once, and
    the program ran once with its letter on screen (so its caches are those of any later
    day: the parsed campaign and the record of the last preview)."""
    code = (
        "from composer.core.locations import Locations\n"
        "from composer.core.settings import load_settings, save_settings\n"
        "path = Locations.default().settings_file\n"
        "settings = load_settings(path)\n"
        "settings.show_welcome = False\n"
        "save_settings(path, settings)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
    readings([sys.executable, "-c", APP_SESSION, "4", "0"], env)  # one day's use, unmeasured


def witnessed(command: list[str], env: dict[str, str], seconds: float) -> dict[str, float]:
    """Run a typing session with the witness beside it; its readings, and what the witness
    saw while the keys came: its latest wake-up ("witness-longest"), how late it woke
    during the session's longest wait ("witness-at-longest"), and the session's longest
    wait during which it woke on time ("longest-wait-unshared")."""
    witness = subprocess.Popen(
        [sys.executable, "-c", WITNESS, str(seconds)], stdout=subprocess.PIPE, text=True
    )
    try:
        session = readings(command, env)
    finally:
        witness.terminate()
        late = [line.split()[1:] for line in witness.communicate()[0].splitlines()]
    stamps = [(float(at), float(by)) for at, by in late]
    during = [(at, by) for at, by in stamps if session["typing-from"] <= at <= session["typing-to"]]
    session["witness-longest"] = max((by for _at, by in during), default=0.0)
    session["witness-late-times"] = sum(1 for _at, by in during if by >= 0.010)
    stalls = [(at - by - TICK_MS / 1000, at, by) for at, by in during]

    def shared(wait: float, ended: float) -> float:
        """How late the witness woke at some moment of a wait of the session (0 when it
        woke on time throughout): a wait the witness shared was the machine's."""
        began = ended - wait - TICK_MS / 1000
        return max((by for start, end, by in stalls if start < ended and began < end), default=0.0)

    waits = [
        (session[f"top-wait-{n}"], session[f"top-at-{n}"])
        for n in range(TOP)
        if f"top-wait-{n}" in session
    ]
    session["witness-at-longest"] = shared(*waits[0]) if waits else 0.0
    own = [wait for wait, ended in waits if not shared(wait, ended)]
    session["longest-wait-unshared"] = max(own, default=float("nan"))
    session["waits-shared"] = len(waits) - len(own)
    return session


def readings(command: list[str], env: dict[str, str]) -> dict[str, float]:
    """Run a program to its end and return the ``name value`` lines it printed."""
    result = subprocess.run(command, check=False, env=env, capture_output=True, text=True)
    values: dict[str, float] = {}
    for line in result.stdout.splitlines():
        name, _, value = line.partition(" ")
        try:
            values[name] = float(value)
        except ValueError:
            continue
    if not values:
        raise SystemExit(f"a benchmark program printed no readings: {result.stderr[-800:]}")
    return values


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


def wait_clocks(session: dict[str, float]) -> str:
    """What the clocks said over the longest gap between two ticks of a typing session:
    whether the GUI thread worked, other threads worked, or the thread waited for a core;
    the most the GUI thread worked between two ticks; what the witness saw."""
    return (
        f"the GUI thread's longest work between two ticks: "
        f"{session['longest-busy'] * 1000:.1f} ms\n  "
        f"longest wait the witness did not share: "
        f"{session['longest-wait-unshared'] * 1000:.1f} ms ({session['waits-shared']:.0f} of "
        f"the {TOP} longest waits came while the witness too was kept waiting)\n  "
        f"the witness (a plain process sleeping 5 ms at a time) woke 10 ms or more late "
        f"{session['witness-late-times']:.0f} times while the keys came, at worst "
        f"{session['witness-longest'] * 1000:.1f} ms late; during the longest wait: "
        f"{session['witness-at-longest'] * 1000:.1f} ms late\n  "
        f"over the longest wait's {(session['longest-wait'] * 1000 + TICK_MS):.1f} ms between "
        f"ticks: GUI thread on a core {session['longest-wait-gui-cpu'] * 1000:.1f} ms, "
        f"other threads {session['longest-wait-other-cpu'] * 1000:.1f} ms, GUI thread ready "
        f"but waiting for a core {session['longest-wait-run-delay'] * 1000:.1f} ms, "
        f"core taken from it {session['longest-wait-preempted']:.0f} times, stopped by itself "
        f"{session['longest-wait-stops']:.0f} times, pages read from disk "
        f"{session['longest-wait-disk-reads']:.0f}; the machine: cores taken by the host "
        f"~{session['longest-wait-steal']:.0f} ms, waiting for the disk "
        f"~{session['longest-wait-iowait']:.0f} ms (10 ms ticks)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--idle-seconds", type=float, default=12.0)
    parser.add_argument("--typing-seconds", type=float, default=60.0)
    parser.add_argument("--idle-runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "COMPOSER_SMOKE_TIMESTAMP": "1"}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env.update(folders(home))
        app = [sys.executable, "-m", "composer", "--smoke"]
        bare = [sys.executable, "-c", BARE]
        timed(app, env), timed(bare, env)  # warm the file cache for both
        app_runs, bare_runs = [], []
        for _ in range(args.runs):
            app_runs.append(timed(app, env))
            bare_runs.append(timed(bare, env))
        session: dict[str, float] = {}
        bare_typing: dict[str, float] = {}
        idle_app: list[float] = []
        idle_bare: list[float] = []
        first_start: dict[str, float] = {}
        if args.idle_seconds > 0:
            # Every start but the very first: the welcome was dismissed once, as a user does.
            returning(env)
            for number in range(args.idle_runs):
                typing = args.typing_seconds if number == args.idle_runs - 1 else 0
                command = [sys.executable, "-c", APP_SESSION, str(args.idle_seconds), str(typing)]
                if typing > 0:
                    session = witnessed(command, env, args.idle_seconds + typing + 10)
                else:
                    session = readings(command, env)
                idle_app.append(session["rss-idle"] / 1024)
                bare_idle = readings([sys.executable, "-c", BARE_IDLE, str(args.idle_seconds)], env)
                idle_bare.append(bare_idle["rss"] / 1024)
            if args.typing_seconds > 0:  # the bare window typed into alike, right after
                bare_typing = witnessed(
                    [sys.executable, "-c", BARE_TYPING, "2", str(args.typing_seconds)],
                    env,
                    args.typing_seconds + 12,
                )
            # The very first start, with the welcome dialog open over the window.
            with tempfile.TemporaryDirectory() as fresh:
                first_env = {**env, **folders(fresh)}
                first_start = readings(
                    [sys.executable, "-c", APP_SESSION, str(args.idle_seconds), "0"], first_env
                )

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
    print(
        f"usable window, whole processes: composer --smoke / bare: {app_exit / bare_exit:.2f}x "
        "(target <= 2.0x)"
    )
    spread = sorted(run[2] / bare[2] for run, bare in zip(app_runs, bare_runs, strict=True))
    print(f"  paired runs' ratios range from {spread[0]:.2f}x to {spread[-1]:.2f}x")
    if idle_app and idle_bare:
        idle, bare_rss = statistics.median(idle_app), statistics.median(idle_bare)
        print(
            f"idle memory after {args.idle_seconds:g} s (median of {len(idle_app)}): "
            f"composer {idle:.1f} MB, bare window {bare_rss:.1f} MB, "
            f"ratio {idle / bare_rss:.3f}x (target <= 1.6x)"
        )
        print(
            "  composer "
            + ", ".join(f"{value:.1f}" for value in idle_app)
            + " MB; bare "
            + ", ".join(f"{value:.1f}" for value in idle_bare)
            + " MB"
        )
    if first_start:
        first = first_start["rss-idle"] / 1024
        print(
            f"  the very first start, welcome dialog open: composer {first:.1f} MB "
            f"({first / statistics.median(idle_bare):.2f}x)"
        )
    if "longest-wait" in session:
        before = session["rss-before-typing"] / 1024
        after = session["rss-after-typing"] / 1024
        print(
            f"typing {session['typed']:.0f} keys in {args.typing_seconds:g} s into a 3-page "
            f"letter: resident memory {before:.1f} MB before, {after:.1f} MB after "
            f"({after - before:+.1f} MB)"
        )
        steps = [
            session[f"rss-typing-{n}"] / 1024 for n in (1, 2, 3) if f"rss-typing-{n}" in session
        ]
        if steps:
            print(
                "  at a quarter, half and three quarters of the typing: "
                + ", ".join(f"{value:.1f}" for value in steps)
                + " MB"
            )
        print(
            f"longest wait of the event loop while typing: "
            f"{session['longest-wait'] * 1000:.1f} ms (target < 16 ms); "
            f"waits of 16 ms or more: {session['long-waits']:.0f}"
        )
        print(f"  {wait_clocks(session)}")
    if "longest-wait" in bare_typing:
        print(
            f"bare window with a plain editor, typed into alike: longest wait "
            f"{bare_typing['longest-wait'] * 1000:.1f} ms; waits of 16 ms or more: "
            f"{bare_typing['long-waits']:.0f}"
        )
        print(f"  {wait_clocks(bare_typing)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
