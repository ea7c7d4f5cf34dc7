"""Offices built into the program: the President and cabinet offices, read from data.

Their names, addresses and greetings live in ``resources/offices/offices.toml``,
not in code, so that correcting an address or a greeting is an edit of data.
Members of Congress come from the directory instead (composer.core.directory),
and a campaign pack may declare recipients of its own (composer.core.campaigns).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from importlib.resources import files
from types import MappingProxyType

from composer.core.models import Recipient

# Targets that stand for members of Congress found from the writer's ZIP code.
CONGRESS_ROLES = ("role:senators", "role:representative")
# Directory kinds, by the role that covers them.
ROLE_KINDS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "role:senators": ("senator",),
        "role:representative": ("representative", "delegate", "resident-commissioner"),
    }
)


@functools.cache
def builtin_offices() -> Mapping[str, Recipient]:
    """Every built-in office by its id, in the order of the data file."""
    import tomllib  # read once, after the window is up

    text = files("composer.resources").joinpath("offices", "offices.toml").read_text("utf-8")
    offices: dict[str, Recipient] = {}
    for office_id, table in tomllib.loads(text).items():
        offices[office_id] = Recipient(
            id=office_id,
            name=str(table["name"]),
            title=str(table["title"]),
            salutation=str(table["salutation"]),
            address_lines=tuple(str(line) for line in table["address"]),
            kind=str(table.get("kind", "office")),
            email=str(table.get("email", "")),
            contact_form=str(table.get("contact_form", "")),
        )
    return MappingProxyType(offices)


def builtin_office(office_id: str) -> Recipient | None:
    """The built-in office with this id, or None."""
    return builtin_offices().get(office_id.strip().lower())


def role_of(recipient: Recipient) -> str:
    """The Congress role (``role:senators``…) a directory recipient is covered by, or ""."""
    return next((role for role, kinds in ROLE_KINDS.items() if recipient.kind in kinds), "")
