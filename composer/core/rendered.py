"""A letter as rendered for one recipient: plain data, cheap to import (no template engine)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from composer.core.models import Recipient

_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.DOTALL | re.IGNORECASE)


def body_fragment(body_html: str) -> str:
    """The inside of ``<body>`` when the editor handed a whole HTML document."""
    match = _BODY.search(body_html)
    return match.group(1).strip() if match else body_html.strip()


@dataclass(frozen=True)
class RenderedLetter:
    """One letter for one recipient, ready for the page, the mail or a file."""

    recipient: Recipient
    subject: str
    sender_lines: tuple[str, ...]
    date_text: str
    address_lines: tuple[str, ...]
    salutation: str
    body_html: str
    closing: str
    signature: str
    flow_html: str
    document_html: str
    text: str

    @property
    def email_body_text(self) -> str:
        """Plain text of the letter as an e-mail (no postal header)."""
        return self.text
