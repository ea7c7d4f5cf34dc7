"""Campaign packs: a folder with ``campaign.toml`` and ``arguments/*.md``, loaded and checked.

A pack is checked completely before it is used. Every problem is reported
with the file, the line (where one can be found) and the field, so that an
organizer can fix the pack without guessing; nothing in a pack can run code.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from composer.core.markup import markdown_to_html, markdown_to_text
from composer.core.models import Recipient
from composer.core.offices import CONGRESS_ROLES, builtin_office, builtin_offices, role_of
from composer.i18n import _, ngettext

if TYPE_CHECKING:
    import tomllib

FORMAT_VERSION = 1
POSITIONS = ("opening", "body", "closing")
MAX_FILE_BYTES = 256 * 1024
MAX_ARGUMENTS = 500
MAX_TEMPLATES = 20
FRONT_MATTER = "+++"
# Positions a letter holds at most one argument of, unless the pack says otherwise.
EXCLUSIVE_POSITIONS = ("opening", "closing")
# A campaign whose review is older than this is flagged to the user as possibly out of date.
REVIEW_MAX_AGE_DAYS = 365
RECIPIENT_ROLES = CONGRESS_ROLES
# Names Windows keeps for devices: a file called "con.md" cannot be made there.
WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"}
    | {f"com{n}" for n in range(1, 10)}
    | {f"lpt{n}" for n in range(1, 10)}
)


class _Lazy:
    """A regular expression compiled on first use: a pack read from the parse cache
    (see :func:`read_campaign`) needs none of them."""

    __slots__ = ("_compiled", "_flags", "_pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._pattern = pattern
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        if self._compiled is None:
            self._compiled = re.compile(self._pattern, self._flags)
        return getattr(self._compiled, name)


_ID = _Lazy(r"^[a-z0-9][a-z0-9-]{0,63}$")
_TEMPLATE_NAME = _Lazy(r"^[a-z0-9][a-z0-9_-]{0,63}$")
# Arguments may hold simple placeholders; any other template syntax is refused.
_PLACEHOLDER = _Lazy(r"\{\{\s*(?:sender|recipient|campaign)\.[a-z_]+\s*\}\}")
_TEMPLATE_SYNTAX = _Lazy(r"\{\{|\{%|\{#|\}\}|%\}|#\}")
# Characters no text of a pack may hold (NUL, escapes that drive a terminal…); tab, line
# feed and carriage return are text.
_CONTROL = _Lazy(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# An HTML tag (not an address in angle brackets such as <library@example.org>).
_HTML_TAG = _Lazy(r"<\s*(?:!|/?\s*[a-zA-Z][a-zA-Z0-9-]*(?=[\s/>]|$))")
_SOURCE_URL = _Lazy(r"^(?:https?://[^\s/]+|mailto:\S+@\S+)", re.IGNORECASE)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a pack: where it is and what to do about it."""

    file: str
    message: str
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        what = f"{self.field}: " if self.field else ""
        return f"{where}: {what}{self.message}"


class CampaignError(Exception):
    """A pack could not be loaded; ``problems`` lists everything found wrong."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        first = str(problems[0]) if problems else _("unknown problem")
        if len(problems) > 1:
            more = len(problems) - 1
            first = ngettext(
                "{first} (and {n} more problem)", "{first} (and {n} more problems)", more
            ).format(first=first, n=more)
        super().__init__(first)


@dataclass(frozen=True)
class Source:
    """An article a fact comes from."""

    id: str
    outlet: str
    author: str
    date: str
    title: str
    url: str = ""

    def citation(self) -> str:
        """One line naming the source: author, outlet, date, title."""
        parts = [self.author, self.outlet, self.date]
        head = ", ".join(part for part in parts if part)
        return f"{head}: \u201c{self.title}\u201d" if self.title else head


@dataclass(frozen=True)
class Theme:
    """A group of arguments shown together in the picker."""

    id: str
    title: str


@dataclass(frozen=True)
class Argument:
    """One paragraph a user can put into a letter."""

    id: str
    title: str
    theme: str
    position: str
    text: str
    sources: tuple[Source, ...] = ()
    recipients: tuple[str, ...] = ()
    facts_as_of: dt.date | None = None

    @property
    def html(self) -> str:
        """The paragraph(s) as HTML, ready for the editor."""
        return markdown_to_html(self.text)

    @property
    def plain_text(self) -> str:
        """The paragraph(s) as plain text."""
        return markdown_to_text(self.text)

    @property
    def word_count(self) -> int:
        """How many words the paragraph has."""
        return len(self.plain_text.split())


@dataclass(frozen=True)
class SuggestedRecipient:
    """A recipient the pack declares, with the arguments and subject that suit them.

    `target` is a built-in office (``white-house``…), a Congress role
    (``role:senators``, ``role:representative``) or the id of the pack's own
    recipient. `recipient` is the addressee for a built-in office or the
    pack's own recipient (None for a role: the directory finds the members).
    """

    target: str
    label: str
    why: str = ""
    arguments: tuple[str, ...] = ()
    subject: str = ""
    recipient: Recipient | None = None

    @property
    def is_role(self) -> bool:
        """Whether this stands for members of Congress found from the writer's ZIP code."""
        return self.target in CONGRESS_ROLES


