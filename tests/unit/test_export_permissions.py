"""A PDF is written with the same permissions as the other exports (readable by others)."""

from __future__ import annotations

import stat
from pathlib import Path

from tests.helpers.cli import run_composer

SHORT = ("--arguments", "opening-citizen-concern,reply-congress")


def test_pdf_html_and_text_exports_share_their_permissions(tmp_path: Path) -> None:
    modes = {}
    for suffix in (".pdf", ".html", ".txt"):
        out = tmp_path / f"letter{suffix}"
        result = run_composer("render", *SHORT, "--to", "white-house", "--out", str(out))
        assert result.returncode == 0, result.stderr
        modes[suffix] = stat.S_IMODE(out.stat().st_mode)
    folder = tmp_path / "each"
    result = run_composer(
        "render", *SHORT, "--to", "white-house", "--to", "C000127", "--out", f"{folder}/"
    )
    assert result.returncode == 0, result.stderr
    modes.update({p.name: stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()})
    assert set(modes.values()) == {0o644}, modes
