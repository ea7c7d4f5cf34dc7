"""Output piped into a reader that stops early (``composer campaigns --json | head``)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    "args", [("campaigns", "--json"), ("directory", "find", "--state", "CA", "--json")]
)
def test_a_closed_pipe_ends_the_command_quietly(args: tuple[str, ...]) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "composer", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert process.stdout is not None
    # The reader goes away before the program has written anything, as `head` does
    # once it has its lines.
    process.stdout.close()
    _, err = process.communicate(timeout=120)

    text = err.decode("utf-8", "replace")
    assert "BrokenPipe" not in text
    assert "Traceback" not in text
    assert "Exception ignored" not in text
    assert process.returncode in (0, 1)
