"""``composer render``: write a letter to PDF, HTML or plain text with the window's own code."""

from __future__ import annotations

import argparse
import dataclasses
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from composer.commands.base import EXIT_OK, CommandContext, CommandError
from composer.core.campaigns import Campaign, CampaignError, default_campaign, find_campaign
from composer.core.compose import new_letter, routed_letter
from composer.core.fileio import StorageError, atomic_write_text
from composer.core.locations import Locations
from composer.core.models import Letter, Recipient, Sender
from composer.core.profile import ProfileError, checked_sender, load_saved_sender, load_sender
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
    parser.add_argument(
        "--one-sided",
        action="store_true",
        help="with --combined: no blank page after a letter with an odd number of pages "
        "(by default there is one, so each letter starts on a new sheet printed double-sided)",
    )
    parser.set_defaults(handler=run)


def add_render_options(parser: argparse.ArgumentParser) -> None:
    """The options that say which letter to build (shared with ``send`` and ``print``)."""
    parser.add_argument("--campaign", metavar="ID|PATH", help="campaign id or pack folder")
    parser.add_argument(
        "--to",
        action="append",
        default=[],
        metavar="RECIPIENT",
        help=(
            "who gets a copy (repeatable): an id of the campaign's recipients, a member's "
            "id from 'composer directory find', or a recipient FILE.toml (name, title, "
            "address, salutation, email); default: the campaign's default recipient"
        ),
    )
    parser.add_argument(
        "--arguments",
        metavar="ID,ID,…",
        help="argument ids in order; default: for each recipient, the paragraphs the "
        "campaign routes to that office",
    )
    parser.add_argument("--sender", type=Path, metavar="FILE.toml", help="sender profile file")
    parser.add_argument("--subject", help="subject line; default: the campaign's")
    parser.add_argument(
        "--page",
        choices=("letter", "a4"),
        help="paper size; default: from the settings, else the sender's country",
    )


@dataclass
class LetterJob:
    """Everything the render options describe."""

    campaign: Campaign
    letter: Letter
    recipients: list[Recipient]
    paper: str


def resolve_recipient(
    recipient_id: str,
    locations: Locations,
    near_zip: str = "",
    campaign: Campaign | None = None,
) -> Recipient:
    """A recipient by id: the campaign's own, a built-in office, or a member of Congress.

    A path to a ``.toml`` file is read as a recipient file (see
    :func:`load_recipient_file`). ``ID@washington`` (or ``ID@OFFICE-ID``)
    picks a member's office; otherwise paper goes to the home-state office
    nearest `near_zip` (see composer.core.directory).

    Raises:
        CommandError: no recipient has that id, or the file is wrong.
    """
    from composer.core.offices import builtin_office

    if recipient_id.lower().endswith(".toml") or Path(recipient_id).is_file():
        return load_recipient_file(Path(recipient_id))
    own = campaign.addressee(recipient_id) if campaign is not None else None
    if own is not None:
        return own
    office = builtin_office(recipient_id)
    if office is not None:
        return office
    from composer.core.directory import Directory, DirectoryError

    try:
        return Directory.for_locations(locations).resolve(recipient_id, near_zip)
    except DirectoryError as error:
        raise CommandError(
            f"composer: unknown recipient '{recipient_id}': {error} "
            f"--to takes {_naming_hint(campaign)}."
        ) from error


def _naming_hint(campaign: Campaign | None) -> str:
    """The ways to name a recipient with --to, in one sentence."""
    ids = [r.target for r in campaign.recipients if not r.is_role] if campaign else []
    ways = [f"one of this campaign's recipients ({', '.join(ids)})"] if ids else []
    ways += [
        "a member of Congress's id from 'composer directory find'",
        "a recipient file FILE.toml with name, title, address, salutation and email",
    ]
    return "; ".join(ways)


RECIPIENT_FILE_KEYS = ("id", "name", "title", "address", "salutation", "email", "contact_form")


