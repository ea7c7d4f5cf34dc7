"""Fuzzing pack templates: whatever the template text, a render ends within the limits, and
a template that passes `campaign check` renders for every sample letter."""

from __future__ import annotations

import dataclasses
import os
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from composer.core.campaigns import load_campaign, template_hazards
from composer.core.packs import rendering_problems, sample_letters, sample_recipients
from composer.core.render import Renderer, RenderError, RenderLimits

REPO = Path(__file__).resolve().parents[2]
CAMPAIGN = load_campaign(REPO / "docs" / "example-pack")
LIMITS = RenderLimits(
    seconds=0.5, steps=5_000, output_chars=200_000, text_chars=50_000, work_chars=500_000
)
# Time one render may take beyond its limit: the checks run between steps, and no single
# step on values within the size limits takes long.
SLACK = 1.0

NUMBERS = st.sampled_from(["0", "1", "2", "7", "80", "1000", "1000000", "3000000000", "-5"])
VALUES = st.sampled_from(
    [
        "body_text",
        "body",
        "subject",
        "sender.name",
        "sender.lines",
        "recipient.address_lines",
        "recipient.salutation",
        "'ab'",
        "'<img src=//t.example/>'",
        "[1, 2, 3]",
        "body_text|list",
        "sender.ward",
        "nothing",
    ]
)


def _filters(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.builds("{}|center({})".format, inner, NUMBERS),
        st.builds("{}|indent({})".format, inner, NUMBERS),
        st.builds("{}|wordwrap({}, wrapstring={})".format, inner, NUMBERS, inner),
        st.builds("{}|replace({}, {})".format, inner, inner, inner),
        st.builds("{}|join({})".format, inner, inner),
        st.builds("{}|format({})".format, inner, inner),
        st.builds("{}|truncate({})".format, inner, NUMBERS),
        st.builds("({} ~ {})".format, inner, inner),
        st.builds("({} + {})".format, inner, inner),
        st.builds("({} * {})".format, inner, NUMBERS),
        st.builds("{}[{}:]".format, inner, NUMBERS),
        st.builds(
            "{}|{}".format,
            inner,
            st.sampled_from(
                [
                    "upper",
                    "list",
                    "length",
                    "string",
                    "sort",
                    "unique|list",
                    "reverse",
                    "tojson",
                    "urlize",
                    "title",
                    "striptags",
                    "wordcount",
                    "first",
                    "last",
                    "sum",
                    "int",
                    "pprint",
                    "e",
                    "map('upper')|list",
                    "select|list",
                    "dictsort",
                    "xmlattr",
                    "items",
                    "trim",
                    "capitalize",
                    "urlencode",
                ]
            ),
        ),
        st.builds("{}|batch({}, {})".format, inner, NUMBERS, inner),
        st.builds("{}|slice({})".format, inner, NUMBERS),
        st.builds("{}|round({})".format, inner, NUMBERS),
        st.builds("{}|truncate({}, {}, {})".format, inner, NUMBERS, inner, inner),
        st.builds("({} % {})".format, inner, inner),
        st.builds("({} ** {})".format, inner, NUMBERS),
        st.builds("{}.{}()".format, inner, st.sampled_from(["upper", "split", "center"])),
        st.builds("range({})".format, NUMBERS),
    )


EXPRESSIONS = st.recursive(VALUES, _filters, max_leaves=6)


def _blocks(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.builds("{{% for x in {} %}}{}{{% endfor %}}".format, EXPRESSIONS, inner),
        st.builds("{{% if {} %}}{}{{% else %}}{}{{% endif %}}".format, EXPRESSIONS, inner, inner),
        st.builds("{{% set x %}}{}{{% endset %}}{{{{ x }}}}{{{{ x }}}}".format, inner),
        st.builds(
            "{{% macro m(n) %}}{}{{% if n %}}{{{{ m(n - 1) }}}}{{{{ m(n - 1) }}}}{{% endif %}}"
            "{{% endmacro %}}{{{{ m({}) }}}}".format,
            inner,
            NUMBERS,
        ),
        st.lists(inner, max_size=4).map("".join),
    )


PIECES = st.one_of(
    st.builds("{{{{ {} }}}}".format, EXPRESSIONS),
    st.sampled_from(["<p>", "</p>", "\n", "Dear ", "<b>x</b>", "{{ x }}", "{{ loop.index }}"]),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12),
)
TEMPLATES = st.recursive(PIECES, _blocks, max_leaves=12)


def _render_everything(renderer: Renderer, name: str) -> None:
    """Render `name` for every sample letter and recipient, as check does, timing each."""
    for letter in sample_letters(CAMPAIGN):
        for recipient in sample_recipients():
            context = renderer.context(letter, recipient)
            for standalone in (False, True):
                started = time.monotonic()
                output = renderer.render_file(name, {**context, "standalone": standalone})
                assert time.monotonic() - started < LIMITS.seconds + SLACK
                assert len(output) <= LIMITS.output_chars


@settings(
    max_examples=int(os.environ.get("COMPOSER_FUZZ_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(TEMPLATES)
def test_any_template_ends_within_the_limits_and_one_that_passes_check_renders(
    template: str,
) -> None:
    campaign = dataclasses.replace(CAMPAIGN, templates={"formal.html": template})
    renderer = Renderer(campaign.templates, LIMITS)
    # Whatever it is, every render ends in time with a letter or a RenderError, never more.
    for letter in sample_letters(campaign)[:1]:
        for recipient in sample_recipients()[:2]:
            started = time.monotonic()
            try:
                output = renderer.render_file(
                    "formal.html", {**renderer.context(letter, recipient), "standalone": True}
                )
            except RenderError:
                pass
            else:
                assert len(output) <= LIMITS.output_chars
            assert time.monotonic() - started < LIMITS.seconds + SLACK
    # What check accepts, the program can use.
    if template_hazards(template) or "\x00" in template:
        return
    if rendering_problems(campaign, LIMITS):
        return
    _render_everything(renderer, "formal.html")
