"""Hard limits while a template renders: time, steps, output and the size of every value."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from composer.core.models import Letter, Sender, white_house
from composer.core.render import Renderer, RenderError, RenderLimitError, RenderLimits
from tests.helpers.cli import run_composer

REPO = Path(__file__).resolve().parents[2]


def letter() -> Letter:
    return Letter(
        sender=Sender(name="Ann Example", street="1 Main St", city="Springfield", email="a@e.org"),
        recipients=[white_house()],
        subject="A request",
        body_html="<p>Please act.</p>",
    )


def render_with(html: str, limits: RenderLimits | None = None) -> str:
    renderer = Renderer(
        {"formal.html": html, "formal.txt": "{{ body_text }}"},
        **({"limits": limits} if limits else {}),
    )
    return renderer.render(letter(), white_house()).document_html


# (case, template, words the message must hold); the last line of each template is the culprit.
RUNAWAY = [
    (
        "four nested loops",
        "<p>\n{% for a in range(1000) %}{% for b in range(1000) %}{% for c in range(1000) %}"
        "{% for d in range(1000) %}x{% endfor %}{% endfor %}{% endfor %}{% endfor %}",
        "100,000 steps",
    ),
    (
        "nested loops that write nothing",
        "{% set s = 'abcdefghij' * 100 %}\n{% for a in s %}{% for b in s %}{% for c in s %}"
        "{% endfor %}{% endfor %}{% endfor %}",
        "steps",
    ),
    ("center", "<p>\n{{ subject|center(3000000000) }}", "3,000,000,000 characters"),
    ("center of a constant", "<p>\n{{ 'x'|center(3000000000) }}", "3,000,000,000"),
    ("repeat with *", "<p>\n{{ subject * 3000000000 }}", "repeated text"),
    ("percent width", "<p>\n{{ '%3000000000s' % subject }}", "width"),
    ("format width", "<p>\n{{ '%3000000000s'|format(subject) }}", "width"),
    ("join", "<p>\n{{ range(90000)|join(subject * 10000) }}", "joined text"),
    (
        "replace",
        "{% set s = 'a' * 100000 %}\n{{ s|replace('a', subject * 1000) }}",
        "replaced text",
    ),
    ("indent", "{% set s = '\\n' * 100000 %}\n{{ s|indent(100000) }}", "indented text"),
    (
        "wordwrap",
        "{% set s = 'a ' * 400000 %}\n{{ s|wordwrap(1, wrapstring=subject * 100) }}",
        "wrapped text",
    ),
    ("huge range", "<p>\n{{ range(10 ** 12)|list|length }}", "range of 1,000,000,000,000"),
    (
        "doubling with ~",
        "{% set ns = namespace(s=subject) %}{% for i in range(64) %}\n"
        "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}",
        "characters",
    ),
    (
        "doubling with +",
        "{% set ns = namespace(s=subject) %}{% for i in range(64) %}\n"
        "{% set ns.s = ns.s + ns.s %}{% endfor %}{{ ns.s|length }}",
        "characters",
    ),
    (
        "doubling a list",
        "{% set ns = namespace(s=[1]) %}{% for i in range(64) %}\n"
        "{% set ns.s = ns.s + ns.s %}{% endfor %}{{ ns.s|length }}",
        "items",
    ),
    (
        "doubling through a macro",
        "<p>\n{% macro twice(n) %}{% if n %}{{ twice(n - 1) }}{{ twice(n - 1) }}{% else %}x"
        "{% endif %}{% endmacro %}{{ twice(60) }}",
        "",
    ),
    (
        "a block filled in a loop",
        "<p>\n{% set s %}{% for i in range(90000) %}{{ subject * 100 }}{% endfor %}"
        "{% endset %}{{ s|length }}",
        "",
    ),
    (
        "many slices kept",
        "{% set big = subject * 100000 %}{% set ns = namespace(l=[]) %}"
        "{% for i in range(90000) %}\n{% set ns.l = ns.l + [big[1:]] %}{% endfor %}",
        "",
    ),
    ("a huge power", "<p>\n{{ 7 ** 900000 }}", "power"),
    ("a huge product", "{% set n = 7 ** 1000 %}\n{{ n * n }}", "multiplies"),
    ("round to a billion digits", "<p>\n{{ 5|round(-1000000000) }}", "round"),
    ("tojson indent", "<p>\n{{ [[[1]]]|tojson(indent=1000000000) }}", "indent"),
    ("batch", "<p>\n{{ [1]|batch(1000000000, 'x')|list }}", "parts"),
    ("slice", "<p>\n{{ [1]|slice(1000000000)|list }}", "parts"),
]


@pytest.mark.parametrize(("case", "html", "words"), RUNAWAY, ids=[c[0] for c in RUNAWAY])
def test_a_runaway_template_is_stopped_with_its_name_line_and_limit(
    case: str, html: str, words: str
) -> None:
    started = time.monotonic()
    with pytest.raises(RenderLimitError) as caught:
        render_with(html)
    assert time.monotonic() - started < 5
    message = str(caught.value)
    assert "Template 'formal.html' at line 2 was stopped" in message, message
    assert words in message
    assert caught.value.line == 2


@pytest.mark.parametrize(
    "html",
    [
        "{{ subject.center(3000000000) }}",
        "{{ subject.ljust(3000000000) }}",
        "{{ subject.zfill(3000000000) }}",
        "{{ subject.format() }}",
        "{{ subject.replace('', subject * 100000) }}",
        "{{ subject.join(range(100000)) }}",
        "{{ lipsum(1000000000) }}",
    ],
)
def test_str_methods_that_pad_or_repeat_are_not_reachable(html: str) -> None:
    with pytest.raises(RenderError):
        render_with(html)


def test_the_clock_stops_a_slow_template() -> None:
    limits = RenderLimits(seconds=0.3, steps=10**9)
    html = (
        "{% set s = 'abcdefghij' * 100 %}\n"
        "{% for a in s %}{% for b in s %}{% for c in s %}{% endfor %}{% endfor %}{% endfor %}"
    )
    started = time.monotonic()
    with pytest.raises(RenderLimitError, match=r"more than 0\.3 seconds"):
        render_with(html, limits)
    assert time.monotonic() - started < 2


def test_the_output_limit_counts_what_is_written() -> None:
    limits = RenderLimits(output_chars=5000)
    with pytest.raises(RenderLimitError, match=r"wrote more than 5,\d{3} characters"):
        render_with("{% for i in range(1000) %}0123456789{% endfor %}", limits)
    assert render_with("{% for i in range(100) %}0123456789{% endfor %}", limits).count("0") == 100


def test_an_ordinary_template_is_untouched_by_the_limits() -> None:
    html = (
        "{% for line in sender.lines %}{{ line }}{% if not loop.last %}, {% endif %}{% endfor %}"
        "|{{ sender.lines|join('; ') }}|{{ subject|upper|center(20) }}|{{ '%05d'|format(42) }}"
        "|{{ subject ~ '!' }}|{{ subject[2:] }}|{{ range(3)|list }}|{{ 2 ** 10 }}"
    )
    assert render_with(html) == (
        "Ann Example, 1 Main St, Springfield, a@e.org|Ann Example; 1 Main St; Springfield; "
        "a@e.org|     A REQUEST      |00042|A request!|request|[0, 1, 2]|1024"
    )


def test_limits_are_per_render_not_per_renderer() -> None:
    renderer = Renderer(
        {"formal.html": "{% for i in range(3000) %}.{% endfor %}", "formal.txt": "x"},
        limits=RenderLimits(steps=4000),
    )
    for _ in range(5):  # 3 templates × 5 letters × 3000 steps: far more than 4000 in all
        renderer.render(letter(), white_house())


def test_an_include_outside_the_pack_is_named() -> None:
    with pytest.raises(RenderError) as caught:
        render_with("{% include '/etc/passwd' %}")
    assert "includes '/etc/passwd'" in str(caught.value)
    assert "no template named 'formal" not in str(caught.value)


MEMORY_PROBE = textwrap.dedent(
    """
    import json, resource, sys, time
    from composer.core.models import Letter, Sender, white_house
    from composer.core.render import Renderer, RenderError
    html = sys.argv[1]
    letter = Letter(sender=Sender(name="Ann"), recipients=[white_house()], subject="A request")
    renderer = Renderer({"formal.html": html, "formal.txt": "x"})
    Renderer().render(letter, white_house())  # load everything an ordinary render needs
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    try:
        renderer.render(letter, white_house())
        outcome = "rendered"
    except RenderError as error:
        outcome = str(error)
    seconds = time.monotonic() - started
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    print(json.dumps({"outcome": outcome, "grown_kib": grown, "seconds": seconds}))
    """
)
MEMORY_CASES = {
    "nested loops": "{% for a in range(1000) %}{% for b in range(1000) %}{% for c in range(1000) %}"
    "{{ subject * 1000 }}{% endfor %}{% endfor %}{% endfor %}",
    "center": "{{ subject|center(3000000000) }}",
    "doubling": "{% set ns = namespace(s=subject) %}{% for i in range(64) %}"
    "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}",
    "kept copies": "{% set big = subject * 100000 %}{% set ns = namespace(l=[]) %}"
    "{% for i in range(90000) %}{% set ns.l = ns.l + [big[1:] ~ i] %}{% endfor %}",
}


@pytest.mark.parametrize("html", MEMORY_CASES.values(), ids=MEMORY_CASES.keys())
def test_memory_stays_small_while_a_runaway_template_is_stopped(html: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE, html],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    report = json.loads(result.stdout)
    assert "was stopped" in report["outcome"]
    assert report["grown_kib"] < 200 * 1024, report  # resident memory grew by under 200 MiB
    assert report["seconds"] < 5, report


def test_the_command_line_stops_a_runaway_template_of_an_older_import(tmp_path: Path) -> None:
    """A pack imported before these checks, with loops the old check let through."""
    pack = tmp_path / "pack"
    shutil.copytree(REPO / "docs" / "example-pack", pack)
    (pack / "templates").mkdir()
    (pack / "templates" / "formal.html.j2").write_text(
        "<p>{{ recipient.salutation }}</p>\n"
        "{% for a in body_text %}{% for b in body_text %}{% for c in body_text %}"
        "{% for d in body_text %}.{% endfor %}{% endfor %}{% endfor %}{% endfor %}"
    )
    sender = tmp_path / "sender.toml"
    sender.write_text('name = "Ann Example"\nstreet = "1 Main St"\ncity = "Springfield"\n')
    started = time.monotonic()
    result = run_composer(
        "render",
        "--campaign",
        str(pack),
        "--to",
        "white-house",
        "--sender",
        str(sender),
        "--out",
        str(tmp_path / "a.pdf"),
    )
    assert time.monotonic() - started < 60
    assert result.returncode != 0
    assert "Template 'formal.html' at line 2 was stopped" in result.stderr
    assert "100,000 steps" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "a.pdf").exists()


def test_a_long_letter_of_the_supporters_own_renders() -> None:
    """The limits are on what a template adds: a letter of 3,000,000 characters still renders."""
    body = "<p>" + ("A sentence of the supporter's own. " * 90_000) + "</p>"
    long = Letter(sender=Sender(name="Ann"), recipients=[white_house()], body_html=body)
    rendered = Renderer().render(long, white_house())
    assert len(rendered.text) > 3_000_000
    assert len(rendered.document_html) > 3_000_000
    # A template may not add that much of its own: the room grows with the letter, no more.
    repeating = Renderer(
        {"formal.html": "{% for i in range(50) %}{{ body }}{% endfor %}", "formal.txt": "x"}
    )
    with pytest.raises(RenderLimitError, match="wrote more than"):
        repeating.render(long, white_house())


def test_what_a_template_writes_that_would_fetch_or_run_is_left_out() -> None:
    """For packs imported before check refused them: the body stays, the script goes."""
    html = (
        "<p>{{ recipient.salutation }}</p><script>document.body.remove()</script>{{ body }}"
        '<img src="https://t.example/px?who={{ sender.email|urlencode }}"><p>{{ signature }}</p>'
    )
    rendered = Renderer({"formal.html": html, "formal.txt": "{{ body_text }}"}).render(
        letter(), white_house()
    )
    for output in (rendered.flow_html, rendered.document_html):
        assert "Please act." in output and "Ann Example" in output
        assert "<script" not in output and "t.example" not in output and "a%40e.org" not in output


# Every filter Jinja has, used in an ordinary way: the guarded filters must give what Jinja's
# own give.
EVERY_FILTER = """\
{{ -3|abs }} {{ 'x'|attr('upper') is defined }} {{ [1, 2, 3, 4]|batch(3, 0)|list }}
{{ 'ab'|capitalize }} {{ 'ab'|center(6) }}|{{ none|default('d') }} {{ none|d('d') }}
{{ {'b': 1, 'a': 2}|dictsort }} {{ '<'|e }} {{ '<'|escape }} {{ 1234567|filesizeformat }}
{{ [3, 1]|first }} {{ '1.5'|float }} {{ '<'|forceescape }} {{ '%s-%d'|format('a', 4) }}
{{ [{'k': 1}, {'k': 1}]|groupby('k')|list }} {{ 'a\\nb'|indent(2, true) }} {{ '42'|int }}
{{ {'a': 1}|items|list }} {{ [1, 2]|join(', ') }} {{ [1, 2]|last }} {{ 'abc'|length }}
{{ 'ab'|list }} {{ 'AB'|lower }} {{ [1, 2]|map('string')|list }} {{ [1, 5]|max }}
{{ [1, 5]|min }} {{ {'a': 1}|pprint }} {{ [1]|random }} {{ [1, 2]|reject('odd')|list }}
{{ [{'a': 0}]|rejectattr('a')|list }} {{ 'aXa'|replace('a', 'b', 1) }} {{ [1, 2]|reverse|list }}
{{ 2.567|round(1) }} {{ '<b>'|safe }} {{ [1, 2]|select('odd')|list }}
{{ [{'a': 1}]|selectattr('a')|list }} {{ [1, 2, 3]|slice(2)|list }} {{ [2, 1]|sort }}
{{ 3|string }} {{ '<b>x</b>'|striptags }} {{ [1, 2]|sum }} {{ 'ab cd'|title }}
{{ {'a': '<'}|tojson }} {{ ' x '|trim }} {{ 'hello world'|truncate(9, true, '..', 0) }}
{{ [1, 1]|unique|list }} {{ 'ab'|upper }} {{ 'a b'|urlencode }} {{ 'see https://e.org'|urlize }}
{{ 'a b c'|wordcount }} {{ 'aaa bbb'|wordwrap(3) }} {{ {'id': 'x'}|xmlattr }} {{ 'ab'|count }}
"""


def test_every_filter_works_as_jinja_made_it() -> None:
    from jinja2 import DictLoader
    from jinja2.filters import FILTERS
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    used = {name for name in FILTERS if f"|{name}" in EVERY_FILTER}
    assert used == set(FILTERS), set(FILTERS) - used
    plain = ImmutableSandboxedEnvironment(
        loader=DictLoader({"t.html": EVERY_FILTER}),
        autoescape=True,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # |random picks from a one-item list, so the two outputs can be compared whole.
    expected = plain.get_template("t.html").render()
    assert render_with(EVERY_FILTER) == expected
