"""An address too long for the envelope window: shortened by USPS Publication 28's rules,
or refused with a clear message; never printed over the letter."""

from __future__ import annotations

from pathlib import Path

import pytest

from composer.core.models import Recipient, Sender, custom_recipient
from composer.printing.paper import LETTER
from tests.helpers.pdf_layout import pdf_layout

SENDER = Sender(
    name="Ana Ruiz", street="12 Elm Street", city="Seattle", state="WA", postal_code="98105"
)
LONG_STREET = "12345 Martin Luther King Junior Boulevard Northwest, Suite 1200"
TOO_BIG = "\n".join(f"Line {n} of an address far too long for any window at all" for n in range(8))


def _pages(recipient: Recipient):
    from composer.core.campaigns import default_campaign
    from composer.core.compose import new_letter
    from composer.core.render import Renderer
    from composer.printing.letter_layout import LetterPages

    campaign = default_campaign()
    letter = new_letter(campaign, sender=SENDER, recipients=[recipient])
    rendered = Renderer(campaign.templates).render(letter, recipient, campaign.template)
    return LetterPages(rendered, LETTER)


def test_an_address_that_fits_only_shortened_is_printed_shortened_in_the_window(
    qapp: object, tmp_path: Path
) -> None:
    from composer.printing.output import write_pdf

    recipient = custom_recipient(
        "The Honorable Pat Adams", f"Senate Office Building\n{LONG_STREET}\nSeattle, WA 98174"
    )
    pages = _pages(recipient)
    assert pages.address_problem() is None and pages.address_shortened
    pdf = tmp_path / "shortened.pdf"
    write_pdf(pdf, [pages])
    _sizes, lines = pdf_layout(pdf)
    page = [line.text for line in lines if line.page == 1]
    (street,) = [line for line in lines if line.page == 1 and line.text.startswith("12345")]
    # Too long for the window at 10 pt even abbreviated: the suite goes on the line above
    # (Publication 28), and the street line stays whole directly above the city line.
    assert street.text == "12345 Martin Luther King Junior Blvd NW"
    assert page[page.index(street.text) - 1 : page.index(street.text) + 2] == [
        "Ste 1200",
        street.text,
        "Seattle, WA 98174",
    ]
    window = LETTER.window
    assert street.inside(window.x - 0.3, window.y - 0.3, window.right + 0.3, window.bottom + 0.3)
    assert any(line.text == "Senate Office Building" for line in lines)  # a name: unchanged


def test_an_address_that_cannot_fit_is_refused_and_nothing_is_written(
    qapp: object, tmp_path: Path
) -> None:
    from composer.printing.envelope import ENVELOPE_10_SPEC, EnvelopePages
    from composer.printing.output import AddressDoesNotFit, write_pdf

    recipient = custom_recipient("Chair of a Subcommittee with a Long Name", TOO_BIG)
    pages = _pages(recipient)
    pdf = tmp_path / "refused.pdf"
    with pytest.raises(AddressDoesNotFit, match="too many lines for the envelope window"):
        write_pdf(pdf, [pages])
    assert not pdf.exists() and not list(tmp_path.iterdir())
    wide = [line * 3 for line in recipient.address_lines]  # even an envelope is too narrow
    envelopes = EnvelopePages(ENVELOPE_10_SPEC, [], [wide])
    with pytest.raises(AddressDoesNotFit, match="too long for the envelope"):
        write_pdf(tmp_path / "envelope.pdf", [envelopes])
    assert not list(tmp_path.iterdir())


def test_the_preview_never_draws_an_address_over_the_letter(qapp: object) -> None:
    """Below the window, the page with a far too long address is the very same as the
    page with a short one: nothing of the address runs into the subject or the text."""
    short = _pages(custom_recipient("Pat Adams", "1 Main Street\nSeattle, WA 98174"))
    huge = _pages(custom_recipient("Pat Adams", TOO_BIG))
    dpi = 72
    below = int((LETTER.window.bottom + 1) / 25.4 * dpi)
    first, second = short.page_image(0, dpi), huge.page_image(0, dpi)
    height, width = first.height(), first.width()
    assert (height, width) == (second.height(), second.width())
    differing = [
        (x, y)
        for y in range(below, height, 2)
        for x in range(0, width, 2)
        if first.pixel(x, y) != second.pixel(x, y)
    ]
    assert differing == []
