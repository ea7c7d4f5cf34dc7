"""Opening and importing campaign packs, and refusing hostile ones without writing anything."""

from __future__ import annotations

import os
import shutil
import stat
import uuid
import zipfile
from pathlib import Path

import pytest

from composer.core.campaigns import CampaignError, available_campaigns, read_campaign
from composer.core.locations import Locations
from composer.core.packs import (
    PackError,
    PackExistsError,
    PackLimits,
    PackTree,
    check_pack,
    import_pack,
    open_pack,
)

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "docs" / "example-pack"


def example_files() -> dict[str, bytes]:
    """The example pack's files, relative path → bytes."""
    return {
        p.relative_to(EXAMPLE).as_posix(): p.read_bytes()
        for p in sorted(EXAMPLE.rglob("*"))
        if p.is_file()
    }


def write_zip(path: Path, entries: list[tuple[str | zipfile.ZipInfo, bytes]]) -> Path:
    """A zip holding exactly `entries` (names are not cleaned up: hostile names stay hostile)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return path


def example_zip(path: Path, prefix: str = "", extra: dict[str, bytes] | None = None) -> Path:
    files = {**example_files(), **(extra or {})}
    return write_zip(path, [(prefix + name, data) for name, data in files.items()])


def snapshot(root: Path) -> set[str]:
    """Every path below `root`, links included but not followed."""
    found: set[str] = set()
    for folder, dirs, files in os.walk(root, followlinks=False):
        for name in dirs + files:
            found.add(os.path.relpath(os.path.join(folder, name), root))
    return found


class Watch:
    """Lists what appeared anywhere in this run's temporary area outside the data folder."""

    def __init__(self, base: Path, data_dir: Path) -> None:
        self.base = base
        self.data = os.path.relpath(data_dir, base)
        self.before: set[str] = set()

    def mark(self) -> None:
        """Remember what is there now."""
        self.before = snapshot(self.base)

    def new_outside_data(self) -> set[str]:
        """What appeared since :meth:`mark`, outside the data folder."""
        after = snapshot(self.base)
        data = self.data
        parents = {str(Path(data).parents[n]) for n in range(len(Path(data).parents) - 1)}
        return {
            p
            for p in after - self.before
            if not (p == data or p.startswith(data + os.sep) or p in parents)
        }


@pytest.fixture
def watch(tmp_path: Path, locations: Locations) -> Watch:
    """Watches the whole temporary area of this test run (tmp_path's parent)."""
    return Watch(tmp_path.parent, locations.data_dir)


def assert_refused(
    source: Path,
    locations: Locations,
    watch: Watch,
    phrase: str,
    limits: PackLimits | None = None,
) -> str:
    """The pack is refused by check and by import, with one line, and nothing is written."""
    watch.mark()
    extra = {"limits": limits} if limits else {}
    with pytest.raises(PackError) as checked:
        check_pack(source, **extra)
    with pytest.raises(PackError) as imported:
        import_pack(source, locations.campaigns_dir, **extra)
    for error in (checked.value, imported.value):
        message = str(error)
        assert phrase in message
        assert "\n" not in message
    assert watch.new_outside_data() == set()
    # Nothing of the pack is in the data folder either: no pack, no half-written import.
    if locations.campaigns_dir.exists():
        assert list(locations.campaigns_dir.iterdir()) == []
    return str(checked.value)


# --- packs that are fine -------------------------------------------------------------------


def test_folder_and_both_zip_shapes_read_like_the_folder(tmp_path: Path) -> None:
    flat = example_zip(tmp_path / "flat.zip")
    nested = example_zip(tmp_path / "nested.zip", prefix="bike-lane/")
    for source in (EXAMPLE, flat, nested):
        campaign, problems = check_pack(source)
        assert problems == []
        assert campaign is not None
        assert campaign.id == "example-bike-lane"
        assert len(campaign.arguments) == 5


