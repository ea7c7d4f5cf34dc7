"""Mail merge in the core: one letter, a copy per recipient, checked before anything is written."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from composer.core.directory import secretary_of_homeland_security
from composer.core.merge import MailMerge, MergeError, file_names
from composer.core.models import Letter, Recipient, Sender, custom_recipient, white_house
from composer.core.render import RenderedLetter, Renderer, RenderError

SENATOR = Recipient(
    id="C000127",
    name="Maria Cantwell",
    title="United States Senator from Washington",
    salutation="Dear Senator Cantwell:",
    address_lines=(
        "The Honorable Maria Cantwell",
        "United States Senator",
        "915 Second Ave., Suite 3206",
        "Seattle, WA 98174",
    ),
    kind="senator",
    state="WA",
)
COMMISSIONER = Recipient(
    id="H001103",
    name="Pablo José Hernández",
    title="Resident Commissioner from Puerto Rico",
    salutation="Dear Resident Commissioner Hernández:",
    address_lines=("The Honorable Pablo José Hernández", "Caguas, PR 00725"),
    kind="resident-commissioner",
    state="PR",
    district=0,
)


def letter(body: str) -> Letter:
    return Letter(
        sender=Sender(name="Ana Ruiz", street="12 Elm Street", city="Seattle", state="WA"),
        subject="Protect those who refuse to fight",
        body_html=body,
    )


class CountingRenderer(Renderer):
    """The real renderer, counting how many copies it has made."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def render(
        self, letter: Letter, recipient: Recipient, template: str = "formal"
    ) -> RenderedLetter:
        self.count += 1
        return super().render(letter, recipient, template)


def test_each_copy_has_its_own_address_greeting_and_placeholders() -> None:
    body = "<p>I write to you as {{ recipient.title }} about {{ sender.city }}.</p>"
    merge = MailMerge(letter(body), [white_house(), SENATOR, COMMISSIONER], Renderer())

    copies = list(merge.copies())

    assert [copy.salutation for copy in copies] == [
        "Dear Mr. President:",
        "Dear Senator Cantwell:",
        "Dear Resident Commissioner Hernández:",
    ]
    assert copies[1].address_lines == SENATOR.address_lines
    assert "as United States Senator from Washington about Seattle" in copies[1].text
    assert "as Resident Commissioner from Puerto Rico" in copies[2].text
    assert "Dear Senator Cantwell:" not in copies[2].text


def test_a_missing_value_names_every_recipient_and_writes_nothing(tmp_path: Path) -> None:
    body = "<p>Your district is {{ recipient.district }}.</p>"
    merge = MailMerge(letter(body), [white_house(), SENATOR, COMMISSIONER], Renderer())
    written: list[Path] = []

    with pytest.raises(MergeError) as caught:
        merge.to_files(tmp_path, lambda path, copy: written.append(path) or 1)

    assert written == []
    assert [recipient.id for recipient, _ in caught.value.problems] == ["white-house", "C000127"]
    message = str(caught.value)
    assert message.startswith("2 letters cannot be made, nothing was written.")
    # One problem, named once, with the copies it concerns.
    assert "The President, Maria Cantwell: The letter uses recipient.district" in message
    assert message.count("recipient.district") == 1
    assert isinstance(caught.value, RenderError)


def test_files_are_written_in_order_with_progress(tmp_path: Path) -> None:
    merge = MailMerge(letter("<p>Hello.</p>"), [white_house(), SENATOR, COMMISSIONER], Renderer())
    written: list[tuple[str, str]] = []
    seen: list[tuple[int, int, str]] = []

    def write(path: Path, copy: RenderedLetter) -> int:
        written.append((path.name, copy.salutation))
        return 2

    report = merge.to_files(
        tmp_path, write, progress=lambda done, total, who: seen.append((done, total, who.id))
    )

    assert written == [
        ("001-white-house-the-president.pdf", "Dear Mr. President:"),
        ("002-C000127-maria-cantwell.pdf", "Dear Senator Cantwell:"),
        ("003-H001103-pablo-jose-hernandez.pdf", "Dear Resident Commissioner Hernández:"),
    ]
    assert seen == [(1, 3, "white-house"), (2, 3, "C000127"), (3, 3, "H001103")]
    assert report.letters == 3 and report.pages == 6 and not report.cancelled
    assert [path.parent for path in report.files] == [tmp_path] * 3


