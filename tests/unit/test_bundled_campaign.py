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
# The offices the pack routes arguments to; the pack's recipients are some or all of them.
TARGETS = {
    "white-house",
    "dhs-secretary",
    "attorney-general",
    "secretary-of-state",
    "role:senators",
    "role:representative",
}
CONGRESS = {"role:senators", "role:representative"}
# Official sources (statutes, regulations, the Federal Register, CRS, the court) beside the articles.
OFFICIAL_OUTLETS = (
    "United States Code",
    "Code of Federal Regulations",
    "Federal Register",
    "Congressional Research Service",
    "United States Statutes at Large",
    "International Criminal Court",
)


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
    assert positions["opening"] >= 5
    assert positions["closing"] >= 5
    # Each argument paragraph states facts and names where they come from.
    body = [a for a in arguments if a["position"] == "body"]
    assert len(body) >= 25
    assert all(a["sources"] for a in body), [a["id"] for a in body if not a["sources"]]
    for argument in arguments:
        for source in argument["sources"]:
            assert source["outlet"] and source["date"] and source["title"]


def test_every_argument_is_20_to_140_words(listed: dict[str, Any]) -> None:
    # Short enough that an opening, two reasons, the answer to the objection and a
    # closing fit on one page; long enough to say something.
    lengths = {a["id"]: a["words"] for a in listed["arguments"]}
    assert {k: v for k, v in lengths.items() if not 20 <= v <= 140} == {}


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
    assert min(used.values()) >= 2


def test_suggested_recipients_resolve_and_read_as_letters(
    listed: dict[str, Any], campaign: Campaign
) -> None:
    assert {"white-house", "dhs-secretary"} | CONGRESS <= {
        r["target"] for r in listed["recipients"]
    }
    assert {r["target"] for r in listed["recipients"]} <= TARGETS
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
    # Each office has one opening that asks it, in the first two sentences, for what it can grant.
    openings = {a.id: a for a in campaign.arguments if a.position == "opening"}
    closings = {a.id: a for a in campaign.arguments if a.position == "closing"}
    for target in TARGETS:
        own = [a for a in openings.values() if target in a.recipients]
        assert len(own) == 1, (target, [a.id for a in own])
        first_two = " ".join(re.split(r"(?<=[.!?])\s+", own[0].plain_text)[:2])
        assert "I ask you" in first_two, own[0].id
        assert [c.id for c in closings.values() if target in c.recipients], target
    tools = {
        "opening-ask-president": ("Priority 2", "emergency determination", "section 207"),
        "opening-ask-dhs-secretary": (
            "Temporary Protected Status",
            "extraordinary and temporary conditions",
            "parole",
            "remove none",
        ),
        "opening-ask-attorney-general": ("immigration judges", "precedent decision", "103(g)"),
        "opening-ask-secretary-of-state": ("Priority 2", "refer"),
        "opening-citizen-concern": (
            "Hungarian Refugee Act of 1958",
            "Chinese Student Protection Act of 1992",
            "50 U.S.C. 3508",
        ),
    }
    for argument_id, needles in tools.items():
        text = campaign.argument(argument_id).plain_text
        assert all(n in text for n in needles), (argument_id, needles)
    assert set(campaign.argument("opening-citizen-concern").recipients) == CONGRESS
    # A closing asks for a reply and prompts the writer for a line of their own.
    for closing in closings.values():
        assert "Please tell me" in closing.plain_text, closing.id
        assert "[[Replace this with a sentence or two of your own" in closing.plain_text, closing.id


def test_the_objection_is_answered_without_advertising_anyone(campaign: Campaign) -> None:
    answer = campaign.argument("screening-and-bars")
    assert set(answer.recipients) == TARGETS
    for needle in ("persecutors", "security", "vetted", "8 CFR 208.6", "confidential"):
        assert needle in answer.plain_text, needle
    for recipient in campaign.recipients:
        assert "screening-and-bars" in recipient.arguments, recipient.target


def test_the_audit_corrections_hold(campaign: Campaign) -> None:
    everything = "\n".join(a.plain_text for a in campaign.arguments)
    # Claims that were wrong, overstated or stale on the day of review.
    for stale in (
        "fewer than 20,000",
        "even before the invasion",
        "New York Times",
        "1951",
        "Uniting for Ukraine",
        "ready model",
        "already in place",
        "no new law",
        "firm basis",
        "would ensure",
        "publiciz",
        "by early 2024, Vladimir Putin",
        "deprive",
        "have not yet found a way out",
        "handbills",
        "leaflets",
    ):
        assert stale.casefold() not in everything.casefold(), stale
    text = {a.id: a.plain_text for a in campaign.arguments}
    assert "25,465" in text["refugee-ceiling-history"]
    assert "15,000 to 62,500" in text["refugee-ceiling-history"]
    assert "7,500" in text["refugee-ceiling-history"] and "14163" in text["refugee-ceiling-history"]
    assert "March 17, 2023" in text["leader-wanted-by-icc"]
    assert "Russian Empire" in text["emigre-builders"]
    assert "advocacy group" in text["russian-casualties"]
    assert "grown" in text["russian-casualties"]
    assert "then White House press secretary" in text["case-by-case-not-enough"]
    assert "not an admission" in text["parole-case-by-case"]
    assert "14165" in text["parole-case-by-case"]
    assert "1967 Protocol" in text["refugee-convention"]
    assert "contest" in text["refugee-convention"] or "disagree" in text["refugee-convention"]
    assert "register" in text["tps-limits"]
    assert "unlikely" in text["broad-support"]
    # "Both parties" is said at most once in any suggested letter.
    for recipient in campaign.recipients:
        letter = " ".join(text[a] for a in recipient.arguments).casefold()
        assert letter.count("both parties") + letter.count("either party") <= 1


def test_sources_are_the_articles_the_campaign_draws_on(campaign: Campaign) -> None:
    seeds = [p.read_text(encoding="utf-8").casefold() for p in sorted((SHARED / "seeds").glob("*"))]
    assert seeds, "the source articles are missing"
    cited = {s.id for a in campaign.arguments for s in a.sources}
    assert cited == set(campaign.sources)
    for source in campaign.sources.values():
        if source.outlet.startswith(OFFICIAL_OUTLETS):
            continue
        needles = [source.outlet]
        if source.author and source.author != source.outlet:
            needles.append(source.author)
        if not source.title.startswith("["):
            needles.append(source.title)
        assert any(all(n.casefold() in seed for n in needles) for seed in seeds), source.id
    articles = [s for s in campaign.sources.values() if not s.outlet.startswith(OFFICIAL_OUTLETS)]
    assert len(articles) == 5


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