def load_recipient_file(path: Path) -> Recipient:
    """A recipient described in a TOML file, for someone who is in no directory.

    The file holds ``name``, ``address`` (a list of lines, or one text with a
    line per line) and optionally ``title``, ``salutation`` (the default is
    "Dear <name>:"), ``email``, ``contact_form`` and ``id``.

    Raises:
        CommandError: the file cannot be read or a field is missing or wrong.
    """
    import tomllib

    from composer.core.models import custom_recipient

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as error:
        raise CommandError(
            f"composer: cannot read the recipient file {path}: {error.strerror or error}"
        ) from error
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise CommandError(
            f"composer: the recipient file {path} is not valid TOML: {error}"
        ) from error
    unknown = sorted(set(data) - set(RECIPIENT_FILE_KEYS))
    if unknown:
        raise CommandError(
            f"composer: the recipient file {path} has unknown field(s) {', '.join(unknown)}; "
            f"it may hold {', '.join(RECIPIENT_FILE_KEYS)}"
        )
    if any(not isinstance(v, (str, list)) for v in data.values()):
        raise CommandError(f"composer: the recipient file {path}: every field must be text")
    address = data.get("address", "")
    if isinstance(address, list):
        address = "\n".join(str(line) for line in address)
    name = str(data.get("name", "")).strip()
    if not name or not str(address).strip():
        raise CommandError(
            f"composer: the recipient file {path} needs name and address, e.g. "
            'name = "Council Member Dana Park" and address = ["City Hall", '
            '"100 Main Street", "Springfield, IL 62701"]'
        )
    base = custom_recipient(name, str(address), str(data.get("salutation", "")))
    return dataclasses.replace(
        base,
        id=str(data.get("id", "")).strip() or path.stem,
        title=str(data.get("title", "")).strip(),
        email=str(data.get("email", "")).strip(),
        contact_form=str(data.get("contact_form", "")).strip(),
    )


def resolve_recipients(
    recipient_ids: list[str],
    locations: Locations,
    near_zip: str = "",
    campaign: Campaign | None = None,
) -> list[Recipient]:
    """Many recipients at once (one directory query, for long mail-merge batches).

    Raises:
        CommandError: an id is unknown (the first one is named).
    """
    from composer.core.offices import builtin_office

    def known_here(recipient_id: str) -> bool:
        return (
            recipient_id.lower().endswith(".toml")
            or builtin_office(recipient_id) is not None
            or (campaign is not None and campaign.addressee(recipient_id) is not None)
        )

    if len(recipient_ids) == 1 or any(known_here(r) for r in recipient_ids):
        return [resolve_recipient(r, locations, near_zip, campaign) for r in recipient_ids]
    from composer.core.directory import Directory, DirectoryError

    try:
        return Directory.for_locations(locations).resolve_many(recipient_ids, near_zip)
    except DirectoryError:
        for recipient_id in recipient_ids:  # name the id the way a single look-up does
            resolve_recipient(recipient_id, locations, near_zip, campaign)
        raise


def recipients_for(
    recipient_ids: list[str],
    locations: Locations,
    sender: Sender,
    campaign: Campaign | None = None,
) -> list[Recipient]:
    """The recipients a letter from `sender` goes to, each at the office its paper
    copy is addressed to: the home-state office nearest the sender's ZIP code.

    This is the one place the command line chooses an office, so the letter, its
    envelope, the printed copy and a mail merge always agree.

    Raises:
        CommandError: an id is unknown (a campaign's own recipients count as known).
    """
    return resolve_recipients(
        recipient_ids, locations, sender.postal_code.strip(), campaign=campaign
    )


def _sender(args: argparse.Namespace, context: CommandContext) -> Sender:
    sender = _sender_quietly(args, context)
    if sender is None:
        _note_no_sender(context)
        return Sender()
    return sender


def _note_no_sender(context: CommandContext) -> None:
    context.note(
        "composer: no sender profile is saved, so the letter has no sender name or "
        "address; pass --sender FILE.toml or fill in File ▸ Sender Profile in the window"
    )


def _sender_quietly(args: argparse.Namespace, context: CommandContext) -> Sender | None:
    """The sender file given, or the saved profile; None when there is none.

    What cannot be right (a state that is not one, a ZIP code that is not one…) is
    refused here, before it is printed on a letter or an envelope.

    Raises:
        CommandError: the file cannot be read, or a field is wrong (each is named,
            with what to type instead).
    """
    if args.sender is not None:
        try:
            sender = load_sender(args.sender)
        except ProfileError as error:
            raise CommandError(f"composer: {error}") from error
        where = str(args.sender)
    else:
        saved = load_saved_sender(context.locations.profile_file)
        if saved is None:
            return None
        sender, where = saved, "the sender profile (File ▸ Sender Profile in the window)"
    tidy, problems = checked_sender(sender)
    if problems:
        raise CommandError(f"composer: {where}: " + " ".join(str(problem) for problem in problems))
    return tidy


def warn_terms(context: CommandContext, recipients: list[Recipient], *, by_post: bool) -> None:
    """Say (on stderr, before anything is made) which recipients' terms are over or ending."""
    from composer.core.directory import Directory, DirectoryError

    try:
        warnings = Directory.for_locations(context.locations).term_warnings(
            recipients, by_post=by_post
        )
    except DirectoryError:
        return  # resolving the recipients has already read the directory; nothing to add
    for warning in warnings:
        context.note(f"composer: warning: {warning}")


