"""Killing the real program at random moments loses nothing older than the autosave interval.

A subprocess runs the program (``tests/helpers/typing_app.py``: the real start-up
path, with a letter being typed into), and is killed with SIGKILL at a random
moment — during start-up, while restoring the previous letter, in the middle
of a save. After every kill, the database must pass SQLite's integrity check,
and every word typed more than the autosave interval (plus a little slack for
scheduling) before the kill must be in the drafts. The next run restores that
letter and types on, so words from every earlier run must still be there too.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "helpers" / "typing_app.py"
AUTOSAVE_SECONDS = 1
# Scheduling slack: the timer firing late, the snapshot, the write, the test's own clock.
SLACK_SECONDS = 0.5
MIN_KILLS = 50
TIME_BUDGET_SECONDS = 120.0
# Half the kills land during start-up (storage check, window, restoring the letter), half
# while typing: this long after the window said it was ready.
KILL_AFTER_READY = (0.2, 2.6)


@dataclass
class Run:
    tag: str
    process: subprocess.Popen[str]
    typed: list[tuple[int, float]] = field(default_factory=list)
    ready: bool = False

    def read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            parts = line.split()
            if parts[:1] == ["typed"] and len(parts) == 3:
                self.typed.append((int(parts[1]), float(parts[2])))
            elif parts[:1] == ["ready"]:
                self.ready = True


def drafts_text(database: Path) -> tuple[str, int]:
    """Every draft's body joined, and how many drafts there are."""
    if not database.exists():
        return "", 0
    db = sqlite3.connect(database)
    try:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
        if "drafts_letters" not in tables:
            return "", 0
        rows = db.execute("SELECT data FROM drafts_letters").fetchall()
    finally:
        db.close()
    return "\n".join(json.loads(data)["body_html"] for (data,) in rows), len(rows)


def integrity(database: Path) -> str:
    if not database.exists():
        return "ok"
    db = sqlite3.connect(database)
    try:
        return "; ".join(str(row[0]) for row in db.execute("PRAGMA integrity_check"))
    finally:
        db.close()


@pytest.mark.slow
def test_kill_the_program_at_random_moments(tmp_path: Path, record_property) -> None:
    home = tmp_path / "home"
    folders = {
        name: home / name.lower()
        for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME")
    }
    for folder in folders.values():
        folder.mkdir(parents=True)
    settings = folders["XDG_CONFIG_HOME"] / "letter-composer" / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_text(
        json.dumps(
            {
                "version": 1,
                "settings": {"autosave_seconds": AUTOSAVE_SECONDS, "show_welcome": False},
            }
        )
    )
    database = folders["XDG_DATA_HOME"] / "letter-composer" / "letters.sqlite3"
    env = {
        **os.environ,
        **{name: str(path) for name, path in folders.items()},
        "HOME": str(home),
        "QT_QPA_PLATFORM": "offscreen",
    }
    chance = random.Random(int(os.environ.get("KILL_LOOP_SEED", "0")) or None)
    required: dict[str, int] = {}  # run tag -> words of that run that must be saved
    ages: list[float] = []
    kills = typed_kills = 0
    started = time.monotonic()
    startup = 1.5  # seconds; measured again at every run that gets to its window
    while time.monotonic() - started < TIME_BUDGET_SECONDS and kills < MIN_KILLS:
        tag = f"r{kills:03d}"
        spawned = time.monotonic()
        process = subprocess.Popen(
            [sys.executable, str(SCRIPT), tag, "40"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=env,
        )
        run = Run(tag, process)
        reader = threading.Thread(target=run.read, daemon=True)
        reader.start()
        if chance.random() < 0.5:
            # During start-up: a random moment within the time a start-up takes.
            moment = spawned + chance.uniform(0.05, max(0.3, startup))
        else:
            moment = None
        while not run.ready and (moment is None or time.monotonic() < moment):
            assert process.poll() is None, f"run {tag} ended by itself: {process.returncode}"
            time.sleep(0.01)
        if run.ready:
            startup = time.monotonic() - spawned
            if moment is None:
                moment = time.monotonic() + chance.uniform(*KILL_AFTER_READY)
        assert moment is not None
        # Wait for the moment, unless the program dies by itself first (it must not).
        try:
            status = process.wait(timeout=max(0.0, moment - time.monotonic()))
        except subprocess.TimeoutExpired:
            status = None
        assert status is None, f"run {tag} ended by itself with status {status}"
        killed_at = time.monotonic()
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        reader.join(timeout=10)
        assert process.stdout is not None
        process.stdout.close()
        kills += 1

        check = integrity(database)
        assert check == "ok", f"after kill {kills} ({tag}): integrity_check says {check}"
        text, _count = drafts_text(database)
        must = [n for n, when in run.typed if when <= killed_at - AUTOSAVE_SECONDS - SLACK_SECONDS]
        if must:
            required[tag] = max(must)
        for earlier, last in required.items():
            missing = [n for n in range(1, last + 1) if f"{earlier}w{n:04d}" not in text]
            assert not missing, (
                f"after kill {kills}: words {missing[:5]} of run {earlier} were typed more than "
                f"{AUTOSAVE_SECONDS + SLACK_SECONDS} s before a kill but are not in the drafts"
            )
        present = [when for n, when in run.typed if f"{tag}w{n:04d}" in text]
        if run.typed:
            typed_kills += 1
            ages.append(killed_at - (max(present) if present else run.typed[0][1]))
    elapsed = time.monotonic() - started
    _text, drafts = drafts_text(database)
    record_property("kills", kills)
    record_property("kills_while_typing", typed_kills)
    record_property("seconds", round(elapsed, 1))
    record_property("max_unsaved_age_seconds", round(max(ages, default=0.0), 2))
    print(
        f"\n{kills} kills in {elapsed:.0f} s ({typed_kills} while typing); words lost at a kill "
        f"were at most {max(ages, default=0.0):.2f} s old (autosave every {AUTOSAVE_SECONDS} s); "
        f"{drafts} draft(s), {sum(required.values())} words checked"
    )
    assert kills >= MIN_KILLS, f"only {kills} kills fitted in {TIME_BUDGET_SECONDS} s"
    assert typed_kills >= MIN_KILLS // 4
    assert max(ages, default=0.0) <= AUTOSAVE_SECONDS + SLACK_SECONDS
    assert drafts == 1  # every run went on with the same letter
