"""The log file: rotated by size, kept to a few old files, secrets masked."""

from __future__ import annotations

import logging
from pathlib import Path

from composer.core.logs import setup_logging


def _ours(log_file: Path) -> logging.FileHandler:
    """This test's handler (an earlier start in the same process may have left its own)."""
    return next(
        h
        for h in logging.getLogger().handlers
        if isinstance(h, logging.FileHandler) and Path(h.baseFilename) == log_file.resolve()
    )


def test_a_full_log_moves_aside_and_only_three_old_ones_are_kept(log_file: Path) -> None:
    handler = _ours(log_file)
    handler.max_bytes = 2000  # type: ignore[attr-defined]
    log = logging.getLogger("composer.test")
    for number in range(200):
        log.warning("line %03d %s", number, "x" * 60)
    handler.flush()

    names = sorted(p.name for p in log_file.parent.iterdir())
    assert names == ["composer.log", "composer.log.1", "composer.log.2", "composer.log.3"]
    for path in log_file.parent.iterdir():
        assert path.stat().st_size <= 2000
    # The newest lines are in the current file, the ones before them in .1.
    assert "line 199" in log_file.read_text(encoding="utf-8")
    current_first = int(log_file.read_text(encoding="utf-8").split("line ")[1][:3])
    assert f"line {current_first - 1:03d}" in (log_file.parent / "composer.log.1").read_text(
        encoding="utf-8"
    )


def test_passwords_are_masked_in_the_log(log_file: Path) -> None:
    logging.getLogger("composer.test").warning("login failed: password=hunter2")
    _ours(log_file).flush()
    text = log_file.read_text(encoding="utf-8")
    assert "hunter2" not in text
    assert "password=***" in text


def test_a_log_folder_that_cannot_be_made_means_no_log(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    assert setup_logging(blocker / "state" / "composer.log") is False
