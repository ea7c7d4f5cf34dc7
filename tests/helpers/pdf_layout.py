"""Where text sits on a PDF's pages, read back with poppler's ``pdftotext -bbox-layout``."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

MM_PER_POINT = 25.4 / 72
_XHTML = "{http://www.w3.org/1999/xhtml}"


@dataclass(frozen=True)
class TextLine:
    """One line of text as poppler found it, its box in mm from the page's top-left corner."""

    page: int
    text: str
    x_min: float
    y_min: float
    x_max: float
    y_max: float

    def inside(self, x: float, y: float, right: float, bottom: float) -> bool:
        """Whether the line's box lies wholly inside the given rectangle (mm)."""
        return self.x_min >= x and self.y_min >= y and self.x_max <= right and self.y_max <= bottom

    def overlaps(self, x: float, y: float, right: float, bottom: float) -> bool:
        """Whether the line's box touches the given rectangle (mm) at all."""
        return self.x_min < right and self.x_max > x and self.y_min < bottom and self.y_max > y


@dataclass(frozen=True)
class PageBox:
    """A page's size in mm."""

    number: int
    width: float
    height: float


def pdf_layout(path: Path) -> tuple[list[PageBox], list[TextLine]]:
    """The pages and every line of text of a PDF, in reading order, text NFKC-normalised."""
    tool = shutil.which("pdftotext")
    if tool is None:
        raise RuntimeError("pdftotext is missing: install poppler-utils")
    result = subprocess.run(
        [tool, "-enc", "UTF-8", "-bbox-layout", str(path), "-"],
        capture_output=True,
        check=True,
        timeout=60,
    )
    root = ET.fromstring(result.stdout.decode("utf-8"))
    pages: list[PageBox] = []
    lines: list[TextLine] = []
    for number, page in enumerate(root.iter(f"{_XHTML}page"), start=1):
        pages.append(
            PageBox(
                number,
                float(page.get("width", "0")) * MM_PER_POINT,
                float(page.get("height", "0")) * MM_PER_POINT,
            )
        )
        for line in page.iter(f"{_XHTML}line"):
            words = [word.text or "" for word in line.iter(f"{_XHTML}word")]
            text = unicodedata.normalize("NFKC", " ".join(words))
            lines.append(
                TextLine(
                    number,
                    text,
                    float(line.get("xMin", "0")) * MM_PER_POINT,
                    float(line.get("yMin", "0")) * MM_PER_POINT,
                    float(line.get("xMax", "0")) * MM_PER_POINT,
                    float(line.get("yMax", "0")) * MM_PER_POINT,
                )
            )
    return pages, lines


def find_line(lines: list[TextLine], text: str, page: int | None = None) -> TextLine:
    """The one line whose whole text is `text` (on `page`, if given); fails otherwise."""
    wanted = unicodedata.normalize("NFKC", text)
    found = [line for line in lines if line.text == wanted and (page is None or line.page == page)]
    if len(found) != 1:
        where = f" on page {page}" if page is not None else ""
        seen = [line.text for line in lines if page is None or line.page == page]
        raise AssertionError(f"{len(found)} lines read {wanted!r}{where}; lines: {seen}")
    return found[0]
