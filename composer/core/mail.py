"""Building the e-mail for one letter: checked headers, plain text + HTML, final bytes.

Everything a header will hold is checked here, before anything is queued:
line breaks and other control characters are refused (they would let a value
smuggle in extra headers), and every address must be well formed. Errors name
the field, so the user knows what to correct.

The copy to the sender is sent "Bcc-style": the sender's address is added to
the envelope recipients only, never to a visible header. The officials see a
letter addressed to them (and to anyone in Cc), the sender gets the very same
bytes in their own mailbox, and nobody's inbox shows a "Bcc" line.
"""

from __future__ import annotations

import datetime as dt
import email.policy
import html as html_module
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from typing import TYPE_CHECKING

from composer.i18n import _

if TYPE_CHECKING:
    from composer.core.rendered import RenderedLetter

# Characters that must never reach a header: C0 controls (CR, LF, TAB, NUL…),
# DEL, and the Unicode line separators some software treats as line breaks.
_CONTROL = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")
# RFC 5322 "atext": what an unquoted local part may contain, besides dots.
_ATEXT = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+$")
_LABEL = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")
# The address is the last <…>; a quoted display name before it may hold < and >.
_ANGLE_FORM = re.compile(r"^(?P<name>.*)<(?P<address>[^<>]*)>$", re.DOTALL)
_QUOTED_PAIR = re.compile(r"\\(.)", re.DOTALL)
# The header's name, the same in every language.
_MESSAGE_ID = "Message-ID"


