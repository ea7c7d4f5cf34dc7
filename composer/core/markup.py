"""The little markup the program needs: argument Markdown to HTML, and HTML to plain text."""

from __future__ import annotations

import re

_STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_EMPHASIS = re.compile(r"(?<![*\w])\*(?=\S)(.+?)(?<=\S)\*(?![*\w])")


def paragraphs(text: str) -> list[str]:
    """Split Markdown text into paragraphs (blank-line separated), joining wrapped lines."""
    blocks = re.split(r"\n\s*\n", text.strip())
    return [
        " ".join(line.strip() for line in block.splitlines()) for block in blocks if block.strip()
    ]


def escape(text: str, quote: bool = True) -> str:
    """Text safe inside HTML, as ``html.escape`` makes it (that module, with its table of
    entities, is not needed to start)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if quote:
        text = text.replace('"', "&quot;").replace("'", "&#x27;")
    return text


def inline_to_html(text: str) -> str:
    """Escape text and turn ``**bold**`` and ``*italic*`` into HTML."""
    escaped = escape(text, quote=False)
    escaped = _STRONG.sub(r"<b>\1</b>", escaped)
    return _EMPHASIS.sub(r"<i>\1</i>", escaped)


def markdown_to_html(text: str) -> str:
    """Turn argument Markdown (paragraphs, bold, italic) into HTML paragraphs."""
    return "".join(f"<p>{inline_to_html(block)}</p>" for block in paragraphs(text))


def markdown_to_text(text: str) -> str:
    """The plain text of argument Markdown, emphasis marks removed."""
    plain = [_EMPHASIS.sub(r"\1", _STRONG.sub(r"\1", block)) for block in paragraphs(text)]
    return "\n\n".join(plain)


def html_to_text(fragment: str) -> str:
    """The readable plain text of an HTML fragment: paragraphs separated by blank lines."""
    from composer.core.html_text import html_to_text as convert

    return convert(fragment)
