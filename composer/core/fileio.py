"""Writing files so that a crash or a full disk never leaves half a file behind."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path

from composer.i18n import _


class StorageError(Exception):
    """A file could not be written; the message says what happened and what to do."""


def describe_os_error(error: OSError, path: Path) -> str:
    """Turn an OSError into a sentence a user can act on."""
    if error.errno == errno.ENOSPC:
        return _(
            "The disk is full: {path} could not be written. Free some space and try again."
        ).format(path=path)
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return _(
            "No permission to write {path}. Check that the folder is writable, or choose "
            "another place."
        ).format(path=path)
    return _("Could not write {path}: {reason}.").format(path=path, reason=error.strerror or error)


def atomic_write_bytes(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Write `data` to `path` in one step: a temporary file, fsync, then rename.

    Raises:
        StorageError: the folder could not be created or the file not written.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise StorageError(describe_os_error(error, path)) from error
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise StorageError(describe_os_error(error, path)) from error


def atomic_write_text(path: Path, text: str, mode: int = 0o644) -> None:
    """Write text as UTF-8 atomically (see :func:`atomic_write_bytes`)."""
    atomic_write_bytes(path, text.encode("utf-8"), mode)
