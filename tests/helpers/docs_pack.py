"""The city-council pack of docs/campaign-packs.md, written out from the page itself."""

from __future__ import annotations

import re
from pathlib import Path

DOCS = Path(__file__).resolve().parents[2] / "docs" / "campaign-packs.md"
# "File `library-sundays/x`:" then a fenced block holding the whole file.
_FILE = re.compile(r"^File `([^`]+)`:\n\n```[a-z]*\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def write_docs_example(folder: Path) -> Path:
    """Write every file the page's complete example shows; returns the pack folder."""
    found = _FILE.findall(DOCS.read_text(encoding="utf-8"))
    assert found, "the page shows no complete example pack"
    roots = {name.split("/")[0] for name, _ in found}
    assert len(roots) == 1, roots
    for name, text in found:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder / roots.pop()
