"""HTML to plain text (loaded on first use: Python's HTML parser is not needed to start)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "table", "ul", "ol", "br"}
_SKIPPED = {"script", "style", "head", "title"}


class _TextExtractor(HTMLParser):
    """Collects the visible text of an HTML fragment, one paragraph per block."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip_depth = 0
        self._list_stack: list[list[int]] = []  # [counter] for ol, [] for ul

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self._skip_depth += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in ("ul", "ol"):
            self._list_stack.append([0] if tag == "ol" else [])
            self.parts.append("\n\n")
        elif tag == "li":
            marker = "- "
            if self._list_stack and self._list_stack[-1]:
                self._list_stack[-1][0] += 1
                marker = f"{self._list_stack[-1][0]}. "
            indent = "  " * max(0, len(self._list_stack) - 1)
            self.parts.append(f"\n{indent}{marker}")
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in ("ul", "ol"):
            if self._list_stack:
                self._list_stack.pop()
            self.parts.append("\n\n")
        elif tag in _BLOCKS and tag != "li":
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self.parts.append(re.sub(r"[ \t\r\n\f]+", " ", data))


def html_to_text(fragment: str) -> str:
    """The readable plain text of an HTML fragment: paragraphs separated by blank lines."""
    parser = _TextExtractor()
    parser.feed(fragment)
    parser.close()
    text = "".join(parser.parts)
    lines = [
        line.strip() if not line.lstrip().startswith(("- ", "* ")) else line.rstrip()
        for line in text.split("\n")
    ]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
