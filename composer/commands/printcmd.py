"""``composer print``: print letters (and their envelopes) through the system's print service."""

from __future__ import annotations

import argparse
import logging
from typing import Any

from composer.commands.base import EXIT_OK, CommandContext, CommandError
from composer.commands.render import add_render_options, build_job, render_all
from composer.core.print_history import PrintHistory, PrintHistoryError
from composer.core.settings import load_settings

log = logging.getLogger(__name__)


def register(subparsers: Any) -> None:
    """Add ``print``."""
    parser = subparsers.add_parser(
        "print", help="print the letter on a printer (no dialog), one copy per recipient"
    )
    add_render_options(parser)
    parser.add_argument(
        "--printer",
        metavar="NAME",
        help="the printer (print queue) to use; default: the system's default printer",
    )
    parser.add_argument(
        "--envelope",
        action="store_true",
        help="also print an envelope for each letter, as a second job after the letters",
    )
    parser.add_argument(
        "--copies", type=int, default=1, metavar="N", help="copies of each page (default 1)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, context: CommandContext) -> int:
    """Render the letters, print them, then note them in the print history."""
    if not 1 <= args.copies <= 99:
        raise CommandError("composer: --copies must be between 1 and 99")
    job = build_job(args, context)
    rendered = render_all(job)

    from composer.printing.envelope import (
        EnvelopePages,
        envelope_for_paper,
        return_address_lines,
    )
    from composer.printing.letter_layout import LetterPages
    from composer.printing.output import (
        PrinterError,
        ensure_gui_application,
        open_printer,
        print_items,
    )
    from composer.printing.paper import paper

    ensure_gui_application()  # fonts and the printer list need a (headless) application

    settings = load_settings(context.locations.settings_file)
    spec = paper(job.paper)
    letters = [LetterPages(r, spec, fold_marks=settings.fold_marks) for r in rendered]
    title = rendered[0].subject or "Letter"
    for pages_of in letters:
        problem = pages_of.address_problem()
        if problem:
            context.note(f"composer: {pages_of.rendered.recipient.short_name}: {problem}")
    try:
        printer = open_printer(args.printer)
        name = printer.printerName()
        pages = print_items(printer, letters, title=title, copies=args.copies)
    except PrinterError as error:
        raise CommandError(f"composer: {error}") from error

    history = PrintHistory(context.locations.database_file)
    try:
        for letter, pages_of in zip(rendered, letters, strict=True):
            history.record(
                recipient_id=letter.recipient.id,
                recipient_name=letter.recipient.short_name,
                subject=letter.subject,
                paper=job.paper,
                pages=pages_of.page_count,
                printer=name,
                campaign_id=job.campaign.id,
            )
    except PrintHistoryError as error:
        # The letters are printed; only the note of it is missing. Say so, do not fail.
        log.warning("print history not written: %s", error)
        context.note(f"composer: printed, but not noted in the print history: {error}")
    context.say(f"Sent {pages} page(s) ({len(letters)} letter(s), {job.paper}) to '{name}'.")

    if args.envelope:
        size = envelope_for_paper(job.paper)
        envelopes = EnvelopePages(
            size, return_address_lines(job.letter.sender), [r.address_lines for r in job.recipients]
        )
        try:
            envelope_printer = open_printer(name)
            count = print_items(
                envelope_printer, [envelopes], title=f"Envelopes: {title}", copies=args.copies
            )
        except PrinterError as error:
            raise CommandError(
                f"composer: the letters printed, the envelopes not: {error}"
            ) from error
        context.say(f"Sent {count} envelope(s) ({size.label}) to '{name}'.")
    return EXIT_OK
