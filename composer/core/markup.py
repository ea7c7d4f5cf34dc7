"""The little markup the program needs: argument Markdown to HTML, and HTML to plain text."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

_STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_EMPHASIS = re.compile(r"(?<![*\w])\*(?=\S)(.+?)(?<=\S)\*(?![*\w])")


def paragraphs(text: str) -> list[str]:
    """Split Markdown text into paragraphs (blank-line separated), joining wrapped lines."""
    blocks = re.split(r"\n\s*\n", text.strip())
    return [
        " ".join(line.strip() for line in block.splitlines()) for block in blocks if block.strip()
    ]


def inline_to_html(text: str) -> str:
    """Escape text and turn ``**bold**`` and ``*italic*`` into HTML."""
    escaped = html.escape(text, quote=False)
    escaped = _STRONG.sub(r"<b>\1</b>", escaped)
    return _EMPHASIS.sub(r"<i>\1</i>", escaped)


def markdown_to_html(text: str) -> str:
    """Turn argument Markdown (paragraphs, bold, italic) into HTML paragraphs."""
    return "".join(f"<p>{inline_to_html(block)}</p>" for block in paragraphs(text))


def markdown_to_text(text: str) -> str:
    """The plain text of argument Markdown, emphasis marks removed."""
    plain = [_EMPHASIS.sub(r"\1", _STRONG.sub(r"\1", block)) for block in paragraphs(text)]
    return "\n\n".join(plain)


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
