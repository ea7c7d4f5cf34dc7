"""Putting a letter together from a campaign: the chosen arguments become the body."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from composer.core.campaigns import Campaign
from composer.core.models import Letter, Recipient, Sender

POSITION_ORDER = {"opening": 0, "body": 1, "closing": 2}


def order_arguments(campaign: Campaign, argument_ids: Sequence[str]) -> list[str]:
    """Keep the user's order, but put openings first and closings last (unknown ids go)."""
    known = [a for a in argument_ids if _exists(campaign, a)]
    return sorted(known, key=lambda a: _rank(campaign, a))


def _rank(campaign: Campaign, argument_id: str) -> int:
    return POSITION_ORDER.get(campaign.argument(argument_id).position, 1)


def is_letter_order(campaign: Campaign, argument_ids: Sequence[str]) -> bool:
    """Whether the ids are in an order a letter can have: openings first, closings last,
    no id twice, at most one opening and one closing.

    Raises:
        KeyError: an id is not an argument of the campaign.
    """
    ranks = [_rank(campaign, a) for a in argument_ids]
    return (
        ranks == sorted(ranks)
        and len(set(argument_ids)) == len(argument_ids)
        and ranks.count(0) <= 1
        and ranks.count(2) <= 1
    )


def with_argument(campaign: Campaign, chosen: Sequence[str], argument_id: str) -> list[str]:
    """The chosen ids once `argument_id` is ticked, in letter order.

    An opening goes first and replaces the opening already chosen; a closing
    goes last and replaces the closing; a body argument goes after the other
    body arguments, before the closing.

    Raises:
        KeyError: an id is not an argument of the campaign.
    """
    rank = _rank(campaign, argument_id)
    kept = [a for a in chosen if a != argument_id and (rank == 1 or _rank(campaign, a) != rank)]
    at = sum(1 for a in kept if _rank(campaign, a) <= rank)
    return [*kept[:at], argument_id, *kept[at:]]


def moved(campaign: Campaign, chosen: Sequence[str], argument_id: str, step: int) -> list[str]:
    """The chosen ids with one moved `step` places (-1 up, 1 down); unchanged when the
    move would leave the letter's order (an argument above the opening, or below the
    closing, or off either end).

    Raises:
        KeyError: an id is not an argument of the campaign.
    """
    ids = list(chosen)
    if argument_id not in ids:
        return ids
    index = ids.index(argument_id)
    target = index + step
    if not 0 <= target < len(ids) or step not in (-1, 1):
        return ids
    ids[index], ids[target] = ids[target], ids[index]
    return ids if is_letter_order(campaign, ids) else list(chosen)


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
    """A letter from a campaign with the chosen (or the default) arguments, in letter
    order: openings first and closings last, the others in the order given.

    Raises:
        KeyError: an argument id is not in the campaign.
    """
    given = list(campaign.default_arguments if argument_ids is None else argument_ids)
    for argument_id in given:
        campaign.argument(argument_id)  # an unknown id is an error, not silently dropped
    chosen = order_arguments(campaign, given)
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
