"""``composer envelope``: envelopes for the letters' recipients, as a PDF."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from composer.commands.base import EXIT_OK, CommandContext, CommandError
from composer.commands.render import _sender, recipients_for, warn_terms
from composer.core.fileio import StorageError
from composer.core.models import PRESIDENT_ID, Recipient, Sender
from composer.core.settings import effective_paper, load_settings

SIZE_CHOICES = ("10", "dl", "c5")


def register(subparsers: Any) -> None:
    """Add ``envelope``."""
    parser = subparsers.add_parser(
        "envelope", help="write envelopes (one per recipient) to a PDF for printing"
    )
    parser.add_argument(
        "--to",
        action="append",
        default=[],
        metavar="RECIPIENT_ID",
        help=f"recipient id (repeatable: one envelope each, in this order); default {PRESIDENT_ID}",
    )
    parser.add_argument(
        "--sender", type=Path, metavar="FILE.toml", help="sender profile file (return address)"
    )
    parser.add_argument(
        "--size",
        type=str.lower,
        choices=SIZE_CHOICES,
        help="envelope: 10 (#10, US), dl or c5; default: the one for your paper size",
    )
    parser.add_argument(
        "--out", required=True, type=Path, metavar="FILE.pdf", help="the PDF file to write"
    )
    parser.set_defaults(handler=run)


def default_size(context: CommandContext, country: str = "") -> str:
    """The envelope that goes with the paper size in the settings (or, set to automatic,
    with the sender's `country`, else the system's paper setting)."""
    paper = effective_paper(load_settings(context.locations.settings_file), country)
    return "10" if paper == "letter" else "dl"


def write_envelopes(
    path: Path, sender: Sender, recipients: list[Recipient], size: str, title: str = "Envelopes"
) -> int:
    """Write one envelope per recipient to a PDF; returns the number of envelopes.

    Raises:
        CommandError: the file could not be written.
    """
    from composer.printing.envelope import EnvelopePages, envelope, return_address_lines
    from composer.printing.output import ensure_gui_application, write_pdf

    ensure_gui_application()
    pages = EnvelopePages(
        envelope(size), return_address_lines(sender), [r.address_lines for r in recipients]
    )
    try:
        return write_pdf(path, [pages], title=title)
    except StorageError as error:
        raise CommandError(f"composer: {error}") from error


def run(args: argparse.Namespace, context: CommandContext) -> int:
    """Write the envelopes."""
    if args.out.suffix.lower() != ".pdf":
        raise CommandError(f"composer: {args.out}: envelopes are written as .pdf")
    sender = _sender(args, context)
    # The same office as the letter's: the one nearest the sender.
    recipients = recipients_for(args.to or [PRESIDENT_ID], context.locations, sender)
    warn_terms(context, recipients, by_post=True)
    size = args.size or default_size(context, sender.home_country())
    count = write_envelopes(args.out, sender, recipients, size)
    from composer.printing.envelope import envelope

    context.say(f"Wrote {args.out} ({count} envelope(s), {envelope(size).label}).")
    return EXIT_OK