@dataclass(frozen=True)
class Campaign:
    """A loaded, checked campaign pack."""

    id: str
    title: str
    summary: str
    language: str
    default_subject: str
    template: str
    email_template: str
    complimentary_close: str
    themes: tuple[Theme, ...]
    arguments: tuple[Argument, ...]
    default_arguments: tuple[str, ...]
    recipients: tuple[SuggestedRecipient, ...]
    sources: dict[str, Source] = field(default_factory=dict)
    templates: dict[str, str] = field(default_factory=dict)
    origin: str = ""
    reviewed: dt.date | None = None
    exclusive_positions: tuple[str, ...] = EXCLUSIVE_POSITIONS

    def review_warning(self, today: dt.date) -> str:
        """A warning when the organizer's last review is over a year old on `today`, else ""."""
        if self.reviewed is None:
            return _(
                "This campaign does not say when its facts were last checked; check "
                "dates and figures before you send."
            )
        age = (today - self.reviewed).days
        if age <= REVIEW_MAX_AGE_DAYS:
            return ""
        return _(
            "This campaign was last reviewed on {date}, more than a year ago: "
            "laws, figures and programs may have changed. Check them, or ask the "
            "organizer for an updated pack, before you send."
        ).format(date=self.reviewed.isoformat())

    default_recipient: str = ""
    coach_research: str = ""
    warnings: tuple[Problem, ...] = ()
    # Names and words the pack cites that a dictionary lacks (a spell checker accepts them).
    spelling_words: tuple[str, ...] = ()

    def argument(self, argument_id: str) -> Argument:
        """The argument with that id.

        Raises:
            KeyError: no such argument in this campaign.
        """
        for argument in self.arguments:
            if argument.id == argument_id:
                return argument
        raise KeyError(argument_id)

    def theme_title(self, theme_id: str) -> str:
        """The display title of a theme (its id when unknown)."""
        return next((t.title for t in self.themes if t.id == theme_id), theme_id)

    def by_theme(self) -> Iterator[tuple[Theme, list[Argument]]]:
        """Themes in display order, each with its arguments (openings and closings too)."""
        for theme in self.themes:
            members = [a for a in self.arguments if a.theme == theme.id]
            if members:
                yield theme, members

    def suggested_for(self, target: str) -> SuggestedRecipient | None:
        """The organizer's suggestion for one recipient id or role, if any."""
        return next((r for r in self.recipients if r.target == target), None)

    # --- recipients and routing ----------------------------------------------------------

    @property
    def targets_congress(self) -> bool:
        """Whether the pack writes to members of Congress (found by ZIP code)."""
        return any(r.is_role for r in self.recipients)

    def addressees(self) -> list[Recipient]:
        """The recipients the pack names outright (offices and its own), in its order."""
        return [r.recipient for r in self.recipients if r.recipient is not None]

    def addressee(self, recipient_id: str) -> Recipient | None:
        """The pack's recipient (built-in office or its own) with this id, if it declares one."""
        wanted = recipient_id.strip().lower()
        return next((r for r in self.addressees() if r.id == wanted), None)

    def entry_for(self, recipient: Recipient) -> SuggestedRecipient | None:
        """The pack's declaration that covers `recipient`: by its id, else by its Congress role."""
        return self.suggested_for(recipient.id) or self.suggested_for(role_of(recipient))

    def arguments_for(self, recipient: Recipient) -> tuple[str, ...]:
        """The paragraphs routed to `recipient`'s office, in letter order.

        The declaration's own `arguments` if it lists them, else the default
        arguments that suit the office (an argument without `recipients`
        suits everyone); then every argument written only for this office
        (or only for Congress, for a member) that is not there yet. An
        opening or closing written for the office replaces the general ones.
        Openings come first and closings last. A recipient the pack does not
        declare gets the default arguments.
        """
        entry = self.entry_for(recipient)
        if entry is None:
            return self.default_arguments
        if entry.arguments:
            chosen = list(entry.arguments)
        else:
            chosen = [a for a in self.default_arguments if self._suits(a, entry.target)]
            chosen = chosen or list(self.default_arguments)
        own = self.written_for(recipient)
        chosen += [a for a in own if a not in chosen]
        # An opening (or closing) written for this office takes the place of the general ones.
        for position in ("opening", "closing"):
            if any(self._position(a) == position for a in own):
                chosen = [a for a in chosen if a in own or self._position(a) != position]
        order = {"opening": 0, "body": 1, "closing": 2}
        return tuple(sorted(chosen, key=lambda a: order.get(self._position(a), 1)))

    def written_for(self, recipient: Recipient) -> tuple[str, ...]:
        """Arguments whose `recipients` name only this office (or only Congress, for a member)."""
        entry = self.entry_for(recipient)
        if entry is None:
            return ()
        target = entry.target
        group = set(CONGRESS_ROLES) if target in CONGRESS_ROLES else {target}
        return tuple(
            a.id for a in self.arguments if target in a.recipients and set(a.recipients) <= group
        )

    def suits(self, argument_id: str, recipient: Recipient) -> bool:
        """Whether an argument may go to `recipient` (its `recipients` are empty or name them)."""
        entry = self.entry_for(recipient)
        return self._suits(argument_id, entry.target if entry else recipient.id)

    def subject_for(self, recipient: Recipient) -> str:
        """The subject the pack suggests for `recipient` (its default subject otherwise)."""
        entry = self.entry_for(recipient)
        return entry.subject if entry is not None and entry.subject else self.default_subject

    def _suits(self, argument_id: str, target: str) -> bool:
        try:
            wanted = self.argument(argument_id).recipients
        except KeyError:
            return False
        return not wanted or target in wanted

    def _position(self, argument_id: str) -> str:
        try:
            return self.argument(argument_id).position
        except KeyError:
            return "body"


# --- reading -----------------------------------------------------------------------------


def _line_of(text: str, key: str, start: int = 1) -> int | None:
    """The line number (1-based) where ``key =`` (or a table header) first appears."""
    pattern = re.compile(rf"^\s*(?:{re.escape(key)}\s*=|\[+\s*{re.escape(key)}\b)")
    for number, line in enumerate(text.splitlines()[start - 1 :], start):
        if pattern.match(line):
            return number
    return None


def _toml_error_line(error: tomllib.TOMLDecodeError) -> int | None:
    match = re.search(r"line (\d+)", str(error))
    return int(match.group(1)) if match else None


