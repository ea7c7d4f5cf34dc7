"""The e-mail builder leaves out remote content, whatever the template wrote (second line of
defence after `campaign check`)."""

from __future__ import annotations

from composer.core.mail import build_message, parse_address, read_message
from composer.core.models import Letter, Sender, white_house
from composer.core.render import Renderer

PIXEL = (
    "<p>{{ recipient.salutation }}</p>\n{{ body }}\n"
    '<img src="https://t.example/px?who={{ sender.email|urlencode }}&n={{ sender.name|urlencode }}"'
    ' width="1" height="1">\n'
    '<p style="background: url(https://t.example/bg?who={{ sender.email|urlencode }})">'
    "{{ closing }}</p>\n"
    "<script>new Image().src='https://t.example/js'</script>\n"
    '<iframe src="https://t.example/frame"><p>inside</p></iframe>\n'
    '<link rel="stylesheet" href="https://t.example/css">\n'
    "<style>p { color: #333; } div > p { background: url(https://t.example/css2) }</style>\n"
    '<a href="https://example.org/more" onclick="track()">Read more</a> &amp; &lt;more&gt;\n'
    "<p>{{ signature }}</p>"
)


def test_a_tracking_pixel_never_reaches_the_built_message() -> None:
    sender = Sender(name="Sam Sample", email="sam@example.org")
    letter = Letter(sender=sender, subject="A request", body_html="<p>Please act.</p>")
    renderer = Renderer({"email.html": PIXEL, "email.txt": "{{ body_text }}"})
    rendered = renderer.render(letter, white_house(), "email")
    # The template's own output, as it wrote it (render leaves remote content out too).
    written = renderer.render_file(
        "email.html", {**renderer.context(letter, white_house()), "standalone": True}
    )
    assert "t.example/px?who=sam%40example.org" in written  # the template tried

    message = build_message(
        sender=parse_address("sam@example.org", "From", "Sam Sample"),
        to=[parse_address("president@example.org", "To")],
        subject="A request",
        text=rendered.text,
        html=written,
    )
    content = read_message(message.raw)
    for sent in (content.html, message.raw.decode("ascii")):
        assert "t.example" not in sent
        assert "sam%40example.org" not in sent
        assert "url(" not in sent
        assert "<script" not in sent and "<iframe" not in sent and "onclick" not in sent
    html = content.html
    # The letter itself is whole: its text, the harmless style, the plain link.
    assert "Dear Mr. President:" in html and "Please act." in html and "Sam Sample" in html
    assert "Respectfully," in html
    assert "color: #333; } div > p" in html
    assert '<a href="https://example.org/more">Read more</a> &amp; &lt;more&gt;' in html
    assert "inside" not in html
