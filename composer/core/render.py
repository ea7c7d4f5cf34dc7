"""Turning a letter into what is printed or sent, through sandboxed Jinja2 templates.

The body a user edits may hold placeholders (``{{ recipient.salutation }}``,
``{{ sender.city }}``); they are filled in a sandbox that cannot reach Python
internals, and every value that is missing is named before anything is
printed or sent.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from importlib.resources import files
from typing import Any, ClassVar

import jinja2
from composer.core.markup import html_to_text
from composer.core.models import Letter, Recipient, format_date
from composer.core.postal import delivery_lines, sender_abroad
from composer.core.rendered import RenderedLetter, body_fragment

__all__ = [
    "MissingValuesError",
    "RenderError",
    "RenderedLetter",
    "Renderer",
    "body_fragment",
    "fill_placeholders",
    "placeholder_context",
    "placeholder_problems",
    "template_problems",
]
from jinja2 import nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

TEMPLATE_PACKAGE = "composer.resources"
_TEMPLATE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*\.(?:html|txt)$")


class RenderError(Exception):
    """A letter could not be rendered; the message says why in plain words."""


class MissingValuesError(RenderError):
    """Placeholders with no value; ``names`` lists them (e.g. ``sender.city``)."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        listed = ", ".join(names)
        super().__init__(
            f"The letter uses {listed}, which has no value. Fill it in (the sender profile "
            "or the recipient), or remove the placeholder from the text."
            if len(names) == 1
            else f"The letter uses {listed}, which have no value. Fill them in (the sender "
            "profile or the recipient), or remove the placeholders from the text."
        )


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
    return ImmutableSandboxedEnvironment(
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
        return [(error.lineno, f"template syntax error: {error.message}")]


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
                (node.lineno, f"'{name}' reaches for Python internals, which templates may not use")
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
            problems.append((statement.lineno, f"only placeholders such as {example} may be used"))
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
                        (part.lineno, f"{owner}.{part.attr} is not a known value (only {known})")
                    )
                continue
            problems.append((part.lineno, f"only plain placeholders such as {example} may be used"))
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
            f"The letter's text has a placeholder that is not allowed: {problems[0][1]}."
        )

    class Recording(_RecordingUndefined):
        missing: ClassVar[list[str]] = []

    environment = _environment(jinja2.DictLoader({}), Recording)
    try:
        result = environment.from_string(body_html).render(context)
    except jinja2.TemplateSyntaxError as error:
        raise RenderError(
            f"The letter's text has a broken placeholder near line {error.lineno}: "
            f"{error.message}. Placeholders look like {{{{ sender.city }}}}."
        ) from error
    except SecurityError as error:
        raise RenderError(
            f"The letter's text has a placeholder that is not allowed: {error}."
        ) from error
    except jinja2.TemplateError as error:
        raise RenderError(
            f"A placeholder in the letter's text could not be filled: {error}."
        ) from error
    except (ArithmeticError, TypeError, ValueError, MemoryError, RecursionError) as error:
        raise RenderError(
            f"A placeholder in the letter's text could not be filled: {error}."
        ) from error
    if Recording.missing:
        raise MissingValuesError(list(Recording.missing))
    return result


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


class Renderer:
    """Renders letters with the bundled templates or a campaign's own.

    Args:
        campaign_templates: name → source of templates shipped in a campaign pack;
            they take precedence over the bundled ones of the same name.
    """

    def __init__(self, campaign_templates: Mapping[str, str] | None = None) -> None:
        loaders: list[jinja2.BaseLoader] = []
        if campaign_templates:
            loaders.append(jinja2.DictLoader({f"{k}.j2": v for k, v in campaign_templates.items()}))
        loaders.append(_PackageLoader())
        self._environment = _environment(jinja2.ChoiceLoader(loaders), jinja2.StrictUndefined)

    def _render(self, name: str, context: Mapping[str, Any]) -> str:
        try:
            return self._environment.get_template(f"{name}.j2").render(context)
        except jinja2.TemplateNotFound as error:
            raise RenderError(f"There is no template named '{name}'.") from error
        except SecurityError as error:
            raise RenderError(f"Template '{name}' tried something not allowed: {error}.") from error
        except jinja2.UndefinedError as error:
            raise RenderError(
                f"Template '{name}' uses a value that does not exist: {error}."
            ) from error
        except jinja2.TemplateError as error:
            raise RenderError(f"Template '{name}' is broken: {error}.") from error
        except (ArithmeticError, TypeError, ValueError, MemoryError, RecursionError) as error:
            raise RenderError(f"Template '{name}' failed: {error}.") from error

    def render(
        self, letter: Letter, recipient: Recipient, template: str = "formal"
    ) -> RenderedLetter:
        """Render `letter` for `recipient` with the named template (``formal``, ``email``…).

        Raises:
            MissingValuesError: a placeholder or a needed value is missing.
            RenderError: the body or the template is broken.
        """
        body = fill_placeholders(
            body_fragment(letter.body_for(recipient.id)), placeholder_context(letter, recipient)
        )
        sender_lines = tuple(letter.sender.block_lines())
        # Posted from abroad, the address ends with the country it goes to.
        delivery = tuple(
            delivery_lines(recipient.address_lines, sender_abroad(letter.sender.country))
        )
        context: dict[str, Any] = {
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
        flow = self._render(f"{template}.html", {**context, "standalone": False})
        document = self._render(f"{template}.html", {**context, "standalone": True})
        text = self._render(f"{template}.txt", context)
        return RenderedLetter(
            recipient=recipient,
            subject=letter.subject,
            sender_lines=sender_lines,
            date_text=context["date"],
            address_lines=delivery,
            salutation=recipient.salutation,
            body_html=body,
            closing=letter.complimentary_close,
            signature=context["signature"],
            flow_html=flow,
            document_html=document,
            text=text.strip() + "\n",
        )
