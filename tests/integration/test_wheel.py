"""The built wheel works on its own: installed into a fresh environment, it finds its resources."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.helpers.pdf import pdf_text, squash

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_wheel_installs_and_renders_from_anywhere(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(dist),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr[-2000:]
    wheel = next(dist.glob("letter_composer-*.whl"))

    env_dir = tmp_path / "env"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", str(wheel)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert install.returncode == 0, install.stderr[-2000:]

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    clean_env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    clean_env["QT_QPA_PLATFORM"] = "offscreen"
    where = subprocess.run(
        [
            str(python),
            "-c",
            "import composer, importlib.resources as r; print(composer.__file__);"
            " print(r.files('composer.resources').joinpath('templates/formal.html.j2').is_file());"
            " import composer.i18n as i; print(i.install('uk') == 'uk' and i._('Letter Composer"
            " cannot start') != 'Letter Composer cannot start')",
        ],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=clean_env,
        timeout=60,
    )
    assert where.returncode == 0, where.stderr
    location, found, translated = where.stdout.split()
    assert Path(location).is_relative_to(env_dir)
    assert found == "True"
    assert translated == "True"  # the compiled Ukrainian catalog is in the wheel

    out = elsewhere / "letter.pdf"
    render = subprocess.run(
        [str(env_dir / "bin" / "composer"), "render", "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=clean_env,
        timeout=120,
    )
    assert render.returncode == 0, render.stderr
    assert "Dear Mr. President:" in squash(pdf_text(out))
