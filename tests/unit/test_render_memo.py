"""The record of the last render: used only for exactly the same letter, template and code."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import stat
from pathlib import Path

import pytest

from composer.core import render_memo
from composer.core.models import Letter, Sender, white_house
from composer.core.render import Renderer
from composer.core.render_memo import RenderMemo, code_stamp, memo_key

TEMPLATES = {"formal.html": "{{ body }}", "formal.txt": "{{ body_text }}"}


def letter(body: str = "<p>Please protect those who refuse to fight.</p>") -> Letter:
    return Letter(
        sender=Sender(name="Ana Ruiz", city="Seattle"),
        subject="Protect them",
        body_html=body,
        date=dt.date(2026, 12, 4),
    )


@pytest.fixture
def memo(tmp_path: Path) -> RenderMemo:
    return RenderMemo(tmp_path / "cache" / "preview.json")


def test_a_kept_render_comes_back_whole_for_the_same_letter(memo: RenderMemo) -> None:
    official = white_house()
    rendered = Renderer().render(letter(), official)
    key = memo.key(letter(), official, {}, "formal")
    memo.keep(key, rendered)

    again = memo.recall(memo.key(letter(), official, {}, "formal"), official)

    assert again == rendered
    assert dataclasses.asdict(again) == dataclasses.asdict(rendered)


def test_anything_a_render_reads_changes_the_key(memo: RenderMemo) -> None:
    official = white_house()
    base = memo.key(letter(), official, {}, "formal")
    memo.keep(base, Renderer().render(letter(), official))
    other_official = dataclasses.replace(official, salutation="Dear President:")
    changed = [
        memo.key(letter("<p>Another sentence.</p>"), official, {}, "formal"),
        memo.key(dataclasses.replace(letter(), date=dt.date(2026, 12, 5)), official, {}, "formal"),
        memo.key(dataclasses.replace(letter(), language="en-GB"), official, {}, "formal"),
        memo.key(letter(), other_official, {}, "formal"),
        memo.key(letter(), official, TEMPLATES, "formal"),
        memo.key(letter(), official, {}, "email"),
        memo_key(letter(), official, {}, "formal", memo.stamp() + "\nchanged"),
    ]
    assert len(set(changed)) == len(changed)
    for key in changed:
        assert key != base
        assert memo.recall(key, official) is None


def test_the_code_stamp_follows_the_code_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = tmp_path / "render.py"
    module.write_text("x = 1\n")
    monkeypatch.setattr(render_memo, "_code_files", lambda: [str(module)])
    before = code_stamp()
    module.write_text("x = 22\n")
    assert code_stamp() != before


def test_the_real_stamp_names_the_renderer_the_templates_and_jinja() -> None:
    stamp = code_stamp()
    assert "render.py|" in stamp
    assert "formal.html.j2|" in stamp
    assert f"jinja2{os.sep}__init__.py|" in stamp
    assert f"markupsafe{os.sep}__init__.py|" in stamp


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"[1, 2, 3]",
        b"\xff\xfe\x00garbage",
        json.dumps({"key": "KEY", "subject": 5}).encode(),
        json.dumps({"key": "KEY", "sender_lines": "one line"}).encode(),
    ],
)
def test_a_damaged_record_is_a_miss(memo: RenderMemo, content: bytes) -> None:
    memo.path.parent.mkdir(parents=True)
    memo.path.write_bytes(content)
    assert memo.recall("KEY", white_house()) is None


def test_a_record_too_large_is_not_read(memo: RenderMemo, monkeypatch: pytest.MonkeyPatch) -> None:
    official = white_house()
    key = memo.key(letter(), official, {}, "formal")
    memo.keep(key, Renderer().render(letter(), official))
    monkeypatch.setattr(render_memo, "MEMO_LIMIT", 100)
    assert memo.recall(key, official) is None


def test_the_record_is_the_users_alone_and_replaced_whole(memo: RenderMemo) -> None:
    official = white_house()
    first = memo.key(letter(), official, {}, "formal")
    memo.keep(first, Renderer().render(letter(), official))
    second_letter = letter("<p>A second version.</p>")
    second = memo.key(second_letter, official, {}, "formal")
    memo.keep(second, Renderer().render(second_letter, official))

    assert stat.S_IMODE(memo.path.stat().st_mode) == 0o600
    assert [path.name for path in memo.path.parent.iterdir()] == ["preview.json"]
    assert memo.recall(first, official) is None
    recalled = memo.recall(second, official)
    assert recalled is not None and "A second version." in recalled.text


def test_a_cache_folder_that_cannot_be_written_costs_only_the_record(tmp_path: Path) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    memo = RenderMemo(blocked / "preview.json")
    official = white_house()
    key = memo.key(letter(), official, {}, "formal")
    memo.keep(key, Renderer().render(letter(), official))  # no exception
    assert memo.recall(key, official) is None
