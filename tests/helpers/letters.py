"""Letters for tests: one that uses every field the program keeps, and a store full of drafts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from composer.core.drafts import DraftStore
from composer.core.letterfile import LetterDocument
from composer.core.models import Letter, Recipient, Sender, white_house


def full_letter() -> Letter:
    return Letter(
        sender=Sender(
            name="Ann Example",
            street="1 Main St\nApt 2",
            city="Springfield",
            state="IL",
            postal_code="62701",
            country="",
            email="ann@example.org",
            phone="555-0100",
        ),
        recipients=[
            white_house(),
            Recipient(
                id="S000001",
                name="Sen. Jane Roe",
                title="Senator",
                salutation="Dear Senator Roe:",
                address_lines=("Sen. Jane Roe", "1 Senate Office Building", "Washington, DC 20510"),
                kind="senator",
                email="",
                state="IL",
                district=None,
                contact_form="https://example.org/contact",
                phone="202-555-0100",
            ),
            Recipient(
                id="R1",
                name="Rep. Joe Doe",
                title="Representative",
                salutation="Dear Representative Doe:",
                address_lines=("Rep. Joe Doe",),
                kind="representative",
                district=7,
            ),
        ],
        subject="Protect those who refuse to fight — «ünïcödé» 🕊",
        body_html="<p>Dear {{ recipient.salutation }}</p><p><b>Bold</b> and <i>more</i>.</p>",
        date=dt.date(2025, 3, 14),
        campaign_id="protect-russian-defectors",
        argument_ids=["opening-citizen-concern", "tps-limits", "reply-congress"],
        complimentary_close="Sincerely,",
        language="en-US",
    )


def fill_drafts(path: Path, count: int = 40, open_by: str | None = None) -> list[str]:
    store = DraftStore(path, owner=open_by)
    ids = [
        store.save(
            None,
            LetterDocument(Letter(subject=f"letter {i}", body_html=f"<p>{i} " + "word " * 600)),
        )
        for i in range(count)
    ]
    store._db().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return ids
