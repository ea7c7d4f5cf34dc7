"""``composer install-desktop``: put the program in the desktop's menu for the current user.

It copies the ``.desktop`` entry, the AppStream metadata and the icons from
the bundled resources into the user's XDG data folder (``$XDG_DATA_HOME``,
normally ``~/.local/share``), with an ``Exec`` line that starts exactly the
``composer`` that ran the command. Running it again changes nothing;
``--uninstall`` removes what it installed.
"""

from __future__ import annotations

import argparse
import logging
import os
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from composer.commands.base import EXIT_OK, CommandContext, CommandError
from composer.core.fileio import StorageError, atomic_write_bytes

APP_ID = "io.github.letter_composer.LetterComposer"
DESKTOP_NAME = f"{APP_ID}.desktop"
METAINFO_NAME = f"{APP_ID}.metainfo.xml"
TOOL_TIMEOUT_S = 60

# Characters that force an Exec argument into double quotes (Desktop Entry spec, "Exec key").
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")

log = logging.getLogger(__name__)


def register(subparsers: Any) -> None:
    """Add ``install-desktop``."""
    parser = subparsers.add_parser(
        "install-desktop",
        help="add Letter Composer to your desktop's application menu (for this user)",
        description=(
            "Install the menu entry, AppStream metadata and icons into your XDG data folder "
            "($XDG_DATA_HOME, normally ~/.local/share), pointing at this composer program."
        ),
    )
    parser.add_argument(
        "--uninstall", action="store_true", help="remove the menu entry, metadata and icons again"
    )
    parser.set_defaults(handler=run)


@dataclass(frozen=True)
class FileChange:
    """One file the command wrote or removed, and whether anything actually changed."""

    path: Path
    changed: bool


def data_home() -> Path:
    """The user's XDG data folder (``$XDG_DATA_HOME`` when set to an absolute path)."""
    value = os.environ.get("XDG_DATA_HOME", "")
    if value and os.path.isabs(value):
        return Path(value)
    return Path.home() / ".local" / "share"


def launcher_command() -> list[str]:
    """The command line that starts this very program: frozen bundle, console script or -m."""
    if getattr(sys, "frozen", False):
        return [os.path.abspath(sys.executable)]
    script = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if script is not None and script.stem == "composer" and script.is_file():
        return [str(script.resolve())]
    return [os.path.abspath(sys.executable), "-m", "composer"]


def quote_exec_argument(argument: str) -> str:
    """Quote one argument for an ``Exec`` value, escaped as the Desktop Entry spec requires."""
    if argument and not (_RESERVED & set(argument)):
        quoted = argument
    else:
        inner = "".join("\\" + c if c in '"`$\\' else c for c in argument)
        quoted = f'"{inner}"'
    # The string-value escape applies on top of the quoting; "%" starts a field code.
    return quoted.replace("\\", "\\\\").replace("%", "%%")


def exec_line(command: list[str]) -> str:
    """The ``Exec`` value for a command line."""
    return " ".join(quote_exec_argument(argument) for argument in command)


def _escape_string_value(value: str) -> str:
    return value.replace("\\", "\\\\")


def desktop_entry(command: list[str]) -> str:
    """The bundled desktop entry with ``Exec`` and ``TryExec`` pointing at `command`."""
    template = _resource("desktop", DESKTOP_NAME).read_text(encoding="utf-8")
    lines = []
    for line in template.splitlines():
        if line.startswith("Exec="):
            line = f"Exec={exec_line(command)}"
        elif line.startswith("TryExec="):
            line = f"TryExec={_escape_string_value(command[0])}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def _resource(*parts: str) -> Traversable:
    resource = files("composer.resources")
    for part in parts:
        resource = resource.joinpath(part)
    if not resource.is_file() and not resource.is_dir():
        raise CommandError(
            f"composer: the bundled file {'/'.join(parts)} is missing; reinstall Letter Composer"
        )
    return resource


def icon_files() -> list[tuple[str, Traversable]]:
    """The bundled icons as (path below ``icons/hicolor``, resource) pairs."""
    root = _resource("icons", "hicolor")
    found: list[tuple[str, Traversable]] = []
    for size in sorted(root.iterdir(), key=lambda t: t.name):
        apps = size.joinpath("apps")
        if not apps.is_dir():
            continue
        for icon in sorted(apps.iterdir(), key=lambda t: t.name):
            if icon.name.startswith(APP_ID + "."):
                found.append((f"{size.name}/apps/{icon.name}", icon))
    return found