class MailError(ValueError):
    """A letter cannot become an e-mail as it stands.

    Attributes:
        field: the field at fault, as the user knows it ("To", "Subject", …), in the
            interface's language.
        message: what is wrong with it, without the field's name.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def _shown(value: str) -> str:
    """A value quoted for an error message, control characters made visible."""
    return repr(value) if _CONTROL.search(value) else f"“{value}”"


def check_header_text(value: str, field: str) -> str:
    """Refuse line breaks and control characters in a header value; return it trimmed.

    Raises:
        MailError: the value holds a line break or another control character.
    """
    if _CONTROL.search(value):
        raise MailError(
            field,
            _(
                "{value} contains a line break or another control character; type it on one line."
            ).format(value=_shown(value)),
        )
    return value.strip()


def _not_valid(text: str) -> str:
    """The start of a message about a malformed address."""
    return _("{address} is not a valid e-mail address").format(address=_shown(text))


def _ascii_domain(domain: str, field: str, original: str) -> str:
    """The domain in its ASCII form (IDN labels as xn--), or MailError."""
    problem = _not_valid(original)
    if not domain:
        raise MailError(field, _("{problem}: nothing after the @.").format(problem=problem))
    if domain.startswith("["):
        raise MailError(
            field,
            _("{problem}: use a domain name after the @, not an IP address.").format(
                problem=problem
            ),
        )
    not_valid = _("{problem}: the domain “{domain}” is not valid.")
    try:
        ascii_form = domain.rstrip(".").encode("idna").decode("ascii")
    except UnicodeError as error:
        raise MailError(field, not_valid.format(problem=problem, domain=domain)) from error
    labels = ascii_form.split(".")
    if len(labels) < 2:
        raise MailError(
            field,
            _("{problem}: the domain “{domain}” is incomplete (for example example.org).").format(
                problem=problem, domain=domain
            ),
        )
    if len(ascii_form) > 253 or not all(_LABEL.match(label) for label in labels):
        raise MailError(field, not_valid.format(problem=problem, domain=domain))
    if labels[-1].isdigit():
        raise MailError(field, not_valid.format(problem=problem, domain=domain))
    return ascii_form


@dataclass(frozen=True)
class MailAddress:
    """A checked e-mail address with an optional display name.

    Attributes:
        display_name: the name shown beside the address (may be empty).
        local_part: what comes before the @ (ASCII).
        domain: the domain in ASCII form (an IDN domain is stored as xn--…).
    """

    display_name: str
    local_part: str
    domain: str

    @property
    def address(self) -> str:
        """The bare address as used in the SMTP envelope."""
        return f"{self.local_part}@{self.domain}"

    def header_address(self) -> Address:
        """The address as an :class:`email.headerregistry.Address` for a header."""
        return Address(display_name=self.display_name, username=self.local_part, domain=self.domain)

    def __str__(self) -> str:
        return str(self.header_address())


def parse_address(text: str, field: str, display_name: str | None = None) -> MailAddress:
    """Check one address, written as ``a@example.org`` or ``Name <a@example.org>``.

    Args:
        text: what the user typed.
        field: the field name used in error messages ("To", "From", …).
        display_name: a name to use instead of one written in `text`.

    Raises:
        MailError: the address is malformed, or holds control characters.
    """
    check_header_text(text, field)
    value = text.strip()
    name = ""
    match = _ANGLE_FORM.match(value)
    if match:
        name = match.group("name").strip()
        if len(name) >= 2 and name[0] == name[-1] == '"':
            name = _QUOTED_PAIR.sub(r"\1", name[1:-1]).strip()
        elif "<" in name or ">" in name:
            raise MailError(
                field,
                _("{address}: put a name holding < or > in quotes.").format(
                    address=_shown(text.strip())
                ),
            )
        value = match.group("address").strip()
    if display_name is not None:
        name = check_header_text(display_name, field)
    problem = _not_valid(text.strip())
    if not value:
        raise MailError(field, _("no e-mail address given."))
    if any(char in value for char in ' <>,;:"()[]\\'):
        raise MailError(
            field,
            _("{problem}: it contains a space or a character not allowed there.").format(
                problem=problem
            ),
        )
    if value.count("@") != 1:
        raise MailError(
            field, _("{problem}: an address needs exactly one @.").format(problem=problem)
        )
    local, domain = value.split("@")
    if not local:
        raise MailError(field, _("{problem}: nothing before the @.").format(problem=problem))
    if not local.isascii():
        raise MailError(
            field,
            _(
                "{problem}: letters with accents before the @ are not supported; "
                "ask the owner for a plain-ASCII address."
            ).format(problem=problem),
        )
    if len(local) > 64 or not all(part and _ATEXT.match(part) for part in local.split(".")):
        raise MailError(
            field, _("{problem}: the part before the @ is not valid.").format(problem=problem)
        )
    ascii_domain = _ascii_domain(domain, field, text.strip())
    checked = MailAddress(display_name=name, local_part=local, domain=ascii_domain)
    try:
        # The standard library has the last word on what a header may hold.
        checked.header_address()
    except (ValueError, TypeError) as error:
        raise MailError(field, f"{problem}.") from error
    if len(checked.address) > 254:
        raise MailError(field, _("{problem}: it is too long.").format(problem=problem))
    return checked


def parse_address_list(texts: Iterable[str], field: str) -> list[MailAddress]:
    """Check several fields' worth of addresses (see :func:`parse_address_field`).

    Raises:
        MailError: one of them is malformed (the message names it).
    """
    return [address for text in texts for address in parse_address_field(text, field)]


def parse_address_field(
    text: str, field: str, *, display_name: str | None = None, missing: str = ""
) -> list[MailAddress]:
    """The addresses typed in one field (To, Cc…), as the user typed them.

    Several addresses are separated by commas or semicolons; a comma inside a
    quoted name (``"White House, Comments" <comments@example.gov>``) belongs to
    the name. This is the one place where what the user typed becomes addresses.

    Args:
        text: the field's text.
        field: the field's name, for messages.
        display_name: the name to show for a single bare address (``a@b.org``).
        missing: when given, an empty field is refused with this message.

    Raises:
        MailError: an address is malformed, or the field is empty and `missing` is set.
    """
    check_header_text(text, field)
    parts = [part.strip() for part in _split_outside_quotes(text) if part.strip()]
    if not parts:
        if missing:
            raise MailError(field, missing)
        return []
    if len(parts) == 1 and display_name and "<" not in parts[0]:
        return [parse_address(parts[0], field, display_name=display_name)]
    return [parse_address(part, field) for part in parts]


def _split_outside_quotes(text: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        if char in ",;" and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


@dataclass(frozen=True)
class OutgoingMessage:
    """A finished e-mail: the exact bytes to send and the SMTP envelope.

    Attributes:
        raw: the message as sent (CRLF line ends).
        message_id: the Message-ID header value, with its angle brackets.
        envelope_from: the address given in MAIL FROM.
        envelope_to: every address given in RCPT TO (To, Cc, and the sender's copy).
        subject: the subject, for lists.
        recipient_names: the To recipients as shown in lists (name or address).
    """

    raw: bytes
    message_id: str
    envelope_from: str
    envelope_to: tuple[str, ...]
    subject: str
    recipient_names: tuple[str, ...]


# RFC 2045, 6.7: an encoded line holds at most 76 characters (the standard library
# would otherwise fill lines up to 78, the limit for headers).
_POLICY = email.policy.SMTP.clone(max_line_length=76)


def make_message_id(domain: str) -> str:
    """A new, globally unique Message-ID at the sender's domain (reveals nothing else)."""
    return f"<{uuid.uuid4().hex}@{domain}>"


def build_message(
    *,
    sender: MailAddress,
    to: Sequence[MailAddress],
    subject: str,
    text: str,
    html: str,
    cc: Sequence[MailAddress] = (),
    copy_to_sender: bool = False,
    date: dt.datetime | None = None,
    message_id: str | None = None,
) -> OutgoingMessage:
    """Build the e-mail for one letter: multipart/alternative, UTF-8, all headers checked.

    Args:
        sender: the From address with the sender's display name.
        to: the officials the letter is addressed to (at least one).
        subject: the subject line.
        text: the plain-text version of the letter.
        html: the HTML version of the letter.
        cc: visible copies.
        copy_to_sender: also deliver the letter to the sender (envelope only, no header).
        date: the Date header (default: now, in local time).
        message_id: a Message-ID to reuse (default: a new one at the sender's domain).

    Raises:
        MailError: a field is empty, malformed, or holds a control character.
    """
    if not to:
        raise MailError(_("To"), _("add at least one recipient's e-mail address."))
    clean_subject = check_header_text(subject, _("Subject"))
    if not clean_subject:
        raise MailError(_("Subject"), _("the subject is empty; write a short subject line."))
    for field, group in ((_("From"), [sender]), (_("To"), list(to)), (_("Cc"), list(cc))):
        for address in group:
            check_header_text(address.display_name, field)
    if message_id is None:
        message_id = make_message_id(sender.domain)
    elif not re.fullmatch(r"<[^<>@\s]+@[^<>@\s]+>", message_id):
        raise MailError(
            _MESSAGE_ID,
            _("{value} is not a valid Message-ID.").format(value=_shown(message_id)),
        )
    when = date if date is not None else dt.datetime.now(dt.UTC).astimezone()
    if when.tzinfo is None:
        when = when.astimezone()

    message = EmailMessage(policy=_POLICY)
    message["From"] = sender.header_address()
    message["To"] = [address.header_address() for address in to]
    if cc:
        message["Cc"] = [address.header_address() for address in cc]
    message["Subject"] = clean_subject
    message["Date"] = when
    message["Message-ID"] = message_id
    # Quoted-printable keeps every line short and 7-bit, whatever the server offers.
    message.set_content(_with_final_newline(text), charset="utf-8", cte="quoted-printable")
    message.add_alternative(
        _with_final_newline(strip_remote_content(html)),
        subtype="html",
        charset="utf-8",
        cte="quoted-printable",
    )
    for part in message.iter_parts():
        # The library repeats MIME-Version in each part; it belongs in the top header only.
        del part["MIME-Version"]

    envelope: list[str] = []
    for address in [*to, *cc, *([sender] if copy_to_sender else [])]:
        if address.address.lower() not in (seen.lower() for seen in envelope):
            envelope.append(address.address)
    return OutgoingMessage(
        raw=message.as_bytes(),
        message_id=message_id,
        envelope_from=sender.address,
        envelope_to=tuple(envelope),
        subject=clean_subject,
        recipient_names=tuple(address.display_name or address.address for address in to),
    )


def build_letter_messages(
    letters: Sequence[RenderedLetter],
    sender: MailAddress,
    to: Sequence[Sequence[MailAddress]],
    cc: Sequence[MailAddress],
    copy_to_sender: bool,
) -> list[OutgoingMessage]:
    """One e-mail per rendered letter (``to[i]`` for ``letters[i]``), every one checked
    before any is returned, so that nothing is queued when one of them is wrong.

    Raises:
        MailError: a header would be unsafe, an address is wrong, or a copy has no
            recipient (the message names the official).
    """
    messages: list[OutgoingMessage] = []
    for letter, addresses in zip(letters, to, strict=True):
        if not addresses:
            raise MailError(
                _("To"),
                _("give an e-mail address for {name}.").format(name=letter.recipient.short_name),
            )
        messages.append(
            build_message(
                sender=sender,
                to=list(addresses),
                cc=list(cc),
                subject=letter.subject,
                text=letter.email_body_text,
                html=letter.document_html,
                copy_to_sender=copy_to_sender,
            )
        )
    return messages


def text_to_html(text: str) -> str:
    """A plain-text letter as simple HTML: one paragraph per blank-line-separated block."""
    blocks = [block.strip() for block in re.split(r"\n\s*\n", text) if block.strip()]
    paragraphs = (
        "<p>" + html_module.escape(block).replace("\n", "<br>") + "</p>" for block in blocks
    )
    return "<html><body>" + "".join(paragraphs) + "</body></html>"


def edited_message(
    raw: bytes,
    *,
    to: str | None = None,
    cc: str | None = None,
    subject: str | None = None,
    text: str | None = None,
    copy_to_sender: bool = False,
) -> OutgoingMessage:
    """A stored message made again with the user's corrections, under a new Message-ID.

    What is not given stays as it was. A new text replaces both the text and
    the HTML version, so the two never disagree.

    Raises:
        MailError: a corrected field is malformed or empty.
    """
    content = read_message(raw)
    sender = parse_address(content.from_, _("From"))
    new_to = parse_address_field(
        ", ".join(content.to) if to is None else to,
        _("To"),
        missing=_("add at least one recipient's e-mail address."),
    )
    new_cc = parse_address_field(", ".join(content.cc) if cc is None else cc, _("Cc"))
    if text is None or text.replace("\r\n", "\n") == content.text:
        body_text, body_html = content.text, content.html or text_to_html(content.text)
    else:
        body_text, body_html = text, text_to_html(text)
    return build_message(
        sender=sender,
        to=new_to,
        cc=new_cc,
        subject=content.subject if subject is None else subject,
        text=body_text,
        html=body_html,
        copy_to_sender=copy_to_sender,
    )


def copies_sender(raw: bytes, envelope_to: Iterable[str]) -> bool:
    """Whether a stored message was also delivered to its sender (a copy to self)."""
    try:
        sender = parse_address(read_message(raw).from_, "From").address.lower()
    except MailError:
        return False
    return sender in {address.lower() for address in envelope_to}


def strip_remote_content(html: str) -> str:
    """`html` without anything that would make the reader's mail client fetch or run something.

    Templates that do so are refused when a pack is checked; this is the second line of
    defence, so that no message the program builds can report who read it, or when.
    """
    from composer.core.render import without_remote_content

    return without_remote_content(html)


def _with_final_newline(text: str) -> str:
    return text if text.endswith("\n") else text + "\n"


@dataclass(frozen=True)
class MessageContent:
    """What a stored message says, read back for editing or display.

    Attributes:
        from_: the From header as written.
        to: the To addresses as written.
        cc: the Cc addresses as written.
        subject: the subject.
        date: the Date header as written.
        message_id: the Message-ID.
        text: the plain-text part ("" if none).
        html: the HTML part ("" if none).
    """

    from_: str
    to: tuple[str, ...]
    cc: tuple[str, ...]
    subject: str
    date: str
    message_id: str
    text: str
    html: str


def read_message(raw: bytes) -> MessageContent:
    """Read a stored message back into its headers and its text and HTML parts."""
    import email
    import email.header
    import email.utils
    from email.headerregistry import Address

    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)

    raw_headers = email.message_from_bytes(raw, policy=email.policy.compat32)

    def addresses(name: str) -> tuple[str, ...]:
        # Split the raw header first (encoded words hold no commas), then decode each
        # name: the new header parser puts a space between adjacent encoded words,
        # which RFC 2047 says must be dropped ("Mü" "ller" is "Müller").
        values = [str(value) for value in raw_headers.get_all(name, [])]
        found = []
        for display, address in email.utils.getaddresses(values):
            if not address:
                continue
            decoded = str(email.header.make_header(email.header.decode_header(display)))
            found.append(str(Address(display_name=decoded, addr_spec=address)))
        return tuple(found)

    def part(subtype: str) -> str:
        body = parsed.get_body(preferencelist=(subtype,))
        if body is None or body.get_content_subtype() != subtype:
            return ""
        content = body.get_content()
        return content.replace("\r\n", "\n") if isinstance(content, str) else ""

    return MessageContent(
        from_=str(parsed.get("From", "")),
        to=addresses("To"),
        cc=addresses("Cc"),
        subject=str(parsed.get("Subject", "")),
        date=str(parsed.get("Date", "")),
        message_id=str(parsed.get("Message-ID", "")),
        text=part("plain"),
        html=part("html"),
    )
