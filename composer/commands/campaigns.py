"""``composer campaigns`` lists campaigns; ``composer campaign check PATH`` checks a pack."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from composer.commands.base import EXIT_FAILURE, EXIT_OK, CommandContext, CommandError
from composer.core.campaigns import Campaign, available_campaigns, read_campaign


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


def campaign_summary(campaign: Campaign) -> dict[str, Any]:
    """A campaign as plain data (for --json)."""
    return {
        "id": campaign.id,
        "title": campaign.title,
        "summary": campaign.summary,
        "language": campaign.language,
        "default_subject": campaign.default_subject,
        "default_arguments": list(campaign.default_arguments),
        "themes": [{"id": t.id, "title": t.title} for t in campaign.themes],
        "recipients": [
            {"target": r.target, "label": r.label, "why": r.why, "arguments": list(r.arguments)}
            for r in campaign.recipients
        ],
        "arguments": [
            {
                "id": a.id,
                "title": a.title,
                "theme": a.theme,
                "position": a.position,
                "words": a.word_count,
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


def run_check(args: argparse.Namespace, context: CommandContext) -> int:
    """Check a pack folder; print every problem, one per line."""
    path: Path = args.path
    if not path.exists():
        raise CommandError(f"composer: {path}: no such file or folder")
    if not path.is_dir():
        raise CommandError(f"composer: {path}: not a campaign folder (it needs a campaign.toml)")
    campaign, problems = read_campaign(path)
    for problem in problems:
        context.note(f"{path}/{problem}")
    if problems or campaign is None:
        context.note(f"composer: {path}: {len(problems)} problem(s); the pack cannot be used")
        return EXIT_FAILURE
    context.say(
        f"{path}: OK: campaign '{campaign.id}', {len(campaign.arguments)} arguments "
        f"in {len(list(campaign.by_theme()))} themes"
    )
    return EXIT_OK
