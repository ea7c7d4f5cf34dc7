"""``composer directory``: import, update, search and describe the recipient directory."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from composer.commands.base import EXIT_FAILURE, EXIT_OK, CommandContext, CommandError
from composer.core.directory import (
    BUNDLED_CREDIT,
    DEFAULT_URLS,
    Directory,
    DirectoryError,
    DirectoryInfo,
    FindResult,
    Official,
    normalize_zip,
    update_from_internet,
    urls_under,
)


def register(subparsers: Any) -> None:
    """Add ``directory import|update|find|info``."""
    directory = subparsers.add_parser(
        "directory", help="the officials letters go to: import, update, find"
    )
    actions = directory.add_subparsers(dest="directory_command", metavar="ACTION", required=True)

    importing = actions.add_parser(
        "import",
        help="import legislators-current.yaml, legislators-district-offices.yaml and/or zccd.csv",
    )
    importing.add_argument("files", type=Path, nargs="+", metavar="FILE", help="files to import")
    importing.set_defaults(handler=run_import)

    update = actions.add_parser("update", help="download the latest files and import them")
    update.add_argument(
        "--url-base",
        metavar="URL",
        help="download the three files from this address instead of their public sources",
    )
    update.set_defaults(handler=run_update)

    find = actions.add_parser("find", help="find officials by ZIP code, state or name")
    how = find.add_mutually_exclusive_group(required=True)
    how.add_argument("--zip", metavar="ZIP", help="a 5-digit ZIP code (ZIP+4 is fine)")
    how.add_argument("--state", metavar="ST", help="a state or territory (code or name)")
    how.add_argument("--name", metavar="TEXT", help="part of a name (case and accents ignored)")
    find.add_argument("--json", action="store_true", help="print JSON instead of text")
    find.set_defaults(handler=run_find)

    info = actions.add_parser("info", help="show the data's date, counts and warnings")
    info.add_argument("--json", action="store_true", help="print JSON instead of text")
    info.set_defaults(handler=run_info)


def _directory(context: CommandContext) -> Directory:
    return Directory.for_locations(context.locations)


def _fail(error: DirectoryError) -> CommandError:
    return CommandError(f"composer directory: {error}", EXIT_FAILURE)


def _say_summary(context: CommandContext, info: DirectoryInfo, directory: Directory) -> None:
    counts = ", ".join(f"{count} {kind}" for kind, count in sorted(info.counts.items()))
    context.say(f"{info.date_text()}.")
    context.say(f"{info.member_count} members of Congress ({counts or 'none'}).")
    context.say(f"{info.office_count} home-state offices; {info.zip_count} ZIP areas.")
    for warning in info.warnings(directory.today()):
        context.note(f"warning: {warning}")


def run_import(args: argparse.Namespace, context: CommandContext) -> int:
    """Import the named files into the local directory."""
    directory = _directory(context)
    try:
        info = directory.import_files(list(args.files))
    except DirectoryError as error:
        raise _fail(error) from error
    context.say(f"Imported {', '.join(str(path) for path in args.files)}.")
    _say_summary(context, info, directory)
    return EXIT_OK


def run_update(args: argparse.Namespace, context: CommandContext) -> int:
    """Download the three source files and replace the local directory."""
    directory = _directory(context)
    urls = urls_under(args.url_base) if args.url_base else dict(DEFAULT_URLS)

    def progress(message: str, fraction: float) -> None:
        context.note(f"{message}… {fraction:.0%}")

    try:
        info = update_from_internet(urls, directory, progress=progress)
    except DirectoryError as error:
        raise _fail(error) from error
    context.say("The directory is up to date.")
    _say_summary(context, info, directory)
    return EXIT_OK


def _describe(context: CommandContext, official: Official, near_zip: str) -> None:
    recipient = official.recipient(near_zip=near_zip)
    context.say(f"{official.id}: {official.title_and_name} — {official.title}")
    context.say(f"    {recipient.salutation}")
    for line in recipient.address_lines:
        context.say(f"    | {line}")
    if official.washington and official.district_offices:
        context.say(f"    Washington office: {', '.join(official.washington.lines)}")
    if official.contact_form:
        context.say(f"    Web form: {official.contact_form}")
    elif official.website:
        context.say(f"    Website: {official.website}")
    if official.email:
        context.say(f"    E-mail: {official.email}")
    if recipient.phone:
        context.say(f"    Phone: {recipient.phone}")


def _print_text(context: CommandContext, result: FindResult, near_zip: str) -> None:
    for official in result.officials:
        _describe(context, official, near_zip)
    if result.candidates:
        context.say("Choose one of these:" if result.officials else "Candidates:")
        for official in result.candidates:
            _describe(context, official, near_zip)
    if result.reason:
        context.say(f"Note: {result.reason}")
    for warning in result.warnings:
        context.note(f"warning: {warning}")


def run_find(args: argparse.Namespace, context: CommandContext) -> int:
    """Find officials and print them (text or JSON)."""
    directory = _directory(context)
    near_zip = ""
    try:
        if args.zip is not None:
            near_zip = normalize_zip(args.zip)
            result = directory.find_by_zip(args.zip)
        elif args.state is not None:
            result = directory.find_by_state(args.state)
        else:
            result = directory.find_by_name(args.name)
        info = directory.info()
    except DirectoryError as error:
        raise _fail(error) from error
    if args.json:
        document = result.as_json_dict(near_zip)
        document["data_date"] = info.data_date.isoformat() if info.data_date else None
        print(json.dumps(document, indent=2, ensure_ascii=False), file=context.stdout)
    else:
        _print_text(context, result, near_zip)
    # Like grep: nothing found is a failure a script can test for.
    return EXIT_OK if result.everyone else EXIT_FAILURE


def run_info(args: argparse.Namespace, context: CommandContext) -> int:
    """Describe the local directory: its date, what it holds, where it came from."""
    directory = _directory(context)
    try:
        info = directory.info()
    except DirectoryError as error:
        raise _fail(error) from error
    bundled = directory.uses_bundled
    if args.json:
        document = info.as_json_dict(directory.today())
        document["path"] = str(directory.path)
        document["in_use"] = directory.location_text()
        print(json.dumps(document, indent=2, ensure_ascii=False), file=context.stdout)
        return EXIT_OK
    if bundled:
        context.say(f"Directory data: the copy {directory.location_text()}.")
        context.say(
            "It is used until you import files or update from the internet "
            f"(your own copy then goes to {directory.path})."
        )
    else:
        context.say(f"Directory file: {directory.path}")
    _say_summary(context, info, directory)
    for source in info.sources:
        detail = source.origin or source.name
        when = f", modified {source.modified}" if source.modified else ""
        context.say(f"  {source.role}: {detail} ({source.size:,} bytes{when})")
    if bundled:
        context.say(f"Source: {BUNDLED_CREDIT}")
    elif info.imported_at:
        context.say(f"Imported {info.imported_at}.")
    return EXIT_OK
