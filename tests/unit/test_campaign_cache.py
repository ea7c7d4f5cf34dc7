"""The parse cache of campaign packs: faster starts, never trusted over the files."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from composer.core import campaigns as campaigns_module
from composer.core.campaigns import bundled_campaign_roots, default_campaign, read_campaign


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    """A copy of the bundled pack, free to change."""
    root = tmp_path / "pack"
    shutil.copytree(str(bundled_campaign_roots()[0]), root)
    return root


def _stored(cache: Path) -> list[Path]:
    return sorted((cache / campaigns_module.PARSE_CACHE_FOLDER).glob("*.pickle"))


def test_a_second_read_comes_from_the_cache_and_equals_a_fresh_parse(
    pack: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    first = read_campaign(pack, cache)
    assert len(_stored(cache)) == 1

    def no_parsing(*args: object) -> None:
        raise AssertionError("the pack was parsed again")

    monkeypatch.setattr(campaigns_module, "_Reader", no_parsing)
    second = read_campaign(pack, cache)
    assert second == first
    assert second[0] is not None and second[0].arguments == first[0].arguments  # type: ignore[union-attr]


def test_a_changed_file_is_read_again_even_with_the_same_size_and_time(
    pack: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    campaign, _problems = read_campaign(pack, cache)
    assert campaign is not None
    argument = next(iter(sorted((pack / "arguments").glob("*.md"))))
    text = argument.read_text(encoding="utf-8")
    before = argument.stat()
    # Same length, same modification time: only the inode and change time tell.
    front, mark, body = text.rpartition("+++")
    changed = front + mark + body.replace(" the ", " THE ", 1)
    assert changed != text and len(changed) == len(text)
    replacement = argument.with_name("new.tmp")
    replacement.write_text(changed, encoding="utf-8")
    os.utime(replacement, ns=(before.st_atime_ns, before.st_mtime_ns))
    os.replace(replacement, argument)

    again, _problems = read_campaign(pack, cache)
    assert again is not None
    assert any("THE" in a.text for a in again.arguments)
    assert again == read_campaign(pack)[0]


def test_a_pack_broken_after_caching_reports_its_problem(pack: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert read_campaign(pack, cache)[1] == []
    toml = pack / "campaign.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("format = 1", "format = 7", 1))

    _campaign, problems = read_campaign(pack, cache)
    assert problems and "format" in str(problems[0])
    assert read_campaign(pack, cache)[1] == problems  # and the same again, from the cache


def test_a_damaged_cache_file_is_only_a_slower_start(pack: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    expected = read_campaign(pack, cache)
    (stored,) = _stored(cache)
    stored.write_bytes(b"not a pickle at all")
    assert read_campaign(pack, cache) == expected
    stored.write_bytes(b"")
    assert read_campaign(pack, cache) == expected


def test_an_unwritable_cache_folder_changes_nothing(pack: Path, tmp_path: Path) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would be")
    assert read_campaign(pack, blocked) == read_campaign(pack)


def test_the_default_campaign_uses_the_cache(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert default_campaign(cache_dir=cache) == default_campaign()
    assert len(_stored(cache)) == 1


def test_a_cache_file_others_could_write_is_not_loaded(
    pack: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    expected = read_campaign(pack, cache)
    (stored,) = _stored(cache)
    assert stored.stat().st_mode & 0o777 == 0o600
    stored.chmod(0o666)

    loaded: list[bytes] = []
    monkeypatch.setattr("pickle.loads", loaded.append)
    assert read_campaign(pack, cache) == expected  # parsed afresh, and stored again
    assert loaded == []  # pickle never saw the file others may write
    assert stored.stat().st_mode & 0o777 == 0o600
