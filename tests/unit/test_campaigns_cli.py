"""``composer campaign check`` and ``composer campaign import`` as a user runs them."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from composer.cli import main

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "docs" / "example-pack"
BUNDLED = REPO / "resources" / "campaigns" / "protect-russian-defectors"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], list[str]]:
    """Run ``composer ARGS`` in this process; the status and the lines of stdout and stderr."""
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out.splitlines(), err.splitlines()


def zip_folder(folder: Path, target: Path, prefix: str = "") -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, prefix + path.relative_to(folder).as_posix())
    return target


def data_campaigns_dir() -> Path:
    """Where the program keeps imported packs (XDG_DATA_HOME points at a temporary folder)."""
    return Path(os.environ["XDG_DATA_HOME"]) / "letter-composer" / "campaigns"


def test_check_passes_the_bundled_pack_and_the_example(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for path in (BUNDLED, EXAMPLE, zip_folder(EXAMPLE, tmp_path / "example.zip")):
        status, out, err = run(capsys, "campaign", "check", str(path))
        assert (status, err) == (0, [])
        assert out[0].startswith(f"{path}: OK: campaign '")


def test_check_reports_every_problem_with_file_line_and_field(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pack = tmp_path / "broken"
    shutil.copytree(EXAMPLE, pack)
    toml = pack / "campaign.toml"
    text = toml.read_text().replace('title = "A protected bike lane on Main Street"\n', "", 1)
    text += '\n[[themes]]\nid = "Safety"\n\n[[recipients]]\ntarget = "white-house"\n'
    text += 'arguments = ["nope"]\n'
    toml.write_text(text)
    lines = text.splitlines()
    themes_3 = lines.index('id = "Safety"') + 1
    recipients_1 = lines.index("[[recipients]]") + 1

    def edit(name: str, old: str, new: str) -> None:
        path = pack / "arguments" / f"{name}.md"
        path.write_text(path.read_text().replace(old, new, 1))

    edit("local-shops", 'theme = "community"', 'theme = "nope"')
    edit("children-ride-to-school", 'position = "body"', 'position = "middle"')
    edit("children-ride-to-school", "sources = []", 'sources = ["missing-source"]')
    edit("separated-lane-safety", "*Separation*", "<b>Separation</b>")
    edit("opening-bike-lane", "+++\n", "+++\n\xff\n")
    (pack / "arguments" / "opening-bike-lane.md").write_bytes(
        (pack / "arguments" / "opening-bike-lane.md").read_bytes().replace(b"\xc3\xbf", b"\xff")
    )
    (pack / "templates").mkdir()
    (pack / "templates" / "email.txt.j2").write_text(
        "{{ recipient.salutation }}\n\n{{ body_text.__class__ }}\n"
    )

    status, out, err = run(capsys, "campaign", "check", str(pack))
    assert status == 1
    assert out == []
    assert sorted(err[:-1]) == sorted(
        f"{pack}/{line}"
        for line in (
            f"campaign.toml:{themes_3}: themes[3].id: 'Safety' is not a valid id: "
            "use lowercase letters, digits and dashes",
            f"campaign.toml:{themes_3 - 1}: themes[3].title: is missing; add it",
            f"campaign.toml:{recipients_1}: recipients[1].label: is missing; add it",
            f"campaign.toml:{recipients_1 + 2}: recipients[1].arguments: recipient 'white-house' "
            "names 'nope', which is not in arguments/",
            "campaign.toml: title: is missing; add it",
            "arguments/children-ride-to-school.md:5: position: 'middle' must be one of: "
            "opening, body, closing",
            "arguments/children-ride-to-school.md:6: sources: 'missing-source' is not declared "
            "under [sources] in campaign.toml",
            "arguments/local-shops.md:4: theme: 'nope' is not a theme of this campaign "
            "(themes: Safety, community, safety)",
            "arguments/separated-lane-safety.md:8: text: HTML is not allowed in arguments; "
            "use **bold** and *italic*",
            "arguments/opening-bike-lane.md:2: is not valid UTF-8 text; save it as UTF-8",
            "templates/email.txt.j2:3: '__class__' reaches for Python internals, "
            "which templates may not use",
        )
    )
    assert err[-1] == f"composer: {pack}: 11 problem(s); the pack cannot be used"


def hostile_zip(tmp_path: Path) -> Path:
    source = zip_folder(EXAMPLE, tmp_path / "hostile.zip")
    link = zipfile.ZipInfo("arguments/passwd.md")
    link.create_system = 3
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    with zipfile.ZipFile(source, "a") as archive:
        archive.writestr(link, "/etc/passwd")
    return source


def test_check_refuses_a_hostile_zip_in_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = hostile_zip(tmp_path)
    status, out, err = run(capsys, "campaign", "check", str(source))
    assert (status, out) == (1, [])
    assert err == [
        f"composer: {source}: refused: 'arguments/passwd.md' is a symbolic link; "
        "links are not allowed in a campaign pack"
    ]


def test_check_of_a_missing_path_says_so(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    status, _out, err = run(capsys, "campaign", "check", str(tmp_path / "nope.zip"))
    assert status == 1
    assert err == [
        f"composer: {tmp_path / 'nope.zip'}: refused: {tmp_path / 'nope.zip'}: no such file or folder"
    ]


def test_import_puts_the_pack_in_the_data_folder_and_lists_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = zip_folder(EXAMPLE, tmp_path / "bike.zip", prefix="bike-lane/")
    status, out, err = run(capsys, "campaign", "import", str(source))
    assert (status, err) == (0, [])
    folder = data_campaigns_dir() / "example-bike-lane"
    assert out == [
        f"Imported 'example-bike-lane' (A protected bike lane on Main Street, 5 arguments) "
        f"into {folder}"
    ]
    assert (folder / "campaign.toml").is_file()

    status, out, err = run(capsys, "campaigns", "--json")
    assert status == 0
    assert [c["id"] for c in json.loads("\n".join(out))] == [
        "protect-russian-defectors",
        "example-bike-lane",
    ]
    bundled = json.loads("\n".join(out))[0]
    assert bundled["reviewed"] == "2026-12-03"
    assert {a["facts_as_of"] for a in bundled["arguments"]} == {"2026-12-03"}

    status, out, err = run(capsys, "campaign", "import", str(source))
    assert status == 1
    assert len(err) == 1
    assert "already imported" in err[0] and "--replace" in err[0]
    status, out, err = run(capsys, "campaign", "import", "--replace", str(EXAMPLE))
    assert (status, err) == (0, [])


def test_import_refuses_a_hostile_zip_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = hostile_zip(tmp_path)
    logs = Path(os.environ["XDG_STATE_HOME"])  # the program's own log may be written

    def everything() -> list[Path]:
        return sorted(p for p in tmp_path.parent.rglob("*") if logs not in (p, *p.parents))

    before = everything()
    status, out, err = run(capsys, "campaign", "import", str(source))
    assert (status, out, len(err)) == (1, [], 1)
    assert "symbolic link" in err[0]
    assert everything() == before
    assert not data_campaigns_dir().exists()


def test_the_installed_command_exits_1_on_a_hostile_pack(tmp_path: Path) -> None:
    source = hostile_zip(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "composer", "campaign", "check", str(source)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1
    assert "symbolic link" in done.stderr
