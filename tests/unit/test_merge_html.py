"""``render --out x.html`` with several recipients writes one valid HTML document."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from composer.cli import main


class Counter(HTMLParser):
    """Counts declarations and start/end tags, and checks that tags close in order."""

    VOID = frozenset({"meta", "br", "img", "hr", "link", "input"})

    def __init__(self) -> None:
        super().__init__()
        self.declarations = 0
        self.starts: dict[str, int] = {}
        self.open: list[str] = []
        self.misnested: list[str] = []

    def handle_decl(self, decl: str) -> None:
        self.declarations += 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.starts[tag] = self.starts.get(tag, 0) + 1
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            self.misnested.append(tag)
        else:
            self.open.pop()


def test_several_recipients_make_one_html_document(tmp_path: Path) -> None:
    out = tmp_path / "letters.html"
    sender = tmp_path / "sender.toml"
    sender.write_text('name = "Ana Ruiz"\ncity = "Seattle"\nstate = "WA"\n', encoding="utf-8")

    status = main(
        ["render", "--to", "C000127", "--to", "M001111", "--to", "white-house",
         "--sender", str(sender), "--out", str(out)]
    )  # fmt: skip

    assert status == 0
    html = out.read_text(encoding="utf-8")
    parsed = Counter()
    parsed.feed(html)
    parsed.close()
    assert parsed.declarations == 1
    assert parsed.starts["html"] == 1
    assert parsed.starts["head"] == 1
    assert parsed.starts["body"] == 1
    assert parsed.starts["section"] == 3
    assert parsed.misnested == []
    assert parsed.open == []
    for greeting in ("Dear Senator Cantwell:", "Dear Senator Murray:", "Dear Mr. President:"):
        assert html.count(greeting) == 1
    assert (
        html.index("Senator Cantwell:") < html.index("Senator Murray:") < html.index("President:")
    )
