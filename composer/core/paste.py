"""Cleaning what is pasted into a letter, so nothing hidden or hostile goes out with it.

Text copied from a web page or an e-mail can carry more than what the user
saw: scripts, remote images that tell a server when the letter is read
(tracking pixels), text made invisible (``display:none``, white on white, a
one-pixel font) and links that report every click. :func:`clean_html` keeps
what a reader sees — paragraphs, headings, lists, tables, bold, italic,
underline, alignment and plain links — and drops everything else, saying
what it dropped. :func:`clean_text` removes invisible characters from plain
text, and :func:`text_chunks` cuts a huge paste into pieces the editor can
take one at a time.

Nothing here imports Qt; the editor calls it (see ``composer.gui.paste``).
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import SplitResult, parse_qsl, urlencode, urlsplit, urlunsplit

from composer.i18n import _, ngettext

# Elements dropped together with everything inside them.
_DROP_WITH_CONTENT = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "svg",
        "math",
        "head",
        "title",
        "meta",
        "link",
        "base",
        "button",
        "select",
        "textarea",
        "input",
        "canvas",
        "video",
        "audio",
        "picture",
        "source",
        "track",
        "map",
        "area",
        "xml",
        "dialog",
    }
)
# Elements kept (with cleaned attributes); anything else is replaced by its content.
_KEPT = frozenset(
    {
        "p",
        "br",
        "b",
        "strong",
        "i",
        "em",
        "u",
        "s",
        "strike",
        "del",
        "sub",
        "sup",
        "ul",
        "ol",
        "li",
        "blockquote",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "pre",
        "code",
        "a",
        "span",
        "div",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "td",
        "th",
        "caption",
        "hr",
    }
)
_VOID = frozenset(
    {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "param"}
    | {"source", "track", "wbr"}
)
# A start tag of one of these closes an open paragraph, as in a browser.
_CLOSES_P = frozenset(
    {"p", "div", "ul", "ol", "table", "blockquote", "pre", "hr", "h1", "h2", "h3", "h4", "h5"}
    | {"h6", "section", "article", "header", "footer", "aside", "nav", "main", "address"}
    | {"dl", "fieldset", "form", "figure"}
)
_BLOCKS = frozenset(
    {"p", "div", "ul", "ol", "li", "table", "blockquote", "pre", "hr", "h1", "h2", "h3"}
    | {"h4", "h5", "h6", "tr", "caption"}
)
# Patterns are compiled by `re` on first use (a paste), not when the window starts.
_KEPT_STYLE = {
    "font-weight": r"^(?:bold|bolder|normal|lighter|[1-9]00)$",
    "font-style": r"^(?:italic|oblique|normal)$",
    "text-decoration": r"^(?:none|underline|line-through|underline line-through)$",
    "text-decoration-line": r"^(?:none|underline|line-through)$",
    "text-align": r"^(?:left|right|center|justify|start|end)$",
    "vertical-align": r"^(?:sub|super|baseline)$",
}
_LINK_SCHEMES = ("http", "https", "mailto")
# Query parameters that only serve to follow the reader.
_TRACKING_PARAMS = (
    r"(?i)^(?:utm_[a-z_]*|fbclid|gclid|gclsrc|dclid|gbraid|wbraid|msclkid|yclid|igshid|mc_cid|mc_eid"
    r"|_hsenc|_hsmi|__hssc|__hstc|__hsfp|hsctatracking|mkt_tok|oly_anon_id|oly_enc_id|vero_id"
    r"|vero_conv|wickedid|rb_clickid|s_cid|ttclid|twclid|li_fat_id|_ga|_gl|ref_src|spm"
    r"|trk|trkcampaign|sc_campaign|sc_channel|sc_content|sc_medium|sc_outcome|sc_geo"
    r"|sc_country|cmpid|ncid|ito|elqtrackid|elqtrack|assetid|recipientid|campaignid|sid)$"
)
# Redirectors that wrap the real address in a parameter: host suffix -> parameter.
_REDIRECTORS = {
    "google.com/url": "q",
    "l.facebook.com/l.php": "u",
    "lm.facebook.com/l.php": "u",
    "l.instagram.com/": "u",
    "safelinks.protection.outlook.com/": "url",
    "t.co/": "",
    "out.reddit.com/": "url",
    "r.search.yahoo.com/": "",
}
# Characters nobody sees that can hide or smuggle text: zero-width characters,
# bidirectional overrides, Unicode "tag" characters, rare variation selectors,
# and control characters other than tab and line breaks.
_INVISIBLE = (
    "[\u200b\u2060\ufeff\u180e\u00ad\u202a-\u202e\u2066-\u2069\u2061-\u2064"
    "\U000e0000-\U000e007f\U000e0100-\U000e01ef\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
)
_NAMED_COLOURS = {
    "white": (255, 255, 255),
    "snow": (255, 250, 250),
    "ivory": (255, 255, 240),
    "ghostwhite": (248, 248, 255),
    "whitesmoke": (245, 245, 245),
    "floralwhite": (255, 250, 240),
    "azure": (240, 255, 255),
    "mintcream": (245, 255, 250),
    "seashell": (255, 245, 238),
    "linen": (250, 240, 230),
    "honeydew": (240, 255, 240),
    "aliceblue": (240, 248, 255),
    "black": (0, 0, 0),
    "silver": (192, 192, 192),
    "gray": (128, 128, 128),
    "grey": (128, 128, 128),
    "red": (255, 0, 0),
    "green": (0, 128, 0),
    "blue": (0, 0, 255),
    "yellow": (255, 255, 0),
    "navy": (0, 0, 128),
}
_PAGE = (255, 255, 255)  # a letter is printed on white paper
_INK = (0, 0, 0)
# Text whose colour is this close to its background cannot be read.
_INVISIBLE_CONTRAST = 40
MIN_VISIBLE_FONT_PX = 4.0
LONG_LINE = 10_000


@dataclass
class CleanResult:
    """What :func:`clean_html` kept and what it left out.

    Attributes:
        parts: the cleaned HTML, cut where no element is open (join them for the whole).
        removed: how many of each kind of thing were left out ("scripts", "images",
            "hidden text", "tracking links", "unsafe links", "invisible characters").
    """

    parts: list[str] = field(default_factory=list)
    removed: Counter[str] = field(default_factory=Counter)

    @property
    def html(self) -> str:
        """The whole cleaned fragment."""
        return "".join(self.parts)

    def chunks(self, size: int) -> list[str]:
        """The cleaned HTML in pieces of about `size` characters, each complete in itself."""
        chunks: list[str] = []
        current: list[str] = []
        length = 0
        for part in self.parts:
            current.append(part)
            length += len(part)
            if length >= size:
                chunks.append("".join(current))
                current, length = [], 0
        if current:
            chunks.append("".join(current))
        return chunks

    def summary(self) -> str:
        """A sentence saying what was left out ("" when nothing was)."""
        return describe_removed(self.removed)


def describe_removed(removed: Counter[str]) -> str:
    """A sentence for the status bar: "Left out of the paste: 2 images, 1 script."."""
    order = (
        "scripts",
        "images",
        "hidden text",
        "tracking links",
        "unsafe links",
        "invisible characters",
        "long lines split",
    )
    items = [_removed_item(key, removed[key]) for key in order if removed.get(key, 0)]
    if not items:
        return ""
    return _("Cleaned the pasted text: {items}.").format(items=", ".join(items))


def _removed_item(key: str, count: int) -> str:
    """How many of one kind of thing were left out, in words ("2 images")."""
    if key == "scripts":
        text = ngettext("{n} script or embedded object", "{n} scripts or embedded objects", count)
    elif key == "images":
        text = ngettext("{n} image", "{n} images", count)
    elif key == "hidden text":
        text = ngettext("{n} piece of hidden text", "{n} pieces of hidden text", count)
    elif key == "tracking links":
        text = ngettext("{n} link's tracking code", "{n} links' tracking codes", count)
    elif key == "unsafe links":
        text = ngettext("{n} unsafe link", "{n} unsafe links", count)
    elif key == "invisible characters":
        text = ngettext("{n} invisible character", "{n} invisible characters", count)
    else:
        text = ngettext("{n} very long line split", "{n} very long lines split", count)
    return text.format(n=count)


# --- styles and colours ------------------------------------------------------------------------


def parse_style(style: str) -> dict[str, str]:
    """CSS declarations of a style attribute as lower-case property -> value."""
    declarations: dict[str, str] = {}
    for item in style.split(";"):
        name, colon, value = item.partition(":")
        if colon:
            value = re.sub(r"\s*!important\s*$", "", value.strip(), flags=re.IGNORECASE)
            declarations[name.strip().lower()] = value.strip().lower()
    return declarations


def parse_colour(value: str) -> tuple[int, int, int] | None:
    """An RGB colour from a CSS colour value, or None (unknown or fully transparent)."""
    value = value.strip().lower()
    if value in _NAMED_COLOURS:
        return _NAMED_COLOURS[value]
    match = re.fullmatch(r"#([0-9a-f]{3,8})", value)
    if match:
        digits = match.group(1)
        if len(digits) in (3, 4):
            digits = "".join(c * 2 for c in digits)
        if len(digits) in (6, 8):
            if len(digits) == 8 and int(digits[6:8], 16) < 26:
                return None
            return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)
        return None
    match = re.fullmatch(r"rgba?\(\s*([^)]*)\)", value)
    if match:
        numbers = re.split(r"[\s,/]+", match.group(1).strip())
        try:
            channels = [
                round(float(n[:-1]) * 2.55) if n.endswith("%") else round(float(n))
                for n in numbers[:3]
            ]
            if len(numbers) > 3:
                alpha_text = numbers[3]
                alpha = (
                    float(alpha_text[:-1]) / 100 if alpha_text.endswith("%") else float(alpha_text)
                )
                if alpha < 0.1:
                    return None
        except ValueError:
            return None
        if len(channels) == 3:
            r, g, b = (max(0, min(255, c)) for c in channels)
            return r, g, b
    return None


def _is_transparent(value: str) -> bool:
    value = value.strip().lower()
    if value == "transparent":
        return True
    if re.fullmatch(r"rgba\(.*\)|#[0-9a-f]{4}|#[0-9a-f]{8}", value):
        return parse_colour(value) is None
    return False


def _px(value: str) -> float | None:
    """A CSS length in pixels (for size checks), or None when it cannot be told."""
    match = re.fullmatch(r"(-?[\d.]+)\s*(px|pt|em|rem|%|ex|ch|vw|vh|mm|cm|in)?", value.strip())
    if not match:
        named = {"xx-small": 9.0, "x-small": 10.0, "small": 13.0}
        return named.get(value.strip())
    try:
        number = float(match.group(1))
    except ValueError:
        return None
    unit = match.group(2) or "px"
    scale = {
        "px": 1.0,
        "pt": 4 / 3,
        "em": 16.0,
        "rem": 16.0,
        "%": 0.16,
        "ex": 8.0,
        "ch": 8.0,
        "mm": 3.78,
        "cm": 37.8,
        "in": 96.0,
        "vw": 10.0,
        "vh": 10.0,
    }
    return number * scale[unit]


def _close(a: tuple[int, int, int], b: tuple[int, int, int]) -> bool:
    return max(abs(x - y) for x, y in zip(a, b, strict=True)) < _INVISIBLE_CONTRAST


def hides_content(declarations: dict[str, str]) -> bool:
    """Whether these CSS declarations make an element's content invisible."""
    get = declarations.get
    if get("display", "").startswith("none") or get("visibility") in ("hidden", "collapse"):
        return True
    if get("mso-hide") == "all":
        return True
    opacity = get("opacity")
    if opacity is not None:
        try:
            if float(opacity.rstrip("%")) / (100 if opacity.endswith("%") else 1) < 0.1:
                return True
        except ValueError:
            pass
    size = get("font-size")
    if size is not None:
        pixels = _px(size)
        if pixels is not None and pixels < MIN_VISIBLE_FONT_PX:
            return True
    clipped = get("overflow") == "hidden" or "clip" in declarations
    for dimension in ("height", "max-height", "width", "max-width"):
        pixels = _px(get(dimension, "")) if get(dimension) else None
        if pixels is not None and pixels <= 1 and clipped:
            return True
    if re.search(r"rect\(\s*0|inset\(\s*(?:50%|100%)", get("clip", "") + get("clip-path", "")):
        return True
    for offset in ("text-indent", "left", "top", "margin-left", "margin-top", "right"):
        pixels = _px(get(offset, "")) if get(offset) else None
        if pixels is not None and pixels <= -500:
            return True
    return bool(get("color")) and _is_transparent(get("color", ""))


