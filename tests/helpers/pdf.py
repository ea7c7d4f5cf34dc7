"""Reading PDFs back the way a person would: their text, through poppler's pdftotext."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path


def pdf_text(path: Path, *, layout: bool = False) -> str:
    """The text of a PDF, NFKC-normalised (ligatures unfolded) and with spaces folded."""
    tool = shutil.which("pdftotext")
    if tool is None:
        raise RuntimeError("pdftotext is missing: install poppler-utils")
    args = [tool, "-enc", "UTF-8"]
    if layout:
        args.append("-layout")
    result = subprocess.run([*args, str(path), "-"], capture_output=True, check=True, timeout=60)
    return unicodedata.normalize("NFKC", result.stdout.decode("utf-8"))


def squash(text: str) -> str:
    """Collapse all runs of white space into single spaces (line breaks differ between outputs)."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def pdf_pages(path: Path) -> int:
    """The number of pages of a PDF (pdfinfo)."""
    result = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, timeout=60)
    for line in result.stdout.decode().splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    raise ValueError(f"{path}: no page count")
