"""``composer render``: write a letter to PDF, HTML or plain text with the window's own code."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from composer.commands.base import EXIT_OK, CommandContext, CommandError
from composer.core.campaigns import Campaign, CampaignError, default_campaign, find_campaign
from composer.core.compose import new_letter
from composer.core.fileio import StorageError, atomic_write_text
from composer.core.locations import Locations
from composer.core.models import PRESIDENT_ID, Letter, Recipient, Sender, white_house
from composer.core.profile import ProfileError, load_saved_sender, load_sender
from composer.core.render import RenderedLetter, Renderer, RenderError
from composer.core.settings import effective_paper, load_settings

OUTPUT_SUFFIXES = (".pdf", ".html", ".txt")


def register(subparsers: Any) -> None:
    """Add ``render``."""
    parser = subparsers.add_parser("render", help="write a letter to a PDF, HTML or text file")
    add_render_options(parser)
    parser.add_argument(
        "--out",
        required=True,
        type=Path,
        metavar="FILE|DIR/",
        help="the file to write (.pdf, .html, .txt), or a folder: one PDF per recipient",
    )
    parser.add_argument(
        "--combined",
        action="store_true",
        help="with several recipients, write all their letters into one PDF (--out FILE.pdf)",
    )
    parser.set_defaults(handler=run)


def add_render_options(parser: argparse.ArgumentParser) -> None:
    """The options that say which letter to build (shared with ``send`` and ``print``)."""
    parser.add_argument("--campaign", metavar="ID|PATH", help="campaign id or pack folder")
    parser.add_argument(
        "--to",
        action="append",
        default=[],
        metavar="RECIPIENT_ID",
        help=f"recipient id (repeatable); default {PRESIDENT_ID}",
    )
    parser.add_argument(
        "--arguments",
        metavar="ID,ID,…",
        help="argument ids in order; default: the campaign's choice",
    )
    parser.add_argument("--sender", type=Path, metavar="FILE.toml", help="sender profile file")
    parser.add_argument("--subject", help="subject line; default: the campaign's")
    parser.add_argument(
        "--page", choices=("letter", "a4"), help="paper size; default: from settings or locale"
    )


@dataclass
class LetterJob:
    """Everything the render options describe."""

    campaign: Campaign
    letter: Letter
    recipients: list[Recipient]
    paper: str


def resolve_recipient(recipient_id: str, locations: Locations, near_zip: str = "") -> Recipient:
    """A recipient by id: the built-in White House or an entry of the imported directory.

    ``ID@washington`` (or ``ID@OFFICE-ID``) picks the office; otherwise paper
    goes to the home-state office nearest `near_zip` (see composer.core.directory).

    Raises:
        CommandError: no recipient has that id.
    """
    if recipient_id == PRESIDENT_ID:
        return white_house()
    from composer.core.directory import Directory, DirectoryError

    try:
        return Directory.for_locations(locations).resolve(recipient_id, near_zip)
    except DirectoryError as error:
        raise CommandError(
            f"composer: unknown recipient '{recipient_id}' (try '{PRESIDENT_ID}'): {error}"
        ) from error


def resolve_recipients(
    recipient_ids: list[str], locations: Locations, near_zip: str = ""
) -> list[Recipient]:
    """Many recipients at once (one directory query, for long mail-merge batches).

    Raises:
        CommandError: an id is unknown (the first one is named).
    """
    if len(recipient_ids) == 1:
        return [resolve_recipient(recipient_ids[0], locations, near_zip)]
    from composer.core.directory import Directory, DirectoryError

    try:
        return Directory.for_locations(locations).resolve_many(recipient_ids, near_zip)
    except DirectoryError:
        for recipient_id in recipient_ids:  # name the id the way a single look-up does
            resolve_recipient(recipient_id, locations, near_zip)
        raise


def _sender(args: argparse.Namespace, context: CommandContext) -> Sender:
    if args.sender is not None:
        try:
            return load_sender(args.sender)
        except ProfileError as error:
            raise CommandError(f"composer: {error}") from error
    saved = load_saved_sender(context.locations.profile_file)
    if saved is None:
        context.note(
            "composer: no sender profile is saved, so the letter has no sender name or "
            "address; pass --sender FILE.toml or fill in File ▸ Sender Profile in the window"
        )
        return Sender()
    return saved


def build_job(args: argparse.Namespace, context: CommandContext) -> LetterJob:
    """Turn the render options into a letter, its recipients and a paper size.

    Raises:
        CommandError: a campaign, argument, recipient or sender file is wrong.
    """
    try:
        campaign = (
            find_campaign(args.campaign, context.locations.campaigns_dir)
            if args.campaign
            else default_campaign()
        )
    except CampaignError as error:
        raise CommandError(f"composer: the campaign pack is broken: {error}") from error
    except LookupError as error:
        raise CommandError(f"composer: {error}") from error
    argument_ids = None
    if args.arguments:
        argument_ids = [a.strip() for a in args.arguments.split(",") if a.strip()]
        unknown = [a for a in argument_ids if a not in {x.id for x in campaign.arguments}]
        if unknown:
            raise CommandError(
                f"composer: campaign '{campaign.id}' has no argument {', '.join(unknown)} "
                "(see 'composer campaigns')"
            )
    wanted = args.to or [PRESIDENT_ID]
    recipients = resolve_recipients(wanted, context.locations)
    sender = _sender(args, context)
    if sender.postal_code.strip():
        # Paper goes to the home-state office nearest the writer.
        recipients = resolve_recipients(wanted, context.locations, sender.postal_code)
    letter = new_letter(
        campaign,
        argument_ids,
        sender=sender,
        recipients=recipients,
        subject=args.subject,
    )
    paper = args.page or effective_paper(load_settings(context.locations.settings_file))
    return LetterJob(campaign, letter, recipients, paper)


def render_all(job: LetterJob, template: str | None = None) -> list[RenderedLetter]:
    """Render the letter once per recipient.

    Raises:
        CommandError: a placeholder has no value or a template is broken.
    """
    renderer = Renderer(job.campaign.templates)
    try:
        return [
            renderer.render(job.letter, recipient, template or job.campaign.template)
            for recipient in job.recipients
        ]
    except RenderError as error:
        raise CommandError(f"composer: {error}") from error


def write_output(path: Path, rendered: list[RenderedLetter], paper: str) -> int:
    """Write rendered letters to `path` by its suffix; returns the pages (or letters) written.

    Raises:
        CommandError: unknown suffix or the file could not be written.
    """
    suffix = path.suffix.lower()
    if suffix not in OUTPUT_SUFFIXES:
        raise CommandError(
            f"composer: {path}: write .pdf, .html or .txt (not '{suffix or path.name}')"
        )
    try:
        if suffix == ".pdf":
            from composer.printing.letter_layout import LetterPages
            from composer.printing.output import ensure_gui_application, write_pdf
            from composer.printing.paper import paper as paper_spec

            ensure_gui_application()
            spec = paper_spec(paper)
            return write_pdf(
                path, [LetterPages(r, spec) for r in rendered], title=rendered[0].subject
            )
        if suffix == ".html":
            atomic_write_text(path, "\n".join(r.document_html for r in rendered))
        else:
            atomic_write_text(path, "\n\f\n".join(r.text for r in rendered))
        return len(rendered)
    except StorageError as error:
        raise CommandError(f"composer: {error}") from error


def write_pdf_stream(path: Path, copies: Iterator[RenderedLetter], paper: str, title: str) -> int:
    """Write many letters into one PDF, each laid out just before it is drawn.

    Holding only the current letter keeps memory flat however many recipients
    there are. The file appears in one step (temporary file, then rename); an
    error or an interruption (Ctrl+C) leaves nothing behind. If `copies` ends
    early (a cancelled batch), the letters so far are written.

    Raises:
        StorageError: the file could not be written.
    """
    from composer.printing.letter_layout import LetterPages
    from composer.printing.output import write_pdf_stream as write_stream
    from composer.printing.paper import paper as paper_spec

    spec = paper_spec(paper)
    return write_stream(path, (LetterPages(copy, spec) for copy in copies), title=title)


def _merge_progress(context: CommandContext, total: int) -> Callable[[int, int, Recipient], None]:
    def progress(done: int, _total: int, _recipient: Recipient) -> None:
        if total > 20 and (done % 50 == 0 or done == total):
            context.note(f"composer: {done} of {total} letters…")

    return progress


def write_letter_pdf(path: Path, copy: RenderedLetter, paper: str) -> int:
    """Lay out one letter and write it to its own PDF; returns its pages.

    A module-level function so that worker processes can run it.
    """
    from composer.printing.letter_layout import LetterPages
    from composer.printing.output import ensure_gui_application, write_pdf
    from composer.printing.paper import paper as paper_spec

    ensure_gui_application()
    return write_pdf(path, [LetterPages(copy, paper_spec(paper))], title=copy.subject)


# Below this many letters, starting worker processes costs more than it saves.
PARALLEL_MIN_LETTERS = 24


def _pdf_workers(letters: int) -> Any:
    """Worker processes for one-PDF-per-letter batches, or None to write them here.

    Finishing each PDF (embedding its fonts) takes most of the time and uses
    one core, so a long batch is spread over the machine's cores. Workers are
    forked, which is only safe before this process has started Qt itself.
    """
    import multiprocessing
    import os
    import sys

    cores = os.cpu_count() or 1
    if letters < PARALLEL_MIN_LETTERS or cores < 2:
        return None
    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    gui = sys.modules.get("PySide6.QtGui")
    if gui is not None and gui.QGuiApplication.instance() is not None:
        return None
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(
        max_workers=min(cores, 4), mp_context=multiprocessing.get_context("fork")
    )


def run_merge(args: argparse.Namespace, context: CommandContext, job: LetterJob) -> int:
    """Several letters: one PDF per recipient in a folder, or all in one PDF (--combined)."""
    import functools
    from concurrent.futures.process import BrokenProcessPool

    from composer.core.merge import MailMerge, MergeError
    from composer.printing.output import ensure_gui_application

    out: Path = args.out
    merge = MailMerge(
        job.letter, job.recipients, Renderer(job.campaign.templates), job.campaign.template
    )
    progress = _merge_progress(context, len(merge))
    try:
        if args.combined:
            if out.suffix.lower() != ".pdf":
                raise CommandError(
                    f"composer: --combined writes one PDF: give --out FILE.pdf (not {out})"
                )
            ensure_gui_application()
            report = merge.to_one(
                lambda copies: write_pdf_stream(
                    out, copies, job.paper, job.letter.subject or "Letters"
                ),
                progress=progress,
            )
            where = str(out)
        else:
            if out.exists() and not out.is_dir():
                raise CommandError(f"composer: {out} is a file; give a folder for one PDF each")
            write = functools.partial(write_letter_pdf, paper=job.paper)
            merge.check()  # before any worker starts
            workers = _pdf_workers(len(merge))
            try:
                report = merge.to_files(
                    out, write, progress=progress, executor=workers, check_first=False
                )
            finally:
                if workers is not None:
                    workers.shutdown(cancel_futures=True)
            where = f"{len(report.files)} files in {out}"
    except MergeError as error:
        raise CommandError(f"composer: {error}") from error
    except RenderError as error:
        raise CommandError(f"composer: {error}") from error
    except StorageError as error:
        raise CommandError(f"composer: {error}") from error
    except BrokenProcessPool as error:
        raise CommandError(
            "composer: a worker process writing the PDFs stopped unexpectedly; "
            "the files written so far are in place. Run the command again."
        ) from error
    context.say(
        f"Wrote {report.letters} letter(s), {report.pages} page(s), {job.paper} paper: {where}."
    )
    return EXIT_OK


def run(args: argparse.Namespace, context: CommandContext) -> int:
    """Render the letter and write it."""
    job = build_job(args, context)
    # A folder (no suffix), --combined, or several recipients for a PDF: mail merge.
    pdf = args.out.suffix.lower() == ".pdf"
    if args.combined or args.out.is_dir() or not args.out.suffix:
        return run_merge(args, context, job)
    if pdf and len(job.recipients) > 1:
        raise CommandError(
            f"composer: {len(job.recipients)} recipients: write one PDF each with "
            "--out FOLDER/, or all in one with --combined --out FILE.pdf"
        )
    rendered = render_all(job)
    count = write_output(args.out, rendered, job.paper)
    unit = "page(s)" if args.out.suffix.lower() == ".pdf" else "letter(s)"
    context.say(f"Wrote {args.out} ({count} {unit}, {job.paper} paper).")
    return EXIT_OK