def _hidden_selectors(css: str) -> set[str]:
    """Class and id selectors that a ``<style>`` block hides (".x", "#y")."""
    hidden: set[str] = set()
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        if not hides_content(parse_style(body)):
            continue
        for selector in selectors.split(","):
            selector = selector.strip()
            match = re.fullmatch(r"(?:[a-z0-9]+)?([.#][\w-]+)", selector, flags=re.IGNORECASE)
            if match:
                hidden.add(match.group(1).lower())
    return hidden


# --- links ------------------------------------------------------------------------------------------


def clean_link(href: str) -> tuple[str | None, bool]:
    """A link without its tracking: (clean address or None when unsafe, whether it changed).

    Redirectors that wrap the real address (a search engine's or a mail
    service's click tracker) are unwrapped; tracking parameters are removed.
    """
    href = "".join(href.split())  # browsers ignore whitespace inside addresses
    try:
        parts = urlsplit(href)
    except ValueError:
        return None, True
    scheme = parts.scheme.lower()
    if scheme not in _LINK_SCHEMES:
        return None, True
    changed = False
    for _round in range(3):  # a wrapped address may itself be wrapped
        target = _unwrap_redirect(parts)
        if target is None:
            break
        try:
            parts = urlsplit(target)
        except ValueError:
            return None, True
        if parts.scheme.lower() not in ("http", "https"):
            return None, True
        changed = True
    if scheme == "mailto":
        return urlunsplit(parts), changed
    query = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(key, value) for key, value in query if not re.match(_TRACKING_PARAMS, key)]
    if len(kept) != len(query):
        changed = True
    fragment = parts.fragment
    if re.match(r"^(?:utm_|xtor=)", fragment, flags=re.IGNORECASE):
        fragment, changed = "", True
    cleaned = urlunsplit(
        (parts.scheme, parts.netloc, parts.path, urlencode(kept) if kept else "", fragment)
    )
    if not changed:
        return href, False
    return cleaned, changed


