"""``composer outbox``: the letters waiting to be sent, and sending them now."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path
from typing import Any

from composer.commands.account import require_account, session_password
from composer.commands.base import EXIT_FAILURE, EXIT_OK, CommandContext, CommandError
from composer.core.fileio import StorageError
from composer.core.mail import MailError, copies_sender, edited_message
from composer.core.outbox import Outbox, OutboxEntry, OutboxError, SentEntry
from composer.core.sending import FlushReport, MessageResult, OutboxSender
from composer.core.transport import DEFAULT_TIMEOUT, Credential


def register(subparsers: Any) -> None:
    """Add ``outbox [list|flush|retry|edit|cancel|export]``."""
    outbox = subparsers.add_parser("outbox", help="letters waiting to be sent; send them now")
    outbox.add_argument("--json", action="store_true", help="print JSON instead of text")
    outbox.set_defaults(handler=run_list, sent=False)
    actions = outbox.add_subparsers(dest="outbox_command", metavar="ACTION")

    listing = actions.add_parser("list", help="list waiting letters (the default)")
    listing.add_argument("--json", action="store_true", help="print JSON instead of text")
    listing.add_argument("--sent", action="store_true", help="list the sent history instead")
    listing.set_defaults(handler=run_list)

    flush = actions.add_parser("flush", help="send every queued letter now, over one connection")
    flush.add_argument("--json", action="store_true", help="print JSON instead of text")
    flush.add_argument(
        "--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS", help="per step"
    )
    flush.set_defaults(handler=run_flush)

    retry = actions.add_parser(
        "retry", help="send refused or waiting letters again now (after fixing the cause)"
    )
    retry.add_argument("ids", type=int, nargs="+", metavar="ID", help="the letters' numbers")
    retry.add_argument("--json", action="store_true", help="print JSON instead of text")
    retry.add_argument(
        "--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS", help="per step"
    )
    retry.set_defaults(handler=run_retry)

    edit = actions.add_parser(
        "edit",
        help="correct a waiting or refused letter (it is queued again, unsent)",
        description=(
            "Correct a letter in the outbox: its recipients, copies, subject or text. "
            "What is not given stays as it was. The letter waits again; send it with "
            "'composer outbox retry ID' or 'composer outbox flush'."
        ),
    )
    edit.add_argument("id", type=int, help="the letter's number in 'composer outbox list'")
    edit.add_argument("--to", metavar="ADDRS", help='new recipients: "Name <a@b.org>, c@d.org"')
    edit.add_argument("--cc", metavar="ADDRS", help='new copies ("" for none)')
    edit.add_argument("--subject", metavar="TEXT", help="a new subject line")
    edit.add_argument(
        "--text-file", type=Path, metavar="FILE", help="a new text for the letter (UTF-8)"
    )
    edit.set_defaults(handler=run_edit)

    cancel = actions.add_parser("cancel", help="remove a waiting letter (it will not be sent)")
    cancel.add_argument("id", type=int, help="the letter's number in 'composer outbox list'")
    cancel.set_defaults(handler=run_cancel)

    export = actions.add_parser("export", help="save a letter as an .eml file")
    export.add_argument("id", type=int, help="the letter's number")
    export.add_argument("file", type=Path, help="the .eml file to write")
    export.add_argument(
        "--sent", action="store_true", help="the number is from the sent history ('list --sent')"
    )
    export.set_defaults(handler=run_export)


def _fail(message: str, status: int = EXIT_FAILURE) -> CommandError:
    return CommandError(f"composer outbox: {message}", status)


def open_outbox(context: CommandContext) -> Outbox:
    """The user's outbox."""
    return Outbox(context.locations.database_file)


def _when(seconds: float | None) -> str:
    if seconds is None:
        return ""
    return dt.datetime.fromtimestamp(seconds).astimezone().isoformat(timespec="seconds")