def planned_files(home: Path, command: list[str]) -> list[tuple[Path, bytes]]:
    """Every file the installation writes, with its contents."""
    planned = [
        (home / "applications" / DESKTOP_NAME, desktop_entry(command).encode("utf-8")),
        (home / "metainfo" / METAINFO_NAME, _resource("desktop", METAINFO_NAME).read_bytes()),
    ]
    for relative, icon in icon_files():
        planned.append((home / "icons" / "hicolor" / relative, icon.read_bytes()))
    return planned


def install(home: Path, command: list[str]) -> list[FileChange]:
    """Write the desktop entry, metadata and icons below `home`; unchanged files stay untouched.

    Raises:
        StorageError: a file could not be written.
    """
    changes = []
    for path, content in planned_files(home, command):
        try:
            unchanged = path.read_bytes() == content
        except OSError:
            unchanged = False
        if not unchanged:
            atomic_write_bytes(path, content)
        changes.append(FileChange(path, not unchanged))
    return changes


def uninstall(home: Path) -> list[FileChange]:
    """Remove what :func:`install` wrote below `home` (missing files are fine).

    Raises:
        StorageError: a file exists but could not be removed.
    """
    changes = []
    for path, _content in planned_files(home, ["composer"]):
        try:
            path.unlink()
        except FileNotFoundError:
            changes.append(FileChange(path, False))
        except OSError as error:
            raise StorageError(
                f"Could not remove {path}: {error.strerror or error}. "
                "Check the folder's permissions and try again."
            ) from error
        else:
            changes.append(FileChange(path, True))
    return changes


def refresh_caches(home: Path) -> list[str]:
    """Tell the desktop about the change (menu cache, icon cache); returns notes on failures."""
    notes = []
    applications = home / "applications"
    tool = shutil.which("update-desktop-database")
    if tool and applications.is_dir():
        notes += _run_tool([tool, "-q", str(applications)])
    hicolor = home / "icons" / "hicolor"
    if hicolor.is_dir():
        # Icon theme readers notice a newer folder time; a cache file must be rebuilt.
        os.utime(hicolor)
        cache_tool = shutil.which("gtk-update-icon-cache")
        if cache_tool and (hicolor / "icon-theme.cache").exists():
            notes += _run_tool([cache_tool, "-q", "-f", "-t", str(hicolor)])
    return notes


def _run_tool(argv: list[str]) -> list[str]:
    try:
        result = subprocess.run(
            argv, capture_output=True, text=True, timeout=TOOL_TIMEOUT_S, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        log.warning("%s failed: %s", argv[0], error)
        return [f"{Path(argv[0]).name} did not run ({error}); log out and in to refresh the menu"]
    if result.returncode != 0:
        log.warning("%s exited %s: %s", argv[0], result.returncode, result.stderr.strip())
        problem = result.stderr.strip() or f"exit status {result.returncode}"
        return [
            f"{Path(argv[0]).name} reported a problem ({problem}); "
            "the menu may show the change only after you log in again"
        ]
    return []


def _files(count: int) -> str:
    return f"{count} file" + ("" if count == 1 else "s")


def run(args: argparse.Namespace, context: CommandContext) -> int:
    """Install (or remove) the desktop integration and say what happened."""
    if not sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        raise CommandError(
            "composer: install-desktop is for Linux and BSD desktops (freedesktop.org menus); "
            "on this system, start Letter Composer from its shortcut or with 'composer'"
        )
    home = data_home()
    try:
        if args.uninstall:
            changes = uninstall(home)
        else:
            command = launcher_command()
            changes = install(home, command)
    except StorageError as error:
        raise CommandError(f"composer: {error}") from error
    changed = [change for change in changes if change.changed]
    notes = refresh_caches(home) if changed else []
    if args.uninstall:
        if changed:
            files_removed = _files(len(changed))
            context.say(f"Removed Letter Composer from the menu ({files_removed} in {home}).")
        else:
            context.say(f"Letter Composer was not installed in {home}; nothing to remove.")
    else:
        entry = home / "applications" / DESKTOP_NAME
        if changed:
            context.say(f"Installed Letter Composer in the menu: {entry} ({_files(len(changed))}).")
        else:
            context.say(f"Letter Composer is already installed in the menu: {entry}.")
        context.say(f"It starts: {shlex.join(command)}")
    for note in notes:
        context.note(f"composer: {note}")
    return EXIT_OK
