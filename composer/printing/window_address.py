"""The ways an inside address may be rewritten to fit the envelope window at 10 pt or more.

The Postal Service reads an address from the bottom up: the last line (city, state
and ZIP code, or the country abroad), then the delivery line directly above it
(the street and number, or a PO box), then the recipient. What the window shows must
be set at 10 pt or more, so an address that does not fit is rewritten, in this
order, until it does (see :func:`window_forms`):

1. with USPS Publication 28's abbreviations (:func:`composer.core.address.shortened_forms`,
   then every word of the table shortened wherever it stands);
2. with a unit that had a line of its own put back at the end of the delivery line
   ("600 Main St, Ste 216"), the form Publication 28 prefers; or, when the delivery
   line is too long with its unit, the unit on the line above it, as Publication 28
   allows;
3. with a long line above the delivery line (the name, the office held, a building)
   broken in two, after a comma or the honorific where it has one;
4. without the recipient's second name line: an "Attention" line if there is one,
   else the office held under the name ("United States Representative"). It
   names no place, and the name above it still says whom the letter is for;
   that is the one line Publication 28 counts as optional in a recipient block.

The delivery line and the last line are never broken, shortened only by
abbreviation, and never moved: the street line always stays whole, directly above
the city line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence

from composer.core.address import shortened_forms
from composer.core.postal import abbreviate, is_foreign_country_line

_UNIT_ONLY = re.compile(
    r"^(?:Suite|Ste|Room|Rm|Apt|Apartment|Unit|Floor|Fl|#)\.?\s*[\w-]+$", re.IGNORECASE
)
_ATTENTION = re.compile(r"^(?:attn|attention|c/o)\b", re.IGNORECASE)
_HONORIFIC = re.compile(r"^(?:The Honorable|The Hon\.?|Hon\.?|Honorable)\s+", re.IGNORECASE)


def delivery_index(lines: Sequence[str]) -> int:
    """The index of the delivery line: the one directly above the city line (which is
    the last line, or the one above a country line). 0 when the address is too short
    to have one."""
    last = len(lines) - 1
    if last >= 1 and is_foreign_country_line(lines[last]):
        last -= 1
    return max(0, last - 1)


def compressed(lines: Sequence[str]) -> list[str]:
    """Every word of Publication 28's table shortened, except in the first line (a name)."""
    return [lines[0], *(abbreviate(line, compress=True) for line in lines[1:])] if lines else []


def unit_joined(lines: Sequence[str]) -> list[str]:
    """A unit alone on the line above the delivery line put back at its end."""
    result = list(lines)
    street = delivery_index(result)
    if street >= 2 and _UNIT_ONLY.match(result[street - 1].strip()):
        unit = result.pop(street - 1).strip()
        result[street - 1] = f"{result[street - 1].rstrip(', ')}, {unit}"
    return result


_UNIT_AT_END = re.compile(
    r"^(?P<street>.*?\S)[,\s]+(?P<unit>(?:Suite|Ste|Room|Rm|Apt|Apartment|Unit|Floor|Fl|#)"
    r"\.?\s*[\w-]+)$",
    re.IGNORECASE,
)


def unit_above(lines: Sequence[str]) -> list[str] | None:
    """The unit at the end of the delivery line moved to a line of its own above it;
    None when the delivery line ends with no unit."""
    street = delivery_index(lines)
    match = _UNIT_AT_END.match(lines[street].strip()) if street >= 1 else None
    if match is None:
        return None
    moved = [match.group("unit"), match.group("street").rstrip(",")]
    return [*lines[:street], *moved, *lines[street + 1 :]]


def without_second_name_line(lines: Sequence[str]) -> list[str] | None:
    """The address without its optional line (module docstring, rule 4); None when it has
    none: only a line between the name and the delivery line, with no figure in it, goes."""
    street = delivery_index(lines)
    optional = [i for i in range(1, street) if _ATTENTION.match(lines[i].strip())]
    if not optional and street >= 2 and not any(ch.isdigit() for ch in lines[1]):
        optional = [1]
    if not optional:
        return None
    return [line for i, line in enumerate(lines) if i != optional[0]]


def broken_in_two(line: str, fits: Callable[[str], bool]) -> tuple[str, str] | None:
    """A line cut in two at a space so that both parts fit; None when no cut does.

    After a comma if one works (the comma goes), else after an honorific ("The
    Honorable"), else where the longer part is shortest.
    """
    words = line.split()
    cuts: list[tuple[int, str, str]] = []
    for index in range(1, len(words)):
        head, tail = " ".join(words[:index]), " ".join(words[index:])
        if not (fits(head.rstrip(",")) and fits(tail)):
            continue
        rank = 0 if head.endswith(",") else 1
        if rank == 1 and _HONORIFIC.fullmatch(head + " "):
            rank = 0
        cuts.append((rank, head.rstrip(","), tail))
    if not cuts:
        return None
    best = min(cuts, key=lambda cut: (cut[0], max(len(cut[1]), len(cut[2]))))
    return best[1], best[2]


def broken_lines(lines: Sequence[str], fits: Callable[[str], bool]) -> list[str] | None:
    """The address with each line above the delivery line that is too wide broken in two;
    None when none is too wide or one cannot be broken so that it fits."""
    street = delivery_index(lines)
    result: list[str] = []
    changed = False
    for index, line in enumerate(lines):
        if index < street and not fits(line):
            parts = broken_in_two(line, fits)
            if parts is None:
                return None
            result += parts
            changed = True
        else:
            result.append(line)
    return result if changed else None


def window_forms(
    lines: Sequence[str], fits_width: Callable[[str], bool]
) -> Iterator[tuple[str, list[str]]]:
    """The address as written, then rewritten by the rules of the module docstring, in
    order; each form with the rule that made it ("", "abbreviated", "joined",
    "unit above", "broken", "dropped"). Forms equal to one given before are left out.

    Args:
        lines: the address lines (blank ones are left out).
        fits_width: whether one line fits the window's width at the smallest size.
    """
    original = [line for line in lines if line.strip()]
    seen: list[list[str]] = []

    def new(form: list[str] | None) -> bool:
        if form is None or form in seen:
            return False
        seen.append(form)
        return True

    if new(original):
        yield "", original
    shortened = shortened_forms(original)
    for form in shortened:
        if new(form):
            yield "abbreviated", form
    for form in [original, *shortened]:
        split = unit_above(form)
        if new(split):
            yield "unit above", split  # type: ignore[misc]
    squeezed = compressed(shortened[-1] if shortened else original)
    if new(squeezed):
        yield "abbreviated", squeezed
    joined = unit_joined(squeezed)
    if new(joined):
        yield "joined", joined
    split = unit_above(joined)
    if new(split):
        yield "unit above", split  # type: ignore[misc]
    # Lines broken or left out start from the least changed form that has them.
    bases = list(seen)
    for start in bases:
        broken = broken_lines(start, fits_width)
        if new(broken):
            yield "broken", broken  # type: ignore[misc]
    for start in bases:
        dropped = without_second_name_line(start)
        if dropped is None:
            continue
        if new(dropped):
            yield "dropped", dropped
        broken = broken_lines(dropped, fits_width)
        if new(broken):
            yield "dropped", broken  # type: ignore[misc]