def entry_document(entry: OutboxEntry) -> dict[str, object]:
    """A waiting letter as JSON-ready data."""
    return {
        "id": entry.id,
        "state": entry.state,
        "subject": entry.subject,
        "to": list(entry.recipient_names),
        "envelope_to": list(entry.envelope_to),
        "message_id": entry.message_id,
        "campaign": entry.campaign_id,
        "queued_at": _when(entry.created_at),
        "attempts": entry.attempts,
        "next_attempt_at": _when(entry.next_attempt_at) if entry.state == "queued" else "",
        "last_reply": entry.last_reply,
        "last_error": entry.last_error,
        "possibly_delivered": entry.possibly_delivered,
    }


def sent_document(entry: SentEntry) -> dict[str, object]:
    """A sent letter as JSON-ready data."""
    return {
        "id": entry.id,
        "subject": entry.subject,
        "to": list(entry.recipient_names),
        "envelope_to": list(entry.envelope_to),
        "message_id": entry.message_id,
        "campaign": entry.campaign_id,
        "queued_at": _when(entry.queued_at),
        "sent_at": _when(entry.sent_at),
        "attempts": entry.attempts,
        "server_reply": entry.server_reply,
    }


def run_list(args: argparse.Namespace, context: CommandContext) -> int:
    """List the waiting letters (or, with --sent, the sent history)."""
    outbox = open_outbox(context)
    try:
        if args.sent:
            sent = outbox.sent_entries()
            if args.json:
                context.say(json.dumps([sent_document(e) for e in sent], indent=2))
                return EXIT_OK
            if not sent:
                context.say("Nothing has been sent yet.")
            for item in sent:
                context.say(
                    f"#{item.id}  {_when(item.sent_at)}  “{item.subject}” to "
                    f"{', '.join(item.recipient_names)} — {item.server_reply}"
                )
            return EXIT_OK
        entries = outbox.entries()
    except OutboxError as error:
        raise _fail(str(error)) from None
    finally:
        outbox.close()
    if args.json:
        context.say(json.dumps([entry_document(e) for e in entries], indent=2))
        return EXIT_OK
    if not entries:
        context.say("The outbox is empty.")
    for entry in entries:
        line = f"#{entry.id}  {entry.state:<7}  “{entry.subject}” to {', '.join(entry.recipient_names)}"
        if entry.attempts:
            line += f"  ({entry.attempts} attempt{'s' if entry.attempts > 1 else ''})"
        context.say(line)
        if entry.last_error:
            detail = f"    {entry.last_error}"
            if entry.last_reply:
                detail += f" The server said: “{entry.last_reply}”."
            context.say(detail)
    return EXIT_OK


def result_document(result: MessageResult) -> dict[str, object]:
    """One letter's result as JSON-ready data."""
    return {
        "id": result.entry_id,
        "sent_id": result.sent_id,
        "subject": result.subject,
        "to": list(result.recipients),
        "outcome": result.outcome.value,
        "text": result.text,
        "server_reply": result.server_reply,
        "failure": result.failure.kind.value if result.failure else None,
    }


def flush_outbox(
    context: CommandContext,
    timeout: float,
    entry_ids: list[int] | None = None,
) -> FlushReport:
    """Send queued letters (all of them, or `entry_ids`) and return the report.

    Raises:
        CommandError: no account, or the outbox cannot be opened.
    """
    account = require_account(context)
    outbox = open_outbox(context)
    try:
        interrupted = outbox.recover()
        if interrupted:
            context.note(
                f"{interrupted} letter(s) were interrupted while being sent earlier; they "
                "will be sent again, which may deliver them twice."
            )
        ids = outbox.queued_ids() if entry_ids is None else entry_ids
        why_no_password = ""

        def password() -> Credential | None:
            nonlocal why_no_password
            found, why_no_password = session_password(account, context)
            return found

        report = OutboxSender(outbox, account, password, timeout=timeout).flush(ids)
    except OutboxError as error:
        raise _fail(str(error)) from None
    finally:
        outbox.close()
    if why_no_password and report.connection_failure is not None:
        context.note(why_no_password)
    return report


