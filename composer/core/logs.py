"""The log file: errors and crash reports go there, never to the user's face as tracebacks."""

from __future__ import annotations

import logging
import re
from pathlib import Path

_SECRET = re.compile(r"(?i)(password|passwd|secret|token)(\s*[=:]\s*)(\S+)")


class _RedactingFormatter(logging.Formatter):
    """Masks anything that looks like ``password=…`` in a log line, as a second line of defence."""

    def format(self, record: logging.LogRecord) -> str:
        return _SECRET.sub(r"\1\2***", super().format(record))


def setup_logging(log_file: Path, level: int = logging.INFO) -> bool:
    """Send log records to a rotating file; returns False (and logs nowhere) if it cannot be made."""
    import logging.handlers  # not needed before the window is up

    try:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            log_file, maxBytes=512 * 1024, backupCount=3, encoding="utf-8"
        )
    except OSError:
        return False
    handler.setFormatter(_RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    return True
