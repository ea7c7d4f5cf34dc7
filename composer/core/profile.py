"""The sender profile: read from and written to a small TOML file."""

from __future__ import annotations

import tomllib
from pathlib import Path

import tomli_w
from composer.core.fileio import atomic_write_text
from composer.core.models import Sender


class ProfileError(Exception):
    """A sender file could not be read; the message names the file and the problem."""


def load_sender(path: Path) -> Sender:
    """Read a sender file: flat keys (name, street, city, …) or a ``[sender]`` table.

    Raises:
        ProfileError: the file is missing, not UTF-8, or not valid TOML.
    """
    try:
        text = Path(path).read_bytes().decode("utf-8")
    except FileNotFoundError as error:
        raise ProfileError(f"{path}: no such sender file") from error
    except UnicodeDecodeError as error:
        raise ProfileError(f"{path}: not UTF-8 text") from error
    except OSError as error:
        raise ProfileError(f"{path}: cannot be read ({error.strerror})") from error
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ProfileError(f"{path}: not valid TOML: {error}") from error
    table = data.get("sender", data)
    if not isinstance(table, dict):
        raise ProfileError(f"{path}: [sender] must be a table")
    return Sender.from_dict(table)


def load_saved_sender(path: Path) -> Sender | None:
    """The saved profile, or None when there is none or it cannot be read."""
    try:
        return load_sender(path)
    except ProfileError:
        return None


def save_sender(path: Path, sender: Sender) -> None:
    """Write the profile atomically, readable by :func:`load_sender` and ``--sender``."""
    atomic_write_text(path, tomli_w.dumps({"sender": sender.as_dict()}))
