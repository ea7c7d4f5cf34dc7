"""``composer render``: the letter the window would print, from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from composer import __version__
from composer.core.campaigns import default_campaign
from composer.core.models import white_house
from tests.helpers.cli import run_composer
from tests.helpers.pdf import pdf_text, squash

SENDER = """\
name = "Ana Ruiz"
street = "12 Elm Street"
city = "Seattle"
state = "WA"
postal_code = "98105"
email = "ana@example.org"
"""


@pytest.fixture
def sender_file(tmp_path: Path) -> Path:
    path = tmp_path / "sender.toml"
    path.write_text(SENDER, encoding="utf-8")
    return path


def test_render_pdf_has_address_greeting_paragraphs_closing_and_name(
    tmp_path: Path, sender_file: Path
) -> None:
    out = tmp_path / "letter.pdf"
    result = run_composer("render", "--sender", str(sender_file), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "Wrote" in result.stdout
    text = squash(pdf_text(out))
    for part in (
        "The White House",
        "1600 Pennsylvania Avenue NW",
        "Washington, DC 20500",
        "Dear Mr. President:",
        "Respectfully,",
        "Ana Ruiz",
        "12 Elm Street",
    ):
        assert part in text
    campaign = default_campaign()
    # Without --arguments, the President's copy carries what the pack routes to the President.
    for argument_id in campaign.arguments_for(white_house()):
        first_words = " ".join(campaign.argument(argument_id).plain_text.split()[:8])
        assert first_words in text


def test_render_chosen_arguments_on_a4(tmp_path: Path, sender_file: Path) -> None:
    campaign = default_campaign()
    chosen = [a.id for a in campaign.arguments if a.position == "body"][:2]
    out = tmp_path / "letter.txt"
    result = run_composer(
        "render",
        "--sender",
        str(sender_file),
        "--arguments",
        ",".join(chosen),
        "--page",
        "a4",
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    text = squash(out.read_text(encoding="utf-8"))
    for argument_id in chosen:
        assert squash(campaign.argument(argument_id).plain_text) in text
    unchosen = next(a for a in campaign.arguments if a.position == "body" and a.id not in chosen)
    assert squash(unchosen.plain_text) not in text


def test_render_html_is_a_whole_document(tmp_path: Path, sender_file: Path) -> None:
    out = tmp_path / "letter.html"
    assert run_composer("render", "--sender", str(sender_file), "--out", str(out)).returncode == 0
    html = out.read_text(encoding="utf-8")
    assert html.lstrip().startswith("<!DOCTYPE html>")
    assert "Dear Mr. President:" in html


def test_render_without_profile_says_so(tmp_path: Path) -> None:
    result = run_composer("render", "--out", str(tmp_path / "x.txt"))
    assert result.returncode == 0
    assert "no sender profile is saved" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--arguments", "no-such-argument"], "has no argument no-such-argument"),
        (["--to", "nobody-here"], "unknown recipient 'nobody-here'"),
        (["--campaign", "no-such-campaign"], "no campaign with id 'no-such-campaign'"),
        (["--sender", "/nonexistent/sender.toml"], "no such sender file"),
    ],
)
def test_errors_are_one_clear_line(tmp_path: Path, args: list[str], message: str) -> None:
    result = run_composer("render", *args, "--out", str(tmp_path / "x.pdf"))
    assert result.returncode == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_unwritable_output_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run_composer("render", "--out", str(blocker / "letter.pdf"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "letter.pdf" in result.stderr


def test_usage_error_and_version() -> None:
    bad = run_composer("render")
    assert bad.returncode == 2
    assert "--out" in bad.stderr
    version = run_composer("--version")
    assert version.returncode == 0
    assert version.stdout.strip() == f"composer {__version__}"


def test_campaigns_json_lists_arguments_with_sources() -> None:
    import json

    result = run_composer("campaigns", "--json")
    assert result.returncode == 0, result.stderr
    campaigns = json.loads(result.stdout)
    bundled = next(c for c in campaigns if c["id"] == "protect-russian-defectors")
    assert len(bundled["arguments"]) >= 30
    assert all(a["sources"] for a in bundled["arguments"] if a["position"] == "body")


def test_smoke_opens_the_window_and_exits() -> None:
    result = run_composer("--smoke", timeout=60)
    assert result.returncode == 0, result.stderr


def test_smoke_reports_the_first_paint_then_the_finished_window() -> None:
    result = run_composer("--smoke", timeout=60, env={"COMPOSER_SMOKE_TIMESTAMP": "1"})
    assert result.returncode == 0, result.stderr
    stamps = dict(line.split() for line in result.stdout.splitlines())
    assert set(stamps) == {"first-paint", "ready"}
    assert float(stamps["first-paint"]) <= float(stamps["ready"])
