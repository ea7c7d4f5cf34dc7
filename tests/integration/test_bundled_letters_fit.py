"""Each office's suggested letter in the bundled campaign: one printed page, at most 350 words.

The letter is rendered by the core renderer and laid out to a PDF by the printing
code, as ``composer render`` does, then read back with poppler (pdfinfo, pdftotext).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from composer.core.campaigns import Campaign, find_campaign
from composer.core.coach import words
from composer.core.compose import new_letter
from composer.core.models import Recipient, Sender, custom_recipient, white_house
from composer.core.render import Renderer
from tests.helpers.pdf import pdf_pages, pdf_text, squash

CAMPAIGN_ID = "protect-russian-defectors"
MAX_WORDS = 350
# Offices whose letters the pack routes arguments to; a pack recipient for them, when
# there is one, supplies the suggested set, otherwise this one (the same paragraphs).
ROUTED_SETS = {
    "attorney-general": [
        "opening-ask-attorney-general",
        "refugee-convention",
        "prosecuted-for-refusing",
        "screening-and-bars",
        "reply-attorney-general",
    ],
    "secretary-of-state": [
        "opening-ask-secretary-of-state",
        "overland-to-neighbors",
        "split-europe-2022",
        "screening-and-bars",
        "reply-secretary-of-state",
    ],
}
# A full sender block and four- or five-line inside addresses: the longest letters print.
SENDER = Sender(
    name="Jane Q. Public",
    street="123 Maple Street\nApt 4B",
    city="Springfield",
    state="IL",
    postal_code="62704",
    email="jane@example.org",
    phone="(217) 555-0143",
)
ADDRESSES = {
    "dhs-secretary": ("Secretary of Homeland Security", "U.S. Department of Homeland Security\nWashington, DC 20528", "Dear Secretary:"),
    "attorney-general": ("The Attorney General", "U.S. Department of Justice\n950 Pennsylvania Avenue NW\nWashington, DC 20530", "Dear Attorney General:"),
    "secretary-of-state": ("The Secretary of State", "U.S. Department of State\n2201 C Street NW\nWashington, DC 20520", "Dear Secretary:"),
    "role:senators": ("The Honorable Jane Roe-Featherstonehaugh", "United States Senate\n331 Hart Senate Office Building\nWashington, DC 20510", "Dear Senator Roe-Featherstonehaugh:"),
    "role:representative": ("The Honorable John Doe", "U.S. House of Representatives\n2138 Rayburn House Office Building\nWashington, DC 20515", "Dear Representative Doe:"),
}  # fmt: skip
# What a writer puts in place of the closing's bracketed prompt: a longer line than the prompt.
PERSONAL = (
    "My grandfather deserted from an army he did not believe in and found refuge here, "
    "and I would like another young man to have the same chance he had."
)
PROMPT = re.compile(r"\[\[[^\]]*own[^\]]*\]\]")


@pytest.fixture(scope="module")
def campaign() -> Campaign:
    return find_campaign(CAMPAIGN_ID)


def suggested_sets(campaign: Campaign) -> dict[str, list[str]]:
    """Every office's suggested arguments: the pack's recipients, then the routed offices."""
    sets = {r.target: list(r.arguments) for r in campaign.recipients}
    for target, ids in ROUTED_SETS.items():
        sets.setdefault(target, ids)
    return sets


def recipient_for(target: str) -> Recipient:
    if target == "white-house":
        return white_house()
    name, address, salutation = ADDRESSES[target]
    return custom_recipient(name, address, salutation)


def test_every_office_has_its_own_suggested_letter(campaign: Campaign) -> None:
    sets = suggested_sets(campaign)
    assert set(sets) >= {
        "white-house",
        "dhs-secretary",
        "attorney-general",
        "secretary-of-state",
        "role:senators",
        "role:representative",
    }
    for target, ids in sets.items():
        assert ids, target
        positions = [campaign.argument(a).position for a in ids]
        # One opening, then at most two reasons and the objection answered, then one closing.
        assert positions[0] == "opening" and positions[-1] == "closing", target
        assert positions.count("opening") == 1 and positions.count("closing") == 1, target
        assert 2 <= positions.count("body") <= 3, target
        for argument_id in ids:
            assert target in campaign.argument(argument_id).recipients, (target, argument_id)


def test_every_suggested_letter_is_one_page_and_at_most_350_words(
    qapp: object, tmp_path: Path, campaign: Campaign
) -> None:
    from composer.printing.letter_layout import LetterPages
    from composer.printing.output import write_pdf
    from composer.printing.paper import A4, LETTER

    if shutil.which("pdfinfo") is None or shutil.which("pdftotext") is None:
        pytest.fail("pdfinfo and pdftotext are needed: install poppler-utils")
    renderer = Renderer(campaign.templates)
    checked = 0
    for target, ids in suggested_sets(campaign).items():
        recipient = recipient_for(target)
        letter = new_letter(
            campaign, ids, sender=SENDER, recipients=[recipient], date=dt.date(2026, 12, 3)
        )
        body_words = sum(len(words(campaign.argument(a).plain_text)) for a in ids)
        assert body_words <= MAX_WORDS, (target, body_words)
        # The closing prompts for a personal line; the letter must still fit once it is written.
        assert PROMPT.search(campaign.argument(ids[-1]).plain_text), target
        personal = new_letter(
            campaign, ids, sender=SENDER, recipients=[recipient], date=dt.date(2026, 12, 3)
        )
        personal.body_html = PROMPT.sub(PERSONAL, personal.body_html)
        # A prompt left in place is not printed: the letter ends with its request.
        request = campaign.argument(ids[-1]).plain_text.split("[[")[0].strip()
        for version, expected in ((letter, request), (personal, PERSONAL)):
            rendered = renderer.render(version, recipient, campaign.template)
            for spec in (LETTER, A4):
                pdf = tmp_path / f"{target.replace(':', '-')}-{spec.name}-{checked}.pdf"
                write_pdf(pdf, [LetterPages(rendered, spec)], title=rendered.subject)
                text = squash(pdf_text(pdf))
                # The whole letter is there: each paragraph's start, the line, the signature.
                for argument_id in ids:
                    start = campaign.argument(argument_id).plain_text.split()[:6]
                    assert " ".join(start) in text, (target, argument_id)
                assert squash(expected) in text, target
                assert "[[" not in text and "Replace this" not in text, target
                assert SENDER.name in text
                assert pdf_pages(pdf) == 1, (target, spec.name, body_words)
                checked += 1
    assert checked == 4 * len(suggested_sets(campaign)) >= 24
