"""Turning a letter into what is printed or sent, through sandboxed Jinja2 templates.

The body a user edits may hold placeholders (``{{ recipient.salutation }}``,
``{{ sender.city }}``); they are filled in a sandbox that cannot reach Python
internals, and every value that is missing is named before anything is
printed or sent.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import re
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from html import escape as html_escape
from html.parser import HTMLParser
from importlib.resources import files
from typing import Any, ClassVar

import jinja2
from composer.core.markup import html_to_text
from composer.core.models import Letter, Recipient, format_date
from composer.core.postal import delivery_lines, sender_abroad
from composer.core.rendered import RenderedLetter, body_fragment

__all__ = [
    "DEFAULT_RENDER_LIMITS",
    "MissingValuesError",
    "RenderError",
    "RenderLimitError",
    "RenderLimits",
    "RenderedLetter",
    "Renderer",
    "body_fragment",
    "fill_placeholders",
    "placeholder_context",
    "placeholder_problems",
    "remote_content",
    "template_problems",
    "without_remote_content",
]
from composer.i18n import _, ngettext
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

TEMPLATE_PACKAGE = "composer.resources"
_TEMPLATE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*\.(?:html|txt)$")


class RenderError(Exception):
    """A letter could not be rendered; the message says why in plain words.

    Attributes:
        template: the template at fault (``formal.html``), when one is.
        line: the line of that template, when known.
    """

    template: str | None = None
    line: int | None = None


class MissingValuesError(RenderError):
    """Placeholders with no value; ``names`` lists them (e.g. ``sender.city``)."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        super().__init__(
            ngettext(
                "The letter uses {names}, which has no value. Fill it in (the sender profile "
                "or the recipient), or remove the placeholder from the text.",
                "The letter uses {names}, which have no value. Fill them in (the sender "
                "profile or the recipient), or remove the placeholders from the text.",
                len(names),
            ).format(names=", ".join(names))
        )


# --- limits on what a template may do -----------------------------------------------------


@dataclass(frozen=True)
class RenderLimits:
    """How much one template may do while it renders; a pack's template that asks for more stops.

    Attributes:
        seconds: time one template may take.
        steps: loop turns, calls, filters and operators, together.
        output_chars: characters one template may write, counting every block it fills.
        text_chars: characters of any one text a template makes (a list may hold a
            tenth as many items).
        work_chars: characters and items of all the values a template makes, together.

    :class:`Renderer` widens the limits on text by the length of the letter itself,
    so that they bound what a template adds, not what the supporter wrote.
    """

    seconds: float = 5.0
    steps: int = 100_000
    output_chars: int = 2_000_000
    text_chars: int = 1_000_000
    work_chars: int = 20_000_000


DEFAULT_RENDER_LIMITS = RenderLimits()


class RenderLimitError(RenderError):
    """A template went past a limit of :class:`RenderLimits` and was stopped."""

    def __init__(self, template: str, line: int | None, limit: str) -> None:
        self.template = template
        self.line = line
        self.limit = limit
        super().__init__(
            _(
                "{where} was stopped: {limit}. The campaign's templates must be fixed; "
                "tell whoever made the campaign pack."
            ).format(where=_template_where(template, line), limit=limit)
        )


def _template_where(template: str, line: int | None) -> str:
    """The template, and its line when known, as the subject of a sentence."""
    if line:
        return _("Template '{name}' at line {line}").format(name=template, line=line)
    return _("Template '{name}'").format(name=template)


class _LimitReached(Exception):
    """Raised inside a render when a limit is passed; carries where it happened."""

    def __init__(self, limit: str) -> None:
        super().__init__(limit)
        self.limit = limit
        self.template, self.line = _template_position()


def _template_position() -> tuple[str | None, int | None]:
    """The template and line being run (the innermost template frame on the stack)."""
    frame = sys._getframe(1)
    while frame is not None:
        template = frame.f_globals.get("__jinja_template__")
        if isinstance(template, jinja2.Template):
            name = (template.name or "template").removesuffix(".j2")
            return name, template.get_corresponding_lineno(frame.f_lineno)
        frame = frame.f_back  # type: ignore[assignment]
    return None, None


class _Budget:
    """What one render has used so far."""

    def __init__(self, limits: RenderLimits) -> None:
        self.limits = limits
        self.deadline = time.monotonic() + limits.seconds
        self.steps = 0
        self.work = 0
        self.output = 0


_active = threading.local()


def _budget() -> _Budget | None:
    budget: _Budget | None = getattr(_active, "budget", None)
    return budget


def _limits() -> RenderLimits:
    budget = _budget()
    return DEFAULT_RENDER_LIMITS if budget is None else budget.limits


def _tick(count: int = 1) -> None:
    """Count steps and watch the clock."""
    budget = _budget()
    if budget is None:
        return
    budget.steps += count
    if budget.steps > budget.limits.steps:
        raise _LimitReached(
            _("it took more than {steps:,} steps (loop turns, calls and filters)").format(
                steps=budget.limits.steps
            )
        )
    if time.monotonic() > budget.deadline:
        raise _LimitReached(_ran_too_long(budget.limits.seconds))


