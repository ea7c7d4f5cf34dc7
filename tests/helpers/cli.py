"""Running the real ``composer`` command in a subprocess, as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_composer(
    *args: str,
    input_text: str | None = None,
    timeout: float = 120,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m composer ARGS`` with the test's environment (temporary XDG folders)."""
    merged = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "composer", *args],
        capture_output=True,
        text=True,
        input=input_text,
        timeout=timeout,
        cwd=cwd,
        env=merged,
    )
