"""A combined PDF printed double-sided: every letter starts on a new sheet."""

from __future__ import annotations

from pathlib import Path

from tests.helpers.cli import run_composer
from tests.helpers.pdf import pdf_pages, pdf_text

SHORT = ("--arguments", "opening-citizen-concern,reply-congress")  # a one-page letter
TO = ("--to", "white-house", "--to", "C000127", "--to", "M001111")


def combined(tmp_path: Path, *extra: str) -> Path:
    out = tmp_path / f"all{'-'.join(extra)}.pdf"
    result = run_composer("render", *SHORT, *TO, "--combined", *extra, "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


def test_a_blank_back_follows_each_letter_with_an_odd_page_count(tmp_path: Path) -> None:
    one = tmp_path / "one.pdf"
    assert run_composer("render", *SHORT, "--to", "white-house", "--out", str(one)).returncode == 0
    assert pdf_pages(one) == 1

    out = combined(tmp_path)

    assert pdf_pages(out) == 6
    pages = pdf_text(out).split("\f")[:6]
    assert ["Dear" in page for page in pages] == [True, False] * 3
    assert [page.strip() for page in pages[1::2]] == ["", "", ""]


def test_one_sided_leaves_no_blank_pages(tmp_path: Path) -> None:
    out = combined(tmp_path, "--one-sided")
    assert pdf_pages(out) == 3
    assert all("Dear" in page for page in pdf_text(out).split("\f")[:3])