def test_import_writes_only_the_pack_into_the_data_folder(
    tmp_path: Path, locations: Locations, watch: Watch
) -> None:
    source = example_zip(tmp_path / "pack.zip", prefix="bike/")
    with zipfile.ZipFile(source, "a") as archive:
        archive.writestr("README.txt", b"a file beside the pack's folder")
    # A file beside the pack's folder makes the shape ambiguous...
    with pytest.raises(PackError, match="single top-level folder"):
        import_pack(source, locations.campaigns_dir)

    source = example_zip(tmp_path / "ok.zip", prefix="bike/")
    with zipfile.ZipFile(source, "a") as archive:
        archive.writestr("__MACOSX/bike/._campaign.toml", b"\x00\x05\x16\x07")
        archive.writestr("bike/README.txt", b"notes for the organizer")
        archive.writestr("bike/notes/draft.md", b"not part of the pack")
    # ...while the archiver's clutter and files the format does not use are left out.
    watch.mark()
    campaign, folder = import_pack(source, locations.campaigns_dir)
    assert folder == locations.campaigns_dir / "example-bike-lane"
    assert campaign.origin == str(folder)
    written = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert written == set(example_files())
    assert [p.name for p in locations.campaigns_dir.iterdir()] == ["example-bike-lane"]
    assert watch.new_outside_data() == set()
    listed = [c.id for _r, c, _p in available_campaigns(locations.campaigns_dir) if c]
    assert "example-bike-lane" in listed


def test_import_of_the_same_id_needs_replace(tmp_path: Path, locations: Locations) -> None:
    import_pack(EXAMPLE, locations.campaigns_dir)
    changed = tmp_path / "changed"
    shutil.copytree(EXAMPLE, changed)
    toml = changed / "campaign.toml"
    toml.write_text(toml.read_text().replace("Main Street", "Elm Street"))
    with pytest.raises(PackExistsError) as raised:
        import_pack(changed, locations.campaigns_dir)
    assert raised.value.campaign.id == "example-bike-lane"
    campaign, _folder = import_pack(changed, locations.campaigns_dir, replace=True)
    assert "Elm Street" in campaign.title
    # No staging or retired folders are left behind.
    assert [p.name for p in locations.campaigns_dir.iterdir()] == ["example-bike-lane"]


def test_pack_with_the_id_of_the_bundled_campaign_is_refused(
    tmp_path: Path, locations: Locations, watch: Watch
) -> None:
    files = example_files()
    files["campaign.toml"] = files["campaign.toml"].replace(
        b'id = "example-bike-lane"', b'id = "protect-russian-defectors"'
    )
    source = write_zip(tmp_path / "dup.zip", list(files.items()))
    campaign, problems = check_pack(source)
    assert campaign is None
    assert [(p.file, p.line, p.field) for p in problems] == [("campaign.toml", 5, "id")]
    assert "comes with the program" in problems[0].message
    watch.mark()
    with pytest.raises(PackError, match="comes with the program"):
        import_pack(source, locations.campaigns_dir)  # import refuses it as well
    assert watch.new_outside_data() == set()


def test_pack_tree_behaves_like_a_folder() -> None:
    tree = PackTree({"campaign.toml": b"x", "arguments/a.md": b"a", "arguments/b.md": b"b"}, "p")
    assert tree.is_dir() and not tree.is_file()
    assert sorted(n.name for n in tree.iterdir()) == ["arguments", "campaign.toml"]
    assert [n.name for n in (tree / "arguments").iterdir()] == ["a.md", "b.md"]
    assert tree.joinpath("arguments", "a.md").read_text() == "a"
    assert not tree.joinpath("missing.md").is_file()
    with pytest.raises(ValueError):
        tree.joinpath("../etc/passwd")
    with pytest.raises(FileNotFoundError):
        tree.joinpath("missing.md").read_bytes()


# --- hostile zips --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "phrase"),
    [
        ("../evil.md", "points outside the pack"),
        ("arguments/../../../../evil.md", "points outside the pack"),
        ("C:/evil.md", "absolute path"),
        ("arguments\\..\\..\\evil.md", "backslashes"),
    ],
)
def test_zip_with_path_traversal_is_refused(
    tmp_path: Path,
    locations: Locations,
    watch: Watch,
    name: str,
    phrase: str,
) -> None:
    source = example_zip(tmp_path / "evil.zip", extra={name: b"pwned"})
    assert_refused(source, locations, watch, phrase)
    assert not (tmp_path / "evil.md").exists()


