"""The campaign that ships with the program: big enough, sourced, routed to the right officials."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from composer.cli import main
from composer.core.campaigns import Campaign, find_campaign

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
CAMPAIGN_ID = "protect-russian-defectors"
TARGETS = {
    "white-house",
    "dhs-secretary",
    "attorney-general",
    "secretary-of-state",
    "role:senators",
    "role:representative",
}
CONGRESS = {"role:senators", "role:representative"}


@pytest.fixture(scope="module")
def listed() -> dict[str, Any]:
    """The bundled campaign as ``composer campaigns --json`` prints it."""
    done = subprocess.run(
        [sys.executable, "-m", "composer", "campaigns", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    campaigns = {c["id"]: c for c in json.loads(done.stdout)}
    return campaigns[CAMPAIGN_ID]


@pytest.fixture(scope="module")
def campaign() -> Campaign:
    return find_campaign(CAMPAIGN_ID)


def test_listing_has_enough_arguments_and_themes(listed: dict[str, Any]) -> None:
    arguments = listed["arguments"]
    positions = Counter(a["position"] for a in arguments)
    assert len(arguments) >= 30
    assert len({a["theme"] for a in arguments}) >= 7
    assert positions["opening"] >= 4
    assert positions["closing"] >= 4
    # Each argument paragraph states facts and names where they come from.
    body = [a for a in arguments if a["position"] == "body"]
    assert len(body) >= 30
    assert all(a["sources"] for a in body), [a["id"] for a in body if not a["sources"]]
    for argument in arguments:
        for source in argument["sources"]:
            assert source["outlet"] and source["date"] and source["title"]


def test_every_argument_is_50_to_140_words(listed: dict[str, Any]) -> None:
    lengths = {a["id"]: a["words"] for a in listed["arguments"]}
    assert {k: v for k, v in lengths.items() if not 50 <= v <= 140} == {}


def test_openings_and_closings_state_no_facts_that_would_need_a_source(
    campaign: Campaign,
) -> None:
    # Openings and closings combine with anything; they carry no figure, so they cite nothing.
    for argument in campaign.arguments:
        if argument.position != "body" and not argument.sources:
            assert not re.search(r"\d", argument.text), argument.id


def test_themes_cover_the_kinds_of_argument(listed: dict[str, Any]) -> None:
    used = Counter(a["theme"] for a in listed["arguments"])
    declared = [t["id"] for t in listed["themes"]]
    assert set(used) == set(declared)
    assert min(used.values()) >= 3


def test_suggested_recipients_resolve_and_read_as_letters(
    listed: dict[str, Any], campaign: Campaign
) -> None:
    assert {r["target"] for r in listed["recipients"]} == TARGETS
    known = {a["id"] for a in listed["arguments"]}
    for recipient in listed["recipients"]:
        chosen = recipient["arguments"]
        if not chosen:
            continue  # routed from the arguments' own `recipients` (see test_routing.py)
        assert set(chosen) <= known, recipient["target"]
        assert campaign.argument(chosen[0]).position == "opening"
        assert campaign.argument(chosen[-1]).position == "closing"
        assert all(campaign.argument(a).position == "body" for a in chosen[1:-1])
        assert len(chosen) == len(set(chosen))
        # What is suggested for an official suits that official.
        for argument_id in chosen:
            suits = campaign.argument(argument_id).recipients
            assert not suits or recipient["target"] in suits, (recipient["target"], argument_id)
    assert set(listed["default_arguments"]) <= known


def test_each_request_goes_to_the_office_that_can_grant_it(campaign: Campaign) -> None:
    asks = {a.id: set(a.recipients) for a in campaign.arguments if a.id.startswith("ask-")}
    assert asks
    for argument_id, suits in asks.items():
        if argument_id.startswith("ask-president-"):
            assert suits == {"white-house"}, argument_id
        elif argument_id.startswith("ask-secretary-"):
            assert suits == {"dhs-secretary"}, argument_id
        elif argument_id.startswith("ask-congress-"):
            assert suits and suits <= CONGRESS, argument_id
    text = {a.id: a.plain_text for a in campaign.arguments}
    assert "Temporary Protected Status" in text["ask-secretary-tps"]
    assert "parole" in text["ask-secretary-parole"].lower()
    assert "refugee" in text["ask-president-refugee-places"].lower()


def test_sources_are_the_articles_the_campaign_draws_on(campaign: Campaign) -> None:
    seeds = [p.read_text(encoding="utf-8").casefold() for p in sorted((SHARED / "seeds").glob("*"))]
    assert seeds, "the source articles are missing"
    cited = {s.id for a in campaign.arguments for s in a.sources}
    assert cited == set(campaign.sources)
    for source in campaign.sources.values():
        needles = [source.outlet]
        if source.author and source.author != source.outlet:
            needles.append(source.author)
        if not source.title.startswith("["):
            needles.append(source.title)
        assert any(all(n.casefold() in seed for n in needles) for seed in seeds), source.id


def test_check_passes_the_bundled_pack_and_the_example(capsys: pytest.CaptureFixture[str]) -> None:
    for path in (REPO / "resources" / "campaigns" / CAMPAIGN_ID, REPO / "docs" / "example-pack"):
        assert main(["campaign", "check", str(path)]) == 0
        out, err = capsys.readouterr()
        assert err == ""
        assert ": OK: campaign '" in out


def test_no_run_of_eight_words_is_copied_from_the_articles() -> None:
    tool = SHARED / "tools" / "originality.py"
    assert tool.is_file(), f"{tool} is missing"
    done = subprocess.run(
        [sys.executable, str(tool), str(REPO)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
