"""The standalone PyInstaller bundle: built from this checkout, started without the project's Python."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers.pdf import pdf_text, squash

ROOT = Path(__file__).resolve().parents[2]
BUILD_TIMEOUT_S = 900

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the one-folder bundle once for this module; returns its executable."""
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        pytest.fail("PyInstaller is missing: pip install pyinstaller (part of the test extras)")
    folder = tmp_path_factory.mktemp("bundle")
    started = time.monotonic()
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "packaging" / "build_bundle.py"),
            "--dist",
            str(folder / "dist"),
            "--work",
            str(folder / "work"),
        ],
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_S,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    executable = folder / "dist" / "composer" / "composer"
    assert executable.is_file() and os.access(executable, os.X_OK)
    print(f"bundle built in {time.monotonic() - started:.0f} s: {result.stdout.strip()}")
    return executable


def _clean_env(home: Path) -> dict[str, str]:
    """A bare environment: no virtualenv, no PYTHONPATH, only the system's PATH, fresh folders."""
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "QT_QPA_PLATFORM": "offscreen",
    }
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        folder = home / name.lower()
        folder.mkdir(parents=True, exist_ok=True)
        env[name] = str(folder)
    return env


def _run(
    executable: Path, *args: str, env: dict[str, str], cwd: Path
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(executable), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=cwd,
        check=False,
    )


def test_bundle_opens_its_window(bundle: Path, tmp_path: Path) -> None:
    env = _clean_env(tmp_path / "home")
    started = time.monotonic()
    result = _run(bundle, "--smoke", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    print(f"bundle --smoke: {time.monotonic() - started:.2f} s")
    assert "Traceback" not in result.stderr


def test_bundle_renders_a_letter_from_its_own_resources(bundle: Path, tmp_path: Path) -> None:
    env = _clean_env(tmp_path / "home")
    version = _run(bundle, "--version", env=env, cwd=tmp_path)
    assert version.returncode == 0 and version.stdout.startswith("composer "), version.stderr
    campaigns = _run(bundle, "campaigns", env=env, cwd=tmp_path)
    assert campaigns.returncode == 0, campaigns.stderr
    assert "protect-russian-defectors" in campaigns.stdout

    out = tmp_path / "letter.pdf"
    result = _run(bundle, "render", "--out", str(out), env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = squash(pdf_text(out))
    assert "The White House" in text and "Dear Mr. President" in text


def test_bundle_installs_its_desktop_entry(bundle: Path, tmp_path: Path) -> None:
    env = _clean_env(tmp_path / "home")
    result = _run(bundle, "install-desktop", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    entry = (
        Path(env["XDG_DATA_HOME"])
        / "applications"
        / "io.github.letter_composer.LetterComposer.desktop"
    )
    text = entry.read_text(encoding="utf-8")
    assert f"Exec={bundle}\n" in text  # the bundle itself, not a Python interpreter
    icon = (
        Path(env["XDG_DATA_HOME"])
        / "icons/hicolor/256x256/apps/io.github.letter_composer.LetterComposer.png"
    )
    assert icon.is_file()