def test_zip_with_an_absolute_path_is_refused(
    tmp_path: Path, locations: Locations, watch: Watch
) -> None:
    target = Path("/tmp") / f"composer-evil-{uuid.uuid4().hex}.md"
    source = example_zip(tmp_path / "evil.zip")
    with zipfile.ZipFile(source, "a") as archive:
        info = zipfile.ZipInfo("placeholder")
        info.filename = info.orig_filename = str(target)  # ZipInfo would strip the slash
        archive.writestr(info, b"pwned")
    with zipfile.ZipFile(source) as archive:
        assert str(target) in archive.namelist()
    assert_refused(source, locations, watch, "absolute path")
    assert not target.exists()


def test_zip_with_a_symlink_entry_is_refused(
    tmp_path: Path, locations: Locations, watch: Watch
) -> None:
    link = zipfile.ZipInfo("arguments/passwd.md")
    link.create_system = 3  # Unix: the mode bits below are meaningful
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    source = example_zip(tmp_path / "link.zip")
    with zipfile.ZipFile(source, "a") as archive:
        archive.writestr(link, "/etc/passwd")
    message = assert_refused(source, locations, watch, "symbolic link")
    assert "arguments/passwd.md" in message


def test_zip_bomb_one_huge_entry_is_refused(
    tmp_path: Path, locations: Locations, watch: Watch
) -> None:
    source = example_zip(tmp_path / "bomb.zip", extra={"arguments/bomb.md": bytes(50 * 2**20)})
    assert source.stat().st_size < 200 * 1024  # 50 MiB of zeros squeezed into a small zip
    assert_refused(source, locations, watch, "larger than 256 KiB once unpacked")


def test_zip_bomb_by_compression_ratio_is_refused(
    tmp_path: Path, locations: Locations, watch: Watch
) -> None:
    # Under the size limit for one file, but it grows a thousandfold.
    source = example_zip(tmp_path / "ratio.zip", extra={"arguments/zeros.md": bytes(200 * 1024)})
    assert_refused(source, locations, watch, "zip bomb")


def test_zip_bomb_by_total_size_is_refused(
    tmp_path: Path, locations: Locations, watch: Watch
) -> None:
    limits = PackLimits(total_bytes=1 * 2**20)
    extra = {f"arguments/filler-{n}.md": os.urandom(200 * 1024) for n in range(6)}
    source = example_zip(tmp_path / "total.zip", extra=extra)
    assert_refused(source, locations, watch, "more than 1 MiB", limits)


def test_zip_with_too_many_entries_is_refused(
    tmp_path: Path, locations: Locations, watch: Watch
) -> None:
    extra = {f"arguments/a{n}.md": b"x" for n in range(700)}
    source = example_zip(tmp_path / "many.zip", extra=extra)
    assert_refused(source, locations, watch, "entries")


def test_header_sizes_are_not_trusted(tmp_path: Path, locations: Locations, watch: Watch) -> None:
    # An entry whose header claims 10 bytes while its stream holds far more.
    source = example_zip(tmp_path / "liar.zip", extra={"arguments/liar.md": bytes(300 * 1024)})
    raw = bytearray(source.read_bytes())
    with zipfile.ZipFile(source) as archive:
        info = archive.getinfo("arguments/liar.md")
    real = info.file_size.to_bytes(4, "little")
    fake = (10).to_bytes(4, "little")
    assert raw.count(real) >= 2  # local header and central directory
    raw = raw.replace(real, fake)
    source.write_bytes(bytes(raw))
    with zipfile.ZipFile(source) as archive:
        assert archive.getinfo("arguments/liar.md").file_size == 10
    # The stream is read as it is, and it does not match what the header claims.
    assert_refused(source, locations, watch, "damaged")


def test_deeply_nested_zip_is_refused(tmp_path: Path, locations: Locations, watch: Watch) -> None:
    prefix = "a/b/c/d/e/f/g/"
    source = example_zip(tmp_path / "deep.zip", prefix=prefix)
    assert_refused(source, locations, watch, "folders deep")


def test_zip_with_the_same_file_twice_is_refused(
    tmp_path: Path, locations: Locations, watch: Watch
) -> None:
    source = example_zip(tmp_path / "twice.zip")
    with (
        pytest.warns(UserWarning, match="Duplicate name"),
        zipfile.ZipFile(source, "a") as archive,
    ):
        archive.writestr("arguments/local-shops.md", b"+++\nid = 'local-shops'\n+++\nother")
    assert_refused(source, locations, watch, "appears twice")


