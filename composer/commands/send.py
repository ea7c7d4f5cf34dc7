"""``composer send``: render the letter as e-mail, queue it in the outbox, then send it.

Exit status: 0 when the server accepted every letter, 75 when letters stay
queued for later (offline, server unreachable, a temporary refusal), 1 on a
permanent refusal or when the account needs attention. One clear line in
each case (details of each letter with several letters).
"""

from __future__ import annotations

import argparse
from typing import Any

from composer.commands.account import require_account
from composer.commands.base import EXIT_FAILURE, CommandContext, CommandError
from composer.commands.outbox import flush_outbox, open_outbox, say_report
from composer.commands.render import add_render_options, build_job, render_all
from composer.core.accounts import AccountError
from composer.core.mail import (
    MailAddress,
    MailError,
    build_letter_messages,
    parse_address_field,
    parse_address_list,
)
from composer.core.outbox import OutboxError
from composer.core.render import RenderedLetter
from composer.core.transport import DEFAULT_TIMEOUT


def register(subparsers: Any) -> None:
    """Add ``send``."""
    parser = subparsers.add_parser(
        "send",
        help="e-mail the letter through your account (queued first, then sent)",
        description=(
            "Render the letter for each recipient, queue the e-mails in the outbox and "
            "send them. Exit 0: accepted by the server; 75: still queued (will be "
            "retried); 1: refused, or the account needs attention."
        ),
    )
    add_render_options(parser)
    parser.add_argument(
        "--to-email",
        action="append",
        default=[],
        metavar="ADDR",
        help=(
            "send to this address (repeatable); default: the recipient's address from "
            "the directory. With several recipients, give one per recipient, in order"
        ),
    )
    parser.add_argument("--cc", action="append", default=[], metavar="ADDR", help="visible copy")
    parser.add_argument(
        "--copy-to-me", action="store_true", help="also deliver a copy to your own address"
    )
    parser.add_argument(
        "--queue-only", action="store_true", help="only queue the letters; send them later"
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.add_argument(
        "--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS", help="per step"
    )
    parser.set_defaults(handler=run)


def _fail(message: str, status: int = EXIT_FAILURE) -> CommandError:
    return CommandError(f"composer send: {message}", status)


def _addresses_for(rendered: list[RenderedLetter], to_email: list[str]) -> list[list[MailAddress]]:
    """Who each rendered letter goes to.

    Raises:
        CommandError: an address is malformed, a recipient has none, or the
            number of --to-email does not fit the recipients.
    """
    try:
        given = [address for text in to_email for address in parse_address_field(text, "To")]
    except MailError as error:
        raise _fail(f"{error}") from None
    if given:
        if len(rendered) == 1:
            return [given]
        if len(given) == len(rendered):
            return [[address] for address in given]
        raise _fail(
            f"{len(rendered)} recipients but {len(given)} --to-email addresses: give one "
            "address per recipient, in the same order (or none to use the directory's)."
        )
    chosen: list[list[MailAddress]] = []
    for letter in rendered:
        recipient = letter.recipient
        if not recipient.email.strip():
            where = f" ({recipient.contact_form})" if recipient.contact_form else ""
            raise _fail(
                f"{recipient.short_name} has no e-mail address in the directory; officials "
                f"often take messages through a web form{where}. Give an address with "
                "--to-email, or print the letter."
            )
        name = recipient.name or recipient.short_name
        try:
            chosen.append(parse_address_field(recipient.email, "To", display_name=name))
        except MailError as error:
            raise _fail(f"{recipient.short_name}: {error}") from None
    return chosen


def run(args: argparse.Namespace, context: CommandContext) -> int:
    """Render, queue, then send; returns 0, 75 or 1 (see the module's docstring)."""
    account = require_account(context)
    try:
        sender = account.sender_address()
    except AccountError as error:
        raise _fail(str(error)) from None
    try:
        cc = parse_address_list(args.cc, "Cc")
    except MailError as error:
        raise _fail(str(error)) from None
    job = build_job(args, context, by_post=False)
    rendered = render_all(job, job.campaign.email_template)
    try:
        messages = build_letter_messages(
            rendered, sender, _addresses_for(rendered, args.to_email), cc, args.copy_to_me
        )
    except MailError as error:
        raise _fail(str(error)) from None

    outbox = open_outbox(context)
    try:
        ids = [outbox.enqueue(message, campaign_id=job.campaign.id) for message in messages]
    except OutboxError as error:
        raise _fail(f"nothing was queued: {error}") from None
    finally:
        outbox.close()
    if args.queue_only:
        count = len(ids)
        context.say(
            f"Queued {count} letter{'s' if count != 1 else ''} in the outbox; send with "
            "'composer outbox flush'."
        )
        return 0
    report = flush_outbox(context, args.timeout, ids)
    say_report(context, report, args.json)
    return report.exit_status()
