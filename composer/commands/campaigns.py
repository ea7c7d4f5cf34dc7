"""``composer campaigns`` lists campaigns; ``composer campaign check|import PATH`` handle packs."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from composer.commands.base import EXIT_FAILURE, EXIT_OK, CommandContext, CommandError
from composer.core.campaigns import Campaign, CampaignError, Problem, available_campaigns
from composer.core.packs import PackError, PackExistsError, check_pack, import_pack


def register(subparsers: Any) -> None:
    """Add ``campaigns`` and ``campaign check``."""
    listing = subparsers.add_parser("campaigns", help="list the campaigns and their arguments")
    listing.add_argument("--json", action="store_true", help="print JSON instead of text")
    listing.set_defaults(handler=run_list)

    campaign = subparsers.add_parser("campaign", help="work with campaign packs")
    actions = campaign.add_subparsers(dest="campaign_command", metavar="ACTION", required=True)
    check = actions.add_parser("check", help="check a campaign pack and report every problem")
    check.add_argument("path", type=Path, help="a pack folder (or .zip)")
    check.set_defaults(handler=run_check)
    importing = actions.add_parser(
        "import", help="check a campaign pack and copy it into your data folder"
    )
    importing.add_argument("path", type=Path, help="a pack folder or .zip")
    importing.add_argument(
        "--replace", action="store_true", help="replace an imported pack with the same id"
    )
    importing.set_defaults(handler=run_import)


def campaign_summary(campaign: Campaign) -> dict[str, Any]:
    """A campaign as plain data (for --json)."""
    return {
        "id": campaign.id,
        "title": campaign.title,
        "summary": campaign.summary,
        "language": campaign.language,
        "default_subject": campaign.default_subject,
        "reviewed": campaign.reviewed.isoformat() if campaign.reviewed else None,
        "default_arguments": list(campaign.default_arguments),
        "themes": [{"id": t.id, "title": t.title} for t in campaign.themes],
        "default_recipient": campaign.default_recipient,
        "recipients": [
            {"target": r.target, "label": r.label, "why": r.why, "arguments": list(r.arguments)}
            | (
                {
                    "address": list(r.recipient.address_lines),
                    "salutation": r.recipient.salutation,
                    "routed_arguments": list(campaign.arguments_for(r.recipient)),
                }
                if r.recipient is not None
                else {}
            )
            for r in campaign.recipients
        ],
        "arguments": [
            {
                "id": a.id,
                "title": a.title,
                "theme": a.theme,
                "position": a.position,
                "words": a.word_count,
                "facts_as_of": a.facts_as_of.isoformat() if a.facts_as_of else None,
                "sources": [
                    {"outlet": s.outlet, "author": s.author, "date": s.date, "title": s.title}
                    | ({"url": s.url} if s.url else {})
                    for s in a.sources
                ],
            }
            for a in campaign.arguments
        ],
    }


def run_list(args: argparse.Namespace, context: CommandContext) -> int:
    """Print every usable campaign; broken imported packs are named on stderr."""
    found: list[Campaign] = []
    for root, campaign, problems in available_campaigns(context.locations.campaigns_dir):
        if campaign is None:
            context.note(f"composer: skipped the broken pack {root.name}: {problems[0]}")
        else:
            found.append(campaign)
    if args.json:
        print(json.dumps([campaign_summary(c) for c in found], indent=2), file=context.stdout)
        return EXIT_OK
    for campaign in found:
        context.say(f"{campaign.id}: {campaign.title} ({len(campaign.arguments)} arguments)")
        for theme, arguments in campaign.by_theme():
            context.say(f"  {theme.title}")
            for argument in arguments:
                cited = "; ".join(s.citation() for s in argument.sources) or "no source"
                context.say(f"    {argument.id} [{argument.position}] {argument.title}")
                context.say(f"        source: {cited}")
    return EXIT_OK


def _report_problems(path: Path, problems: list[Problem], context: CommandContext) -> None:
    for problem in problems:
        context.note(f"{path}/{problem}")
    context.note(f"composer: {path}: {len(problems)} problem(s); the pack cannot be used")


def run_check(args: argparse.Namespace, context: CommandContext) -> int:
    """Check a pack folder or zip; print every problem, one per line."""
    path: Path = args.path
    try:
        campaign, problems = check_pack(path)
    except PackError as error:
        raise CommandError(f"composer: {path}: refused: {error}") from error
    if problems or campaign is None:
        _report_problems(path, problems, context)
        return EXIT_FAILURE
    for warning in campaign.warnings:
        context.note(f"warning: {path}/{warning}")
    context.say(
        f"{path}: OK: campaign '{campaign.id}', {len(campaign.arguments)} arguments "
        f"in {len(list(campaign.by_theme()))} themes"
    )
    return EXIT_OK


def run_import(args: argparse.Namespace, context: CommandContext) -> int:
    """Check a pack and copy it into the data folder, where the window finds it."""
    path: Path = args.path
    try:
        campaign, folder = import_pack(path, context.locations.campaigns_dir, replace=args.replace)
    except PackExistsError as error:
        raise CommandError(
            f"composer: {path}: {error} (add --replace, or see 'composer campaigns')"
        ) from error
    except PackError as error:
        raise CommandError(f"composer: {path}: refused: {error}") from error
    except CampaignError as error:
        _report_problems(path, error.problems, context)
        return EXIT_FAILURE
    context.say(
        f"Imported '{campaign.id}' ({campaign.title}, {len(campaign.arguments)} arguments) "
        f"into {folder}"
    )
    return EXIT_OK
