"""Building the e-mail: headers checked, both parts present, the bytes readable back."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from email.message import EmailMessage

import pytest
from hypothesis import given
from hypothesis import strategies as st

from composer.core.mail import (
    MailError,
    build_message,
    check_header_text,
    parse_address,
    parse_address_list,
    read_message,
)

SENDER = parse_address("Ada Example <ada@example.org>", "From")
PRESIDENT = parse_address("The President <president@whitehouse.gov>", "To")


def _build(**overrides: object):
    arguments: dict[str, object] = {
        "sender": SENDER,
        "to": [PRESIDENT],
        "subject": "Protect those who refuse to fight",
        "text": "Dear Mr. President:\n\nPlease act.\n",
        "html": "<p>Dear Mr. President:</p><p>Please act.</p>",
    }
    arguments.update(overrides)
    return build_message(**arguments)  # type: ignore[arg-type]


def _parse(raw: bytes) -> EmailMessage:
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def test_message_is_multipart_alternative_with_text_and_html_in_utf8() -> None:
    message = _build(text="Café – “quoted” €\n", html="<p>Café – “quoted” €</p>")
    parsed = _parse(message.raw)
    assert parsed.get_content_type() == "multipart/alternative"
    kinds = [part.get_content_type() for part in parsed.iter_parts()]
    assert kinds == ["text/plain", "text/html"]
    for part in parsed.iter_parts():
        assert part.get_content_charset() == "utf-8"
    content = read_message(message.raw)
    assert content.text == "Café – “quoted” €\n"
    assert content.html == "<p>Café – “quoted” €</p>\n"


def test_headers_date_message_id_from_with_display_name() -> None:
    when = dt.datetime(2026, 3, 4, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    message = _build(date=when)
    parsed = _parse(message.raw)
    assert str(parsed["From"]) == "Ada Example <ada@example.org>"
    assert str(parsed["To"]) == "The President <president@whitehouse.gov>"
    assert parsed["Date"].datetime == when
    assert parsed["Message-ID"] == message.message_id
    assert message.message_id.endswith("@example.org>")
    assert parsed["Subject"] == "Protect those who refuse to fight"


def test_bytes_use_crlf_and_short_7bit_lines() -> None:
    message = _build(text="word " * 400, subject="Zoë’s letter")
    lines = message.raw.split(b"\r\n")
    assert all(b"\n" not in line for line in lines)
    assert max(len(line) for line in lines) <= 78
    assert message.raw.isascii()


@pytest.mark.parametrize(
    "text",
    ["word " * 400, "é" * 300, "a" * 2000, "Zoë’s “long” line, " * 50 + "\n\nend"],
)
def test_encoded_body_lines_are_at_most_76_characters(text: str) -> None:
    """RFC 2045: quoted-printable and base64 lines hold at most 76 characters."""
    message = _build(text=text, html=f"<p>{text}</p>")
    parsed = _parse(message.raw)
    for part in parsed.iter_parts():
        assert part["Content-Transfer-Encoding"] in ("quoted-printable", "base64")
        body = part.as_bytes().split(b"\n\n", 1)[1]
        lines = body.replace(b"\r\n", b"\n").split(b"\n")
        assert max(len(line) for line in lines) <= 76
    assert read_message(message.raw).text.rstrip("\n") == text.rstrip("\n")


def test_message_ids_are_unique() -> None:
    assert _build().message_id != _build().message_id


def test_cc_is_visible_and_copy_to_sender_is_envelope_only() -> None:
    cc = parse_address_list(["Office <office@senate.gov>"], "Cc")
    message = _build(cc=cc, copy_to_sender=True)
    parsed = _parse(message.raw)
    assert str(parsed["Cc"]) == "Office <office@senate.gov>"
    assert parsed["Bcc"] is None
    assert b"ada@example.org" in message.raw  # in From only
    assert str(parsed["To"]).count("ada@") == 0
    assert message.envelope_to == (
        "president@whitehouse.gov",
        "office@senate.gov",
        "ada@example.org",
    )
    assert message.envelope_from == "ada@example.org"
    assert message.recipient_names == ("The President",)


def test_without_copy_the_sender_is_not_a_recipient() -> None:
    assert _build().envelope_to == ("president@whitehouse.gov",)


def test_duplicate_recipients_get_one_copy() -> None:
    again = parse_address("president@WHITEHOUSE.gov", "Cc")
    assert _build(cc=[again]).envelope_to == ("president@whitehouse.gov",)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("Subject", "Hello\r\nBcc: victim@example.net"),
        ("Subject", "Hello\nX-Injected: yes"),
        ("Subject", "tab\there"),
        ("Subject", "nul\x00"),
        ("Subject", "line\u2028separator"),
    ],
)
def test_control_characters_in_subject_are_refused(field: str, value: str) -> None:
    with pytest.raises(MailError) as caught:
        _build(subject=value)
    assert caught.value.field == field
    assert "line break or another control character" in str(caught.value)


def test_line_break_in_display_name_is_refused() -> None:
    with pytest.raises(MailError, match=r"^From: "):
        parse_address("ada@example.org", "From", display_name="Ada\r\nBcc: x@example.net")
    with pytest.raises(MailError, match=r"^To: "):
        parse_address("Evil\n <x@example.net>", "To")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("president", "exactly one @"),
        ("a@@example.org", "exactly one @"),
        ("@example.org", "nothing before the @"),
        ("a@", "nothing after the @"),
        ("a@localhost", "incomplete"),
        ("a b@example.org", "space"),
        ("a@exa mple.org", "space"),
        ("a..b@example.org", "before the @ is not valid"),
        (".a@example.org", "before the @ is not valid"),
        ("a@-example.org", "not valid"),
        ("a@example.123", "not valid"),
        ("a@example..org", "not valid"),
        ("josé@example.org", "accents before the @"),
        ("a@" + "x" * 64 + ".org", "not valid"),
        ("Name <a@example.org", "space or a character"),
        ("a@example.org, b@example.org", "space or a character"),
    ],
)
def test_malformed_addresses_are_refused_naming_the_field(text: str, reason: str) -> None:
    with pytest.raises(MailError) as caught:
        parse_address(text, "To")
    assert caught.value.field == "To"
    assert str(caught.value).startswith("To: ")
    assert reason in str(caught.value)


def test_idn_domain_is_accepted_and_sent_as_ascii() -> None:
    address = parse_address("Jürgen <jurgen@bücher.example>", "To")
    assert address.domain == "xn--bcher-kva.example"
    message = _build(to=[address])
    assert message.envelope_to == ("jurgen@xn--bcher-kva.example",)
    assert b"xn--bcher-kva.example" in message.raw


def test_address_forms() -> None:
    assert parse_address("a@example.org", "To").address == "a@example.org"
    quoted = parse_address('"Doe, Jane" <jane@example.org>', "To")
    assert quoted.display_name == "Doe, Jane"
    assert str(quoted) == '"Doe, Jane" <jane@example.org>'
    listed = parse_address_list(
        ['"Doe, Jane" <jane@example.org>, b@example.org; c@example.org'], "To"
    )
    assert [item.address for item in listed] == [
        "jane@example.org",
        "b@example.org",
        "c@example.org",
    ]


def test_empty_subject_and_no_recipient_are_refused() -> None:
    with pytest.raises(MailError, match=r"^Subject: the subject is empty"):
        _build(subject="   ")
    with pytest.raises(MailError, match=r"^To: add at least one"):
        _build(to=[])


def test_message_id_override_must_be_well_formed() -> None:
    assert _build(message_id="<abc@example.org>").message_id == "<abc@example.org>"
    with pytest.raises(MailError, match="Message-ID"):
        _build(message_id="<abc@example.org>\r\nBcc: x@example.net")


def test_leading_dots_and_long_lines_survive() -> None:
    text = ".\n.hidden line\n" + "a" * 2000 + "\n"
    assert read_message(_build(text=text).raw).text == text


@given(st.text(min_size=1, max_size=60))
def test_any_subject_is_refused_or_round_trips_exactly(subject: str) -> None:
    try:
        clean = check_header_text(subject, "Subject")
    except MailError:
        assert any(ord(ch) < 32 or ord(ch) == 127 or ch in "\x85\u2028\u2029" for ch in subject)
        return
    if not clean:
        return
    message = _build(subject=subject)
    assert read_message(message.raw).subject == clean
    # Nothing the user typed may create a header line of its own.
    header_block = message.raw.split(b"\r\n\r\n", 1)[0]
    names = [
        line.split(b":", 1)[0]
        for line in header_block.split(b"\r\n")
        if line[:1] not in (b" ", b"\t")
    ]
    assert names == [
        b"From",
        b"To",
        b"Subject",
        b"Date",
        b"Message-ID",
        b"MIME-Version",
        b"Content-Type",
    ]


def test_one_field_may_hold_quoted_names_with_commas() -> None:
    from composer.core.mail import parse_address_field

    found = parse_address_field(
        '"White House, Comments" <comments@whitehouse.gov>, a@example.org; '
        '"Doe, Jane" <jane@example.org>',
        "To",
    )
    assert [str(item) for item in found] == [
        '"White House, Comments" <comments@whitehouse.gov>',
        "a@example.org",
        '"Doe, Jane" <jane@example.org>',
    ]
    named = parse_address_field(" pat@senate.gov ", "To", display_name="Pat Adams")
    assert [str(item) for item in named] == ["Pat Adams <pat@senate.gov>"]
    assert parse_address_field("  ", "Cc") == []
    with pytest.raises(MailError, match="To: give an address"):
        parse_address_field(" , ", "To", missing="give an address")
