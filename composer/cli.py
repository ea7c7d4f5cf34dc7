"""The ``composer`` command: no arguments opens the window; subcommands work headless."""

from __future__ import annotations

import functools
import importlib
import logging
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the window path loads neither argparse nor the commands
    import argparse

# Each module registers its own subcommands (see composer.commands).
COMMAND_MODULES = (
    "composer.commands.campaigns",
    "composer.commands.render",
    "composer.commands.directory",
    "composer.commands.desktop",
    "composer.commands.account",
    "composer.commands.outbox",
    "composer.commands.send",
    "composer.commands.envelope",
    "composer.commands.printcmd",
)

log = logging.getLogger(__name__)


@functools.cache
def _parser_class() -> type[argparse.ArgumentParser]:
    """An argument parser whose errors are one line on stderr, exit status 2."""
    import argparse

    from composer.commands.base import EXIT_USAGE, CommandError

    class _Parser(argparse.ArgumentParser):
        def error(self, message: str) -> None:  # type: ignore[override]
            raise CommandError(f"{self.prog}: {message} (see '{self.prog} --help')", EXIT_USAGE)

    return _Parser


def build_parser() -> argparse.ArgumentParser:
    """The full parser, with every registered subcommand."""
    _Parser = _parser_class()
    parser = _Parser(
        prog="composer",
        description="Write advocacy letters: pick arguments, make them your own, print or e-mail.",
    )
    from composer import __version__

    parser.add_argument("--version", action="version", version=f"composer {__version__}")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="open the main window, wait for its first paint, and exit (for checks)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def _silence_stdout() -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass  # stdout is not a real file (a test's buffer): nothing to flush later


def main(argv: Sequence[str] | None = None) -> int:
    """Run the program; returns the exit status."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or args_list == ["--smoke"] or args_list[0].startswith("-psn_"):
        # The window path stays lean: no parser build, no subcommand imports.
        from composer.gui.app import run_app

        return run_app(smoke="--smoke" in args_list)
    from composer.commands.base import EXIT_FAILURE, CommandContext, CommandError
    from composer.core.locations import Locations
    from composer.core.logs import setup_logging

    context = CommandContext(locations=Locations.default())
    setup_logging(context.locations.log_file)
    try:
        args = build_parser().parse_args(args_list)
        if args.command is None:
            from composer.gui.app import run_app

            return run_app(smoke=args.smoke)
        status: int = args.handler(args, context)
        return status
    except CommandError as error:
        print(str(error), file=context.stderr)
        return error.status
    except KeyboardInterrupt:
        print("composer: interrupted", file=context.stderr)
        return 130
    except BrokenPipeError:
        # The reader stopped early (`composer campaigns --json | head`): stop quietly, and
        # point stdout at nothing so the flush on the way out cannot fail again.
        _silence_stdout()
        return EXIT_FAILURE
    except Exception as error:  # the last line of defence: never a traceback
        log.exception("unexpected error in %s", args_list)
        print(
            f"composer: unexpected error: {error.__class__.__name__}: {error}. "
            f"Details are in {context.locations.log_file}.",
            file=context.stderr,
        )
        return EXIT_FAILURE
