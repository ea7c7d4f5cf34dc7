"""Placeholders in the body the user edits cannot reach Python internals, nor hang the program.

The body of a letter can come from someone else (a letter file, a paste), so
every escape route known for Jinja2 templates is tried here against
:func:`composer.core.render.fill_placeholders`, the function every print,
export and e-mail goes through. Attempts that could take the process down
(huge strings, endless loops) run in a child process with a time and memory
limit, so a failure shows as a failed test, not a hung test run.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from composer.core.models import Letter, Sender, white_house
from composer.core.render import (
    MissingValuesError,
    Renderer,
    RenderError,
    fill_placeholders,
    placeholder_context,
)

LEAKS = ("<class", "<function", "<built-in", "<module", "0x", "__", "Template", "jinja2")


def context() -> dict[str, object]:
    letter = Letter(sender=Sender(name="Ana Ruiz", city="Seattle"))
    return placeholder_context(letter, white_house())


def outcome(body: str) -> str:
    """What filling a body gives: its text, or the error's name and message."""
    try:
        return fill_placeholders(body, context())
    except MissingValuesError as error:
        return f"missing: {', '.join(error.names)}"
    except RenderError as error:
        return f"refused: {error}"


ESCAPES = [
    "{{ sender.__class__ }}",
    "{{ sender['__class__'] }}",
    "{{ sender.__class__.__mro__[1].__subclasses__() }}",
    "{{ ''.__class__.__mro__ }}",
    "{{ sender.__init__.__globals__ }}",
    "{{ recipient.get.__self__ }}",
    "{{ self.__init__.__globals__.__builtins__ }}",
    "{{ self._TemplateReference__context }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "{{ joiner.__init__.__globals__ }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ sender|attr('__class__') }}",
    "{{ sender|attr('__cla' ~ 'ss__')|attr('__mro__') }}",
    "{{ (sender|attr('\\x5f\\x5fclass\\x5f\\x5f')) }}",
    "{{ '{0.__class__.__mro__}'.format(sender) }}",
    "{{ '{0.__class__}'|format(sender) }}",
    "{{ '%s'.__mod__.__self__ }}",
    "{{ sender.update({'city': 'Pwned'}) }}{{ sender.city }}",
    "{{ sender.pop('city') }}",
    "{% set x = sender.__setitem__('city', 'Pwned') %}{{ sender.city }}",
    "{{ config }}{{ request }}{{ os }}",
    "{% import 'os' as os %}",
    "{% include '/etc/passwd' %}",
    "{% extends '../../etc/passwd' %}",
    "{{ range.__self__ }}",
    "{{ dict(a=1).__class__.__base__ }}",
    "{% for c in ().__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
    "{{ sender.items()|list|first|attr('__class__') }}",
]


@pytest.mark.parametrize("body", ESCAPES)
def test_escape_attempts_reach_nothing(body: str) -> None:
    result = outcome(body)
    assert result.startswith(("refused: ", "missing: ")) or not any(
        leak in result for leak in LEAKS
    ), result
    if not result.startswith("refused: "):
        # Whatever came out holds no trace of Python's insides and nothing changed.
        assert "Pwned" not in result
        assert not any(leak in result for leak in ("<class", "<function", "0x", "/bin/"))
    assert context()["sender"]["city"] == "Seattle"


@pytest.mark.parametrize(
    "body",
    [
        "{{ range(10**9)|list }}",
        "{% for i in range(10**7) %}{% endfor %}",
        "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
        "{{ 1/0 }}",
        "{{ {}|attr('x')|attr('y') }}",
    ],
)
def test_huge_ranges_and_recursion_are_refused(body: str) -> None:
    assert outcome(body).startswith(("refused: ", "missing: "))


def test_a_missing_value_is_named_every_time() -> None:
    result = outcome("Dear {{ recipient.salutation }} from {{ sender.street }} {{ sender.phone }}")
    assert result == "missing: sender.street, sender.phone"


def test_the_whole_render_names_missing_values_before_producing_anything() -> None:
    letter = Letter(sender=Sender(name="Ana"), body_html="<p>I live in {{ sender.city }}.</p>")
    with pytest.raises(MissingValuesError) as caught:
        Renderer().render(letter, white_house())
    assert caught.value.names == ["sender.city"]
    assert "sender.city" in str(caught.value)


def test_values_are_escaped_not_interpreted() -> None:
    letter = Letter(sender=Sender(name="Ana", city="<script>alert(1)</script>{{ 7*7 }}"))
    filled = fill_placeholders(
        "<p>{{ sender.city }}</p>", placeholder_context(letter, white_house())
    )
    assert filled == "<p>&lt;script&gt;alert(1)&lt;/script&gt;{{ 7*7 }}</p>"


def run_bounded(body: str, seconds: float = 8.0) -> str:
    """Fill `body` in a child process limited to 1 GB and `seconds`; what it printed, or why not."""
    script = textwrap.dedent(
        f"""
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
        from composer.core.models import Letter, Sender, white_house
        from composer.core.render import RenderError, fill_placeholders, placeholder_context
        context = placeholder_context(Letter(sender=Sender(name="A")), white_house())
        try:
            result = fill_placeholders({body!r}, context)
        except RenderError:
            print("refused")
        else:
            print("filled", len(result))
        """
    )
    try:
        done = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            timeout=seconds,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return "timed out"
    return done.stdout.strip() or f"died: {done.stderr.strip()[-300:]}"


@pytest.mark.parametrize(
    "body",
    [
        "{{ 'x' * 10**8 }}",  # 100 MB of text in a letter
        "{{ 9 ** (9 ** 9) }}",  # an integer with hundreds of millions of digits
        "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}",
        "{{ lipsum(n=99999, min=99, max=100) }}",
    ],
)
def test_resource_exhaustion_is_refused_quickly(body: str) -> None:
    assert run_bounded(body) == "refused"


@pytest.mark.parametrize("body", ["{{ sender.items }}", "{{ lipsum }}", "{{ cycler }}"])
def test_no_repr_of_program_objects(body: str) -> None:
    result = outcome(body)
    assert result.startswith("refused: ") or not any(leak in result for leak in LEAKS)
