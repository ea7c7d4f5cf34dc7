"""Cleaning pasted HTML: what a reader sees stays, what hides or tracks goes."""

from __future__ import annotations

import pytest

from composer.core.markup import html_to_text
from composer.core.paste import (
    clean_html,
    clean_link,
    clean_text,
    describe_removed,
    split_long_lines,
    text_chunks,
)


def visible(fragment: str) -> str:
    return " ".join(html_to_text(fragment).split())


def test_scripts_objects_and_event_handlers_go() -> None:
    result = clean_html(
        '<p onclick="steal()" onmouseover="x()">Hello <b>there</b></p>'
        "<script>document.cookie</script><iframe src='https://evil.example'>x</iframe>"
        "<object data=a.swf><embed src=a.swf></object><form action=/x><input value=secret>"
        "<button>Press</button><textarea>draft</textarea></form>"
        "<svg><script>alert(1)</script><text>svg text</text></svg>"
        '<a href="javascript:alert(1)">click</a> <a href="data:text/html,<b>x">data</a>'
        '<a href=" jav&#x09;ascript:alert(1)">tab trick</a>'
    )
    out = result.html
    for banned in ("script", "onclick", "onmouseover", "iframe", "object", "embed", "input"):
        assert banned not in out.lower()
    for gone in ("document.cookie", "secret", "Press", "draft", "svg text", "javascript", "data:"):
        assert gone not in out
    assert "<p>Hello <b>there</b></p>" in out
    assert visible(out) == "Hello there click datatab trick"
    assert result.removed["unsafe links"] == 3


def test_images_and_tracking_pixels_go() -> None:
    result = clean_html(
        '<p>Text<img src="https://track.example/open.gif?id=123" width="1" height="1">'
        '<img src="data:image/png;base64,AAAA"> more</p>'
        '<p style="background-image:url(https://track.example/bg.gif)">styled</p>'
        '<picture><source srcset="https://x.example/a.webp"><img src="a.jpg"></picture>'
    )
    assert "track.example" not in result.html
    assert "img" not in result.html
    assert "url(" not in result.html
    assert result.removed["images"] >= 3
    assert visible(result.html) == "Text more styled"


@pytest.mark.parametrize(
    "hidden",
    [
        '<span style="display:none">SECRET</span>',
        '<span style="display: NONE !important">SECRET</span>',
        '<span style="visibility:hidden">SECRET</span>',
        "<div hidden>SECRET</div>",
        '<span style="opacity:0">SECRET</span>',
        '<span style="font-size:0">SECRET</span>',
        '<span style="font-size:1px">SECRET</span>',
        '<span style="font-size:0.1em">SECRET</span>',
        '<span style="color:#ffffff">SECRET</span>',
        '<span style="color:white">SECRET</span>',
        '<font color="#FEFEFE">SECRET</font>',
        '<span style="color:rgba(0,0,0,0)">SECRET</span>',
        '<span style="color:transparent">SECRET</span>',
        '<div style="background:#000"><span style="color:#010101">SECRET</span></div>',
        '<span style="mso-hide:all">SECRET</span>',
        '<div style="max-height:0;overflow:hidden">SECRET</div>',
        '<span style="position:absolute;left:-9999px">SECRET</span>',
        '<span style="text-indent:-9999px">SECRET</span>',
        '<span style="position:absolute;clip:rect(0 0 0 0);width:1px;height:1px">SECRET</span>',
        "<style>.sneaky { display: none }</style><span class='sneaky'>SECRET</span>",
        "<style>p.x, #tiny{font-size:0px}</style><span id='tiny'>SECRET</span>",
        '<span style="display:none"><b>SEC</b><i>RET</i></span>',
    ],
)
def test_hidden_text_goes(hidden: str) -> None:
    result = clean_html(f"<p>Please help. {hidden}Thank you.</p>")
    assert "SECRET" not in result.html and "SEC" not in result.html
    assert visible(result.html) == "Please help. Thank you."
    assert result.removed["hidden text"] >= 1


@pytest.mark.parametrize(
    "shown",
    [
        '<span style="color:#333">shown</span>',
        '<span style="font-size:11pt">shown</span>',
        '<td bgcolor="#000000"><font color="#ffffff">shown</font></td>',
        '<div style="background-color:black;color:white">shown</div>',
        '<span aria-hidden="true">shown</span>',
        '<span style="font-size:small">shown</span>',
    ],
)
def test_visible_text_stays(shown: str) -> None:
    result = clean_html(f"<p>Start {shown} end</p>")
    assert "shown" in result.html
    assert result.removed["hidden text"] == 0


def test_text_from_a_dark_theme_is_kept() -> None:
    """Light text whose dark background did not come along was still seen by the user."""
    source = (
        '<div style="color: rgb(232, 234, 237);">A long paragraph copied from a page in a dark '
        "theme, all of it light grey on a background the clipboard did not keep.</div>"
    )
    result = clean_html(source)
    assert "A long paragraph copied" in result.html


def test_formatting_is_kept_and_colours_dropped() -> None:
    result = clean_html(
        '<h2 class="title" style="color:red;font-family:Comic">Heading</h2>'
        '<p align="center" style="font-weight:bold;text-decoration:underline;color:blue;'
        'font-size:40px">Centred</p><ul><li>one<li>two</ul><ol start="3"><li>three</li></ol>'
        "<blockquote><i>quoted</i></blockquote><table><tr><td colspan=2>cell</td></tr></table>"
    )
    out = result.html
    assert "<h2>Heading</h2>" in out
    assert 'style="font-weight: bold; text-decoration: underline; text-align: center"' in out
    assert "<li>one</li><li>two</li>" in out
    assert '<ol start="3">' in out
    assert '<td colspan="2">cell</td>' in out
    for gone in ("color", "red;", "blue", "Comic", "40px", "class="):
        assert gone not in out