def _ran_too_long(seconds: float) -> str:
    return _("it ran for more than {seconds:g} seconds").format(seconds=seconds)


def _size(value: object) -> int:
    if isinstance(value, (str, bytes, list, tuple, dict, set, frozenset, range)):
        return len(value)
    return 0


def _allow(size: int, what: str = "") -> None:
    """Refuse, before it is made, a value larger than one value may be.

    Args:
        size: the characters the value would hold.
        what: what the value is ("a joined text"), in the interface's language;
            "a text" when not given.
    """
    limit = _limits().text_chars
    if size > limit:
        raise _LimitReached(
            _("it would make {what} of {size:,} characters (the limit is {limit:,})").format(
                what=what or _("a text"), size=size, limit=limit
            )
        )


# A collection may hold a tenth as many items as a text holds characters: each item costs
# far more memory, and sorting or grouping them far more time.
_ITEMS_SHARE = 10


def _allow_items(count: int) -> None:
    """Refuse, before it is made, a list with more items than one value may hold."""
    limit = _limits().text_chars // _ITEMS_SHARE
    if count > limit:
        raise _LimitReached(
            _("it would make a list of {count:,} items (the limit is {limit:,})").format(
                count=count, limit=limit
            )
        )


def _account(value: Any) -> Any:
    """Count a value a template made against the limits, and hand it back."""
    size = _size(value)
    if size:
        if isinstance(value, (str, bytes)):
            _allow(size, _("a value"))
        else:
            _allow_items(size)
        budget = _budget()
        if budget is not None:
            budget.work += size
            if budget.work > budget.limits.work_chars:
                raise _LimitReached(
                    _("it made more than {count:,} characters of text in all").format(
                        count=budget.limits.work_chars
                    )
                )
    return value


_BIG_INT_BITS = 4096
# str methods that pad, repeat or reformat text without a bound; the filters of the same
# purpose (center, indent, format, join, replace) check their sizes first.
_UNSAFE_STR_METHODS = frozenset(
    {
        "center",
        "ljust",
        "rjust",
        "zfill",
        "expandtabs",
        "format",
        "format_map",
        "join",
        "replace",
        "translate",
        "encode",
        "maketrans",
    }
)
_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")


def _check_percent_format(template: object, arguments: object) -> None:
    """Refuse a ``%`` format whose widths would make a huge text."""
    if not isinstance(template, str):
        return
    limit = _limits().text_chars
    values = arguments if isinstance(arguments, tuple) else (arguments,)
    for match in _PERCENT_SPEC.finditer(template):
        for group in match.groups():
            if group == "*":
                if any(isinstance(v, int) and abs(v) > limit for v in values):
                    raise _LimitReached(
                        _("a '%' format asks for a width over {limit:,}").format(limit=limit)
                    )
            elif group and int(group) > limit:
                raise _LimitReached(
                    _("a '%' format asks for a width of {width:,}").format(width=int(group))
                )


def _check_binop(operator: str, left: Any, right: Any) -> None:
    """Refuse, before it runs, an operator whose result would be too large."""
    sequences = (str, list, tuple)
    if operator == "*":
        for sequence, count in ((left, right), (right, left)):
            if isinstance(sequence, sequences) and isinstance(count, int):
                if isinstance(sequence, str):
                    _allow(len(sequence) * max(count, 0), _("a repeated text"))
                else:
                    _allow_items(len(sequence) * max(count, 0))
        both = isinstance(left, int) and isinstance(right, int)
        if both and left.bit_length() + right.bit_length() > _BIG_INT_BITS:
            raise _LimitReached(_("it multiplies numbers too large to print"))
    elif operator == "**":
        growing = isinstance(left, int) and isinstance(right, int) and abs(left) > 1
        if growing and right > 0 and left.bit_length() * right > _BIG_INT_BITS:
            raise _LimitReached(_("it raises a number to a power too large to print"))
    elif operator == "+":
        if isinstance(left, str) and isinstance(right, str):
            _allow(len(left) + len(right), _("a joined text"))
        elif isinstance(left, sequences) and isinstance(right, sequences):
            _allow_items(len(left) + len(right))
    elif operator == "%":
        _check_percent_format(left, right)


def _int(value: object, default: int = 0) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        return len(value)
    return default


def _text_len(value: object) -> int:
    return len(value) if isinstance(value, str) else len(str(value))