def _unwrap_redirect(parts: SplitResult) -> str | None:
    netloc = parts.netloc.lower().split("@")[-1].split(":")[0]
    path = parts.path
    where = f"{netloc}{path}"
    for pattern, parameter in _REDIRECTORS.items():
        host, _slash, route = pattern.partition("/")
        if not (netloc == host or netloc.endswith("." + host)):
            continue
        if route and not where.endswith("/" + route) and not path.startswith("/" + route):
            continue
        if not parameter:
            return None  # a shortener: the target is unknown without asking the network
        for key, value in parse_qsl(parts.query, keep_blank_values=True):
            if key == parameter and value.lower().startswith(("http://", "https://")):
                return value
    return None


# --- the cleaner ----------------------------------------------------------------------------------


@dataclass
class _Open:
    tag: str  # the source element
    kept: str | None  # the element written out, or None when replaced by its content
    hidden: bool
    colour: tuple[int, int, int] | None
    background: tuple[int, int, int] | None
    reason: str = ""  # why hidden: "style" or "colour"


class _Cleaner(HTMLParser):
    def __init__(self, hidden_selectors: set[str], use_colour: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.hidden_selectors = hidden_selectors
        self.use_colour = use_colour
        self.visible_chars = 0
        self.colour_hidden_chars = 0
        self.result = CleanResult()
        self.out: list[str] = []
        self.stack: list[_Open] = []
        self.dropping = 0  # depth inside an element dropped with its content
        self.drop_tag: list[str] = []

    # -- helpers --

    def _emit(self, text: str) -> None:
        self.out.append(text)

    def _cut(self) -> None:
        """Mark a place where no kept element is open: the editor may insert up to here."""
        if not any(entry.kept for entry in self.stack) and self.out:
            self.result.parts.append("".join(self.out))
            self.out = []

    def _hidden_now(self) -> bool:
        return bool(self.stack) and self.stack[-1].hidden

    def _colours(self) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
        colour, background = _INK, _PAGE
        for entry in self.stack:
            if entry.colour is not None:
                colour = entry.colour
            if entry.background is not None:
                background = entry.background
        return colour, background

    def _attributes(self, tag: str, attrs: dict[str, str]) -> str:
        kept: list[str] = []
        styles = parse_style(attrs.get("style", ""))
        align = attrs.get("align", "").lower()
        if align in ("left", "right", "center", "justify") and tag in _BLOCKS:
            styles.setdefault("text-align", align)
        clean = [
            f"{name}: {value}"
            for name, value in styles.items()
            if name in _KEPT_STYLE and re.match(_KEPT_STYLE[name], value)
        ]
        if clean:
            kept.append(f'style="{html.escape("; ".join(clean))}"')
        if tag == "a" and "href" in attrs:
            link, changed = clean_link(attrs["href"])
            if link is None:
                self.result.removed["unsafe links"] += 1
            else:
                if changed:
                    self.result.removed["tracking links"] += 1
                kept.append(f'href="{html.escape(link)}"')
        if tag == "ol" and attrs.get("start", "").isdigit():
            kept.append(f'start="{int(attrs["start"])}"')
        if tag in ("td", "th"):
            for name in ("colspan", "rowspan"):
                if attrs.get(name, "").isdigit() and 0 < int(attrs[name]) <= 50:
                    kept.append(f'{name}="{int(attrs[name])}"')
        return "".join(" " + item for item in kept)

    def _hides(self, tag: str, attrs: dict[str, str], styles: dict[str, str]) -> bool:
        if "hidden" in attrs or attrs.get("type", "").lower() == "hidden":
            return True
        names = {"." + name.lower() for name in attrs.get("class", "").split()}
        if attrs.get("id"):
            names.add("#" + attrs["id"].lower())
        if names & self.hidden_selectors:
            return True
        if hides_content(styles):
            return True
        return tag == "font" and attrs.get("size", "").strip() in ("0", "-7", "-6", "-5", "-4")

    def _close_to(self, index: int) -> None:
        while len(self.stack) > index:
            entry = self.stack.pop()
            if entry.kept and not entry.hidden:
                self._emit(f"</{entry.kept}>")
        self._cut()

    # -- parser callbacks --

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        tag = tag.lower()
        if self.dropping:
            if tag in self.drop_tag[-1:] and tag not in _VOID:
                self.dropping += 1
            return
        if tag in _DROP_WITH_CONTENT or tag == "img":
            kind = "images" if tag in ("img", "picture", "svg", "canvas", "video") else "scripts"
            if tag not in ("head", "title", "meta", "link", "base", "style", "source", "track"):
                self.result.removed[kind] += 1
            if tag not in _VOID:
                self.dropping = 1
                self.drop_tag = [tag]
            return
        values = {name.lower(): value or "" for name, value in attrs}
        if tag in _CLOSES_P:
            for index in range(len(self.stack) - 1, -1, -1):
                if self.stack[index].tag in ("td", "th", "li", "blockquote", "table"):
                    break
                if self.stack[index].tag == "p":
                    self._close_to(index)
                    break
        if tag == "li":
            for index in range(len(self.stack) - 1, -1, -1):
                if self.stack[index].tag in ("ul", "ol"):
                    break
                if self.stack[index].tag == "li":
                    self._close_to(index)
                    break
        styles = parse_style(values.get("style", ""))
        colour = parse_colour(styles.get("color", values.get("color", "")))
        background_value = styles.get("background-color", styles.get("background", ""))
        background = parse_colour(background_value.split()[0]) if background_value else None
        if background is None and values.get("bgcolor"):
            background = parse_colour(values["bgcolor"])
        parent_hidden = self._hidden_now()
        reason = self.stack[-1].reason if parent_hidden else ""
        hidden = parent_hidden
        if not hidden and self._hides(tag, values, styles):
            hidden, reason = True, "style"
        if not hidden and colour is not None and self.use_colour:
            # Only an element that sets its own text colour is judged by it: a cell with a
            # dark background usually holds text that sets a light colour of its own.
            _ink, page = self._colours()
            if _close(colour, background or page):
                hidden, reason = True, "colour"
        if hidden and not parent_hidden:
            self.result.removed["hidden text"] += 1
        if tag in _VOID:
            if tag in ("br", "hr") and not hidden:
                self._emit(f"<{tag}>")
            return
        kept = tag if tag in _KEPT else None
        self.stack.append(_Open(tag, kept, hidden, colour, background, reason))
        if kept and not hidden:
            self._emit(f"<{kept}{self._attributes(kept, values)}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag.lower() not in _VOID and not self.dropping:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        tag = tag.lower()
        if self.dropping:
            if self.drop_tag and tag == self.drop_tag[-1]:
                self.dropping -= 1
            return
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index].tag == tag:
                self._close_to(index)
                return
        if tag == "p":  # a stray </p> makes an empty paragraph in a browser
            self._emit("<br>")

    def handle_data(self, data: str) -> None:
        if self.dropping or not data:
            return
        if self._hidden_now():
            if self.stack[-1].reason == "colour":
                self.colour_hidden_chars += len(data.strip())
            return
        self.visible_chars += len(data.strip())
        text, count = re.subn(_INVISIBLE, "", data)
        if count:
            self.result.removed["invisible characters"] += count
        if text:
            self._emit(html.escape(text, quote=False))
            if not self.stack:
                self._cut()

    def finish(self) -> CleanResult:
        self.close()
        self._close_to(0)
        if self.out:
            self.result.parts.append("".join(self.out))
            self.out = []
        return self.result


def clean_html(source: str) -> CleanResult:
    """Keep the visible text and simple formatting of pasted HTML; leave out the rest.

    Scripts, embedded objects, forms, images (remote or not: a remote image is
    how a tracking pixel reports), comments, styles and colours, and any text a
    reader would not see are left out; links keep only their address, without
    tracking parameters, and only for http, https and mailto.
    """
    styles = re.findall(r"<style[^>]*>(.*?)</style\s*>", source, flags=re.DOTALL | re.IGNORECASE)
    hidden = set().union(*(_hidden_selectors(css) for css in styles)) if styles else set()
    cleaner = _Cleaner(hidden, use_colour=True)
    cleaner.feed(source)
    result = cleaner.finish()
    if cleaner.colour_hidden_chars > cleaner.visible_chars:
        # Most of the text would count as "same colour as the page": it was most likely
        # copied from a dark theme whose background did not come along. The user saw it.
        cleaner = _Cleaner(hidden, use_colour=False)
        cleaner.feed(source)
        result = cleaner.finish()
    return result


def clean_text(text: str) -> tuple[str, int]:
    """Plain text without invisible characters; returns the text and how many were removed."""
    cleaned, count = re.subn(_INVISIBLE, "", text.replace("\r\n", "\n").replace("\r", "\n"))
    return cleaned, count


def split_long_lines(text: str, limit: int = LONG_LINE) -> tuple[str, int]:
    """Break lines longer than `limit` at a space into separate lines; returns the count split.

    A paragraph of hundreds of pages makes a rich-text editor lay out the
    whole paragraph again for every keystroke; no letter has one.
    """
    if len(text) <= limit:
        return text, 0
    lines = text.split("\n")
    if all(len(line) <= limit for line in lines):
        return text, 0
    out: list[str] = []
    split = 0
    for line in lines:
        if len(line) <= limit:
            out.append(line)
            continue
        split += 1
        start = 0
        while len(line) - start > limit:
            cut = line.rfind(" ", start + limit // 2, start + limit)
            if cut <= start:
                cut = start + limit
            out.append(line[start:cut])
            start = cut + 1 if line[cut : cut + 1] == " " else cut
        out.append(line[start:])
    return "\n".join(out), split


def text_chunks(text: str, size: int) -> list[str]:
    """Plain text in pieces of about `size` characters, cut after a line break where possible."""
    chunks: list[str] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            newline = text.rfind("\n", start + size // 2, end)
            if newline > start:
                end = newline + 1
        chunks.append(text[start:end])
        start = end
    return chunks