class _Reader:
    """Reads one pack and collects every problem it finds."""

    def __init__(self, root: Traversable) -> None:
        self.root = root
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []

    def problem(
        self, file: str, message: str, line: int | None = None, field: str | None = None
    ) -> None:
        self.problems.append(Problem(file, message, line, field))

    def read_text(self, node: Traversable, name: str) -> str | None:
        if isinstance(node, Path):
            data = self._read_path(node, name)
        else:
            try:
                data = node.read_bytes()
            except OSError as error:
                self.problem(name, _("cannot be read ({error})").format(error=error))
                return None
        if data is None:
            return None
        if len(data) > MAX_FILE_BYTES:
            self.problem(
                name,
                _("is {count} KiB; a pack file may be {limit} KiB").format(
                    count=len(data) // 1024, limit=MAX_FILE_BYTES // 1024
                ),
            )
            return None
        try:
            # utf-8-sig: a byte-order mark, which some Windows editors write, is dropped.
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            self.problem(name, _("is not valid UTF-8 text; save it as UTF-8"), line)
            return None
        control = _CONTROL.search(text)
        if control:
            self.problem(
                name,
                _(
                    "holds a control character (U+{code:04X}), which text may not contain; "
                    "remove it"
                ).format(code=ord(control.group())),
                text[: control.start()].count("\n") + 1,
            )
            return None
        return text

    def _read_path(self, path: Path, name: str) -> bytes | None:
        """Read a file on disk without following links or reading more than the limit."""
        try:
            info = path.lstat()
        except OSError as error:
            self.problem(
                name, _("cannot be read ({reason})").format(reason=error.strerror or error)
            )
            return None
        if stat.S_ISLNK(info.st_mode):
            self.problem(name, _("links are not allowed in a campaign pack; copy the file instead"))
            return None
        if not stat.S_ISREG(info.st_mode):
            self.problem(name, _("is not an ordinary file"))
            return None
        if info.st_size > MAX_FILE_BYTES:
            self.problem(
                name,
                _("is {size} KiB; a pack file may be {limit} KiB").format(
                    size=info.st_size // 1024, limit=MAX_FILE_BYTES // 1024
                ),
            )
            return None
        try:
            # O_NOFOLLOW: the file must not turn into a link between lstat and open.
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
            with os.fdopen(fd, "rb") as handle:
                # One byte more than allowed tells a file that grew after lstat.
                return handle.read(MAX_FILE_BYTES + 1)
        except OSError as error:
            self.problem(
                name, _("cannot be read ({reason})").format(reason=error.strerror or error)
            )
            return None

    def string(
        self,
        table: dict[str, object],
        key: str,
        file: str,
        text: str,
        *,
        required: bool = True,
        default: str = "",
        start: int = 1,
        prefix: str = "",
    ) -> str:
        """A text value; `prefix` names the table it is in (``themes[2].``), `start` its line."""
        value = table.get(key)
        name = prefix + key
        if value is None:
            if required:
                self.problem(file, _("is missing; add it"), start if prefix else None, name)
            return default
        if not isinstance(value, str):
            self.problem(file, _("must be text in quotes"), _line_of(text, key, start), name)
            return default
        if required and not value.strip():
            self.problem(file, _("must not be empty"), _line_of(text, key, start), name)
        if key == "title" and _HTML_TAG.search(value):
            self.problem(
                file,
                _("is shown as plain text; HTML tags are not allowed in a title"),
                _line_of(text, key, start),
                name,
            )
        return value.strip()

    def string_list(
        self,
        table: dict[str, object],
        key: str,
        file: str,
        text: str,
        start: int = 1,
        prefix: str = "",
    ) -> tuple[str, ...]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(
                file,
                _('must be a list of texts, like ["a", "b"]'),
                _line_of(text, key, start),
                prefix + key,
            )
            return ()
        return tuple(value)

    def identifier(
        self, value: str, file: str, text: str, key: str = "id", start: int = 1, prefix: str = ""
    ) -> None:
        if value and not _ID.match(value):
            self.problem(
                file,
                _("'{value}' is not a valid id: use lowercase letters, digits and dashes").format(
                    value=value
                ),
                _line_of(text, key, start),
                prefix + key,
            )
        elif value in WINDOWS_RESERVED:
            self.problem(
                file,
                _(
                    "'{value}' is a name Windows reserves for a device, so no file can have "
                    "it there; choose another id"
                ).format(value=value),
                _line_of(text, key, start),
                prefix + key,
            )

    def unknown_keys(
        self,
        table: dict[str, object],
        known: Iterable[str],
        file: str,
        text: str,
        start: int = 1,
        prefix: str = "",
    ) -> None:
        """Warn of keys the format does not have, naming the nearest known key."""
        names = sorted(known)
        for key in table:
            if key in names:
                continue
            import difflib  # only for a pack with an unknown key

            close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
            hint = (
                _("did you mean '{name}'?").format(name=close[0])
                if close
                else _("known: {names}").format(names=", ".join(names))
            )
            self.warnings.append(
                Problem(
                    file,
                    _("'{key}' is not a field of the format and is ignored; {hint}").format(
                        key=key, hint=hint
                    ),
                    _line_of(text, key, start),
                    prefix + key,
                )
            )


def _date(
    reader: _Reader, table: dict[str, object], key: str, file: str, text: str
) -> dt.date | None:
    """An optional date, written as a TOML date (2026-12-03) or as "YYYY-MM-DD"."""
    value = table.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            value = dt.date.fromisoformat(value.strip())
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    reader.problem(
        file, _("must be a date written YYYY-MM-DD, like 2026-12-03"), _line_of(text, key), key
    )
    return None


def _is_link(root: Traversable, name: str) -> bool:
    return isinstance(root, Path) and (root / name).is_symlink()


def _child(root: Traversable, name: str, reader: _Reader | None = None) -> Traversable | None:
    node = root.joinpath(name)
    if isinstance(node, Path) and node.is_symlink():
        # A linked folder could pull files from anywhere on the disk into the pack.
        if reader is not None:
            reader.problem(name, _("links are not allowed in a campaign pack; copy it instead"))
        return None
    return node if node.is_file() or node.is_dir() else None


def _read_campaign_toml(reader: _Reader) -> tuple[dict[str, object], str] | None:
    node = _child(reader.root, "campaign.toml", reader)
    if node is None or not node.is_file():
        if not _is_link(reader.root, "campaign.toml"):
            reader.problem(
                "campaign.toml", _("not found: a campaign pack needs a campaign.toml file")
            )
        return None
    text = reader.read_text(node, "campaign.toml")
    if text is None:
        return None
    import tomllib  # parsing only: a cached campaign needs none of it

    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as error:
        reader.problem(
            "campaign.toml",
            _("is not valid TOML: {error}").format(error=error),
            _toml_error_line(error),
        )
        return None


def _parse_sources(reader: _Reader, raw: object, text: str) -> dict[str, Source]:
    file = "campaign.toml"
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        reader.problem(
            file, _("must be tables like [sources.some-id]"), _line_of(text, "sources"), "sources"
        )
        return {}
    sources: dict[str, Source] = {}
    for source_id, table in raw.items():
        where = f"sources.{source_id}"
        start = _line_of(text, where) or 1
        if not isinstance(table, dict):
            reader.problem(file, _("must be a table"), start, where)
            continue
        reader.identifier(source_id, file, text, where)
        values: dict[str, str] = {}
        for key in ("outlet", "author", "date", "title", "url"):
            value = table.get(key, "")
            if not isinstance(value, str) or (key not in ("url", "author") and not value.strip()):
                reader.problem(file, _("must be non-empty text in quotes"), start, f"{where}.{key}")
                value = ""
            values[key] = value.strip()
        if values["url"] and not _SOURCE_URL.match(values["url"]):
            reader.problem(
                file,
                _(
                    "'{url}' is not a web address; a source's url must begin with https:// "
                    "or http:// (or be a mailto: address)"
                ).format(url=values["url"][:60]),
                _line_of(text, "url", start) or start,
                f"{where}.url",
            )
            values["url"] = ""
        sources[source_id] = Source(id=source_id, **values)
    return sources