def _check_filter(name: str, arguments: dict[str, Any]) -> None:
    """Size checks for the filters that can make a large text out of a small one."""
    limit = _limits().text_chars
    value = arguments.get("value", arguments.get("s"))
    if name == "center":
        _allow(max(_int(arguments.get("width")), _text_len(value)), "a centered text")
    elif name == "indent":
        text = str(value)
        lines = text.count("\n") + 1
        _allow(len(text) + _int(arguments.get("width")) * lines, "an indented text")
    elif name == "wordwrap":
        text = str(value)
        wrap = arguments.get("wrapstring")
        _allow(len(text) * (1 + (len(wrap) if isinstance(wrap, str) else 1)), "a wrapped text")
    elif name == "replace":
        text, old, new = str(value), arguments.get("old"), arguments.get("new")
        if isinstance(old, str) and isinstance(new, str):
            found = text.count(old) if old else len(text) + 1
            count = arguments.get("count")
            if isinstance(count, int) and count >= 0:
                found = min(found, count)
            _allow(len(text) + found * max(0, len(new) - len(old)), "a replaced text")
    elif name == "format":
        _check_percent_format(value, tuple(arguments.get("args", ())))
    elif name in ("batch", "slice"):
        count = _int(arguments.get("linecount", arguments.get("slices")))
        if count > limit:
            raise _LimitReached(
                _("the '{name}' filter asks for {count:,} parts").format(name=name, count=count)
            )
    elif name == "round":
        if abs(_int(arguments.get("precision"))) > 100:
            raise _LimitReached(_("the 'round' filter asks for more than 100 digits"))
    elif name == "tojson" and _int(arguments.get("indent")) > 100:
        raise _LimitReached(_("the 'tojson' filter asks for an indent over 100"))


def _join_arguments(arguments: dict[str, Any]) -> None:
    """Materialize what ``join`` joins (within the limits) and check the joined size."""
    items = _account(list(arguments["value"]))
    arguments["value"] = items
    separator = arguments.get("d", "")
    size = len(separator) * max(len(items) - 1, 0) if isinstance(separator, str) else 0
    if arguments.get("attribute") is None:
        size += sum(_text_len(item) for item in items)
    _allow(size, "a joined text")


def _guarded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """`function` with the limits checked before it runs and on what it returns."""
    try:
        signature: inspect.Signature | None = inspect.signature(function)
    except (TypeError, ValueError):
        signature = None
    if (
        signature is not None
        and getattr(function, "jinja_async_variant", False)
        and not hasattr(inspect.unwrap(function), "jinja_pass_arg")
    ):
        # Filters with a sync and an async form are given an evaluation context that the
        # signature they show does not name.
        passed = inspect.Parameter("passed", inspect.Parameter.POSITIONAL_ONLY)
        signature = signature.replace(parameters=[passed, *signature.parameters.values()])

    @functools.wraps(function)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        _tick()
        if signature is not None:
            try:
                bound = signature.bind(*args, **kwargs)
            except TypeError:
                bound = None
            if bound is not None:
                bound.apply_defaults()
                if name == "join":
                    _join_arguments(bound.arguments)
                else:
                    _check_filter(name, bound.arguments)
                args, kwargs = bound.args, bound.kwargs
        return _account(function(*args, **kwargs))

    return guarded


@functools.cache
def _guarded_filters() -> dict[str, Callable[..., Any]]:
    """Jinja's filters, each guarded (made once: reading their signatures takes a while)."""
    from jinja2.filters import FILTERS

    return {name: _guarded_filter(name, function) for name, function in FILTERS.items()}


def _bounded_range(*args: int) -> range:
    """``range`` for templates: no longer than the step limit."""
    numbers = range(*args)
    limit = _limits().steps
    if len(numbers) > limit:
        raise _LimitReached(
            _("it asks for a range of {count:,} numbers (at most {limit:,})").format(
                count=len(numbers), limit=limit
            )
        )
    return numbers


