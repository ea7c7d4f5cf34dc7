"""Putting a letter together from a campaign: the chosen arguments become the body."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from composer.core.campaigns import Campaign
from composer.core.models import Letter, Recipient, Sender

POSITION_ORDER = {"opening": 0, "body": 1, "closing": 2}


def order_arguments(campaign: Campaign, argument_ids: Sequence[str]) -> list[str]:
    """Keep the user's order, but put openings first and closings last."""
    known = [a for a in argument_ids if _exists(campaign, a)]
    return sorted(known, key=lambda a: POSITION_ORDER.get(campaign.argument(a).position, 1))


def _exists(campaign: Campaign, argument_id: str) -> bool:
    try:
        campaign.argument(argument_id)
    except KeyError:
        return False
    return True


def body_html(campaign: Campaign, argument_ids: Sequence[str]) -> str:
    """The HTML body made of the chosen arguments, in the given order.

    Raises:
        KeyError: an id is not an argument of the campaign.
    """
    return "".join(campaign.argument(a).html for a in argument_ids)


def new_letter(
    campaign: Campaign,
    argument_ids: Sequence[str] | None = None,
    *,
    sender: Sender | None = None,
    recipients: Sequence[Recipient] = (),
    subject: str | None = None,
    date: dt.date | None = None,
) -> Letter:
    """A letter from a campaign with the chosen (or the default) arguments.

    Raises:
        KeyError: an argument id is not in the campaign.
    """
    chosen = list(campaign.default_arguments if argument_ids is None else argument_ids)
    return Letter(
        sender=sender or Sender(),
        recipients=list(recipients),
        subject=campaign.default_subject if subject is None else subject,
        body_html=body_html(campaign, chosen),
        date=date or dt.date.today(),
        campaign_id=campaign.id,
        argument_ids=chosen,
        complimentary_close=campaign.complimentary_close,
        language=campaign.language,
    )


def routed_letter(
    campaign: Campaign,
    recipients: Sequence[Recipient],
    *,
    sender: Sender | None = None,
    subject: str | None = None,
    date: dt.date | None = None,
) -> Letter:
    """A letter whose copies each carry the paragraphs routed to their recipient's office.

    The first recipient's paragraphs make the common body; a copy whose
    paragraphs differ gets its own (``Letter.copy_bodies``). Without a
    subject, the one the pack suggests is used when every recipient shares
    it, else the campaign's default subject.

    Raises:
        KeyError: the pack routes an argument it does not have.
    """
    bodies: dict[tuple[str, ...], str] = {}
    routed: list[tuple[Recipient, tuple[str, ...]]] = []
    for recipient in recipients:
        chosen = campaign.arguments_for(recipient)
        if chosen not in bodies:  # 537 members share a handful of bodies
            bodies[chosen] = body_html(campaign, chosen)
        routed.append((recipient, chosen))
    first = routed[0][1] if routed else campaign.default_arguments
    if subject is None:
        subjects = {campaign.subject_for(r) for r in recipients}
        subject = subjects.pop() if len(subjects) == 1 else campaign.default_subject
    letter = new_letter(
        campaign, list(first), sender=sender, recipients=recipients, subject=subject, date=date
    )
    letter.copy_bodies = {r.id: bodies[chosen] for r, chosen in routed if chosen != first}
    return letter
