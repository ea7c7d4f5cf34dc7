"""Property-based tests: no input crashes the parsers, and what is accepted comes back unchanged.

Covered: campaign packs (read_campaign on generated folders), addresses (typed
recipients, the sender's address, e-mail addresses), building and reading
back an e-mail, the letter file, the drafts store, and the paste cleaner.
"""

from __future__ import annotations

import datetime as dt
import re
import string
import tempfile
from pathlib import Path

import tomli_w
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from composer.core.campaigns import read_campaign
from composer.core.drafts import DraftStore
from composer.core.letterfile import (
    LetterDocument,
    LetterFileError,
    document_from_json,
    document_to_json,
    recipient_from_dict,
    recipient_to_dict,
)
from composer.core.mail import MailError, build_message, parse_address, read_message
from composer.core.markup import html_to_text
from composer.core.models import Letter, Recipient, Sender, custom_recipient
from composer.core.paste import clean_html, clean_text

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Any text, including what editors, clipboards and other programs may produce.
any_text = st.text(max_size=80)
line_text = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=60)

senders = st.builds(
    Sender,
    name=any_text,
    street=any_text,
    city=any_text,
    state=any_text,
    postal_code=any_text,
    country=any_text,
    email=any_text,
    phone=any_text,
)
recipients = st.builds(
    Recipient,
    id=any_text,
    name=any_text,
    title=any_text,
    salutation=any_text,
    address_lines=st.lists(any_text, max_size=6).map(tuple),
    kind=any_text,
    email=any_text,
    state=any_text,
    district=st.none() | st.integers(min_value=-(2**53), max_value=2**53),
    contact_form=any_text,
    phone=any_text,
)
letters = st.builds(
    Letter,
    sender=senders,
    recipients=st.lists(recipients, max_size=4),
    subject=any_text,
    body_html=st.text(max_size=400),
    date=st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    campaign_id=any_text,
    argument_ids=st.lists(any_text, max_size=8),
    complimentary_close=any_text,
    language=any_text,
)
documents = st.builds(
    LetterDocument, letter=letters, paper=st.sampled_from(["", "letter", "a4"]), name=any_text
)


# --- the letter file and the drafts store -------------------------------------------------------


@SETTINGS
@given(documents)
def test_letter_file_round_trip(document: LetterDocument) -> None:
    assert document_from_json(document_to_json(document)) == document


@SETTINGS
@given(st.text(max_size=300) | st.binary(max_size=300))
def test_any_file_content_is_read_or_refused_clearly(content: str | bytes) -> None:
    try:
        document_from_json(content)
    except LetterFileError as error:
        assert str(error)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | any_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(any_text, inner, max_size=4),
    max_leaves=20,
)
letter_keys = st.sampled_from(
    ["subject", "body_html", "date", "sender", "recipients", "argument_ids", "campaign_id"]
)


@SETTINGS
@given(st.dictionaries(letter_keys, json_values, max_size=7), json_values)
def test_any_json_shaped_like_a_letter_is_read_or_refused_clearly(
    letter: dict[str, object], name: object
) -> None:
    import json

    text = json.dumps(
        {"format": "letter-composer-letter", "version": 1, "name": name, "letter": letter}
    )
    try:
        document_from_json(text)
    except LetterFileError as error:
        assert str(error)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(documents, min_size=1, max_size=3))
def test_draft_round_trip(saved: list[LetterDocument]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = DraftStore(Path(folder) / "letters.sqlite3")
        try:
            ids = [store.save(None, document) for document in saved]
            for draft_id, document in zip(ids, saved, strict=True):
                loaded = store.load(draft_id).document
                assert loaded.letter == document.letter
                assert loaded.paper == document.paper
            assert len(store.entries()) == len(saved)
        finally:
            store.close()


# --- addresses ---------------------------------------------------------------------------------------


@SETTINGS
@given(any_text, st.text(max_size=200), any_text)
def test_typed_recipients_never_fail_and_round_trip(
    name: str, address: str, salutation: str
) -> None:
    recipient = custom_recipient(name, address, salutation)
    assert all(line == line.strip() and line for line in recipient.address_lines)
    if name.strip():
        assert recipient.address_lines[0] == name.strip()
    assert recipient.salutation.strip()
    assert recipient_from_dict(recipient_to_dict(recipient)) == recipient


@SETTINGS
@given(senders)
def test_sender_address_lines_never_fail_and_round_trip(sender: Sender) -> None:
    lines = sender.address_lines()
    assert all(line and line == line.strip() for line in lines)
    assert all(line in sender.block_lines() for line in lines)
    assert Sender.from_dict(sender.as_dict()) == sender


local_parts = st.text(
    alphabet=string.ascii_letters + string.digits + "!#$%&'*+/=?^_`{|}~-", min_size=1, max_size=20
)
labels = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)
domains = st.lists(labels, min_size=1, max_size=3).map(lambda parts: ".".join([*parts, "org"]))
display_names = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=30
)


