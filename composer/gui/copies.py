"""Each copy of a letter to several officials carries the paragraphs meant for its office.

The letter in the editor is one text. When it goes to several officials, each
copy keeps everything the writer wrote or edited, drops the campaign's
unchanged paragraphs that are meant for other offices only, and gains the
paragraphs written for its own office that the letter does not have yet.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QTextCursor, QTextDocument, QTextDocumentFragment

from composer.core.campaigns import Campaign
from composer.core.coach import Coach
from composer.core.models import Recipient
from composer.core.rendered import body_fragment


def _paragraphs(document: QTextDocument, coach: Coach) -> list[tuple[str, str | None]]:
    """Each block as HTML, with the campaign argument it is an unchanged copy of (or None)."""
    found: list[tuple[str, str | None]] = []
    block = document.begin()
    while block.isValid():
        cursor = QTextCursor(block)
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
        html = body_fragment(QTextDocumentFragment(cursor).toHtml())
        # Qt's HTML reader keeps only what lies between these markers, so they must go.
        html = html.replace("<!--StartFragment-->", "").replace("<!--EndFragment-->", "")
        report = coach.assess(block.text()).paragraphs
        stock = report[0].argument_id if report and report[0].own_words == 0 else None
        found.append((html or "<p></p>", stock))
        block = block.next()
    return found


def copy_bodies(
    document: QTextDocument, campaign: Campaign, coach: Coach, recipients: Sequence[Recipient]
) -> dict[str, str]:
    """The body of each copy, by recipient id, where it differs from the letter as written."""
    if len(recipients) < 2:
        return {}
    paragraphs = _paragraphs(document, coach)
    present = {stock for _html, stock in paragraphs if stock}
    bodies: dict[str, str] = {}
    by_office: dict[tuple[object, ...], str] = {}
    for recipient in recipients:
        keep = tuple(not stock or campaign.suits(stock, recipient) for _html, stock in paragraphs)
        added = tuple(a for a in campaign.written_for(recipient) if a not in present)
        if all(keep) and not added:
            continue
        key = (*keep, *added)
        if key not in by_office:
            by_office[key] = _assemble(campaign, paragraphs, keep, added)
        bodies[recipient.id] = by_office[key]
    return bodies


def _assemble(
    campaign: Campaign,
    paragraphs: list[tuple[str, str | None]],
    keep: tuple[bool, ...],
    added: tuple[str, ...],
) -> str:
    kept = [(html, stock) for (html, stock), wanted in zip(paragraphs, keep, strict=True) if wanted]
    parts = [html for html, _stock in kept]
    closing_at = next(
        (
            index
            for index, (_html, stock) in enumerate(kept)
            if stock and campaign.argument(stock).position == "closing"
        ),
        len(parts),
    )
    openings: list[str] = []
    bodies: list[str] = []
    closings: list[str] = []
    for argument_id in added:
        argument = campaign.argument(argument_id)
        {"opening": openings, "closing": closings}.get(argument.position, bodies).append(
            argument.html
        )
    parts = [*openings, *parts[:closing_at], *bodies, *parts[closing_at:], *closings]
    return "<html><body>" + "".join(parts) + "</body></html>"