def say_report(context: CommandContext, report: FlushReport, as_json: bool) -> None:
    """Print a flush report: JSON, or one line per letter then the summary."""
    if as_json:
        document = {
            "summary": report.summary(),
            "exit_status": report.exit_status(),
            "sent": len(report.sent),
            "queued": len(report.queued),
            "failed": len(report.failed),
            "connection_failure": (
                report.connection_failure.kind.value if report.connection_failure else None
            ),
            "results": [result_document(result) for result in report.results],
        }
        context.say(json.dumps(document, indent=2, ensure_ascii=False))
        return
    if len(report.results) > 1:
        for result in report.results:
            context.say(f"#{result.entry_id} {result.outcome.value}: {result.text}")
    context.say(report.summary())


def run_flush(args: argparse.Namespace, context: CommandContext) -> int:
    """Send every queued letter now; exit 0 all accepted, 75 some wait, 1 refused/settings."""
    report = flush_outbox(context, args.timeout)
    say_report(context, report, args.json)
    return report.exit_status()


def run_retry(args: argparse.Namespace, context: CommandContext) -> int:
    """Make the named letters (refused ones too) due now, then send them."""
    outbox = open_outbox(context)
    try:
        known = {entry.id: entry for entry in outbox.entries()}
        missing = [number for number in args.ids if number not in known]
        if missing:
            raise _fail(
                f"there is no letter #{missing[0]} in the outbox; see 'composer outbox list'."
            )
        outbox.retry_now(args.ids)
    except OutboxError as error:
        raise _fail(str(error)) from None
    finally:
        outbox.close()
    report = flush_outbox(context, args.timeout, list(args.ids))
    say_report(context, report, args.json)
    return report.exit_status()


def run_edit(args: argparse.Namespace, context: CommandContext) -> int:
    """Replace a waiting or refused letter by its corrected version (queued, not sent)."""
    if args.to is None and args.cc is None and args.subject is None and args.text_file is None:
        raise _fail("say what to change: --to, --cc, --subject or --text-file.")
    text: str | None = None
    if args.text_file is not None:
        try:
            text = args.text_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            reason = getattr(error, "strerror", None) or "it is not UTF-8 text"
            raise _fail(f"cannot read {args.text_file}: {reason}.") from None
        if not text.strip():
            raise _fail(f"{args.text_file} is empty; the letter was not changed.")
    outbox = open_outbox(context)
    try:
        entry = outbox.get(args.id)
        if entry is None:
            raise _fail(f"there is no letter #{args.id} in the outbox; see 'composer outbox list'.")
        raw = outbox.raw(args.id)
        try:
            message = edited_message(
                raw,
                to=args.to,
                cc=args.cc,
                subject=args.subject,
                text=text,
                copy_to_sender=copies_sender(raw, entry.envelope_to),
            )
        except MailError as error:
            raise _fail(f"{error} The letter was not changed.") from None
        outbox.replace(args.id, message)
    except OutboxError as error:
        raise _fail(str(error)) from None
    finally:
        outbox.close()
    context.say(
        f"Letter #{args.id} “{message.subject}” to {', '.join(message.recipient_names)} was "
        f"corrected and waits to be sent: run 'composer outbox retry {args.id}'."
    )
    return EXIT_OK


def run_cancel(args: argparse.Namespace, context: CommandContext) -> int:
    """Remove one waiting letter."""
    outbox = open_outbox(context)
    try:
        entry = outbox.get(args.id)
        outbox.cancel(args.id)
    except OutboxError as error:
        raise _fail(str(error)) from None
    finally:
        outbox.close()
    subject = f" “{entry.subject}”" if entry is not None else ""
    context.say(f"Cancelled letter #{args.id}{subject}; it will not be sent.")
    return EXIT_OK


def run_export(args: argparse.Namespace, context: CommandContext) -> int:
    """Write a waiting or sent letter to an .eml file."""
    outbox = open_outbox(context)
    try:
        if args.sent:
            outbox.export_eml(args.file, sent_id=args.id)
        else:
            outbox.export_eml(args.file, entry_id=args.id)
    except (OutboxError, StorageError) as error:
        raise _fail(str(error)) from None
    finally:
        outbox.close()
    context.say(f"Saved letter #{args.id} as {args.file}.")
    return EXIT_OK