class _LimitedCodeGenerator(CodeGenerator):
    """Compiles templates so that loops, joins, slices and output pass through the limits."""

    def visit_For(self, node: nodes.For, frame: Frame) -> None:
        counted = nodes.Call(
            nodes.EnvironmentAttribute("counted"), [node.iter], [], None, None, lineno=node.lineno
        )
        loop = nodes.For(
            node.target,
            counted,
            node.body,
            node.else_,
            node.test,
            node.recursive,
            lineno=node.lineno,
        )
        super().visit_For(loop, frame)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.checked(")
        super().visit_Concat(node, frame)
        self.write(")")

    def visit_Getitem(self, node: nodes.Getitem, frame: Frame) -> None:
        if not isinstance(node.arg, nodes.Slice):
            super().visit_Getitem(node, frame)
            return
        self.write("environment.checked(")
        super().visit_Getitem(node, frame)
        self.write(")")

    def _output_child_pre(
        self, node: nodes.Expr, frame: Frame, finalize: CodeGenerator._FinalizeInfo
    ) -> None:
        self.write("environment.emitted(")
        super()._output_child_pre(node, frame, finalize)

    def _output_child_post(
        self, node: nodes.Expr, frame: Frame, finalize: CodeGenerator._FinalizeInfo
    ) -> None:
        super()._output_child_post(node, frame, finalize)
        self.write(")")

    def _output_const_repr(self, group: Iterable[Any]) -> str:
        return f"environment.emitted({super()._output_const_repr(group)})"


class _LimitedSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, with every way to make work or text counted and bounded.

    The limits in force are those of the render running on the current thread
    (see :func:`_rendering`); outside a render only the size of single values
    is checked.
    """

    code_generator_class = _LimitedCodeGenerator
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters = dict(_guarded_filters())
        self.globals["range"] = _bounded_range
        self.globals.pop("lipsum", None)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """Attributes the sandbox allows, less the str methods that pad or repeat text."""
        if isinstance(obj, str) and attr in _UNSAFE_STR_METHODS:
            return False
        return bool(super().is_safe_attribute(obj, attr, value))

    def getattr(self, obj: Any, attribute: str) -> Any:
        """``obj.attribute`` from a template; str methods that pad or repeat text are refused."""
        if isinstance(obj, str) and attribute in _UNSAFE_STR_METHODS:
            return self.unsafe_undefined(obj, attribute)
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        """``obj[argument]`` from a template, with the same refusals as :meth:`getattr`."""
        if isinstance(obj, str) and argument in _UNSAFE_STR_METHODS:
            return self.unsafe_undefined(obj, argument)
        return super().getitem(obj, argument)

    def call_binop(
        self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any
    ) -> Any:
        """Run an operator once its result is known to be small enough."""
        _tick()
        _check_binop(operator, left, right)
        return _account(super().call_binop(context, operator, left, right))

    def call(
        __self, __context: jinja2.runtime.Context, __obj: Any, *args: Any, **kwargs: Any
    ) -> Any:
        """Call something from a template, counting the call and what it returns."""
        _tick()
        return _account(super().call(__context, __obj, *args, **kwargs))

    @staticmethod
    def counted(iterable: Iterable[Any]) -> Iterator[Any]:
        """What a ``for`` loop runs over, one step per turn."""
        for item in iterable:
            _tick()
            yield item

    @staticmethod
    def checked(value: Any) -> Any:
        """A value made by ``~`` or a slice, counted against the limits."""
        return _account(value)

    @staticmethod
    def emitted(text: str) -> str:
        """Text a template writes (to its output or a block), counted against the limits."""
        budget = _budget()
        if budget is not None:
            budget.output += len(text)
            if budget.output > budget.limits.output_chars:
                raise _LimitReached(
                    _("it wrote more than {count:,} characters").format(
                        count=budget.limits.output_chars
                    )
                )
            if time.monotonic() > budget.deadline:
                raise _LimitReached(_ran_too_long(budget.limits.seconds))
        return text


class _Rendering:
    """Within this block, templates rendered on this thread obey `limits`."""

    def __init__(self, limits: RenderLimits) -> None:
        self.limits = limits
        self.previous: _Budget | None = None

    def __enter__(self) -> _Budget:
        self.previous = _budget()
        budget = _Budget(self.limits)
        _active.budget = budget
        return budget

    def __exit__(self, *exc: object) -> None:
        _active.budget = self.previous


# --- remote content ------------------------------------------------------------------------

# Elements that make a reader fetch something (or run something) as soon as the letter opens.
_REMOTE_ELEMENTS = frozenset(
    {
        "script",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "link",
        "base",
        "img",
        "image",
        "picture",
        "source",
        "video",
        "audio",
        "track",
        "svg",
        "use",
        "form",
        "input",
        "portal",
        "noscript",
    }
)
# Of those, the ones whose content goes with them when they are removed.
_REMOTE_CONTAINERS = frozenset(
    {"script", "iframe", "object", "applet", "picture", "video", "audio", "svg", "form", "noscript"}
)
_REMOTE_ATTRIBUTES = frozenset(
    {
        "src",
        "srcset",
        "background",
        "poster",
        "data",
        "action",
        "formaction",
        "ping",
        "lowsrc",
        "dynsrc",
        "longdesc",
        "codebase",
        "archive",
        "manifest",
        "xlink:href",
        "imagesrcset",
    }
)
_LINK_SCHEMES = ("http:", "https:", "mailto:")
_CSS_FETCH = re.compile(r"url\s*\(|@import|image-set\s*\(|expression\s*\(", re.IGNORECASE)
# The same, whole (what is left out of a style sheet when an e-mail is built).
_CSS_FETCH_WHOLE = re.compile(
    r"(?:url|image-set|expression)\s*\((?:[^()]|\([^()]*\))*\)|@import[^;]*;?", re.IGNORECASE
)


def _remote_reason(tag: str, attributes: list[tuple[str, str | None]]) -> str:
    """Why an element would fetch or run something, or "" when it would not."""
    if tag == "script":
        return _("<script> is not allowed in letter and e-mail templates")
    if tag in _REMOTE_ELEMENTS:
        return _(
            "<{tag}> would load content from elsewhere; letters may not reference remote content"
        ).format(tag=tag)
    for name, value in attributes:
        text = (value or "").strip()
        loads = _("the '{name}' attribute of <{tag}> would load content from elsewhere")
        if name in _REMOTE_ATTRIBUTES:
            return loads.format(name=name, tag=tag)
        if name.startswith("on"):
            return _("the '{name}' attribute of <{tag}> would run a script").format(
                name=name, tag=tag
            )
        if name == "style" and _CSS_FETCH.search(text):
            return _(
                "the style of <{tag}> would load content from elsewhere (url() or @import)"
            ).format(tag=tag)
        if name == "href":
            plain = re.sub(r"[\s\x00-\x1f]", "", text).lower()
            if tag != "a":
                return loads.format(name=name, tag=tag)
            if ":" in plain.split("/", 1)[0] and not plain.startswith(_LINK_SCHEMES):
                return _(
                    "a link to '{target}' is not allowed (only http, https and mailto)"
                ).format(target=text[:40])
        if tag == "meta" and name == "http-equiv" and text.lower() == "refresh":
            return _("<meta http-equiv=refresh> would load another page")
    return ""


class _RemoteScanner(HTMLParser):
    """Finds, with their lines, the parts of HTML that would fetch or run something."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        reason = _remote_reason(tag, attrs)
        if reason:
            self.found.append((self.getpos()[0], reason))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_comment(self, data: str) -> None:
        # Some mail programs read markup inside "conditional comments".
        if "<" in data or _CSS_FETCH.search(data):
            self.found.append(
                (self.getpos()[0], _("a comment holds markup, which may not be hidden"))
            )

    def handle_data(self, data: str) -> None:
        if self._in_style and _CSS_FETCH.search(data):
            line = self.getpos()[0] + data[: _CSS_FETCH.search(data).start()].count("\n")  # type: ignore[union-attr]
            self.found.append((line, _("a style sheet would load content from elsewhere (url())")))


def remote_content(html: str) -> list[tuple[int, str]]:
    """Each place (line, reason) where `html` would fetch remote content or run a script."""
    scanner = _RemoteScanner()
    scanner.feed(html)
    scanner.close()
    return scanner.found


class _RemoteStripper(HTMLParser):
    """Copies HTML, leaving out whatever would fetch remote content or run a script."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping: list[str] = []
        self._in_style = False

    def _open(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool) -> None:
        if self._skipping:
            if tag == self._skipping[-1] and not closed:
                self._skipping.append(tag)
            return
        if tag in _REMOTE_ELEMENTS:
            if tag in _REMOTE_CONTAINERS and not closed:
                self._skipping.append(tag)
            return
        kept = [(name, value) for name, value in attrs if not _remote_reason(tag, [(name, value)])]
        shown = "".join(
            f" {name}" if value is None else f' {name}="{html_escape(value, quote=True)}"'
            for name, value in kept
        )
        self.parts.append(f"<{tag}{shown}{' /' if closed else ''}>")
        self._in_style = tag == "style" and not closed

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open(tag, attrs, closed=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open(tag, attrs, closed=True)

    def handle_endtag(self, tag: str) -> None:
        if self._skipping:
            if tag == self._skipping[-1]:
                self._skipping.pop()
            return
        self._in_style = False
        if tag not in _REMOTE_ELEMENTS:
            self.parts.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if self._skipping:
            return
        if self._in_style:  # a style sheet is not markup: its text is copied as it is
            self.parts.append(_CSS_FETCH_WHOLE.sub("none", data))
        else:
            self.parts.append(html_escape(data, quote=False))

    def handle_decl(self, decl: str) -> None:
        if not self._skipping:
            self.parts.append(f"<!{decl}>")


# A quick look (on lowercase text) for anything the scan above could find; most letters have
# none of it, and then the slower parse is not needed.
_MIGHT_FETCH = (
    re.compile(r"<\s*/?\s*(?:" + "|".join(sorted(_REMOTE_ELEMENTS)) + r")\b"),
    re.compile(r"(?:" + "|".join(sorted(_REMOTE_ATTRIBUTES)) + r"|href|http-equiv|on[a-z]+)\s*="),
    re.compile(r"url\s*\(|@import|image-set|expression\s*\(|<!--"),
)


def _might_fetch(html: str) -> bool:
    lowered = html.lower()
    return any(pattern.search(lowered) for pattern in _MIGHT_FETCH)


def without_remote_content(html: str) -> str:
    """`html` with every element and attribute that would fetch remote content or run a
    script left out (what the program sends never makes a reader's mail client call out)."""
    if not _might_fetch(html) or not remote_content(html):
        return html  # nothing to leave out: the HTML goes as it is, byte for byte
    stripper = _RemoteStripper()
    stripper.feed(html)
    stripper.close()
    return "".join(stripper.parts)


class _Fields(dict[str, Any]):
    """A dictionary that knows the name it is offered under (``sender``, ``recipient``)."""

    def __init__(self, label: str, values: Mapping[str, Any]) -> None:
        super().__init__(values)
        self.label = label


class _RecordingUndefined(jinja2.Undefined):
    """Records every missing value by its dotted name instead of failing on the first."""

    missing: ClassVar[list[str]]

    def _record(self) -> None:
        owner = self._undefined_obj
        if isinstance(owner, _Fields):
            name = f"{owner.label}.{self._undefined_name}"
        else:
            name = str(self._undefined_name)
        if name not in self.missing:
            self.missing.append(name)

    def __str__(self) -> str:
        self._record()
        return ""

    def __html__(self) -> str:
        self._record()
        return ""


def _environment(
    loader: jinja2.BaseLoader, undefined: type[jinja2.Undefined]
) -> jinja2.Environment:
    return _LimitedSandbox(
        loader=loader,
        undefined=undefined,
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html", "html.j2"), default_for_string=True
        ),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _parsed(source: str) -> nodes.Template | list[tuple[int | None, str]]:
    """The syntax tree of template code, or its syntax error (line, message) as a problem."""
    try:
        return _environment(jinja2.DictLoader({}), jinja2.StrictUndefined).parse(source)
    except jinja2.TemplateSyntaxError as error:
        return [(error.lineno, _("template syntax error: {problem}").format(problem=error.message))]


def syntax_problems(source: str) -> list[tuple[int | None, str]]:
    """The syntax error of template code as a problem (line, message), or none."""
    tree = _parsed(source)
    return tree if isinstance(tree, list) else []


def template_problems(source: str) -> list[tuple[int | None, str]]:
    """Problems in template code, without running it: syntax errors and reaches for internals."""
    tree = _parsed(source)
    if isinstance(tree, list):
        return tree
    problems: list[tuple[int | None, str]] = []
    for node in tree.find_all((nodes.Getattr, nodes.Getitem, nodes.Name)):
        name: object = None
        if isinstance(node, nodes.Getattr):
            name = node.attr
        elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            name = node.arg.value
        elif isinstance(node, nodes.Name):
            name = node.name
        if isinstance(name, str) and name.startswith("_"):
            problems.append(
                (
                    node.lineno,
                    _("'{name}' reaches for Python internals, which templates may not use").format(
                        name=name
                    ),
                )
            )
    return problems


def placeholder_context(letter: Letter, recipient: Recipient) -> dict[str, Any]:
    """The values placeholders in the body may use; empty values count as missing."""

    def present(values: Mapping[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in values.items() if v not in ("", None)}

    return {
        "sender": _Fields("sender", present(letter.sender.as_dict())),
        "recipient": _Fields("recipient", present(recipient.as_template_dict())),
        "campaign": _Fields("campaign", present({"id": letter.campaign_id})),
        "date": format_date(letter.date, letter.language),
    }


# The values a letter's text may name, by owner (what placeholder_context offers).
PLACEHOLDER_FIELDS: dict[str, frozenset[str]] = {
    "sender": frozenset(
        ("name", "street", "city", "state", "postal_code", "country", "email", "phone")
    ),
    "recipient": frozenset(
        ("id", "name", "title", "salutation", "address", "email", "state", "district")
    ),
    "campaign": frozenset(("id",)),
}


# The values a letter template is given, by owner (what Renderer.context offers).
TEMPLATE_FIELDS: dict[str, frozenset[str]] = {
    "sender": PLACEHOLDER_FIELDS["sender"] | {"lines", "address_lines"},
    "recipient": PLACEHOLDER_FIELDS["recipient"] | {"address_lines"},
}


def placeholder_problems(source: str) -> list[tuple[int | None, str]]:
    """What in a letter's text is more than a plain placeholder.

    The text a user edits may only name values — ``{{ sender.city }}``,
    ``{{ recipient.salutation }}``, ``{{ date }}`` — never compute: arithmetic,
    filters, calls and statements could stall the program (``{{ 9 ** 9 ** 9 }}``)
    even inside the sandbox, so they are refused before anything runs.
    """
    tree = _parsed(source)
    if isinstance(tree, list):
        return tree
    problems: list[tuple[int | None, str]] = []
    example = "{{ sender.city }} or {{ recipient.salutation }}"
    for statement in tree.body:
        if not isinstance(statement, nodes.Output):
            problems.append(
                (
                    statement.lineno,
                    _("only placeholders such as {example} may be used").format(example=example),
                )
            )
            continue
        for part in statement.nodes:
            if isinstance(part, nodes.TemplateData):
                continue
            if isinstance(part, nodes.Name) and part.name == "date":
                continue
            if (
                isinstance(part, nodes.Getattr)
                and isinstance(part.node, nodes.Name)
                and part.node.name in PLACEHOLDER_FIELDS
            ):
                owner = part.node.name
                if part.attr not in PLACEHOLDER_FIELDS[owner]:
                    known = ", ".join(f"{owner}.{f}" for f in sorted(PLACEHOLDER_FIELDS[owner]))
                    problems.append(
                        (
                            part.lineno,
                            _("{name} is not a known value (only {known})").format(
                                name=f"{owner}.{part.attr}", known=known
                            ),
                        )
                    )
                continue
            problems.append(
                (
                    part.lineno,
                    _("only plain placeholders such as {example} may be used").format(
                        example=example
                    ),
                )
            )
    return problems


def fill_placeholders(body_html: str, context: Mapping[str, Any]) -> str:
    """Fill the placeholders of the body in a sandbox.

    Raises:
        MissingValuesError: a placeholder has no value (all of them are named).
        RenderError: the body holds template code that is broken or not allowed.
    """
    if not re.search(r"\{\{|\{%|\{#", body_html):
        return body_html  # the common case: nothing to fill, nothing to parse
    problems = template_problems(body_html) or placeholder_problems(body_html)
    if problems:
        raise RenderError(
            _("The letter's text has a placeholder that is not allowed: {problem}.").format(
                problem=problems[0][1]
            )
        )

    class Recording(_RecordingUndefined):
        missing: ClassVar[list[str]] = []

    environment = _environment(jinja2.DictLoader({}), Recording)
    try:
        result = environment.from_string(body_html).render(context)
    except jinja2.TemplateSyntaxError as error:
        raise RenderError(
            _(
                "The letter's text has a broken placeholder near line {line}: "
                "{problem}. Placeholders look like {example}."
            ).format(line=error.lineno, problem=error.message, example="{{ sender.city }}")
        ) from error
    except SecurityError as error:
        raise RenderError(
            _("The letter's text has a placeholder that is not allowed: {problem}.").format(
                problem=error
            )
        ) from error
    except (
        jinja2.TemplateError,
        ArithmeticError,
        TypeError,
        ValueError,
        MemoryError,
        RecursionError,
    ) as error:
        raise RenderError(
            _("A placeholder in the letter's text could not be filled: {problem}.").format(
                problem=error
            )
        ) from error
    if Recording.missing:
        raise MissingValuesError(list(Recording.missing))
    return result


def _located(sentence: str, template: str, error: BaseException, **values: object) -> RenderError:
    """A RenderError saying what `template` did, at the template line `error` came from.

    Args:
        sentence: the message, translated, with ``{where}`` for the template and its line.
        template: the template's name.
        error: what was raised while it rendered.
        values: the sentence's other placeholders.
    """
    line = None
    trace = error.__traceback__
    while trace is not None:
        # Jinja rewrites the frames of template code to carry the template's line numbers.
        if "__jinja_exception__" in trace.tb_frame.f_globals:
            line = trace.tb_lineno
        trace = trace.tb_next
    located = RenderError(sentence.format(where=_template_where(template, line), **values))
    located.template, located.line = template, line
    return located


class _PackageLoader(jinja2.BaseLoader):
    """Loads bundled templates through importlib.resources (works from a wheel or a checkout)."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, None, Any]:
        name = template.removesuffix(".j2")
        if not _TEMPLATE_NAME.match(name):
            raise jinja2.TemplateNotFound(template)
        node = files(TEMPLATE_PACKAGE).joinpath("templates").joinpath(f"{name}.j2")
        if not node.is_file():
            raise jinja2.TemplateNotFound(template)
        return node.read_text(encoding="utf-8"), None, lambda: True


# A campaign's prompt to the writer, such as "[[Add a sentence of your own here.]]": shown in
# the editor, never printed or sent (a writer who leaves it gets a letter without it).
_PROMPT = re.compile(r"[ \t]*\[\[[^\[\]<>]*\]\]")


def without_prompts(body_html: str) -> str:
    """The body without the campaign's prompts to the writer (text in double brackets)."""
    return _PROMPT.sub("", body_html)


class Renderer:
    """Renders letters with the bundled templates or a campaign's own.

    Every template runs in a sandbox within `limits`: one that loops, writes or
    computes more than they allow is stopped with a message naming it, its line
    and the limit, on whatever thread it runs (the window's preview worker too).

    Args:
        campaign_templates: name → source of templates shipped in a campaign pack;
            they take precedence over the bundled ones of the same name.
        limits: how much one template may do.
    """

    def __init__(
        self,
        campaign_templates: Mapping[str, str] | None = None,
        limits: RenderLimits = DEFAULT_RENDER_LIMITS,
    ) -> None:
        loaders: list[jinja2.BaseLoader] = []
        if campaign_templates:
            loaders.append(jinja2.DictLoader({f"{k}.j2": v for k, v in campaign_templates.items()}))
        loaders.append(_PackageLoader())
        self._environment = _environment(jinja2.ChoiceLoader(loaders), jinja2.StrictUndefined)
        self.limits = limits

    def _render(self, name: str, context: Mapping[str, Any]) -> str:
        try:
            with _Rendering(self._limits_for(context)):
                return self._environment.get_template(f"{name}.j2").render(context)
        except _LimitReached as error:
            raise RenderLimitError(error.template or name, error.line, error.limit) from error
        except jinja2.TemplateNotFound as error:
            if error.name not in (f"{name}.j2", name):
                raise _located(
                    _(
                        "{where} includes '{included}', which is not a template of this campaign "
                        "or of the program; a template may only use the campaign's own "
                        "templates, by their file name (like 'footer.html.j2')."
                    ),
                    name,
                    error,
                    included=error.name,
                ) from error
            raise RenderError(
                _("There is no template named '{name}'.").format(name=name)
            ) from error
        except SecurityError as error:
            raise _located(
                _("{where} tried something not allowed: {problem}."),
                name,
                error,
                problem=str(error).rstrip("."),
            ) from error
        except jinja2.UndefinedError as error:
            raise _located(
                _("{where} uses a value that does not exist: {problem}."),
                name,
                error,
                problem=error,
            ) from error
        except jinja2.TemplateError as error:
            raise _located(
                _("{where} is broken: {problem}."), name, error, problem=error
            ) from error
        except MemoryError as error:
            raise _located(_("{where} failed: it ran out of memory."), name, error) from error
        except RecursionError as error:
            raise _located(
                _("{where} failed: it calls or includes itself without end."), name, error
            ) from error
        except (
            ArithmeticError,
            AssertionError,
            AttributeError,
            LookupError,
            TypeError,
            ValueError,
        ) as error:
            raise _located(
                _("{where} failed: {problem}."),
                name,
                error,
                problem=error or error.__class__.__name__,
            ) from error

    def _limits_for(self, context: Mapping[str, Any]) -> RenderLimits:
        """The limits, widened by the size of the letter itself.

        A supporter may write a letter as long as they like; the limits are on
        what a template adds to it, so a long letter leaves room in proportion.
        """
        own = sum(len(value) for value in context.values() if isinstance(value, str))
        if not own:
            return self.limits
        limits = self.limits
        return dataclasses.replace(
            limits,
            output_chars=limits.output_chars + 2 * own,
            text_chars=limits.text_chars + 2 * own,
            work_chars=limits.work_chars + 4 * own,
        )

    def context(self, letter: Letter, recipient: Recipient) -> dict[str, Any]:
        """The values a template is given for `letter` addressed to `recipient`.

        Raises:
            MissingValuesError: a placeholder in the body has no value.
            RenderError: the body holds template code that is broken or not allowed.
        """
        body = fill_placeholders(
            without_prompts(body_fragment(letter.body_for(recipient.id))),
            placeholder_context(letter, recipient),
        )
        sender_lines = tuple(letter.sender.block_lines())
        # Posted from abroad, the address ends with the country it goes to.
        delivery = tuple(
            delivery_lines(recipient.address_lines, sender_abroad(letter.sender.country))
        )
        return {
            "sender": {
                **letter.sender.as_dict(),
                "lines": sender_lines,
                "address_lines": letter.sender.address_lines(),
            },
            "recipient": {**recipient.as_template_dict(), "address_lines": delivery},
            "date": format_date(letter.date, letter.language),
            "subject": letter.subject,
            "body": Markup(body),
            "body_text": html_to_text(body),
            "closing": letter.complimentary_close,
            "signature": letter.sender.name.strip(),
            "language": letter.language,
        }

    def render_file(self, name: str, context: Mapping[str, Any]) -> str:
        """Render one template file by name (``formal.html``, ``footer.html``) with `context`.

        Raises:
            RenderError: the template is missing, broken, or went past a limit.
        """
        return self._render(name, context)

    def render(
        self, letter: Letter, recipient: Recipient, template: str = "formal"
    ) -> RenderedLetter:
        """Render `letter` for `recipient` with the named template (``formal``, ``email``…).

        Raises:
            MissingValuesError: a placeholder or a needed value is missing.
            RenderError: the body or the template is broken.
        """
        context = self.context(letter, recipient)
        body = str(context["body"])
        sender_lines = context["sender"]["lines"]
        # What a template wrote that would fetch or run something is left out of what is
        # printed, previewed and sent (check refuses such templates; this is for the rest).
        flow = without_remote_content(
            self._render(f"{template}.html", {**context, "standalone": False})
        )
        document = without_remote_content(
            self._render(f"{template}.html", {**context, "standalone": True})
        )
        text = self._render(f"{template}.txt", context)
        return RenderedLetter(
            recipient=recipient,
            subject=letter.subject,
            sender_lines=sender_lines,
            date_text=context["date"],
            address_lines=tuple(context["recipient"]["address_lines"]),
            salutation=recipient.salutation,
            body_html=body,
            closing=letter.complimentary_close,
            signature=context["signature"],
            flow_html=flow,
            document_html=document,
            text=text.strip() + "\n",
        )