def test_a_batch_can_be_cancelled_between_letters(tmp_path: Path) -> None:
    recipients = [custom_recipient(f"Person {n}", f"{n} Main St\nTown, ST 00000") for n in range(6)]
    merge = MailMerge(letter("<p>Hello.</p>"), recipients, Renderer())
    written: list[Path] = []

    report = merge.to_files(
        tmp_path,
        lambda path, copy: written.append(path) or 1,
        should_cancel=lambda: len(written) >= 2,
    )

    assert report.cancelled
    assert report.letters == 2 and report.files == written


def test_copies_are_rendered_only_when_the_writer_asks() -> None:
    renderer = CountingRenderer()
    recipients = [custom_recipient(f"Person {n}", "Somewhere") for n in range(50)]
    merge = MailMerge(letter("<p>Hello.</p>"), recipients, renderer)
    merge.check()
    assert renderer.count == 50
    high_water: list[int] = []

    def write_all(copies: Iterator[RenderedLetter]) -> int:
        pages = 0
        for number, _copy in enumerate(copies, start=1):
            # Never more than one copy ahead of what was written.
            high_water.append(renderer.count - 50 - number)
            pages += 1
        return pages

    report = merge.to_one(write_all, check_first=False)

    assert report.pages == 50 and report.letters == 50
    assert set(high_water) == {0}


def test_a_cancelled_combined_batch_ends_the_stream() -> None:
    recipients = [custom_recipient(f"Person {n}", "Somewhere") for n in range(10)]
    merge = MailMerge(letter("<p>Hello.</p>"), recipients, Renderer())
    taken: list[str] = []

    report = merge.to_one(
        lambda copies: sum(1 for copy in copies if not taken.append(copy.salutation)),
        should_cancel=lambda: len(taken) >= 4,
    )

    assert report.cancelled and report.letters == 4 and report.pages == 4


def test_file_names_are_safe_and_distinct() -> None:
    same = custom_recipient("Jo Doe", "x")
    names = file_names([same, same, secretary_of_homeland_security().recipient()])
    assert names == [
        "001-custom-jo-doe.pdf",
        "002-custom-jo-doe.pdf",
        "003-dhs-secretary-secretary-of-homeland-security.pdf",
    ]
    many = file_names([same] * 1200)
    assert many[0] == "0001-custom-jo-doe.pdf" and len(set(many)) == 1200


def test_no_recipients_is_a_plain_error() -> None:
    with pytest.raises(RenderError, match="at least one recipient"):
        MailMerge(letter("<p>x</p>"), [], Renderer())


def test_an_executor_writes_in_parallel_but_reports_in_order(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    recipients = [custom_recipient(f"Person {n}", "Somewhere") for n in range(12)]
    merge = MailMerge(letter("<p>Hello.</p>"), recipients, Renderer())
    seen: list[int] = []

    def write(path: Path, copy: RenderedLetter) -> int:
        path.write_text(copy.salutation, encoding="utf-8")
        return 1

    with ThreadPoolExecutor(3) as pool:
        report = merge.to_files(
            tmp_path,
            write,
            executor=pool,
            max_pending=4,
            progress=lambda done, total, who: seen.append(done),
        )

    assert seen == list(range(1, 13))
    assert report.letters == 12 and report.pages == 12
    assert [path.read_text(encoding="utf-8") for path in report.files] == [
        f"Dear Person {n}:" for n in range(12)
    ]


def test_a_failing_writer_stops_the_batch(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    recipients = [custom_recipient(f"Person {n}", "Somewhere") for n in range(10)]
    merge = MailMerge(letter("<p>Hello.</p>"), recipients, Renderer())

    def write(path: Path, copy: RenderedLetter) -> int:
        if path.name.startswith("003-"):
            raise OSError("disk full")
        return 1

    with ThreadPoolExecutor(2) as pool, pytest.raises(OSError, match="disk full"):
        merge.to_files(tmp_path, write, executor=pool, max_pending=2)