def build_job(
    args: argparse.Namespace, context: CommandContext, *, by_post: bool = True
) -> LetterJob:
    """Turn the render options into a letter, its recipients and a paper size.

    Warns first about recipients whose term is over, or ends before a letter
    sent that way (`by_post` or by e-mail) can arrive.

    Raises:
        CommandError: a campaign, argument, recipient or sender file is wrong.
    """
    try:
        campaign = _campaign(args.campaign, context) if args.campaign else default_campaign()
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
    saved = _sender_quietly(args, context)
    sender = saved or Sender()
    wanted = args.to or [_default_recipient(campaign)]
    recipients = recipients_for(wanted, context.locations, sender, campaign=campaign)
    if saved is None:  # said once the recipients are known to be right
        _note_no_sender(context)
    warn_terms(context, recipients, by_post=by_post)
    if argument_ids is None:
        # Each copy gets the paragraphs the campaign routes to its recipient's office.
        letter = routed_letter(campaign, recipients, sender=sender, subject=args.subject)
    else:
        letter = new_letter(
            campaign,
            argument_ids,
            sender=sender,
            recipients=recipients,
            subject=args.subject,
        )
    settings = load_settings(context.locations.settings_file)
    paper = args.page or effective_paper(settings, sender.home_country())
    return LetterJob(campaign, letter, recipients, paper)


def _campaign(key: str, context: CommandContext) -> Campaign:
    """A campaign by id, folder or ``.zip`` file (read within the pack limits, never unpacked).

    Raises:
        CampaignError: the pack is broken.
        LookupError: nothing has that id or path.
        CommandError: the zip is refused.
    """
    path = Path(key)
    if path.is_file():
        from composer.core.campaigns import load_campaign
        from composer.core.packs import PackError, is_zip, open_pack

        if not is_zip(path):
            raise LookupError(f"{key} is a file but not a .zip campaign pack")
        try:
            return load_campaign(open_pack(path))
        except PackError as error:
            raise CommandError(f"composer: {path}: refused: {error}") from error
    return find_campaign(key, context.locations.campaigns_dir)


def _default_recipient(campaign: Campaign) -> str:
    """The recipient a letter goes to when none is named.

    Raises:
        CommandError: the campaign names no default recipient.
    """
    if campaign.default_recipient:
        return campaign.default_recipient
    raise CommandError(
        f"composer: campaign '{campaign.id}' has no default recipient: name one with --to, "
        f"which takes {_naming_hint(campaign)}."
    )


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
            from composer.core.merge import combined_html

            # Several letters make one document (a section each), never several glued together.
            html = rendered[0].document_html if len(rendered) == 1 else combined_html(rendered)
            atomic_write_text(path, html)
        else:
            atomic_write_text(path, "\n\f\n".join(r.text for r in rendered))
        return len(rendered)
    except StorageError as error:
        raise CommandError(f"composer: {error}") from error


def write_pdf_stream(
    path: Path,
    copies: Iterator[RenderedLetter],
    paper: str,
    title: str,
    *,
    duplex: bool = False,
) -> int:
    """Write many letters into one PDF, each laid out just before it is drawn.

    Holding only the current letter keeps memory flat however many recipients
    there are. The file appears in one step (temporary file, then rename); an
    error or an interruption (Ctrl+C) leaves nothing behind. If `copies` ends
    early (a cancelled batch), the letters so far are written. With `duplex`,
    a letter with an odd page count is followed by a blank page, so that every
    letter starts on a new sheet when printed double-sided.

    Raises:
        StorageError: the file could not be written.
    """
    from composer.printing.letter_layout import LetterPages
    from composer.printing.output import write_pdf_stream as write_stream
    from composer.printing.paper import paper as paper_spec

    spec = paper_spec(paper)
    if not duplex:
        return write_stream(path, (LetterPages(copy, spec) for copy in copies), title=title)
    from composer.printing.duplex import BlankBackPage

    padded = (BlankBackPage(LetterPages(copy, spec)) for copy in copies)
    return write_stream(path, padded, title=title)


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
                    out,
                    copies,
                    job.paper,
                    job.letter.subject or "Letters",
                    duplex=not args.one_sided,
                ),
                progress=progress,
            )
            where = str(out)
        else:
            if out.exists() and not out.is_dir():
                raise CommandError(f"composer: {out} is a file; give a folder for one PDF each")
            from composer.core.merge import earlier_letters, fresh_folder

            older = earlier_letters(out)
            if older:
                out = fresh_folder(out)
                context.note(
                    f"composer: {args.out} already holds {len(older)} letter(s) from an earlier "
                    f"run; these go to {out} so that the two batches do not mix."
                )
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