@SETTINGS
@given(st.text(max_size=120))
def test_any_e_mail_text_is_accepted_or_refused_clearly(text: str) -> None:
    try:
        address = parse_address(text, "To")
    except MailError as error:
        assert error.field == "To"
        return
    # Accepted: it reads back to the same address, and holds nothing that breaks a header.
    assert parse_address(address.address, "To").address == address.address
    assert not re.search(r"[\x00-\x1f\x7f\u2028\u2029]", str(address))


@SETTINGS
@given(local_parts, domains, display_names)
def test_well_formed_addresses_come_back_from_the_message(
    local: str, domain: str, name: str
) -> None:
    assume(all(part for part in local.split(".")))
    address = parse_address(f"{local}@{domain}", "To", display_name=name)
    assert address.address == f"{local}@{domain}"
    sender = parse_address("ana@example.org", "From")
    message = build_message(sender=sender, to=[address], subject="S", text="t", html="<p>t</p>")
    assert message.envelope_to == (address.address,)
    [to] = read_message(message.raw).to
    # Every character comes back in order. Whitespace is compared apart: header folding may
    # merge runs of spaces in a display name.
    assert "".join(to.split()) == "".join(str(address.header_address()).split())


def test_read_message_shows_long_names_as_sent() -> None:
    name = "Zoë Łukasiewicz-Ångström de la Fuente Müller"
    to = parse_address("a@example.org", "To", display_name=name)
    sender = parse_address("ana@example.org", "From")
    message = build_message(sender=sender, to=[to], subject="S", text="t", html="h")
    assert read_message(message.raw).to == (f"{name} <a@example.org>",)


def test_an_accepted_address_parses_again_from_its_header_form() -> None:
    address = parse_address("a@example.org", "To", display_name="<")
    assert parse_address(str(address), "To") == address


# --- building an e-mail -------------------------------------------------------------------------------

body_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r"), max_size=300
)


@SETTINGS
@given(
    subject=st.text(max_size=100),
    text=body_text,
    html=body_text,
    sender_name=display_names,
    to_name=display_names,
    local=local_parts,
    domain=domains,
)
def test_messages_build_or_refuse_and_read_back_unchanged(
    subject: str, text: str, html: str, sender_name: str, to_name: str, local: str, domain: str
) -> None:
    assume(all(part for part in local.split(".")))
    try:
        sender = parse_address(f"{local}@{domain}", "From", display_name=sender_name)
        to = parse_address("office@example.gov", "To", display_name=to_name)
        message = build_message(sender=sender, to=[to], subject=subject, text=text, html=html)
    except MailError as error:
        assert error.field in ("From", "To", "Subject")
        return
    read = read_message(message.raw)
    assert read.subject == subject.strip()
    assert read.text.rstrip("\n") == text.replace("\r\n", "\n").rstrip("\n")
    assert read.html.rstrip("\n") == html.replace("\r\n", "\n").rstrip("\n")
    assert message.envelope_to == ("office@example.gov",)
    assert b"\r\n" in message.raw and all(len(line) <= 998 for line in message.raw.split(b"\r\n"))


# --- campaign packs -----------------------------------------------------------------------------------

ids = st.from_regex(r"[a-z0-9][a-z0-9-]{0,20}", fullmatch=True)
plain_words = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="{}%#<>*\\"
    ),
    min_size=1,
    max_size=60,
).filter(lambda value: value.strip() == value and value.strip())


@st.composite
def valid_packs(draw: st.DrawFn) -> dict[str, object]:
    themes = draw(st.lists(ids, min_size=1, max_size=3, unique=True))
    argument_ids = draw(st.lists(ids, min_size=1, max_size=5, unique=True))
    arguments = {
        argument_id: {
            "title": draw(plain_words),
            "theme": draw(st.sampled_from(themes)),
            "position": draw(st.sampled_from(["opening", "body", "closing"])),
            "text": draw(plain_words),
        }
        for argument_id in argument_ids
    }
    return {
        "campaign": {
            "format": 1,
            "id": draw(ids),
            "title": draw(plain_words),
            "summary": draw(plain_words),
            "default_subject": draw(plain_words),
            "default_arguments": draw(st.lists(st.sampled_from(argument_ids), unique=True)),
            "themes": [{"id": theme, "title": draw(plain_words)} for theme in themes],
        },
        "arguments": arguments,
    }


def write_pack(root: Path, pack: dict[str, object]) -> None:
    root.mkdir(parents=True, exist_ok=True)
    (root / "campaign.toml").write_text(tomli_w.dumps(pack["campaign"]), encoding="utf-8")
    folder = root / "arguments"
    folder.mkdir(exist_ok=True)
    arguments = pack["arguments"]
    assert isinstance(arguments, dict)
    for argument_id, argument in arguments.items():
        front = {"id": argument_id, **{k: v for k, v in argument.items() if k != "text"}}
        (folder / f"{argument_id}.md").write_text(
            f"+++\n{tomli_w.dumps(front)}+++\n{argument['text']}\n", encoding="utf-8"
        )