def _split_front_matter(reader: _Reader, text: str, file: str) -> tuple[str, str, int] | None:
    lines = text.splitlines()
    if not lines or lines[0].strip() != FRONT_MATTER:
        reader.problem(
            file,
            _("must begin with a '{marker}' line (TOML front matter)").format(marker=FRONT_MATTER),
            1,
        )
        return None
    for index, line in enumerate(lines[1:], 1):
        if line.strip() == FRONT_MATTER:
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 1
    reader.problem(
        file,
        _("the front matter has no closing '{marker}' line").format(marker=FRONT_MATTER),
        1,
    )
    return None


def _check_argument_text(reader: _Reader, body: str, file: str, body_line: int) -> None:
    stripped = _PLACEHOLDER.sub("", body)
    match = _TEMPLATE_SYNTAX.search(stripped)
    if match:
        line = body_line + stripped[: match.start()].count("\n")
        reader.problem(
            file,
            _(
                "template code is not allowed in arguments; only placeholders such as {{ "
                "sender.city }} or {{ recipient.name }}"
            ),
            line,
            "text",
        )
    tag = _HTML_TAG.search(body)
    if tag:
        line = body_line + body[: tag.start()].count("\n")
        reader.problem(
            file, _("HTML is not allowed in arguments; use **bold** and *italic*"), line, "text"
        )


def _parse_argument(
    reader: _Reader,
    node: Traversable,
    themes: set[str],
    sources: dict[str, Source],
) -> Argument | None:
    file = f"arguments/{node.name}"
    text = reader.read_text(node, file)
    if text is None:
        return None
    parts = _split_front_matter(reader, text, file)
    if parts is None:
        return None
    front, body, closing_line = parts
    import tomllib

    try:
        meta = tomllib.loads(front)
    except tomllib.TOMLDecodeError as error:
        line = _toml_error_line(error)
        reader.problem(
            file,
            _("front matter is not valid TOML: {error}").format(error=error),
            None if line is None else line + 1,
        )
        return None
    # Line numbers in the front matter are offset by the opening +++ line.
    shifted = "\n" + front
    reader.unknown_keys(meta, ARGUMENT_KEYS, file, shifted)
    argument_id = reader.string(meta, "id", file, shifted)
    reader.identifier(argument_id, file, shifted)
    stem = node.name.removesuffix(".md")
    if argument_id and argument_id != stem:
        reader.problem(
            file,
            _("is '{argument_id}' but the file is named '{name}'; make them match").format(
                argument_id=argument_id, name=node.name
            ),
            _line_of(shifted, "id"),
            "id",
        )
    title = reader.string(meta, "title", file, shifted)
    theme = reader.string(meta, "theme", file, shifted)
    if theme and theme not in themes:
        known = ", ".join(sorted(themes)) or _("none declared")
        reader.problem(
            file,
            _("'{theme}' is not a theme of this campaign (themes: {known})").format(
                theme=theme, known=known
            ),
            _line_of(shifted, "theme"),
            "theme",
        )
    position = reader.string(meta, "position", file, shifted, required=False, default="body")
    if position not in POSITIONS:
        reader.problem(
            file,
            _("'{position}' must be one of: {names}").format(
                position=position, names=", ".join(POSITIONS)
            ),
            _line_of(shifted, "position"),
            "position",
        )
    cited: list[Source] = []
    for source_id in reader.string_list(meta, "sources", file, shifted):
        if source_id in sources:
            cited.append(sources[source_id])
        else:
            reader.problem(
                file,
                _("'{source_id}' is not declared under [sources] in campaign.toml").format(
                    source_id=source_id
                ),
                _line_of(shifted, "sources"),
                "sources",
            )
    recipients = reader.string_list(meta, "recipients", file, shifted)
    facts_as_of = _date(reader, meta, "facts_as_of", file, shifted)
    if not body.strip():
        reader.problem(file, _("has no paragraph after the front matter"), closing_line + 1, "text")
    _check_argument_text(reader, body, file, closing_line + 1)
    return Argument(
        id=argument_id or stem,
        title=title,
        theme=theme,
        position=position,
        text=body.strip(),
        sources=tuple(cited),
        recipients=recipients,
        facts_as_of=facts_as_of,
    )


def _parse_themes(reader: _Reader, raw: object, text: str) -> tuple[Theme, ...]:
    file = "campaign.toml"
    if not isinstance(raw, list) or not raw:
        reader.problem(
            file,
            _("needs at least one [[themes]] table with id and title"),
            _line_of(text, "themes"),
            "themes",
        )
        return ()
    themes: list[Theme] = []
    starts = _array_table_lines(text, "themes")
    seen: set[str] = set()
    for index, table in enumerate(raw):
        start = starts[index] if index < len(starts) else 1
        prefix = f"themes[{index + 1}]."
        if not isinstance(table, dict):
            reader.problem(file, _("each [[themes]] entry must be a table"), start, "themes")
            continue
        theme_id = reader.string(table, "id", file, text, start=start, prefix=prefix)
        reader.identifier(theme_id, file, text, start=start, prefix=prefix)
        title = reader.string(table, "title", file, text, start=start, prefix=prefix)
        if theme_id and theme_id in seen:
            reader.problem(
                file,
                _("theme '{theme_id}' is declared twice").format(theme_id=theme_id),
                _line_of(text, "id", start),
                "themes",
            )
        seen.add(theme_id)
        themes.append(Theme(theme_id, title))
    return tuple(themes)


def _array_table_lines(text: str, name: str) -> list[int]:
    """The line numbers of each ``[[name]]`` header, in order."""
    header = re.compile(rf"^\s*\[\[\s*{re.escape(name)}\s*\]\]")
    return [n for n, line in enumerate(text.splitlines(), 1) if header.match(line)]


TOP_LEVEL_KEYS = frozenset(
    {"format", "id", "title", "summary", "language", "default_subject", "template"}
    | {"email_template", "complimentary_close", "default_arguments", "themes", "sources"}
    | {"recipients", "default_recipient", "coach_research", "reviewed", "facts_as_of"}
    | {"exclusive_positions", "spelling_words"}
)
ARGUMENT_KEYS = frozenset(
    {"id", "title", "theme", "position", "sources", "recipients", "reviewed", "facts_as_of"}
)
THEME_KEYS = frozenset({"id", "title"})
SOURCE_KEYS = frozenset({"outlet", "author", "date", "title", "url", "reviewed", "facts_as_of"})
RECIPIENT_KEYS = frozenset(
    {"target", "id", "label", "why", "arguments", "subject"}
    | {"name", "title", "address", "salutation", "email", "contact_form", "phone"}
)
_OWN_ONLY = ("name", "title", "address", "email", "contact_form", "phone")


