"""What every subcommand shares: its context and the error that ends it cleanly."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import TextIO

from composer.core.locations import Locations

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_TEMPFAIL = 75  # sysexits.h EX_TEMPFAIL: queued, will be retried


class CommandError(Exception):
    """Ends a subcommand with one clear line on stderr and an exit status."""

    def __init__(self, message: str, status: int = EXIT_FAILURE) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class CommandContext:
    """What a subcommand needs from outside: folders and output streams."""

    locations: Locations
    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)

    def say(self, message: str) -> None:
        """Print a line for the user on stdout."""
        print(message, file=self.stdout)

    def note(self, message: str) -> None:
        """Print a remark on stderr (keeps stdout clean for --json and pipes)."""
        print(message, file=self.stderr)