def test_zip_with_names_differing_only_in_case_is_refused(
    tmp_path: Path, locations: Locations, watch: Watch
) -> None:
    source = example_zip(tmp_path / "case.zip", extra={"Campaign.toml": b"id = 'x'"})
    assert_refused(source, locations, watch, "appears twice")


def test_encrypted_entry_is_refused(tmp_path: Path, locations: Locations, watch: Watch) -> None:
    source = example_zip(tmp_path / "secret.zip", extra={"arguments/secret.md": b"hidden"})
    raw = bytearray(source.read_bytes())
    # zipfile cannot write encrypted entries: set the "encrypted" flag in both headers by hand.
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := raw.find(signature, start)) != -1:
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            if raw[name_at : name_at + 19] == b"arguments/secret.md":
                raw[start + offset] |= 0x1
            start += 4
    source.write_bytes(bytes(raw))
    with zipfile.ZipFile(source) as archive:
        assert archive.getinfo("arguments/secret.md").flag_bits & 0x1
    assert_refused(source, locations, watch, "encrypted")


def test_damaged_zip_is_refused(tmp_path: Path, locations: Locations, watch: Watch) -> None:
    good = example_zip(tmp_path / "good.zip").read_bytes()
    source = tmp_path / "damaged.zip"
    source.write_bytes(good[: len(good) // 2])
    assert_refused(source, locations, watch, "damaged")


def test_zip_that_is_not_a_pack_is_refused(
    tmp_path: Path, locations: Locations, watch: Watch
) -> None:
    files = example_files()
    entries = [(f"one/{k}", v) for k, v in files.items()] + [("two/x.md", b"x")]
    source = write_zip(tmp_path / "shape.zip", entries)
    assert_refused(source, locations, watch, "no campaign.toml")


def test_file_that_is_neither_folder_nor_zip_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "pack.toml"
    source.write_text("id = 'x'")
    with pytest.raises(PackError, match=r"neither a pack folder nor a \.zip"):
        open_pack(source)
    with pytest.raises(PackError, match="no such file"):
        open_pack(tmp_path / "missing")


# --- hostile folders -----------------------------------------------------------------------


@pytest.fixture
def folder_pack(tmp_path: Path) -> Path:
    pack = tmp_path / "pack"
    shutil.copytree(EXAMPLE, pack)
    return pack


def test_folder_with_a_linked_argument_is_refused(
    folder_pack: Path, tmp_path: Path, locations: Locations, watch: Watch
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("the contents of a private file")
    (folder_pack / "arguments" / "stolen.md").symlink_to(secret)
    assert_refused(folder_pack, locations, watch, "symbolic link")
    # read_campaign on the folder itself refuses the link too (the window reads packs so).
    _campaign, problems = read_campaign(folder_pack)
    assert any("links are not allowed" in p.message for p in problems)


def test_folder_with_a_linked_arguments_folder_is_refused(
    folder_pack: Path, tmp_path: Path, locations: Locations, watch: Watch
) -> None:
    shutil.move(folder_pack / "arguments", tmp_path / "elsewhere")
    (folder_pack / "arguments").symlink_to(tmp_path / "elsewhere")
    assert_refused(folder_pack, locations, watch, "symbolic link")
    _campaign, problems = read_campaign(folder_pack)
    assert str(problems[0]) == (
        "arguments: links are not allowed in a campaign pack; copy it instead"
    )


def test_folder_with_an_enormous_file_is_refused(
    folder_pack: Path, locations: Locations, watch: Watch
) -> None:
    big = folder_pack / "arguments" / "big.md"
    with big.open("wb") as handle:
        handle.truncate(5 * 2**30)  # 5 GiB, sparse: it must be refused without being read
    assert_refused(folder_pack, locations, watch, "a pack file may be at most 256 KiB")


def test_folder_with_a_fifo_is_refused(
    folder_pack: Path, locations: Locations, watch: Watch
) -> None:
    os.mkfifo(folder_pack / "arguments" / "pipe.md")  # reading it would block for ever
    assert_refused(folder_pack, locations, watch, "special file")
    _campaign, problems = read_campaign(folder_pack)
    assert any("not an ordinary file" in p.message for p in problems)


def test_folder_that_is_not_a_pack_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PackError, match=r"holds no campaign\.toml"):
        open_pack(tmp_path)


# --- hostile content: checked, reported with file and line, never imported -----------------


def test_invalid_utf8_is_reported_with_file_and_line(
    folder_pack: Path, locations: Locations, watch: Watch
) -> None:
    path = folder_pack / "arguments" / "local-shops.md"
    path.write_bytes(path.read_bytes().replace(b"+++\n", b"+++\n\xff\xfe broken\n", 1))
    watch.mark()
    campaign, problems = check_pack(folder_pack)
    assert campaign is None
    assert [str(p) for p in problems] == [
        "arguments/local-shops.md:2: is not valid UTF-8 text; save it as UTF-8"
    ]
    with pytest.raises(CampaignError):
        import_pack(folder_pack, locations.campaigns_dir)
    assert watch.new_outside_data() == set()
    assert not locations.campaigns_dir.exists() or not any(locations.campaigns_dir.iterdir())


@pytest.mark.parametrize(
    "code",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{% for x in range(10) %}{{ x }}{% endfor %}",
        "{{ cycler.__init__.__globals__.os }}",
    ],
)
def test_template_code_in_an_argument_is_refused(
    tmp_path: Path, locations: Locations, watch: Watch, code: str
) -> None:
    files = example_files()
    files["arguments/local-shops.md"] += f"\n\nAnd then {code} happens.\n".encode()
    source = write_zip(tmp_path / "code.zip", list(files.items()))
    watch.mark()
    campaign, problems = check_pack(source)
    assert campaign is None
    assert len(problems) == 1
    assert problems[0].file == "arguments/local-shops.md"
    assert problems[0].field == "text"
    assert "template code is not allowed" in problems[0].message
    assert problems[0].line == files["arguments/local-shops.md"].decode().count("\n")
    with pytest.raises(CampaignError):
        import_pack(source, locations.campaigns_dir)
    assert watch.new_outside_data() == set()


@pytest.mark.parametrize(
    ("code", "phrase"),
    [
        ("{{ ''.__class__.__mro__ }}", "Python internals"),
        ("{{ self._TemplateReference__context }}", "Python internals"),
        ("{{ body|attr('__cla' ~ 'ss__') }}", "'attr' filter"),
        ("{{ 'x'|attr('mro') }}", "'attr' filter"),
        ("{{ body['__init__'] }}", "Python internals"),
        ("{{ 9 ** 9 ** 9 }}", "arithmetic"),
        ("{{ 'x' * 1000000000 }}", "arithmetic"),
        (
            "{% for i in range(99999) %}{% for j in range(99999) %}x{% endfor %}{% endfor %}",
            "range",
        ),
        ("{{ lipsum(100000) }}", "lipsum"),
        ("{% if %}", "syntax error"),
    ],
)
def test_hostile_pack_template_is_refused_by_check(
    tmp_path: Path, locations: Locations, code: str, phrase: str
) -> None:
    files = example_files()
    files["templates/formal.html.j2"] = f"<p>{{{{ salutation }}}}</p>\n{code}\n".encode()
    source = write_zip(tmp_path / "template.zip", list(files.items()))
    campaign, problems = check_pack(source)
    assert campaign is None
    assert problems, code
    assert all(p.file == "templates/formal.html.j2" for p in problems)
    assert any(phrase in p.message for p in problems), [str(p) for p in problems]
    assert all(p.line == 2 for p in problems)
    with pytest.raises(CampaignError):
        import_pack(source, locations.campaigns_dir)


def test_pack_template_names_are_checked(tmp_path: Path) -> None:
    files = example_files()
    files["templates/Formal.html.j2"] = b"x"
    files["templates/notes.md"] = b"x"
    files["campaign.toml"] = files["campaign.toml"].replace(
        b'template = "formal"', b'template = "fancy"'
    )
    source = write_zip(tmp_path / "names.zip", list(files.items()))
    _campaign, problems = check_pack(source)
    assert sorted(str(p) for p in problems) == sorted(
        [
            "campaign.toml:10: template: 'fancy' is not a template of this program or of "
            "the pack (missing fancy.html.j2 and fancy.txt.j2 in templates/)",
            "templates/Formal.html.j2: is not a template: names look like 'formal.html.j2' or "
            "'formal.txt.j2' (lowercase letters, digits, dashes)",
        ]
    )