@SETTINGS
@given(valid_packs())
def test_valid_packs_come_back_as_written(pack: dict[str, object]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "pack"
        write_pack(root, pack)
        campaign, problems = read_campaign(root)
    assert problems == []
    assert campaign is not None
    written = pack["campaign"]
    assert isinstance(written, dict)
    assert campaign.id == written["id"]
    assert campaign.title == written["title"]
    assert list(campaign.default_arguments) == written["default_arguments"]
    assert [theme.id for theme in campaign.themes] == [t["id"] for t in written["themes"]]
    arguments = pack["arguments"]
    assert isinstance(arguments, dict)
    assert {a.id for a in campaign.arguments} == set(arguments)
    for argument in campaign.arguments:
        expected = arguments[argument.id]
        assert (argument.title, argument.theme, argument.position, argument.text) == (
            expected["title"],
            expected["theme"],
            expected["position"],
            expected["text"],
        )


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    campaign_toml=st.text(max_size=300) | st.binary(max_size=300),
    argument_files=st.dictionaries(
        st.sampled_from(["a.md", "b.md", "opening.md", "x.txt", "c-d.md"]),
        st.text(max_size=300) | st.binary(max_size=200),
        max_size=3,
    ),
)
def test_any_pack_folder_is_read_or_refused_without_crashing(
    campaign_toml: str | bytes, argument_files: dict[str, str | bytes]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        data = (
            campaign_toml.encode("utf-8", "surrogatepass")
            if isinstance(campaign_toml, str)
            else campaign_toml
        )
        (root / "campaign.toml").write_bytes(data)
        (root / "arguments").mkdir()
        for name, content in argument_files.items():
            raw = content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
            (root / "arguments" / name).write_bytes(raw)
        campaign, problems = read_campaign(root)
    assert campaign is not None or problems
    for problem in problems:
        assert str(problem)


@SETTINGS
@given(valid_packs(), st.sampled_from(["title", "theme", "position", "id"]), json_values)
def test_a_pack_with_one_bad_field_is_refused_by_name(
    pack: dict[str, object], field: str, value: object
) -> None:
    arguments = pack["arguments"]
    assert isinstance(arguments, dict)
    first = next(iter(arguments))
    assume(value is not None and not isinstance(value, str))
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "pack"
        write_pack(root, pack)
        path = root / "arguments" / f"{first}.md"
        text = path.read_text(encoding="utf-8")
        front, _, body = text.removeprefix("+++\n").partition("+++\n")
        import tomllib

        table = tomllib.loads(front)
        table[field] = value
        try:
            path.write_text(f"+++\n{tomli_w.dumps(table)}+++\n{body}", encoding="utf-8")
        except (TypeError, ValueError):
            return  # tomli_w cannot write that value (e.g. a None inside a list)
        _campaign, problems = read_campaign(root)
    assert problems, f"{field}={value!r} was accepted"
    assert any(f"arguments/{first}.md" in str(problem) for problem in problems)


# --- pasted content ----------------------------------------------------------------------------------


def check_clean(source: str) -> None:
    result = clean_html(source)
    lowered = result.html.lower()
    assert "<script" not in lowered and "<img" not in lowered and "<iframe" not in lowered
    assert not re.search(r"<[^>]*\son[a-z]+\s*=", lowered)
    for href in re.findall(r'href="([^"]*)"', result.html):
        assert href.startswith(("http://", "https://", "mailto:")), href
    assert clean_text(result.html)[1] == 0  # no invisible characters left
    # Cleaning what was cleaned changes nothing a reader sees.
    assert html_to_text(clean_html(result.html).html) == html_to_text(result.html)


@SETTINGS
@given(st.text(max_size=400))
def test_the_paste_cleaner_never_fails_and_lets_nothing_active_through(source: str) -> None:
    check_clean(source)


html_pieces = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<b>",
        "</b>",
        "<span style='display:none'>",
        "<span style='color:#fff'>",
        "</span>",
        "<script>",
        "</script>",
        "<img src=x onerror=alert(1)>",
        "<a href='javascript:x'>",
        "<a href='https://e.org/?utm_source=1'>",
        "</a>",
        "<style>.h{display:none}</style>",
        "<div class=h>",
        "</div>",
        "<!--",
        "-->",
        "<![CDATA[",
        "]]>",
        "&lt;",
        "&amp;",
        "text",
        " ",
        "\u200b",
    ]
)


@SETTINGS
@given(st.lists(html_pieces, max_size=30).map("".join))
def test_the_paste_cleaner_on_tag_soup(source: str) -> None:
    check_clean(source)