def _parse_recipients(reader: _Reader, raw: object, text: str) -> tuple[SuggestedRecipient, ...]:
    file = "campaign.toml"
    if raw is None:
        return ()
    if not isinstance(raw, list):
        reader.problem(
            file, _("must be [[recipients]] tables"), _line_of(text, "recipients"), "recipients"
        )
        return ()
    found: list[SuggestedRecipient] = []
    starts = _array_table_lines(text, "recipients")
    seen: set[str] = set()
    for index, table in enumerate(raw):
        start = starts[index] if index < len(starts) else 1
        prefix = f"recipients[{index + 1}]."
        if not isinstance(table, dict):
            reader.problem(
                file, _("each [[recipients]] entry must be a table"), start, "recipients"
            )
            continue
        reader.unknown_keys(table, RECIPIENT_KEYS, file, text, start, prefix)
        declared = _recipient_declaration(reader, table, text, start, prefix)
        if declared is None:
            continue
        target, recipient = declared
        if target in seen:
            reader.problem(
                file,
                _("'{target}' is declared twice; merge the two").format(target=target),
                start,
                prefix + "target",
            )
        seen.add(target)
        text_of = functools.partial(reader.string, table, file=file, text=text, start=start)
        found.append(
            SuggestedRecipient(
                target=target,
                label=text_of("label", prefix=prefix),
                why=text_of("why", required=False, prefix=prefix),
                arguments=reader.string_list(
                    table, "arguments", file, text, start=start, prefix=prefix
                ),
                subject=text_of("subject", required=False, prefix=prefix),
                recipient=recipient,
            )
        )
    return tuple(found)


def _recipient_declaration(
    reader: _Reader, table: dict[str, object], text: str, start: int, prefix: str
) -> tuple[str, Recipient | None] | None:
    """Check one [[recipients]] entry: a built-in office, a Congress role, or the pack's own.

    Returns its target and addressee (None for a role), or None when it cannot be used.
    """
    file = "campaign.toml"
    text_of = functools.partial(
        reader.string, table, file=file, text=text, start=start, required=False
    )
    target = text_of("target", prefix=prefix).lower()
    own_id = text_of("id", prefix=prefix)
    known = [*builtin_offices(), *CONGRESS_ROLES]
    if target and own_id:
        reader.problem(
            file,
            _(
                "give either target (an office the program knows) or id (a recipient of "
                "the pack's own), not both"
            ),
            start,
            prefix + "target",
        )
        return None
    if not target and not own_id:
        reader.problem(
            file,
            _(
                "is missing: name an office the program knows ({names}), or declare a "
                "recipient of the pack's own with id, name, address and salutation"
            ).format(names=", ".join(known)),
            start,
            prefix + "target",
        )
        return None
    if target:
        if target not in known:
            reader.problem(
                file,
                _(
                    "'{target}' is not a recipient this program knows (it knows {names}); to "
                    "write to anyone else, declare them with id, name, address and "
                    "salutation instead of target"
                ).format(target=target, names=", ".join(known)),
                _line_of(text, "target", start),
                prefix + "target",
            )
            return None
        misplaced = [key for key in _OWN_ONLY if key in table]
        if misplaced:
            reader.problem(
                file,
                _(
                    "{names} belong(s) to a recipient of the pack's own (with id); "
                    "'{target}' is built in and has its own address"
                ).format(names=", ".join(misplaced), target=target),
                _line_of(text, misplaced[0], start),
                prefix + misplaced[0],
            )
        office = builtin_office(target)
        if office is None:
            if "salutation" in table:
                reader.problem(
                    file,
                    _("each member of Congress is greeted by name; leave salutation out here"),
                    _line_of(text, "salutation", start),
                    prefix + "salutation",
                )
            return target, None
        greeting = text_of("salutation", prefix=prefix)
        if greeting:
            office = dataclasses.replace(office, salutation=greeting)
        return target, office
    return _own_recipient(reader, table, text, start, prefix, own_id)


def _own_recipient(
    reader: _Reader, table: dict[str, object], text: str, start: int, prefix: str, own_id: str
) -> tuple[str, Recipient] | None:
    file = "campaign.toml"
    reader.identifier(own_id, file, text, start=start, prefix=prefix)
    if own_id in builtin_offices() or own_id.startswith("role:"):
        reader.problem(
            file,
            _(
                "'{own_id}' is an office the program knows: write target = \"{own_id}\" instead"
            ).format(own_id=own_id),
            _line_of(text, "id", start),
            prefix + "id",
        )
        return None
    text_of = functools.partial(reader.string, table, file=file, text=text, start=start)
    name = text_of("name", prefix=prefix)
    salutation = text_of("salutation", prefix=prefix)
    address = reader.string_list(table, "address", file, text, start=start, prefix=prefix)
    lines = tuple(line.strip() for line in address if line.strip())
    if "address" not in table:
        reader.problem(
            file,
            _(
                "is missing; add the postal address, one line per line of the envelope, "
                'like ["City Hall", "100 Main Street", "Springfield, IL 62701"]'
            ),
            start,
            prefix + "address",
        )
    elif not lines and address == ():
        pass  # not a list of texts: reported by string_list
    elif not lines:
        reader.problem(
            file,
            _("must hold at least one line"),
            _line_of(text, "address", start),
            prefix + "address",
        )
    email = text_of("email", required=False, prefix=prefix)
    if email and ("@" not in email or any(c.isspace() for c in email)):
        reader.problem(
            file,
            _("'{email}' is not an e-mail address").format(email=email),
            _line_of(text, "email", start),
            prefix + "email",
        )
    form = text_of("contact_form", required=False, prefix=prefix)
    if form and not form.startswith(("https://", "http://")):
        reader.problem(
            file,
            _("must be a web address starting with https://"),
            _line_of(text, "contact_form", start),
            prefix + "contact_form",
        )
    if name and lines and lines[0] != name:
        lines = (name, *lines)
    return own_id, Recipient(
        id=own_id,
        name=name,
        title=text_of("title", required=False, prefix=prefix),
        salutation=salutation,
        address_lines=lines,
        kind="pack",
        email=email,
        contact_form=form,
        phone=text_of("phone", required=False, prefix=prefix),
    )


