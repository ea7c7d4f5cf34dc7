"""Desktop entry, AppStream metadata and icons: checked by real validators, installed for real."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from composer.commands.desktop import (
    APP_ID,
    DESKTOP_NAME,
    METAINFO_NAME,
    exec_line,
    quote_exec_argument,
)

REPO = Path(__file__).resolve().parents[2]
DESKTOP_FILE = REPO / "resources" / "desktop" / DESKTOP_NAME
METAINFO_FILE = REPO / "resources" / "desktop" / METAINFO_NAME
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def _tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed (apt-get install {package})")
    return path


def _composer(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "composer", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_desktop_file_passes_desktop_file_validate() -> None:
    result = subprocess.run(
        [_tool("desktop-file-validate", "desktop-file-utils"), str(DESKTOP_FILE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == ""  # not even a hint


def test_metainfo_passes_appstreamcli_validate() -> None:
    result = subprocess.run(
        [_tool("appstreamcli", "appstream"), "validate", "--no-net", str(METAINFO_FILE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Validation was successful" in result.stdout
    assert "W:" not in result.stdout and "E:" not in result.stdout, result.stdout


def test_names_match_the_application() -> None:
    from composer.gui.app import APP_ID as GUI_APP_ID
    from composer.gui.app import create_application

    app = create_application()
    assert app.desktopFileName() == GUI_APP_ID == APP_ID == DESKTOP_FILE.stem
    root = ET.parse(METAINFO_FILE).getroot()
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == DESKTOP_NAME
    assert f"Icon={APP_ID}\n" in DESKTOP_FILE.read_text(encoding="utf-8")
    # Docks match running windows by WM_CLASS; Qt sets its class to the application name.
    assert f"StartupWMClass={app.applicationName()}\n" in DESKTOP_FILE.read_text(encoding="utf-8")


def test_icon_pngs_are_up_to_date_with_the_svg() -> None:
    from PySide6.QtGui import QImage

    for size in ICON_SIZES:
        path = REPO / "resources/icons/hicolor" / f"{size}x{size}/apps/{APP_ID}.png"
        image = QImage(str(path))
        assert (image.width(), image.height()) == (size, size), path
    result = subprocess.run(
        [sys.executable, str(REPO / "tools" / "make_icons.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_make_icons_check_notices_a_changed_png(tmp_path: Path) -> None:
    sys.path.insert(0, str(REPO / "tools"))
    try:
        import make_icons
    finally:
        sys.path.remove(str(REPO / "tools"))
    from PySide6.QtGui import QColor

    image = make_icons.render(make_icons.SVG_PATH, 32)
    same = make_icons.render(make_icons.SVG_PATH, 32)
    assert make_icons.largest_difference(image, same) == 0
    same.setPixelColor(16, 16, QColor("magenta"))
    assert make_icons.largest_difference(image, same) > make_icons.TOLERANCE


@pytest.mark.parametrize(
    ("argument", "expected"),
    [
        ("/usr/bin/composer", "/usr/bin/composer"),
        ("/home/a b/bin/composer", '"/home/a b/bin/composer"'),
        ('/opt/say "hi"/x', r'"/opt/say \\"hi\\"/x"'),
        ("/opt/100%/x", "/opt/100%%/x"),
        ("/opt/$HOME/x", r'"/opt/\\$HOME/x"'),
        ("", '""'),
    ],
)
def test_exec_arguments_are_quoted_as_the_spec_says(argument: str, expected: str) -> None:
    assert quote_exec_argument(argument) == expected


def test_installed_entry_with_awkward_path_still_validates(tmp_path: Path) -> None:
    entry = DESKTOP_FILE.read_text(encoding="utf-8").replace(
        "Exec=composer", "Exec=" + exec_line(["/home/a b/100% $x/python", "-m", "composer"])
    )
    path = tmp_path / DESKTOP_NAME
    path.write_text(entry, encoding="utf-8")
    result = subprocess.run(
        [_tool("desktop-file-validate", "desktop-file-utils"), str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout


def test_install_desktop_installs_validates_is_idempotent_and_uninstalls(
    isolated_home: Path,
) -> None:
    home = Path(os.environ["XDG_DATA_HOME"])
    assert home.is_relative_to(isolated_home)

    first = _composer("install-desktop")
    assert first.returncode == 0, first.stderr
    assert "Installed Letter Composer" in first.stdout

    entry = home / "applications" / DESKTOP_NAME
    metainfo = home / "metainfo" / METAINFO_NAME
    icons = [home / f"icons/hicolor/{n}x{n}/apps/{APP_ID}.png" for n in ICON_SIZES]
    svg = home / f"icons/hicolor/scalable/apps/{APP_ID}.svg"
    for path in (entry, metainfo, svg, *icons):
        assert path.is_file(), path
    text = entry.read_text(encoding="utf-8")
    assert f"Exec={exec_line([sys.executable, '-m', 'composer'])}\n" in text
    assert f"TryExec={sys.executable}\n" in text
    validate = subprocess.run(
        [_tool("desktop-file-validate", "desktop-file-utils"), str(entry)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert validate.returncode == 0, validate.stdout
    assert metainfo.read_bytes() == METAINFO_FILE.read_bytes()

    # The Exec line really starts the program (headless check of the same command).
    exec_value = next(line for line in text.splitlines() if line.startswith("Exec="))[5:]
    version = subprocess.run(
        [*exec_value.split(" "), "--version"], capture_output=True, text=True, timeout=60
    )
    assert version.returncode == 0 and version.stdout.startswith("composer "), version.stderr

    before = {p: p.stat().st_mtime_ns for p in (entry, metainfo, svg, *icons)}
    second = _composer("install-desktop")
    assert second.returncode == 0, second.stderr
    assert "already installed" in second.stdout
    assert {p: p.stat().st_mtime_ns for p in before} == before

    removed = _composer("install-desktop", "--uninstall")
    assert removed.returncode == 0, removed.stderr
    assert "Removed Letter Composer" in removed.stdout
    assert not any(p.exists() for p in before)
    again = _composer("install-desktop", "--uninstall")
    assert again.returncode == 0 and "nothing to remove" in again.stdout


def test_install_desktop_reports_an_unwritable_folder(isolated_home: Path) -> None:
    home = Path(os.environ["XDG_DATA_HOME"])
    (home / "applications").write_text("a file where a folder should be", encoding="utf-8")
    result = _composer("install-desktop")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("composer: ") and "applications" in result.stderr
