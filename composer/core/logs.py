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


class _RotatingFile(logging.FileHandler):
    """A log file that moves aside as ``name.1`` … ``name.N`` when it grows past `max_bytes`.

    The standard library's ``RotatingFileHandler`` does the same but loads
    ``logging.handlers`` (sockets, queues, pickle) into every start of the window.
    """

    def __init__(self, path: Path, max_bytes: int, backups: int) -> None:
        super().__init__(path, encoding="utf-8", delay=True)
        self.max_bytes = max_bytes
        self.backups = backups

    def emit(self, record: logging.LogRecord) -> None:
        """Write `record`, first moving the file aside if this line would make it too long."""
        try:
            if self._full(self.format(record)):
                self._rotate()
        except Exception:
            self.handleError(record)
            return
        super().emit(record)

    def _full(self, line: str) -> bool:
        if self.stream is None:
            self.stream = self._open()
        position: int = self.stream.tell()
        return position > 0 and position + len(line.encode("utf-8")) + 1 > self.max_bytes

    def _rotate(self) -> None:
        if self.stream is not None:
            self.stream.close()
            self.stream = None
        base = Path(self.baseFilename)
        for number in range(self.backups - 1, 0, -1):
            older = base.with_name(f"{base.name}.{number}")
            if older.exists():
                older.replace(base.with_name(f"{base.name}.{number + 1}"))
        if base.exists():
            base.replace(base.with_name(f"{base.name}.1"))
        self.stream = self._open()


def setup_logging(log_file: Path, level: int = logging.INFO) -> bool:
    """Send log records to a rotating file; returns False (and logs nowhere) if it cannot be made."""
    try:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handler = _RotatingFile(log_file, max_bytes=512 * 1024, backups=3)
        handler.stream = handler._open()  # a file that cannot be opened is found now
    except OSError:
        return False
    handler.setFormatter(_RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    return True
