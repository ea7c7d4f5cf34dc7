"""The last letter the preview rendered, kept between runs.

A window that opens on the letter it closed with shows its pages from this
record instead of loading the template engine (Jinja2, and with it OpenSSL
through ``hashlib``): the engine loads with the first change. A record is
used only when everything a render reads is the same as when it was written:
the letter and the official (compared whole, field by field), the campaign's
templates and the template chosen, the interface language, and the size and
time of every file of the code that renders (``composer/core``, the bundled
templates, Jinja2 and MarkupSafe). Anything else is a miss and the letter is
rendered as always; a record that cannot be read or written costs only that.

The record is plain JSON (never code), written whole and then renamed into
place, so a crash leaves the old record or the new one.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from composer.core.models import Letter, Recipient
from composer.core.rendered import RenderedLetter

MEMO_FILE = "preview.json"
MEMO_VERSION = 1
MEMO_LIMIT = 4 * 1024 * 1024  # a record larger than this is not read (a letter is far smaller)

# RenderedLetter fields kept as text, and those kept as lists of lines.
_TEXTS = (
    "subject",
    "date_text",
    "salutation",
    "body_html",
    "closing",
    "signature",
    "flow_html",
    "document_html",
    "text",
)
_LINES = ("sender_lines", "address_lines")


def _code_files() -> list[str]:
    """The files a render runs or reads: the core modules, the bundled templates and
    the two libraries' own modules (found without importing them)."""
    from importlib.util import find_spec

    folders = [Path(__file__).parent]
    for package, inside in (
        ("composer.resources", "templates"),
        ("jinja2", ""),
        ("markupsafe", ""),
    ):
        spec = find_spec(package)
        for location in (spec.submodule_search_locations or []) if spec is not None else []:
            folders.append(Path(location) / inside)
    found: list[str] = []
    for folder in folders:
        with contextlib.suppress(OSError), os.scandir(folder) as entries:
            found.extend(
                entry.path
                for entry in entries
                if entry.name.endswith((".py", ".j2", ".so")) and entry.is_file()
            )
    return sorted(found)


def code_stamp() -> str:
    """The memo's version, the program's, the interface language and each code file's
    size and modification time, in one string."""
    from composer import __version__, i18n

    parts = [str(MEMO_VERSION), __version__, i18n.current_language()]
    for path in _code_files():
        with contextlib.suppress(OSError):
            info = os.stat(path)
            parts.append(f"{path}|{info.st_size}|{info.st_mtime_ns}")
    return "\n".join(parts)


def memo_key(
    letter: Letter,
    recipient: Recipient,
    templates: Mapping[str, str],
    template: str,
    stamp: str,
) -> str:
    """Everything one render depends on, as one string (equal inputs, equal strings).

    ``repr`` of the dataclasses names every field with its value, the date included.
    """
    return repr((stamp, sorted(templates.items()), template, letter, recipient))


class RenderMemo:
    """One record of the last render, in `path`; safe to use from several threads.

    Args:
        path: the record's file (in the program's cache folder).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._stamp: str | None = None
        self._lock = threading.Lock()

    def stamp(self) -> str:
        """:func:`code_stamp`, read once for this run (the code does not change under it)."""
        with self._lock:
            if self._stamp is None:
                self._stamp = code_stamp()
            return self._stamp

    def key(
        self, letter: Letter, recipient: Recipient, templates: Mapping[str, str], template: str
    ) -> str:
        """The key of a render of `letter` for `recipient` (see :func:`memo_key`)."""
        return memo_key(letter, recipient, templates, template, self.stamp())

    def recall(self, key: str, recipient: Recipient) -> RenderedLetter | None:
        """The letter rendered under `key`, or None when the record is for something
        else, missing, damaged or unreadable."""
        try:
            if os.stat(self.path).st_size > MEMO_LIMIT:
                return None
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("key") != key:
            return None
        fields: dict[str, Any] = {name: data.get(name) for name in _TEXTS}
        if not all(isinstance(fields[name], str) for name in _TEXTS):
            return None
        for name in _LINES:
            value = data.get(name)
            if not (isinstance(value, list) and all(isinstance(line, str) for line in value)):
                return None
            fields[name] = tuple(value)
        return RenderedLetter(recipient=recipient, **fields)

    def keep(self, key: str, rendered: RenderedLetter) -> None:
        """Make `rendered` the record, under `key` (a failure to write is ignored: the
        next start renders)."""
        record: dict[str, object] = {"key": key}
        record.update({name: getattr(rendered, name) for name in _TEXTS})
        record.update({name: list(getattr(rendered, name)) for name in _LINES})
        partial = self.path.with_name(f".{self.path.name}.{os.getpid()}.{threading.get_ident()}")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(FileNotFoundError):
                partial.unlink()
            # Only the user may read it: it holds the letter.
            handle = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                file.write(json.dumps(record, ensure_ascii=False))
            os.replace(partial, self.path)
        except (OSError, ValueError):
            with contextlib.suppress(OSError):
                partial.unlink()