def _warn_unknown_keys(reader: _Reader, data: dict[str, object], text: str) -> None:
    """Warn of misspelt keys in campaign.toml (a misspelt key would be ignored silently)."""
    file = "campaign.toml"
    reader.unknown_keys(data, TOP_LEVEL_KEYS, file, text)
    themes = data.get("themes")
    if isinstance(themes, list):
        starts = _array_table_lines(text, "themes")
        for index, table in enumerate(themes):
            if isinstance(table, dict):
                start = starts[index] if index < len(starts) else 1
                reader.unknown_keys(table, THEME_KEYS, file, text, start, f"themes[{index + 1}].")
    sources = data.get("sources")
    if isinstance(sources, dict):
        for source_id, table in sources.items():
            if isinstance(table, dict):
                where = f"sources.{source_id}"
                start = _line_of(text, where) or 1
                reader.unknown_keys(table, SOURCE_KEYS, file, text, start, where + ".")


def _check_routing(
    reader: _Reader,
    data: dict[str, object],
    text: str,
    recipients: tuple[SuggestedRecipient, ...],
    arguments: list[Argument],
) -> str:
    """Arguments may be routed only to recipients that exist; returns the default recipient."""
    targets = {*builtin_offices(), *CONGRESS_ROLES} | {r.target for r in recipients}
    for argument in arguments:
        for target in argument.recipients:
            if target not in targets:
                reader.problem(
                    f"arguments/{argument.id}.md",
                    _(
                        "'{target}' is not a recipient of this pack or of the program; use a "
                        "target or id from the [[recipients]] of campaign.toml"
                    ).format(target=target),
                    None,
                    "recipients",
                )
    default = reader.string(data, "default_recipient", "campaign.toml", text, required=False)
    fixed = {r.target for r in recipients if r.recipient is not None}
    if default and default not in fixed:
        reader.problem(
            "campaign.toml",
            _(
                "'{default}' is not one of the pack's [[recipients]] with an address "
                "({names}); a Congress role cannot be the default, because the members "
                "are found from each writer's ZIP code"
            ).format(default=default, names=", ".join(sorted(fixed)) or _("none declared")),
            _line_of(text, "default_recipient"),
            "default_recipient",
        )
        return ""
    return default


def template_hazards(source: str, html: bool = True) -> list[tuple[int | None, str]]:
    """Template code a pack may not use, found without running it.

    The sandbox stops reaches for Python internals and runaway work when a
    template runs; this refuses them (and code that could stall the program,
    values that do not exist, includes from outside the pack, and anything in an
    HTML template that would fetch remote content or run a script) when the pack
    is checked, so that an organizer learns of it before any supporter does.
    """
    import jinja2
    from composer.core.render import (
        TEMPLATE_FIELDS,
        remote_content,
        syntax_problems,
        template_problems,
    )
    from jinja2 import nodes

    broken = syntax_problems(source)
    if broken:
        return broken
    problems = list(template_problems(source))
    tree = jinja2.Environment(autoescape=True).parse(source)
    for node in tree.find_all(nodes.Node):
        message = ""
        if isinstance(node, (nodes.Filter, nodes.Test)) and node.name in _DENIED_FILTERS:
            message = _("the '{name}' filter is not allowed in pack templates").format(
                name=node.name
            )
        elif isinstance(node, nodes.Const) and isinstance(node.value, str) and "__" in node.value:
            message = _(
                "'{value}' reaches for Python internals, which templates may not use"
            ).format(value=node.value[:40])
        elif isinstance(node, (nodes.Pow, nodes.Mul)):
            message = _("arithmetic with * and ** is not allowed in pack templates")
        elif (
            isinstance(node, nodes.Call)
            and isinstance(node.node, nodes.Name)
            and node.node.name in _DENIED_CALLS
        ):
            message = _("'{name}()' is not available in pack templates").format(name=node.node.name)
        elif isinstance(node, (nodes.EvalContextModifier, nodes.ScopedEvalContextModifier)):
            message = _("{% autoescape %} is not allowed in pack templates")
        elif (
            isinstance(node, nodes.Getattr)
            and isinstance(node.node, nodes.Name)
            and node.node.name in TEMPLATE_FIELDS
            and node.attr not in TEMPLATE_FIELDS[node.node.name]
        ):
            owner = node.node.name
            known = ", ".join(sorted(TEMPLATE_FIELDS[owner]))
            message = _(
                "{owner}.{attr} is not a value templates are given ({owner} has {known})"
            ).format(owner=owner, attr=node.attr, known=known)
        elif isinstance(node, (nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
            name = node.template.value if isinstance(node.template, nodes.Const) else None
            if not isinstance(name, str):
                message = _("a template may only include another by its plain file name")
            elif not _TEMPLATE_FILE.match(name):
                message = _(
                    "'{name}' is not a template of the pack; a template may only include the "
                    "pack's own templates, by their file name (like 'footer.html.j2')"
                ).format(name=name[:60])
        if message:
            problems.append((node.lineno, message))
    if html:
        # Template code is left out (its output is escaped); lines keep their numbers.
        markup = _TEMPLATE_CODE.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), source)
        problems += remote_content(markup)
    return sorted(problems, key=lambda problem: problem[0] or 0)


