"""Rendering: placeholders in a sandbox, missing values named, both templates used."""

from __future__ import annotations

import datetime as dt

import pytest

from composer.core.markup import html_to_text, markdown_to_html
from composer.core.models import Letter, Sender, white_house
from composer.core.render import MissingValuesError, Renderer, RenderError, body_fragment


def letter(body: str, **sender: str) -> Letter:
    return Letter(
        sender=Sender(**({"name": "Ana Ruiz", "city": "Seattle"} | sender)),
        subject="Protect them",
        body_html=body,
        date=dt.date(2026, 11, 22),
    )


def test_formal_letter_has_every_part_in_order() -> None:
    out = Renderer().render(letter("<p>I live in {{ sender.city }}.</p>"), white_house())
    text = out.text
    order = [
        "Ana Ruiz",
        "November 22, 2026",
        "The White House",
        "Re: Protect them",
        "Dear Mr. President:",
        "I live in Seattle.",
        "Respectfully,",
    ]
    positions = [text.index(part) for part in order]
    assert positions == sorted(positions)
    assert text.rstrip().endswith("Ana Ruiz")
    assert "1600 Pennsylvania Avenue NW" in out.document_html
    assert "1600 Pennsylvania" not in out.flow_html  # the page layout draws the address itself


def test_email_template_has_no_postal_header() -> None:
    out = Renderer().render(letter("<p>Hello.</p>", street="1 Elm St"), white_house(), "email")
    assert "1600 Pennsylvania" not in out.text
    assert out.text.startswith("Dear Mr. President:")
    assert "1 Elm St" in out.text


def test_missing_values_are_all_named() -> None:
    body = "<p>{{ sender.phone }} and {{ recipient.email }} and {{ sender.city }}</p>"
    with pytest.raises(MissingValuesError) as caught:
        Renderer().render(letter(body), white_house())
    assert caught.value.names == ["sender.phone", "recipient.email"]
    assert "sender.phone" in str(caught.value)


@pytest.mark.parametrize(
    "body",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ sender.__class__ }}",
        "{{ cycler.__init__.__globals__ }}",
        "{{ sender['__class__'] }}",
        "{{ range(10**9) | list }}",
        "{% for x in %}",
        "{{ sender.city",
    ],
)
def test_hostile_or_broken_placeholders_are_refused(body: str) -> None:
    with pytest.raises(RenderError):
        Renderer().render(letter(body), white_house())


def test_values_are_escaped_into_html() -> None:
    out = Renderer().render(
        letter("<p>{{ sender.city }}</p>", city="<b>Gotham</b> & Co"), white_house()
    )
    assert "&lt;b&gt;Gotham&lt;/b&gt; &amp; Co" in out.body_html
    assert "<b>Gotham</b> & Co" in out.text


def test_body_fragment_takes_inside_of_body() -> None:
    assert (
        body_fragment("<html><head><style>p{}</style></head><body><p>x</p></body></html>")
        == "<p>x</p>"
    )
    assert body_fragment("<p>y</p>") == "<p>y</p>"


def test_markdown_and_text_conversion() -> None:
    assert (
        markdown_to_html("A **b** *c* <d>\n\nE") == "<p>A <b>b</b> <i>c</i> &lt;d&gt;</p><p>E</p>"
    )
    assert (
        html_to_text("<p>One</p><ul><li>a</li><li>b</li></ul><script>x()</script>")
        == "One\n\n- a\n- b"
    )


@pytest.mark.parametrize(
    "body",
    [
        "{{ 99999999 ** 99999999 }}",
        "{{ 'x' * 100000000 }}",
        "{{ sender.city | upper }}",
        "{{ lipsum(1000) }}",
        "{% for x in [1] %}{{ x }}{% endfor %}",
        "{{ sender.city ~ sender.city }}",
    ],
)
def test_the_letter_may_only_name_values_never_compute(body: str) -> None:
    with pytest.raises(RenderError, match="only"):
        Renderer().render(letter(body), white_house())


def test_plain_placeholders_and_comments_are_fine() -> None:
    out = Renderer().render(
        letter("<p>{# note #}{{ sender.city }}, {{ date }}, {{ recipient.name }}</p>"),
        white_house(),
    )
    assert "Seattle, November 22, 2026, The President" in out.text


def test_a_prompt_to_the_writer_is_never_printed_or_sent() -> None:
    from composer.core.models import Letter, Sender, white_house

    letter = Letter(
        sender=Sender(name="Ana Ruiz"),
        recipients=[white_house()],
        subject="A request",
        body_html="<p>Please reply. [[Add a sentence of your own here.]]</p><p>Thank you.</p>",
    )
    rendered = Renderer().render(letter, white_house())
    for output in (rendered.text, rendered.document_html, rendered.flow_html):
        assert "Please reply." in output and "Thank you." in output
        assert "[[" not in output and "sentence of your own" not in output
    # Single brackets are the writer's own text and stay.
    letter.body_html = "<p>The report [page 4] says so.</p>"
    assert "[page 4]" in Renderer().render(letter, white_house()).text


@pytest.mark.parametrize(
    "text",
    ["Tom & Jerry", "<script>alert(1)</script>", "a < b > c", "&amp; already", "'quoted' \"text\""],
)
def test_argument_text_is_escaped_as_html_escape_does(text: str) -> None:
    import html

    from composer.core.markup import inline_to_html

    assert inline_to_html(text) == html.escape(text, quote=False)


@pytest.mark.parametrize("text", ['Tom & Jerry\'s "plan"', "<a href='x'>", "plain", "&#x27;"])
def test_the_programs_escape_is_html_escape(text: str) -> None:
    import html

    from composer.core.markup import escape

    assert escape(text) == html.escape(text)
    assert escape(text, quote=False) == html.escape(text, quote=False)
