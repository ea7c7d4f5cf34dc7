"""Recipients declared in a pack, and the paragraphs routed to each office."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from composer.core.campaigns import Campaign, default_campaign, load_campaign, read_campaign
from composer.core.compose import routed_letter
from composer.core.models import Recipient, white_house
from composer.core.offices import builtin_office
from composer.core.render import Renderer
from tests.helpers.docs_pack import write_docs_example
from tests.unit.test_campaign_loader import ARGUMENT, CAMPAIGN, make_pack


def member(kind: str) -> Recipient:
    """A member of Congress as the directory gives one."""
    return Recipient(
        id="X000001",
        name="Alex Member",
        title="Senator" if kind == "senator" else "Representative",
        salutation="Dear Senator Member:" if kind == "senator" else "Dear Representative Member:",
        address_lines=("The Honorable Alex Member", "Washington, DC 20510"),
        kind=kind,
    )


@pytest.fixture(scope="module")
def campaign() -> Campaign:
    return default_campaign()


def only_for(campaign: Campaign, targets: set[str]) -> set[str]:
    """Arguments written only for these targets (their `recipients` name nothing else)."""
    return {a.id for a in campaign.arguments if a.recipients and set(a.recipients) <= targets}


def test_each_office_gets_the_paragraphs_routed_to_it(campaign: Campaign) -> None:
    congress = {"role:senators", "role:representative"}
    routed = {
        "white-house": set(campaign.arguments_for(white_house())),
        "dhs-secretary": set(campaign.arguments_for(builtin_office("dhs-secretary"))),  # type: ignore[arg-type]
        "senator": set(campaign.arguments_for(member("senator"))),
    }
    for_president = only_for(campaign, {"white-house"})
    for_dhs = only_for(campaign, {"dhs-secretary"})
    for_congress = only_for(campaign, congress)
    assert for_president and for_dhs and for_congress
    assert for_dhs <= routed["dhs-secretary"]
    assert for_president <= routed["white-house"]
    assert for_congress <= routed["senator"]
    # No office is asked for what only another can grant.
    assert not (for_president | for_congress) & routed["dhs-secretary"]
    assert not (for_dhs | for_congress) & routed["white-house"]
    assert not (for_president | for_dhs) & routed["senator"]
    for chosen in map(campaign.arguments_for, (white_house(), member("representative"))):
        assert campaign.argument(chosen[0]).position == "opening"
        assert campaign.argument(chosen[-1]).position == "closing"


def test_each_copy_of_one_letter_carries_its_own_paragraphs(campaign: Campaign) -> None:
    dhs = builtin_office("dhs-secretary")
    assert dhs is not None
    letter = routed_letter(campaign, [white_house(), dhs, member("senator")])
    renderer = Renderer(campaign.templates)
    texts = {r.id: renderer.render(letter, r, "formal").text for r in letter.recipients}
    for target, key in (
        ("white-house", "white-house"),
        ("dhs-secretary", "dhs-secretary"),
        ("role:senators", "X000001"),
    ):
        group = {"role:senators", "role:representative"} if target.startswith("role:") else {target}
        for argument_id in only_for(campaign, group):
            printed = re.sub(r"\[\[.*?\]\]", "", campaign.argument(argument_id).plain_text)
            words = " ".join(printed.split()[:25])
            present = {k for k, text in texts.items() if words in " ".join(text.split())}
            assert key in present, (argument_id, key)
            assert present <= {key}, (argument_id, present)
    assert "Dear Secretary of Homeland Security:" in texts["dhs-secretary"]
    assert "Dear Mr. President:" in texts["white-house"]


def test_the_cabinet_offices_the_campaign_needs_are_built_in(campaign: Campaign) -> None:
    justice = builtin_office("attorney-general")
    state = builtin_office("secretary-of-state")
    assert justice is not None and state is not None
    assert justice.address_lines[1:] == (
        "U.S. Department of Justice",
        "950 Pennsylvania Avenue NW",
        "Washington, DC 20530-0001",
    )
    assert state.address_lines[1:] == (
        "U.S. Department of State",
        "2201 C Street NW",
        "Washington, DC 20520",
    )
    assert justice.salutation.startswith("Dear ") and state.salutation.startswith("Dear ")
    targets = [r.target for r in campaign.recipients]
    assert "attorney-general" in targets and "secretary-of-state" in targets
    assert {r.id for r in campaign.addressees()} == {
        "white-house",
        "dhs-secretary",
        "attorney-general",
        "secretary-of-state",
    }
    assert campaign.targets_congress
    assert campaign.default_recipient == "white-house"


def with_recipients(block: str, top: str = "") -> str:
    return CAMPAIGN.replace("[[themes]]", f"{top}\n[[themes]]", 1) + "\n" + block


def problems_of(tmp_path: Path, campaign_toml: str, **arguments: str) -> list[str]:
    _campaign, problems = read_campaign(make_pack(tmp_path / "pack", campaign_toml, **arguments))
    return [str(p) for p in problems]


def test_a_target_the_program_cannot_use_is_refused_not_dropped(tmp_path: Path) -> None:
    found = problems_of(
        tmp_path,
        with_recipients(
            '[[recipients]]\ntarget = "role:city-council"\nlabel = "Council"\n'
            'name = "Council"\naddress = ["City Hall"]\n'
        ),
    )
    assert len(found) == 1
    assert "role:city-council" in found[0] and "recipients[1].target" in found[0]
    assert "id, name, address and salutation" in found[0]


def test_a_pack_declares_its_own_recipient_with_its_greeting(tmp_path: Path) -> None:
    pack = make_pack(
        tmp_path / "pack",
        with_recipients(
            '[[recipients]]\nid = "mayor"\nlabel = "The mayor"\nname = "The Mayor"\n'
            'title = "Mayor of Anytown"\naddress = ["City Hall", "Anytown, ST 12345"]\n'
            'salutation = "Dear Madam Mayor:"\nemail = "mayor@example.org"\n',
            top='default_recipient = "mayor"',
        ),
    )
    campaign = load_campaign(pack)
    mayor = campaign.addressee("mayor")
    assert mayor is not None
    assert mayor.salutation == "Dear Madam Mayor:"
    assert mayor.address_lines == ("The Mayor", "City Hall", "Anytown, ST 12345")
    assert mayor.email == "mayor@example.org"
    assert campaign.default_recipient == "mayor"
    assert not campaign.targets_congress


@pytest.mark.parametrize(
    ("block", "top", "expected"),
    [
        (
            'id = "mayor"\nlabel = "M"\nname = "The Mayor"\naddress = ["City Hall"]\n',
            "",
            "salutation",
        ),
        (
            'id = "mayor"\nlabel = "M"\nname = "The Mayor"\nsalutation = "Dear Mayor:"\n',
            "",
            "address",
        ),
        ('target = "white-house"\nlabel = "P"\naddress = ["Elsewhere"]\n', "", "address"),
        ('id = "white-house"\nlabel = "P"\n', "", 'target = "white-house"'),
        (
            'target = "role:senators"\nlabel = "S"\n',
            'default_recipient = "role:senators"',
            "default_recipient",
        ),
        (
            'target = "white-house"\nlabel = "P"\n',
            'default_recipient = "mayor"',
            "default_recipient",
        ),
    ],
)
def test_a_recipient_the_program_cannot_use_is_named(
    tmp_path: Path, block: str, top: str, expected: str
) -> None:
    found = problems_of(tmp_path, with_recipients("[[recipients]]\n" + block, top))
    assert found and expected in found[0], found


def test_an_argument_routed_to_nobody_is_refused(tmp_path: Path) -> None:
    routed = ARGUMENT.replace(
        'sources = ["gazette"]', 'sources = ["gazette"]\nrecipients = ["mayr"]'
    )
    found = problems_of(tmp_path, CAMPAIGN, hello=routed)
    assert found == [
        "arguments/hello.md: recipients: 'mayr' is not a recipient of this pack or of the "
        "program; use a target or id from the [[recipients]] of campaign.toml"
    ]


@pytest.mark.parametrize("reserved", ["con", "nul", "aux", "lpt1"])
def test_ids_windows_reserves_are_refused(tmp_path: Path, reserved: str) -> None:
    text = ARGUMENT.replace('id = "hello"', f'id = "{reserved}"')
    campaign_toml = CAMPAIGN.replace('["hello"]', f'["{reserved}"]')
    found = problems_of(tmp_path, campaign_toml, **{reserved: text})
    assert any("reserves for a device" in p for p in found), found


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    pack = make_pack(tmp_path / "pack", "\ufeff" + CAMPAIGN, hello="\ufeff" + ARGUMENT)
    assert load_campaign(pack).argument("hello").position == "opening"


def test_a_misspelt_key_is_warned_with_the_nearest_known_key(tmp_path: Path) -> None:
    misspelt = CAMPAIGN.replace("default_subject", "defualt_subject").replace(
        'summary = "Ask for a bike lane."',
        'summary = "Ask for a bike lane."\ndefault_subject = "A bike lane"',
    )
    argument = ARGUMENT.replace('position = "opening"', 'postion = "opening"')
    campaign, problems = read_campaign(make_pack(tmp_path / "pack", misspelt, hello=argument))
    assert problems == [] and campaign is not None
    warnings = [str(w) for w in campaign.warnings]
    assert any(
        "'defualt_subject'" in w and "did you mean 'default_subject'?" in w for w in warnings
    )
    assert any(
        w.startswith("arguments/hello.md:") and "did you mean 'position'?" in w for w in warnings
    ), warnings


def test_the_docs_city_council_pack_routes_its_request_to_the_council_member(
    tmp_path: Path,
) -> None:
    campaign = load_campaign(write_docs_example(tmp_path))
    assert campaign.warnings == ()
    member_of_council = campaign.addressee(campaign.default_recipient)
    assert member_of_council is not None
    chosen = campaign.arguments_for(member_of_council)
    written_for = only_for(campaign, {member_of_council.id})
    assert written_for and written_for <= set(chosen)
    assert not set(written_for) & set(campaign.default_arguments)
    assert campaign.argument(chosen[-1]).position == "closing"
    assert not campaign.targets_congress and campaign.coach_research == ""


def test_an_opening_written_for_an_office_replaces_the_general_one(tmp_path: Path) -> None:
    general = ARGUMENT
    own = ARGUMENT.replace('id = "hello"', 'id = "hello-mayor"').replace(
        'sources = ["gazette"]', 'sources = ["gazette"]\nrecipients = ["mayor"]'
    )
    pack = make_pack(
        tmp_path / "pack",
        with_recipients(
            '[[recipients]]\nid = "mayor"\nlabel = "The mayor"\nname = "The Mayor"\n'
            'address = ["City Hall"]\nsalutation = "Dear Mayor:"\n'
            '\n[[recipients]]\ntarget = "white-house"\nlabel = "The President"\n'
        ),
        hello=general,
        **{"hello-mayor": own},
    )
    campaign = load_campaign(pack)
    mayor = campaign.addressee("mayor")
    assert mayor is not None
    assert campaign.arguments_for(mayor) == ("hello-mayor",)
    assert campaign.arguments_for(white_house()) == ("hello",)