# Filters that look up attributes by a computed name or mark text as HTML, and helpers
# that can make a template produce or loop over an enormous amount of text.
_DENIED_FILTERS = frozenset({"attr", "safe"})
_DENIED_CALLS = frozenset({"range", "lipsum", "cycler", "joiner", "namespace", "dict"})
_TEMPLATE_CODE = _Lazy(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_TEMPLATE_FILE = _Lazy(r"^([a-z0-9][a-z0-9_-]{0,63})\.(html|txt)\.j2$")


def _read_templates(reader: _Reader) -> dict[str, str]:
    folder = _child(reader.root, "templates", reader)
    if folder is None or not folder.is_dir():
        return {}
    templates: dict[str, str] = {}
    for node in sorted(folder.iterdir(), key=lambda n: n.name):
        file = f"templates/{node.name}"
        if not _TEMPLATE_FILE.match(node.name):
            reader.problem(
                file,
                _(
                    "is not a template: names look like 'formal.html.j2' or 'formal.txt.j2' "
                    "(lowercase letters, digits, dashes)"
                ),
            )
            continue
        if len(templates) >= MAX_TEMPLATES:
            reader.problem(
                file,
                _("a pack may hold at most {limit} templates").format(limit=MAX_TEMPLATES),
            )
            break
        text = reader.read_text(node, file)
        if text is not None:
            hazards = template_hazards(text, html=node.name.endswith(".html.j2"))
            for line, message in hazards:
                reader.problem(file, message, line)
            if not hazards:
                templates[node.name.removesuffix(".j2")] = text
    return templates


def _bundled_template_names() -> set[str]:
    from importlib.resources import files

    folder = files("composer.resources").joinpath("templates")
    if not folder.is_dir():
        return set()
    return {n.name.removesuffix(".j2") for n in folder.iterdir() if n.name.endswith(".j2")}


def _check_template_choice(
    reader: _Reader, data: dict[str, object], text: str, templates: dict[str, str]
) -> None:
    """The templates a campaign names must exist, each as .html and .txt."""
    available = _bundled_template_names() | set(templates)
    for key, default in (("template", "formal"), ("email_template", "email")):
        name = data.get(key, default)
        if not isinstance(name, str) or not _TEMPLATE_NAME.match(name):
            continue  # reported as a type problem, or as an empty value, elsewhere
        wanted = (f"{name}.html", f"{name}.txt")
        missing = [each for each in wanted if each not in available]
        if missing:
            reader.problem(
                "campaign.toml",
                _(
                    "'{name}' is not a template of this program or of the pack (missing "
                    "{names} in templates/)"
                ).format(name=name, names=_(" and ").join(m + ".j2" for m in missing)),
                _line_of(text, key),
                key,
            )


# Parsed packs kept between runs (see read_campaign): below the cache folder, one file per
# pack folder, used only while every file of the pack and of the parsing code is unchanged.
PARSE_CACHE_FOLDER = "campaigns"
PARSE_CACHE_VERSION = 1


def _parse_stamp(root: Path) -> str:
    """What a parse of `root` depends on, in one string: each file's size, times and
    inode, the parsing modules' own, the program version and the interface language."""
    from composer import __version__, i18n
    from composer.core import markup, models, offices

    html_text = os.path.join(os.path.dirname(markup.__file__), "html_text.py")
    parts: list[str] = [str(PARSE_CACHE_VERSION), __version__, i18n.current_language()]
    modules = (__file__, markup.__file__, html_text, models.__file__, offices.__file__)
    for path in (*modules, i18n.__file__):
        info = os.stat(path)
        parts.append(f"{path}|{info.st_size}|{info.st_mtime_ns}|{info.st_ino}")
    folders = [str(root)]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in sorted(entries, key=lambda entry: entry.name):
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
                info = entry.stat(follow_symlinks=False)
                parts.append(
                    f"{entry.path}|{info.st_size}|{info.st_mtime_ns}|{info.st_ctime_ns}|"
                    f"{info.st_ino}"
                )
    return "\n".join(parts)


def _cache_file(root: Path, cache_dir: Path) -> Path:
    import zlib

    where = str(root.resolve()).encode("utf-8", "surrogateescape")
    name = re.sub(r"[^A-Za-z0-9_-]", "_", root.name)[:40]
    return cache_dir / PARSE_CACHE_FOLDER / f"{name}-{zlib.crc32(where):08x}.pickle"


def _read_cached(root: Path, cache_dir: Path) -> tuple[Campaign | None, list[Problem]]:
    """:func:`read_campaign` through the parse cache: a stored result whose stamp still
    matches the files, else a fresh parse (then stored; a cache that cannot be written
    or read is only a slower start)."""
    import pickle

    try:
        stamp = _parse_stamp(root)
        path = _cache_file(root, cache_dir)
    except OSError:
        return read_campaign(root)
    try:
        stored = pickle.loads(_own_file_bytes(path)) if path.exists() else None
    except Exception:  # damaged, foreign or not the user's own: parse afresh and replace it
        stored = None
    if (
        isinstance(stored, dict)
        and stored.get("stamp") == stamp
        and isinstance(stored.get("campaign"), Campaign | None)
        and isinstance(stored.get("problems"), list)
        and all(isinstance(problem, Problem) for problem in stored["problems"])
    ):
        return stored["campaign"], list(stored["problems"])
    campaign, problems = read_campaign(root)
    data = {"stamp": stamp, "campaign": campaign, "problems": problems}
    with contextlib.suppress(OSError, pickle.PicklingError):
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
        handle = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(handle, "wb") as file:
            file.write(pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(partial, path)
    return campaign, problems


def _own_file_bytes(path: Path) -> bytes:
    """The bytes of a cache file only this user could have written (a stored parse is
    loaded with pickle, which must never read someone else's file).

    Raises:
        PermissionError: another user owns it, or others may write it.
    """
    info = path.stat()
    getuid = getattr(os, "getuid", None)
    if getuid is not None and (info.st_uid != getuid() or info.st_mode & 0o022):
        raise PermissionError(_("{path} may have been written by someone else").format(path=path))
    return path.read_bytes()


def read_campaign(
    root: Traversable, cache_dir: Path | None = None
) -> tuple[Campaign | None, list[Problem]]:
    """Read and check a pack folder; returns the campaign (if usable) and all problems.

    Args:
        root: the pack folder.
        cache_dir: where to keep the parsed pack between runs (the program's cache
            folder); the stored parse is used only while no file of the pack (and of
            the code that parses it) has changed size, time or inode since.
    """
    if cache_dir is not None and isinstance(root, Path):
        return _read_cached(root, cache_dir)
    reader = _Reader(root)
    loaded = _read_campaign_toml(reader)
    if loaded is None:
        return None, reader.problems
    data, text = loaded
    file = "campaign.toml"
    version = data.get("format", FORMAT_VERSION)
    if version != FORMAT_VERSION:
        reader.problem(
            file,
            _(
                "this program reads format {supported}; the pack says {version!r}. "
                "Update the program or ask the organizer for a pack in format 1."
            ).format(supported=FORMAT_VERSION, version=version),
            _line_of(text, "format"),
            "format",
        )
    campaign_id = reader.string(data, "id", file, text)
    reader.identifier(campaign_id, file, text)
    themes = _parse_themes(reader, data.get("themes"), text)
    sources = _parse_sources(reader, data.get("sources"), text)
    arguments: list[Argument] = []
    # Arguments already reported as unreadable are not reported again as missing.
    unreadable: set[str] = set()
    folder = _child(root, "arguments", reader)
    if folder is None or not folder.is_dir():
        if not _is_link(root, "arguments"):
            reader.problem("arguments/", _("not found: put each argument in arguments/<id>.md"))
    else:
        nodes = sorted(
            (n for n in folder.iterdir() if n.name.endswith(".md")), key=lambda n: n.name
        )
        if len(nodes) > MAX_ARGUMENTS:
            reader.problem(
                "arguments/",
                _("holds {count} arguments; the limit is {limit}").format(
                    count=len(nodes), limit=MAX_ARGUMENTS
                ),
            )
            nodes = nodes[:MAX_ARGUMENTS]
        theme_ids = {t.id for t in themes}
        for node in nodes:
            argument = _parse_argument(reader, node, theme_ids, sources)
            if argument is not None:
                arguments.append(argument)
            else:
                unreadable.add(node.name.removesuffix(".md"))
        if not nodes:
            reader.problem("arguments/", _("holds no argument files (*.md)"))
    known = {a.id for a in arguments}
    default_arguments = reader.string_list(data, "default_arguments", file, text)
    for argument_id in default_arguments:
        if argument_id not in known | unreadable:
            reader.problem(
                file,
                _("names '{argument_id}', which is not in arguments/").format(
                    argument_id=argument_id
                ),
                _line_of(text, "default_arguments"),
                "default_arguments",
            )
    recipients = _parse_recipients(reader, data.get("recipients"), text)
    recipient_lines = _array_table_lines(text, "recipients")
    for index, recipient in enumerate(recipients):
        start = recipient_lines[index] if index < len(recipient_lines) else 1
        for argument_id in recipient.arguments:
            if argument_id not in known | unreadable:
                reader.problem(
                    file,
                    _(
                        "recipient '{target}' names '{argument_id}', which is not in arguments/"
                    ).format(target=recipient.target, argument_id=argument_id),
                    _line_of(text, "arguments", start),
                    f"recipients[{index + 1}].arguments",
                )
    default_recipient = _check_routing(reader, data, text, recipients, arguments)
    _warn_unknown_keys(reader, data, text)
    templates = _read_templates(reader)
    _check_template_choice(reader, data, text, templates)
    exclusive: tuple[str, ...] = EXCLUSIVE_POSITIONS
    if "exclusive_positions" in data:
        exclusive = reader.string_list(data, "exclusive_positions", file, text)
        for position in exclusive:
            if position not in POSITIONS:
                reader.problem(
                    file,
                    _("'{position}' must be one of: {names}").format(
                        position=position, names=", ".join(POSITIONS)
                    ),
                    _line_of(text, "exclusive_positions"),
                    "exclusive_positions",
                )
    campaign = Campaign(
        id=campaign_id,
        title=reader.string(data, "title", file, text),
        summary=reader.string(data, "summary", file, text),
        language=reader.string(data, "language", file, text, required=False, default="en-US"),
        default_subject=reader.string(data, "default_subject", file, text),
        template=reader.string(data, "template", file, text, required=False, default="formal"),
        email_template=reader.string(
            data, "email_template", file, text, required=False, default="email"
        ),
        complimentary_close=reader.string(
            data, "complimentary_close", file, text, required=False, default="Respectfully,"
        ),
        themes=themes,
        arguments=tuple(arguments),
        default_arguments=default_arguments,
        recipients=recipients,
        sources=sources,
        templates=templates,
        origin=str(root),
        reviewed=_date(reader, data, "reviewed", file, text),
        exclusive_positions=exclusive,
        default_recipient=default_recipient,
        coach_research=reader.string(data, "coach_research", file, text, required=False),
        warnings=tuple(reader.warnings),
        spelling_words=_spelling_words(reader, data, file, text),
    )
    return campaign, reader.problems


def _spelling_words(
    reader: _Reader, data: dict[str, object], file: str, text: str
) -> tuple[str, ...]:
    """The pack's own words for the spell checker; each must be one word."""
    words = reader.string_list(data, "spelling_words", file, text)
    for word in words:
        if not word.strip() or any(character.isspace() for character in word.strip()):
            reader.problem(
                file,
                _("'{word}' must be a single word (list each word of a name on its own)").format(
                    word=word
                ),
                _line_of(text, "spelling_words"),
                "spelling_words",
            )
    return tuple(word.strip() for word in words if word.strip())


def load_campaign(root: Traversable) -> Campaign:
    """Load a pack folder, refusing it when anything is wrong.

    Raises:
        CampaignError: lists every problem, the first one in the message.
    """
    campaign, problems = read_campaign(root)
    if problems or campaign is None:
        raise CampaignError(problems)
    return campaign


def bundled_campaign_roots() -> list[Traversable]:
    """The campaign packs shipped with the program."""
    from importlib.resources import files

    folder = files("composer.resources").joinpath("campaigns")
    if not folder.is_dir():
        return []
    return sorted(
        (n for n in folder.iterdir() if n.joinpath("campaign.toml").is_file()), key=lambda n: n.name
    )


def imported_campaign_roots(campaigns_dir: Path) -> list[Path]:
    """The packs the user imported into the data folder."""
    if not campaigns_dir.is_dir():
        return []
    # Names starting with a dot are imports in progress or left over from a crash.
    return sorted(
        p
        for p in campaigns_dir.iterdir()
        if not p.name.startswith(".") and not p.is_symlink() and (p / "campaign.toml").is_file()
    )


def available_campaigns(
    campaigns_dir: Path | None = None, cache_dir: Path | None = None
) -> Iterable[tuple[Traversable, Campaign | None, list[Problem]]]:
    """Every bundled and imported pack with its campaign (None if broken) and problems.

    `cache_dir`: see :func:`read_campaign`.
    """
    roots: list[Traversable] = list(bundled_campaign_roots())
    if campaigns_dir is not None:
        roots += imported_campaign_roots(campaigns_dir)
    for root in roots:
        campaign, problems = read_campaign(root, cache_dir)
        yield root, (campaign if not problems else None), problems


def find_campaign(
    key: str, campaigns_dir: Path | None = None, cache_dir: Path | None = None
) -> Campaign:
    """A campaign by id (bundled or imported) or by the path of a pack folder.

    `cache_dir`: see :func:`read_campaign`.

    Raises:
        CampaignError: the pack is broken.
        LookupError: no campaign has that id and no folder has that path.
    """
    path = Path(key)
    if ("/" in key or key.startswith(".")) or (path.is_dir() and (path / "campaign.toml").exists()):
        if not path.is_dir():
            raise LookupError(_("no campaign folder at {path}").format(path=key))
        return load_campaign(path)
    for root, campaign, problems in available_campaigns(campaigns_dir, cache_dir):
        if root.name == key or (campaign is not None and campaign.id == key):
            if campaign is None:
                raise CampaignError(problems)
            return campaign
    raise LookupError(_("no campaign with id '{id}' (see 'composer campaigns')").format(id=key))


def default_campaign(campaigns_dir: Path | None = None, cache_dir: Path | None = None) -> Campaign:
    """The first usable bundled campaign (`cache_dir`: see :func:`read_campaign`).

    Raises:
        LookupError: none is usable.
    """
    for _root, campaign, _problems in available_campaigns(None, cache_dir):
        if campaign is not None:
            return campaign
    raise LookupError(_("no usable campaign is bundled with this program"))
