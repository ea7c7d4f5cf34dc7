"""Loading packs: the bundled one loads; a broken one is named by file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from composer.core.campaigns import CampaignError, default_campaign, load_campaign, read_campaign

CAMPAIGN = """\
format = 1
id = "bikes"
title = "Safe streets"
summary = "Ask for a bike lane."
default_subject = "A bike lane"
default_arguments = ["hello"]

[[themes]]
id = "safety"
title = "Safety"

[sources.gazette]
outlet = "Example Gazette"
author = "Example Author"
date = "2024"
title = "Streets"
"""

ARGUMENT = """\
+++
id = "hello"
title = "Hello"
theme = "safety"
position = "opening"
sources = ["gazette"]
+++
I am writing about the street where my children walk to school.
"""


def make_pack(root: Path, campaign: str = CAMPAIGN, **arguments: str) -> Path:
    (root / "arguments").mkdir(parents=True)
    (root / "campaign.toml").write_text(campaign, encoding="utf-8")
    for name, text in (arguments or {"hello": ARGUMENT}).items():
        (root / "arguments" / f"{name}.md").write_text(text, encoding="utf-8")
    return root


def test_bundled_campaign_loads() -> None:
    campaign = default_campaign()
    assert campaign.id == "protect-russian-defectors"
    assert len(campaign.arguments) >= 30
    assert all(campaign.argument(a) for a in campaign.default_arguments)


def test_small_pack_loads(tmp_path: Path) -> None:
    campaign = load_campaign(make_pack(tmp_path))
    argument = campaign.argument("hello")
    assert argument.position == "opening"
    assert argument.sources[0].outlet == "Example Gazette"
    assert argument.html.startswith("<p>I am writing")


def test_unknown_theme_names_file_line_and_field(tmp_path: Path) -> None:
    make_pack(tmp_path, hello=ARGUMENT.replace('theme = "safety"', 'theme = "speed"'))
    with pytest.raises(CampaignError) as caught:
        load_campaign(tmp_path)
    assert str(caught.value).startswith("arguments/hello.md:4: theme: 'speed' is not a theme")


def test_broken_toml_names_the_line(tmp_path: Path) -> None:
    make_pack(tmp_path, CAMPAIGN.replace('title = "Safe streets"', "title = Safe streets"))
    _campaign, problems = read_campaign(tmp_path)
    assert problems[0].file == "campaign.toml"
    assert problems[0].line == 3


def test_every_problem_is_reported(tmp_path: Path) -> None:
    broken = ARGUMENT.replace('id = "hello"', 'id = "other"').replace(
        'sources = ["gazette"]', 'sources = ["nowhere"]'
    )
    make_pack(tmp_path, CAMPAIGN.replace('summary = "Ask for a bike lane."\n', ""), hello=broken)
    _campaign, problems = read_campaign(tmp_path)
    fields = {(p.file, p.field) for p in problems}
    assert ("campaign.toml", "summary") in fields
    assert ("arguments/hello.md", "id") in fields
    assert ("arguments/hello.md", "sources") in fields


def test_template_code_in_an_argument_is_refused(tmp_path: Path) -> None:
    make_pack(tmp_path, hello=ARGUMENT + "{{ ''.__class__ }}\n")
    _campaign, problems = read_campaign(tmp_path)
    assert [p.field for p in problems] == ["text"]
    assert problems[0].line == 9


def test_invalid_utf8_is_named(tmp_path: Path) -> None:
    make_pack(tmp_path)
    (tmp_path / "arguments" / "hello.md").write_bytes(ARGUMENT.encode() + b"\xff\xfe bad\n")
    _campaign, problems = read_campaign(tmp_path)
    assert "not valid UTF-8" in problems[0].message
    assert problems[0].line == 9
