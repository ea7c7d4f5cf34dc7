"""Real storage faults for tests: a full disk (a tiny tmpfs), a folder nobody may write.

These need root (mount, chattr). Where the machine does not allow them the
fixtures skip (and fail under CI, see `tests.helpers.ci_policy`); the same code paths are
also covered by the fault injection tests (SQLite's ``max_page_count``, a file in place of
a folder).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

from tests.helpers.ci_policy import unavailable


@contextlib.contextmanager
def tiny_tmpfs(folder: Path, size: str = "256k") -> Iterator[Path]:
    """Mount a tmpfs of `size` on `folder` for the duration (`unavailable` if not allowed)."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or shutil.which("mount") is None:
        unavailable("mounting a tiny tmpfs needs root")
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        unavailable(f"cannot mount a tmpfs here: {result.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False, capture_output=True)


def fill_disk(folder: Path) -> Path:
    """Write a file into `folder` until the file system is full; returns the filler."""
    filler = folder / "filler.bin"
    block = b"\0" * 4096
    with open(filler, "wb", buffering=0) as handle:
        try:
            while True:
                handle.write(block)
        except OSError:
            pass
    # Bytes left over in a partial block: fill them too.
    with open(filler, "ab", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\0")
        except OSError:
            pass
    return filler


@contextlib.contextmanager
def immutable(folder: Path) -> Iterator[Path]:
    """Make a folder immutable with ``chattr +i``: even root cannot create files in it."""
    folder.mkdir(parents=True, exist_ok=True)
    if shutil.which("chattr") is None:
        unavailable("chattr is not installed")
    result = subprocess.run(
        ["chattr", "+i", str(folder)], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        unavailable(f"this file system does not support chattr +i: {result.stderr.strip()}")
    try:
        probe = folder / ".probe"
        try:
            probe.write_text("x")
        except OSError:
            pass
        else:
            probe.unlink()
            unavailable("chattr +i does not stop writes here")
        yield folder
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=False, capture_output=True)


def damage_pages(path: Path, first_page: int = 1, pages: int = 2, page_size: int = 4096) -> None:
    """Overwrite whole pages of an SQLite file with garbage (page 0 holds the header)."""
    with open(path, "r+b") as handle:
        handle.seek(first_page * page_size)
        handle.write(b"\xa5\x5a" * (pages * page_size // 2))