def test_unknown_elements_keep_their_text() -> None:
    result = clean_html(
        "<section><article><font face=Arial>Inside</font> <center>centre</center>"
        "<custom-tag>custom</custom-tag></article></section>"
    )
    assert visible(result.html) == "Inside centrecustom"
    assert "section" not in result.html and "font" not in result.html


def test_word_html_is_reduced_to_its_text() -> None:
    source = (
        "<html xmlns:o='urn:schemas-microsoft-com:office:office'><head><meta charset=utf-8>"
        "<style>p.MsoNormal{margin:0}</style><!--[if gte mso 9]><xml><o:DocumentProperties>"
        "<o:Author>Someone</o:Author></o:DocumentProperties></xml><![endif]--></head><body>"
        "<!--StartFragment--><p class=MsoNormal>Word paragraph<o:p></o:p></p>"
        "<!--EndFragment--></body></html>"
    )
    result = clean_html(source)
    assert visible(result.html) == "Word paragraph"
    assert "Someone" not in result.html and "Mso" not in result.html


def test_entities_are_decoded_once_and_re_escaped() -> None:
    result = clean_html("<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; 5 &gt; 3</p>")
    assert result.html == "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; 5 &gt; 3</p>"


def test_placeholder_text_stays_plain_text() -> None:
    result = clean_html("<p>From {{ sender.city }}</p>")
    assert result.html == "<p>From {{ sender.city }}</p>"


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        (
            "https://example.org/a?utm_source=news&utm_medium=mail&id=7",
            "https://example.org/a?id=7",
        ),
        ("https://example.org/?fbclid=IwAR0abc", "https://example.org/"),
        ("https://example.org/p?gclid=1&mc_eid=2&_hsenc=3&x=1", "https://example.org/p?x=1"),
        (
            "https://www.google.com/url?q=https://example.org/real?utm_campaign=c&sa=D&ust=1",
            "https://example.org/real",
        ),
        (
            "https://nam12.safelinks.protection.outlook.com/?url=https%3A%2F%2Fexample.org%2F&data=05",
            "https://example.org/",
        ),
        (
            "https://l.facebook.com/l.php?u=https%3A%2F%2Fexample.org%2Fx&h=AT0",
            "https://example.org/x",
        ),
        ("https://example.org/page#utm_source=x", "https://example.org/page"),
        ("mailto:office@example.org", "mailto:office@example.org"),
        ("https://example.org/plain", "https://example.org/plain"),
    ],
)
def test_link_tracking_is_removed(href: str, expected: str) -> None:
    assert clean_link(href)[0] == expected


@pytest.mark.parametrize(
    "href",
    ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "vbscript:x", "data:text/html,x", "file:///etc"],
)
def test_unsafe_links_lose_their_address(href: str) -> None:
    assert clean_link(href) == (None, True)


def test_invisible_characters_are_removed_from_plain_text() -> None:
    smuggled = "Dear\u200b Sir\u202e,\U000e0041\U000e0042 \ufeffplease\x07 help\u2066."
    text, count = clean_text(smuggled + "\r\nNext line\rLast")
    assert text == "Dear Sir, please help.\nNext line\nLast"
    assert count == 7
    # Joiners that languages and emoji need are kept.
    assert clean_text("👩\u200d💻 \u200cx")[0] == "👩\u200d💻 \u200cx"


def test_long_lines_are_split_at_spaces() -> None:
    line = "word " * 10_000
    text, split = split_long_lines(line.strip() + "\nshort", limit=1000)
    assert split == 1
    assert all(len(part) <= 1000 for part in text.split("\n"))
    assert text.replace("\n", " ").split() == (line + "short").split()
    unbroken = "x" * 2500
    text, split = split_long_lines(unbroken, limit=1000)
    assert text.replace("\n", "") == unbroken and split == 1


def test_chunks_join_back_to_the_whole() -> None:
    text = "".join(f"line {n}\n" for n in range(10_000))
    pieces = text_chunks(text, 4096)
    assert "".join(pieces) == text
    assert all(len(p) <= 4096 for p in pieces)
    assert all(p.endswith("\n") for p in pieces)
    result = clean_html("".join(f"<p>para <b>{n}</b></p>" for n in range(2000)))
    chunks = result.chunks(4096)
    assert "".join(chunks) == result.html
    assert len(chunks) > 5
    assert all(c.startswith("<p>") and c.endswith("</p>") for c in chunks)


def test_unclosed_and_misnested_markup() -> None:
    result = clean_html("<p><b>bold <i>both</b> after</i><div>div<span style='display:none'>x")
    assert "x" not in html_to_text(result.html).replace("both", "")
    assert result.html.count("<b>") == result.html.count("</b>")
    assert result.html.count("<p>") == result.html.count("</p>")


def test_summary_sentence() -> None:
    result = clean_html(
        '<p>a<script>x</script><img src=x><span style="display:none">h</span>'
        '<a href="https://e.org/?utm_source=1">l</a></p>'
    )
    assert result.summary() == (
        "Cleaned the pasted text: 1 script or embedded object, 1 image, "
        "1 piece of hidden text, 1 link's tracking code."
    )
    assert describe_removed(clean_html("<p>plain</p>").removed) == ""
