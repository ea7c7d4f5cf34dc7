"""Build a standalone one-folder bundle of Letter Composer with PyInstaller.

The result, ``<dist>/composer/``, runs on a machine without Python: start
``<dist>/composer/composer`` (no arguments opens the window; every subcommand
works as with the installed program). Only PyInstaller itself is needed to build
(``pip install pyinstaller``); nothing is downloaded while building.

usage: python packaging/build_bundle.py [--dist DIR] [--work DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from composer.i18n import LANGUAGES  # noqa: E402

LAUNCHER = ROOT / "packaging" / "pyinstaller" / "launcher.py"
NAME = "composer"
# Made by tools/make_directory_data.py; read through importlib.resources.
DIRECTORY_DATA = "directory/congress.sqlite3.xz"
# The interface's languages besides English, each with a compiled catalog.
TRANSLATED = tuple(code for code in LANGUAGES if code != "en")

# Qt modules the program never imports; PyInstaller's hooks would otherwise follow
# optional references into them and carry their libraries along.
EXCLUDED_MODULES = (
    "tkinter",
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtQuickWidgets",
    "PySide6.QtOpenGL",
    "PySide6.QtOpenGLWidgets",
    "PySide6.QtSql",
    "PySide6.QtDesigner",
    "PySide6.QtUiTools",
    "PySide6.QtXml",
    "PySide6.QtConcurrent",
    "PySide6.QtDBus",
    "PySide6.QtHelp",
)


def pyinstaller_arguments(dist: Path, work: Path) -> list[str]:
    """The PyInstaller command line for the one-folder bundle."""
    arguments = [
        str(LAUNCHER),
        "--name",
        NAME,
        "--onedir",
        "--noconfirm",
        "--clean",
        "--log-level",
        "WARN",
        "--distpath",
        str(dist),
        "--workpath",
        str(work),
        "--specpath",
        str(work),
        # Analyse the checkout's own sources, whatever way the package is installed
        # (an editable install's import hook is invisible to PyInstaller).
        "--paths",
        str(ROOT),
        # composer/resources is the package ``composer.resources`` (see pyproject.toml):
        # importlib.resources finds it below the bundle's composer/ folder.
        "--add-data",
        f"{ROOT / 'resources'}{os.pathsep}composer/resources",
        # The interface's compiled translations (composer.i18n reads them beside itself).
        "--add-data",
        f"{ROOT / 'composer' / 'locale'}{os.pathsep}composer/locale",
        # cli.py imports its subcommand modules by name; gui modules load lazily.
        "--collect-submodules",
        "composer",
        "--collect-submodules",
        "keyring.backends",
    ]
    for module in EXCLUDED_MODULES:
        arguments += ["--exclude-module", module]
    return arguments


def folder_size(folder: Path) -> int:
    """Bytes in all files below `folder` (symbolic links not followed)."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def build(dist: Path, work: Path) -> Path:
    """Build the bundle; returns the path of its executable."""
    try:
        import PyInstaller.__main__
    except ImportError as error:
        raise SystemExit(
            "build_bundle: PyInstaller is not installed (pip install pyinstaller)"
        ) from error
    target = dist / NAME
    if target.exists():
        shutil.rmtree(target)
    PyInstaller.__main__.run(pyinstaller_arguments(dist, work))
    executable = target / (NAME + (".exe" if sys.platform == "win32" else ""))
    if not executable.is_file():
        raise SystemExit(f"build_bundle: PyInstaller finished but {executable} is missing")
    # The bundled directory data (resources/directory) lets the first start find
    # officials offline; a bundle without it would quietly lose that.
    if not any(target.rglob(f"composer/resources/{DIRECTORY_DATA}")):
        raise SystemExit(f"build_bundle: the bundle lacks resources/{DIRECTORY_DATA}")
    for language in TRANSLATED:
        if not any(target.rglob(f"composer/locale/{language}/LC_MESSAGES/composer.mo")):
            raise SystemExit(f"build_bundle: the bundle lacks the {language} translation")
    return executable


def main(argv: list[str] | None = None) -> int:
    """Build, then report where the bundle is, its size and how long it took."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder")
    parser.add_argument(
        "--work", type=Path, default=ROOT / "build" / "pyinstaller", help="temporary build folder"
    )
    args = parser.parse_args(argv)
    started = time.monotonic()
    executable = build(args.dist.resolve(), args.work.resolve())
    seconds = time.monotonic() - started
    size = folder_size(executable.parent)
    print(f"built {executable} in {seconds:.0f} s; the folder holds {size / 1e6:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
